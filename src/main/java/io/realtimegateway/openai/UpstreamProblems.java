package io.realtimegateway.openai;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.preflight.NetworkFailure;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.Problems;

/**
 * OpenAI's refusals of a call or client-secret request, as the gateway's client sees them. Only OpenAI's status and
 * its error {@code type}/{@code code} identifiers are repeated, never its message: a 401 message quotes part of the
 * server key. The key is the operator's, so OpenAI refusing it is a 502 for the client, not a 401.
 */
public final class UpstreamProblems {

    private UpstreamProblems() {
    }

    /**
     * @param what what was asked, for the detail: "the SDP offer", "the client secret"
     */
    public static ProblemException of(OpenAiHttp.Answer answer, String what, ObjectMapper mapper) {
        OpenAiRestClient.ModelAnswer error = OpenAiRestClient.ModelAnswer.of(answer.status(), answer.body(), mapper);
        String said = answer.body() == null || answer.body().isBlank() ? "HTTP " + answer.status() + " with an empty body" : error.describe();
        int status = answer.status();
        if (status == 401 || status == 403) {
            return new ProblemException(502, Problems.type("openai-key-rejected"), "OpenAI rejected the gateway's key",
                    "OpenAI refused the gateway's API key for " + what + " (" + said + "); the gateway operator must fix OPENAI_API_KEY.");
        }
        if (status == 429) {
            ProblemException limited = new ProblemException(429, Problems.type("openai-rate-limited"), "OpenAI rate limit",
                    "OpenAI refused " + what + " for now (" + said + "); try again later.");
            String retryAfter = answer.headers().get("Retry-After");
            return retryAfter != null && retryAfter.matches("[0-9]{1,6}") ? limited.withHeader("Retry-After", retryAfter) : limited;
        }
        if (status >= 400 && status < 500) {
            return new ProblemException(400, Problems.type("openai-rejected"), "OpenAI refused the request",
                    "OpenAI refused " + what + " (" + said + ").");
        }
        return new ProblemException(502, Problems.type("openai-error"), "OpenAI error",
                "OpenAI could not handle " + what + " (" + said + ").");
    }

    /** OpenAI could not be reached, or did not answer in time. */
    public static ProblemException unreachable(Throwable failure, String what) {
        String why = NetworkFailure.describe(failure);
        return new ProblemException("timed out".equals(why) ? 504 : 502, Problems.type("openai-unreachable"), "OpenAI unreachable",
                "The gateway could not reach OpenAI for " + what + " (" + why + ").");
    }
}
