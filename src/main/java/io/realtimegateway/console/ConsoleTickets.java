package io.realtimegateway.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;


/**
 * Short-lived, single-use tickets that open the console feed: browsers cannot set an {@code Authorization} header on
 * a WebSocket, so the page trades its admin credential for a ticket ({@code POST /console/api/ticket}) and passes it
 * as {@code ?ticket=}. Tickets are random and held in memory by the replica that issued them; a ticket is a
 * credential, never log it. Each remembers the origin of the page it was issued to ({@link FeedOriginGate}).
 */
@ApplicationScoped
class ConsoleTickets {

    /** More outstanding tickets than this means someone is minting without connecting: expired ones are purged first. */
    static final int MAX_OUTSTANDING = 1000;
    /** Per instance, not static: Quarkus initializes application classes at native build time, and a seeded generator must not be baked into the image. */
    private final SecureRandom random = new SecureRandom();

    /** Why a ticket did not open the feed; {@link #detail} is shown to the client. */
    enum Rejection {
        MISSING("no console ticket: POST /console/api/ticket with the admin key, then connect with ?ticket=<ticket>"),
        UNKNOWN("the console ticket is not known here (used already, or issued by another replica)"),
        EXPIRED("the console ticket expired: get a new one from POST /console/api/ticket");

        final String detail;

        Rejection(String detail) {
            this.detail = detail;
        }
    }

    /** A ticket and when it stops working. */
    record Issued(String value, Instant expiresAt) {
    }

    /** An unspent ticket: until when, and the origin ({@code scheme://host[:port]}) of the console that asked for it. */
    private record Outstanding(Instant expiresAt, String origin) {
    }

    private final ConsoleConfig config;
    private final Clock clock;
    private final ConcurrentHashMap<String, Outstanding> outstanding = new ConcurrentHashMap<>();

    @Inject
    ConsoleTickets(ConsoleConfig config) {
        this(config, Clock.systemUTC());
    }

    ConsoleTickets(ConsoleConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** @param origin the origin of the console page that asks (its {@code Origin}, else its scheme and {@code Host}) */
    Issued issue(String origin) {
        Instant now = clock.instant();
        if (outstanding.size() >= MAX_OUTSTANDING) {
            outstanding.values().removeIf(t -> !t.expiresAt().isAfter(now));
            if (outstanding.size() >= MAX_OUTSTANDING) {
                // Still full of live tickets: the oldest-looking one goes; a console retries with a fresh ticket.
                outstanding.keySet().stream().findAny().ifPresent(outstanding::remove);
            }
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String value = "ct_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = now.plus(config.ticketTtl());
        outstanding.put(value, new Outstanding(expiresAt, origin));
        return new Issued(value, expiresAt);
    }

    /** Spends the ticket; null when it opens the feed, else why not. */
    Rejection redeem(String value) {
        if (value == null || value.isEmpty()) {
            return Rejection.MISSING;
        }
        Outstanding ticket = outstanding.remove(value);
        if (ticket == null) {
            return Rejection.UNKNOWN;
        }
        return clock.instant().isBefore(ticket.expiresAt()) ? null : Rejection.EXPIRED;
    }

    /** The origin an unspent ticket was issued to, without spending it; null for a ticket not known here. */
    String originOf(String value) {
        Outstanding ticket = value == null ? null : outstanding.get(value);
        return ticket == null ? null : ticket.origin();
    }
}
