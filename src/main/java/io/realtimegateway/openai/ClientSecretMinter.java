package io.realtimegateway.openai;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.realtimegateway.auth.Caller;
import io.realtimegateway.auth.Identities;
import io.realtimegateway.problem.Problems;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * Mints OpenAI client secrets for authenticated callers: the caller's request under {@link SessionPolicy}, posted to
 * OpenAI's {@code /realtime/client_secrets} with the server key, OpenAI's answer returned as it is. The secret in
 * the answer is a credential: it is never logged.
 */
@ApplicationScoped
class ClientSecretMinter {

    private static final Logger LOG = Logger.getLogger(ClientSecretMinter.class);

    private final ClientSecretsConfig config;
    private final SessionPolicy policy;
    private final OpenAiHttp http;
    private final CallMetrics metrics;
    private final ObjectMapper mapper;

    ClientSecretMinter(ClientSecretsConfig config, SessionPolicy policy, OpenAiHttp http, CallMetrics metrics,
            ObjectMapper mapper) {
        this.config = config;
        this.policy = policy;
        this.http = http;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    /**
     * The door's own switch; the relay's is the admission pipeline's first step.
     *
     * @throws io.realtimegateway.problem.ProblemException 503 when client secrets are off
     */
    void checkEnabled() {
        if (!config.enabled()) {
            throw Problems.relayUnavailable("OpenAI client secrets are disabled (GATEWAY_REALTIME_CLIENT_SECRETS_ENABLED=false); "
                    + "use the SDP exchange at /v1/realtime/calls with a gateway ticket");
        }
    }

    /**
     * @param asked the caller's request body, null when none
     * @return OpenAI's answer (JSON text)
     */
    Uni<String> mint(Caller caller, JsonNode asked) {
        ObjectNode request = policy.clientSecretRequest(asked);
        // The caller's rate limit and budget were checked by the admission pipeline, before this (as for relay tickets).
        return http.post("/realtime/client_secrets", "application/json", Buffer.buffer(request.toString()), caller.id())
                .onFailure().transform(failure -> {
                    metrics.secretFailed(CallMetrics.UpstreamFailure.UNREACHABLE);
                    return UpstreamProblems.unreachable(failure, "the client secret");
                })
                .map(answer -> {
                    if (!answer.ok()) {
                        metrics.secretFailed(CallMetrics.UpstreamFailure.of(answer.status()));
                        throw UpstreamProblems.of(answer, "the client secret", mapper);
                    }
                    metrics.minted();
                    JsonNode session = request.path("session");
                    LOG.infof("OpenAI client secret minted: caller=%s type=%s model=%s expires_in=%ds", Identities.loggable(caller.id()), session.path("type").asText(),
                            session.path("model").asText("-"), request.path("expires_after").path("seconds").asLong());
                    return answer.body();
                });
    }
}
