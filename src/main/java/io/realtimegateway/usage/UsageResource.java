package io.realtimegateway.usage;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.realtimegateway.auth.Identities;
import io.realtimegateway.auth.Roles;
import io.realtimegateway.problem.Problem;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.Problems;
import io.realtimegateway.state.StateUnavailableException;
import io.realtimegateway.state.Usage;
import io.smallrye.mutiny.Uni;

/** An identity's relay usage per UTC day, for admins ({@code GATEWAY_ADMIN_API_KEYS}; {@code AdminAuthenticator} decides who that is). */
@Path("/api/realtime/usage")
@Tag(name = "Realtime relay")
public class UsageResource {

    private final UsageMeter meter;

    UsageResource(UsageMeter meter) {
        this.meter = meter;
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Relay usage of an identity", description = "Token counters of one identity (a ticket's caller id) on one UTC day"
            + " (default today), and its budget. Admin credential: Authorization: Bearer <GATEWAY_ADMIN_API_KEYS key>.")
    @APIResponse(responseCode = "200", description = "The usage", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = UsageReport.class)))
    @APIResponse(responseCode = "400", description = "identity missing or with control characters, or day not YYYY-MM-DD", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "Missing or invalid admin credential", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "A token caller's credential, not an admin key (prod)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "404", description = "No admin key is configured (prod): the endpoint does not exist", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "The state store (Redis) cannot answer", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<UsageReport> usage(@QueryParam("identity") String identity, @QueryParam("day") String day) {
        if (identity == null || identity.isBlank()) {
            throw ProblemException.invalid(List.of(new Problem.FieldError("identity", "is required: the identity (a ticket's caller id) to report")));
        }
        if (Identities.hasControlCharacter(identity)) {
            throw ProblemException.invalid(List.of(new Problem.FieldError("identity", Identities.NO_CONTROL_CHARACTERS)));
        }
        LocalDate date;
        try {
            date = day == null || day.isBlank() ? meter.today() : LocalDate.parse(day);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(List.of(new Problem.FieldError("day", "must be a UTC date as YYYY-MM-DD")));
        }
        return meter.usage(identity, date)
                .onFailure(StateUnavailableException.class).transform(e -> Problems.stateUnavailable("usage"))
                .map(usage -> report(identity, date, usage));
    }

    private UsageReport report(String identity, LocalDate day, Usage usage) {
        Map<String, Long> counters = new LinkedHashMap<>();
        usage.counts().forEach((field, value) -> counters.put(field.key(), value));
        UsageReport.Budget budget = null;
        if (meter.budgeted()) {
            long tokensPerDay = meter.tokensPerDay();
            budget = new UsageReport.Budget(tokensPerDay, Math.max(0, tokensPerDay - usage.billableTokens()), meter.exhausted(usage),
                    day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).toString());
        }
        return new UsageReport(identity, day.toString(), counters, usage.billableTokens(), budget);
    }
}
