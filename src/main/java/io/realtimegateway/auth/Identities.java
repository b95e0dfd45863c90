package io.realtimegateway.auth;

import io.realtimegateway.credentials.SecretLint;

/**
 * The one rule for identities wherever they enter (a caller JWT's {@code sub}, a requested participant identity, the
 * {@code identity} of a usage query): no control characters. A CR/LF in an identity that reached a log line would let
 * whoever chose it write forged lines into the logs. Whatever identity-like value is logged goes through
 * {@link #loggable} as well, so a value that came in some other way (a ticket signed by an older replica) cannot either.
 */
public final class Identities {

    /** The field error for a refused identity. */
    public static final String NO_CONTROL_CHARACTERS = "must not contain control characters (CR, LF, tab, line separators)";

    /** The field error for a conversation identity outside {@link #CONVERSATION_IDENTITY}. */
    public static final String CONVERSATION_IDENTITY_RULE = "must be 1 to 128 characters of A-Z a-z 0-9 . _ - : @ (a room name or end-user id)";
    /** A conversation identity (a reusable ticket's {@code identity}): printable, no {@code /} (the key separator), bounded. */
    private static final java.util.regex.Pattern CONVERSATION_IDENTITY = java.util.regex.Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    private Identities() {
    }

    /** True when {@code identity} may name a conversation: {@link #CONVERSATION_IDENTITY_RULE}. */
    public static boolean validConversationIdentity(String identity) {
        return identity != null && !hasControlCharacter(identity) && CONVERSATION_IDENTITY.matcher(identity).matches();
    }

    /**
     * The key of {@code identity} under {@code caller}: the caller id alone when there is no identity, else
     * {@code <caller>/<identity>}. Collision-free: the caller part has {@code %} and {@code /} percent-escaped, so it never
     * holds a {@code /}, and a key holds one {@code /} exactly when it names an identity (which holds none). A JWT
     * subject {@code a/b} is therefore key {@code a%2Fb}, never the key of caller {@code a}'s identity {@code b}.
     */
    public static String conversationKey(String caller, String identity) {
        String escaped = caller.replace("%", "%25").replace("/", "%2F");
        return identity == null ? escaped : escaped + "/" + identity;
    }

    /** True when the value holds a control character (C0, DEL, C1) or a Unicode line or paragraph separator. */
    public static boolean hasControlCharacter(String value) {
        return value != null && value.codePoints().anyMatch(c -> {
            int type = Character.getType(c);
            return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
        });
    }

    /** The value for a log line: control and invisible characters as {@code \}{@code uXXXX}, so it stays on its line. */
    public static String loggable(String value) {
        return value == null ? "null" : SecretLint.printable(value);
    }
}
