package io.realtimegateway.preflight;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The results of one preflight run, rendered for people (boot log, {@code check}) or machines ({@code check --json}). */
@RegisterForReflection
@JsonPropertyOrder({ "status", "checked_at", "checks" })
public record PreflightReport(@JsonProperty("checked_at") Instant checkedAt, List<CheckResult> checks) {

    public PreflightReport {
        checks = List.copyOf(checks);
    }

    /** The worst status of all checks; OK when there are none. */
    @JsonProperty("status")
    public CheckStatus status() {
        CheckStatus worst = CheckStatus.OK;
        for (CheckResult check : checks) {
            worst = worst.worst(check.status());
        }
        return worst;
    }

    public long count(CheckStatus status) {
        return checks.stream().filter(c -> c.status() == status).count();
    }

    @JsonIgnore
    public List<CheckResult> failures() {
        return checks.stream().filter(c -> c.status() == CheckStatus.FAIL).toList();
    }

    /** A readable, aligned report: one line per check, the fix under each WARN and FAIL. */
    public String toText() {
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        StringBuilder out = new StringBuilder()
                .append("realtime-gateway preflight: ").append(status())
                .append(" (").append(count(CheckStatus.FAIL)).append(" failed, ")
                .append(count(CheckStatus.WARN)).append(" warnings, ")
                .append(count(CheckStatus.OK)).append(" ok)\n");
        for (CheckResult check : checks) {
            out.append(String.format("  %-4s %-" + width + "s  %s%n", check.status(), check.name(), check.message()));
            if (check.fix() != null && check.status() != CheckStatus.OK) {
                out.append(" ".repeat(9 + width)).append("fix: ").append(check.fix()).append('\n');
            }
        }
        return out.toString();
    }
}
