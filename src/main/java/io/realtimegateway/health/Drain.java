package io.realtimegateway.health;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import sun.misc.Signal;

/**
 * The graceful drain on SIGTERM. The first SIGTERM starts it at once: readiness goes DOWN, new relay sessions and
 * tickets are refused with 503, and a normal stop (exit code 0) begins; token requests are served until the HTTP
 * server stops. Whoever holds long-lived work (the relay's sessions) waits in its {@code ShutdownDelayInitiatedEvent}
 * observer, which runs before the HTTP servers close, until its work is done or {@link #awaitEnd} says the drain is over
 * ({@code GATEWAY_SHUTDOWN_DRAIN}, default 10 s). A second SIGTERM ends the drain at once.
 * <p>
 * SIGTERM is handled here rather than by the JVM's default (shutdown hooks, exit code 143) so that the exit code is
 * 0 and a second signal can cut the drain short; Quarkus handles its other signals with the same sun.misc API.
 */
@Singleton
public class Drain {

    private static final Logger LOG = Logger.getLogger(Drain.class);
    private static final long POLL_MILLIS = 20;

    private final Duration length;
    private final boolean serving;
    private final AtomicInteger signals = new AtomicInteger();
    private volatile long deadlineNanos; // 0 while not draining
    private volatile boolean cutShort;

    Drain(ShutdownConfig config, @ConfigProperty(name = "gateway.mode", defaultValue = "serve") String mode) {
        this.length = config.drain();
        this.serving = !"check".equals(mode);
    }

    void installSignalHandler(@Observes StartupEvent started) {
        if (!serving) {
            return; // `check` serves nothing: a SIGTERM keeps its default meaning there
        }
        try {
            Signal.handle(new Signal("TERM"), signal -> terminated());
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.warnf("SIGTERM cannot be handled here (%s): a stop then closes relay sessions without a drain", e.getClass().getSimpleName());
        }
    }

    private void terminated() {
        if (signals.incrementAndGet() == 1) {
            begin();
            LOG.infof("SIGTERM: draining for up to %s (readiness DOWN, new relay sessions and tickets refused); a second SIGTERM ends it at once",
                    length);
            Quarkus.asyncExit(0);
        } else {
            LOG.info("Second SIGTERM: ending the drain now");
            cutShort = true;
        }
    }

    /** Starts the drain (idempotent): from a SIGTERM, or from a stop that came another way. */
    public void begin() {
        if (deadlineNanos == 0) {
            deadlineNanos = System.nanoTime() + Math.max(1, length.toNanos());
        }
    }

    /** Whether the gateway is draining: not ready, no new relay sessions or tickets. */
    public boolean draining() {
        return deadlineNanos != 0;
    }

    /**
     * Blocks until {@code done} is true, the drain's time is up, or a second SIGTERM came; call from a shutdown
     * observer, never from an event loop.
     *
     * @return true when {@code done} became true, false when the drain ended first
     */
    public boolean awaitEnd(BooleanSupplier done) {
        begin();
        while (!done.getAsBoolean()) {
            if (cutShort || System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
