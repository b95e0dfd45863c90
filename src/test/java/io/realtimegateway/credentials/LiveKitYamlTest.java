package io.realtimegateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveKitYamlTest {

    private static final String S1 = "Kq3ZpV9xW2mN8rT5yB7cD1fG4hJ6kL0a";
    private static final String S2 = "Zx8Cv7Bn6Mm5Aa4Ss3Dd2Ff1Gg0Hh9Jj";

    @Test
    void oneLine() {
        KeySource source = LiveKitYaml.parseKeysEnv("APIone: " + S1);
        assertThat(source.problems()).isEmpty();
        assertThat(source.keys()).containsExactly(new LiveKitKey("APIone", S1, "LIVEKIT_KEYS line 1"));
    }

    @Test
    void severalLinesAndCrLf() {
        KeySource source = LiveKitYaml.parseKeysEnv("APIone: " + S1 + "\r\nAPItwo: " + S2 + "\r\n");
        assertThat(source.problems()).isEmpty();
        assertThat(source.keys()).extracting(LiveKitKey::apiKey, LiveKitKey::secret)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("APIone", S1), org.assertj.core.groups.Tuple.tuple("APItwo", S2));
    }

    @Test
    void flowForm() {
        KeySource source = LiveKitYaml.parseKeysEnv("{APIone: " + S1 + ", APItwo: " + S2 + "}");
        assertThat(source.problems()).isEmpty();
        assertThat(source.keys()).extracting(LiveKitKey::apiKey).containsExactly("APIone", "APItwo");
    }

    @Test
    void quotedSecretIsUnquotedLikeYaml() {
        KeySource source = LiveKitYaml.parseKeysEnv("APIone: \"" + S1 + "\"");
        assertThat(source.keys()).extracting(LiveKitKey::secret).containsExactly(S1);
    }

    @Test
    void missingSpaceIsLiveKitsParseErrorWithTheLineNumberButNotTheLine() {
        KeySource source = LiveKitYaml.parseKeysEnv("APIone:" + S1);
        assertThat(source.keys()).isEmpty();
        assertThat(source.problems()).singleElement().satisfies(p -> {
            assertThat(p.check()).isEqualTo(LiveKitYaml.KEYS_FORMAT);
            assertThat(p.message()).contains("LIVEKIT_KEYS line 1 is not \"key: secret\"")
                    .contains(LiveKitYaml.LIVEKIT_PARSE_ERROR).doesNotContain(S1).doesNotContain("APIone");
            assertThat(p.fix()).contains("space after the colon");
        });
    }

    @Test
    void secondLineWithoutSpaceNamesLineTwo() {
        KeySource source = LiveKitYaml.parseKeysEnv("APIone: " + S1 + "\nAPItwo:" + S2);
        assertThat(source.keys()).isEmpty(); // livekit-server rejects the whole value
        assertThat(source.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("line 2 is not").doesNotContain(S2));
    }

    @Test
    void allDigitSecretIsDroppedLikeLiveKitDoes() {
        KeySource source = LiveKitYaml.parseKeysEnv("APIone: 12345678901234567890123456789012\nAPItwo: " + S2);
        assertThat(source.keys()).extracting(LiveKitKey::apiKey).containsExactly("APItwo");
        assertThat(source.problems()).singleElement().satisfies(p -> {
            assertThat(p.check()).isEqualTo(LiveKitYaml.DIGITS);
            assertThat(p.message()).contains("line 1").contains("APIone").contains("silently drops").doesNotContain("1234567890");
        });
    }

    @Test
    void booleanAndEmptySecretsAreDropped() {
        KeySource source = LiveKitYaml.parseKeysEnv("APIone: true\nAPItwo:\n");
        assertThat(source.keys()).isEmpty();
        assertThat(source.problems()).extracting(KeyProblem::check).containsOnly(LiveKitYaml.KEYS_FORMAT).hasSize(2);
    }

    @Test
    void yesIsAStringForGoYaml() {
        assertThat(LiveKitYaml.parseKeysEnv("APIone: yes").keys()).extracting(LiveKitKey::secret).containsExactly("yes");
    }

    @Test
    void duplicateKeyIsRefused() {
        KeySource source = LiveKitYaml.parseKeysEnv("APIone: " + S1 + "\nAPIone: " + S2);
        assertThat(source.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("a second time"));
    }

    @Test
    void serverConfigKeysMapKeepsScalarTextLikeMapStringString(@TempDir Path dir) throws IOException {
        Path yaml = write(dir.resolve("livekit.yaml"), "port: 7880\nkeys:\n  APIone: " + S1 + "\n  APIdigits: 12345678901234567890123456789012\n");
        KeySource source = LiveKitYaml.readServerConfig(yaml, Map.of());
        assertThat(source.isServerConfig()).isTrue();
        assertThat(source.problems()).isEmpty();
        assertThat(source.keys()).extracting(LiveKitKey::apiKey).containsExactly("APIone", "APIdigits");
        assertThat(source.keys().get(0).source()).isEqualTo("livekit.yaml (" + yaml + ") line 3");
    }

    @Test
    void keyFileReplacesKeysAndIsExpanded(@TempDir Path dir) throws IOException {
        Path keyFile = write(dir.resolve("keys.yaml"), "APIfile: " + S2 + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        Path yaml = write(dir.resolve("livekit.yaml"), "keys:\n  APIone: " + S1 + "\nkey_file: ${KEYDIR}/keys.yaml\n");
        KeySource source = LiveKitYaml.readServerConfig(yaml, Map.of("KEYDIR", dir.toString()));
        assertThat(source.keys()).extracting(LiveKitKey::apiKey).containsExactly("APIfile");
        assertThat(source.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("ignores keys:"));
    }

    @Test
    void keyFileReadableByOthersIsRefusedLikeLiveKit(@TempDir Path dir) throws IOException {
        Path keyFile = write(dir.resolve("keys.yaml"), "APIfile: " + S2 + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        Path yaml = write(dir.resolve("livekit.yaml"), "key_file: " + keyFile + "\n");
        KeySource source = LiveKitYaml.readServerConfig(yaml, Map.of());
        assertThat(source.problems()).singleElement().satisfies(p -> {
            assertThat(p.check()).isEqualTo(LiveKitYaml.KEY_FILE_PERMISSIONS);
            assertThat(p.message()).contains("key file others permissions must be set to 0");
            assertThat(p.fix()).contains("chmod o-rwx");
        });
    }

    @Test
    void tildeExpandsToHome() {
        assertThat(LiveKitYaml.expandPath("~/keys.yaml", Map.of("HOME", "/home/lk"))).isEqualTo(Path.of("/home/lk/keys.yaml"));
        assertThat(LiveKitYaml.expandPath("$DIR/k", Map.of("DIR", "/etc/lk"))).isEqualTo(Path.of("/etc/lk/k"));
    }

    @Test
    void unreadableOrInvalidConfigFile(@TempDir Path dir) throws IOException {
        assertThat(LiveKitYaml.readServerConfig(dir.resolve("missing.yaml"), Map.of()).problems())
                .singleElement().satisfies(p -> assertThat(p.check()).isEqualTo(LiveKitYaml.CONFIG_FILE));
        Path broken = write(dir.resolve("broken.yaml"), "keys:\n  APIone: [unclosed\n");
        assertThat(LiveKitYaml.readServerConfig(broken, Map.of()).problems())
                .singleElement().satisfies(p -> assertThat(p.message()).contains("not valid YAML"));
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        return file;
    }
}
