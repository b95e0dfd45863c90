package io.realtimegateway.health;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

/**
 * An {@link OutOfMemoryError} is never survived quietly: once one was thrown, any object being built may be half
 * done (a session's counters, a lease, a buffer budget), so the process can no longer be trusted. It is logged at
 * ERROR and the process exits at once with {@value #EXIT_CODE} (what the JVM's {@code -XX:+ExitOnOutOfMemoryError}
 * does), so that the orchestrator restarts it; no drain, which would need the memory that is missing.
 * <p>
 * Netty hands a failure of a connection to its handlers and Vert.x to the connection's exception handler, which the
 * relay's sessions logged at DEBUG: every place that receives failures calls {@link #check}. Failures no handler
 * takes reach Vert.x's exception handler or the threads' default handler, both wrapped here at startup. Works the
 * same in the native executable, which has no {@code -XX} option for it.
 */
@Singleton
public class FatalErrors {

    /** The exit code after an {@link OutOfMemoryError}: the one of {@code -XX:+ExitOnOutOfMemoryError}. */
    public static final int EXIT_CODE = 3;

    private static final Logger LOG = Logger.getLogger(FatalErrors.class);
    /** Causes followed at most: a chain is never that long, a cycle would be. */
    private static final int MAX_CAUSES = 16;

    void install(@Observes StartupEvent started, Vertx vertx) {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> {
            check(failure);
            if (previous != null) {
                previous.uncaughtException(thread, failure);
            } else {
                thread.getThreadGroup().uncaughtException(thread, failure);
            }
        });
        Handler<Throwable> quarkus = vertx.exceptionHandler();
        vertx.exceptionHandler(failure -> {
            check(failure);
            if (quarkus != null) {
                quarkus.handle(failure);
            } else {
                LOG.error("Uncaught exception in a Vert.x handler", failure); // what Vert.x logs without a handler
            }
        });
    }

    /** Returns when {@code failure} is not (and was not caused by) an {@link OutOfMemoryError}; else ends the process. */
    public static void check(Throwable failure) {
        OutOfMemoryError oom = outOfMemory(failure);
        if (oom == null) {
            return;
        }
        try {
            LOG.errorf(oom, "OutOfMemoryError (%s, max heap %d MiB): exiting with %d so that the process is restarted",
                    oom.getMessage(), Runtime.getRuntime().maxMemory() >> 20, EXIT_CODE);
        } finally {
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }

    /** The {@link OutOfMemoryError} in {@code failure}'s cause chain (Netty and Vert.x wrap failures), or null. */
    static OutOfMemoryError outOfMemory(Throwable failure) {
        Throwable t = failure;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return oom;
            }
        }
        return null;
    }
}
