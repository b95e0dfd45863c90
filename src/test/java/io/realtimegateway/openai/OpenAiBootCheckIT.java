package io.realtimegateway.openai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.ProdEnv;

/**
 * The packaged jar ({@code gateway.jar}), in the prod profile with a clean environment, against the fake OpenAI
 * upstream: a key OpenAI rejects refuses boot with a report naming the fault and the fix and no part of the key;
 * the accepted key passes the same check (so the refusal is the check's doing).
 */
class OpenAiBootCheckIT {

    private static final String BAD_KEY = "sk-proj-" + "rejectedByOpenAiBootCheckIT0123456789WXYZ";

    private static FakeOpenAiUpstream.Standalone fake;

    @BeforeAll
    static void startFake() {
        fake = FakeOpenAiUpstream.standalone();
    }

    @AfterAll
    static void stopFake() {
        if (fake != null) {
            fake.close();
        }
    }

    /** The valid prod configuration with the network checks on; nothing listens at LIVEKIT_URL, which only warns. */
    private static ProdEnv env(String openAiKey) {
        return ProdEnv.valid().online()
                .with("OPENAI_API_KEY", openAiKey)
                .with("OPENAI_BASE_URL", fake.baseUrl())
                .with("LIVEKIT_URL", "ws://127.0.0.1:1")
                .with("GATEWAY_PREFLIGHT_UNREACHABLE", "warn")
                .with("GATEWAY_PREFLIGHT_ATTEMPTS", "1");
    }

    /** {@code output} is stdout and stderr together (everything an operator would see); {@code stdout} alone. */
    private record Run(int exitCode, String output, String stdout) {
    }

    private static Run launch(ProdEnv env, String... args) {
        try (GatewayProcess gateway = GatewayProcess.start(env, args)) {
            int exitCode = gateway.awaitExit(90);
            boolean exited = exitCode != GatewayProcess.STILL_RUNNING;
            String output = gateway.output();
            assertThat(exited).as("the gateway should have exited (refused boot or finished check), but it kept running:\n" + output).isTrue();
            return new Run(exitCode, output, gateway.stdout());
        }
    }

    @Test
    void aKeyOpenAiRejectsRefusesBootNamingTheFaultAndTheFixWithoutTheKey() throws Exception {
        Run run = launch(env(BAD_KEY));

        assertThat(run.exitCode()).as(run.output()).isNotZero();
        String checkLine = run.output().lines().filter(l -> l.contains("openai.model-access")).findFirst().orElse("");
        assertThat(checkLine).as(run.output()).contains("FAIL").contains("rejected the API key").contains("invalid_api_key");
        assertThat(run.output()).contains("fix: Set OPENAI_API_KEY").contains("Refusing to start")
                .doesNotContain(BAD_KEY)
                .doesNotContain(BAD_KEY.substring(BAD_KEY.length() - 4))
                .doesNotContain(BAD_KEY.substring(0, 20))
                .doesNotContain("Incorrect API key provided")
                .doesNotContain("Exception");
        assertThat(fake.control().modelRequests()).isPositive();
    }

    @Test
    void theAcceptedKeyPassesTheSameCheck() throws Exception {
        Run run = launch(env(FakeOpenAiUpstream.API_KEY), "check", "--json");

        JsonNode report = new ObjectMapper().readTree(run.stdout());
        JsonNode check = null;
        for (JsonNode c : report.get("checks")) {
            if ("openai.model-access".equals(c.get("name").asText())) {
                check = c;
            }
        }
        assertThat(check).as(run.output()).isNotNull();
        assertThat(check.get("status").asText()).as(run.output()).isEqualTo("OK");
        assertThat(run.output()).doesNotContain(FakeOpenAiUpstream.API_KEY);
    }
}
