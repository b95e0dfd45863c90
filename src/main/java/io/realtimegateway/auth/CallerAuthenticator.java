package io.realtimegateway.auth;

import java.security.Key;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.credentials.SecretLint;
import io.realtimegateway.problem.ProblemException;

/**
 * Authenticates callers of the token and ticket endpoints ({@code GATEWAY_AUTH_MODE}: none, api-key or jwt, or
 * api-key,jwt where a credential's shape picks the verifier, see {@link AuthModes}). Failures are 401 problems with {@code WWW-Authenticate: Bearer}; they never quote the presented credential.
 */
@ApplicationScoped
public class CallerAuthenticator {

    private static final Logger LOG = Logger.getLogger(CallerAuthenticator.class);
    private static final String API_KEY_PREFIX = "api-key:";
    /** The largest clock skew honoured, whatever is configured: a wider one would stretch every token's life. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private final AuthConfig config;
    private final AuthModes modes;
    private final List<byte[]> apiKeyDigests;
    private final JwtConsumer jwtConsumer;
    private final long maxLifetimeSeconds;

    CallerAuthenticator(AuthConfig config) {
        this.config = config;
        this.modes = AuthModes.of(config);
        this.apiKeyDigests = modes.accepts(AuthConfig.Mode.API_KEY) ? AuthKeys.apiKeys(config).stream().map(Fingerprint::sha256).toList() : List.of();
        this.jwtConsumer = modes.accepts(AuthConfig.Mode.JWT) ? jwtConsumer(config.jwt()) : null;
        this.maxLifetimeSeconds = config.jwt().maxLifetime().toSeconds();
    }

    /** The modes ({@code GATEWAY_AUTH_MODE}, or the profile's default), e.g. for the diagnostics endpoint. */
    public AuthModes modes() {
        return modes;
    }

    /**
     * Whether {@link #authenticate} made this caller from an API key ({@link Roles#BACKEND}): {@link Caller#via()}, which
     * only the API-key path sets, so a JWT whose {@code sub} mimics an API-key caller's id is not one.
     */
    boolean apiKeyCaller(Caller caller) {
        return caller.via() == Caller.Via.API_KEY;
    }

    /** Whether JWT callers' participant identity must be their JWT subject (the diagnostics endpoint shows it). */
    public boolean identityBoundToCaller() {
        return modes.accepts(AuthConfig.Mode.JWT) && config.jwt().bindIdentity();
    }

    /** Whether this caller's participant identity must be its JWT subject: a JWT caller, when bind-identity is on. */
    public boolean identityBoundToCaller(Caller caller) {
        return caller.via() == Caller.Via.JWT && identityBoundToCaller();
    }

    /**
     * @param presented the request's credential, as {@link Credentials} parsed it (once, in {@link GatewayAuthMechanism})
     * @return the caller
     * @throws io.realtimegateway.problem.ProblemException 401 when the credentials are missing or wrong
     */
    public Caller authenticate(Credentials presented) {
        if (modes.anonymous()) {
            return Caller.ANONYMOUS;
        }
        String credential = bearer(presented);
        if (modes.both()) {
            // The shape alone decides (public, no secret involved); each verifier then refuses as in its own mode.
            return AuthModes.looksLikeJwt(credential) ? byJwt(credential) : byApiKey(credential);
        }
        return modes.accepts(AuthConfig.Mode.API_KEY) ? byApiKey(credential) : byJwt(credential);
    }

    /** The credential of an {@code Authorization: Bearer <credential>} header; 401 when it is missing or another scheme. */
    static String bearer(Credentials presented) {
        if (presented.scheme() == Credentials.Scheme.NONE) {
            throw ProblemException.unauthorized("This endpoint requires an 'Authorization: Bearer <credential>' header.", null);
        }
        if (presented.scheme() != Credentials.Scheme.BEARER) {
            throw ProblemException.unauthorized("The Authorization header must use the Bearer scheme: 'Authorization: Bearer <credential>'.",
                    "invalid_request");
        }
        return presented.secret();
    }

    private Caller byApiKey(String presented) {
        byte[] digest = Fingerprint.sha256(presented);
        if (!matchesAny(apiKeyDigests, digest)) {
            throw ProblemException.unauthorized("The bearer API key is not accepted.", "invalid_token");
        }
        return new Caller(API_KEY_PREFIX + Fingerprint.prefix(digest), Map.of(), Caller.Via.API_KEY);
    }

