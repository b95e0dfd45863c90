package io.realtimegateway.console;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;

/**
 * Opens the feed only with a console ticket ({@code ?ticket=}, single use): 401 before the upgrade otherwise, with
 * the reason in {@code WWW-Authenticate} (a browser does not see it, and simply asks for a new ticket).
 */
@ApplicationScoped
class FeedTicketCheck implements HttpUpgradeCheck {

    private final ConsoleTickets tickets;

    FeedTicketCheck(ConsoleTickets tickets) {
        this.tickets = tickets;
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return ConsoleFeed.class.getName().equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        ConsoleTickets.Rejection rejection = tickets.redeem(context.httpRequest().getParam("ticket"));
        if (rejection == null) {
            return CheckResult.permitUpgrade();
        }
        return CheckResult.rejectUpgrade(401, Map.of("WWW-Authenticate",
                List.of("Bearer realm=\"realtime-gateway console\", error=\"invalid_token\", error_description=\"" + rejection.detail + "\"")));
    }
}
