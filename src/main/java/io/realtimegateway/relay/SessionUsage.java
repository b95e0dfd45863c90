package io.realtimegateway.relay;

import java.time.LocalDate;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.realtimegateway.auth.Identities;
import io.realtimegateway.state.Usage;
import io.realtimegateway.usage.UsageMeter;

/**
 * One session's usage: its own sum (for the end log line) and the identity's day total as last seen (for the
 * budget). The day total is learnt from every addition (the store returns the new totals) and read again on the
 * session's renewal tick, so usage spent by the identity's other sessions, on any replica, counts within a third of
 * the lease TTL. All calls and callbacks run on the session's event loop; nothing here runs per frame except
 * {@link #allowsResponse()}, a comparison. Public for the sideband of WebRTC calls, whose usage counts the same way.
 */
public final class SessionUsage implements RelayPolicy.ResponseBudget {

    private static final Logger LOG = Logger.getLogger(SessionUsage.class);

    private final UsageMeter meter;
    private final String identity;
    private Usage session = Usage.NONE;
    private Usage day = Usage.NONE;
    private LocalDate dayOf;

    public SessionUsage(UsageMeter meter, String identity) {
        this.meter = meter;
        this.identity = identity;
        this.dayOf = meter.today();
    }

    /** Adds what one {@code response.done} or transcription reported; null or empty adds nothing. */
    public void add(Usage delta) {
        add(delta, () -> {
        });
    }

    /** {@link #add(Usage)}, then {@code counted} once the identity's new day total is known (not when it failed). */
    public void add(Usage delta, Runnable counted) {
        if (delta == null || delta.isEmpty()) {
            return;
        }
        session = session.plus(delta);
        LocalDate today = meter.today();
        meter.add(identity, delta).subscribe().with(total -> {
            seen(today, total);
            counted.run();
        }, failure -> LOG.warnf("Usage of a session of %s not recorded (%s)", Identities.loggable(identity), failure.getMessage()));
    }

    /** Reads the identity's day total again (only when a budget is set: otherwise nobody needs it). */
    public void refresh() {
        if (!meter.budgeted() && !meter.liveBudgeted()) {
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

    /** Whether a {@code response.create} may go upstream: false once the identity's budget for today is spent. */
    @Override
    public boolean allowsResponse() {
        if (!meter.budgeted()) {
            return true;
        }
        return !dayOf.equals(meter.today()) || !meter.exhausted(day);
    }

    /** The identity's usage today as last seen (this session's additions and the renewal tick's reads). */
    public Usage day() {
        return dayOf.equals(meter.today()) ? day : Usage.NONE;
    }

    /** This session's own usage so far. */
    public Usage session() {
        return session;
    }

    @Override
    public String exhaustedMessage() {
        return meter.exhaustedMessage(day.billableTokens());
    }

    /** This session's usage for the end log line: {@code input_tokens:10,output_tokens:20,…}, or {@code none}. */
    public String summary() {
        return session.isEmpty() ? "none"
                : session.counts().entrySet().stream().map(e -> e.getKey().key() + ":" + e.getValue()).collect(Collectors.joining(","));
    }
}
