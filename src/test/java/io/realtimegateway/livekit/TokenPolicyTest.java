package io.realtimegateway.livekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.DurationConverter;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.problem.ProblemException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The token.policy check and the request rules, without booting the app. */
class TokenPolicyTest {

    static TokenConfig config(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return new SmallRyeConfigBuilder().withMapping(TokenConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(map, "test", 500)).build().getConfigMapping(TokenConfig.class);
    }

    @Test
    void defaultsAreTenMinutesWithinSixHours() {
        TokenConfig defaults = config();
        assertThat(defaults.ttl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(TokenPolicyCheck.evaluate(defaults).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void ttlAboveTheMaximumFails() {
        var result = TokenPolicyCheck.evaluate(config("gateway.token.ttl", "2h", "gateway.token.max-ttl", "1h"));
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.message()).contains("gateway.token.ttl", "max-ttl");
        assertThat(TokenPolicyCheck.evaluate(config("gateway.token.ttl", "0s")).status()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void ttlWithinTheClientRefreshMarginWarns() {
        assertThat(TokenPolicyCheck.evaluate(config("gateway.token.ttl", "45s")).status()).isEqualTo(CheckStatus.WARN);
    }

    @Test
    void badPatternsAndSourcesFail() {
        assertThat(TokenPolicyCheck.evaluate(config("gateway.token.room-pattern", "[unclosed")).message()).contains("room-pattern");
        assertThat(TokenPolicyCheck.evaluate(config("gateway.token.grant.can-publish-sources", "camera,webcam")).message()).contains("webcam");
        assertThatThrownBy(() -> new TokenPolicy(config("gateway.token.identity-pattern", "(")).claims(request("a", null, null, null)))
                .isInstanceOf(ProblemException.class).satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(503));
    }

    @Test
    void customPatternsApplyAndLimitsAreInBytes() throws Exception {
        TokenPolicy policy = new TokenPolicy(config("gateway.token.identity-pattern", "u-[0-9]+", "gateway.token.max-metadata-bytes", "4"));
        assertThat(policy.claims(request("u-42", "r", null, null)).identity())
                .isEqualTo("u-42");
        assertThatThrownBy(() -> policy.claims(request("alice", "r", null, null)))
                .isInstanceOf(ProblemException.class);
        // 3 characters, 6 bytes
        assertThatThrownBy(() -> policy.claims(request("u-1", "r", "äöü", null)))
                .isInstanceOf(ProblemException.class);
        var roomConfig = new ObjectMapper().readTree("{\"agents\":[{\"agent_name\":\"any\"}]}");
        assertThat(policy.claims(request("u-1", "r", null, roomConfig)).roomConfig())
                .isEqualTo(Map.of("agents", java.util.List.of(Map.of("agentName", "any"))));
    }

    @Test
    void videoGrantFollowsThePolicy() {
        TokenPolicy policy = new TokenPolicy(config("gateway.token.grant.can-publish", "false", "gateway.token.grant.room-create", "true"));
        Map<String, Object> video = policy.videoGrant("r1");
        assertThat(video).containsEntry("roomJoin", true).containsEntry("room", "r1").containsEntry("canPublish", false)
                .containsEntry("canSubscribe", true).containsEntry("canPublishData", true).containsEntry("canUpdateOwnMetadata", false)
                .containsEntry("roomCreate", true).doesNotContainKeys("canPublishSources", "hidden", "roomName");
    }

    private static TokenPolicy.ClaimsRequest request(String identity, String room, String metadata, JsonNode roomConfig) {
        return TokenPolicy.ClaimsRequest.tokenSource(new TokenSourceRequest(room, null, null, metadata, null, roomConfig), identity);
    }
}
