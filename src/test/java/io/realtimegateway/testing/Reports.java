package io.realtimegateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.realtimegateway.preflight.CheckResult;

/** Assertions on preflight results shared by the feature check tests. */
public final class Reports {

    private Reports() {
    }

    /** The result named {@code name}; fails the test when there is none. */
    public static CheckResult result(List<CheckResult> results, String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    /** No message or fix quotes the secret. */
    public static void assertNoSecret(List<CheckResult> results, String secret) {
        for (CheckResult r : results) {
            assertThat(r.message() + " " + r.fix()).doesNotContain(secret);
        }
    }
}
