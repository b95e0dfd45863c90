package io.realtimegateway.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.realtimegateway.admission.AllowedModels;
import io.realtimegateway.problem.Problem;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.realtime.RealtimeConfig;

/**
 * The server's policy as OpenAI's own session objects carry it, for the sessions the gateway asks OpenAI to create
 * itself (WebRTC calls, client secrets): the allowed models (the first is the default), the server instructions
 * (replacing the client's), the session type and the client secret's longest expiry. Jackson trees only, so nothing
 * needs reflection registration.
 */
@ApplicationScoped
class SessionPolicy {

    /** OpenAI's bounds of {@code expires_after.seconds}. */
    static final long MIN_EXPIRY_SECONDS = 10;
    static final long MAX_EXPIRY_SECONDS = 7200;

    private final ObjectMapper mapper;
    private final AllowedModels models;
    private final Optional<String> instructions;
    private final long maxExpirySeconds;

    SessionPolicy(ObjectMapper mapper, RealtimeConfig realtime, ClientSecretsConfig secrets, AllowedModels models) {
        this.mapper = mapper;
        this.models = models;
        this.instructions = realtime.instructions().filter(s -> !s.isBlank());
        this.maxExpirySeconds = Math.max(MIN_EXPIRY_SECONDS, Math.min(MAX_EXPIRY_SECONDS, secrets.maxExpiry().toSeconds()));
    }

    /** The server instructions, when configured. */
    Optional<String> instructions() {
        return instructions;
    }

    long maxExpirySeconds() {
        return maxExpirySeconds;
    }

    /** The {@code session} part of a call: a realtime session of {@code model} with the server instructions. */
    ObjectNode callSession(String model) {
        ObjectNode session = mapper.createObjectNode();
        session.put("type", "realtime");
        session.put("model", model);
        instructions.ifPresent(text -> session.put("instructions", text));
        return session;
    }

    /**
     * The client-secret request as the gateway sends it to OpenAI: the caller's {@code session} options with the
     * model checked (default: the first allowed), the server instructions in place of the caller's, and
     * {@code expires_after} no longer than the configured maximum (absent: the maximum).
     *
     * @param body the caller's request, null when it sent none
     * @throws ProblemException 400 naming every invalid field
     */
    ObjectNode clientSecretRequest(JsonNode body) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (body != null && !body.isObject()) {
            throw invalid(List.of(new Problem.FieldError("body", "expected an object")));
        }
        long seconds = expirySeconds(body == null ? null : body.get("expires_after"), errors);
        ObjectNode session = session(body == null ? null : body.get("session"), errors);
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        ObjectNode request = mapper.createObjectNode();
        ObjectNode expires = request.putObject("expires_after");
        expires.put("anchor", "created_at");
        expires.put("seconds", seconds);
        request.set("session", session);
        return request;
    }

    private long expirySeconds(JsonNode expiresAfter, List<Problem.FieldError> errors) {
        if (expiresAfter == null || expiresAfter.isNull()) {
            return maxExpirySeconds;
        }
        if (!expiresAfter.isObject()) {
            errors.add(new Problem.FieldError("expires_after", "expected an object"));
            return maxExpirySeconds;
        }
        JsonNode anchor = expiresAfter.get("anchor");
        if (anchor != null && !anchor.isNull() && !"created_at".equals(anchor.asText(null))) {
            errors.add(new Problem.FieldError("expires_after.anchor", "must be created_at"));
        }
        JsonNode seconds = expiresAfter.get("seconds");
        if (seconds == null || seconds.isNull()) {
            return maxExpirySeconds;
        }
        if (!seconds.isIntegralNumber() || !seconds.canConvertToLong() || seconds.asLong() < MIN_EXPIRY_SECONDS
                || seconds.asLong() > MAX_EXPIRY_SECONDS) {
            errors.add(new Problem.FieldError("expires_after.seconds", "must be a whole number from " + MIN_EXPIRY_SECONDS + " to "
                    + MAX_EXPIRY_SECONDS + " (this gateway grants at most " + maxExpirySeconds + ")"));
            return maxExpirySeconds;
        }
        return Math.min(seconds.asLong(), maxExpirySeconds);
    }

    private ObjectNode session(JsonNode asked, List<Problem.FieldError> errors) {
        if (asked != null && !asked.isNull() && !asked.isObject()) {
            errors.add(new Problem.FieldError("session", "expected an object"));
            return mapper.createObjectNode();
        }
        ObjectNode session = asked == null || asked.isNull() ? mapper.createObjectNode() : ((ObjectNode) asked).deepCopy();
        JsonNode type = session.get("type");
        String kind = type == null || type.isNull() ? "realtime" : type.isTextual() ? type.asText() : "";
        if (!kind.equals("realtime") && !kind.equals("transcription")) {
            errors.add(new Problem.FieldError("session.type", "must be realtime or transcription"));
            return session;
        }
        session.put("type", kind);
        if (kind.equals("transcription")) {
            return session;
        }
        JsonNode model = session.get("model");
        if (model == null || model.isNull()) {
            session.put("model", models.defaultModel());
        } else if (!model.isTextual() || !models.allowed(model.asText())) {
            errors.add(new Problem.FieldError("session.model", "is not allowed here; allowed models: " + models.listed()));
        }
        if (instructions.isPresent()) {
            session.put("instructions", instructions.get());
        }
        return session;
    }

    private static ProblemException invalid(List<Problem.FieldError> errors) {
        return ProblemException.invalid(errors);
    }
}
