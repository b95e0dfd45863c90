package io.realtimegateway.console;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.relay.SessionRegistry;

/** A message of the console feed: JSON with a {@code type} ({@code snapshot}, {@code session.opened}, ...). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ConsoleEvent.Snapshot.class, name = "snapshot"),
        @JsonSubTypes.Type(value = ConsoleEvent.SessionOpened.class, name = "session.opened"),
        @JsonSubTypes.Type(value = ConsoleEvent.SessionClosed.class, name = "session.closed"),
        @JsonSubTypes.Type(value = ConsoleEvent.Sessions.class, name = "sessions"),
        @JsonSubTypes.Type(value = ConsoleEvent.CheckChanged.class, name = "check.changed"),
        @JsonSubTypes.Type(value = ConsoleEvent.Checks.class, name = "checks"),
        @JsonSubTypes.Type(value = ConsoleEvent.Counters.class, name = "counters"),
        @JsonSubTypes.Type(value = ConsoleEvent.ChartPoint.class, name = "chart.point") })
sealed interface ConsoleEvent {

    /** The whole page, sent first on every feed connection. */
    @RegisterForReflection
    record Snapshot(ConsoleViews.State state) implements ConsoleEvent {
    }

    /** A relay session started on this replica. */
    @RegisterForReflection
    record SessionOpened(SessionRegistry.LiveSession session) implements ConsoleEvent {
    }

    /** A relay session ended, with its close codes and final counters. */
    @RegisterForReflection
    record SessionClosed(SessionRegistry.ClosedSession closed) implements ConsoleEvent {
    }

    /** The live sessions with their traffic and usage so far, sent when any of it changed. */
    @RegisterForReflection
    record Sessions(List<SessionRegistry.LiveSession> live) implements ConsoleEvent {
    }

    /**
     * A check whose status changed between two preflight runs.
     *
     * @param was the previous status, or null for a check that was not in the previous report
     */
    @RegisterForReflection
    record CheckChanged(String name, CheckStatus was, CheckResult check) implements ConsoleEvent {
    }

    /** A new preflight report (a re-run, or readiness's periodic refresh), with readiness and the relay's state. */
    @RegisterForReflection
    record Checks(ConsoleViews.Checks checks, ConsoleViews.Readiness readiness, ConsoleViews.Relay relay) implements ConsoleEvent {
    }

    /** The counters, sent when they changed. */
    @RegisterForReflection
    record Counters(ConsoleCounters.Counters counters) implements ConsoleEvent {
    }

    /** A new point of the charts (one per {@code gateway.console.chart-interval}). */
    @RegisterForReflection
    record ChartPoint(ChartHistory.Point point) implements ConsoleEvent {
    }
}
