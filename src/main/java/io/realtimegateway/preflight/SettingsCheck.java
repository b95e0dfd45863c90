package io.realtimegateway.preflight;

import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.realtimegateway.config.SettingProblems;

/**
 * {@code config.settings}: the {@code GATEWAY_*} values the config interceptors could not use ({@link SettingProblems}). A malformed value
 * FAILs naming the variable and the fix; an empty one WARNs that the default applies. Values are never shown.
 */
@Singleton
class SettingsCheck implements PreflightCheck {

    static final String NAME = "config.settings";

    @Override
    public Feature feature() {
        return Feature.CONFIG;
    }

    @Override
    public List<CheckResult> run() {
        List<SettingProblems.Finding> findings = SettingProblems.findings();
        List<SettingProblems.Finding> malformed = findings.stream().filter(f -> !f.empty()).toList();
        List<SettingProblems.Finding> empty = findings.stream().filter(SettingProblems.Finding::empty).toList();
        if (!malformed.isEmpty()) {
            return List.of(CheckResult.fail(NAME,
                    String.join("; ", malformed.stream().map(f -> f.envName() + " " + f.problem()).toList())
                            + (empty.isEmpty() ? "" : "; " + emptyMessage(empty)),
                    String.join("; ", malformed.stream().map(this::fix).toList())));
        }
        if (!empty.isEmpty()) {
            return List.of(CheckResult.warn(NAME, emptyMessage(empty),
                    "remove the empty lines from .env / the deployment, or set a value"));
        }
        return List.of(CheckResult.ok(NAME, "every GATEWAY_* setting is well-formed"));
    }

    private String emptyMessage(List<SettingProblems.Finding> empty) {
        return String.join("; ", empty.stream().map(f -> f.envName() + " is empty, so it counts as unset"
                + defaultOf(f).map(d -> " (default " + d + ")").orElse("")).toList());
    }

    private String fix(SettingProblems.Finding finding) {
        return "set " + finding.envName() + " to a valid value"
                + defaultOf(finding).map(d -> " or remove it to use the default " + d).orElse(" or remove it");
    }

    /** The mapping's {@code @WithDefault}, if the setting has one. */
    private static Optional<String> defaultOf(SettingProblems.Finding finding) {
        return Optional.ofNullable(finding.defaultValue());
    }
}
