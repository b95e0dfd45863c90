package io.realtimegateway.livekit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import io.realtimegateway.config.Environment;
import io.realtimegateway.config.ZeroAllowed;

/** LiveKit access tokens issued to frontends: lifetime, validation limits and the grant policy. */
@ConfigMapping(prefix = "gateway.token")
public interface TokenConfig {

    /** Lifetime of a participant token ({@code exp - nbf}). Over 60 s, or livekit-client's TokenSource refetches every time. */
    @WithDefault("10m")
    Duration ttl();

    /** Upper bound for {@link #ttl()}; a larger configured TTL refuses to boot. */
    @WithDefault("6h")
    Duration maxTtl();

    /** Pattern a requested participant identity must match (in full), besides the 256-byte limit. */
    @WithDefault("[A-Za-z0-9_.:@+=-]+")
    String identityPattern();

    /** Pattern a requested room name must match (in full), besides the 256-byte limit. */
    @WithDefault("[A-Za-z0-9_.:@+=-]+")
    String roomPattern();

    /** Prefix of generated identities when a request names none. */
    @WithDefault("user-")
    String identityPrefix();

    /** Prefix of generated room names when a request names none. */
    @WithDefault("room-")
    String roomPrefix();

    /** Maximum UTF-8 bytes of the participant name. */
    @WithDefault("256")
    int maxNameBytes();

    /** Maximum UTF-8 bytes of participant metadata (and of an agent dispatch's metadata). */
    @WithDefault("4096")
    @ZeroAllowed
    int maxMetadataBytes();

    /** Maximum UTF-8 bytes of all participant attribute keys and values together. */
    @WithDefault("4096")
    @ZeroAllowed
    int maxAttributesBytes();

    /** Agent names a request may dispatch through {@code room_config.agents}; empty allows any. */
    Optional<List<String>> allowedAgents();

    /** Maximum number of agent dispatches in one {@code room_config}. */
    @WithDefault("4")
    @ZeroAllowed
    int maxAgents();

    /** Dev aid: the diagnostics endpoint also shows the sample token itself. On in the dev profile; ignored in prod ({@link Environment#isProd}). */
    @WithDefault("false")
    boolean diagnosticsIncludeToken();

    /** The {@code video} grant every participant token carries (besides roomJoin and room). */
    Grant grant();

    /** LiveKit VideoGrant flags, named as in the token. */
    interface Grant {

        /** {@code canPublish}: may publish tracks. */
        @WithDefault("true")
        boolean canPublish();

        /** {@code canSubscribe}: may subscribe to tracks. */
        @WithDefault("true")
        boolean canSubscribe();

        /** {@code canPublishData}: may send data messages. */
        @WithDefault("true")
        boolean canPublishData();

        /** {@code canUpdateOwnMetadata}: may change its own name, metadata and attributes (needed when the frontend sets them). */
        @WithDefault("false")
        boolean canUpdateOwnMetadata();

        /** {@code canPublishSources}: camera, microphone, screen_share, screen_share_audio; unset allows all. */
        Optional<List<String>> canPublishSources();

        /** {@code roomCreate}: may create the room (only matters when the server runs with room.auto_create: false). */
        @WithDefault("false")
        boolean roomCreate();

        /** {@code hidden}: invisible to other participants. */
        @WithDefault("false")
        boolean hidden();
    }
}
