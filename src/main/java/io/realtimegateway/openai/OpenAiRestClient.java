package io.realtimegateway.openai;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.realtimegateway.credentials.OpenAiCredentials;
import io.realtimegateway.preflight.OutboundHttp;

/**
 * The model check's OpenAI REST call: {@code GET {OPENAI_BASE_URL}/models/{model}}, which costs no tokens, on the
 * gateway's one OpenAI client ({@link OpenAiHttp}). Blocking: the check runs on the boot thread or a worker.
 * It returns a classification of OpenAI's error envelope, never its message: a 401 message quotes part of the key.
 */
@Singleton
final class OpenAiRestClient {

    private final OpenAiHttp http;
    private final OpenAiCredentials openai;
    private final ObjectMapper mapper;

    OpenAiRestClient(OpenAiHttp http, OpenAiCredentials openai, ObjectMapper mapper) {
        this.http = http;
        this.openai = openai;
        this.mapper = mapper;
    }

    /** @throws IOException when OpenAI could not be reached or did not answer within {@code timeout} */
    ModelAnswer getModel(String model, Duration timeout) throws IOException, InterruptedException {
        OpenAiHttp.Answer answer = OutboundHttp.await(http.get(modelPath(model), timeout).toCompletionStage(), timeout.plusSeconds(1));
        return ModelAnswer.of(answer.status(), answer.body(), mapper);
    }

    URI modelUri(String model) {
        return URI.create(openai.restBase() + modelPath(model));
    }

    private static String modelPath(String model) {
        return "/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * OpenAI's answer, reduced to what a check may repeat: the status, the error envelope's {@code type} and
     * {@code code} (both short identifiers) and whether the message says a scope is missing.
     */
    record ModelAnswer(int status, String errorType, String errorCode, boolean missingScope) {

        static ModelAnswer of(int status, String body, ObjectMapper mapper) {
            JsonNode error = null;
            try {
                error = body == null || body.isBlank() ? null : mapper.readTree(body).get("error");
            } catch (IOException e) {
                // Not OpenAI's JSON (a proxy page, say): the status alone has to do.
            }
            if (error == null || !error.isObject()) {
                return new ModelAnswer(status, null, null, false);
            }
            String message = text(error, "message");
            String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
            boolean missingScope = lower.contains("insufficient permissions") || lower.contains("missing scopes");
            return new ModelAnswer(status, identifier(text(error, "type")), identifier(text(error, "code")), missingScope);
        }

        boolean is(String errorTypeOrCode) {
            return errorTypeOrCode.equals(errorType) || errorTypeOrCode.equals(errorCode);
        }

        /** {@code type/code} for a report, e.g. {@code invalid_request_error/invalid_api_key}. */
        String describe() {
            return "HTTP " + status + (errorType == null && errorCode == null ? ""
                    : ", " + (errorType == null ? "-" : errorType) + "/" + (errorCode == null ? "-" : errorCode));
        }

        private static String text(JsonNode node, String field) {
            JsonNode value = node.get(field);
            return value == null || value.isNull() ? null : value.asText();
        }

        /** Keeps a value only when it looks like an identifier, so nothing free-form reaches a report. */
        private static String identifier(String value) {
            return value != null && value.matches("[A-Za-z0-9_.\\-]{1,64}") ? value : null;
        }
    }
}
