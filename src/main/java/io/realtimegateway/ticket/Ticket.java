package io.realtimegateway.ticket;

import java.util.Locale;

import io.realtimegateway.auth.Identities;

/**
 * A redeemed relay ticket.
 *
 * @param id the JWT id, remembered to refuse replays
 * @param callerId who asked for it (for per-identity caps and logs)
 * @param model the model chosen when it was issued; the only model a realtime ticket opens
 * @param type the only kind of session it opens
 * @param expiresAt epoch seconds; for a reusable ticket, its absolute cap
 * @param identity the end user or conversation (a LiveKit room) an API-key caller minted it for; null when none was
 *        given (a caller's own ticket: the caller is the identity)
 * @param reusable true for a backend's reusable ticket (one conversation, one live session at a time, idle expiry),
 *        false for a single-use ticket
 * @param issuedAt epoch seconds; a reusable ticket never used is idle since then
 */
public record Ticket(String id, String callerId, String model, Type type, long expiresAt, String identity, boolean reusable, long issuedAt) {

    /** A single-use ticket without an identity of its own (the caller's). */
    public Ticket(String id, String callerId, String model, Type type, long expiresAt) {
        this(id, callerId, model, type, expiresAt, null, false, 0);
    }

    /**
     * The key its caps, budgets and logs count against: the caller id when the ticket names no identity, else
     * {@code <caller>/<identity>} ({@link Identities#conversationKey}, collision-free).
     */
    public String subject() {
        return Identities.conversationKey(callerId, identity);
    }

    /** The session a ticket opens: {@code realtime} ({@code ?model=}) or {@code transcription} ({@code ?intent=transcription}). */
    public enum Type {
        REALTIME, TRANSCRIPTION;

        /** The wire name, as in OpenAI's {@code session.type}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The type of a wire name; null for anything else. */
        public static Type of(String wire) {
            for (Type type : values()) {
                if (type.wire().equals(wire)) {
                    return type;
                }
            }
            return null;
        }
    }
}
