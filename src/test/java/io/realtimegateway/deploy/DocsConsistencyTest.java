package io.realtimegateway.deploy;

import static io.realtimegateway.deploy.DeploymentFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The docs name what the code has, and the code has nothing the docs leave out: the variables of
 * docs/configuration.md against the settings the code declares, and the check names of docs/startup-checks.md
 * against the names the checks report. Both sides are read, never listed here ({@link CodeRegistries} says how the
 * code's side is found). The endpoints are {@link DocsEndpointsTest}'s.
 */
class DocsConsistencyTest {

    static final Path CONFIGURATION = Markdown.DOCS.resolve("configuration.md");
    static final Path STARTUP_CHECKS = Markdown.DOCS.resolve("startup-checks.md");
    static final Path ARCHITECTURE = Markdown.DOCS.resolve("architecture.md");
    private static final Path MAIN_SOURCES = Path.of("src/main/java/io/realtimegateway");
    private static final Pattern PACKAGE_CELL = Pattern.compile("`([a-z]+)/`");
    private static final Pattern GATEWAY_IMPORT = Pattern.compile("^import (?:static )?io\\.realtimegateway\\.(?:([a-z][a-z0-9]*)\\.)?(?:[a-z][a-z0-9]*\\.)*[A-Z]", Pattern.MULTILINE);
    private static final String ROOT = "root";
    private static final Pattern ENV = Pattern.compile("[A-Z][A-Z0-9_]+");
    private static final Pattern PROPERTY = Pattern.compile("gateway\\.[a-z0-9.-]+[a-z0-9]");
    private static final Pattern CHECK = Pattern.compile("[a-z]+\\.[a-z0-9-]+(\\.[a-z0-9-]+)*");

    /** Variable -> the line of docs/configuration.md whose table row documents it (first column). */
    static Map<String, Integer> documentedVariables() {
        Map<String, Integer> documented = new LinkedHashMap<>();
        for (Markdown.Cell cell : Markdown.firstCells(read(CONFIGURATION), "Env")) {
            Markdown.backticked(cell.text(), ENV).forEach(name -> documented.putIfAbsent(name, cell.line()));
            Markdown.backticked(cell.text(), PROPERTY).forEach(p -> documented.putIfAbsent(CodeRegistries.envName(p), cell.line()));
        }
        return documented;
    }

    @Test
    void everyDocumentedVariableExistsInTheCode() {
        Set<String> code = CodeRegistries.envNames();
        List<String> unknown = new ArrayList<>();
        documentedVariables().forEach((name, line) -> {
            // Quarkus's own settings (QUARKUS_REDIS_HOSTS...) belong to its extensions, not to this code.
            if (!name.startsWith("QUARKUS_") && !code.contains(name)) {
                unknown.add(name + " (" + CONFIGURATION + ":" + line + ")");
            }
        });
        assertThat(unknown).as("variables documented in %s that no @ConfigMapping or application.properties defines", CONFIGURATION).isEmpty();
    }

    @Test
    void everyVariableOfTheCodeIsDocumented() {
        Set<String> documented = documentedVariables().keySet();
        List<String> missing = CodeRegistries.envNames().stream().filter(name -> !documented.contains(name)).toList();
        assertThat(missing).as("variables the code reads that no table row of %s documents (first column)", CONFIGURATION).isEmpty();
    }

    /** Check name -> the line of docs/startup-checks.md whose table row documents it (first column). */
    static Map<String, Integer> documentedChecks() {
        Map<String, Integer> documented = new LinkedHashMap<>();
        for (Markdown.Cell cell : Markdown.firstCells(read(STARTUP_CHECKS), "Check")) {
            Markdown.backticked(cell.text(), CHECK).forEach(name -> documented.putIfAbsent(name, cell.line()));
        }
        return documented;
    }

    @Test
    void everyDocumentedCheckExistsInTheCode() {
        Set<String> code = CodeRegistries.checkNames();
        List<String> unknown = new ArrayList<>();
        documentedChecks().forEach((name, line) -> {
            if (!code.contains(name)) {
                unknown.add(name + " (" + STARTUP_CHECKS + ":" + line + ")");
            }
        });
        assertThat(unknown).as("check names documented in %s that no PreflightCheck reports", STARTUP_CHECKS).isEmpty();
    }

    @Test
    void everyCheckOfTheCodeIsDocumented() {
        Set<String> documented = documentedChecks().keySet();
        List<String> missing = CodeRegistries.checkNames().stream().filter(name -> !documented.contains(name)).toList();
        assertThat(missing).as("check names the code reports that no table row of %s documents (first column)", STARTUP_CHECKS).isEmpty();
    }

    /**
     * Top-level package -> the other top-level packages its sources import (a subpackage counts as its top-level
     * package; same-package use needs no import), read from src/main/java.
     */
    static Map<String, Set<String>> importsByPackage() {
        Map<String, Set<String>> imports = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(MAIN_SOURCES)) {
            for (Path source : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path relative = MAIN_SOURCES.relativize(source.getParent() == null ? source : source.getParent());
                String pkg = relative.toString().isEmpty() ? ROOT : relative.getName(0).toString();
                Set<String> into = imports.computeIfAbsent(pkg, k -> new java.util.TreeSet<>());
                java.util.regex.Matcher m = GATEWAY_IMPORT.matcher(read(source));
                while (m.find()) {
                    String imported = m.group(1) == null ? ROOT : m.group(1);
                    if (!imported.equals(pkg)) {
                        into.add(imported);
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return imports;
    }

    /** Package -> the imports its row of the package map in docs/architecture.md lists (the table whose header starts with Layer). */
    static Map<String, Set<String>> documentedImports() {
        Map<String, Set<String>> documented = new java.util.TreeMap<>();
        for (String row : read(ARCHITECTURE).split("\n", -1)) {
            String[] cells = row.split("\\|");
            if (!row.startsWith("|") || cells.length < 4 || !cells[1].strip().matches("\\d+")) {
                continue;
            }
            java.util.regex.Matcher name = PACKAGE_CELL.matcher(cells[2]);
            String pkg = cells[2].strip().startsWith(ROOT) ? ROOT : name.find() ? name.group(1) : cells[2].strip();
            Set<String> listed = new java.util.TreeSet<>();
            java.util.regex.Matcher m = PACKAGE_CELL.matcher(cells[3]);
            while (m.find()) {
                listed.add(m.group(1));
            }
            documented.put(pkg, listed);
        }
        return documented;
    }

    /** Every import runs down the layers, unless its row marks it {@code `x/` (upward…}: the map's claim "no arrow back up". */
    @Test
    void thePackageMapMarksEveryUpwardImport() {
        Map<String, Integer> layers = new java.util.TreeMap<>();
        Map<String, String> rows = new java.util.TreeMap<>();
        for (String row : read(ARCHITECTURE).split("\n", -1)) {
            String[] cells = row.split("\\|");
            if (row.startsWith("|") && cells.length >= 4 && cells[1].strip().matches("\\d+")) {
                java.util.regex.Matcher name = PACKAGE_CELL.matcher(cells[2]);
                String pkg = cells[2].strip().startsWith(ROOT) ? ROOT : name.find() ? name.group(1) : cells[2].strip();
                layers.put(pkg, Integer.parseInt(cells[1].strip()));
                rows.put(pkg, cells[3]);
            }
        }
        List<String> unmarked = new ArrayList<>();
        documentedImports().forEach((pkg, imported) -> imported.forEach(target -> {
            boolean down = layers.getOrDefault(target, Integer.MAX_VALUE) < layers.get(pkg);
            if (!down && !rows.get(pkg).contains("`" + target + "/` (upward")) {
                unmarked.add(pkg + " (layer " + layers.get(pkg) + ") imports " + target + " (layer " + layers.get(target) + ")");
            }
        }));
        assertThat(unmarked).as("imports in %s that do not run down the layers and are not marked (upward…)", ARCHITECTURE).isEmpty();
    }

    @Test
    void thePackageMapIsTheImports() {
        assertThat(documentedImports()).as("the package map of %s (package -> the packages it imports) against src/main/java's imports",
                ARCHITECTURE).isEqualTo(importsByPackage());
    }
}
