package io.realtimegateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.FaultProxy;
import io.realtimegateway.testing.GatewayProcess;
import io.realtimegateway.testing.ProdEnv;
import io.realtimegateway.testing.RedisServer;
import io.realtimegateway.testing.Secrets;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * LiveKit Agents through the relay (docs/agents.md): a real livekit-server, two packaged gateways in prod sharing a
 * redis-server (behind {@link #balancer}, a TCP proxy standing for the load balancer), the standalone fake upstream
 * answering like a voice model (behind {@link #upstream}, which cuts and refuses it), and
 * {@code src/test/python/agents}: a worker with livekit-agents and livekit-plugins-openai's {@code RealtimeModel} as
 * shipped (no subclass, no override), which fetches a reusable ticket in its job's entrypoint, and a participant (the
 * livekit rtc SDK) that joins each case's fresh room with a gateway token, publishes a tone and counts the loud audio
 * frames it receives. The fake speaks once per upstream connection (after 25 {@code input_audio_buffer.append}), so
 * "new loud frames after a fault" means the agent has a working connection again, end to end.
 *
 * <p>In the e2e execution (a real livekit-server) and so never in the native tier, which excludes that package.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentsIT {

    static final String AGENT = "gateway-agent";
    static final Duration AUDIO_WAIT = Duration.ofSeconds(60);
    /** How long a lease of a killed replica outlives it (TwoReplicasIT uses the same). */
    static final Duration LEASE_TTL = Duration.ofSeconds(3);

    static final String CALLER = Secrets.random(40);

    static LiveKitServer livekit;
    static FakeOpenAiUpstream.Standalone fake;
    static RedisServer redis;
    static Vertx vertx;
    static FaultProxy upstream;
    static FaultProxy balancer;
    static ProdEnv env;
    static GatewayProcess a;
    static GatewayProcess b;
    /** The replica the balancer sends new connections to. */
    static GatewayProcess serving;
    static AgentProcess worker;
    static final List<AgentProcess> participants = new ArrayList<>();
    static final List<String> rooms = new ArrayList<>();
    /** Every gateway process started, the killed one too, for the no-secret check. */
    static final List<GatewayProcess> gateways = new ArrayList<>();

    @BeforeAll
    static void start() {
        AgentProcess.install(); // first: a failed install fails the tier before anything else starts
        livekit = LiveKitServer.start(LiveKitServer.generatedKeys(1));
        fake = FakeOpenAiUpstream.standalone();
        fake.control().audio(true);
        redis = RedisServer.start(null);
        vertx = Vertx.vertx();
        int fakePort = Integer.parseInt(fake.baseUrl().replaceAll("^http://127\\.0\\.0\\.1:(\\d+)/v1$", "$1"));
        upstream = FaultProxy.to(vertx, "127.0.0.1", fakePort);
        String key = livekit.firstKey();
        env = ProdEnv.valid().withoutLiveKitKeys()
                .with("LIVEKIT_URL", livekit.wsUrl())
                .with("LIVEKIT_API_KEY", key)
                .with("LIVEKIT_API_SECRET", livekit.secretOf(key))
                .with("OPENAI_API_KEY", FakeOpenAiUpstream.API_KEY)
                .with("OPENAI_BASE_URL", "http://127.0.0.1:" + upstream.port() + "/v1")
                .with("GATEWAY_AUTH_API_KEYS", CALLER)
                .with("GATEWAY_STATE", "redis")
                .with("QUARKUS_REDIS_HOSTS", redis.url())
                .with("GATEWAY_STATE_LEASE_TTL", LEASE_TTL.toSeconds() + "s")
                .with("GATEWAY_STATE_TIMEOUT", "1s")
                // One session per conversation: two rooms of one caller key must still both be served.
                .with("GATEWAY_REALTIME_MAX_SESSIONS_PER_IDENTITY", "1")
                // Server instructions: the agent's own (Agent(instructions=…), generate_reply's greeting) go after them.
                .with("GATEWAY_REALTIME_INSTRUCTIONS", "Be brief.");
        a = GatewayProcess.start(env);
        b = GatewayProcess.start(env);
        gateways.addAll(List.of(a, b));
        balancer = FaultProxy.to(vertx, "127.0.0.1", port(a));
        serving = a;
        port(b);
        worker = AgentProcess.start("agent_worker.py", List.of("start"), Map.of(
                "LIVEKIT_URL", livekit.wsUrl(),
                "LIVEKIT_API_KEY", key,
                "LIVEKIT_API_SECRET", livekit.secretOf(key),
                "GATEWAY_URL", "http://127.0.0.1:" + balancer.port(),
                "GATEWAY_API_KEY", CALLER,
                "AGENT_NAME", AGENT), livekit.secretOf(key), CALLER);
        worker.awaitLine(line -> line.contains("registered worker"), Duration.ofSeconds(120), "worker registration");
    }

    static int port(GatewayProcess gateway) {
        return Integer.parseInt(gateway.awaitListening().replaceAll("^http://127\\.0\\.0\\.1:(\\d+)$", "$1"));
    }

    @AfterEach
    void leave() {
        participants.forEach(AgentProcess::close);
        participants.clear();
        // The rooms go, so their agents' jobs end and no session of one case lives on into the next.
        Instant now = Instant.now();
        LiveKitApi api = livekit.api();
        for (String room : rooms) {
            String admin = api.mint(Map.of("video", Map.of("roomCreate", true)), now.minusSeconds(5), now.plusSeconds(60));
            api.twirp("DeleteRoom", admin, Map.of("room", room));
        }
        rooms.clear();
        upstream.drop(false);
        upstream.restore();
    }

    @AfterAll
    static void stop() {
        StringBuilder logs = new StringBuilder(worker == null ? "" : String.join("\n", worker.lines()));
        gateways.forEach(gateway -> logs.append(gateway.output()));
        for (AutoCloseable resource : new AutoCloseable[] {worker, a, b, balancer, upstream, fake, redis, livekit}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
        if (env != null) {
            for (String secret : env.secrets()) {
                assertThat(logs.toString()).as("no secret in the gateways' or the worker's output").doesNotContain(secret);
            }
        }
    }

    /** A fresh room (livekit-server dispatches only when a join creates the room), with a participant in it. */
    static AgentProcess join(String label, JsonObject jobMetadata) {
        String room = "agents-" + label + "-" + Secrets.random(6);
        rooms.add(room);
        JsonObject dispatch = new JsonObject().put("agent_name", AGENT);
        if (jobMetadata != null) {
            dispatch.put("metadata", jobMetadata.encode());
        }
        JsonObject request = new JsonObject().put("room_name", room).put("participant_identity", "user-" + label)
                .put("room_config", new JsonObject().put("agents", new JsonArray().add(dispatch)));
        HttpResponse<String> response = serving.postJson("/api/livekit/token", request.encode(), CALLER);
        assertThat(response.statusCode()).as("participant token: %s", response.body()).isEqualTo(201);
        String token = new JsonObject(response.body()).getString("participant_token");
        AgentProcess participant = AgentProcess.start("participant.py", List.of(),
                Map.of("LIVEKIT_URL", livekit.wsUrl(), "PARTICIPANT_TOKEN", token), token);
        participants.add(participant);
        participant.awaitLine(line -> line.startsWith("JOINED "), Duration.ofSeconds(60), "join of " + room);
        return participant;
    }

    /** The loud frames the participant has reported so far. */
    static int loud(AgentProcess participant) {
        List<String> lines = participant.lines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("LOUD ")) {
                return Integer.parseInt(lines.get(i).substring(5).trim());
            }
        }
        return 0;
    }

    /** Waits until the participant has received more than {@code above} loud frames of the agent's audio. */
    static int awaitLoudAbove(AgentProcess participant, int above, String what) {
        String line = participant.awaitLine(l -> l.startsWith("LOUD ") && Integer.parseInt(l.substring(5).trim()) > above, AUDIO_WAIT,
                what + " (loud frames above " + above + ")\n--- worker ---\n" + worker.output() + "\n--- participant");
        return Integer.parseInt(line.substring(5).trim());
    }

    /**
     * Waits until the participant has heard nothing new for 1.5 s and returns its count: the answers of the connection
     * so far have been played out, so any loud frame after a fault comes from a connection opened after it (the fake
     * speaks only on a connection).
     */
    static int awaitQuiet(AgentProcess participant) {
        int count = loud(participant);
        long quietSince = System.nanoTime();
        long deadline = quietSince + AUDIO_WAIT.toNanos();
        while (System.nanoTime() - quietSince < Duration.ofMillis(1500).toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the room never went quiet");
            }
            sleep(100);
            int now = loud(participant);
            if (now != count) {
                count = now;
                quietSince = System.nanoTime();
            }
        }
        return count;
    }

    static int connections() {
        return fake.control().connections().size();
    }

    @Test
    @Order(1)
    void theFakesAudioReachesTheRoomThroughTheAgent() {
        AgentProcess participant = join("audio", null);
        participant.awaitLine(line -> line.startsWith("TRACK agent-"), AUDIO_WAIT, "the agent's audio track");
        int greeting = awaitLoudAbove(participant, 10, "the agent's greeting (generate_reply)");
        awaitUntil(() -> fake.control().connections().stream().mapToInt(c -> c.getInteger("audioAppends", 0)).sum()
                >= FakeOpenAiUpstream.APPENDS_BEFORE_REPLY, "the room's microphone reaching the upstream (input_audio_buffer.append)");
        awaitLoudAbove(participant, greeting + 10, "the answer to the room's microphone");
        List<JsonObject> seen = fake.control().connections();
        assertThat(seen).isNotEmpty().allSatisfy(connection -> assertThat(connection.getJsonObject("headers").getString("Authorization"))
                .as("the upstream gets the server key, never the ticket").isEqualTo("Bearer " + FakeOpenAiUpstream.API_KEY));
        assertThat(worker.lines()).anyMatch(line -> line.startsWith("AGENT ticket room=agents-audio-"));
    }

    @Test
    @Order(2)
    void theAgentSurvivesItsOwnScheduledReconnects() {
        int before = connections();
        AgentProcess participant = join("reconnect", new JsonObject().put("max_session_duration", 4));
        awaitLoudAbove(participant, 10, "the first answer");
        // Three more connections, each with the one ticket the plugin read at start, then an answer on a later one.
        awaitUntil(() -> connections() >= before + 4, "three reconnections (max_session_duration 4 s)");
        int heard = awaitQuiet(participant); // anything heard from now on was said on the fourth connection or later
        awaitLoudAbove(participant, heard + 10, "an answer on a recycled connection");
        assertThat(worker.lines()).noneMatch(line -> line.startsWith("AGENT closed room=agents-reconnect-"));
        assertThat(a.output() + b.output()).doesNotContain("replayed");
    }

    @Test
    @Order(3)
    void theAgentRecoversFromAnUpstreamDrop() {
        AgentProcess participant = join("drop", null);
        awaitLoudAbove(participant, 10, "the first answer");
        int heard = awaitQuiet(participant);
        int opened = connections();
        upstream.refuse();
        upstream.cutAll();
        sleep(2000);
        upstream.restore();
        awaitLoudAbove(participant, heard + 10, "an answer after the upstream came back");
        assertThat(connections()).as("a new upstream connection").isGreaterThan(opened);
        assertThat(worker.lines()).noneMatch(line -> line.startsWith("AGENT closed room=agents-drop-"));
    }

    @Test
    @Order(4)
    void capsApplyPerConversation() {
        // GATEWAY_REALTIME_MAX_SESSIONS_PER_IDENTITY=1 and one caller key: each room is its own conversation.
        AgentProcess first = join("cap-one", null);
        AgentProcess second = join("cap-two", null);
        awaitLoudAbove(first, 10, "the first room's agent");
        awaitLoudAbove(second, 10, "the second room's agent");
        assertThat(a.output() + b.output()).doesNotContain("session_limit_reached");
    }

    @Test
    @Order(5)
    void theAgentMovesToTheOtherReplicaWhenItsReplicaRestarts() {
        AgentProcess participant = join("restart", null);
        awaitLoudAbove(participant, 10, "the first answer");
        int heard = awaitQuiet(participant);
        GatewayProcess other = serving == a ? b : a;
        serving.kill();
        balancer.retarget(port(other)); // the load balancer's health check takes the dead replica out
        balancer.cutAll();
        GatewayProcess restarted = GatewayProcess.start(env); // it comes back (on a new port); the other keeps the traffic
        gateways.add(restarted);
        if (serving == a) {
            a = restarted;
        } else {
            b = restarted;
        }
        serving = other;
        awaitLoudAbove(participant, heard + 10, "an answer through the other replica");
        restarted.awaitListening();
        assertThat(worker.lines()).noneMatch(line -> line.startsWith("AGENT closed room=agents-restart-"));
    }

    /**
     * One outage, both bounds: the dials, and the log lines. Those are the breaker's WARNs (opened, a failed probe,
     * throttled), one refusal INFO and the end line of the first session that could not connect; later failed probes'
     * end lines are throttled with the breaker's WARNs (7 lines were measured before that, one per probe session). One
     * outage only: a second right after it would meet the breaker still open from the first, backing off.
     */
    @Test
    @Order(6)
    void anUpstreamOutageOfTenSecondsCostsAtMostFiveDialsAndFiveLogLines() {
        Outage outage = outage("outage");
        assertThat(outage.dials()).as("upstream connection attempts in 10 s (the agent did try)").isBetween(1, 5);
        assertThat(String.join("\n", outage.logged())).as("the log says why").contains("unreachable");
        assertThat(outage.logged()).as("gateway log lines in 10 s").hasSizeLessThanOrEqualTo(5);
    }

    /** What 10 s of an upstream that resets every connection cost while one agent session was on it. */
    record Outage(int dials, List<String> logged) {
    }

    private static Outage outage(String label) {
        AgentProcess participant = join(label, null);
        awaitLoudAbove(participant, 10, "the first answer");
        long linesBefore = serving.output().lines().count();
        int dialsBefore = upstream.accepted();
        upstream.drop(true); // each dial is accepted and reset at once, so accepted() counts them
        upstream.cutAll();
        sleep(10_000);
        int dials = upstream.accepted() - dialsBefore;
        List<String> logged = serving.output().lines().skip(linesBefore).filter(line -> !line.isBlank()).toList();
        upstream.drop(false);
        return new Outage(dials, logged);
    }

    private static void awaitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + AUDIO_WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + AUDIO_WAIT.toSeconds() + " s\n--- worker ---\n" + worker.output());
            }
            sleep(200);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
