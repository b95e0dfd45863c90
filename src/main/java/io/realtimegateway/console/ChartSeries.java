package io.realtimegateway.console;

import java.util.List;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;

/**
 * What the console's charts show: each chart and its series, each series read from meters that {@code /q/metrics}
 * exports (by name, so this package imports no feature's metrics class and the charts never disagree with Prometheus).
 * A series is a level (a gauge, as it is at the sample) or a rate (a counter's increase since the previous sample).
 * <p>
 * Adding a series is one line in {@link #CHARTS}; the page draws whatever the snapshot lists.
 */
final class ChartSeries {

    /** How a series turns its meters' total into a point. */
    enum Kind {
        /** The total as it is (gauges). */
        LEVEL,
        /** The increase since the previous sample, per second. */
        PER_SECOND,
        /** The increase since the previous sample, per minute. */
        PER_MINUTE
    }

    /** One line of a chart: {@code name} is its key in the JSON, {@code label} the legend's text. */
    record Series(String name, String label, Kind kind, ToDoubleFunction<MeterRegistry> total) {
    }

    /** One chart: its {@code unit} is the y axis's, shared by its series. */
    record Chart(String id, String title, String unit, List<Series> series) {
    }

    static final String RELAY = "gateway.realtime.sessions.active";
    static final String WEBRTC = "gateway.realtime.calls.active";
    static final String FRAMES = "gateway.realtime.frames";
    static final String USAGE_TOKENS = "gateway.realtime.usage.tokens";

    /**
     * The charts, in page order. Admitted and refused are the Grafana dashboard's "Admissions and refusals" row:
     * sessions opened upstream, WebRTC calls created and OpenAI client secrets minted; every admission refusal
     * ({@code gateway_realtime_refusals_total}) and rate-limit refusal ({@code gateway_rate_limit_refusals_total}).
     */
    static final List<Chart> CHARTS = List.of(
            new Chart("sessions", "Live sessions", "sessions", List.of(
                    new Series("relay", "relay (WebSocket)", Kind.LEVEL, total(RELAY)),
                    new Series("webrtc", "WebRTC calls", Kind.LEVEL, total(WEBRTC)))),
            // GPT-Live sessions go here as one more LEVEL line on their active-sessions gauge.
            new Chart("admissions", "Admissions and refusals", "per min", List.of(
                    new Series("admitted", "admitted", Kind.PER_MINUTE, sum(total("gateway.realtime.upstream.connect"),
                            total("gateway.realtime.calls.created"), total("gateway.realtime.client_secrets.minted"))),
                    new Series("refused", "refused", Kind.PER_MINUTE, sum(total("gateway.realtime.refusals"), total("gateway.rate_limit.refusals"))))),
            new Chart("frames", "Relay frames", "frames/s", List.of(
                    new Series("up", "client → upstream", Kind.PER_SECOND, total(FRAMES, "direction", "client_to_upstream")),
                    new Series("down", "upstream → client", Kind.PER_SECOND, total(FRAMES, "direction", "upstream_to_client")))),
            new Chart("usage", "Usage", "per min", List.of(
                    new Series("tokens", "tokens", Kind.PER_MINUTE, total(USAGE_TOKENS, "kind", "total")))));
    // GPT-Live seconds go in "usage" as one more line, e.g.
    // new Series("live_seconds", "GPT-Live seconds", Kind.PER_MINUTE, total("gateway.live.seconds"))

    /** Every series of every chart, in the order a point's values are. */
    static final List<Series> ALL = CHARTS.stream().flatMap(c -> c.series().stream()).toList();

    private ChartSeries() {
    }

    /**
     * The sum of the meters called {@code name} with these tags: counters' and timers' counts, gauges' values. Read
     * from the registry at each sample (a few lookups every interval), never from the relay's data path.
     */
    static ToDoubleFunction<MeterRegistry> total(String name, String... tags) {
        return registry -> {
            double sum = 0;
            for (Meter meter : registry.find(name).tags(tags).meters()) {
                for (Measurement measurement : meter.measure()) {
                    Statistic statistic = measurement.getStatistic();
                    double value = measurement.getValue();
                    if ((statistic == Statistic.COUNT || statistic == Statistic.VALUE) && Double.isFinite(value)) {
                        sum += value;
                    }
                }
            }
            return sum;
        };
    }

    @SafeVarargs
    private static ToDoubleFunction<MeterRegistry> sum(ToDoubleFunction<MeterRegistry>... parts) {
        return registry -> {
            double sum = 0;
            for (ToDoubleFunction<MeterRegistry> part : parts) {
                sum += part.applyAsDouble(registry);
            }
            return sum;
        };
    }
}
