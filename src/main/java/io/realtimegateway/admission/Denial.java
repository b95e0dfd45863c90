package io.realtimegateway.admission;

import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.relay.RelayMetrics;
import io.realtimegateway.ticket.Ticket;

/**
 * A refusal that a door delivers after the upgrade ({@link Door#inBand()}): the step, the metric reason (already
 * counted by {@link Admission}) and what the door's own words need. The door renders it (the relay: an
 * {@code invalid_request_error} event and 4000, or 1013 for a cap or the buffer budget); HTTP doors get
 * {@link #problem()} as the failure of {@link Admission#admit} instead.
 *
 * @param ticket the verified ticket, for wording a mismatch; null before the credential step
 * @param problem the same refusal as problem+json, for doors that answer over HTTP
 */
public record Denial(Step step, RelayMetrics.Refused reason, Ticket ticket, ProblemException problem) {
}
