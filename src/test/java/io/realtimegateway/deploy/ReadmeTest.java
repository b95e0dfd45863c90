package io.realtimegateway.deploy;

import static io.realtimegateway.deploy.DeploymentFiles.ENV_EXAMPLE;
import static io.realtimegateway.deploy.DeploymentFiles.README;
import static io.realtimegateway.deploy.DeploymentFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * What a newcomer reads first: the README's opening commands, its length and its index of docs/, and the rules every
 * page (README, docs/, bench/README.md) keeps: tables name a variable once, health only on the management port, one
 * key-generation command, relative links that resolve, no file outside the repository cited.
 */
class ReadmeTest {

    private static final Pattern BACKTICKED_ENV = Pattern.compile("`([A-Z][A-Z0-9_]+)`");
    /** An entry of .env.example: the whole line is NAME=value (prose that merely starts with a name has spaces). */
    private static final Pattern ENV_ENTRY = Pattern.compile("^(?:#\\s?)?([A-Z][A-Z0-9_]*)=\\S*$");
    /** Files that live outside this repository (the design notes and references the project was written from). */
    private static final Pattern OUTSIDE_REFERENCE = Pattern.compile("DESIGN" + "\\.md|\\.\\./shared|shared" + " reference|reference" + "/[a-z-]+\\.md");
    /** A link to a file of the repository ({@code [text](docs/relay.md#policy)}, {@code (#anchor)}); web links are not checked. */
    private static final Pattern RELATIVE_LINK = Pattern.compile("\\]\\((?!https?:|mailto:)([^)#\\s]*)(?:#([^)\\s]+))?\\)");
    private static final Pattern HEADING = Pattern.compile("#{1,6} (.+)");
    private static final int MAX_README_LINES = 200;
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target", "node_modules", "work");

    @Test
    void opensWithTheDevAndTheTestCommand() {
        List<String> first = codeBlocks(read(README)).get(0);
        assertThat(first).as("the README's first code block").hasSizeGreaterThanOrEqualTo(2);
        assertThat(first.get(0)).startsWith("./mvnw quarkus:dev");
        assertThat(first.get(1)).startsWith("./mvnw verify");
    }

    @Test
    void staysShortAndIndexesEveryPage() {
        String readme = read(README);
        assertThat(readme.split("\n", -1).length).as("README lines (the details live in docs/)").isLessThanOrEqualTo(MAX_README_LINES);
        for (Path page : Markdown.pages()) {
            if (!page.equals(README)) {
                assertThat(readme).as("the README's index links %s", page).contains("](" + page.toString().replace('\\', '/') + ")");
            }
        }
    }

    @Test
    void quickStartFactsStay() {
        String readme = read(README);
        // The dev defaults ./mvnw quarkus:dev works with, the two ports, and a quick start ReadmeQuickStartIT runs.
        assertThat(readme).contains("livekit-server --dev", "ws://localhost:7880", "devkey/secret", ":8080", ":9000",
                "<!-- readme-test:", "scripts/install-livekit-server.sh");
        assertThat(Markdown.section(readme, "## Endpoints")).contains("/q/health/ready", "management port");
    }

    @Test
    void healthIsNeverCalledOnThePublicPort() {
        for (Path page : Markdown.pages()) {
            for (List<String> block : codeBlocks(read(page))) {
                for (String line : block) {
                    assertThat(line).as("%s: health is served on the management port (9000) only", page).doesNotContain(":8080/q/");
                }
            }
        }
    }

