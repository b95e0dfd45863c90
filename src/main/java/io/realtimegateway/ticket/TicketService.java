package io.realtimegateway.ticket;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

import io.realtimegateway.config.Environment;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.state.Claim;
import io.realtimegateway.state.StateStore;
import io.realtimegateway.state.StateUnavailableException;
import io.realtimegateway.state.TicketHolder;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.mutiny.Uni;

/**
 * Issues and redeems relay tickets: {@code ek_} + an HS256 JWT (smallrye-jwt-build) carrying the caller id, the
 * model and the session type, which bind the session it opens. Tickets are short-lived and single-use: a redeemed id
 * is claimed in the {@link StateStore} (shared by every replica in redis mode) until the ticket would have expired.
 * An API-key caller's reusable ticket also carries its conversation {@code identity} and {@code reu: true}; it lives up
 * to {@code reusable-ticket-max-age} and is redeemed by taking its session slot instead of a claim.
 */
@ApplicationScoped
public class TicketService {

    static final String PREFIX = "ek_";
    private static final String ISSUER = "realtime-gateway";
    private static final String AUDIENCE = "realtime-relay";
    private static final String MODEL_CLAIM = "mdl";
    /** Claims outlive the ticket by this much: a replica whose clock lags would still accept it that long. */
    static final Duration CLOCK_SKEW_MARGIN = Duration.ofSeconds(60);
    private static final String TYPE_CLAIM = "sty";
    /** The conversation identity an API-key caller named (absent when none). */
    private static final String IDENTITY_CLAIM = "idn";
    /** {@code true} on a reusable ticket (absent on single-use ones, so their format is unchanged). */
    private static final String REUSABLE_CLAIM = "reu";
    private static final Logger LOG = Logger.getLogger(TicketService.class);

    private final RealtimeConfig config;
    private final SecretKey key;
    private final JwtConsumer consumer;
    private final StateStore state;
    private final Event<TicketRevoked> revoked;

