package io.realtimegateway.console;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The last {@link #CAPACITY} points of the console's charts, in arrays allocated once: memory is fixed by the number
 * of series, whatever the uptime or traffic. Written by the sampler, read by the feed on other threads, hence the lock
 * (a copy of at most a few thousand numbers, every sample interval).
 */
final class ChartHistory {

    /** Points kept: an hour at the default {@code GATEWAY_CONSOLE_CHART_INTERVAL} of 10 s. */
    static final int CAPACITY = 360;

    /**
     * One sample of every series.
     *
     * @param seq increases by one per point since boot (the page skips a point it already has)
     * @param at when it was taken, epoch milliseconds
     * @param values one per series, in {@link ChartSeries#ALL}'s order
     */
    @RegisterForReflection
    record Point(long seq, long at, double[] values) {
    }

    private final int capacity;
    private final long[] at;
    private final double[][] values;
    private long seq; // of the newest point; 0 while there is none
    private int size;

    ChartHistory(int capacity, int series) {
        this.capacity = capacity;
        this.at = new long[capacity];
        this.values = new double[capacity][series];
    }

    synchronized void add(long atMillis, double[] point) {
        seq++;
        int slot = (int) ((seq - 1) % capacity);
        at[slot] = atMillis;
        System.arraycopy(point, 0, values[slot], 0, point.length);
        size = Math.min(size + 1, capacity);
    }

    /** The newest point's {@code seq}, 0 before the first. */
    synchronized long seq() {
        return seq;
    }

    /** The points kept, oldest first. */
    synchronized List<Point> points() {
        return since(0);
    }

    /** The points kept whose {@code seq} is over {@code after}, oldest first. */
    synchronized List<Point> since(long after) {
        long first = Math.max(after + 1, seq - size + 1);
        List<Point> out = new ArrayList<>((int) Math.max(0, seq - first + 1));
        for (long s = first; s <= seq; s++) {
            int slot = (int) ((s - 1) % capacity);
            out.add(new Point(s, at[slot], values[slot].clone()));
        }
        return out;
    }
}
