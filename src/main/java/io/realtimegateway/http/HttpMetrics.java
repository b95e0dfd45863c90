package io.realtimegateway.http;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * {@code gateway_http_connections_closed_total{reason}}: connections the HTTP guards closed. Every series exists from boot
 * ({@code @Startup}: the guards would first call this bean at their first close).
 */
@ApplicationScoped
@Startup
class HttpMetrics {

    /** Why a guard closed a connection; the metric's label is the lower-case name. */
    enum Closed {
        /** Request headers not complete within {@code gateway.http.header-timeout}. */
        HEADER_TIMEOUT,
        /** A keep-alive connection idle for {@code gateway.http.idle-timeout}. */
        IDLE_TIMEOUT,
        /** Over {@code gateway.http.max-connections-per-address}, closed at accept. */
        ADDRESS_LIMIT,
        /** Answered 400 for a missing or malformed {@code Host}, then closed. */
        INVALID_HOST
    }

    private final Map<Closed, Counter> closed = new EnumMap<>(Closed.class);

    HttpMetrics(MeterRegistry registry) {
        for (Closed reason : Closed.values()) {
            closed.put(reason, Counter.builder("gateway.http.connections.closed").tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .description("HTTP connections the gateway closed before or between requests").register(registry));
        }
    }

    void closed(Closed reason) {
        closed.get(reason).increment();
    }
}
