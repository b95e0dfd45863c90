package io.realtimegateway.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link Preflight#REPORT_ORDER} without booting: declared feature and place decide, class names do not. */
class PreflightUnitTest {

    private record Declared(String name, Feature feature, int place, boolean online) implements PreflightCheck {
        @Override
        public List<CheckResult> run() {
            return List.of(CheckResult.ok(name, "ok"));
        }
    }

    @Test
    void offlineFirstThenFeatureThenPlace() {
        Declared onlineLiveKit = new Declared("livekit.server", Feature.LIVEKIT, 0, true);
        Declared relay = new Declared("realtime.ticket-secret", Feature.RELAY, 0, false);
        Declared secondAuth = new Declared("auth.second", Feature.AUTH, 1, false);
        Declared auth = new Declared("auth.mode", Feature.AUTH, 0, false);
        Declared openai = new Declared("openai.api-key", Feature.OPENAI, 0, false);
        assertThat(List.of(onlineLiveKit, relay, secondAuth, auth, openai).stream().sorted(Preflight.REPORT_ORDER).map(Declared::name))
                .containsExactly("auth.mode", "auth.second", "openai.api-key", "realtime.ticket-secret", "livekit.server");
    }
}
