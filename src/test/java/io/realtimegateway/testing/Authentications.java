package io.realtimegateway.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.security.spi.runtime.AuthenticationFailureEvent;
import io.quarkus.security.spi.runtime.AuthenticationSuccessEvent;

/**
 * Counts Quarkus Security's authentications, successes per principal name: which mechanism authenticated a request,
 * and how many times. The observers are synchronous, so a request's count is final once its answer has arrived.
 */
@ApplicationScoped
public class Authentications {

    private final Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();

    void succeeded(@Observes AuthenticationSuccessEvent event) {
        successes.computeIfAbsent(event.getSecurityIdentity().getPrincipal().getName(), name -> new AtomicInteger()).incrementAndGet();
    }

    void failed(@Observes AuthenticationFailureEvent event) {
        failures.incrementAndGet();
    }

    /** How many requests authenticated as this principal (a caller or admin id, e.g. {@code api-key:<fingerprint>}). */
    public int successes(String principal) {
        AtomicInteger count = successes.get(principal);
        return count == null ? 0 : count.get();
    }

    public int failures() {
        return failures.get();
    }
}
