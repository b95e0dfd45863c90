package io.realtimegateway.ticket;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

import io.realtimegateway.config.Environment;
import io.realtimegateway.config.RealtimeConfig;
import io.realtimegateway.credentials.Fingerprint;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/**
 * Issues and redeems relay tickets: {@code ek_} + an HS256 JWT (smallrye-jwt-build) carrying the caller id and the
 * model. Tickets are short-lived and single-use: a redeemed id is remembered until the ticket would have expired.
 */
@ApplicationScoped
public class TicketService {

    static final String PREFIX = "ek_";
    private static final String ISSUER = "realtime-gateway";
    private static final String AUDIENCE = "realtime-relay";
    private static final String MODEL_CLAIM = "mdl";
    private static final Logger LOG = Logger.getLogger(TicketService.class);

    private final RealtimeConfig config;
    private final SecretKey key;
    private final JwtConsumer consumer;
    private final Map<String, Long> used = new ConcurrentHashMap<>();
    private final AtomicLong redemptions = new AtomicLong();

    TicketService(RealtimeConfig config, Environment environment) {
        this.config = config;
        Optional<String> configured = config.ticketSecret().filter(s -> !s.isEmpty());
        String secret = configured.orElseGet(TicketService::generatedSecret);
        if (configured.isEmpty()) {
            // Outside prod this is the intended shortcut; in prod the realtime.ticket-secret check FAILs, and only a
            // preflight that is not enforced gets this far.
            LOG.logf(environment.mayGenerateTicketSecret() ? Logger.Level.INFO : Logger.Level.WARN,
                    "Relay tickets are signed with a secret generated at boot (%s): tickets do not survive a restart"
                            + " or work across replicas; set GATEWAY_REALTIME_TICKET_SECRET to share one", Fingerprint.of(secret));
        }
        this.key = key(secret);
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
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

    /** A new ticket for the caller; the string is a bearer credential, never log it. */
    IssuedTicket issue(String callerId, String model) {
        Instant now = Instant.now();
        long expiresAt = now.plus(config.ticketTtl()).getEpochSecond();
        return new IssuedTicket(sign(key, callerId, model, now, expiresAt), expiresAt);
    }

    /**
     * A ticket as {@link #issue} writes it, but signed with {@code secret} and expiring at {@code expiresAt}: for tests
     * that need a ticket the endpoint never issues (expired, or signed with another secret). Never log it.
     */
    public static String sign(String secret, String callerId, String model, Instant expiresAt) {
        return sign(key(secret), callerId, model, expiresAt.minusSeconds(60), expiresAt.getEpochSecond());
    }

    private static String sign(SecretKey key, String callerId, String model, Instant issuedAt, long expiresAt) {
        return PREFIX + Jwt.claims()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(callerId)
                .claim("jti", UUID.randomUUID().toString())
                .claim(MODEL_CLAIM, model)
                .issuedAt(issuedAt)
                .expiresAt(expiresAt)
                .jws().algorithm(SignatureAlgorithm.HS256)
                .sign(key);
    }

    private static SecretKey key(String secret) {
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * Verifies the ticket and marks it used.
     *
     * @throws TicketRejectedException when it is missing, forged, expired or already used
     */
    public Ticket redeem(String value) throws TicketRejectedException {
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
            Ticket ticket = new Ticket(claims.getJwtId(), claims.getSubject(), claims.getStringClaimValue(MODEL_CLAIM),
                    claims.getExpirationTime().getValue());
            remember(ticket);
            return ticket;
        } catch (MalformedClaimException e) {
            throw new TicketRejectedException(TicketRejectedException.Reason.INVALID, "ticket invalid (malformed claims)");
        }
    }

    private void remember(Ticket ticket) throws TicketRejectedException {
        if ((redemptions.incrementAndGet() & 127) == 0) {
            forgetExpired(); // keep the memory to tickets that could still be presented
        }
        if (used.size() >= config.usedTicketCapacity()) {
            forgetExpired();
            if (used.size() >= config.usedTicketCapacity()) {
                // Fail closed: forgetting an unexpired id would allow its replay.
                throw new TicketRejectedException(TicketRejectedException.Reason.MEMORY_FULL,
                        "too many tickets redeemed recently; try again shortly");
            }
        }
        if (used.putIfAbsent(ticket.id(), ticket.expiresAt()) != null) {
            throw new TicketRejectedException(TicketRejectedException.Reason.REPLAYED, "ticket already used: tickets are single-use");
        }
    }

    private void forgetExpired() {
        long now = Instant.now().getEpochSecond();
        for (Iterator<Map.Entry<String, Long>> it = used.entrySet().iterator(); it.hasNext();) {
            if (it.next().getValue() < now) {
                it.remove();
            }
        }
    }

    private static String generatedSecret() {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The ticket string and its expiry (epoch seconds). */
    record IssuedTicket(String value, long expiresAt) {
    }
}
