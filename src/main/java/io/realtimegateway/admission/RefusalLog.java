package io.realtimegateway.admission;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.realtimegateway.auth.Identities;
import io.realtimegateway.relay.LogThrottle;

/**
 * One log line per admission refusal, so an operator can see why a client got its 401 or 4000 (a plugin shows a bare
 * status), rate-limited per reason: the first refusal of a reason is logged, then at most one line per
 * {@link #WINDOW}, which counts the ones it left out. A client retrying in a loop, or a scan with forged tickets, writes
 * a few lines, never one per attempt. The line names the door, the reason and who: the identity a verified ticket or
 * caller carries (escaped), or the fingerprint of a credential that did not verify; never the credential. Memory is
 * bounded by the reasons, a fixed set.
 */
@ApplicationScoped
class RefusalLog {

    static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(RefusalLog.class);

    private final Clock clock;
    private final Map<String, LogThrottle> windows = new ConcurrentHashMap<>();

    @Inject
    RefusalLog() {
        this(Clock.systemUTC());
    }

    RefusalLog(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param reason the refusal's metric reason (a fixed set), e.g. {@code ticket_replayed}
     * @param who {@code identity=...} or {@code credential=len=.. sha256:..}; already safe to log
     * @return whether this refusal was logged (false: counted into the reason's next line)
     */
    boolean refused(Door door, String reason, String who, String detail) {
        long now = clock.millis();
        long skipped = windows.computeIfAbsent(reason, r -> new LogThrottle(WINDOW)).admit(now);
        if (skipped < 0) {
            return false;
        }
        LOG.infof("%s refused (%s): %s, %s%s", door.what(), reason, who, detail,
                LogThrottle.suffix(skipped, "refusals with this reason"));
        return true;
    }

    /** {@code identity=<escaped id>} for a log line. */
    static String identity(String id) {
        return "identity=" + Identities.loggable(id);
    }
}
