package io.realtimegateway.relay;

import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.realtimegateway.auth.Identities;
import io.realtimegateway.realtime.RealtimeConfig;

/**
 * The circuit breaker of the relay's upstream (the gateway has one: the configured OpenAI URL), the one place that
 * decides whether a new session may dial it. After {@code failure-threshold} consecutive connection failures
 * (unreachable, refused, no answer in time; not a handshake the upstream answered, not a close) it opens: admission
 * refuses new upgrades without dialling. Once the backoff has passed, one admitted session is the probe; while it
 * connects every other upgrade is still refused. Its success closes the breaker; its failure doubles the backoff (up
 * to {@code max-backoff}). A probe that never reports (its session was refused later, or its client left before
 * dialling) frees the probe slot after the connect timeout.
 * <p>
 * Without it a client that reconnects in a loop (livekit-plugins-openai counts an upgrade-then-close as a successful
 * connect and resets its backoff) made the gateway dial a dead upstream, and warn, once per attempt.
 * <p>
 * Logs: a WARN when it opens and an INFO when it closes; the connection failures in between (sessions admitted before
 * it opened, failed probes) share one rate-limited WARN.
 */
@ApplicationScoped
public class UpstreamBreaker {

    static final Duration LOG_WINDOW = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(UpstreamBreaker.class);

    private enum State { CLOSED, OPEN, PROBING }

    private final Clock clock;
    private final int threshold;
    private final long initialBackoffMillis;
    private final long maxBackoffMillis;
    private final long probeTimeoutMillis;
    private final LogThrottle failureLines = new LogThrottle(LOG_WINDOW);
    private final LogThrottle connectFailedEnds = new LogThrottle(LOG_WINDOW);

    private State state = State.CLOSED;
    private int failures;
    private long backoffMillis;
    private long nextProbeAt;
    private long probeDeadline;
    private long refused;

    @Inject
    UpstreamBreaker(RealtimeConfig config) {
        this(config, Clock.systemUTC());
    }

    UpstreamBreaker(RealtimeConfig config, Clock clock) {
        RealtimeConfig.UpstreamBreaker settings = config.upstreamBreaker();
        this.clock = clock;
        this.threshold = Math.max(1, settings.failureThreshold());
        this.initialBackoffMillis = Math.max(1, settings.initialBackoff().toMillis());
        this.maxBackoffMillis = Math.max(initialBackoffMillis, settings.maxBackoff().toMillis());
        // The probe's session gives up at the connect timeout; a second of slack for its report to arrive.
        this.probeTimeoutMillis = Math.max(1, config.upstreamConnectTimeout().toMillis()) + 1000;
        this.backoffMillis = initialBackoffMillis;
    }

    /**
     * Asked by admission for each new relay session: empty when it may dial (possibly as the probe), else the
     * seconds until the next probe may run (at least 1), for {@code Retry-After}.
     */
    public synchronized OptionalLong refusal() {
        long now = clock.millis();
        switch (state) {
            case CLOSED:
                return OptionalLong.empty();
            case OPEN:
                if (now < nextProbeAt) {
                    refused++;
                    return OptionalLong.of(seconds(nextProbeAt - now));
                }
                break;
            default: // PROBING
                if (now < probeDeadline) {
                    refused++;
                    // The probe's outcome is due within the connect timeout: ask again soon.
                    return OptionalLong.of(1);
                }
        }
        state = State.PROBING;
        probeDeadline = now + probeTimeoutMillis;
        return OptionalLong.empty();
    }

    /** A session's upstream connection opened: the upstream is reachable, so the breaker closes. */
    synchronized void connected(String upstream) {
        failures = 0;
        if (state == State.CLOSED) {
            return;
        }
        LOG.infof("Upstream %s is reachable again: relay sessions open again (%d upgrades were refused while it was not)", upstream, refused);
        state = State.CLOSED;
        backoffMillis = initialBackoffMillis;
        refused = 0;
    }

    /**
     * A session could not connect to its upstream.
     *
     * @param counts whether the failure says the upstream is unreachable (a handshake it answered, e.g. 401, does not)
     */
    synchronized void failed(String identity, String upstream, String why, boolean counts) {
        long now = clock.millis();
        if (!counts && state != State.CLOSED) {
            // The upstream answered the handshake: reachable, whatever it answered.
            connected(upstream);
        }
        if (counts && state == State.CLOSED && ++failures >= threshold) {
            state = State.OPEN;
            backoffMillis = initialBackoffMillis;
            nextProbeAt = now + backoffMillis;
            refused = 0;
            LOG.warnf("Realtime upstream %s is unreachable (%s): new relay sessions are refused without dialling it (503 with Retry-After,"
                    + " or 1013 for browsers) until a probe connects; first probe in %d ms", upstream, why, backoffMillis);
            return;
        }
        if (counts && state == State.PROBING) {
            backoffMillis = Math.min(maxBackoffMillis, backoffMillis * 2);
            nextProbeAt = now + backoffMillis;
            state = State.OPEN;
        }
        long skipped = failureLines.admit(now);
        if (skipped >= 0) {
            LOG.warnf("Realtime session for %s could not reach upstream %s: %s%s%s", Identities.loggable(identity), upstream, why,
                    state == State.CLOSED ? "" : "; the breaker is open, next probe in " + Math.max(0, nextProbeAt - now) + " ms",
                    LogThrottle.suffix(skipped, "upstream connection failures"));
        }
    }

    /**
     * Whether the end line of a session that never reached its upstream is logged at INFO: the first, then one per
     * window. The failure WARNs above already say why; a client retrying in a loop during an outage would otherwise add
     * one INFO line per attempt (an agent reconnecting through a 10 s outage wrote four).
     */
    boolean logsConnectFailedEnd() {
        return connectFailedEnds.admit(clock.millis()) >= 0;
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
