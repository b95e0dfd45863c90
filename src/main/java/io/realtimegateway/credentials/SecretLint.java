package io.realtimegateway.credentials;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Format rules every secret and key shares (copy-paste damage that makes a correct-looking value wrong), the rule for
 * a public value ({@link #publicValue}: published examples, well-known dev values, placeholders), and the one rule for
 * a usable secret ({@link #secretProblem}): undamaged, not public, at least {@link #MIN_SECRET_LENGTH} characters.
 * Every secret check (LiveKit secrets, caller and admin API keys, the JWT secret, the relay-ticket secret, the OpenAI
 * key) asks it. Messages describe the damage, never the value.
 */
public final class SecretLint {

    /** LiveKit's security floor (livekit-server logs "secret is too short" below it), used for every gateway secret. */
    public static final int MIN_SECRET_LENGTH = 32;

    /** The one command every fix hint names for a new secret or key: 44 characters of base64. */
    public static final String GENERATE = "openssl rand -base64 32";

    /**
     * Values published where anyone reads them, each with where: they are secrets to nobody. The project's own former
     * example pair is here because copies of the old .env.example live on in deployments.
     */
    private static final Map<String, String> PUBLISHED = Map.of(
            "exampleSecretChangeMe0123456789abcdefGHIJ", "the example secret this project's .env.example and livekit.yaml shipped",
            "secret", "LiveKit's dev secret (livekit-server --dev runs with devkey/secret, as LiveKit's docs say)",
            "devkey", "LiveKit's dev key name (livekit-server --dev), not a secret",
            "secret1", "an example secret of livekit-server's config-sample.yaml",
            "secret2", "an example secret of livekit-server's config-sample.yaml",
            "abababa", "the secret of LiveKit's Kotlin SDK tests",
            "ek_68af296e8e408191a1120ab6383263c2", "the example client secret of OpenAI's Realtime docs",
            "ek_abc123", "the example client secret of OpenAI's Realtime docs");

    /** Placeholder words, compared in lower case without separators (so change_me, Change-Me and CHANGEME are one). */
    private static final List<String> PLACEHOLDER_WORDS = List.of("changeme", "changeit", "replaceme", "placeholder", "secret",
            "password", "passw0rd", "apikey", "apisecret", "token", "example", "test", "dummy", "todo", "fixme", "none", "null",
            "empty", "default", "mysecret", "supersecret", "topsecret");

    /** Placeholder text anywhere in a value (this project's former example secret, {@code myPlaceholderValue…}). */
    private static final List<String> PLACEHOLDER_PARTS = List.of("changeme", "replaceme", "placeholder");

    /** {@code your_api_secret_here}, {@code <PROJECT_SECRET>}, {@code {{secret}}}, {@code ${OPENAI_API_KEY}} (never expanded here). */
    private static final Pattern PLACEHOLDER_SHAPES = Pattern.compile(
            "(?i)(your|insert|enter|paste|put)[-_ .a-z0-9]*here|<.*>|\\{\\{.*}}|\\$\\{?[a-z_][a-z0-9_]*}?");

    /** {@code xxx…}, {@code sk-...}, {@code sk-proj-****}: a known prefix, if any, followed by filler only. */
    private static final Pattern FILLER = Pattern.compile("(?i)(sk-(proj-|admin-)?|ek_|api)?[x*.\u2026_-]*");

    private SecretLint() {
    }

    /** Why a value is not a usable secret; {@code message} continues a sentence that names the value. */
    public record SecretProblem(Kind kind, String message) {

        /** Format damage is reported before the rest: a damaged value's content and length mean nothing. */
        public enum Kind {
            DAMAGED,
            PUBLIC,
            TOO_SHORT
        }
    }

    /**
     * @return the damage ({@link #formatProblem}), else that the value is public ({@link #publicValue}), else the length
     *         under {@link #MIN_SECRET_LENGTH}, else empty
     */
    public static Optional<SecretProblem> secretProblem(String value) {
        Optional<String> damage = formatProblem(value);
        if (damage.isPresent()) {
            return Optional.of(new SecretProblem(SecretProblem.Kind.DAMAGED, damage.get()));
        }
        Optional<String> published = publicValue(value);
        if (published.isPresent()) {
            return Optional.of(new SecretProblem(SecretProblem.Kind.PUBLIC, "is public: " + published.get()
                    + "; anyone can use it, so it protects nothing"));
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

    /** "generate one with: openssl rand -base64 32", for fix hints. */
    public static String generateHint() {
        return "generate one with: " + GENERATE;
    }

    /**
     * Whether anyone can know this value: a published example or dev value ({@code devkey/secret}, the examples of
     * LiveKit's and OpenAI's docs, this project's former example), or a placeholder ({@code changeme},
     * {@code your_api_secret_here}, {@code xxx…}, {@code sk-...}, {@code <…>}).
     *
     * @return what it is (never the value itself), or empty for a value that may be secret
     */
    public static Optional<String> publicValue(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        String published = PUBLISHED.get(value);
        if (published != null) {
            return Optional.of(published);
        }
        String folded = value.toLowerCase(Locale.ROOT).replaceAll("[-_ .]", "");
        if (PLACEHOLDER_WORDS.contains(folded) || PLACEHOLDER_PARTS.stream().anyMatch(folded::contains)
                || PLACEHOLDER_SHAPES.matcher(value).matches() || FILLER.matcher(value).matches()) {
            return Optional.of("a placeholder, not a generated value");
        }
        return Optional.empty();
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
