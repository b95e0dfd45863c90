package io.realtimegateway.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * The one place that decides whether the gateway runs in prod or in dev/test, and what each dev shortcut is worth.
 * <p>
 * The rule: the <b>active config profiles</b> decide, not how the process was launched. {@code test} among them
 * means {@link Mode#TEST}, else {@code dev} means {@link Mode#DEV}, else it is {@link Mode#PROD}. So
 * {@code ./mvnw quarkus:dev} and a packaged jar started with {@code QUARKUS_PROFILE=dev} get the same answer (DEV),
 * {@code @QuarkusTest} gets TEST (unless a test profile activates another config profile), and a custom profile such
 * as {@code staging} is prod unless its parent is dev. {@code LaunchMode} alone would call the jar prod while it reads
 * the {@code %dev.} properties.
 * <p>
 * The shortcuts, each asked here by the code that takes it:
 * <ul>
 * <li>{@link #allowWeakLiveKitSecret}: a LiveKit secret under the floor WARNs instead of FAILing (default on in dev);</li>
 * <li>{@link #allowMissingOpenAiKey}: no OpenAI key turns the relay off with a WARN instead of a FAIL (default on in dev);</li>
 * <li>{@link #authMode} and {@link #anonymousNeedsConsent}: callers are anonymous by default outside prod, and only prod
 * requires {@code GATEWAY_AUTH_ALLOW_ANONYMOUS=true} for that;</li>
 * <li>{@link #showTokenInDiagnostics}: the diagnostics endpoint may show the sample token outside prod only (default on
 * in dev);</li>
 * <li>{@link #mayGenerateTicketSecret}: an unset relay-ticket secret is generated per boot outside prod;</li>
 * <li>{@link #enforcePreflight}: a FAIL refuses to boot in prod only (by default).</li>
 * </ul>
 * An explicit setting wins where the shortcut has one; the defaults here replace {@code %dev.}/{@code %test.} lines.
 */
@Singleton
public class Environment {

    /** Where the gateway runs, by its active config profiles. */
    public enum Mode {
        PROD,
        DEV,
        TEST
    }

    private final Mode mode;

    @Inject
    Environment() {
        this(of(ConfigUtils.getProfiles()));
    }

    private Environment(Mode mode) {
        this.mode = mode;
    }

    /** An environment with a fixed answer (unit tests, tools). */
    public static Environment of(Mode mode) {
        return new Environment(mode);
    }

    /** The rule of this class, applied to a list of active profiles (parents included). */
    static Mode of(List<String> profiles) {
        if (profiles.contains("test")) {
            return Mode.TEST;
        }
        return profiles.contains("dev") ? Mode.DEV : Mode.PROD;
    }

    public Mode mode() {
        return mode;
    }

    public boolean isProd() {
        return mode == Mode.PROD;
    }

    /** {@code prod}, {@code dev} or {@code test}, e.g. for the diagnostics endpoint. */
    public String profileName() {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    /** {@code gateway.livekit.allow-weak-secret}, else on in dev only. */
    public boolean allowWeakLiveKitSecret(Optional<Boolean> setting) {
        return setting.orElse(mode == Mode.DEV);
    }

    /** {@code gateway.openai.allow-missing-key}, else on in dev only. */
    public boolean allowMissingOpenAiKey(Optional<Boolean> setting) {
        return setting.orElse(mode == Mode.DEV);
    }

    /** {@code gateway.auth.mode}, else {@code api-key} in prod and {@code none} (anonymous callers) in dev and test. */
    public AuthConfig.Mode authMode(Optional<AuthConfig.Mode> setting) {
        return setting.orElse(isProd() ? AuthConfig.Mode.API_KEY : AuthConfig.Mode.NONE);
    }

    /** Anonymous callers need {@code GATEWAY_AUTH_ALLOW_ANONYMOUS=true} in prod; elsewhere they are fine. */
    public boolean anonymousNeedsConsent() {
        return isProd();
    }

    /** {@code gateway.token.diagnostics-include-token}, else on in dev; never in prod. */
    public boolean showTokenInDiagnostics(Optional<Boolean> setting) {
        return !isProd() && setting.orElse(mode == Mode.DEV);
    }

    /** An unset relay-ticket secret may be generated per boot (dev and test); prod requires one. */
    public boolean mayGenerateTicketSecret() {
        return !isProd();
    }

    /** {@code gateway.preflight.enforce}, else on in prod only. */
    public boolean enforcePreflight(Optional<Boolean> setting) {
        return setting.orElse(isProd());
    }

    /** What an unset shortcut switch means here, in the words of its setting (e.g. {@code api-key}); empty for other properties. */
    public Optional<String> defaultOf(String property) {
        Optional<Boolean> unset = Optional.empty();
        return Optional.ofNullable(switch (property) {
            case "gateway.auth.mode" -> authMode(Optional.empty()).name().toLowerCase(Locale.ROOT).replace('_', '-');
            case "gateway.livekit.allow-weak-secret" -> Boolean.toString(allowWeakLiveKitSecret(unset));
            case "gateway.openai.allow-missing-key" -> Boolean.toString(allowMissingOpenAiKey(unset));
            case "gateway.token.diagnostics-include-token" -> Boolean.toString(showTokenInDiagnostics(unset));
            case "gateway.preflight.enforce" -> Boolean.toString(enforcePreflight(unset));
            default -> null;
        });
    }
}
