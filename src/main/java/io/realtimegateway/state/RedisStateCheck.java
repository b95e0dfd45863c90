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
import io.realtimegateway.config.PreflightConfig;
import io.realtimegateway.config.StateConfig;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.PreflightCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * {@code state.redis} (online, redis mode only): Redis answers {@code PING} and a write/read round trip under
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
        return List.of(new Probe(commands, redacted(hosts.get()), state.keyPrefix(), preflight.timeout(), Math.max(1, preflight.attempts()),
                preflight.retryDelay(), preflight.unreachable() == PreflightConfig.Unreachable.FAIL).run());
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

    /** The probe with its retry policy; separate from CDI so that tests drive it against real servers directly. */
    record Probe(Commands redis, String where, String keyPrefix, Duration timeout, int attempts, Duration retryDelay, boolean unreachableFails) {

        CheckResult run() {
            RedisFailure failure = null;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                try {
                    return roundTrip();
                } catch (RuntimeException e) {
                    failure = RedisFailure.of(e);
                    if (failure.kind() == RedisFailure.Kind.TIMEOUT && where.startsWith("rediss://")) {
                        // A TLS client on a port without TLS waits for a ServerHello that never comes.
                        failure = new RedisFailure(RedisFailure.Kind.TLS,
                                "TLS handshake with Redis failed (no TLS answer in time: is this port serving TLS?)", RedisFailure.FIX_TLS);
                    }
                    LOG.debugf("Redis at %s: %s (attempt %d of %d)", where, failure.description(), attempt, attempts);
                    if (failure.kind() != RedisFailure.Kind.UNREACHABLE && failure.kind() != RedisFailure.Kind.TIMEOUT) {
                        break; // credentials, TLS and errors do not heal by retrying
                    }
                }
                if (attempt < attempts && !pause()) {
                    break;
                }
            }
            String message = failure.description() + " at " + where;
            boolean unreachable = failure.kind() == RedisFailure.Kind.UNREACHABLE || failure.kind() == RedisFailure.Kind.TIMEOUT;
            if (unreachable && !unreachableFails) {
                return CheckResult.warn(NAME, message + " after " + attempts + " attempt(s); serving anyway (gateway.preflight.unreachable=warn),"
                        + " but sessions and tickets are refused with 503 until Redis answers", failure.fix());
            }
            return CheckResult.fail(NAME, unreachable ? message + " after " + attempts + " attempt(s)" : message, failure.fix());
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

        private boolean pause() {
            try {
                Thread.sleep(retryDelay.toMillis());
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
