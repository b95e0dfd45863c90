package io.realtimegateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigMapping;

/** The setting table read from the mapping interfaces, and the well-formedness rule of each type. */
class SettingSpecsTest {

    @Test
    void everyMappingPropertyIsKnownWithItsDefaultAndVariable() {
        SettingSpecs.Spec online = SettingSpecs.of("gateway.preflight.online").orElseThrow();
        assertThat(online.type()).isEqualTo(boolean.class);
        assertThat(online.defaultValue()).isEqualTo("true");
        assertThat(online.envName()).isEqualTo("GATEWAY_PREFLIGHT_ONLINE");
        assertThat(SettingSpecs.of("gateway.realtime.max-sessions-per-identity").orElseThrow().defaultValue()).isEqualTo("5");
        // nested groups and @WithName
        assertThat(SettingSpecs.of("gateway.auth.jwt.bind-identity").orElseThrow().defaultValue()).isEqualTo("true");
        assertThat(SettingSpecs.of("gateway.token.grant.can-publish").orElseThrow().type()).isEqualTo(boolean.class);
        // optional settings have no default
        assertThat(SettingSpecs.of("gateway.realtime.instructions").orElseThrow().defaultValue()).isNull();
        assertThat(SettingSpecs.of("gateway.auth.jwt")).isEmpty();
    }

    @Test
    void theGatewaysOwnSecretsAreReadVerbatim() {
        assertThat(SettingSpecs.all().values().stream().filter(SettingSpecs.Spec::verbatim).map(SettingSpecs.Spec::property))
                .containsExactlyInAnyOrder("gateway.auth.api-keys", "gateway.auth.jwt.secret", "gateway.auth.jwt.public-key",
                        "gateway.realtime.ticket-secret", "gateway.admin.api-keys");
    }

    @Test
    void booleansAreTrueOrFalseInAnyCaseOnly() {
        SettingSpecs.Spec spec = SettingSpecs.of("gateway.realtime.enabled").orElseThrow();
        assertThat(spec.problem("TRUE")).isEmpty();
        assertThat(spec.problem("false")).isEmpty();
        assertThat(spec.problem("ture")).contains("is not a boolean: use true or false");
        assertThat(spec.problem("yes please")).isPresent();
        assertThat(spec.problem("1")).isPresent();
    }

    @Test
    void theAuthModeIsAListOfModes() {
        SettingSpecs.Spec spec = SettingSpecs.of("gateway.auth.mode").orElseThrow();
        assertThat(spec.list()).isTrue();
        assertThat(spec.problem("api-key,jwt")).isEmpty();
        assertThat(spec.problem("jwt, api-key")).isEmpty();
        assertThat(spec.problem("jwt")).isEmpty();
        // A malformed list falls back to the default and FAILs config.settings naming GATEWAY_AUTH_MODE, not a SmallRye error.
        assertThat(spec.problem("api-key;jwt")).contains("has an entry that is not one of none, api-key, jwt");
        assertThat(spec.problem("api-key,oauth")).isPresent();
    }

    @Test
    void numbersMustBeWholeAndPositive() {
        SettingSpecs.Spec spec = SettingSpecs.of("gateway.realtime.max-sessions").orElseThrow();
        assertThat(spec.problem("200")).isEmpty();
        assertThat(spec.problem("-1")).contains("is negative");
        assertThat(spec.problem("0")).contains("is zero; it must be positive");
        assertThat(spec.problem("lots")).contains("is not a whole number");
        assertThat(SettingSpecs.of("gateway.token.max-agents").orElseThrow().problem("0")).isEmpty();
    }

    @Test
    void durationsUseQuarkusSyntaxAndMustBePositive() {
        SettingSpecs.Spec spec = SettingSpecs.of("gateway.preflight.refresh").orElseThrow();
        assertThat(spec.problem("30s")).isEmpty();
        assertThat(spec.problem("PT1M")).isEmpty();
        assertThat(spec.problem("soon")).hasValue("is not a duration: use e.g. 30s, 5m, 1h or 500ms");
        assertThat(spec.problem("-5s")).contains("is negative");
        assertThat(SettingSpecs.of("gateway.preflight.retry-delay").orElseThrow().problem("0s")).isEmpty();
    }

    @Test
    void listsOfNamesCheckEachEntry() {
        SettingSpecs.Spec spec = SettingSpecs.of("gateway.readiness.requires").orElseThrow();
        assertThat(spec.list()).isTrue();
        assertThat(spec.problem("livekit")).isEmpty();
        assertThat(spec.problem("livekit,OpenAI")).isEmpty();
        assertThat(spec.problem("livekit, openai")).isEmpty();
        assertThat(spec.problem("livekit,redis")).hasValue("has an entry that is not one of livekit, openai");
    }

    @Test
    void enumsAcceptTheirDocumentedSpelling() {
        SettingSpecs.Spec spec = SettingSpecs.of("gateway.auth.mode").orElseThrow();
        assertThat(spec.problem("api-key")).isEmpty();
        assertThat(spec.problem("JWT")).isEmpty();
        assertThat(spec.problem("apikey")).contains("has an entry that is not one of none, api-key, jwt");
    }

    @Test
    void everyGatewayMappingOfTheCodeBaseIsScanned() throws IOException, URISyntaxException {
        Path classes = Path.of(SettingSpecs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> mappings;
        try (Stream<Path> files = Files.walk(classes)) {
            mappings = files.map(f -> classes.relativize(f).toString()).filter(f -> f.endsWith(".class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.').replace('\\', '.'))
                    .<Class<?>>map(SettingSpecsTest::load)
                    .filter(c -> c.isAnnotationPresent(ConfigMapping.class) && c.getAnnotation(ConfigMapping.class).prefix().startsWith("gateway."))
                    .toList();
        }
        assertThat(mappings).hasSizeGreaterThan(10);
        assertThat(SettingSpecs.MAPPINGS).as("SettingSpecs' @RegisterForReflection targets").containsExactlyInAnyOrderElementsOf(mappings);
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, SettingSpecsTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException(name, e);
        }
    }
}
