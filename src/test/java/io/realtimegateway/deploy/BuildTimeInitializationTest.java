package io.realtimegateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Quarkus initializes application classes while the native image is built, so a static random generator would be
 * seeded once at build time and baked into every executable (native-image refuses such an image). This finds one in
 * seconds, where only the native tier's five-minute build would otherwise.
 */
class BuildTimeInitializationTest {

    private static final Pattern STATIC_GENERATOR = Pattern.compile(
            "\\bstatic\\s+(final\\s+)?(java\\.(util|security)\\.)?(SecureRandom|Random|SplittableRandom)\\s+\\w+\\s*=");

    @Test
    void noStaticRandomGeneratorInTheProduct() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            offenders = files.filter(file -> file.toString().endsWith(".java"))
                    .flatMap(BuildTimeInitializationTest::staticGenerators)
                    .toList();
        }
        assertThat(offenders).as("keep generators in bean instance fields or per-thread holders").isEmpty();
    }

    @Test
    void theRuleSeesAStaticGenerator() {
        assertThat(STATIC_GENERATOR.matcher("    private static final SecureRandom RANDOM = new SecureRandom();").find()).isTrue();
        assertThat(STATIC_GENERATOR.matcher("    private final SecureRandom random = new SecureRandom();").find()).isFalse();
    }

    private static Stream<String> staticGenerators(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> STATIC_GENERATOR.matcher(line).find())
                    .map(line -> file + ": " + line.strip());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
