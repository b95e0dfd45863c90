package io.realtimegateway.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * Rolling deploys (docs/deploy.md): replicas of the previous and the next version share one Redis, so the key names and
 * the commands on them are a contract between versions. This golden list is what the Redis state store writes today;
 * a change to it must come with a migration note in docs/deploy.md, because old and new replicas would count the same
 * ticket, lease, rate window or budget under two names during the deploy. No Redis here: a recording data source
 * captures each command's keys (and the usage hash's field names).
 */
class RedisKeyNamesTest {

    /** What each operation sends: the command and its keys, under the default prefix {@code realtime-gateway:}. */
    static final List<String> GOLDEN = List.of(
            "claim: SET realtime-gateway:claim:ticket-id-1",
            "lease acquire: EVALSHA realtime-gateway:{lease}:total realtime-gateway:{lease}:identity:alice realtime-gateway:{lease}:caller:alice",
            "lease renew: EVALSHA realtime-gateway:{lease}:total realtime-gateway:{lease}:identity:alice realtime-gateway:{lease}:caller:alice",
            "lease release: EVALSHA realtime-gateway:{lease}:total realtime-gateway:{lease}:identity:alice realtime-gateway:{lease}:caller:alice",
            "rate: EVALSHA realtime-gateway:rate:tokens:api-key:abc",
            "usage add: EVALSHA realtime-gateway:usage:2026-12-08:alice | 2764800000 total_tokens 5",
            "usage read: EVALSHA realtime-gateway:usage:2026-12-08:alice");

    private final List<String> sent = new ArrayList<>();

    @Test
    void theKeyNamesAreThePreviousVersions() {
        RedisStateStore store = new RedisStateStore(this::recorder, config());
        Lease lease = new Lease("alice", "lease-1");
        LocalDate day = LocalDate.of(2026, 12, 8);

        record("claim", store.claimOnce("ticket-id-1", Duration.ofSeconds(90)));
        record("lease acquire", store.acquireLease(lease, new LeaseCaps(1, 10)));
        record("lease renew", store.renewLease(lease));
        record("lease release", store.releaseLease(lease));
        record("rate", store.hit("tokens", "api-key:abc", new RateLimit(2, Duration.ofMinutes(1))));
        record("usage add", store.addUsage("alice", day, Usage.builder().add(UsageField.TOTAL_TOKENS, 5).build()));
        record("usage read", store.usage("alice", day));

        assertThat(sent).containsExactlyElementsOf(GOLDEN);
    }

    private String current;

    private void record(String operation, Uni<?> call) {
        current = operation;
        try {
            call.await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException expected) {
            // The recorder answers every command with a failure: only what was sent matters here.
        }
    }

    /** A data source whose {@code execute(command, args...)} records the command and its keys, then fails. */
    private ReactiveRedisDataSource recorder() {
        return (ReactiveRedisDataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ReactiveRedisDataSource.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("execute") || args.length != 2 || !(args[0] instanceof String command)) {
                        throw new UnsupportedOperationException(method.toString());
                    }
                    List<String> arguments = Arrays.asList((String[]) args[1]);
                    List<String> keys = switch (command) {
                        case "SET" -> arguments.subList(0, 1);
                        // EVALSHA sha numkeys key... arg...
                        case "EVALSHA", "EVAL" -> arguments.subList(2, 2 + Integer.parseInt(arguments.get(1)));
                        default -> throw new AssertionError("a command this list does not know: " + command);
                    };
                    String line = current + ": " + command + " " + String.join(" ", keys);
                    if (current.equals("usage add")) {
                        // the hash's field names are the format too: retention ms, then field/delta pairs
                        line += " | " + String.join(" ", arguments.subList(2 + keys.size(), arguments.size()));
                    }
                    sent.add(line);
                    return Uni.createFrom().failure(new IllegalStateException("recorded"));
                });
    }

    private static StateConfig config() {
        return new StateConfig() {
            @Override
            public Kind kind() {
                return Kind.REDIS;
            }

            @Override
            public Duration leaseTtl() {
                return Duration.ofSeconds(15);
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(2);
            }

            @Override
            public String keyPrefix() {
                return "realtime-gateway:"; // the default (@WithDefault), which a deploy keeps unless GATEWAY_STATE_KEY_PREFIX changes
            }

            @Override
            public Duration usageRetention() {
                return Duration.ofDays(32);
            }
        };
    }
}
