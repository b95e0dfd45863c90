package io.realtimegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import io.realtimegateway.config.Environment;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.testing.Environments;

/**
 * Caller JWT verification rules, with tokens built by jose4j's own JWS API (not the gateway's nor smallrye's
 * builder): lifetime, clock skew, iat, the HS256 floor in code, and the prod requirements in the report.
 */
class CallerJwtTest {

    private static final Environment PROD = Environments.PROD;
    private static final Environment DEV = Environments.DEV;
    private static final String ISSUER = AuthProfiles.JWT_ISSUER;
    private static final String AUDIENCE = AuthProfiles.JWT_AUDIENCE;

    private static AuthConfig jwtConfig(String... more) {
        String[] base = {"gateway.auth.mode", "jwt", "gateway.auth.jwt.secret", AuthProfiles.JWT_SECRET, "gateway.auth.jwt.issuer", ISSUER,
                "gateway.auth.jwt.audience", AUDIENCE};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return AuthUnitTest.config(all);
    }

    /** A caller JWT signed with {@code secret}: sub alice, the profile's iss and aud, iat now, exp in 10 minutes; then {@code edit}. */
    private static String token(String secret, Consumer<JwtClaims> edit) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("alice");
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        edit.accept(claims);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(new HmacKey(secret.getBytes(StandardCharsets.UTF_8)));
        jws.setDoKeyValidation(false); // short secrets too: the gateway must refuse them itself
        return jws.getCompactSerialization();
    }

    private static NumericDate inSeconds(long seconds) {
        return NumericDate.fromSeconds(NumericDate.now().getValue() + seconds);
    }

    private static void refused(CallerAuthenticator authenticator, String jwt) {
        assertThatThrownBy(() -> authenticator.authenticate(Credentials.parse("Bearer " + jwt))).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(401));
    }

    @Test
    void aWellFormedTokenIsAccepted() throws Exception {
        assertThat(new CallerAuthenticator(jwtConfig()).authenticate(Credentials.parse("Bearer " + token(AuthProfiles.JWT_SECRET, c -> { }))))
                .extracting(Caller::id).isEqualTo("alice");
    }

    /** The subject becomes the identity of tokens, tickets and log lines: CR/LF in it would forge log lines. */
    @Test
    void aSubjectWithControlCharactersIsRefused() throws Exception {
        CallerAuthenticator authenticator = new CallerAuthenticator(jwtConfig());
        for (String subject : List.of("alice\r\n2026-01-01 INFO [io.realtimegateway] forged", "alice\n", "alice\u2028forged", "al\u0000ice")) {
            assertThatThrownBy(() -> authenticator.authenticate(Credentials.parse("Bearer " + token(AuthProfiles.JWT_SECRET, c -> c.setSubject(subject)))))
                    .isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(401))
                    .hasMessageContaining("control characters");
        }
        assertThat(authenticator.authenticate(Credentials.parse("Bearer " + token(AuthProfiles.JWT_SECRET, c -> c.setSubject("alice smith (ops) \u00E9"))))
                .id()).isEqualTo("alice smith (ops) \u00E9");
    }

    @Test
    void lifetimeIsBounded() throws Exception {
        CallerAuthenticator authenticator = new CallerAuthenticator(jwtConfig("gateway.auth.jwt.max-lifetime", "1h"));
        assertThat(authenticator.authenticate(Credentials.parse("Bearer " + token(AuthProfiles.JWT_SECRET, c -> c.setExpirationTime(inSeconds(3500)))))).isNotNull();
        refused(authenticator, token(AuthProfiles.JWT_SECRET, c -> c.setExpirationTime(inSeconds(3700))));
        // issued long ago, still unexpired: its lifetime is over the bound too
        refused(authenticator, token(AuthProfiles.JWT_SECRET, c -> {
            c.setIssuedAt(inSeconds(-7200));
            c.setExpirationTime(inSeconds(60));
        }));
        // the default is 24 h
        CallerAuthenticator defaults = new CallerAuthenticator(jwtConfig());
        refused(defaults, token(AuthProfiles.JWT_SECRET, c -> c.setExpirationTime(inSeconds(25 * 3600))));
        assertThat(defaults.authenticate(Credentials.parse("Bearer " + token(AuthProfiles.JWT_SECRET, c -> c.setExpirationTime(inSeconds(23 * 3600)))))).isNotNull();
    }

    @Test
    void issuedAtIsRequiredAndNotInTheFuture() throws Exception {
        CallerAuthenticator authenticator = new CallerAuthenticator(jwtConfig()); // clock skew 30 s
        refused(authenticator, token(AuthProfiles.JWT_SECRET, c -> c.unsetClaim("iat")));
        refused(authenticator, token(AuthProfiles.JWT_SECRET, c -> c.setIssuedAt(inSeconds(120))));
        assertThat(authenticator.authenticate(Credentials.parse("Bearer " + token(AuthProfiles.JWT_SECRET, c -> c.setIssuedAt(inSeconds(10)))))).isNotNull();
    }

    @Test
    void clockSkewIsCappedAtFiveMinutesAndALargerOneFailsTheReport() throws Exception {
        AuthConfig wide = jwtConfig("gateway.auth.jwt.clock-skew", "1h");
        CallerAuthenticator authenticator = new CallerAuthenticator(wide);
        // expired 10 minutes ago: a 1 h skew would accept it, the 5 minute cap does not
        refused(authenticator, token(AuthProfiles.JWT_SECRET, c -> {
            c.setIssuedAt(inSeconds(-1200));
            c.setExpirationTime(inSeconds(-600));
        }));
        assertThat(authenticator.authenticate(Credentials.parse("Bearer " + token(AuthProfiles.JWT_SECRET, c -> {
            c.setIssuedAt(inSeconds(-1200));
            c.setExpirationTime(inSeconds(-120));
        })))).isNotNull();
        CheckResult limits = result(AuthPreflightCheck.evaluate(wide, PROD), AuthPreflightCheck.JWT_LIMITS);
        assertThat(limits.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(limits.message()).contains("3600 s", "300 s");
        assertThat(result(AuthPreflightCheck.evaluate(jwtConfig("gateway.auth.jwt.clock-skew", "5m"), PROD), AuthPreflightCheck.JWT_LIMITS).status())
                .isEqualTo(CheckStatus.OK);
    }

    @Test
    void aShortHs256SecretVerifiesNothingEvenWhenTheReportIsNotEnforced() throws Exception {
        String weak = "short-secret";
        CallerAuthenticator authenticator = new CallerAuthenticator(jwtConfig("gateway.auth.jwt.secret", weak));
        refused(authenticator, token(weak, c -> { }));
        assertThat(result(AuthPreflightCheck.evaluate(jwtConfig("gateway.auth.jwt.secret", weak), DEV), AuthPreflightCheck.JWT_KEY).status())
                .isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void prodRequiresAnAudienceAndAnIssuer() {
        AuthConfig bare = AuthUnitTest.config("gateway.auth.mode", "jwt", "gateway.auth.jwt.secret", AuthProfiles.JWT_SECRET);
        List<CheckResult> prod = AuthPreflightCheck.evaluate(bare, PROD);
        assertThat(result(prod, AuthPreflightCheck.JWT_AUDIENCE).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result(prod, AuthPreflightCheck.JWT_AUDIENCE).fix()).contains("GATEWAY_AUTH_JWT_AUDIENCE");
        assertThat(result(prod, AuthPreflightCheck.JWT_ISSUER).status()).isEqualTo(CheckStatus.FAIL);
        List<CheckResult> dev = AuthPreflightCheck.evaluate(bare, DEV);
        assertThat(result(dev, AuthPreflightCheck.JWT_AUDIENCE).status()).isEqualTo(CheckStatus.WARN);
        assertThat(result(AuthPreflightCheck.evaluate(jwtConfig(), PROD), AuthPreflightCheck.JWT_AUDIENCE).status()).isEqualTo(CheckStatus.OK);
        assertThat(result(AuthPreflightCheck.evaluate(jwtConfig(), PROD), AuthPreflightCheck.JWT_ISSUER).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void audienceAndIssuerAreChecked() throws Exception {
        CallerAuthenticator authenticator = new CallerAuthenticator(jwtConfig());
        refused(authenticator, token(AuthProfiles.JWT_SECRET, c -> c.setAudience("another-service")));
        refused(authenticator, token(AuthProfiles.JWT_SECRET, c -> c.setIssuer("https://evil.example.test")));
    }

    private static CheckResult result(List<CheckResult> results, String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }
}
