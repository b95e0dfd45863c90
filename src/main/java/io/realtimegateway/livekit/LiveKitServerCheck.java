package io.realtimegateway.livekit;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.credentials.LiveKitCredentials;
import io.realtimegateway.credentials.LiveKitKey;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.OnlineProbe;
import io.realtimegateway.preflight.PreflightCheck;
import io.realtimegateway.preflight.PreflightConfig;

/**
 * livekit-server (online): does the LiveKit server accept our key pair? Calls Twirp ListRooms with a 60 s
 * {@code roomList} token and classifies livekit-server's answers (v1.13: "invalid API key", a signature or time-window
 * failure, Twirp "permissions denied"). The server's 401 body is read
 * to classify it and then dropped: v1.13.5 echoes the whole token in it.
 */
@ApplicationScoped
class LiveKitServerCheck implements PreflightCheck {

    static final String NAME = "livekit.server";
    static final Duration PROBE_TOKEN_TTL = Duration.ofSeconds(60);
    private static final Logger LOG = Logger.getLogger(LiveKitServerCheck.class);

    private final LiveKitCredentials credentials;
    private final PreflightConfig config;
    private final LiveKitTwirpClient client;

    LiveKitServerCheck(LiveKitCredentials credentials, PreflightConfig config, LiveKitTwirpClient client) {
        this.credentials = credentials;
        this.config = config;
        this.client = client;
    }

    @Override
    public Feature feature() {
        return Feature.LIVEKIT;
    }

    @Override
    public boolean online() {
        return true;
    }

    @Override
    public List<CheckResult> run() {
        Optional<String> apiUrl = credentials.apiUrl().filter(u -> !u.isBlank());
        Optional<LiveKitKey> key = credentials.signingKey();
        if (apiUrl.isEmpty() || key.isEmpty()) {
            return List.of(CheckResult.warn(NAME, "skipped: no LiveKit URL or signing key is configured",
                    "Configure LIVEKIT_URL and a key pair (see the failed offline checks)."));
        }
        return List.of(new Probe(client, OnlineProbe.of(config)).run(apiUrl.get(), key.get()));
    }

    /** The probe with its retry policy; separate from CDI so that tests drive it against fake servers directly. */
    record Probe(LiveKitTwirpClient client, OnlineProbe retries) {

        CheckResult run(String apiUrl, LiveKitKey key) {
            OnlineProbe.Result<LiveKitTwirpClient.Answer> result;
            try {
                // A fresh token per attempt; a 5xx is an answer too (livekit-server is there), classified below.
                result = retries.run(() -> OnlineProbe.answered(
                        client.listRooms(apiUrl, LiveKitTokenIssuer.serverApiToken(key, Map.of("roomList", true), PROBE_TOKEN_TTL))));
            } catch (IllegalArgumentException e) {
                return CheckResult.fail(NAME, "LIVEKIT_URL gives an invalid server API URL " + apiUrl,
                        "Set LIVEKIT_URL to ws(s)://host[:port] of the LiveKit server.");
            }
            if (result instanceof OnlineProbe.Answered<LiveKitTwirpClient.Answer> answered) {
                return classify(answered.answer(), apiUrl, key);
            }
            OnlineProbe.Unreachable<?> unreachable = (OnlineProbe.Unreachable<?>) result;
            LOG.debugf("LiveKit server at %s unreachable: %s", apiUrl, unreachable.detail());
            return retries.unreachable(NAME, "LiveKit server", apiUrl + "/twirp/livekit.RoomService/ListRooms", unreachable,
                    "Check LIVEKIT_URL (host, port 7880, ws:// vs wss://) and that livekit-server is running and reachable from here"
                            + " (in Docker, --bind 0.0.0.0).");
        }

        /** Never put {@code answer.body()} into a result: it may contain the probe token. */
        static CheckResult classify(LiveKitTwirpClient.Answer answer, String apiUrl, LiveKitKey key) {
            String body = answer.body() == null ? "" : answer.body().toLowerCase(Locale.ROOT);
            String who = "API key '" + key.apiKey() + "' (secret " + Fingerprint.of(key.secret()) + ", from " + key.source() + ")";
            if (answer.status() == 200) {
                return CheckResult.ok(NAME, "LiveKit server at " + apiUrl + " accepts " + who);
            }
            if (answer.status() == 401 && answer.isJson()) {
                if (body.contains("permissions denied") || body.contains("unauthenticated")) {
                    return CheckResult.fail(NAME, "LiveKit server at " + apiUrl + " accepted the signature of " + who
                            + " but denied ListRooms: the token's grants were not honoured (Twirp: permissions denied)",
                            "Check that LIVEKIT_URL points at livekit-server itself and not at a proxy that rewrites Authorization headers.");
                }
            }
            if (answer.status() == 401) {
                if (body.contains("invalid api key")) {
                    return CheckResult.fail(NAME, "key/secret rejected by the LiveKit server at " + apiUrl + ": " + who
                            + " is not one of its keys",
                            "Use a key pair from the server's keys (livekit.yaml keys:/key_file: or its LIVEKIT_KEYS), "
                                    + "or add this key there; point LIVEKIT_CONFIG_FILE at the server's livekit.yaml to keep one source of truth.");
                }
                if (body.contains("expired") || body.contains("not valid yet") || body.contains("issued in the future")) {
                    return CheckResult.fail(NAME, "key/secret rejected by the LiveKit server at " + apiUrl + " for " + who
                            + ": the token's time window was refused, so this host's clock and the server's differ by more than 60 s",
                            "Synchronise the clocks (NTP) of the gateway host and the LiveKit server.");
                }
                if (body.contains("signature") || body.contains("cryptographic primitive")) {
                    return CheckResult.fail(NAME, "key/secret rejected by the LiveKit server at " + apiUrl + ": the secret of " + who
                            + " does not match the server's secret for that key",
                            "Copy the secret for this key from the server's livekit.yaml/LIVEKIT_KEYS exactly (compare fingerprints with "
                                    + "printf %s \"$SECRET\" | sha256sum).");
                }
                return CheckResult.fail(NAME, "key/secret rejected by the LiveKit server at " + apiUrl + " for " + who
                        + " (HTTP 401, " + answer.body().length() + " bytes not shown)",
                        "Check that LIVEKIT_API_KEY/LIVEKIT_API_SECRET are a key pair the server knows.");
            }
            if (answer.status() == 404) {
                return CheckResult.fail(NAME, "LiveKit server API not found at " + apiUrl + " (HTTP 404 for Twirp ListRooms)",
                        "Point LIVEKIT_URL at livekit-server (port 7880 by default), not at another service or path.");
            }
            return CheckResult.fail(NAME, "LiveKit server at " + apiUrl + " answered ListRooms with HTTP " + answer.status(),
                    "Check the LiveKit server's log and that LIVEKIT_URL points at livekit-server.");
        }
    }
}
