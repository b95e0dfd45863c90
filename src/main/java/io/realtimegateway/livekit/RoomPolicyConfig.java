package io.realtimegateway.livekit;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What {@code jwt} callers (browsers, as users) may ask of a LiveKit token, decided by their own token's claims
 * ({@code GATEWAY_TOKEN_JWT_*}). Without a rooms claim or a room template any room is allowed, as in the other modes.
 */
@ConfigMapping(prefix = "gateway.token.jwt")
public interface RoomPolicyConfig {

    /** Claim listing the rooms the user may join (a JSON array, or names separated by spaces or commas); from {@code GATEWAY_TOKEN_JWT_ROOMS_CLAIM}. */
    Optional<String> roomsClaim();

    /** A room the user may join, built from claims, e.g. {@code support-{sub}}; also the default room; from {@code GATEWAY_TOKEN_JWT_ROOM_TEMPLATE}. */
    Optional<String> roomTemplate();

    /** Keep client-supplied {@code participant_metadata} and {@code participant_attributes} (dropped by default); from {@code GATEWAY_TOKEN_JWT_CLIENT_METADATA}. */
    @WithDefault("false")
    boolean clientMetadata();

    /** Claim whose value becomes the participant metadata (objects as JSON); from {@code GATEWAY_TOKEN_JWT_METADATA_CLAIM}. */
    Optional<String> metadataClaim();

    /** Claim holding an object whose entries become participant attributes; from {@code GATEWAY_TOKEN_JWT_ATTRIBUTES_CLAIM}. */
    Optional<String> attributesClaim();
}
