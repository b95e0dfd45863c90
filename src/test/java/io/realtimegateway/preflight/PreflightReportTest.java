package io.realtimegateway.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

class PreflightReportTest {

    private final PreflightReport report = new PreflightReport(Instant.parse("2026-01-02T03:04:05Z"), List.of(
            new PreflightReport.Section(Feature.LIVEKIT, false, List.of(
                    CheckResult.ok("livekit.url", "ws://localhost:7880"),
                    CheckResult.warn("livekit.secret.length", "weak", "use 32"))),
            new PreflightReport.Section(Feature.OPENAI, false, List.of(
                    CheckResult.fail("openai.api-key", "missing", "set OPENAI_API_KEY")))));

    @Test
    void worstStatusWins() {
        assertThat(report.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(report.failures()).extracting(CheckResult::name).containsExactly("openai.api-key");
        assertThat(new PreflightReport(Instant.now(), List.of()).status()).isEqualTo(CheckStatus.OK);
        assertThat(report.status(Feature.LIVEKIT)).isEqualTo(CheckStatus.WARN);
        assertThat(report.status(Feature.OPENAI)).isEqualTo(CheckStatus.FAIL);
        assertThat(report.status(Feature.AUTH)).isEqualTo(CheckStatus.OK);
    }

    @Test
    void jsonIsSnakeCase() throws Exception {
        ObjectMapper mapper = new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        JsonNode json = mapper.readTree(mapper.writeValueAsString(report));
        assertThat(json.fieldNames()).toIterable().containsExactly("status", "checked_at", "checks");
        assertThat(json.get("status").asText()).isEqualTo("FAIL");
        assertThat(json.get("checked_at").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(json.get("checks").get(2).get("fix").asText()).isEqualTo("set OPENAI_API_KEY");
        assertThat(json.get("checks").get(0).fieldNames()).toIterable().containsExactly("name", "status", "message", "fix");
    }

    @Test
    void textShowsFixesUnderProblemsOnly() {
        String text = report.toText();
        assertThat(text).startsWith("realtime-gateway preflight: FAIL (1 failed, 1 warnings, 1 ok)");
        assertThat(text).contains("  FAIL openai.api-key         missing\n").contains("fix: set OPENAI_API_KEY").contains("fix: use 32");
    }
}
