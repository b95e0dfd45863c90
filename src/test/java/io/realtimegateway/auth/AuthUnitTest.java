package io.realtimegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.realtimegateway.config.AuthConfig;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.problem.ProblemException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/** The auth preflight rules and RS256 verification, without booting the app. */
class AuthUnitTest {

    static AuthConfig config(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return new SmallRyeConfigBuilder().withMapping(AuthConfig.class)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(map, "test", 500)).build().getConfigMapping(AuthConfig.class);
    }

    private static CheckResult result(List<CheckResult> results, String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void defaultModeIsApiKey() {
        assertThat(config().mode()).isEqualTo(AuthConfig.Mode.API_KEY);
    }

    @Test
    void modeNoneRefusesProdUnlessAnonymousIsAllowed() {
        assertThat(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "none"), true).get(0).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "none"), true).get(0).fix()).contains("GATEWAY_AUTH_ALLOW_ANONYMOUS=true");
        assertThat(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "none", "gateway.auth.allow-anonymous", "true"), true).get(0).status())
                .isEqualTo(CheckStatus.WARN);
        assertThat(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "none"), false).get(0).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void apiKeysAreRequiredLintedAndLongEnough() {
        assertThat(result(AuthPreflightCheck.evaluate(config(), true), "auth.api-keys").status()).isEqualTo(CheckStatus.FAIL);
        String shortKey = "short-key";
        CheckResult tooShort = result(AuthPreflightCheck.evaluate(config("gateway.auth.api-keys", shortKey), true), "auth.api-keys");
        assertThat(tooShort.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(tooShort.message()).contains("key #1", "shorter than 32").doesNotContain(shortKey);
        String quoted = "\"" + AuthProfiles.API_KEY_1 + "\"";
        CheckResult quotes = result(AuthPreflightCheck.evaluate(config("gateway.auth.api-keys", AuthProfiles.API_KEY_2 + "," + quoted), true),
                "auth.api-keys");
        assertThat(quotes.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(quotes.message()).contains("key #2", "quotes").doesNotContain(AuthProfiles.API_KEY_1);
        CheckResult crlf = AuthPreflightCheck.apiKeys(AuthKeys.splitKeys(AuthProfiles.API_KEY_1 + "\r\n"));
        assertThat(crlf.status()).isEqualTo(CheckStatus.FAIL);
        CheckResult ok = result(AuthPreflightCheck.evaluate(config("gateway.auth.api-keys", AuthProfiles.API_KEY_1 + ", " + AuthProfiles.API_KEY_2), true),
                "auth.api-keys");
        assertThat(ok.status()).isEqualTo(CheckStatus.OK);
        assertThat(ok.message()).contains("2 API key(s)").doesNotContain(AuthProfiles.API_KEY_1);
    }

    @Test
    void jwtModeNeedsAUsableVerificationKey() {
        assertThat(result(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "jwt"), true), "auth.jwt-key").status()).isEqualTo(CheckStatus.FAIL);
        CheckResult weak = result(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "jwt", "gateway.auth.jwt.secret", "secret"), true), "auth.jwt-key");
        assertThat(weak.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(weak.message()).doesNotContain("=secret");
        assertThat(result(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "jwt", "gateway.auth.jwt.public-key", "/no/such/file.pem"), true),
                "auth.jwt-key").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "jwt", "gateway.auth.jwt.secret", AuthProfiles.JWT_SECRET), true),
                "auth.jwt-key").status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void rs256CallerJwtsVerifyWithThePublicKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        AuthConfig rs256 = config("gateway.auth.mode", "jwt", "gateway.auth.jwt.public-key", pem);
        assertThat(result(AuthPreflightCheck.evaluate(rs256, true), "auth.jwt-key").status()).isEqualTo(CheckStatus.OK);
        CallerAuthenticator authenticator = new CallerAuthenticator(rs256);

        String jwt = Jwt.subject("dave").expiresAt(Instant.now().plusSeconds(120)).jws().algorithm(SignatureAlgorithm.RS256).sign(pair.getPrivate());
        Caller caller = authenticator.authenticate("Bearer " + jwt);
        assertThat(caller.id()).isEqualTo("dave");
        assertThat(caller.anonymous()).isFalse();
        assertThat(caller.claims()).containsEntry("sub", "dave");

        KeyPair other = generator.generateKeyPair();
        String forged = Jwt.subject("dave").expiresAt(Instant.now().plusSeconds(120)).jws().algorithm(SignatureAlgorithm.RS256).sign(other.getPrivate());
        assertThatThrownBy(() -> authenticator.authenticate("Bearer " + forged)).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(401));
        // An HS256 token "signed" with the public key must not pass (algorithm confusion).
        String confused = Jwt.subject("dave").expiresAt(Instant.now().plusSeconds(120)).signWithSecret(pem);
        assertThatThrownBy(() -> authenticator.authenticate("Bearer " + confused)).isInstanceOf(ProblemException.class);
    }
}
