package io.realtimegateway.ticket;

import java.util.Locale;

/**
 * A redeemed relay ticket.
 *
 * @param id the JWT id, remembered to refuse replays
 * @param callerId who asked for it (for per-identity caps and logs)
 * @param model the model chosen when it was issued; the only model a realtime ticket opens
 * @param type the only kind of session it opens
 * @param expiresAt epoch seconds
 */
public record Ticket(String id, String callerId, String model, Type type, long expiresAt) {

    /**
     * The session a ticket opens: {@code realtime} ({@code ?model=}), {@code transcription} ({@code ?intent=transcription})
     * or {@code live} (GPT-Live, {@code /v1/live/sessions}).
     */
    public enum Type {
        REALTIME, TRANSCRIPTION, LIVE;

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
