package io.realtimegateway.console;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.Vertx;

/**
 * Keeps the console's chart history: every {@code gateway.console.chart-interval} (console open or not, so a console
 * opened later sees the last hour) it reads the meters of {@link ChartSeries} and adds one point to a fixed
 * {@link ChartHistory}. It reads the registry only: the relay's data path does nothing for the charts.
 */
@ApplicationScoped
class ChartSampler {

    /** The charts as the page receives them in a snapshot: what is drawn, and the points kept. */
    @RegisterForReflection
    record Charts(long intervalSeconds, int capacity, List<ChartView> charts, List<ChartHistory.Point> points) {
    }

    /** One chart; its series' values are at {@code index}, {@code index + 1}, ... of each point's values. */
    @RegisterForReflection
    record ChartView(String id, String title, String unit, int index, List<SeriesView> series) {
    }

    @RegisterForReflection
    record SeriesView(String name, String label, String kind) {
    }

    private final MeterRegistry registry;
    private final Clock clock;
    private final Duration interval;
    private final ChartHistory history = new ChartHistory(ChartHistory.CAPACITY, ChartSeries.ALL.size());
    private final List<ChartView> views;
    private double[] previous; // the totals at the previous sample, for the rates; null before the first
    private long previousAt;

    @Inject
    ChartSampler(MeterRegistry registry, ConsoleConfig config) {
        this(registry, config.chartInterval(), Clock.systemUTC());
    }

    ChartSampler(MeterRegistry registry, Duration interval, Clock clock) {
        this.registry = registry;
        this.interval = interval;
        this.clock = clock;
        this.views = views();
    }

    void start(@Observes StartupEvent event, ConsoleConfig config, Vertx vertx) {
        if (config.enabled()) {
            sample(); // the rates' baseline
            vertx.setPeriodic(Math.max(1000, interval.toMillis()), id -> sample());
        }
    }

    /**
     * Reads every series. The first call only takes the counters' baseline; each later one adds a point whose rates
     * are the increase since the previous call over the time between them.
     */
    synchronized void sample() {
        long now = clock.millis();
        double[] totals = new double[ChartSeries.ALL.size()];
        for (int i = 0; i < totals.length; i++) {
            totals[i] = ChartSeries.ALL.get(i).total().applyAsDouble(registry);
        }
        if (previous != null && now > previousAt) {
            double seconds = (now - previousAt) / 1000.0;
            double[] point = new double[totals.length];
            for (int i = 0; i < totals.length; i++) {
                double increase = Math.max(0, totals[i] - previous[i]); // a counter never goes down; a gauge is read as is
                point[i] = round(switch (ChartSeries.ALL.get(i).kind()) {
                    case LEVEL -> totals[i];
                    case PER_SECOND -> increase / seconds;
                    case PER_MINUTE -> increase * 60 / seconds;
                });
            }
            history.add(now, point);
        }
        if (previous == null || now > previousAt) {
            previous = totals;
            previousAt = now;
        }
    }

    /** What a snapshot carries: the charts and every point kept. */
    Charts charts() {
        return new Charts(interval.toSeconds(), ChartHistory.CAPACITY, views, history.points());
    }

    ChartHistory history() {
        return history;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static List<ChartView> views() {
        int[] index = { 0 };
        return ChartSeries.CHARTS.stream().map(chart -> {
            ChartView view = new ChartView(chart.id(), chart.title(), chart.unit(), index[0],
                    chart.series().stream().map(s -> new SeriesView(s.name(), s.label(), s.kind().name().toLowerCase(Locale.ROOT))).toList());
            index[0] += chart.series().size();
            return view;
        }).toList();
    }
}
