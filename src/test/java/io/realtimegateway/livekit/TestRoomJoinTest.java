package io.realtimegateway.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** What {@link TestRoomJoin} passes on of livekit-server's answer. */
class TestRoomJoinTest {

    @Test
    void aTokenLiveKitEchoesIsRedactedAndLongAnswersAreCut() {
        String token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        assertThat(TestRoomJoin.redact("invalid token: " + token + ", error: token is expired\n", token))
                .isEqualTo("invalid token: <token>, error: token is expired");
        assertThat(TestRoomJoin.redact("x".repeat(400), token)).hasSize(301);
        assertThat(TestRoomJoin.redact(null, token)).isEmpty();
    }

    @Test
    void aJoinPrintsWithoutItsToken() {
        String token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        TestRoomJoin.Join join = new TestRoomJoin.Join(token, "wss://lk.example.test", "APIkey", TestRoomJoin.ROOM, "console-abc123",
                Instant.EPOCH);
        assertThat(join.toString()).contains("console-abc123", "wss://lk.example.test").doesNotContain(token).doesNotContain("c2lnbmF0dXJl");
    }
}
