package io.realtimegateway.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * What {@link GatewayAuthMechanism} read from a request, for {@link GatewayIdentityProvider}: the parsed
 * {@code Authorization} header and the door its path belongs to (a credential opens only its own doors).
 */
final class GatewayCredential extends BaseAuthenticationRequest {

    private final Door door;
    private final Credentials presented;

    GatewayCredential(Door door, Credentials presented) {
        this.door = door;
        this.presented = presented;
    }

    Door door() {
        return door;
    }

    Credentials presented() {
        return presented;
    }
}
