package io.realtimegateway.livekit;

import java.io.IOException;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.configuration.ConfigUtils;
import io.realtimegateway.auth.Caller;
import io.realtimegateway.auth.CallerAuthenticator;
import io.realtimegateway.config.Environment;
import io.realtimegateway.credentials.Fingerprint;
import io.realtimegateway.credentials.LiveKitCredentials;
import io.realtimegateway.credentials.LiveKitKey;
import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.Preflight;
import io.realtimegateway.preflight.PreflightReport;
import io.realtimegateway.problem.ProblemException;

/**
 * {@code GET /api/livekit-token/test}: what is configured, every check's result and a decoded sample token.
 * Secrets appear as fingerprints only; the sample token itself only outside prod, and only when enabled.
 */
@ApplicationScoped
class TokenDiagnostics {

    private final LiveKitCredentials credentials;
    private final LiveKitTokenService tokens;
    private final CallerAuthenticator authenticator;
    private final Preflight preflight;
    private final TokenConfig config;
    private final Environment environment;
    private final ObjectMapper mapper;

    TokenDiagnostics(LiveKitCredentials credentials, LiveKitTokenService tokens, CallerAuthenticator authenticator, Preflight preflight,
            TokenConfig config, Environment environment, ObjectMapper mapper) {
        this.environment = environment;
        this.credentials = credentials;
        this.tokens = tokens;
        this.authenticator = authenticator;
        this.preflight = preflight;
        this.config = config;
        this.mapper = mapper;
    }

    ObjectNode report(Caller caller, String room, String username) {
        ObjectNode out = mapper.createObjectNode();
        out.put("launch_mode", ConfigUtils.getProfiles().get(0)); // the active profile, for display only

        ObjectNode livekit = out.putObject("livekit");
        livekit.put("server_url", credentials.serverUrl().orElse(null));
        livekit.put("api_url", credentials.apiUrl().orElse(null));
        credentials.signingKey().ifPresentOrElse(k -> livekit.set("signing_key", key(k)), () -> livekit.putNull("signing_key"));
        ArrayNode keys = livekit.putArray("keys");
        credentials.keys().forEach(k -> keys.add(key(k)));

        ObjectNode auth = out.putObject("auth");
        auth.put("mode", authenticator.modes().toString());
        auth.put("caller", caller.id());
        auth.put("identity_bound_to_caller", authenticator.identityBoundToCaller());

        ObjectNode policy = out.putObject("token_policy");
        policy.put("ttl_seconds", config.ttl().toSeconds());
        policy.put("max_ttl_seconds", config.maxTtl().toSeconds());
        policy.put("identity_pattern", config.identityPattern());
        policy.put("room_pattern", config.roomPattern());
        ArrayNode agents = policy.putArray("allowed_agents");
        config.allowedAgents().ifPresent(list -> list.forEach(agents::add));

        PreflightReport report = preflight.latest();
        ObjectNode checks = out.putObject("preflight");
        checks.put("status", report.status().name());
        checks.put("checked_at", report.checkedAt().toString());
        ArrayNode results = checks.putArray("checks");
        for (CheckResult check : report.checks()) {
            results.add(mapper.valueToTree(check));
        }

        out.set("sample_token", sample(caller, room, username));
        return out;
    }

    private ObjectNode key(LiveKitKey key) {
        ObjectNode node = mapper.createObjectNode();
        node.put("api_key", key.apiKey());
        node.put("secret", Fingerprint.of(key.secret()));
        node.put("source", key.source());
        return node;
    }

    private ObjectNode sample(Caller caller, String room, String username) {
        ObjectNode sample = mapper.createObjectNode();
        try {
            ParticipantToken token = tokens.issueSimple(caller, room, username);
            String[] parts = token.jwt().split("\\.");
            sample.set("header", decode(parts[0]));
            sample.set("claims", decode(parts[1]));
            sample.put("signature", "HS256 with the secret of " + tokens.signingKey().apiKey());
            if (!environment.isProd() && config.diagnosticsIncludeToken()) {
                sample.put("token", token.jwt());
            }
        } catch (ProblemException e) {
            if (e.status() == 400 || e.status() == 403) {
                throw e; // a bad room or username is the caller's error, as on the token endpoint
            }
            sample.put("error", e.getMessage());
        }
        return sample;
    }

    private JsonNode decode(String part) {
        try {
            return mapper.readTree(Base64.getUrlDecoder().decode(part));
        } catch (IOException e) {
            throw new IllegalStateException("The gateway's own token is always valid JSON", e);
        }
    }
}
