package io.realtimegateway.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.Preflight;
import io.realtimegateway.preflight.PreflightReport;
import io.realtimegateway.relay.SessionRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The open feed connections and what they are sent. While at least one is open, a timer samples every
 * {@code gateway.console.sample-interval}: the live sessions (read on their own loops by {@link SessionRegistry}),
 * the closed ones, the latest preflight report, the counters and the charts' new points ({@link ChartSampler}), and
 * publishes what changed since the last sample.
 * Nothing is pushed from the relay's data path, and nothing runs while no console is open.
 * <p>
 * Each connection has a {@link FeedBudget}, which admits a sample's events together; one that falls behind is closed
 * with 1008 instead of being queued for.
 */
@ApplicationScoped
class FeedHub {

    static final short TOO_SLOW = 1008;
    private static final Logger LOG = Logger.getLogger(FeedHub.class);

    /** One open feed. {@code ready} once its snapshot is written: nothing is sent before it. */
    private record Subscriber(WebSocketConnection connection, FeedBudget budget, AtomicBoolean ready) {
    }

    /** What the last sample saw; touched only by the sample in progress ({@link #sampling} orders them). */
    private static final class Baseline {
        Map<String, SessionRegistry.LiveSession> live = Map.of();
        long closedSeq;
        Instant checkedAt;
        Map<String, CheckStatus> statuses = Map.of();
        ConsoleCounters.Counters counters;
        long chartSeq;
    }

    private final ConsoleConfig config;
    private final ConsoleState state;
    private final ConsoleJson json;
    private final SessionRegistry sessions;
    private final Preflight preflight;
    private final ConsoleCounters counters;
    private final ChartSampler charts;
    private final Vertx vertx;
    private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final AtomicBoolean sampling = new AtomicBoolean();
    private Baseline baseline;
    /** Set when sampling (re)starts, before the first snapshot is built, so that nothing after it is missed. */
    private final AtomicReference<Baseline> restart = new AtomicReference<>();
    private long timer = -1; // guarded by this

    FeedHub(ConsoleConfig config, ConsoleState state, ConsoleJson json, SessionRegistry sessions, Preflight preflight, ConsoleCounters counters,
            ChartSampler charts, Vertx vertx) {
        this.config = config;
        this.state = state;
        this.json = json;
        this.sessions = sessions;
        this.preflight = preflight;
        this.counters = counters;
        this.charts = charts;
        this.vertx = vertx;
    }

    /** A new feed: its snapshot first, then it receives what the samples publish. */
    Uni<Void> join(WebSocketConnection connection) {
        Subscriber subscriber = new Subscriber(connection, new FeedBudget(config.maxInFlightMessages(), config.maxInFlightBytes()),
                new AtomicBoolean());
        subscribers.put(connection.id(), subscriber);
        startSampling();
        return state.state().invoke(snapshot -> {
            send(subscriber, json.write(new ConsoleEvent.Snapshot(snapshot)));
            subscriber.ready().set(true);
        }).replaceWithVoid();
    }

