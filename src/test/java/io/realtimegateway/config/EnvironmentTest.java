package io.realtimegateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import io.realtimegateway.auth.AuthConfig;
import io.realtimegateway.credentials.LiveKitConfig;
import io.realtimegateway.credentials.OpenAiConfig;
import io.realtimegateway.livekit.TokenConfig;
import io.realtimegateway.preflight.PreflightConfig;

/**
 * Prod versus dev and test, without booting: the mappings' defaults plus application.properties' {@code %dev.}/{@code %test.}
 * lines, read by SmallRye under each profile. Nothing in the code reads the profile; these values are all it decides.
 */
class EnvironmentTest {

    /** The gateway's application.properties under the given profile (and parent), with extra sources' values on top. */
    static SmallRyeConfig config(String profile, String parent, Map<String, String> env) throws IOException {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withInterceptors(new SettingsInterceptor(), new EmptySettingsInterceptor())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(EnvironmentTest.class.getClassLoader().getResource("application.properties"), 250))
                .withSources(new PropertiesConfigSource(env, "env", 300))
                .withMapping(Environment.class).withMapping(AuthConfig.class).withMapping(PreflightConfig.class)
                .withMapping(LiveKitConfig.class).withMapping(OpenAiConfig.class).withMapping(TokenConfig.class);
        if (profile != null) {
            builder.withDefaultValue("smallrye.config.profile", profile); // as quarkus.profile sets it
        }
        if (parent != null) {
            builder.withDefaultValue("smallrye.config.profile.parent", parent); // as quarkus.config.profile.parent sets it
        }
        return builder.build();
    }

    @Test
    void prodTakesNoShortcut() throws IOException {
        SmallRyeConfig prod = config(null, null, Map.of());
        assertThat(prod.getConfigMapping(Environment.class).isProd()).isTrue();
        assertThat(prod.getConfigMapping(AuthConfig.class).mode()).containsExactly(AuthConfig.Mode.API_KEY);
        assertThat(prod.getConfigMapping(PreflightConfig.class).enforce()).isTrue();
        assertThat(prod.getConfigMapping(LiveKitConfig.class).allowWeakSecret()).isFalse();
        assertThat(prod.getConfigMapping(OpenAiConfig.class).allowMissingKey()).isFalse();
        assertThat(prod.getConfigMapping(TokenConfig.class).diagnosticsIncludeToken()).isFalse();
        assertThat(config("staging", null, Map.of()).getConfigMapping(Environment.class).isProd()).as("a custom profile is prod").isTrue();
    }

    @Test
    void devAndTestProfilesTakeTheShortcuts() throws IOException {
        for (String profile : new String[] { "dev", "test" }) {
            SmallRyeConfig config = config(profile, null, Map.of());
            assertThat(config.getConfigMapping(Environment.class).isProd()).as(profile).isFalse();
            assertThat(config.getConfigMapping(AuthConfig.class).mode()).as(profile).containsExactly(AuthConfig.Mode.NONE);
            assertThat(config.getConfigMapping(PreflightConfig.class).enforce()).as(profile).isFalse();
        }
        SmallRyeConfig dev = config("dev", null, Map.of());
        assertThat(dev.getConfigMapping(LiveKitConfig.class).allowWeakSecret()).isTrue();
        assertThat(dev.getConfigMapping(OpenAiConfig.class).allowMissingKey()).isTrue();
        assertThat(dev.getConfigMapping(TokenConfig.class).diagnosticsIncludeToken()).isTrue();
        SmallRyeConfig test = config("test", null, Map.of());
        assertThat(test.getConfigMapping(LiveKitConfig.class).allowWeakSecret()).as("tests see prod's secret rules").isFalse();
        assertThat(test.getConfigMapping(OpenAiConfig.class).allowMissingKey()).isFalse();
        assertThat(test.getConfigMapping(TokenConfig.class).diagnosticsIncludeToken()).isFalse();
    }

    @Test
    void aProfileWhoseParentIsDevIsDev() throws IOException {
        SmallRyeConfig staging = config("staging", "dev", Map.of());
        assertThat(staging.getConfigMapping(Environment.class).isProd()).isFalse();
        assertThat(staging.getConfigMapping(AuthConfig.class).mode()).containsExactly(AuthConfig.Mode.NONE);
        assertThat(staging.getConfigMapping(LiveKitConfig.class).allowWeakSecret()).isTrue();
    }

    @Test
    void anExplicitSettingWinsOverTheProfile() throws IOException {
        SmallRyeConfig dev = config("dev", null, Map.of("gateway.auth.mode", "jwt", "gateway.preflight.enforce", "true",
                "gateway.livekit.allow-weak-secret", "false"));
        assertThat(dev.getConfigMapping(AuthConfig.class).mode()).containsExactly(AuthConfig.Mode.JWT);
        assertThat(dev.getConfigMapping(PreflightConfig.class).enforce()).isTrue();
        assertThat(dev.getConfigMapping(LiveKitConfig.class).allowWeakSecret()).isFalse();
        SmallRyeConfig prod = config(null, null, Map.of("gateway.dev-mode", "true"));
        assertThat(prod.getConfigMapping(Environment.class).isProd()).isFalse();
    }

    /**
     * An empty variable (compose's {@code GATEWAY_AUTH_MODE=} line) is unset: the profile's own line applies, also
     * when it comes from a parent profile, and else the mapping's default.
     */
    @Test
    void anEmptySettingIsUnsetSoTheProfileOrTheDefaultApplies() throws IOException {
        Map<String, String> empty = Map.of("gateway.auth.mode", "", "gateway.livekit.allow-weak-secret", "", "gateway.preflight.refresh", "");
        SmallRyeConfig dev = config("dev", null, empty);
        assertThat(dev.getConfigMapping(AuthConfig.class).mode()).containsExactly(AuthConfig.Mode.NONE);
        assertThat(dev.getConfigMapping(LiveKitConfig.class).allowWeakSecret()).isTrue();
        SmallRyeConfig staging = config("staging", "dev", empty);
        assertThat(staging.getConfigMapping(AuthConfig.class).mode()).as("the parent profile's line").containsExactly(AuthConfig.Mode.NONE);
        assertThat(staging.getConfigMapping(LiveKitConfig.class).allowWeakSecret()).isTrue();
        SmallRyeConfig prod = config(null, null, empty);
        assertThat(prod.getConfigMapping(AuthConfig.class).mode()).containsExactly(AuthConfig.Mode.API_KEY);
        assertThat(prod.getConfigMapping(LiveKitConfig.class).allowWeakSecret()).isFalse();
        assertThat(prod.getConfigMapping(PreflightConfig.class).refresh()).hasSeconds(30);
        assertThat(SettingProblems.findings()).anySatisfy(f -> assertThat(f.envName()).isEqualTo("GATEWAY_AUTH_MODE"))
                .filteredOn(f -> f.envName().equals("GATEWAY_AUTH_MODE")).singleElement()
                .satisfies(f -> assertThat(f.empty()).isTrue()).satisfies(f -> assertThat(f.defaultValue()).isEqualTo("api-key"));
    }
}
