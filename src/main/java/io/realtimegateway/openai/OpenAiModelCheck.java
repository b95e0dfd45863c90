package io.realtimegateway.openai;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.credentials.SecretLint;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.OnlineProbe;
import io.realtimegateway.preflight.PreflightCheck;
import io.realtimegateway.preflight.PreflightConfig;
import io.realtimegateway.realtime.RealtimeConfig;

/**
 * Online OpenAI check: {@code GET /models/{default model}} with the server key (free: it costs no tokens).
 * A rejected key or an unknown model refuses boot; a key without the models scope is tried on the Realtime
 * WebSocket instead; exhausted quota only warns (readiness shows {@code openai} DEGRADED with the message).
 * OpenAI's messages are never repeated: its 401 message quotes part of the key.
 */
@ApplicationScoped
class OpenAiModelCheck implements PreflightCheck {

    static final String NAME = "openai.model-access";
    private static final String SERVER = "OpenAI";

    private static final Logger LOG = Logger.getLogger(OpenAiModelCheck.class);
    private static final String KEY_FIX = "Set OPENAI_API_KEY to a valid secret key from https://platform.openai.com/api-keys "
            + "(compare fingerprints with: printf %s \"$OPENAI_API_KEY\" | sha256sum)";

    private final OpenAiCredentials openai;
    private final RealtimeConfig realtime;
    private final PreflightConfig preflight;
    private final OpenAiRestClient rest;
    private final OpenAiRealtimeProbe probe;
    private final String name;
    private final Supplier<String> model;
    private final String modelsVariable;
    private final boolean probesRealtime;
    private final int place;

    @Inject
    OpenAiModelCheck(OpenAiCredentials openai, RealtimeConfig realtime, PreflightConfig preflight, OpenAiRestClient rest,
            OpenAiRealtimeProbe probe) {
        this(openai, realtime, preflight, rest, probe, NAME, () -> realtime.models().get(0), "GATEWAY_REALTIME_MODELS", true, 0);
    }

    /**
     * The same probe for another model list ({@link OpenAiLiveCheck}).
     *
     * @param probesRealtime whether a key that may not read models is tried on the Realtime WebSocket (else a WARN)
     */
    OpenAiModelCheck(OpenAiCredentials openai, RealtimeConfig realtime, PreflightConfig preflight, OpenAiRestClient rest,
            OpenAiRealtimeProbe probe, String name, Supplier<String> model, String modelsVariable, boolean probesRealtime, int place) {
        this.openai = openai;
        this.realtime = realtime;
        this.preflight = preflight;
        this.rest = rest;
        this.probe = probe;
        this.name = name;
        this.model = model;
        this.modelsVariable = modelsVariable;
        this.probesRealtime = probesRealtime;
        this.place = place;
    }

    @Override
    public int place() {
        return place;
    }

    @Override
    public Feature feature() {
        return Feature.OPENAI;
    }

    @Override
    public boolean online() {
        return true;
    }

    @Override
    public synchronized List<CheckResult> run() {
        CheckResult result = runOnce();
        LOG.debugf("%s: %s %s", name, result.status(), result.message());
        return List.of(result);
    }

    private CheckResult runOnce() {
        if (!openai.relayEnabled()) {
            // The offline OpenAI key check reports a missing key; calling OpenAI without one proves nothing.
            return CheckResult.ok(name, "skipped: " + openai.disabledReason());
        }
        Optional<String> key = openai.apiKey();
        Optional<String> malformed = SecretLint.formatProblem(key.get());
        if (malformed.isPresent()) {
            // Such a value cannot even be sent as a header (CR/LF), and OpenAI would only confirm the damage.
            return CheckResult.fail(name, "OPENAI_API_KEY " + malformed.get() + " (" + Fingerprint.of(key.get())
                    + "), so it was not sent to OpenAI", "Set OPENAI_API_KEY to the key exactly as OpenAI shows it, without quotes or whitespace");
        }
        try {
            return check(model.get(), Fingerprint.of(key.get()));
        } catch (RuntimeException e) {
            // A check must report, never throw; the exception's message could quote a header value, so only its type.
            return CheckResult.fail(name, "The OpenAI check could not run (" + e.getClass().getSimpleName() + ")",
                    "Check OPENAI_BASE_URL, OPENAI_ORGANIZATION and OPENAI_PROJECT for stray characters");
        }
    }

    private CheckResult check(String model, String keyPrint) {
        OnlineProbe.Result<OpenAiRestClient.ModelAnswer> result = OnlineProbe.of(preflight).run(() -> {
            OpenAiRestClient.ModelAnswer answer = rest.getModel(model, preflight.timeout());
            return answer.status() < 500 ? OnlineProbe.answered(answer) : OnlineProbe.retry(answer.describe());
        });
        if (result instanceof OnlineProbe.Answered<OpenAiRestClient.ModelAnswer> answered) {
            return classify(answered.answer(), model, keyPrint, rest.modelUri(model).toString());
        }
        return unreachable(rest.modelUri(model).toString(), (OnlineProbe.Unreachable<?>) result);
    }

