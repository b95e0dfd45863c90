package io.realtimegateway.config;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@link SettingsInterceptor} found while the configuration was read, for the {@code config.settings} check.
 * Static because the interceptor runs before CDI exists; entries are kept per property, so re-reads add nothing.
 * Values are never kept: a setting may be a secret.
 */
public final class SettingProblems {

    /** One finding: the variable, and either an empty value (default applied) or a malformed one (default applied, FAIL). */
    public record Finding(String envName, String property, boolean empty, String problem, String defaultValue) {
    }

    private static final Map<String, Finding> FINDINGS = new ConcurrentHashMap<>();

    private SettingProblems() {
    }

    static void record(Finding finding) {
        FINDINGS.putIfAbsent(finding.property(), finding);
    }

    /** Every finding so far, sorted by variable name so the report is stable. */
    public static List<Finding> findings() {
        return FINDINGS.values().stream().sorted((a, b) -> a.envName().compareTo(b.envName())).toList();
    }
}
