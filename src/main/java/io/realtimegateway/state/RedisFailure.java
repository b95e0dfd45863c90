package io.realtimegateway.state;

import java.util.Locale;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.NotSslRecordException;
import io.realtimegateway.preflight.NetworkFailure;

/**
 * Why Redis did not answer, in words with the fix: one classification for the store's exceptions and the
 * {@code state.redis} check. Redis error replies never quote a password, so their first word is safe to show.
 */
record RedisFailure(Kind kind, String description, String fix) {

    static final String FIX_UNREACHABLE = "Check QUARKUS_REDIS_HOSTS (e.g. redis://redis:6379) and that redis-server is running and reachable"
            + " from here (bind/protected-mode in redis.conf, firewalls); a redis-server that serves TLS only needs rediss://.";
    static final String FIX_AUTH = "Give the Redis password (requirepass, or an ACL user's) in QUARKUS_REDIS_HOSTS as"
            + " redis://:PASSWORD@host:6379 or redis://USER:PASSWORD@host:6379, or in QUARKUS_REDIS_PASSWORD.";
    static final String FIX_TLS = "Use rediss:// in QUARKUS_REDIS_HOSTS only when redis-server listens with TLS (tls-port), redis:// otherwise;"
            + " trust its certificate with QUARKUS_REDIS_TLS_CONFIGURATION_NAME and quarkus.tls.<name>.trust-store.*.";
    static final String FIX_MEMORY = "Give Redis more memory (maxmemory) or a lower gateway.state.usage-retention. Keep maxmemory-policy"
            + " noeviction: an evicting policy could forget a redeemed ticket or a live session's lease.";

    /** Failure classes an operator acts on differently. */
    enum Kind {
        UNREACHABLE,
        AUTH,
        TLS,
        TIMEOUT,
        OUT_OF_MEMORY,
        ERROR
    }

    static RedisFailure of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (message.startsWith("WRONGPASS")) {
                return new RedisFailure(Kind.AUTH, "Redis refused the credentials (WRONGPASS: wrong password or user)", FIX_AUTH);
            }
            if (message.startsWith("NOAUTH")) {
                return new RedisFailure(Kind.AUTH, "Redis requires a password and none was given (NOAUTH)", FIX_AUTH);
            }
            if (message.startsWith("ERR AUTH") || message.contains("without any password configured")) {
                return new RedisFailure(Kind.AUTH, "a password was given but this Redis has none configured (ERR AUTH)",
                        "Remove the password from QUARKUS_REDIS_HOSTS/QUARKUS_REDIS_PASSWORD, or set requirepass on redis-server.");
            }
            if (message.startsWith("OOM")) {
                return new RedisFailure(Kind.OUT_OF_MEMORY, "Redis is out of memory (OOM, maxmemory reached)", FIX_MEMORY);
            }
            if (t instanceof SSLException || t instanceof NotSslRecordException) {
                return new RedisFailure(Kind.TLS, "TLS handshake with Redis failed", FIX_TLS);
            }
            if (t instanceof TimeoutException) {
                return new RedisFailure(Kind.TIMEOUT, "Redis did not answer in time", FIX_UNREACHABLE
                        + " A redis:// client talking to a TLS-only port also waits like this: " + FIX_TLS);
            }
        }
        String network = NetworkFailure.describe(failure);
        if (!network.equals("I/O error")) {
            return new RedisFailure(network.equals("TLS handshake failed") ? Kind.TLS : Kind.UNREACHABLE, "Redis unreachable (" + network + ")",
                    network.equals("TLS handshake failed") ? FIX_TLS : FIX_UNREACHABLE);
        }
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        String firstWord = message.isEmpty() ? failure.getClass().getSimpleName() : message.split("\\s", 2)[0];
        if (message.toLowerCase(Locale.ROOT).contains("connection")) {
            return new RedisFailure(Kind.UNREACHABLE, "Redis connection failed (" + firstWord + ")", FIX_UNREACHABLE);
        }
        return new RedisFailure(Kind.ERROR, "Redis answered with an error (" + firstWord + ")",
                "Check the Redis server's log; the gateway needs Redis 6.2+ with Lua scripting (EVAL) allowed for its user.");
    }

    StateUnavailableException toException(String operation, Throwable cause) {
        return new StateUnavailableException("state store unavailable during " + operation + ": " + description, cause);
    }
}
