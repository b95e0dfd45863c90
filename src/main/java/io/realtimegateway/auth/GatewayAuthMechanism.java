package io.realtimegateway.auth;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.ProblemResponses;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads the caller or admin credential of a request once, on the public port and on the management interface alike:
 * the {@code Authorization} header, parsed by {@link Credentials}, on the paths of a {@link Door}. Quarkus runs it
 * before any route (proactive authentication), so a refused caller is answered before its body is read.
 * {@link GatewayIdentityProvider} verifies the credential; the resources declare the role they need.
 * <p>
 * Every refusal is problem+json, never a bare 401 challenge: Quarkus asks this mechanism for the challenge of a failed
 * or missing authentication, and {@link #sendChallenge} answers with the problem the verification raised.
 */
@ApplicationScoped
public class GatewayAuthMechanism implements HttpAuthenticationMechanism {

    /** The routing-context key of the refusal that {@link #sendChallenge} sends. */
    private static final String REFUSAL = GatewayAuthMechanism.class.getName() + ".refusal";
    private static final String DOOR = GatewayAuthMechanism.class.getName() + ".door";

    private final ObjectMapper mapper;
    private final HttpServer server;

    GatewayAuthMechanism(ObjectMapper mapper, HttpServer server) {
        this.mapper = mapper;
        this.server = server;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        Door door = Door.of(context.normalizedPath());
        if (door == Door.CONSOLE && context.request().localAddress().port() != server.getManagementPort()) {
            door = null; // the console is served on the management interface only; on the public port its paths do not exist
        }
        if (door == null) {
            return Uni.createFrom().nullItem(); // not a caller or admin door: anonymous here, tickets are checked at their doors
        }
        context.put(DOOR, door);
        Credentials presented = Credentials.of(context.request());
        GatewayCredential request = new GatewayCredential(door, presented);
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return identityProviderManager.authenticate(request).onFailure().invoke(failure -> {
            if (failure instanceof AuthenticationFailedException && failure.getCause() instanceof ProblemException refusal) {
                context.put(REFUSAL, refusal);
            }
        });
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        ProblemException refusal = refusal(context);
        String challenge = refusal.headers().get("WWW-Authenticate");
        return Uni.createFrom().item(new ChallengeData(refusal.status(), challenge == null ? null : "WWW-Authenticate", challenge));
    }

    /** The problem of the refused credential (or of a missing one), with the challenge of its door; ends the response. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!context.response().ended()) {
            if (!context.request().isEnded() && context.request().version() != HttpVersion.HTTP_2) {
                // The body was never read and will not be: close the HTTP/1.x connection once answered, so it is never parsed.
                context.response().putHeader(HttpHeaders.CONNECTION, "close");
                context.response().endHandler(v -> context.request().connection().close());
            }
            ProblemResponses.end(context.response(), refusal(context), mapper);
        }
        return Uni.createFrom().item(true);
    }

    private static ProblemException refusal(RoutingContext context) {
        ProblemException refusal = context.get(REFUSAL);
        if (refusal == null) {
            refusal = ProblemException.unauthorized("This endpoint requires an 'Authorization: Bearer <credential>' header.", null);
        }
        if (refusal.status() == 401 && context.get(DOOR) == Door.CONSOLE) {
            // A browser prompts for credentials only when challenged for a scheme it can send: Basic.
            refusal.withHeader("WWW-Authenticate", AdminAuthenticator.BASIC_CHALLENGE);
        }
        return refusal;
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(GatewayCredential.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }
}
