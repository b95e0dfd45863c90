package io.realtimegateway.config;

import java.util.List;

import jakarta.inject.Singleton;

import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.PreflightCheck;

/**
 * {@code config.settings}: the {@code GATEWAY_*} values {@link SettingsInterceptor} could not use. A malformed value
 * FAILs naming the variable and the fix; an empty one WARNs that the default applies. Values are never shown.
 */
@Singleton
class SettingsCheck implements PreflightCheck {

    static final String NAME = "config.settings";

    @Override
    public List<CheckResult> run() {
        List<SettingProblems.Finding> findings = SettingProblems.findings();
        List<SettingProblems.Finding> malformed = findings.stream().filter(f -> !f.empty()).toList();
        List<SettingProblems.Finding> empty = findings.stream().filter(SettingProblems.Finding::empty).toList();
        if (!malformed.isEmpty()) {
            return List.of(CheckResult.fail(NAME,
                    String.join("; ", malformed.stream().map(f -> f.envName() + " " + f.problem()).toList())
                            + (empty.isEmpty() ? "" : "; " + emptyMessage(empty)),
                    String.join("; ", malformed.stream().map(SettingsCheck::fix).toList())));
        }
        if (!empty.isEmpty()) {
            return List.of(CheckResult.warn(NAME, emptyMessage(empty),
                    "remove the empty lines from .env / the deployment, or set a value"));
        }
        return List.of(CheckResult.ok(NAME, "every GATEWAY_* setting is well-formed"));
    }

    private static String emptyMessage(List<SettingProblems.Finding> empty) {
        return String.join("; ", empty.stream().map(f -> f.envName() + " is empty, so it counts as unset"
                + (f.defaultValue() == null ? "" : " (default " + f.defaultValue() + ")")).toList());
    }

    private static String fix(SettingProblems.Finding finding) {
        return "set " + finding.envName() + " to a valid value"
                + (finding.defaultValue() == null ? " or remove it" : " or remove it to use the default " + finding.defaultValue());
    }
}
