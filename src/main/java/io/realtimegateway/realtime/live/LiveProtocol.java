package io.realtimegateway.realtime.live;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.buffer.ByteBufInputStream;
import io.realtimegateway.auth.Identities;
import io.realtimegateway.relay.RelayProtocol;
import io.realtimegateway.relay.SessionRegistry;
import io.realtimegateway.state.Usage;
import io.realtimegateway.state.UsageField;
import io.realtimegateway.usage.UsageMeter;
import io.vertx.core.buffer.Buffer;

/**
 * GPT-Live's protocol on the relay ({@code /v1/live/sessions}): {@link LivePolicy} on the client's events (the first
 * must be {@code session.start}), the redaction of the session resources upstream sends, and the leash in seconds.
 * <p>
 * <b>Seconds.</b> OpenAI bills a Live session per second from its start to its close. The gateway counts on its own
 * clock from {@code session.started}, adds the seconds to the identity's day ({@link UsageField#LIVE_SECONDS}) every
 * second while a budget is set (every {@value #FLUSH_TICKS} seconds otherwise), and ends the session once the
 * identity's day total reaches {@code GATEWAY_LIVE_BUDGET_SECONDS_PER_DAY}. OpenAI's own figure
 * ({@code session.usage.updated}, cumulative, and the final one of {@code session.closed}) is kept too: at the end the
 * day gets the larger of the two, so a session never counts less than OpenAI billed.
 * <p>
 * Only the events the policy needs are parsed: the event type is read from the bytes of every frame, as on the
 * Realtime relay, and {@code session.input_audio.append} passes undecoded.
 */
final class LiveProtocol implements RelayProtocol {

    private static final Logger LOG = Logger.getLogger(LiveProtocol.class);
    /** Seconds between additions to the usage store without a budget. */
    static final int FLUSH_TICKS = 10;

    private final LivePolicy policy;
    private final LiveConfig config;
    private final ObjectMapper mapper;
    private final ObjectReader strict;
    private final UsageMeter meter;
    private final URI upstream;
    private final String model;
    private final String identity;
    private final Runnable release;
    private Session session;
    private boolean started; // the client's session.start went up
    private long startedNanos = -1; // upstream's session.started arrived
    private long recorded; // seconds added to the identity's day
    private long upstreamSeconds; // OpenAI's latest cumulative usage.seconds
    private boolean closedByUpstream;
    private String closeReason = "-";
    private int ticks;
    private boolean ended;

    LiveProtocol(LivePolicy policy, LiveConfig config, ObjectMapper mapper, UsageMeter meter, URI upstream, String model, String identity, Runnable release) {
        this.policy = policy;
        this.config = config;
        this.mapper = mapper;
        this.strict = mapper.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        this.meter = meter;
        this.upstream = upstream;
        this.model = model;
        this.identity = identity;
        this.release = release;
    }

    @Override
    public String kind() {
        return "GPT-Live";
    }

    @Override
    public String label() {
        return model;
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
        session.every(1000, this::tick);
    }

    @Override
    public Verdict fromClient(Buffer data) {
        String type = RelayProtocol.typeOf(data, mapper.getFactory());
        if (started && !filtered(type)) {
            return Pass.PASS;
        }
        ObjectNode event;
        try (InputStream in = new ByteBufInputStream(data.getByteBuf())) {
            JsonNode node = strict.readTree(in);
            event = node instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            event = null;
        }
        if (type == RelayProtocol.DUPLICATE_TYPE || event == null) {
            String message = "The event is not a JSON object with unique keys; the gateway relays only such events.";
            return started ? refuse(new LivePolicy.Refuse("duplicate_keys", null, message, null)) : new End("invalid_event", message);
        }
        LivePolicy.Verdict verdict = started ? policy.later(type, event) : policy.start(event, model);
        if (verdict instanceof LivePolicy.Rewrite rewrite) {
            started = true;
            return new Rewrite(rewrite.event().toString());
        }
        if (verdict instanceof LivePolicy.End end) {
            return new End(end.code(), end.message());
        }
        if (verdict instanceof LivePolicy.Refuse refused) {
            return refuse(refused);
        }
        return Pass.PASS;
    }

