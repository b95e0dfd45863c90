package io.realtimegateway.deploy;

import static io.realtimegateway.deploy.DeploymentFiles.README;
import static io.realtimegateway.deploy.DeploymentFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.ProdEnv;

/**
 * Runs the README's quick-start commands (and every other block marked so in docs/), as written, with bash and curl against the packaged gateway in dev mode
 * (the defaults {@code ./mvnw quarkus:dev} gives a newcomer), so they cannot rot. A block is run when the line
 * {@code <!-- readme-test: … -->} precedes it; every curl in it ends with a {@code # <status>} comment, which is what
 * it must answer. Only the ports change: 8080 and 9000 become the ports this gateway got.
 */
class ReadmeQuickStartIT {

    private static final String MARKER = "<!-- readme-test:";
    private static final Pattern CURL = Pattern.compile("(?:^|[\\s;(|&$])curl\\s");
    private static final Pattern EXPECTED_STATUS = Pattern.compile("#\\s*(\\d{3})\\b");
    /** curl as the README calls it, with the status of each call appended to $README_STATUS. */
    private static final String PRELUDE = """
            set -euo pipefail
            curl() {
              local body code
              body=$(mktemp)
              code=$(command curl --max-time 20 -o "$body" -w '%{http_code}' "$@") || code="curl-exit-$?"
              cat "$body"; rm -f "$body"
              echo "$code" >> "$README_STATUS"
            }
            """;

    @Test
    void quickStartCommandsAnswerAsDocumented() throws Exception {
        // The README's quick start, and the by-hand walk-through of docs/deploy.md.
        assertThat(markedBlocks(read(README))).as("README blocks marked %s", MARKER).isNotEmpty();
        List<String> blocks = new ArrayList<>();
        for (Path page : Markdown.pages()) {
            blocks.addAll(markedBlocks(read(page)));
        }
        assertThat(blocks).as("blocks marked %s in the README and docs/", MARKER).hasSizeGreaterThanOrEqualTo(2);

        ProdEnv env = ProdEnv.valid();
        env.without(env.asMap().keySet().toArray(String[]::new)).with("QUARKUS_PROFILE", "dev");
        try (GatewayProcess gateway = GatewayProcess.start(env)) {
            int port = URI.create(gateway.awaitListening()).getPort();
            int managementPort = URI.create(gateway.awaitManagement()).getPort();
            for (String block : blocks) {
                List<String> expected = expectedStatuses(block);
                assertThat(expected).as("every curl of this block ends with its `# <status>`:\n%s", block)
                        .hasSize(curlCount(block));
                String script = block.replace("localhost:8080", "127.0.0.1:" + port)
                        .replace("localhost:9000", "127.0.0.1:" + managementPort);
                assertThat(run(script)).as("statuses of the README block\n%s", block).isEqualTo(expected);
            }
        }
    }

    /** The bodies of the fenced blocks that follow a marker line. */
    static List<String> markedBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith(MARKER)) {
                continue;
            }
            int open = i + 1;
            while (open < lines.length && lines[open].isBlank()) {
                open++;
            }
            assertThat(lines[open]).as("README line %d: a marker is followed by a bash block", i + 1).isEqualTo("```bash");
            StringBuilder block = new StringBuilder();
            for (int j = open + 1; !lines[j].startsWith("```"); j++) {
                block.append(lines[j]).append('\n');
            }
            blocks.add(block.toString());
        }
        return blocks;
    }

    private static List<String> expectedStatuses(String block) {
        List<String> statuses = new ArrayList<>();
        for (String line : block.split("\n")) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            Matcher status = EXPECTED_STATUS.matcher(line);
            if (status.find()) {
                statuses.add(status.group(1));
            }
        }
        return statuses;
    }

    private static int curlCount(String block) {
        int count = 0;
        for (String line : block.split("\n")) {
            String code = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            Matcher curl = CURL.matcher(code);
            while (curl.find()) {
                count++;
            }
        }
        return count;
    }

    /** Runs the block with bash; returns the status of each curl. Response bodies (tokens) are never printed. */
    private static List<String> run(String block) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "readme-test").toAbsolutePath());
        Path script = Files.createTempFile(dir, "block-", ".sh");
        Path statuses = Files.createTempFile(dir, "status-", ".txt");
        Files.writeString(script, PRELUDE + block, StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().put("README_STATUS", statuses.toString());
        Process bash = builder.start();
        if (!bash.waitFor(120, TimeUnit.SECONDS)) {
            bash.destroyForcibly();
            throw new AssertionError("the README block did not finish within 120 s:\n" + block);
        }
        assertThat(bash.exitValue()).as("bash exit of the README block (stderr in target/readme-test/stderr.txt)\n%s", block).isZero();
        return Files.readAllLines(statuses, StandardCharsets.UTF_8);
    }
}
