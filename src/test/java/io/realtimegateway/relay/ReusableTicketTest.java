package io.realtimegateway.relay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.state.StateStore;
import io.realtimegateway.state.TicketHolder;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.LogCapture;
import io.restassured.response.Response;
import io.vertx.core.http.UpgradeRejectedException;

/**
 * Reusable tickets for trusted backends (API-key callers): minted for one conversation, reused by sequential
 * sessions, one live session at a time (a new connection replaces the old, 1008), revocable by an admin, never from a
 * browser. Sockets are opened as a backend's (no {@code Origin}; Vert.x sends one by default). Replacement and revocation from "another replica" are simulated by writing to the shared state store, which
 * this replica's sessions read at their next renewal (a third of the 900 ms lease TTL here).
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class)
@TestProfile(ReusableTicketProfiles.ApiKeys.class)
class ReusableTicketTest extends RelaySocketTestBase {

    @Inject
    StateStore store;

    private static Response mint(String body) {
        return given().header("Authorization", "Bearer " + ReusableTicketProfiles.BACKEND_KEY).contentType("application/json").body(body)
                .post("/api/realtime/client-secret");
    }

    /** A reusable ticket for {@code identity}: its value and id. */
    private static String[] reusable(String identity) {
        Response response = mint("{\"session\":{\"model\":\"gpt-realtime\"},\"identity\":\"" + identity + "\",\"reusable\":true}");
        response.then().statusCode(200);
        return new String[] {response.path("value"), response.path("id")};
    }

    private static Response revoke(String id, String key) {
        return given().header("Authorization", "Bearer " + key).delete("/api/realtime/tickets/" + id);
    }

    private static int status(Throwable t) {
        return ((UpgradeRejectedException) t).getStatus();
    }

    @Test
    void anApiKeyCallerMintsAReusableTicketForOneConversation() {
        long now = Instant.now().getEpochSecond();
        mint("{\"identity\":\"room-1\",\"reusable\":true}").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("value", startsWith("ek_"))
                .body("session.model", equalTo("gpt-realtime"))
                .body("id", matchesPattern("[0-9a-f-]{36}"))
                .body("expires_at", org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.greaterThan((int) (now + Duration.ofHours(12).toSeconds() - 60)),
                        org.hamcrest.Matchers.lessThanOrEqualTo((int) (now + Duration.ofHours(12).toSeconds() + 5))));
        mint("{\"identity\":\"room-1\"}").then().statusCode(200).body("$", not(hasKey("id")));
        mint("{}").then().statusCode(200).body("$", not(hasKey("id")));
    }

    @Test
    void aBadIdentityIs400() {
        for (String identity : List.of("room/1", "room\\r\\nINFO forged", "x".repeat(129), "", "caf\u00e9")) {
            mint("{\"identity\":\"" + identity + "\",\"reusable\":true}").then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("identity"));
        }
        mint("{\"reusable\":true}").then().statusCode(400).body("errors[0].field", equalTo("identity"));
    }

    @Test
    void sequentialSessionsReuseTheTicket() {
        String ticket = reusable("room-seq")[0];
        for (int i = 0; i < 3; i++) {
            TestSocket socket = openAsBackend(ticket);
            socket.awaitEvent("session.created");
            socket.close();
            socket.awaitClosed();
        }
    }

    @Test
    void aNewConnectionReplacesTheLiveOneWhichIsClosedWithAReason() {
        String ticket = reusable("room-replace")[0];
        TestSocket other = openAsBackend(reusable("room-other")[0]);
        other.awaitEvent("session.created");
        TestSocket old = openAsBackend(ticket);
        old.awaitEvent("session.created");
        // The caller now holds its cap of two sessions: the reconnect takes over the conversation's slot, not a third.
        double before = metric(terminations("replaced"));
        TestSocket reconnect = openAsBackend(ticket);
        reconnect.awaitEvent("session.created");
        old.awaitClosed();
        assertThat(old.closeCode).isEqualTo(1008);
        assertThat(old.closeReason).isEqualTo("replaced by a new connection");
        assertThat(reconnect.closed).as("the reconnect lives on").isFalse();
        assertThat(other.closed).as("another conversation of the caller is untouched").isFalse();
        assertThat(metric(terminations("replaced"))).isEqualTo(before + 1);
    }

    @Test
    void aTakeOverOnAnotherReplicaEndsTheSessionAtItsNextRenewal() {
        String[] ticket = reusable("room-remote");
        TestSocket local = openAsBackend(ticket[0]);
        local.awaitEvent("session.created");
        // What another replica's redemption writes: a new holder of the ticket's slot.
        store.takeTicket(new TicketHolder(ticket[1], UUID.randomUUID().toString()), System.currentTimeMillis(), Duration.ofMinutes(15))
                .await().atMost(Duration.ofSeconds(10));
        local.awaitClosed();
        assertThat(local.closeCode).isEqualTo(1008);
        assertThat(local.closeReason).isEqualTo("replaced by a new connection");
    }

    @Test
    void revocationEndsTheLiveSessionAndRefusesTheNext() {
        String[] ticket = reusable("room-revoke");
        TestSocket live = openAsBackend(ticket[0]);
        live.awaitEvent("session.created");
        given().delete("/api/realtime/tickets/" + ticket[1]).then().statusCode(401).contentType("application/problem+json");
        revoke("not-a-ticket-id", ReusableTicketProfiles.ADMIN_KEY).then().statusCode(400).contentType("application/problem+json");
        try (LogCapture log = new LogCapture()) {
            revoke(ticket[1], ReusableTicketProfiles.ADMIN_KEY).then().statusCode(204);
            assertThat(log.lines()).as("the audit line: who (the admin key's fingerprint) and which ticket, no credential")
                    .anySatisfy(line -> assertThat(line).startsWith("io.realtimegateway.audit admin action: admin=")
                            .contains("action=revoke-ticket id=" + ticket[1]))
                    .noneSatisfy(line -> assertThat(line).contains(ReusableTicketProfiles.ADMIN_KEY))
                    .noneSatisfy(line -> assertThat(line).contains(ticket[0]));
        }
        live.awaitClosed();
        assertThat(live.closeCode).isEqualTo(1008);
        assertThat(live.closeReason).isEqualTo("ticket revoked");
        upgradeRequest().header("Authorization", "Bearer " + ticket[0]).get("/v1/realtime?model=gpt-realtime").then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("revoked")).body(not(containsString(ticket[0])));
        revoke(ticket[1], ReusableTicketProfiles.ADMIN_KEY).then().statusCode(204); // twice is harmless
    }

    @Test
    void aRevocationOnAnotherReplicaEndsTheSessionAtItsNextRenewal() {
        String[] ticket = reusable("room-remote-revoke");
        TestSocket live = openAsBackend(ticket[0]);
        live.awaitEvent("session.created");
        store.revokeTicket(ticket[1], Duration.ofHours(13)).await().atMost(Duration.ofSeconds(10));
        live.awaitClosed();
        assertThat(live.closeCode).isEqualTo(1008);
        assertThat(live.closeReason).isEqualTo("ticket revoked");
    }

    @Test
    void aReusableTicketFromABrowserIsRefusedBeforeTheUpgrade() {
        String ticket = reusable("room-browser")[0];
        String ownOrigin = "http://" + relay.getHost() + ":" + relay.getPort();
        int upgrades = fake.upgrades();
        upgradeRequest().header("Origin", ownOrigin).header("Authorization", "Bearer " + ticket).get("/v1/realtime?model=gpt-realtime")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_TYPE_BASE + "reusable-ticket-not-allowed")).body(not(containsString(ticket)));
        assertThatThrownBy(() -> connect("model=gpt-realtime", Map.of("Origin", ownOrigin), List.of("realtime", "openai-insecure-api-key." + ticket)))
                .isInstanceOf(UpgradeRejectedException.class).satisfies(t -> assertThat(status(t)).isEqualTo(403));
        assertThat(fake.upgrades()).isEqualTo(upgrades);
        // A single-use ticket from the same page is fine, and the reusable one still works from a backend (no Origin).
        TestSocket page = connect("model=gpt-realtime", Map.of("Origin", ownOrigin, "Authorization", "Bearer " + singleUse()), List.of());
        page.awaitEvent("session.created");
        openAsBackend(ticket).awaitEvent("session.created");
    }

    @Test
    void aSingleUseTicketOfTheSameCallerIsStillSingleUse() {
        String ticket = singleUse();
        openAsBackend(ticket).awaitEvent("session.created");
        assertThatThrownBy(() -> openAsBackend(ticket)).isInstanceOf(UpgradeRejectedException.class).satisfies(t -> assertThat(status(t)).isEqualTo(401));
    }

    private static String singleUse() {
        return mint("{}").then().statusCode(200).extract().path("value");
    }
}
