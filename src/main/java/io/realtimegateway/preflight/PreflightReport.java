package io.realtimegateway.preflight;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The results of one preflight run, rendered for people (boot log, {@code check}) or machines ({@code check --json}).
 * The results stay grouped by the check that produced them ({@link Section}), so readiness can summarise a feature
 * without knowing check names; the JSON shows the flat list only.
 */
@RegisterForReflection
@JsonPropertyOrder({ "status", "checked_at", "checks" })
public record PreflightReport(@JsonProperty("checked_at") Instant checkedAt, @JsonIgnore List<Section> sections) {

    public PreflightReport {
        sections = List.copyOf(sections);
    }

    /** One check's results, under the feature it declared; {@code online} when it called a server. */
    @RegisterForReflection
    public record Section(Feature feature, boolean online, List<CheckResult> results) {

        public Section {
            results = List.copyOf(results);
        }
    }

    /** Every result, in report order. */
    @JsonProperty("checks")
    public List<CheckResult> checks() {
        return sections.stream().flatMap(s -> s.results().stream()).toList();
    }

    /** The worst status of the feature's results; OK when there are none. */
    public CheckStatus status(Feature feature) {
        return worst(sections.stream().filter(s -> s.feature() == feature).flatMap(s -> s.results().stream()).toList());
    }

    /** The worst status of all checks; OK when there are none. */
    @JsonProperty("status")
    public CheckStatus status() {
        return worst(checks());
    }

    private static CheckStatus worst(List<CheckResult> results) {
        CheckStatus worst = CheckStatus.OK;
        for (CheckResult check : results) {
            worst = worst.worst(check.status());
        }
        return worst;
    }

    private long count(CheckStatus status) {
        return checks().stream().filter(c -> c.status() == status).count();
    }

    @JsonIgnore
    List<CheckResult> failures() {
        return checks().stream().filter(c -> c.status() == CheckStatus.FAIL).toList();
    }

    /** A readable, aligned report: one line per check, the fix under each WARN and FAIL. */
    public String toText() {
        List<CheckResult> checks = checks();
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
