package io.realtimegateway.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.realtimegateway.preflight.CheckStatus;

/** {@code state.config}: silent in memory mode; redis mode needs QUARKUS_REDIS_HOSTS, shown without its password. */
class StateConfigCheckTest {

    @Test
    void memoryModeAddsNothingToTheReport() {
        assertThat(StateConfigCheck.check(StateConfig.Kind.MEMORY, Optional.empty())).isEmpty();
    }

    @Test
    void redisModeWithoutHostsFails() {
        var results = StateConfigCheck.check(StateConfig.Kind.REDIS, Optional.empty());
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(r.message()).isEqualTo("GATEWAY_STATE=redis but QUARKUS_REDIS_HOSTS is not set");
            assertThat(r.fix()).contains("QUARKUS_REDIS_HOSTS=redis://host:6379", "GATEWAY_STATE=memory");
        });
    }

    @Test
    void redisModeWithHostsIsOkAndHidesThePassword() {
        var results = StateConfigCheck.check(StateConfig.Kind.REDIS, Optional.of("redis://:hunter2hunter2@redis:6379"));
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CheckStatus.OK);
            assertThat(r.message()).isEqualTo("GATEWAY_STATE=redis at redis://***@redis:6379").doesNotContain("hunter2");
        });
    }
}
