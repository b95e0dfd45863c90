package io.realtimegateway.state;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.CheckStatus;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.NetworkFailure;
import io.realtimegateway.preflight.OnlineProbe;
import io.realtimegateway.preflight.PreflightCheck;
import io.realtimegateway.preflight.PreflightConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * {@code state.redis} (online, redis mode only, run even when the other online checks are off): Redis answers {@code PING} and a write/read round trip under
 * the gateway's key prefix. Unreachable, refused credentials (NOAUTH/WRONGPASS) and TLS failures are named with
 * their fix. A failing Redis means this replica cannot admit sessions, so the result feeds readiness like any FAIL.
 */
@ApplicationScoped
class RedisStateCheck implements PreflightCheck {

    static final String NAME = "state.redis";
    private static final Logger LOG = Logger.getLogger(RedisStateCheck.class);

    private final StateConfig state;
    private final PreflightConfig preflight;
    private final Instance<ReactiveRedisDataSource> redis;

    RedisStateCheck(StateConfig state, PreflightConfig preflight, Instance<ReactiveRedisDataSource> redis) {
        this.state = state;
        this.preflight = preflight;
        this.redis = redis;
    }

    @Override
    public Feature feature() {
        return Feature.STATE;
    }

    @Override
    public boolean online() {
        return true;
    }

    /** Whatever GATEWAY_PREFLIGHT_ONLINE says: without Redis this replica admits nothing, and readiness must say so. */
    @Override
    public boolean essential() {
        return true;
    }

    @Override
    public List<CheckResult> run() {
        if (state.kind() != StateConfig.Kind.REDIS) {
            return List.of();
        }
        Optional<String> hosts = StateConfigCheck.hosts();
        if (hosts.isEmpty()) {
            return List.of(); // state.config has failed already: nothing to probe
        }
        Commands commands = (command, args) -> redis.get().execute(command, args);
        return List.of(new Probe(commands, redacted(hosts.get()), state.keyPrefix(), preflight.timeout(), OnlineProbe.of(preflight)).run());
    }

    /** {@code QUARKUS_REDIS_HOSTS} without passwords: {@code redis://:secret@h:6379} shows as {@code redis://***@h:6379}. */
    static String redacted(String hosts) {
        return Arrays.stream(hosts.split(",")).map(String::trim).map(host -> {
            try {
                URI uri = URI.create(host);
                if (uri.getRawUserInfo() == null) {
                    return host;
                }
                return uri.getScheme() + "://***@" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                        + (uri.getRawPath() == null ? "" : uri.getRawPath());
            } catch (IllegalArgumentException e) {
                return "(unparseable URL)";
            }
        }).collect(Collectors.joining(","));
    }

    /** The commands the probe sends; the data source's {@code execute}, or a plain Vert.x client in tests. */
    @FunctionalInterface
    interface Commands {
        Uni<Response> execute(String command, String... args);
    }

    /**
     * The probe; the retries and the unreachable rule are {@link OnlineProbe}'s, like every online check's. Separate
     * from CDI so that tests drive it against real servers directly.
     */
    record Probe(Commands redis, String where, String keyPrefix, Duration timeout, OnlineProbe policy) {

        CheckResult run() {
            RedisFailure[] last = new RedisFailure[1];
            OnlineProbe.Result<CheckResult> result = policy.run(() -> {
                try {
                    return OnlineProbe.answered(roundTrip());
                } catch (RuntimeException e) {
                    RedisFailure failure = classified(e);
                    last[0] = failure;
                    LOG.debugf("Redis at %s: %s", where, failure.description());
                    if (failure.kind() == RedisFailure.Kind.UNREACHABLE || failure.kind() == RedisFailure.Kind.TIMEOUT) {
                        return OnlineProbe.retry(retryReason(failure, e));
                    }
                    // credentials, TLS and errors do not heal by retrying
                    return OnlineProbe.answered(CheckResult.fail(NAME, failure.description() + " at " + where, failure.fix()));
                }
            });
            if (result instanceof OnlineProbe.Answered<CheckResult> answered) {
                return answered.answer();
            }
            CheckResult unreachable = policy.unreachable(NAME, "Redis", where, (OnlineProbe.Unreachable<CheckResult>) result, last[0].fix());
            return unreachable.status() == CheckStatus.WARN
                    ? CheckResult.warn(NAME, unreachable.message() + "; sessions and tickets are refused with 503 until Redis answers", unreachable.fix())
                    : unreachable;
        }

        private RedisFailure classified(RuntimeException e) {
            RedisFailure failure = RedisFailure.of(e);
            if (failure.kind() == RedisFailure.Kind.TIMEOUT && where.startsWith("rediss://")) {
                // A TLS client on a port without TLS waits for a ServerHello that never comes.
                return new RedisFailure(RedisFailure.Kind.TLS,
                        "TLS handshake with Redis failed (no TLS answer in time: is this port serving TLS?)", RedisFailure.FIX_TLS);
            }
            return failure;
        }

        /** The network words ("connection refused", "timed out") for the shared "Redis unreachable at … (…)" sentence. */
        private static String retryReason(RedisFailure failure, RuntimeException e) {
            String network = NetworkFailure.describe(e);
            if (failure.kind() == RedisFailure.Kind.TIMEOUT || network.equals("timed out")) {
                return "timed out";
            }
            return network.equals("I/O error") ? failure.description() : network;
        }

        private CheckResult roundTrip() {
            Response pong = await(redis.execute("PING"));
            if (pong == null || !"PONG".equalsIgnoreCase(pong.toString())) {
                return CheckResult.fail(NAME, "Redis at " + where + " answered PING with something other than PONG",
                        "Point QUARKUS_REDIS_HOSTS at redis-server itself, not at another service or proxy.");
            }
            String key = keyPrefix + "check:" + UUID.randomUUID();
            String value = UUID.randomUUID().toString();
            await(redis.execute("SET", key, value, "PX", "10000"));
            Response read = await(redis.execute("GET", key));
            await(redis.execute("DEL", key));
            if (read == null || !value.equals(read.toString())) {
                return CheckResult.fail(NAME, "Redis at " + where + " did not return what was written (a read-only replica or a proxy?)",
                        "Point QUARKUS_REDIS_HOSTS at the Redis primary; the gateway writes on every ticket and session.");
            }
            return CheckResult.ok(NAME, "Redis at " + where + " answers PING and a write/read round trip");
        }

        private Response await(Uni<Response> reply) {
            return reply.ifNoItem().after(timeout).failWith(() -> new TimeoutException("no answer")).await().indefinitely();
        }
    }
}
