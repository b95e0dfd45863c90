package io.realtimegateway.deploy;

import static io.realtimegateway.deploy.DeploymentFiles.envExample;
import static io.realtimegateway.deploy.DeploymentFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.realtimegateway.credentials.SecretLint;

/** .env.example: names every variable, never trips the gateway's config parsing, and stays committable. */
class EnvExampleTest {

    @Test
    void namesEveryEnvVariableTheGatewayReads() {
        Map<String, String> env = envExample();
        for (String name : DeploymentFiles.gatewayEnvNames()) {
            assertThat(env).as(".env.example has a line (possibly commented) for %s", name).containsKey(name);
        }
    }

    @Test
    void noGatewayVariableIsSetToAnEmptyValue() {
        // An empty GATEWAY_* value means unset but WARNs (config.settings): the example must not make every new .env warn.
        envExample().forEach((name, value) -> {
            if (name.startsWith("GATEWAY_") && value != null) {
                assertThat(value).as("%s in .env.example: give it a value or comment it out (an empty value WARNs)", name).isNotBlank();
            }
        });
    }

    @Test
    void valuesAreWrittenLiterally() {
        // Compose and the gateway take values literally: quotes and surrounding spaces end up in secrets.
        envExample().forEach((name, value) -> {
            if (value != null) {
                assertThat(value).as("%s", name).doesNotStartWith("\"").doesNotStartWith("'").isEqualTo(value.strip());
            }
        });
    }

    /** Every secret it sets is a placeholder the gateway refuses (a copied example is no deployment); the rest stay commented. */
    @Test
    void everySecretItSetsIsAPlaceholderTheGatewayRefuses() {
        envExample().forEach((name, value) -> {
            boolean secret = name.endsWith("_SECRET") || name.endsWith("_KEYS") || name.equals("OPENAI_API_KEY");
            if (secret && value != null && !value.isEmpty()) {
                assertThat(SecretLint.publicValue(value)).as("%s=%s in .env.example", name, value).isPresent();
            }
        });
        assertThat(envExample().get("LIVEKIT_API_SECRET")).isNotEmpty();
    }

    @Test
    void isNotGitIgnoredWhileDotEnvIs() {
        boolean exampleIgnored = false;
        boolean envIgnored = false;
        for (String line : read(Path.of(".gitignore")).split("\n")) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#") || pattern.startsWith("!")) {
                continue;
            }
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.replaceFirst("^/", ""));
            exampleIgnored |= matcher.matches(Path.of(".env.example"));
            envIgnored |= matcher.matches(Path.of(".env"));
        }
        assertThat(envIgnored).as(".env (the real secrets) is git-ignored").isTrue();
        assertThat(exampleIgnored).as(".env.example is committed").isFalse();
    }
}
