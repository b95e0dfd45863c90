package io.realtimegateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.ProdEnv;

/**
 * The packaged jar with an empty or malformed {@code GATEWAY_*} variable: never a SmallRye exception or a stack
 * trace, but the report, naming the variable. {@code check} exits 3 on a malformed value (0 on an empty one, whose
 * default applies with a WARN); serving refuses to boot (exit 1) on a malformed value.
 */
class SettingsIT {

    private static ProdEnv validProd() {
        return ProdEnv.valid().relayOff();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GATEWAY_PREFLIGHT_ONLINE | yes please | is not a boolean: use true or false",
            "GATEWAY_REALTIME_ENABLED | ture | is not a boolean: use true or false",
            "GATEWAY_REALTIME_MAX_SESSIONS | -1 | is negative",
            "GATEWAY_PREFLIGHT_REFRESH | soon | is not a duration",
            "GATEWAY_AUTH_MODE | api_keys | has an entry that is not one of none, api-key, jwt" }) // a list since api-key,jwt
    void malformedValueIsANamedFail(String variable, String value, String problem) throws IOException {
        ProdEnv env = validProd();
        env = env.with(variable, value);
        GatewayProcess.Result check = GatewayProcess.run(env, Files.createTempDirectory("settings-it"), "check");
        assertThat(check.exitCode()).as(check.output()).isEqualTo(3);
        assertThat(check.stdout()).contains("FAIL config.settings").contains(variable + " " + problem)
                .contains("fix: set " + variable + " to a valid value");
        assertNoLibraryError(check, env);

        GatewayProcess.Result serve = GatewayProcess.run(env, Files.createTempDirectory("settings-it"));
        assertThat(serve.exitCode()).as(serve.output()).isEqualTo(1);
        assertThat(serve.output()).contains(variable + " " + problem).contains("Refusing to start");
        assertNoLibraryError(serve, env);
    }

    @ParameterizedTest
    @CsvSource({ "GATEWAY_PREFLIGHT_ONLINE, false", "GATEWAY_REALTIME_MAX_SESSIONS, 200", "GATEWAY_AUTH_MODE, api-key",
            "GATEWAY_PREFLIGHT_REFRESH, 30s" })
    void emptyValueMeansUnsetWithAWarning(String variable, String defaultShown) throws IOException {
        ProdEnv env = validProd();
        env = env.with(variable, "");
        if (variable.equals("GATEWAY_PREFLIGHT_ONLINE")) {
            env = env.with("LIVEKIT_URL", "ws://127.0.0.1:9"); // the default (true) runs the online check, which must then warn only
            env = env.with("GATEWAY_PREFLIGHT_UNREACHABLE", "warn");
            env = env.with("GATEWAY_PREFLIGHT_ATTEMPTS", "1");
            defaultShown = "true";
        }
        GatewayProcess.Result check = GatewayProcess.run(env, Files.createTempDirectory("settings-it"), "check");
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.stdout()).contains("WARN config.settings")
                .contains(variable + " is empty, so it counts as unset (default " + defaultShown + ")");
        assertNoLibraryError(check, env);
    }

    private static void assertNoLibraryError(GatewayProcess.Result result, ProdEnv env) {
        assertThat(result.output()).doesNotContain("SRCFG").doesNotContain("Exception").doesNotContain("\tat ");
        for (String secret : env.secrets()) {
            assertThat(result.output()).doesNotContain(secret);
        }
    }

}
