package io.realtimegateway.livekit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.realtimegateway.auth.Caller;
import io.realtimegateway.problem.Problem.FieldError;
import io.realtimegateway.problem.ProblemException;

/**
 * The room, metadata and attributes a caller authenticated by a JWT may put in its LiveKit token, decided by its own token's
 * claims ({@code GATEWAY_TOKEN_JWT_*}): a token asserts these to every other participant and agent, so a browser
 * user must not pick them freely. Rooms: those listed in the rooms claim, plus the room template's room (e.g.
 * {@code support-{sub}}); anything else is 403. Metadata and attributes from the client are dropped unless allowed;
 * the claims named for them fill them in. API-key callers (servers, also in mode api-key,jwt) and anonymous ones pass unchanged.
 */
@ApplicationScoped
class RoomPolicy {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.:-]+)\\}");

    private final RoomPolicyConfig config;
    private final ObjectMapper mapper;

    RoomPolicy(RoomPolicyConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    /** The TokenSource request as this caller may make it. */
    TokenSourceRequest apply(Caller caller, TokenSourceRequest request) {
        if (!applies(caller)) {
            return request;
        }
        String metadata = config.clientMetadata() ? request.participantMetadata() : null;
        Map<String, String> attributes = config.clientMetadata() && request.participantAttributes() != null
                ? new LinkedHashMap<>(request.participantAttributes()) : null;
        Optional<String> claimedMetadata = config.metadataClaim().map(caller.claims()::get).map(this::text);
        if (claimedMetadata.isPresent()) {
            metadata = claimedMetadata.get();
        }
        Object claimedAttributes = config.attributesClaim().map(caller.claims()::get).orElse(null);
        if (claimedAttributes instanceof Map<?, ?> map) {
            attributes = attributes == null ? new LinkedHashMap<>() : attributes;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                attributes.put(String.valueOf(e.getKey()), text(e.getValue()));
            }
        }
        return new TokenSourceRequest(room(caller, request.roomName(), "room_name"), request.participantName(),
                request.participantIdentity(), metadata, attributes, request.roomConfig());
    }

    /**
     * The room this caller may join: the requested one when its claims allow it, the policy's default room when none
     * is requested; a room outside the policy is 403.
     */
    String room(Caller caller, String requested, String field) {
        if (!applies(caller) || (config.roomsClaim().isEmpty() && config.roomTemplate().isEmpty())) {
            return requested;
        }
        List<String> allowed = allowedRooms(caller);
        if (requested == null || requested.isEmpty()) {
            if (allowed.isEmpty()) {
                throw notAllowed("The caller's token allows no room (" + describe() + ").", field);
            }
            return allowed.get(0);
        }
        if (!allowed.contains(requested)) {
            throw notAllowed("The caller's token does not allow this room (" + describe() + ").", field);
        }
        return requested;
    }

    private boolean applies(Caller caller) {
        return caller.via() == Caller.Via.JWT;
    }

    /** The template's room first (it is the default), then the rooms claim's. */
    List<String> allowedRooms(Caller caller) {
        List<String> rooms = new ArrayList<>();
        config.roomTemplate().flatMap(t -> expand(t, caller.claims())).ifPresent(rooms::add);
        Object claim = config.roomsClaim().map(caller.claims()::get).orElse(null);
        if (claim instanceof List<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).filter(r -> !r.isEmpty()).forEach(rooms::add);
        } else if (claim instanceof String names) {
            for (String name : names.split("[\\s,]+")) {
                if (!name.isEmpty()) {
                    rooms.add(name);
                }
            }
        }
        return rooms;
    }

    /** {@code support-{sub}} with the claims' values; empty when a placeholder's claim is missing or not text. */
    static Optional<String> expand(String template, Map<String, Object> claims) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = claims.get(m.group(1));
            if (!(value instanceof String || value instanceof Number) || value.toString().isEmpty()) {
                return Optional.empty();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.toString()));
        }
        m.appendTail(out);
        return Optional.of(out.toString());
    }

    private String describe() {
        List<String> parts = new ArrayList<>();
        config.roomsClaim().ifPresent(c -> parts.add("rooms listed in its '" + c + "' claim"));
        config.roomTemplate().ifPresent(t -> parts.add("the room " + t));
        return String.join(" or ", parts);
    }

    private static ProblemException notAllowed(String detail, String field) {
        return new ProblemException(403, ProblemException.TYPE_BASE + "room-not-allowed", "Room not allowed", detail,
                List.of(new FieldError(field, "is not a room the caller's token allows")));
    }

    private String text(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
