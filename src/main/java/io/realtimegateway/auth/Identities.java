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

    private Identities() {
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
