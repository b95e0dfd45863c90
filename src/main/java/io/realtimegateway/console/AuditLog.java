package io.realtimegateway.console;

import org.jboss.logging.Logger;

import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.realtimegateway.auth.Identities;
import io.vertx.ext.web.RoutingContext;

/**
 * One line per console action (every POST: re-running the checks, a feed ticket, the try-its), refused or not: who
 * (the admin identity's name, which for an admin key is its fingerprint), what (method and path), from where, when
 * (the log's own timestamp) and the answer's status. Written when the answer is sent, in its own category
 * ({@code io.realtimegateway.audit}) so it can be routed apart. Never a credential: only the identity's name.
 */
final class AuditLog {

    private static final Logger LOG = Logger.getLogger("io.realtimegateway.audit");

    private AuditLog() {
    }

    /** Logs the action once its answer has been sent. */
    static void onAnswer(RoutingContext ctx) {
        String who = ctx.user() instanceof QuarkusHttpUser user && !user.getSecurityIdentity().isAnonymous()
                ? user.getSecurityIdentity().getPrincipal().getName() : "anonymous";
        String action = ctx.request().method().name() + " " + ctx.request().path();
        String from = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        ctx.addEndHandler(done -> LOG.infof("console action: admin=%s action=%s from=%s status=%d", Identities.loggable(who),
                Identities.loggable(action), from, ctx.response().getStatusCode()));
    }
}
