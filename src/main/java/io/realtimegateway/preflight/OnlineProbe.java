package io.realtimegateway.preflight;

import java.io.IOException;
import java.time.Duration;


/**
 * The retry and "unreachable" policy every online check shares: up to {@code gateway.preflight.attempts} attempts
 * {@code gateway.preflight.retry-delay} apart, then FAIL or WARN as {@code gateway.preflight.unreachable} says, worded
 * the same for every server. A check supplies one {@link Attempt}, which either returns the server's answer (to be
 * classified by the check) or says why it is worth another try; an {@link IOException} counts as the latter and is
 * described by {@link NetworkFailure}. The timeout of one attempt is the check's own client's
 * ({@code gateway.preflight.timeout}).
 */
public final class OnlineProbe {

    private final int attempts;
    private final Duration retryDelay;
    private final PreflightConfig.Unreachable unreachable;

    public OnlineProbe(int attempts, Duration retryDelay, PreflightConfig.Unreachable unreachable) {
        this.attempts = Math.max(1, attempts);
        this.retryDelay = retryDelay;
        this.unreachable = unreachable;
    }

    public static OnlineProbe of(PreflightConfig config) {
        return new OnlineProbe(config.attempts(), config.retryDelay(), config.unreachable());
    }

    /** One network attempt. */
    @FunctionalInterface
    public interface Attempt<T> {
        Outcome<T> attempt() throws IOException, InterruptedException;
    }

    /** What one attempt found: the server answered ({@link Answered}), or it did not and another try may help ({@link Retry}). */
    public sealed interface Outcome<T> permits Answered, Retry {
    }

    /** The server's answer, for the check to classify. */
    public record Answered<T>(T answer) implements Outcome<T>, Result<T> {
    }

    /** No usable answer this time (e.g. HTTP 5xx), in words safe for a report. */
    public record Retry<T>(String failure) implements Outcome<T> {
    }

    /** What all attempts together found: an answer, or why the server stayed unreachable. */
    public sealed interface Result<T> permits Answered, Unreachable {
    }

    /** The server did not answer usefully within the attempts; {@code detail} says why, e.g. "connection refused after 3 attempt(s)". */
    public record Unreachable<T>(String detail) implements Result<T> {
    }

    public static <T> Outcome<T> answered(T answer) {
        return new Answered<>(answer);
    }

    public static <T> Outcome<T> retry(String failure) {
        return new Retry<>(failure);
    }

    /** Runs the attempt until it answers, at most {@code attempts} times. */
    public <T> Result<T> run(Attempt<T> attempt) {
        String failure = null;
        for (int i = 1; i <= attempts; i++) {
            try {
                Outcome<T> outcome = attempt.attempt();
                if (outcome instanceof Answered<T> answered) {
                    return answered;
                }
                failure = ((Retry<T>) outcome).failure();
            } catch (IOException e) {
                failure = NetworkFailure.describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Unreachable<>("interrupted");
            }
            if (i < attempts) {
                try {
                    Thread.sleep(retryDelay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Unreachable<>("interrupted");
                }
            }
        }
        return new Unreachable<>(failure + " after " + attempts + " attempt(s)");
    }

    /** True when an unreachable server only warns ({@code gateway.preflight.unreachable=warn}). */
    public boolean unreachableWarns() {
        return unreachable == PreflightConfig.Unreachable.WARN;
    }

    /** The sentence for an unreachable server, e.g. "LiveKit server unreachable at http://lk:7880/twirp/... (timed out after 3 attempt(s))". */
    public static String unreachableMessage(String server, String where, Unreachable<?> result) {
        return server + " unreachable at " + where + " (" + result.detail() + ")";
    }

    /**
     * The result for an unreachable server: FAIL (the default, refuses boot) or WARN (serves). What it means for
     * readiness after boot is readiness's rule (a shared server DEGRADED, Redis DOWN).
     *
     * @param fix what to check, e.g. the URL setting and the network path
     */
    public CheckResult unreachable(String name, String server, String where, Unreachable<?> result, String fix) {
        String message = unreachableMessage(server, where, result);
        if (unreachableWarns()) {
            return CheckResult.warn(name, message + "; serving anyway (gateway.preflight.unreachable=warn)", fix);
        }
        return CheckResult.fail(name, message, fix + "; or set GATEWAY_PREFLIGHT_UNREACHABLE=warn to start anyway");
    }
}
