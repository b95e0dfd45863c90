package io.realtimegateway.relay;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.admission.Admission;
import io.realtimegateway.admission.Admitted;
import io.realtimegateway.admission.Door;
import io.realtimegateway.admission.Entry;
import io.realtimegateway.auth.Credentials;
import io.realtimegateway.ticket.Ticket;
import io.realtimegateway.tracing.SessionTrace;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * The relay's door into {@link Admission}: its own parsing of the upgrade ({@code ?model=}, {@code ?intent=}, Beta
 * clients, {@code call_id}), then the pipeline. Refusals before the upgrade fail the result with a problem (401 for
 * ticket problems, 403 for a page's origin, 503 when the relay is off, draining or the ticket store cannot tell);
 * the rest ({@link Admitted#denial()}) are refused in-band after the upgrade, because browsers never see an HTTP status.
 */
@ApplicationScoped
class RelayAdmission {

    private static final String BETA_SUBPROTOCOL = "openai-beta.realtime-v1";

    private final Admission admission;

    RelayAdmission(Admission admission) {
        this.admission = admission;
    }

    Uni<Admitted> admit(HttpServerRequest request, SessionTrace trace) {
        Entry entry = Entry.at(Door.RELAY).request(request).trace(trace);
        List<String> subprotocols = Credentials.offeredSubprotocols(request);
        String intent = request.getParam("intent");
        String model = request.getParam("model");
        if (request.getHeader("OpenAI-Beta") != null || subprotocols.contains(BETA_SUBPROTOCOL)) {
            entry.malformed(RelayMetrics.Refused.BETA_CLIENT);
        } else if (request.getParam("call_id") != null) {
            entry.malformed(RelayMetrics.Refused.CALL_ID_NOT_SUPPORTED);
        } else if (intent != null && (!intent.equals("transcription") || model != null)) {
            entry.malformed(RelayMetrics.Refused.INVALID_INTENT);
        } else if (intent != null) {
            entry.asks(Ticket.Type.TRANSCRIPTION, null);
        } else {
            entry.asks(Ticket.Type.REALTIME, model);
        }
        return admission.admit(entry);
    }
}
