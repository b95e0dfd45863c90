package io.realtimegateway.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.testing.FakeOpenAiUpstream;

/**
 * The report order is declared by the checks (feature, place, offline before online), not derived from class names:
 * {@code check --json} keeps this order whatever the classes are called.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class) // the default profile's boot is the one with the fake: one boot for all
class PreflightOrderTest {

    /** The report of the test profile (online checks off), as {@code check --json} lists it. */
    static final List<String> OFFLINE_ORDER = List.of("auth.mode", "auth.admin-keys", "config.settings", "http.cors-origins",
            "livekit.keys.present", "livekit.keys.format", "livekit.config-file", "livekit.key-file.permissions",
            "livekit.api-key.format", "livekit.secret.format", "livekit.secret.public", "livekit.secret.length", "livekit.secret.digits",
            "livekit.keys.agree", "livekit.signing-key", "livekit.url",
            "token.policy",
            "openai.api-key", "openai.api-key.format", "openai.base-url",
            "realtime.ticket-secret", "realtime.live.models", "realtime.live.instructions", "realtime.live.delegation");

    @Inject
    Preflight preflight;

    @Inject
    @Any
    Instance<PreflightCheck> checks;

    @Test
    void reportOrderIsTheDeclaredOne() {
        assertThat(preflight.run().checks()).extracting(CheckResult::name).containsExactlyElementsOf(OFFLINE_ORDER);
    }

    @Test
    void onlineChecksComeLastInFeatureOrder() {
        assertThat(checks.stream().filter(PreflightCheck::online).sorted(Preflight.REPORT_ORDER).map(PreflightCheck::feature))
                .containsExactly(Feature.LIVEKIT, Feature.OPENAI, Feature.OPENAI, Feature.STATE); // openai.model-access, openai.live-access
    }

    @Test
    void everyCheckNameStartsWithItsFeatureAndNoTwoChecksShareAPlace() {
        Set<String> places = new HashSet<>();
        for (PreflightCheck check : checks) {
            assertThat(places.add(check.online() + "/" + check.feature() + "/" + check.place())).as(check.getClass().getName()).isTrue();
            if (!check.online()) {
                assertThat(check.run()).extracting(CheckResult::name).allSatisfy(name -> assertThat(name).startsWith(check.feature().key() + "."));
            }
        }
    }
}
