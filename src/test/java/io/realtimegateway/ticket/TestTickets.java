package io.realtimegateway.ticket;

import java.time.Instant;

/**
 * Tickets the endpoint never issues (expired, signed with another secret, a lifetime it never gives, a model outside
 * the allow-list), in the gateway's own format: it signs with {@link TicketService}'s package-private signer. Never
 * log them.
 */
public final class TestTickets {

    private TestTickets() {
    }

    /** A ticket signed with {@code secret}, issued 60 s before {@code expiresAt}. */
    public static String sign(String secret, String callerId, String model, Ticket.Type type, Instant expiresAt) {
        return sign(secret, callerId, model, type, expiresAt.minusSeconds(60), expiresAt);
    }

    /** A ticket signed with {@code secret}, with the issue time too. */
    public static String sign(String secret, String callerId, String model, Ticket.Type type, Instant issuedAt, Instant expiresAt) {
        return TicketService.sign(TicketService.key(secret), callerId, model, type, issuedAt, expiresAt.getEpochSecond());
    }

    /** A reusable ticket for {@code identity}, signed with {@code secret}. */
    public static String signReusable(String secret, String callerId, String identity, Instant issuedAt, Instant expiresAt) {
        return TicketService.sign(TicketService.key(secret), java.util.UUID.randomUUID().toString(), callerId, "gpt-realtime",
                Ticket.Type.REALTIME, identity, true, issuedAt, expiresAt.getEpochSecond());
    }
}