    /** The client events {@link LivePolicy#later} reads (and frames naming two types); every other one passes as it came. */
    private static boolean filtered(String type) {
        return type == RelayProtocol.DUPLICATE_TYPE || type != null && FILTERED.contains(type);
    }

    private static final Set<String> FILTERED = Set.of("session.start", "session.update", "session.instructions.append", "session.thinking.append",
            "session.commentary.append");

    private Refuse refuse(LivePolicy.Refuse refused) {
        return new Refuse(refused.code(), LivePolicy.errorEvent(mapper, refused.code(), refused.param(), refused.message(), refused.eventId()).toString());
    }

    @Override
    public boolean readsUpstream(String type) {
        return "error".equals(type) || "session.started".equals(type) || "session.updated".equals(type) || "session.closed".equals(type)
                || "session.usage.updated".equals(type);
    }

    @Override
    public String fromUpstream(String type, String text) {
        ObjectNode event = parse(text);
        if (event == null) {
            return text;
        }
        switch (type) {
            case "session.started" -> {
                startedNanos = System.nanoTime();
                session.upstreamStarted(event.path("session").path("id").asText("-"));
            }
            case "session.usage.updated" -> upstreamSeconds = Math.max(upstreamSeconds, event.path("usage").path("seconds").asLong(0));
            case "session.closed" -> {
                closedByUpstream = true;
                closeReason = event.path("reason").asText("-");
                upstreamSeconds = Math.max(upstreamSeconds, event.path("usage").path("seconds").asLong(0));
            }
            default -> {
                return text;
            }
        }
        Optional<ObjectNode> redacted = policy.redact(event);
        return redacted.isPresent() ? redacted.get().toString() : text;
    }

    /** Every second: the seconds so far on the gateway's clock, added to the day (at once under a budget), and the budget. */
    private void tick() {
        if (startedNanos < 0) {
            return;
        }
        long seconds = elapsedSeconds();
        boolean budgeted = meter.liveBudgeted();
        if (seconds > recorded && (budgeted || ++ticks % FLUSH_TICKS == 0)) {
            record(seconds);
        }
        if (budgeted && meter.liveSecondsLeft(session.usage().day(), seconds - recorded) <= 0) {
            session.endForBudget(meter.liveExhaustedMessage(session.usage().day().get(UsageField.LIVE_SECONDS) + seconds - recorded));
        }
    }

    private long elapsedSeconds() {
        return startedNanos < 0 ? 0 : (System.nanoTime() - startedNanos) / 1_000_000_000L;
    }

    private void record(long seconds) {
        long delta = seconds - recorded;
        if (delta > 0) {
            recorded = seconds;
            session.usage().add(Usage.builder().add(UsageField.LIVE_SECONDS, delta).build());
        }
    }

    @Override
    public void ended() {
        if (ended) {
            return;
        }
        ended = true;
        release.run();
        // The larger of the gateway's clock and OpenAI's figure: never less than OpenAI billed.
        long total = Math.max(startedNanos < 0 ? 0 : (System.nanoTime() - startedNanos + 999_999_999L) / 1_000_000_000L, upstreamSeconds);
        record(total);
        if (startedNanos >= 0) {
            LOG.debugf("GPT-Live session of %s: %d s counted, OpenAI reported %d s%s", Identities.loggable(identity), total, upstreamSeconds,
                    closedByUpstream ? " (final, " + closeReason + ")" : " (unconfirmed: no session.closed)");
        }
    }

    @Override
    public String sessionType() {
        return SessionRegistry.LIVE;
    }

    @Override
    public Long seconds() {
        return Math.max(elapsedSeconds(), upstreamSeconds);
    }

    @Override
    public Long secondsLeft() {
        return session == null || !meter.liveBudgeted() ? null : Math.max(0, meter.liveSecondsLeft(session.usage().day(), elapsedSeconds() - recorded));
    }

    @Override
    public String usageSummary() {
        return "live_seconds:" + recorded + ",openai_seconds:" + upstreamSeconds + (closedByUpstream ? ",closed:" + closeReason : "");
    }

    @Override
    public String errorEvent(String errorType, String code, String message) {
        return LivePolicy.errorEvent(mapper, code, null, message, null).toString();
    }

    private ObjectNode parse(String text) {
        try {
            JsonNode node = mapper.readTree(text);
            return node instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
    }
}
