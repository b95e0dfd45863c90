package io.realtimegateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Arrows that must not run back up: a lower package imports nothing from the one above it. Each row is a package and
 * a package it must not import; add a row when an arrow is removed, so it does not come back.
 */
class PackageArrowsTest {

    private static final Path MAIN = Path.of("src/main/java/io/realtimegateway");

    @ParameterizedTest(name = "{0} imports nothing from {1}")
    @CsvSource({ "ticket, relay", "config, preflight", "credentials, relay", "state, relay" })
    void noArrowBackUp(String from, String to) throws IOException {
        String forbidden = "import io.realtimegateway." + to + ".";
        List<String> offenders;
        try (Stream<Path> files = Files.walk(MAIN.resolve(from))) {
            offenders = files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                try {
                    return Files.readAllLines(f).stream().anyMatch(line -> line.startsWith(forbidden));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).map(f -> MAIN.relativize(f).toString()).toList();
        }
        assertThat(Files.isDirectory(MAIN.resolve(from))).as("package %s exists", from).isTrue();
        assertThat(offenders).as("files in %s importing %s", from, to).isEmpty();
    }
}
