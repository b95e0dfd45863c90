package io.realtimegateway.auth;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.realtimegateway.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * Turns the credential {@link GatewayAuthMechanism} read into a {@link SecurityIdentity}: a caller ({@link Roles#CALLER})
 * at the caller door, an admin ({@link Roles#ADMIN}) or a mere caller at the admin doors. It only verifies (a key's
 * digest, a JWT's signature, lifetime and claims): CPU work of microseconds that touches no shared state, so it runs on
 * the event loop, as the token endpoints themselves do. A refused credential fails with the problem the client gets.
 */
@ApplicationScoped
class GatewayIdentityProvider implements IdentityProvider<GatewayCredential> {

    private final CallerAuthenticator callers;
    private final AdminAuthenticator admins;

    GatewayIdentityProvider(CallerAuthenticator callers, AdminAuthenticator admins) {
        this.callers = callers;
        this.admins = admins;
    }

    @Override
    public Class<GatewayCredential> getRequestType() {
        return GatewayCredential.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(GatewayCredential request, AuthenticationRequestContext context) {
        try {
            return Uni.createFrom().item(identity(request));
        } catch (ProblemException refused) {
            // The problem (never quoting the credential) is what GatewayAuthMechanism answers with.
            return Uni.createFrom().failure(new AuthenticationFailedException(refused));
        }
    }

    private SecurityIdentity identity(GatewayCredential request) {
        if (request.door() == Door.CALLER) {
            Caller caller = callers.authenticate(request.presented());
            return callers.apiKeyCaller(caller) ? identity(caller, Roles.CALLER, Roles.BACKEND) : identity(caller, Roles.CALLER);
        }
        AdminAuthenticator.Verdict verdict = admins.authenticate(request.presented());
        return identity(verdict.caller(), verdict.admin() ? Roles.ADMIN : Roles.CALLER);
    }

    private static SecurityIdentity identity(Caller caller, String... roles) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.id()))
                .addRoles(java.util.Set.of(roles))
                .addAttribute(Caller.ATTRIBUTE, caller)
                .build();
    }
}
