package io.realtimegateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Switches for {@code bench/run.sh} only ({@code GATEWAY_BENCH_*}): off by default, and never part of a deployment.
 * They add no API for users; they let the benchmark measure this server's own ceiling beside the token endpoint.
 */
@ConfigMapping(prefix = "gateway.bench")
public interface BenchConfig {

    /**
     * Benchmark only: serve {@code POST /bench/static}, which answers a fixed 201 JSON body (no authentication, no
     * parsing, no signing) on the same HTTP server, so the token endpoint can be reported as a ratio of it.
     */
    @WithDefault("false")
    boolean staticEndpoint();

    /** Benchmark only: the size in bytes of that fixed body (the benchmark passes the size of a token response). */
    @WithDefault("512")
    int staticBodyBytes();
}
