package io.realtimegateway.testing;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.UnaryOperator;

import io.vertx.core.json.JsonObject;

/**
 * The packaged gateway in prod with its relay pointed at a standalone {@link FakeOpenAiUpstream}: for the tiers that
 * drive the relay with real clients from outside the JVM. The env is {@link ProdEnv#valid()} with the fake's URL and
 * key, plus what the test adds; callers authenticate with the env's caller key, as in production.
 */
public final class RelayJar implements AutoCloseable {

    private final FakeOpenAiUpstream.Standalone fake;
    private final ProdEnv env;
    private final GatewayProcess gateway;

    private RelayJar(FakeOpenAiUpstream.Standalone fake, ProdEnv env, GatewayProcess gateway) {
        this.fake = fake;
        this.env = env;
        this.gateway = gateway;
    }

    /** Starts the fake, then the jar (changed by {@code customize}), and waits until the jar listens. */
    public static RelayJar start(UnaryOperator<ProdEnv> customize) {
        return start(List.of(), customize);
    }

    /** {@link #start(UnaryOperator)} with JVM options for the jar ({@link GatewayProcess#start(ProdEnv, List, String...)}). */
    public static RelayJar start(List<String> jvmOptions, UnaryOperator<ProdEnv> customize) {
        FakeOpenAiUpstream.Standalone fake = FakeOpenAiUpstream.standalone();
        GatewayProcess gateway = null;
        try {
            ProdEnv env = customize.apply(ProdEnv.valid()
                    .with("OPENAI_API_KEY", FakeOpenAiUpstream.API_KEY)
                    .with("OPENAI_BASE_URL", fake.baseUrl()));
            gateway = GatewayProcess.start(env, jvmOptions);
            gateway.awaitListening();
            return new RelayJar(fake, env, gateway);
        } catch (RuntimeException | AssertionError e) {
            if (gateway != null) {
                gateway.close();
            }
            fake.close();
            throw e;
        }
    }

    /** The fake's control: what the relay sent upstream. */
    public FakeOpenAiUpstream.Control fake() {
        return fake.control();
    }

    public GatewayProcess gateway() {
        return gateway;
    }

    /** The env the jar runs with: its caller key and its secrets, for clients and log assertions. */
    public ProdEnv env() {
        return env;
    }

    /** A relay ticket from {@code POST /api/realtime/client-secret}, asked for with the caller key. */
    public String ticket() {
        return ticket("{}");
    }

    /** A ticket from {@code POST /api/realtime/client-secret} for this request body, e.g. {@code {"session":{"type":"live"}}}. */
    public String ticket(String body) {
        HttpResponse<String> response = gateway.postJson("/api/realtime/client-secret", body, env.callerKey());
        if (response.statusCode() != 200) {
            throw new AssertionError("POST /api/realtime/client-secret answered " + response.statusCode() + ": "
                    + Secrets.redact(response.body(), env.secrets().toArray(String[]::new)));
        }
        return new JsonObject(response.body()).getString("value");
    }

    /** Stops the jar, then the fake. */
    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            fake.close();
        }
    }
}