    /** Whether {@code presented} is one of the keys: every digest is compared, in constant time each, so no timing oracle. */
    static boolean matchesAny(List<byte[]> keyDigests, String presented) {
        return matchesAny(keyDigests, Fingerprint.sha256(presented));
    }

    private static boolean matchesAny(List<byte[]> keyDigests, byte[] digest) {
        boolean match = false;
        for (byte[] known : keyDigests) {
            match |= MessageDigest.isEqual(known, digest);
        }
        return match;
    }

    private Caller byJwt(String presented) {
        if (jwtConsumer == null) {
            throw ProblemException.unauthorized("Caller JWTs cannot be verified: no verification key is configured.", "invalid_token");
        }
        try {
            JwtClaims claims = jwtConsumer.processToClaims(presented);
            // exp and iat are required, so the lifetime is known; a token meant to live longer is refused however young.
            if (claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue() > maxLifetimeSeconds) {
                LOG.debugf("Caller JWT rejected (lifetime over %d s)", maxLifetimeSeconds);
                throw ProblemException.unauthorized("The bearer JWT lives longer than this gateway accepts; use a shorter-lived token.",
                        "invalid_token");
            }
            if (Identities.hasControlCharacter(claims.getSubject())) {
                // The subject becomes the identity in tokens, tickets and log lines: a CR/LF in it would forge log lines.
                LOG.debugf("Caller JWT rejected (control characters in sub)");
                throw ProblemException.unauthorized("The bearer JWT's sub contains control characters (CR, LF, tab); "
                        + "an identity must be printable.", "invalid_token");
            }
            return new Caller(claims.getSubject(), claims.getClaimsMap());
        } catch (InvalidJwtException | MalformedClaimException e) {
            // jose4j's messages quote the token's claims; log the kind of failure only.
            LOG.debugf("Caller JWT rejected (%s)", e.getClass().getSimpleName());
            throw ProblemException.unauthorized("The bearer JWT is not valid (signature, issuer, audience or lifetime).", "invalid_token");
        }
    }

    private static JwtConsumer jwtConsumer(AuthConfig.Jwt jwt) {
        Key key;
        String algorithm;
        try {
            if (jwt.secret().isPresent()) {
                if (SecretLint.secretProblem(jwt.secret().get()).isPresent()) {
                    // Enforced here too, not only in the report: with enforce=false a weak secret must not verify anything.
                    LOG.errorf("Caller JWTs cannot be verified: GATEWAY_AUTH_JWT_SECRET is unusable (see the auth.jwt-key check)");
                    return null;
                }
                key = AuthKeys.hmacKey(jwt.secret().get());
                algorithm = "HS256";
            } else if (jwt.publicKey().isPresent()) {
                key = AuthKeys.rsaPublicKey(jwt.publicKey().get());
                algorithm = "RS256";
            } else {
                return null; // reported by the auth.jwt-key preflight check
            }
        } catch (IllegalArgumentException e) {
            return null; // reported by the auth.jwt-key preflight check
        }
        int skew = (int) Math.min(jwt.clockSkew().toSeconds(), MAX_CLOCK_SKEW.toSeconds());
        int maxLifetime = (int) Math.min(Integer.MAX_VALUE, jwt.maxLifetime().toSeconds());
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setRequireSubject()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                // iat in the future is refused, and so is one older than the longest lifetime (jose4j adds the skew to both)
                .setIssuedAtRestrictions(0, maxLifetime)
                .setAllowedClockSkewInSeconds(skew)
                .setVerificationKey(key)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, algorithm);
        if ("HS256".equals(algorithm)) {
            // jose4j wants 256-bit HMAC keys in bytes; the gateway's floor (checked above) is 32 characters.
            builder.setRelaxVerificationKeyValidation();
        }
        jwt.issuer().ifPresent(builder::setExpectedIssuer);
        if (jwt.audience().isPresent()) {
            builder.setExpectedAudience(jwt.audience().get());
        } else {
            builder.setSkipDefaultAudienceValidation();
        }
        return builder.build();
    }
}
