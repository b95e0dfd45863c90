package io.realtimegateway.realtime.live.webrtc;

import java.time.LocalDate;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.realtimegateway.auth.Identities;
import io.realtimegateway.state.Usage;
import io.realtimegateway.state.UsageField;
import io.realtimegateway.usage.UsageMeter;

/**
 * One WebRTC Live session's seconds, billed on the gateway's clock into the identity's day
 * ({@link UsageField#LIVE_SECONDS}). OpenAI bills 15 s when the session is created and credits them against its
 * duration once it runs, so the session owes {@code max(15, elapsed, OpenAI's usage.seconds)}: the 15 s are added at
 * once, the rest as the clock runs, in steps of {@value #STEP_SECONDS} s (one store write per step, not per second),
 * and OpenAI's cumulative {@code usage.seconds} (from {@code session.usage.updated}, finally {@code session.closed})
 * raises the figure when it is higher. It never lowers it: the store only adds, and a budget errs on the safe side.
 * The budget check counts the seconds not yet written, so it is exact to the second between writes. Every call runs
 * on the session's context.
 */
final class LiveSeconds {

    /** What OpenAI bills at creation, credited against the session's duration. */
    static final long INITIALIZATION_SECONDS = 15;
    /** Seconds owed before they are written to the store. */
    static final long STEP_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(LiveSeconds.class);

    private final UsageMeter meter;
    private final String identity;
    private final LongSupplier elapsedSeconds;
    private final LongConsumer written;
    private long recorded;
    private long reported;
    private Usage day = Usage.NONE;
    private LocalDate dayOf;

    /**
     * @param elapsedSeconds the session's age on the gateway's clock
     * @param written told the seconds of every write that succeeded (the metric)
     */
    LiveSeconds(UsageMeter meter, String identity, LongSupplier elapsedSeconds, LongConsumer written) {
        this.meter = meter;
        this.identity = identity;
        this.elapsedSeconds = elapsedSeconds;
        this.written = written;
        this.dayOf = meter.today();
    }

    /** What the session owes at {@code elapsed} seconds, given OpenAI's cumulative figure. */
    static long owed(long elapsed, long reported) {
        return Math.max(INITIALIZATION_SECONDS, Math.max(elapsed, reported));
    }

    /** The seconds this session owes now. */
    long owed() {
        return owed(elapsedSeconds.getAsLong(), reported);
    }

    /** OpenAI's cumulative {@code usage.seconds} (a snapshot: never summed). */
    void reported(long seconds) {
        reported = Math.max(reported, seconds);
    }

    /** OpenAI's last figure; 0 before the first. */
    long reported() {
        return reported;
    }

    /** Writes what is owed and not written yet: always when {@code force}, else once a step is due. */
    void flush(boolean force, Runnable counted) {
        long delta = owed() - recorded;
        if (delta <= 0 || (!force && delta < STEP_SECONDS)) {
            return;
        }
        recorded += delta; // at once, so a write in flight is not written twice
        LocalDate today = meter.today();
        meter.add(identity, Usage.builder().add(UsageField.LIVE_SECONDS, delta).build()).subscribe().with(total -> {
            written.accept(delta);
            seen(today, total);
            counted.run();
        }, failure -> {
            recorded -= delta; // written with the next step
            LOG.warnf("GPT-Live seconds of %s not recorded (%s)", Identities.loggable(identity), failure.getMessage());
        });
    }

    /** Reads the identity's day total again (only under a budget), so other sessions' seconds count here too. */
    void refresh() {
        if (!meter.liveBudgeted()) {
            return;
        }
        LocalDate today = meter.today();
        meter.usage(identity, today).subscribe().with(total -> seen(today, total),
                failure -> LOG.debugf("Usage of %s not read (%s); the budget check uses the last total", Identities.loggable(identity), failure.getMessage()));
    }

    private void seen(LocalDate of, Usage total) {
        if (!of.isBefore(dayOf)) {
            dayOf = of;
            day = total;
        }
    }

    /** The identity's seconds left today, counting this session's unwritten ones; null without a budget. */
    Long left() {
        if (!meter.liveBudgeted()) {
            return null;
        }
        Usage total = dayOf.equals(meter.today()) ? day : Usage.NONE;
        return Math.max(0, meter.liveSecondsLeft(total, owed() - recorded));
    }

    /** Whether the identity's seconds for today are spent. */
    boolean spent() {
        Long left = left();
        return left != null && left <= 0;
    }

    /** The refusal's words once spent. */
    String spentMessage() {
        return meter.liveExhaustedMessage(day.get(UsageField.LIVE_SECONDS) + owed() - recorded);
    }
}
