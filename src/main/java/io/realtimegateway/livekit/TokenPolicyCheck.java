package io.realtimegateway.livekit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import jakarta.enterprise.context.ApplicationScoped;

import io.realtimegateway.preflight.CheckResult;
import io.realtimegateway.preflight.Feature;
import io.realtimegateway.preflight.PreflightCheck;

/** token.policy: the TTL, patterns and grant that every participant token is issued under. */
@ApplicationScoped
class TokenPolicyCheck implements PreflightCheck {

    static final String NAME = "token.policy";
    /** livekit-client's TokenSource reuses a token until exp - 60 s; a shorter TTL makes it refetch on every connect. */
    private static final Duration CLIENT_REFRESH_MARGIN = Duration.ofSeconds(60);

    private final TokenConfig config;

    TokenPolicyCheck(TokenConfig config) {
        this.config = config;
    }

    @Override
    public Feature feature() {
        return Feature.TOKEN;
    }

    @Override
    public List<CheckResult> run() {
        return List.of(evaluate(config));
    }

    static CheckResult evaluate(TokenConfig config) {
        List<String> faults = new ArrayList<>();
        Duration ttl = config.ttl();
        if (ttl.isNegative() || ttl.isZero()) {
            faults.add("gateway.token.ttl=" + ttl + " must be positive");
        } else if (ttl.compareTo(config.maxTtl()) > 0) {
            faults.add("gateway.token.ttl=" + ttl + " is above gateway.token.max-ttl=" + config.maxTtl());
        }
        regex("gateway.token.identity-pattern", config.identityPattern(), faults);
        regex("gateway.token.room-pattern", config.roomPattern(), faults);
        config.grant().canPublishSources().ifPresent(sources -> sources.stream()
                .filter(s -> !TokenPolicy.TRACK_SOURCES.contains(s))
                .forEach(s -> faults.add("gateway.token.grant.can-publish-sources has unknown source '" + s + "'")));
        if (config.maxMetadataBytes() <= 0 || config.maxAttributesBytes() <= 0 || config.maxNameBytes() <= 0) {
            faults.add("gateway.token.max-*-bytes must be positive");
        }
        if (!faults.isEmpty()) {
            return CheckResult.fail(NAME, String.join("; ", faults),
                    "Fix the gateway.token.* settings: ttl within (0, max-ttl], valid Java regular expressions, sources among "
                            + String.join(", ", TokenPolicy.TRACK_SOURCES.stream().sorted().toList()) + ".");
        }
        String summary = "participant tokens live " + ttl.toSeconds() + " s (max " + config.maxTtl().toSeconds() + " s)"
                + config.allowedAgents().map(a -> ", agents limited to " + String.join(", ", a)).orElse("");
        if (ttl.compareTo(CLIENT_REFRESH_MARGIN) <= 0) {
            return CheckResult.warn(NAME, summary + ": livekit-client refetches tokens that expire within 60 s, i.e. on every connect",
                    "Set gateway.token.ttl above 60s (the default is 10m).");
        }
        return CheckResult.ok(NAME, summary);
    }

    private static void regex(String property, String regex, List<String> faults) {
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            faults.add(property + " is not a valid regular expression (" + e.getDescription() + ")");
        }
    }
}
