package io.realtimegateway.livekit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.realtimegateway.auth.Caller;
import io.realtimegateway.auth.CallerAuthenticator;
import io.realtimegateway.auth.Identities;
import io.realtimegateway.credentials.LiveKitCredentials;
import io.realtimegateway.credentials.LiveKitKey;
import io.realtimegateway.problem.Problems;

/** Issues participant tokens for authenticated callers under the configured policy. */
@ApplicationScoped
class LiveKitTokenService {

    private static final Logger LOG = Logger.getLogger(LiveKitTokenService.class);

    private final LiveKitCredentials credentials;
    private final TokenPolicy policy;
    private final TokenConfig config;
    private final CallerAuthenticator authenticator;
    private final RoomPolicy rooms;

    LiveKitTokenService(LiveKitCredentials credentials, TokenPolicy policy, TokenConfig config, CallerAuthenticator authenticator, RoomPolicy rooms) {
        this.rooms = rooms;
        this.credentials = credentials;
        this.policy = policy;
        this.config = config;
        this.authenticator = authenticator;
    }

    /** {@code POST /api/livekit/token}: LiveKit's TokenSource request. */
    ParticipantToken issue(Caller caller, TokenSourceRequest request) {
        TokenSourceRequest r = rooms.apply(caller, request == null ? TokenSourceRequest.EMPTY : request);
        String identity = boundIdentity(caller, r.participantIdentity(), "participant_identity");
        ParticipantClaims claims = policy.claims(TokenPolicy.ClaimsRequest.tokenSource(r, identity));
        return sign(caller, claims);
    }

    /** {@code GET /api/livekit-token?room=&username=}: the username is identity and display name. */
    ParticipantToken issueSimple(Caller caller, String room, String username) {
        String identity = boundIdentity(caller, username, "username");
        ParticipantClaims claims = policy.claims(TokenPolicy.ClaimsRequest.simple(identity, rooms.room(caller, room, "room"), username));
        return sign(caller, claims);
    }

    /** The key that signs tokens; 503 when LiveKit is not configured (the preflight report says why). */
    LiveKitKey signingKey() {
        return credentials.signingKey().orElseThrow(() -> Problems.liveKitNotConfigured("No LiveKit signing key is configured; see the preflight report (check command or /q/health/ready)."));
    }

    String serverUrl() {
        return credentials.serverUrl().filter(u -> !u.isBlank()).orElseThrow(() -> Problems.liveKitNotConfigured(
                "LIVEKIT_URL is not configured; see the preflight report (check command or /q/health/ready)."));
    }

    private String boundIdentity(Caller caller, String requested, String field) {
        if (!authenticator.identityBoundToCaller(caller)) {
            return requested;
        }
        if (requested != null && !requested.isEmpty() && !requested.equals(caller.id())) {
            throw Problems.identityNotAllowed(field);
        }
        return caller.id();
    }

    private ParticipantToken sign(Caller caller, ParticipantClaims claims) {
        LiveKitKey key = signingKey();
        String serverUrl = serverUrl();
        Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = notBefore.plus(config.ttl());
        String jwt = LiveKitTokenIssuer.sign(key, claims.identity(), notBefore, expiresAt, tokenClaims(claims));
        LOG.debugf("Issued a LiveKit token for identity %s in room %s to caller %s", Identities.loggable(claims.identity()), Identities.loggable(claims.room()), Identities.loggable(caller.id()));
        return new ParticipantToken(jwt, serverUrl, claims.identity(), claims.room(), notBefore, expiresAt);
    }

    private Map<String, Object> tokenClaims(ParticipantClaims claims) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (claims.name() != null) {
            out.put("name", claims.name());
        }
        if (claims.metadata() != null) {
            out.put("metadata", claims.metadata());
        }
        if (claims.attributes() != null) {
            out.put("attributes", claims.attributes());
        }
        out.put("video", policy.videoGrant(claims.room()));
        if (claims.roomConfig() != null && !claims.roomConfig().isEmpty()) {
            out.put("roomConfig", claims.roomConfig());
        }
        return out;
    }
}
