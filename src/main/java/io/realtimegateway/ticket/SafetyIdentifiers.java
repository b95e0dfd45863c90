package io.realtimegateway.ticket;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@code OpenAI-Safety-Identifier} of an end user: every upstream request the gateway makes for a session (the
 * relay's upgrade, a WebRTC call's SDP exchange, sideband and hang-up, a client secret) carries it, so OpenAI can act
 * on one abusive user instead of the whole key. The value is HMAC-SHA256 of the identity the gateway counts caps
 * under (the caller's id for a single-use ticket, {@code <caller>/<identity>} for a conversation), keyed with a key
 * derived from {@code GATEWAY_REALTIME_TICKET_SECRET}, in base64url (43 characters, within OpenAI's 64):
 * <ul>
 * <li>stable per user: the same identity always gives the same value, on every replica and across restarts, as long
 * as the ticket secret stays the same (rotating it starts new identifiers);</li>
 * <li>not reversible: without the gateway's secret nobody, OpenAI included, can compute the value of a guessed
 * identity (an unkeyed hash of an e-mail address could be looked up), so OpenAI learns no user's name.</li>
 * </ul>
 * The derived key is not the ticket key itself (HMAC of a fixed label under it), so the two uses never mix.
 */
@ApplicationScoped
public class SafetyIdentifiers {

    /** The request header OpenAI reads. */
    public static final String HEADER = "OpenAI-Safety-Identifier";
    private static final String LABEL = "realtime-gateway openai-safety-identifier v1";

    private final SecretKey key;

    SafetyIdentifiers(TicketService tickets) {
        this.key = new SecretKeySpec(tickets.derivedKey(LABEL), "HmacSHA256");
    }

    /**
     * @param identity the identity caps count under (as {@code Admitted.identity()}); never sent itself
     * @return the header value: 43 base64url characters
     */
    public String of(String identity) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, identity.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] hmac(SecretKey key, byte[] data) {
        try {
            // A Mac is not thread-safe; one per use costs microseconds, once per session or request.
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
