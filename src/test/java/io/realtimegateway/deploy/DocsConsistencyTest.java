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
}
