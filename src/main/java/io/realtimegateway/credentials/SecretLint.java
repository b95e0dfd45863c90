package io.realtimegateway.credentials;

import java.util.Optional;

/**
 * Format rules every secret and key shares (copy-paste damage that makes a correct-looking value wrong), and the one
 * rule for a usable secret ({@link #secretProblem}): undamaged first, then at least {@link #MIN_SECRET_LENGTH}
 * characters. Every secret check (LiveKit secrets, caller API keys and JWT secret, the relay-ticket secret) asks it.
 * Messages describe the damage, never the value.
 */
public final class SecretLint {

    /** LiveKit's security floor (livekit-server logs "secret is too short" below it), used for every gateway secret. */
    public static final int MIN_SECRET_LENGTH = 32;

    private SecretLint() {
    }

    /** Why a value is not a usable secret; {@code message} continues a sentence that names the value. */
    public record SecretProblem(Kind kind, String message) {

        /** Format damage is reported before length: a damaged value's length means nothing. */
        public enum Kind {
            DAMAGED,
            TOO_SHORT
        }
    }

    /**
     * @return the damage ({@link #formatProblem}), else the length under {@link #MIN_SECRET_LENGTH}, else empty
     */
    public static Optional<SecretProblem> secretProblem(String value) {
        Optional<String> damage = formatProblem(value);
        if (damage.isPresent()) {
            return Optional.of(new SecretProblem(SecretProblem.Kind.DAMAGED, damage.get()));
        }
        if (value.length() < MIN_SECRET_LENGTH) {
            return Optional.of(new SecretProblem(SecretProblem.Kind.TOO_SHORT, "has " + value.length()
                    + " characters, under LiveKit's floor of " + MIN_SECRET_LENGTH + " (the minimum for every gateway secret)"));
        }
        return Optional.empty();
    }

    /** "at least 32 random characters", for fix hints. */
    public static String minimumHint() {
        return "at least " + MIN_SECRET_LENGTH + " random characters";
    }

    /**
     * @return what is wrong with the value's form (e.g. "has trailing whitespace"), or empty when it is clean
     */
    public static Optional<String> formatProblem(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("is empty");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            return Optional.of("contains a line break (CR/LF), typically from a file saved with Windows line endings or a trailing newline");
        }
        if (Character.isWhitespace(value.charAt(0)) || Character.isSpaceChar(value.charAt(0))) {
            return Optional.of("has leading whitespace");
        }
        char last = value.charAt(value.length() - 1);
        if (Character.isWhitespace(last) || Character.isSpaceChar(last)) {
            return Optional.of("has trailing whitespace");
        }
        if (isQuote(value.charAt(0)) || isQuote(last)) {
            return Optional.of("is wrapped in quotes, which became part of the value (remove them in .env / the env var)");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isInvisible(c)) {
                return Optional.of(String.format("contains an invisible character U+%04X at position %d", (int) c, i + 1));
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\uFFFD') {
                // What a JVM without a UTF-8 locale (LANG unset, common in containers) makes of non-ASCII bytes.
                return Optional.of(String.format("contains undecodable non-ASCII bytes at position %d (U+FFFD), "
                        + "typically a pasted zero-width space or smart quote", i + 1));
            }
            if (c > 0x7E) {
                return Optional.of(String.format("contains a non-ASCII character U+%04X at position %d; keys and secrets are plain ASCII",
                        (int) c, i + 1));
            }
        }
        return Optional.empty();
    }

    /** True for a value of decimal digits only: YAML reads it as a number, so livekit-server drops it as a secret. */
    public static boolean isAllDigits(String value) {
        return value != null && !value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * A non-secret value (a key name, a URL) made safe to print: control and invisible characters become
     * a U+XXXX escape, so a report line cannot be broken or spoofed by the value.
     */
    public static String printable(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isInvisible(c)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'' || c == '`' || c == '\u201C' || c == '\u201D' || c == '\u2018' || c == '\u2019';
    }

    /** Control, format (zero-width, BOM, bidi) and non-ASCII space characters. */
    private static boolean isInvisible(char c) {
        int type = Character.getType(c);
        return Character.isISOControl(c)
                || type == Character.FORMAT
                || (Character.isSpaceChar(c) && c != ' ')
                || c == '\uFEFF';
    }
}
