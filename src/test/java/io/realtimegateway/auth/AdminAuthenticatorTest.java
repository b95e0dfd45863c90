package io.realtimegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.testing.Environments;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Admin access to the diagnostics: who gets in, and which status everyone else gets, in prod and outside it. */
class AdminAuthenticatorTest {

    private static final String ADMIN_KEY = "admin-key-" + "0123456789abcdefghijklmnopqrstuv";
    private static final String CALLER_KEY = "caller-key-" + "0123456789abcdefghijklmnopqrstuv";

    private static AdminConfig admin(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return new SmallRyeConfigBuilder().withMapping(AdminConfig.class)
                .withSources(new PropertiesConfigSource(map, "test", 500)).build().getConfigMapping(AdminConfig.class);
    }

    private static AdminAuthenticator authenticator(boolean prod, String... adminKeys) {
        CallerAuthenticator callers = new CallerAuthenticator(AuthUnitTest.config("gateway.auth.mode", "api-key", "gateway.auth.api-keys", CALLER_KEY));
        AdminConfig config = adminKeys.length == 0 ? admin() : admin("gateway.admin.api-keys", String.join(",", adminKeys));
        return new AdminAuthenticator(config, callers, prod ? Environments.PROD : Environments.DEV);
    }

    private static int status(AdminAuthenticator authenticator, String authorization) {
        try {
            return authenticator.authenticate(Credentials.parse(authorization)).admin() ? 200 : 403;
        } catch (ProblemException e) {
            return e.status();
        }
    }

    @Test
    void prodWithoutAdminKeysHidesTheEndpointFromEveryone() {
        AdminAuthenticator prod = authenticator(true);
        assertThat(status(prod, "Bearer " + CALLER_KEY)).isEqualTo(404);
        assertThat(status(prod, null)).isEqualTo(404);
    }

    @Test
    void prodAdmitsOnlyAnAdminKey() {
        AdminAuthenticator prod = authenticator(true, "other-admin-" + "0123456789abcdefghijklmnopqrstuv", ADMIN_KEY);
        Caller admin = prod.authenticate(Credentials.parse("Bearer " + ADMIN_KEY)).caller();
        assertThat(admin.id()).startsWith("admin:").doesNotContain(ADMIN_KEY);
        assertThat(status(prod, "Bearer " + CALLER_KEY)).as("a token caller").isEqualTo(403);
        assertThat(status(prod, null)).as("no credential").isEqualTo(401);
        assertThat(status(prod, "Bearer wrong-" + ADMIN_KEY)).as("an unknown key").isEqualTo(401);
        assertThat(status(prod, "Basic " + ADMIN_KEY)).as("another scheme").isEqualTo(401);
        assertThat(prod.authenticate(Credentials.parse("Bearer " + CALLER_KEY)).caller().id()).doesNotContain(CALLER_KEY);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theKeyMayBeTheBasicPasswordSoThatABrowserCanPromptForIt() {
        AdminAuthenticator prod = authenticator(true, ADMIN_KEY);
        assertThat(prod.authenticate(Credentials.parse(basic("anyone", ADMIN_KEY))).caller().id()).startsWith("admin:");
        assertThat(prod.authenticate(Credentials.parse("basic " + basic("", ADMIN_KEY).substring(6))).caller().id()).as("scheme case, empty user").startsWith("admin:");
        assertThat(status(prod, basic("admin", "wrong-" + ADMIN_KEY))).isEqualTo(401);
        assertThat(status(prod, basic("admin", CALLER_KEY))).as("a token caller's key as password").isEqualTo(403);
        assertThat(status(prod, basic("admin", ""))).isEqualTo(401);
        assertThat(status(prod, "Basic " + Base64.getEncoder().encodeToString(ADMIN_KEY.getBytes(StandardCharsets.UTF_8))))
                .as("no colon").isEqualTo(401);
        assertThat(status(prod, "Basic %%%")).isEqualTo(401);
        assertThat(status(prod, ADMIN_KEY)).as("no scheme").isEqualTo(401);
        assertThatThrownBy(() -> prod.authenticate(Credentials.parse(basic("admin", "wrong-" + CALLER_KEY)))).hasMessageNotContaining(CALLER_KEY);
        assertThat(authenticator(false).authenticate(Credentials.parse(basic("x", CALLER_KEY))).caller().id()).as("outside prod, a caller key too").startsWith("api-key:");
    }

    @Test
    void outsideProdTokenCallersStillGetIn() {
        AdminAuthenticator dev = authenticator(false);
        assertThat(dev.authenticate(Credentials.parse("Bearer " + CALLER_KEY)).caller().id()).startsWith("api-key:");
        assertThat(status(dev, null)).as("the caller auth still applies").isEqualTo(401);
        AdminAuthenticator devWithAdmin = authenticator(false, ADMIN_KEY);
        assertThat(devWithAdmin.authenticate(Credentials.parse("Bearer " + ADMIN_KEY)).caller().id()).startsWith("admin:");
        assertThat(devWithAdmin.authenticate(Credentials.parse("Bearer " + CALLER_KEY)).caller().id()).startsWith("api-key:");
    }

    @Test
    void adminKeysCheckLintsWarnsAndRefusesSharedKeys() {
        assertThat(AdminKeysCheck.evaluate(List.of(), List.of(CALLER_KEY), true).status()).isEqualTo(CheckStatus.WARN);
        assertThat(AdminKeysCheck.evaluate(List.of(), List.of(CALLER_KEY), true).message()).contains("answers 404");
        assertThat(AdminKeysCheck.evaluate(List.of(), List.of(CALLER_KEY), false).status()).isEqualTo(CheckStatus.OK);
        assertThat(AdminKeysCheck.evaluate(List.of("short"), List.of(), true).status()).isEqualTo(CheckStatus.FAIL);
        CheckResult placeholder = AdminKeysCheck.evaluate(List.of("<paste the output of openssl rand -base64 32>"), List.of(CALLER_KEY), true);
        assertThat(placeholder.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(placeholder.message()).contains("key #1").contains("is public: a placeholder");
        assertThat(AdminKeysCheck.evaluate(List.of("\"" + ADMIN_KEY + "\""), List.of(), true).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(AdminKeysCheck.evaluate(List.of(CALLER_KEY), List.of(CALLER_KEY), true).message()).contains("share").doesNotContain(CALLER_KEY);
        assertThat(AdminKeysCheck.evaluate(List.of(ADMIN_KEY), List.of(CALLER_KEY), true).status()).isEqualTo(CheckStatus.OK);
        assertThat(AdminKeysCheck.evaluate(List.of(ADMIN_KEY), List.of(CALLER_KEY), true).message()).doesNotContain(ADMIN_KEY);
    }
}