    TicketService(RealtimeConfig config, Environment environment, StateStore state, Event<TicketRevoked> revoked) {
        this.config = config;
        this.state = state;
        this.revoked = revoked;
        Optional<String> configured = config.ticketSecret().filter(s -> !s.isEmpty());
        String secret = configured.orElseGet(TicketService::generatedSecret);
        if (configured.isEmpty()) {
            // Outside prod this is the intended shortcut; in prod the realtime.ticket-secret check FAILs, and only a
            // preflight that is not enforced gets this far.
            LOG.logf(!environment.isProd() ? Logger.Level.INFO : Logger.Level.WARN,
                    "Relay tickets are signed with a secret generated at boot (%s): tickets do not survive a restart"
                            + " or work across replicas; set GATEWAY_REALTIME_TICKET_SECRET to share one", Fingerprint.of(secret));
        }
        this.key = key(secret);
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(0)
                .setExpectedIssuer(ISSUER)
                .setExpectedAudience(AUDIENCE)
                .setVerificationKey(key)
                .setRelaxVerificationKeyValidation()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256)
                .build();
    }

    /** A new ticket for the caller; the string is a bearer credential, never log it. Public for the console's try-it panel. */
    public IssuedTicket issue(String callerId, String model, Ticket.Type type) {
        return issue(callerId, model, type, null, false);
    }

    /**
     * A new ticket for the caller, naming {@code identity} (null: the caller's own); a reusable one lives up to
     * {@code reusable-ticket-max-age}, a single-use one {@code ticket-ttl}. The string is a bearer credential, never log it.
     */
    public IssuedTicket issue(String callerId, String model, Ticket.Type type, String identity, boolean reusable) {
        Instant now = Instant.now();
        long expiresAt = now.plus(reusable ? config.reusableTicketMaxAge() : config.ticketTtl()).getEpochSecond();
        String id = UUID.randomUUID().toString();
        return new IssuedTicket(sign(key, id, callerId, model, type, identity, reusable, now, expiresAt), expiresAt, id);
    }

    /** A single-use ticket without an identity, in the one format (for the tests' {@code TestTickets}). */
    static String sign(SecretKey key, String callerId, String model, Ticket.Type type, Instant issuedAt, long expiresAt) {
        return sign(key, UUID.randomUUID().toString(), callerId, model, type, null, false, issuedAt, expiresAt);
    }

    /** The one ticket format (the tests' {@code TestTickets} signs with it too, so its tickets cannot drift from it). */
    static String sign(SecretKey key, String id, String callerId, String model, Ticket.Type type, String identity, boolean reusable,
            Instant issuedAt, long expiresAt) {
        var claims = Jwt.claims()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(callerId)
                .claim("jti", id)
                .claim(MODEL_CLAIM, model)
                .claim(TYPE_CLAIM, type.wire());
        if (identity != null) {
            claims.claim(IDENTITY_CLAIM, identity);
        }
        if (reusable) {
            claims.claim(REUSABLE_CLAIM, true);
        }
        return PREFIX + claims
                .issuedAt(issuedAt)
                .expiresAt(expiresAt)
                .jws().algorithm(SignatureAlgorithm.HS256)
                .sign(key);
    }

    static SecretKey key(String secret) {
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * Verifies the ticket and claims its id. The result fails with {@link TicketRejectedException} when the ticket
     * is missing, forged, expired or already used, or when the state store cannot tell (fail closed).
     */
    public Uni<Ticket> redeem(String value) {
        Ticket ticket;
        try {
            ticket = verify(value);
        } catch (TicketRejectedException e) {
            return Uni.createFrom().failure(e);
        }
        return claim(ticket);
    }

    /**
     * Claims the id of a ticket {@link #verify} returned: the single-use part of {@link #redeem}, for admission, which
     * verifies first and claims only after the refusals that must not spend the ticket.
     */
    public Uni<Ticket> claim(Ticket ticket) {
        Duration ttl = Duration.ofSeconds(Math.max(0, ticket.expiresAt() - Instant.now().getEpochSecond())).plus(CLOCK_SKEW_MARGIN);
        return state.claimOnce(ticket.id(), ttl)
                .onFailure(StateUnavailableException.class).transform(e -> {
                    LOG.warnf("Ticket redemption refused: %s", e.getMessage());
                    return new TicketRejectedException(TicketRejectedException.Reason.STATE_UNAVAILABLE,
                            "the gateway cannot check tickets right now (state store unavailable); try again shortly");
                })
                .onItem().transformToUni(claim -> switch (claim) {
                    case CLAIMED -> Uni.createFrom().item(ticket);
                    case ALREADY_CLAIMED -> Uni.createFrom().failure(new TicketRejectedException(TicketRejectedException.Reason.REPLAYED,
                            "ticket already used: tickets are single-use"));
                    case MEMORY_FULL -> Uni.createFrom().failure(new TicketRejectedException(TicketRejectedException.Reason.MEMORY_FULL,
                            "too many tickets redeemed recently; try again shortly"));
                });
    }

    /**
     * Redeems a reusable ticket ({@link Ticket#reusable()}): no single-use claim, but its one live-session slot, taken
     * for a new holder (the session about to open), which replaces any session that held it. Fails with
     * {@link TicketRejectedException} when the ticket was revoked, has been idle (no live session) for
     * {@code reusable-ticket-idle}, or the state store cannot tell (fail closed).
     */
    public Uni<TicketHolder> take(Ticket ticket) {
        TicketHolder holder = new TicketHolder(ticket.id(), UUID.randomUUID().toString());
        Duration idle = config.reusableTicketIdle();
        return state.takeTicket(holder, ticket.issuedAt() * 1000, idle)
                .onFailure(StateUnavailableException.class).transform(e -> {
                    LOG.warnf("Ticket redemption refused: %s", e.getMessage());
                    return new TicketRejectedException(TicketRejectedException.Reason.STATE_UNAVAILABLE,
                            "the gateway cannot check tickets right now (state store unavailable); try again shortly");
                })
                .onItem().transformToUni(take -> switch (take) {
                    case TAKEN -> Uni.createFrom().item(holder);
                    case REVOKED -> Uni.createFrom().failure(new TicketRejectedException(TicketRejectedException.Reason.REVOKED,
                            "ticket revoked: fetch a new one"));
                    case IDLE_EXPIRED -> Uni.createFrom().failure(new TicketRejectedException(TicketRejectedException.Reason.EXPIRED,
                            "ticket expired: no session used it for " + idle.toSeconds() + " s; fetch a new one"));
                    case MEMORY_FULL -> Uni.createFrom().failure(new TicketRejectedException(TicketRejectedException.Reason.MEMORY_FULL,
                            "too many reusable tickets in use; try again shortly"));
                });
    }

    /**
     * Revokes a reusable ticket by id, in the state store (every replica sees it: its next redemption is refused, and
     * its live session ends at its holder's next renewal), and tells this replica's relay at once ({@link TicketRevoked}).
     * Fails with {@link StateUnavailableException} when the store cannot keep it.
     */
    public Uni<Void> revoke(String ticketId) {
        // As long as any ticket may live: a revocation must outlive the ticket it names.
        return state.revokeTicket(ticketId, config.reusableTicketMaxAge().plus(CLOCK_SKEW_MARGIN))
                .invoke(() -> revoked.fire(new TicketRevoked(ticketId)));
    }

    /**
     * Verifies the ticket without claiming it (it stays redeemable): to learn who holds it before checks that must
     * not spend it, such as a rate limit. {@link #redeem} verifies again and claims it.
     *
     * @throws TicketRejectedException when the ticket is missing, forged or expired, or claims a lifetime the
     *         gateway never issues
     */
    public Ticket verify(String value) throws TicketRejectedException {
        if (value == null || value.isBlank()) {
            throw new TicketRejectedException(TicketRejectedException.Reason.MISSING,
                    "no ticket: send Authorization: Bearer <ticket> or the subprotocol openai-insecure-api-key.<ticket>");
        }
        if (!value.startsWith(PREFIX)) {
            throw new TicketRejectedException(TicketRejectedException.Reason.INVALID, "not a relay ticket (tickets start with ek_)");
        }
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(value.substring(PREFIX.length()));
        } catch (InvalidJwtException e) {
            if (e.hasExpired()) {
                throw new TicketRejectedException(TicketRejectedException.Reason.EXPIRED, "ticket expired: fetch a new one");
            }
            throw new TicketRejectedException(TicketRejectedException.Reason.INVALID, "ticket invalid (bad signature or claims)");
        }
        try {
            boolean reusable = Boolean.TRUE.equals(claims.getClaimValue(REUSABLE_CLAIM, Boolean.class));
            String identity = claims.getStringClaimValue(IDENTITY_CLAIM);
            checkLifetime(claims.getIssuedAt().getValue(), claims.getExpirationTime().getValue(), reusable);
            Ticket.Type type = Ticket.Type.of(claims.getStringClaimValue(TYPE_CLAIM));
            String model = claims.getStringClaimValue(MODEL_CLAIM);
            if (type == null || model == null) {
                // Fail closed: a ticket that does not say what it opens binds nothing.
                throw new TicketRejectedException(TicketRejectedException.Reason.INVALID, "ticket invalid (no session type or model)");
            }
            return new Ticket(claims.getJwtId(), claims.getSubject(), model, type, claims.getExpirationTime().getValue(), identity, reusable,
                    claims.getIssuedAt().getValue());
        } catch (MalformedClaimException e) {
            throw new TicketRejectedException(TicketRejectedException.Reason.INVALID, "ticket invalid (malformed claims)");
        }
    }

    /**
     * The gateway issues tickets that live {@code ticket-ttl}: one signed with the secret for longer (a leaked secret,
     * or a TTL lowered since) or issued in the future is refused, both within the clock-skew margin.
     */
    private void checkLifetime(long issuedAt, long expiresAt, boolean reusable) throws TicketRejectedException {
        long margin = CLOCK_SKEW_MARGIN.toSeconds();
        Duration ttl = reusable ? config.reusableTicketMaxAge() : config.ticketTtl();
        if (expiresAt - issuedAt > ttl.toSeconds() + margin) {
            throw new TicketRejectedException(TicketRejectedException.Reason.INVALID,
                    "ticket invalid (it lives longer than this gateway's " + (reusable ? "reusable " : "") + "ticket TTL of " + ttl.toSeconds() + " s)");
        }
        if (issuedAt > Instant.now().getEpochSecond() + margin) {
            throw new TicketRejectedException(TicketRejectedException.Reason.INVALID, "ticket invalid (issued in the future)");
        }
    }

    /** A key for another use of the ticket secret ({@link SafetyIdentifiers}): HMAC of the label under the ticket key, never the key itself. */
    byte[] derivedKey(String label) {
        return SafetyIdentifiers.hmac(key, label.getBytes(StandardCharsets.UTF_8));
    }

    private static String generatedSecret() {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The ticket string, its expiry (epoch seconds) and its id (not a secret: what an admin revokes). */
    public record IssuedTicket(String value, long expiresAt, String id) {
    }
}
