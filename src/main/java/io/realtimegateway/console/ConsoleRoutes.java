package io.realtimegateway.console;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.ManagementInterface;
import io.realtimegateway.preflight.Preflight;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.ProblemResponses;
import io.realtimegateway.problem.Problems;
import io.realtimegateway.relay.SessionRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The console's page and JSON API as plain Vert.x routes on the management interface (the port of health and
 * metrics, never the public one): {@link #onManagementInterface} is the one place that says where. Every route
 * requires the admin role, declared as an HTTP permission of the management interface in {@code application.properties}
 * (Quarkus Security authenticates the admin credential, and a 401 challenges for HTTP Basic, so a browser prompts for
 * the key); every POST also requires {@code X-Console: 1}, which a cross-site form cannot send (a
 * browser attaches Basic credentials to cross-site requests by itself). The live feed is not here: websockets-next
 * serves the main port only ({@link ConsoleFeed}), and the ticket answer tells the page where it is.
 * <ul>
 * <li>{@code GET /console}: the page; {@code GET /console/assets/{file}}: its CSS and JS;
 * {@code GET /console/assets/vendor/livekit-client.umd.js}: livekit-client, loaded by the page only for "try it"</li>
 * <li>{@code GET /console/api/state}: everything the page shows</li>
 * <li>{@code POST /console/api/checks}: re-runs the preflight checks (the feed then announces what changed)</li>
 * <li>{@code POST /console/api/ticket}: a single-use ticket for the feed ({@link ConsoleFeed})</li>
 * <li>{@code POST /console/api/try/livekit}: a join token for the test room, its {@code server_url}, and livekit-server's
 * verdict on it; {@code POST /console/api/try/relay}: a relay session up to {@code session.created} ({@link TryIt})</li>
 * <li>{@code POST /console/api/sessions/{id}/close}: the kill switch of a live GPT-Live session (202; 404 when no live
 * session of that id can be closed this way): the gateway sends {@code session.close} on its sideband</li>
 * </ul>
 */
@ApplicationScoped
class ConsoleRoutes {

    static final String BASE = "/console";
    static final String CSRF_HEADER = "X-Console";
    private static final Logger LOG = Logger.getLogger(ConsoleRoutes.class);
    private static final Map<String, String> FIXED_HEADERS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");

    private final ConsoleConfig config;
    private final ConsoleState state;
    private final ConsoleTickets tickets;
    private final ConsoleJson json;
    private final Preflight preflight;
    private final TryIt tryIt;
    private final SessionRegistry sessions;
    private final HttpServer server;
    private final ObjectMapper problems;
    private final ConsoleAssets assets = new ConsoleAssets();
    private final String contentSecurityPolicy;

    ConsoleRoutes(ConsoleConfig config, ConsoleState state, ConsoleTickets tickets, ConsoleJson json, Preflight preflight,
            TryIt tryIt, SessionRegistry sessions, HttpServer server, ObjectMapper problems) {
        this.config = config;
        this.state = state;
        this.tickets = tickets;
        this.json = json;
        this.preflight = preflight;
        this.tryIt = tryIt;
        this.sessions = sessions;
        this.server = server;
        this.problems = problems;
        this.contentSecurityPolicy = contentSecurityPolicy(tryIt.liveKitHttpOrigin());
    }

    /**
     * Scripts and styles from the page itself only. Connections: the page's own API, WebSockets (the feed, and
     * livekit-client's signalling to {@code LIVEKIT_URL}), and the http(s) origin of {@code LIVEKIT_URL}, where
     * livekit-client asks {@code /rtc/validate} why a join was refused (and LiveKit Cloud its regions).
     */
    static String contentSecurityPolicy(Optional<String> liveKitHttpOrigin) {
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:"
                + liveKitHttpOrigin.map(origin -> " " + origin).orElse("") + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /** Where the console is served: the management interface (see the README's Console section). */
    void onManagementInterface(@Observes ManagementInterface management) {
        mount(management.router());
    }

    void mount(Router router) {
        if (!config.enabled()) {
            return;
        }
        router.get(BASE).handler(ctx -> guarded(ctx, false, () -> asset(ctx, ConsoleAssets.INDEX)));
        router.get(BASE + "/").handler(ctx -> guarded(ctx, false, () -> asset(ctx, ConsoleAssets.INDEX)));
        router.get(BASE + "/assets/:name").handler(ctx -> guarded(ctx, false, () -> asset(ctx, ctx.pathParam("name"))));
        router.get(BASE + "/assets/vendor/:name").handler(ctx -> guarded(ctx, false, () -> asset(ctx, ConsoleAssets.VENDOR + ctx.pathParam("name"))));
        router.get(BASE + "/api/state").handler(ctx -> guarded(ctx, false, () -> reply(ctx, state.state())));
        router.post(BASE + "/api/checks").handler(ctx -> guarded(ctx, true,
                () -> reply(ctx, blocking(ctx, () -> ConsoleViews.Checks.of(preflight.run())))));
        router.post(BASE + "/api/ticket").handler(ctx -> guarded(ctx, true, () -> ticket(ctx)));
        router.post(BASE + "/api/try/livekit").handler(ctx -> guarded(ctx, true, () -> reply(ctx, blocking(ctx, tryIt::liveKit))));
        router.post(BASE + "/api/try/relay").handler(ctx -> guarded(ctx, true, () -> reply(ctx, tryIt.relay())));
        router.post(BASE + "/api/sessions/:id/close").handler(ctx -> guarded(ctx, true, () -> kill(ctx, ctx.pathParam("id"))));
    }

    /** The kill switch: the session closes asynchronously (the feed then reports it closed). */
    private void kill(RoutingContext ctx, String id) {
        if (id == null || id.length() > 200 || !sessions.kill(id)) {
            ProblemResponses.end(ctx.response(), new ProblemException(404, Problems.type("session-not-found"), "No such session",
                    "No live session of this id on this replica can be closed from the console (GPT-Live sessions can)."), problems);
            return;
        }
        ctx.response().setStatusCode(202).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json.write(new Closing(id, true)));
    }

    /** The kill switch's answer: the session is being closed. */
    @RegisterForReflection
    record Closing(String id, boolean closing) {
    }

    private void guarded(RoutingContext ctx, boolean post, Runnable handler) {
        FIXED_HEADERS.forEach(ctx.response()::putHeader);
        ctx.response().putHeader("Content-Security-Policy", contentSecurityPolicy);
        ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, Problems.NO_STORE);
        if (post) {
            AuditLog.onAnswer(ctx);
        }
        if (post && !"1".equals(ctx.request().getHeader(CSRF_HEADER))) {
            ProblemResponses.end(ctx.response(), new ProblemException(403, Problems.type("console-header-required"), "Console header required",
                    "Console actions are POSTs with the header '" + CSRF_HEADER + ": 1', which the console page sends."), problems);
            return;
        }
        handler.run();
    }

    private void asset(RoutingContext ctx, String name) {
        ConsoleAssets.Asset asset = assets.get(name);
        if (asset == null) {
            ProblemResponses.end(ctx.response(), new ProblemException(404, Problems.type("not-found"), "Not Found",
                    "The console has no asset of that name."), problems);
            return;
        }
        if (asset.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
            ctx.response().setStatusCode(304).putHeader(HttpHeaders.ETAG, asset.etag()).end();
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType()).putHeader(HttpHeaders.ETAG, asset.etag()).end(asset.body());
    }

    private void ticket(RoutingContext ctx) {
        ConsoleTickets.Issued ticket = tickets.issue(pageOrigin(ctx.request()));
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(json.write(new TicketResponse(ticket.value(), ticket.expiresAt(), feedUrl(ctx.request()))));
    }

    /** The console page's origin: the {@code Origin} a browser sends with every POST, else the scheme and {@code Host} asked for. */
    static String pageOrigin(HttpServerRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !origin.isBlank()) {
            return origin;
        }
        return request.scheme() + "://" + (request.authority() == null ? "localhost" : request.authority().toString());
    }

    /**
     * The feed's URL: {@code gateway.console.feed-url} when set (behind an ingress or a proxy), else the host this
     * request asked for, on the main HTTP port (TLS when the page came over TLS or the main port has no plain HTTP).
     */
    private String feedUrl(HttpServerRequest request) {
        if (config.feedUrl().isPresent()) {
            return config.feedUrl().get();
        }
        boolean tls = request.isSSL() ? server.getSecurePort() > 0 : server.getPort() <= 0;
        int port = tls ? server.getSecurePort() : server.getPort();
        String host = request.authority() == null ? "localhost" : request.authority().host();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return (tls ? "wss://" : "ws://") + host + ":" + port + ConsoleFeed.PATH;
    }

    /**
     * @param ticket the single-use feed ticket: {@code ?ticket=} on {@code feed_url}
     * @param feedUrl where to open the feed (the main HTTP port, not the console's)
     */
    @RegisterForReflection
    record TicketResponse(String ticket, Instant expiresAt, String feedUrl) {
    }

    private static <T> Uni<T> blocking(RoutingContext ctx, Supplier<T> work) {
        return Uni.createFrom().completionStage(() -> ctx.vertx().executeBlocking(work::get, false).toCompletionStage());
    }

    private void reply(RoutingContext ctx, Uni<?> result) {
        result.subscribe().with(value -> {
            if (!ctx.response().ended()) {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json.write(value));
            }
        }, failure -> {
            LOG.warnf("Console request %s failed: %s", ctx.request().path(), failure.getClass().getName());
            if (!ctx.response().ended()) {
                ProblemResponses.end(ctx.response(), new ProblemException(500, Problems.type("console-failed"), "Console request failed",
                        failure.getClass().getSimpleName()), problems);
            }
        });
    }
}