    private CheckResult classify(OpenAiRestClient.ModelAnswer answer, String model, String keyPrint, String where) {
        int status = answer.status();
        if (status == 200) {
            return CheckResult.ok(name, "OpenAI accepts the key (" + keyPrint + ") and model " + model + " is available");
        }
        if ((status == 401 || status == 403) && answer.missingScope()) {
            return probesRealtime ? realtimeProbe(model, keyPrint) : CheckResult.warn(name, "The key (" + keyPrint + ") may not read models"
                    + " (missing scope): access to " + model + " was not verified", "Give the key the models read scope to have it checked at boot");
        }
        if (status == 401) {
            String what = answer.is("invalid_api_key") ? "rejected the API key (invalid_api_key)"
                    : "refused the API key (" + answer.describe() + ")";
            return CheckResult.fail(name, "OpenAI " + what + "; key " + keyPrint, KEY_FIX);
        }
        if (status == 404) {
            return CheckResult.fail(name, "OpenAI does not know model " + model + " or this key (" + keyPrint
                    + ") has no access to it (" + answer.describe() + ")",
                    "Set " + modelsVariable + " to models your OpenAI project can use (the first is the default); "
                            + "or use a key of a project that has access to " + model);
        }
        if (status == 429 && answer.is("insufficient_quota")) {
            return CheckResult.warn(name, "OpenAI quota exhausted (insufficient_quota) for key " + keyPrint
                    + ": sessions would fail; readiness shows openai DEGRADED until the next check passes",
                    "Add credits or raise the monthly limit at https://platform.openai.com/settings/organization/billing, then restart");
        }
        if (status == 429) {
            return CheckResult.warn(name, "OpenAI rate-limited the check (" + answer.describe() + "); the key was not verified",
                    "Nothing to do if it passes at the next start; otherwise check the project's rate limits");
        }
        if (status == 403) {
            return CheckResult.fail(name, "OpenAI refused access for key " + keyPrint + " (" + answer.describe()
                    + "): organization, IP allow-list or region", "Check the key's organization/project (OPENAI_ORGANIZATION, "
                            + "OPENAI_PROJECT), the project's IP allow-list, and that the region is supported");
        }
        return CheckResult.fail(name, "Unexpected answer from " + where + " (" + answer.describe() + ")",
                "Check OPENAI_BASE_URL: it must be OpenAI's API base, e.g. https://api.openai.com/v1");
    }

    /** The key cannot read models (a restricted key): prove Realtime access on the WebSocket instead. */
    private CheckResult realtimeProbe(String model, String keyPrint) {
        URI uri = openai.realtimeUri(model);
        Map<String, String> headers = openai.headers();
        OnlineProbe.Result<OpenAiRealtimeProbe.Outcome> result = OnlineProbe.of(preflight).run(() -> {
            OpenAiRealtimeProbe.Outcome outcome = probe.probe(uri, headers, preflight.timeout());
            return outcome.handshakeStatus() < 500 ? OnlineProbe.answered(outcome)
                    : OnlineProbe.retry("HTTP " + outcome.handshakeStatus() + " on the WebSocket upgrade");
        });
        if (result instanceof OnlineProbe.Answered<OpenAiRealtimeProbe.Outcome> answered) {
            return classify(answered.answer(), model, keyPrint);
        }
        return unreachable(uri.toString(), (OnlineProbe.Unreachable<?>) result);
    }

    private CheckResult classify(OpenAiRealtimeProbe.Outcome outcome, String model, String keyPrint) {
        String scope = "The key (" + keyPrint + ") may not read models (missing scope)";
        String grant = "Give the restricted key Realtime write permission for model " + model
                + " at https://platform.openai.com/api-keys, or use a key of a project with Realtime access";
        if (outcome.sessionCreated()) {
            return CheckResult.ok(name, scope + ", but a Realtime session for " + model + " opened (session.created)");
        }
        if (outcome.handshakeStatus() != 0) {
            return CheckResult.fail(name, scope + " and OpenAI refused the Realtime WebSocket upgrade with HTTP "
                    + outcome.handshakeStatus() + ": no Realtime access", grant);
        }
        if (outcome.invalidKey()) {
            return CheckResult.fail(name, "OpenAI rejected the API key on the Realtime WebSocket (close " + outcome.closeCode()
                    + " invalid_api_key); key " + keyPrint, KEY_FIX);
        }
        return CheckResult.fail(name, scope + " and the Realtime WebSocket closed before session.created (close "
                + outcome.closeCode() + (outcome.closeReason() == null ? "" : " " + outcome.closeReason()) + ")", grant);
    }

    /** With {@code unreachable=warn} the gateway serves; readiness shows {@code openai} DEGRADED. */
    private CheckResult unreachable(String where, OnlineProbe.Unreachable<?> result) {
        return OnlineProbe.of(preflight).unreachable(name, SERVER, where, result, "Check OPENAI_BASE_URL, DNS and outbound HTTPS (proxy, firewall)");
    }
}
