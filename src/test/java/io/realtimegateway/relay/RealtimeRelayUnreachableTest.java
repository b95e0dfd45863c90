package io.realtimegateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.Profiles;

/** Upstream that cannot be reached: the client's upgrade succeeds, then it is closed with 1011 and a reason. */
@QuarkusTest
@TestProfile(Profiles.OpenAiDown.class)
class RealtimeRelayUnreachableTest extends RelaySocketTestBase {

    @Test
    void unreachableUpstreamCloses1011WithAReason() {
        double terminated = metric(terminations("upstream_unreachable"));
        TestSocket socket = open(ticket());
        socket.awaitClosed();
        assertThat(socket.closeCode).isEqualTo(1011);
        assertThat(socket.closeReason).contains("upstream unreachable");
        assertThat(metric(terminations("upstream_unreachable"))).isEqualTo(terminated + 1);
    }
}
