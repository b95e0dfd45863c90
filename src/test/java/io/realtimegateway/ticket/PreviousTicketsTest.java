package io.realtimegateway.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.realtimegateway.relay.RelayUnitsTest;
import io.realtimegateway.testing.Environments;
import io.vertx.core.json.JsonObject;

/**
 * Rolling deploys (docs/deploy.md): a ticket minted by the previous version, still in a client's hands while the
 * replicas are replaced, must verify on the next one. The fixtures are real tickets of the current format (since the
 * ticket claims {@code mdl} and {@code sty}), minted by {@code TicketService.sign} with {@link #FIXTURE_KEY}; they are
 * long expired, so the test moves their {@code iat} and {@code exp} to now, changes nothing else in the signed bytes,
 * and signs them again with an HMAC of its own (javax.crypto), as the previous replica would have.
 * <p>
 * New claims may be added to tickets, but a ticket without them (these) must keep verifying with the same outcome.
 */
class PreviousTicketsTest {

    /** The fixtures' key: public on purpose, it signs nothing but these fixtures (not a {@code Secrets} value: it is fixed). */
    static final String FIXTURE_KEY = "rolling-deploy-fixture-key-signs-only-this-fixture-0123456789";

    /** Minted for caller {@code api-key:3f1a9c0b2d4e}, realtime session, gpt-realtime, iat 1796684400, 60 s. */
    static final String REALTIME = "ek_eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJpc3MiOiJyZWFsdGltZS1nYXRld2F5IiwiYXVkIjoicmVhbHRpbWUtcmVsYXkiLCJzdWIiOiJhcGkta2V5OjNmMWE5YzBiMmQ0ZSIsImp0aSI6"
            + "IjE1MjcwOWE4LWMwYWUtNGU3Yy05ZGY2LTEzOTI5MTczMjcwOSIsIm1kbCI6ImdwdC1yZWFsdGltZSIsInN0eSI6InJlYWx0aW1lIiwiaWF0IjoxNz"
            + "k2Njg0NDAwLCJleHAiOjE3OTY2ODQ0NjB9"
            + ".RA_-j6eocpsDojJZnpFZ_M-nBWJoqht4OrpCwRy1n4Q";

    /** Minted for caller {@code jwt:carol}, transcription session, gpt-realtime-mini, iat 1796684400, 60 s. */
    static final String TRANSCRIPTION = "ek_eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJpc3MiOiJyZWFsdGltZS1nYXRld2F5IiwiYXVkIjoicmVhbHRpbWUtcmVsYXkiLCJzdWIiOiJqd3Q6Y2Fyb2wiLCJqdGkiOiJkNWU4NTAwZS05"
            + "NTIyLTRlNmQtOTExOC05MWU5OGJjNjY1NDMiLCJtZGwiOiJncHQtcmVhbHRpbWUtbWluaSIsInN0eSI6InRyYW5zY3JpcHRpb24iLCJpYXQiOjE3OT"
            + "Y2ODQ0MDAsImV4cCI6MTc5NjY4NDQ2MH0"
            + ".7g3z_dKAr0nN0HmukMwoo91iqPtbbuHOFhBvHlTTngk";

    private final TicketService tickets = new TicketService(
            RelayUnitsTest.config(Map.of("ticketSecret", Optional.of(FIXTURE_KEY), "ticketTtl", Duration.ofSeconds(60))),
            Environments.PROD, null, null);

    @Test
    void theFixturesAreRealTicketsOfThatFormat() throws GeneralSecurityException {
        for (String fixture : new String[] { REALTIME, TRANSCRIPTION }) {
            String[] parts = fixture.substring("ek_".length()).split("\\.");
            assertThat(parts[2]).as("the fixture's own signature").isEqualTo(hmac(parts[0] + "." + parts[1]));
            assertThat(json(parts[0]).getMap()).isEqualTo(Map.of("alg", "HS256", "typ", "JWT"));
            assertThat(json(parts[1]).fieldNames()).containsExactlyInAnyOrder("iss", "aud", "sub", "jti", "mdl", "sty", "iat", "exp");
        }
    }

    @Test
    void aTicketOfThePreviousVersionStillVerifies() throws Exception {
        Ticket realtime = tickets.verify(movedToNow(REALTIME));
        // Without the claims this round added (idn, reu): a single-use ticket for its caller, as before.
        assertThat(realtime).isEqualTo(new Ticket("152709a8-c0ae-4e7c-9df6-139291732709", "api-key:3f1a9c0b2d4e", "gpt-realtime",
                Ticket.Type.REALTIME, realtime.expiresAt(), null, false, realtime.issuedAt()));
        assertThat(realtime.expiresAt() - realtime.issuedAt()).isEqualTo(60);
        assertThat(realtime.expiresAt()).isBetween(Instant.now().getEpochSecond(), Instant.now().getEpochSecond() + 60);

        Ticket transcription = tickets.verify(movedToNow(TRANSCRIPTION));
        assertThat(transcription.callerId()).isEqualTo("jwt:carol");
        assertThat(transcription.model()).isEqualTo("gpt-realtime-mini");
        assertThat(transcription.type()).isEqualTo(Ticket.Type.TRANSCRIPTION);
    }

    @Test
    void asMintedTheyAreExpiredAndAnotherKeyRefusesThem() {
        assertThatThrownBy(() -> tickets.verify(REALTIME)).isInstanceOf(TicketRejectedException.class)
                .satisfies(e -> assertThat(((TicketRejectedException) e).reason()).isEqualTo(TicketRejectedException.Reason.EXPIRED));
        TicketService other = new TicketService(RelayUnitsTest.config(Map.of("ticketSecret", Optional.of(FIXTURE_KEY + "-rotated"),
                "ticketTtl", Duration.ofSeconds(60))), Environments.PROD, null, null);
        assertThatThrownBy(() -> other.verify(movedToNow(REALTIME))).isInstanceOf(TicketRejectedException.class)
                .satisfies(e -> assertThat(((TicketRejectedException) e).reason()).isEqualTo(TicketRejectedException.Reason.INVALID));
    }

    /** The fixture with {@code iat} and {@code exp} moved to now (same lifetime), signed again with {@link #FIXTURE_KEY}. */
    private static String movedToNow(String fixture) throws GeneralSecurityException {
        String[] parts = fixture.substring("ek_".length()).split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond() - 1;
        String moved = claims.replace("\"iat\":1796684400", "\"iat\":" + now).replace("\"exp\":1796684460", "\"exp\":" + (now + 60));
        assertThat(moved).as("the fixture's times").isNotEqualTo(claims);
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(moved.getBytes(StandardCharsets.UTF_8));
        return "ek_" + parts[0] + "." + payload + "." + hmac(parts[0] + "." + payload);
    }

    private static String hmac(String signingInput) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(FIXTURE_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static JsonObject json(String part) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
    }
}
