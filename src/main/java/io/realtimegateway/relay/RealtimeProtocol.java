package io.realtimegateway.relay;

import java.net.URI;
import java.time.Duration;

import io.realtimegateway.realtime.RealtimeConfig;
import io.realtimegateway.state.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * The Realtime API's protocol on the relay ({@code /v1/realtime}): {@link RelayPolicy}'s verdicts on client events,
 * the server instructions sent after {@code session.created} (client frames held until upstream acknowledged them),
 * the redaction of session events, and the tokens of {@code response.done} and transcriptions.
 */
final class RealtimeProtocol implements RelayProtocol {

    private final RelayPolicy policy;
    private final RelayMetrics metrics;
    private final RealtimeConfig config;
    private final SessionPlan plan;
    private final URI upstream;
    private final boolean holds;
    private Session session;
    private boolean instructionsSent;
    private boolean held;

    RealtimeProtocol(RelayPolicy policy, RelayMetrics metrics, RealtimeConfig config, SessionPlan plan, URI upstream) {
        this.policy = policy;
        this.metrics = metrics;
        this.config = config;
        this.plan = plan;
        this.upstream = upstream;
        this.holds = policy.holdsForInstructions(plan);
        this.held = holds;
    }

    @Override
    public String kind() {
        return "Realtime";
    }

    @Override
    public String label() {
        return plan.transcription() ? "intent=transcription" : plan.model();
    }

    @Override
    public URI upstreamUri() {
        return upstream;
    }

    @Override
    public Duration maxSessionLength() {
        return config.maxSessionLength();
    }

    @Override
    public Duration idleTimeout() {
        return config.idleTimeout();
    }

    @Override
    public void start(Session session) {
        this.session = session;
    }

    @Override
    public boolean holdsClientFrames() {
        return holds;
    }

    @Override
    public Verdict fromClient(Buffer data) {
        RelayPolicy.Verdict verdict = policy.inspectClient(data, plan, session.usage());
        if (verdict == RelayPolicy.Pass.PASS) {
            return Pass.PASS;
        }
        if (verdict instanceof RelayPolicy.Rewrite rewrite) {
            return new Rewrite(rewrite.text());
        }
        RelayPolicy.Refuse refused = (RelayPolicy.Refuse) verdict;
        return new Refuse(refused.reason().label(),
                policy.errorEvent("invalid_request_error", refused.reason().label(), refused.message(), refused.param(), refused.eventId()));
    }

    @Override
    public boolean readsUpstream(String type) {
        return policy.readsUpstream(type);
    }

    @Override
    public String fromUpstream(String type, String event) {
        switch (type) {
            case "error" -> {
                if (held && policy.rejectsInstructions(event)) {
                    session.endInstructionsNotApplied("upstream refused them");
                }
                return event;
            }
            case "session.created", "session.updated" -> {
                String redacted = policy.redactSession(event, plan);
                if ("session.created".equals(type)) {
                    session.upstreamStarted(policy.sessionId(event));
                    policy.instructionsUpdate(plan).ifPresent(update -> {
                        if (!instructionsSent) {
                            instructionsSent = true;
                            session.sendUp(update);
                        }
                    });
                } else if (held && instructionsSent) {
                    // Upstream answered the server's session.update (no client frame went up before it).
                    held = false;
                    session.releaseHeld();
                }
                return redacted;
            }
            default -> {
                Usage reported = policy.usage(event); // response.done or a transcription's completed event
                metrics.tokens(reported);
                session.usage().add(reported);
                return event;
            }
        }
    }

    @Override
    public String usageSummary() {
        return session.usage().summary();
    }

    @Override
    public String errorEvent(String errorType, String code, String message) {
        return policy.errorEvent(errorType, code, message);
    }
}
