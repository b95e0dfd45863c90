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

import io.realtimegateway.config.Environment;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.testing.Environments;
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

    private static final Environment PROD = Environments.PROD;
    private static final Environment DEV = Environments.DEV;

    @Test
    void defaultModeIsApiKey() {
        // The dev and test profiles set none (application.properties): EnvironmentTest.devAndTestProfilesTakeTheShortcuts.
        assertThat(config().mode()).containsExactly(AuthConfig.Mode.API_KEY);
        assertThat(config("gateway.auth.mode", "jwt").mode()).containsExactly(AuthConfig.Mode.JWT);
    }

    @Test
    void modeNoneIsAnonymousInDevAndApiKeyRefusesNoCredential() {
        AuthConfig none = config("gateway.auth.mode", "none");
        assertThat(AuthPreflightCheck.evaluate(none, DEV)).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(CheckStatus.OK)).satisfies(r -> assertThat(r.message()).startsWith("none"));
        assertThat(new CallerAuthenticator(none).authenticate(Credentials.parse(null))).isEqualTo(Caller.ANONYMOUS);
        assertThat(result(AuthPreflightCheck.evaluate(config(), PROD), "auth.mode").message()).startsWith("api-key");
        assertThatThrownBy(() -> new CallerAuthenticator(config()).authenticate(Credentials.parse(null))).isInstanceOf(ProblemException.class);
    }

    @Test
    void apiKeyAndJwtTogetherRouteACredentialByItsShapeAndCheckBothHalves() {
        AuthConfig both = config("gateway.auth.mode", "api-key,jwt", "gateway.auth.api-keys", AuthProfiles.API_KEY_1,
                "gateway.auth.jwt.secret", AuthProfiles.JWT_SECRET, "gateway.auth.jwt.issuer", AuthProfiles.JWT_ISSUER,
                "gateway.auth.jwt.audience", AuthProfiles.JWT_AUDIENCE);
        assertThat(both.mode()).containsExactly(AuthConfig.Mode.API_KEY, AuthConfig.Mode.JWT);
        List<CheckResult> checks = AuthPreflightCheck.evaluate(both, PROD);
        assertThat(checks).extracting(CheckResult::name).contains("auth.mode", "auth.api-keys", "auth.jwt-key", "auth.jwt-audience", "auth.jwt-issuer");
        assertThat(checks).allSatisfy(r -> assertThat(r.status()).as(r.name()).isEqualTo(CheckStatus.OK));
        CallerAuthenticator authenticator = new CallerAuthenticator(both);
        assertThat(authenticator.authenticate(Credentials.parse("Bearer " + AuthProfiles.API_KEY_1)).via()).isEqualTo(Caller.Via.API_KEY);
        String jwt = JwtAuthTest.callerJwt("alice", AuthProfiles.JWT_ISSUER, AuthProfiles.JWT_AUDIENCE, AuthProfiles.JWT_SECRET, Instant.now().plusSeconds(60));
        Caller user = authenticator.authenticate(Credentials.parse("Bearer " + jwt));
        assertThat(user.via()).isEqualTo(Caller.Via.JWT);
        assertThat(user.id()).isEqualTo("alice");
        assertThat(authenticator.identityBoundToCaller(user)).isTrue();
        assertThat(authenticator.identityBoundToCaller(new Caller("api-key:x", Map.of(), Caller.Via.API_KEY))).isFalse();
        // One half misconfigured is that half's FAIL.
        assertThat(result(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "jwt, api-key", "gateway.auth.api-keys", AuthProfiles.API_KEY_1),
                PROD), "auth.jwt-key").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "api-key,jwt", "gateway.auth.jwt.secret", AuthProfiles.JWT_SECRET),
                PROD), "auth.api-keys").status()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void aJwtShapedCredentialIsNeverTriedAsAnApiKey() {
        assertThat(AuthModes.looksLikeJwt("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln")).isTrue();
        assertThat(AuthModes.looksLikeJwt(AuthProfiles.API_KEY_1)).isFalse();
        assertThat(AuthModes.looksLikeJwt("a.b")).isFalse();
        assertThat(AuthModes.looksLikeJwt("a..c")).isFalse();
        assertThat(AuthModes.looksLikeJwt("a.b.c=")).isFalse();
        // So a key of that shape could never match: the check says so.
        String jwtShapedKey = "abcdefghijklmnop.qrstuvwxyz012345.6789ABCDEFGH";
        CheckResult keys = result(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "api-key,jwt", "gateway.auth.api-keys", jwtShapedKey,
                "gateway.auth.jwt.secret", AuthProfiles.JWT_SECRET), PROD), "auth.api-keys");
        assertThat(keys.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(keys.message()).contains("look like a JWT").doesNotContain(jwtShapedKey);
        assertThat(result(AuthPreflightCheck.evaluate(config("gateway.auth.api-keys", jwtShapedKey), PROD), "auth.api-keys").status())
                .as("in api-key mode alone the shape does not matter").isEqualTo(CheckStatus.OK);
    }

    @Test
    void noneCombinedWithAnotherModeIsANamedFailAndNeverOpen() {
        AuthConfig mixed = config("gateway.auth.mode", "none,jwt", "gateway.auth.jwt.secret", AuthProfiles.JWT_SECRET);
        List<CheckResult> checks = AuthPreflightCheck.evaluate(mixed, DEV);
        assertThat(result(checks, "auth.mode").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result(checks, "auth.mode").message()).contains("combines none");
        assertThatThrownBy(() -> new CallerAuthenticator(mixed).authenticate(Credentials.parse(null))).isInstanceOf(ProblemException.class);
    }

    @Test
    void modeNoneRefusesProdUnlessAnonymousIsAllowed() {
        assertThat(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "none"), PROD).get(0).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "none"), PROD).get(0).fix()).contains("GATEWAY_AUTH_ALLOW_ANONYMOUS=true");
        assertThat(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "none", "gateway.auth.allow-anonymous", "true"), PROD).get(0).status())
                .isEqualTo(CheckStatus.WARN);
        assertThat(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "none"), DEV).get(0).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void apiKeysAreRequiredLintedAndLongEnough() {
        assertThat(result(AuthPreflightCheck.evaluate(config(), PROD), "auth.api-keys").status()).isEqualTo(CheckStatus.FAIL);
        String shortKey = "short-key";
        CheckResult tooShort = result(AuthPreflightCheck.evaluate(config("gateway.auth.api-keys", shortKey), PROD), "auth.api-keys");
        assertThat(tooShort.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(tooShort.message()).contains("key #1", "9 characters", "floor of 32").doesNotContain(shortKey);
        String quoted = "\"" + AuthProfiles.API_KEY_1 + "\"";
        CheckResult quotes = result(AuthPreflightCheck.evaluate(config("gateway.auth.api-keys", AuthProfiles.API_KEY_2 + "," + quoted), PROD),
                "auth.api-keys");
        assertThat(quotes.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(quotes.message()).contains("key #2", "quotes").doesNotContain(AuthProfiles.API_KEY_1);
        CheckResult crlf = AuthPreflightCheck.apiKeys(AuthKeys.splitKeys(AuthProfiles.API_KEY_1 + "\r\n"));
        assertThat(crlf.status()).isEqualTo(CheckStatus.FAIL);
        CheckResult ok = result(AuthPreflightCheck.evaluate(config("gateway.auth.api-keys", AuthProfiles.API_KEY_1 + ", " + AuthProfiles.API_KEY_2), PROD),
                "auth.api-keys");
        assertThat(ok.status()).isEqualTo(CheckStatus.OK);
        assertThat(ok.message()).contains("2 API key(s)").doesNotContain(AuthProfiles.API_KEY_1);
    }

    @Test
    void publicKeysAndJwtSecretsAreRefusedWithTheCommandForARealOne() {
        CheckResult keys = result(AuthPreflightCheck.evaluate(config("gateway.auth.api-keys", AuthProfiles.API_KEY_1 + ",your_api_key_here"), PROD),
                "auth.api-keys");
        assertThat(keys.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(keys.message()).contains("key #2").contains("is public: a placeholder").doesNotContain("your_api_key_here");
        assertThat(keys.fix()).contains("openssl rand -base64 32");
        String published = "exampleSecretChangeMe0123456789abcdefGHIJ";
        CheckResult jwt = result(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "jwt", "gateway.auth.jwt.secret", published), PROD),
                "auth.jwt-key");
        assertThat(jwt.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(jwt.message()).contains("is public").doesNotContain(published);
        assertThat(jwt.fix()).contains("openssl rand -base64 32");
    }

    @Test
    void jwtModeNeedsAUsableVerificationKey() {
        assertThat(result(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "jwt"), PROD), "auth.jwt-key").status()).isEqualTo(CheckStatus.FAIL);
        CheckResult weak = result(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "jwt", "gateway.auth.jwt.secret", "secret"), PROD), "auth.jwt-key");
        assertThat(weak.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(weak.message()).doesNotContain("=secret");
        assertThat(result(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "jwt", "gateway.auth.jwt.public-key", "/no/such/file.pem"), PROD),
                "auth.jwt-key").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result(AuthPreflightCheck.evaluate(config("gateway.auth.mode", "jwt", "gateway.auth.jwt.secret", AuthProfiles.JWT_SECRET), PROD),
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
        assertThat(result(AuthPreflightCheck.evaluate(rs256, PROD), "auth.jwt-key").status()).isEqualTo(CheckStatus.OK);
        CallerAuthenticator authenticator = new CallerAuthenticator(rs256);

        String jwt = Jwt.subject("dave").expiresAt(Instant.now().plusSeconds(120)).jws().algorithm(SignatureAlgorithm.RS256).sign(pair.getPrivate());
        Caller caller = authenticator.authenticate(Credentials.parse("Bearer " + jwt));
        assertThat(caller.id()).isEqualTo("dave");
        assertThat(caller.claims()).containsEntry("sub", "dave");

        KeyPair other = generator.generateKeyPair();
        String forged = Jwt.subject("dave").expiresAt(Instant.now().plusSeconds(120)).jws().algorithm(SignatureAlgorithm.RS256).sign(other.getPrivate());
        assertThatThrownBy(() -> authenticator.authenticate(Credentials.parse("Bearer " + forged))).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(401));
        // An HS256 token "signed" with the public key must not pass (algorithm confusion).
        String confused = Jwt.subject("dave").expiresAt(Instant.now().plusSeconds(120)).signWithSecret(pem);
        assertThatThrownBy(() -> authenticator.authenticate(Credentials.parse("Bearer " + confused))).isInstanceOf(ProblemException.class);
    }
}