    void leave(WebSocketConnection connection) {
        subscribers.remove(connection.id());
        synchronized (this) {
            if (subscribers.isEmpty() && timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }

    int connections() {
        return subscribers.size();
    }

    private synchronized void startSampling() {
        if (timer < 0) {
            Baseline fresh = new Baseline();
            List<SessionRegistry.ClosedSession> closed = sessions.closed();
            fresh.closedSeq = closed.isEmpty() ? 0 : closed.get(closed.size() - 1).seq();
            PreflightReport report = preflight.latest();
            fresh.checkedAt = report.checkedAt();
            fresh.statuses = statuses(report);
            fresh.chartSeq = charts.history().seq();
            restart.set(fresh);
            timer = vertx.setPeriodic(Math.max(50, config.sampleInterval().toMillis()), id -> sample());
        }
    }

    /** One sample; skipped while the previous one is still reading (a session loop may be busy). */
    void sample() {
        if (!sampling.compareAndSet(false, true)) {
            return;
        }
        PreflightReport report = preflight.latest();
        sessions.sample().subscribe().with(live -> {
            try {
                publishChanges(live, report);
            } finally {
                sampling.set(false);
            }
        }, failure -> {
            LOG.debugf("Console sample failed: %s", failure.getClass().getName());
            sampling.set(false);
        });
    }

    private void publishChanges(List<SessionRegistry.LiveSession> live, PreflightReport report) {
        Map<String, SessionRegistry.LiveSession> byId = new LinkedHashMap<>();
        live.forEach(s -> byId.put(s.id(), s));
        List<SessionRegistry.ClosedSession> closed = sessions.closed();
        ConsoleCounters.Counters now = counters.read();
        Baseline fresh = restart.getAndSet(null);
        if (fresh != null) {
            baseline = fresh; // no live sessions and no counters yet: the first sample sends them
        }
        List<ConsoleEvent> events = new ArrayList<>();
        for (SessionRegistry.LiveSession session : live) {
            if (!baseline.live.containsKey(session.id())) {
                events.add(new ConsoleEvent.SessionOpened(session));
            }
        }
        for (SessionRegistry.ClosedSession ended : closed) {
            if (ended.seq() > baseline.closedSeq) {
                events.add(new ConsoleEvent.SessionClosed(ended));
                baseline.closedSeq = ended.seq();
            }
        }
        if (!byId.equals(baseline.live)) {
            events.add(new ConsoleEvent.Sessions(live));
        }
        baseline.live = byId;
        for (ChartHistory.Point point : charts.history().since(baseline.chartSeq)) {
            events.add(new ConsoleEvent.ChartPoint(point));
            baseline.chartSeq = point.seq();
        }
        if (!now.equals(baseline.counters)) {
            events.add(new ConsoleEvent.Counters(now));
            baseline.counters = now;
        }
        if (!report.checkedAt().equals(baseline.checkedAt)) {
            Map<String, CheckStatus> statuses = statuses(report);
            for (CheckResult check : report.checks()) {
                CheckStatus was = baseline.statuses.get(check.name());
                if (was != check.status()) {
                    events.add(new ConsoleEvent.CheckChanged(check.name(), was, check));
                }
            }
            baseline.checkedAt = report.checkedAt();
            baseline.statuses = statuses;
            List<ConsoleEvent> ready = events;
            state.readiness(report).subscribe().with(readiness -> {
                ready.add(new ConsoleEvent.Checks(ConsoleViews.Checks.of(report), readiness, state.relay()));
                publish(ready);
            }, failure -> publish(ready));
            return;
        }
        publish(events);
    }

    private static Map<String, CheckStatus> statuses(PreflightReport report) {
        Map<String, CheckStatus> out = new LinkedHashMap<>();
        report.checks().forEach(c -> out.put(c.name(), c.status()));
        return out;
    }

    /** One sample's events, admitted to each connection's budget together (see {@link FeedBudget}). */
    private void publish(List<ConsoleEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<String> texts = new ArrayList<>(events.size());
        long size = 0;
        for (ConsoleEvent event : events) {
            String text = json.write(event);
            texts.add(text);
            size += text.length();
        }
        for (Subscriber subscriber : subscribers.values()) {
            if (subscriber.ready().get()) {
                send(subscriber, texts, size);
            }
        }
    }

    private void send(Subscriber subscriber, String text) {
        send(subscriber, List.of(text), text.length());
    }

    private void send(Subscriber subscriber, List<String> texts, long size) {
        if (!subscriber.budget().admit(texts.size(), size)) {
            drop(subscriber);
            return;
        }
        for (String text : texts) {
            int length = text.length();
            subscriber.connection().sendText(text).subscribe().with(v -> subscriber.budget().written(length),
                    failure -> subscriber.budget().written(length));
        }
    }

    private void drop(Subscriber subscriber) {
        if (subscribers.remove(subscriber.connection().id()) == null) {
            return;
        }
        LOG.infof("Console feed %s dropped: it read too slowly (%d messages in flight)", subscriber.connection().id(), subscriber.budget().messages());
        subscriber.connection().close(new CloseReason(TOO_SLOW, "console too slow to read: dropped, reconnect for a new snapshot"))
                .subscribe().with(v -> {
                }, failure -> {
                });
    }
}
