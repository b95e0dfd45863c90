package io.realtimegateway.ticket;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.config.Environment;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.credentials.SecretLint;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.PreflightCheck;
import io.realtimegateway.realtime.RealtimeConfig;

/** {@code realtime.ticket-secret}: the relay-ticket signing secret is set (in prod) and usable ({@link SecretLint#secretProblem}). */
@ApplicationScoped
class TicketSecretCheck implements PreflightCheck {

    static final String NAME = "realtime.ticket-secret";
    private static final String FIX = "Set GATEWAY_REALTIME_TICKET_SECRET to " + SecretLint.minimumHint() + ", e.g. $(" + SecretLint.GENERATE + ")";

    private final RealtimeConfig config;
    private final OpenAiCredentials openai;
    private final Environment environment;

    TicketSecretCheck(RealtimeConfig config, OpenAiCredentials openai, Environment environment) {
        this.config = config;
        this.openai = openai;
        this.environment = environment;
    }

    @Override
    public Feature feature() {
        return Feature.RELAY;
    }

    @Override
    public List<CheckResult> run() {
        // The relay's switch as every door reads it, but wanted rather than running: while a missing OpenAI key (its own
        // FAIL) keeps the relay off, the ticket secret is still reported, so one boot names both.
        return List.of(check(openai.realtimeEnabled(), config.ticketSecret(), environment));
    }

    static CheckResult check(boolean relayEnabled, Optional<String> secret, Environment environment) {
        if (!relayEnabled) {
            return CheckResult.ok(NAME, "relay disabled: no ticket secret needed");
        }
        if (secret.isEmpty()) {
            return !environment.isProd()
                    ? CheckResult.ok(NAME, "GATEWAY_REALTIME_TICKET_SECRET unset: generated per boot (dev/test only)")
                    : CheckResult.fail(NAME, "GATEWAY_REALTIME_TICKET_SECRET is not set; the relay needs it to sign tickets", FIX);
        }
        String value = secret.get();
        Optional<SecretLint.SecretProblem> problem = SecretLint.secretProblem(value);
        if (problem.isPresent()) {
            return CheckResult.fail(NAME, "GATEWAY_REALTIME_TICKET_SECRET " + problem.get().message() + " (" + Fingerprint.of(value) + ")", FIX);
        }
        return CheckResult.ok(NAME, "GATEWAY_REALTIME_TICKET_SECRET set (" + Fingerprint.of(value) + ")");
    }
}
