package io.realtimegateway.console;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The console's counters, read from the Micrometer registry that {@code /q/metrics} exports (so the page and
 * Prometheus never disagree): tokens and tickets from the HTTP server's request timers of their endpoints, the relay's
 * refusals, terminations, close codes and usage from its own meters.
 */
@ApplicationScoped
class ConsoleCounters {

    static final Set<String> TOKEN_URIS = Set.of("/api/livekit/token", "/api/livekit-token");
    static final String TICKET_URI = "/api/realtime/client-secret";

    /**
     * Counts since boot.
     *
     * @param tokensRefused HTTP status to count, for the token endpoints' non-2xx answers
     * @param relayRefusals {@code gateway_realtime_refusals_total} by reason
     * @param terminations {@code gateway_realtime_terminations_total} by reason
     * @param sessionsClosed {@code gateway_realtime_sessions_closed_total} by client close code
     * @param usageTokens {@code gateway_realtime_usage_tokens_total} by kind
     */
    @RegisterForReflection
    record Counters(long tokensIssued, Map<String, Long> tokensRefused, long ticketsIssued, Map<String, Long> ticketsRefused,
            Map<String, Long> relayRefusals, Map<String, Long> terminations, Map<String, Long> sessionsClosed, Map<String, Long> usageTokens) {
    }

    private final MeterRegistry registry;

    ConsoleCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    Counters read() {
        Map<String, Long> tokens = byStatus(TOKEN_URIS);
        Map<String, Long> tickets = byStatus(Set.of(TICKET_URI));
        return new Counters(issued(tokens), refused(tokens), issued(tickets), refused(tickets), byTag("gateway.realtime.refusals", "reason"),
                byTag("gateway.realtime.terminations", "reason"), byTag("gateway.realtime.sessions.closed", "code"),
                byTag("gateway.realtime.usage.tokens", "kind"));
    }

    /** HTTP status to request count, for the requests whose URI template is one of {@code uris}. */
    private Map<String, Long> byStatus(Set<String> uris) {
        Map<String, Long> out = new TreeMap<>();
        for (Timer timer : registry.find("http.server.requests").timers()) {
            if (uris.contains(timer.getId().getTag("uri")) && timer.getId().getTag("status") != null) {
                out.merge(timer.getId().getTag("status"), timer.count(), Long::sum);
            }
        }
        return out;
    }

    private static long issued(Map<String, Long> byStatus) {
        return byStatus.entrySet().stream().filter(e -> e.getKey().startsWith("2")).mapToLong(Map.Entry::getValue).sum();
    }

    private static Map<String, Long> refused(Map<String, Long> byStatus) {
        Map<String, Long> out = new TreeMap<>(byStatus);
        out.keySet().removeIf(status -> status.startsWith("2"));
        return out;
    }

    private Map<String, Long> byTag(String name, String tag) {
        Map<String, Long> out = new TreeMap<>();
        for (Counter counter : registry.find(name).counters()) {
            String value = counter.getId().getTag(tag);
            if (value != null) {
                out.merge(value, (long) counter.count(), Long::sum);
            }
        }
        return out;
    }
}
