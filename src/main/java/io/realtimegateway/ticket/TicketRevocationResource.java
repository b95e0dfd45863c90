package io.realtimegateway.ticket;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

import io.quarkus.security.identity.SecurityIdentity;
import io.realtimegateway.auth.Identities;
import io.realtimegateway.auth.Roles;
import io.realtimegateway.problem.Problem;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.Problems;
import io.realtimegateway.state.StateUnavailableException;
import io.smallrye.mutiny.Uni;

/** Revokes a reusable relay ticket by its id, for admins: every replica refuses it from now on, and its live session ends. */
@Path("/api/realtime/tickets/{id}")
@Tag(name = "Realtime relay")
public class TicketRevocationResource {

    /** The admin actions' audit category, the console's too: who revoked what, never a credential. */
    private static final Logger AUDIT = Logger.getLogger("io.realtimegateway.audit");
    /** Ticket ids are the JWT ids the gateway issues: UUIDs. Anything else names no ticket (and is never stored). */
    private static final Pattern TICKET_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final TicketService tickets;
    private final SecurityIdentity identity;

    TicketRevocationResource(TicketService tickets, SecurityIdentity identity) {
        this.tickets = tickets;
        this.identity = identity;
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Revoke a reusable relay ticket", description = "By its id (the id of the client-secret answer, also in the"
            + " gateway's log line for the issue). Stored in the state store, so every replica refuses the ticket; its live session is closed"
            + " (1008, reason \"ticket revoked\"), at once on this replica and within a third of gateway.state.lease-ttl on another."
            + " Revoking an id twice, or an unknown one, is harmless. Admin credential: Authorization: Bearer <GATEWAY_ADMIN_API_KEYS key>.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "400", description = "The id is not a ticket id (a UUID)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "Missing or invalid admin credential", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "A token caller's credential, not an admin key (prod)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "404", description = "No admin key is configured (prod): the endpoint does not exist", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "The state store cannot keep the revocation", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<RestResponse<Void>> revoke(@PathParam("id") String id) {
        if (id == null || !TICKET_ID.matcher(id).matches()) {
            throw ProblemException.invalid(List.of(new Problem.FieldError("id", "must be a ticket id (a lowercase UUID, the id of the client-secret answer)")));
        }
        return tickets.revoke(id)
                .onFailure(StateUnavailableException.class).transform(e -> Problems.stateUnavailable("revocations"))
                // A DELETE is never a simple cross-site request: a page elsewhere cannot send it without passing CORS.
                .invoke(() -> AUDIT.infof("admin action: admin=%s action=revoke-ticket id=%s status=204",
                        Identities.loggable(identity.getPrincipal().getName()), id))
                .map(done -> RestResponse.noContent());
    }
}