    @Test
    void relativeLinksResolve() {
        List<String> broken = new ArrayList<>();
        for (Path page : Markdown.pages()) {
            String[] lines = read(page).split("\n", -1);
            boolean fenced = false;
            for (int i = 0; i < lines.length; i++) {
                fenced ^= lines[i].startsWith("```");
                Matcher link = RELATIVE_LINK.matcher(fenced ? "" : lines[i]);
                while (link.find()) {
                    Path target = link.group(1).isEmpty() ? page : page.resolveSibling(link.group(1)).normalize();
                    String anchor = link.group(2);
                    if (!Files.exists(target)) {
                        broken.add(page + ":" + (i + 1) + " links " + link.group() + ": no such file");
                    } else if (anchor != null && target.toString().endsWith(".md") && !anchors(read(target)).contains(anchor)) {
                        broken.add(page + ":" + (i + 1) + " links " + link.group() + ": no such heading in " + target);
                    }
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    /** GitHub's heading anchors: lower case, backticks and punctuation dropped, spaces as hyphens. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new java.util.HashSet<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            fenced ^= line.startsWith("```");
            Matcher heading = HEADING.matcher(line);
            if (!fenced && heading.matches()) {
                anchors.add(heading.group(1).strip().toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    @Test
    void stoppingComesAfterEverythingElseInItsBlock() {
        for (List<String> block : Markdown.pages().stream().flatMap(page -> codeBlocks(read(page)).stream()).toList()) {
            for (int i = 0; i < block.size(); i++) {
                if (block.get(i).contains("--stop")) {
                    List<String> after = block.subList(i + 1, block.size()).stream()
                            .filter(line -> !line.isBlank() && !line.strip().startsWith("#")).toList();
                    assertThat(after).as("commands after `%s`", block.get(i).strip()).isEmpty();
                }
            }
        }
    }

    @Test
    void everyTableNamesAVariableOnce() {
        List<String> duplicates = new ArrayList<>();
        for (Path page : Markdown.pages()) {
            duplicates.addAll(duplicateVariables(page));
        }
        assertThat(duplicates).isEmpty();
    }

    private static List<String> duplicateVariables(Path page) {
        List<String> duplicates = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        String[] lines = read(page).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("|")) {
                seen.clear();
                continue;
            }
            String[] cells = lines[i].split("\\|");
            Matcher names = BACKTICKED_ENV.matcher(cells.length > 1 ? cells[1] : "");
            while (names.find()) {
                Integer earlier = seen.putIfAbsent(names.group(1), i + 1);
                if (earlier != null) {
                    duplicates.add(names.group(1) + " on " + page + " lines " + earlier + " and " + (i + 1));
                }
            }
        }
        return duplicates;
    }

    @Test
    void envExampleNamesEachVariableOnce() {
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        String[] lines = read(ENV_EXAMPLE).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher entry = ENV_ENTRY.matcher(lines[i]);
            if (entry.matches()) {
                Integer earlier = seen.putIfAbsent(entry.group(1), i + 1);
                if (earlier != null) {
                    duplicates.add(entry.group(1) + " on lines " + earlier + " and " + (i + 1));
                }
            }
        }
        assertThat(duplicates).isEmpty();
    }

    @Test
    void oneKeyGenerationCommand() {
        // The docs and compose give one way to make a secret, so a newcomer never wonders which.
        List<Path> files = new ArrayList<>(Markdown.pages());
        files.add(DeploymentFiles.COMPOSE);
        for (Path file : files) {
            Matcher other = Pattern.compile("openssl rand -hex|generate-keys").matcher(read(file));
            String found = other.find() ? other.group() : null;
            assertThat(found).as("%s gives another key-generation command than `openssl rand -base64 32`", file).isNull();
        }
        assertThat(read(README)).contains("openssl rand -base64 32");
    }

    @Test
    void noShippedFileCitesAFileOutsideTheRepository() {
        List<String> citations = new ArrayList<>();
        for (Path file : shippedTextFiles()) {
            String[] lines = read(file).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = OUTSIDE_REFERENCE.matcher(lines[i]);
                if (m.find()) {
                    citations.add(file + ":" + (i + 1) + " cites " + m.group());
                }
            }
        }
        assertThat(citations).isEmpty();
    }

    static List<List<String>> codeBlocks(String markdown) {
        return Markdown.codeBlocks(markdown);
    }

    private static List<Path> shippedTextFiles() {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(Path.of("."))) {
            walk.filter(Files::isRegularFile)
                    .filter(path -> {
                        for (Path part : Path.of(".").relativize(path)) {
                            if (SKIPPED_DIRECTORIES.contains(part.toString())) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .filter(path -> path.getFileName().toString().matches(
                            ".*\\.(md|java|js|mjs|ts|go|sh|yml|yaml|properties|html|css|json|xml|txt)|.*\\.example|Dockerfile.*|run"))
                    .filter(path -> !path.getFileName().toString().equals("package-lock.json"))
                    // CI's glue for this environment, the one file that installs the native toolchain from beside the clone.
                    .filter(path -> !path.equals(Path.of(".", ".ci", "run")))
                    .forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(files).as("the scan sees the README").contains(Path.of(".", "README.md"));
        return files;
    }
}
