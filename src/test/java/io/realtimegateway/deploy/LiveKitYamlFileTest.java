package io.realtimegateway.deploy;

import static io.realtimegateway.deploy.DeploymentFiles.ENV_EXAMPLE;
import static io.realtimegateway.deploy.DeploymentFiles.LIVEKIT_YAML;
import static io.realtimegateway.deploy.DeploymentFiles.envExample;
import static io.realtimegateway.deploy.DeploymentFiles.map;
import static io.realtimegateway.deploy.DeploymentFiles.read;
import static io.realtimegateway.deploy.DeploymentFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.realtimegateway.credentials.SecretLint;

/** livekit.yaml and .env.example describe the same key pair, in a form livekit-server accepts. */
class LiveKitYamlFileTest {

    @Test
    void keyMatchesEnvExample() {
        Map<String, Object> keys = map(yaml(LIVEKIT_YAML).get("keys"), "livekit.yaml keys");
        Map<String, String> env = envExample();
        assertThat(keys).containsOnlyKeys(env.get("LIVEKIT_API_KEY"));
        // Compared as objects: an all-digit secret would be an Integer here (livekit-server drops it).
        assertThat(keys.get(env.get("LIVEKIT_API_KEY"))).isEqualTo(env.get("LIVEKIT_API_SECRET"));
    }

    /** Both files ship a placeholder the gateway refuses, and say how to make a real secret (cp .env.example .env is not a deployment). */
    @Test
    void shipsAPlaceholderSecretTheGatewayRefusesAndSaysHowToGenerateOne() {
        String secret = envExample().get("LIVEKIT_API_SECRET");
        assertThat(SecretLint.publicValue(secret)).as("the gateway refuses %s", secret).isPresent();
        assertThat(read(LIVEKIT_YAML)).contains(SecretLint.GENERATE);
        assertThat(read(ENV_EXAMPLE)).contains(SecretLint.GENERATE);
    }

    @Test
    void usesNoKeyFileAndNoDevMode() {
        Map<String, Object> config = yaml(LIVEKIT_YAML);
        // key_file would replace keys; development: true skips the secret-length check and binds 127.0.0.1.
        assertThat(config).doesNotContainKeys("key_file", "development");
    }

    @Test
    void explainsKeyRotation() {
        assertThat(read(LIVEKIT_YAML)).containsIgnoringCase("rotat").contains("LIVEKIT_SERVER_EXTRA_KEYS");
        assertThat(envExample()).containsKey("LIVEKIT_SERVER_EXTRA_KEYS");
    }
}
