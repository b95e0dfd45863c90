package io.realtimegateway.admission;

import java.util.Objects;

import io.realtimegateway.auth.Caller;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.relay.RelayMetrics;
import io.realtimegateway.ticket.Ticket;
import io.realtimegateway.tracing.SessionTrace;
import io.vertx.core.http.HttpServerRequest;

/**
 * One request at a door, as the door parsed it: what {@link Admission#admit} needs. A problem the door's parsing
 * found is carried here and refused at {@link Step#BINDING}, after the credential, so a request without a valid
 * credential learns nothing about the rest.
 */
public final class Entry {

    final Door door;
    HttpServerRequest request;
    Caller caller;
    Ticket.Type type = Ticket.Type.REALTIME;
    String model;
    RelayMetrics.Refused malformedReason;
    ProblemException malformedProblem;
    SessionTrace trace = SessionTrace.NONE;

    private Entry(Door door) {
        this.door = Objects.requireNonNull(door);
    }

    public static Entry at(Door door) {
        return new Entry(door);
    }

    /** The HTTP request (or upgrade): its {@code Origin}, and the ticket of a ticket door. */
    public Entry request(HttpServerRequest request) {
        this.request = request;
        return this;
    }

    /** The caller that authenticated before the resource ran (doors taking {@link Door.Credential#CALLER}). */
    public Entry caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    /**
     * What the request asks to open.
     *
     * @param type the session type (a type the door could not parse is {@link #malformed(ProblemException)})
     * @param model the model asked for, null when none (the ticket's, else the default)
     */
    public Entry asks(Ticket.Type type, String model) {
        this.type = Objects.requireNonNull(type);
        this.model = model;
        return this;
    }

    /** The door's span: admission names who and what on it, and the step and reason of a refusal. */
    public Entry trace(SessionTrace trace) {
        this.trace = Objects.requireNonNull(trace);
        return this;
    }

    /** A request the door cannot serve, refused in-band with this reason's words (the relay's own refusals). */
    public Entry malformed(RelayMetrics.Refused reason) {
        this.malformedReason = reason;
        return this;
    }

    /** A request the door cannot serve, answered with this problem (not counted: the client's mistake, not a refusal). */
    public Entry malformed(ProblemException problem) {
        this.malformedProblem = problem;
        return this;
    }
}
