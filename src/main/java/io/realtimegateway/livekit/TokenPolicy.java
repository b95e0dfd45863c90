package io.realtimegateway.livekit;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.realtimegateway.auth.Identities;
import io.realtimegateway.problem.Problem.FieldError;
import io.realtimegateway.problem.ProblemException;
import io.realtimegateway.problem.Problems;

/**
 * Turns a token request into validated participant claims, and the configured grant policy into LiveKit's
 * {@code video} grant. Field names in errors are the snake_case JSON names callers send.
 * <p>
 * One class because every rule here reads the same {@code gateway.token.*} limits and adds to one list of field
 * errors, so a request with several bad fields is answered once, naming all of them.
 */
@ApplicationScoped
class TokenPolicy {

    /** LiveKit's own limit for identities and room names (limit.max_participant_identity_length / max_room_name_length). */
    static final int MAX_NAME_BYTES = 256;
    static final Set<String> TRACK_SOURCES = Set.of("camera", "microphone", "screen_share", "screen_share_audio");
    private static final String RANDOM_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
    /** Per instance, not static: Quarkus initializes application classes at native build time, and a seeded generator must not be baked into the image. */
    private final SecureRandom random = new SecureRandom();

    private final TokenConfig config;
    private final Optional<Pattern> identityPattern;
    private final Optional<Pattern> roomPattern;

    TokenPolicy(TokenConfig config) {
        this.config = config;
        this.identityPattern = compile(config.identityPattern());
        this.roomPattern = compile(config.roomPattern());
    }

    private static Optional<Pattern> compile(String regex) {
        try {
            return Optional.of(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            return Optional.empty(); // reported by the token.policy preflight check; such requests get 503
        }
    }

    /**
     * What a token request asks for, each value with the JSON name the endpoint uses for it (the names differ between
     * the TokenSource endpoint and the simple one); null values mean "not asked".
     */
    record ClaimsRequest(String identity, String identityField, String room, String roomField, String name, String nameField,
            String metadata, Map<String, String> attributes, JsonNode roomConfig) {

        /** {@code POST /api/livekit/token}: LiveKit's TokenSourceRequest, with the identity already bound to the caller if required. */
        static ClaimsRequest tokenSource(TokenSourceRequest r, String identity) {
            return new ClaimsRequest(identity, "participant_identity", r.roomName(), "room_name", r.participantName(), "participant_name",
                    r.participantMetadata(), r.participantAttributes(), r.roomConfig());
        }

        /** {@code GET /api/livekit-token?room=&username=}: the username is identity and display name. */
        static ClaimsRequest simple(String identity, String room, String username) {
            return new ClaimsRequest(identity, "username", room, "room", username, "username", null, null, null);
        }
    }

    /**
     * @throws ProblemException 400 with field errors, or 403 for a room_config field clients may not set
     */
    ParticipantClaims claims(ClaimsRequest request) {
        String identity = request.identity();
        String room = request.room();
        String name = request.name();
        String metadata = request.metadata();
        Map<String, String> attributes = request.attributes();
        JsonNode roomConfig = request.roomConfig();
        if (identityPattern.isEmpty() || roomPattern.isEmpty()) {
            throw Problems.misconfigured(
                    "gateway.token.identity-pattern or room-pattern is not a valid regular expression; see the token.policy check.");
        }
        List<FieldError> errors = new ArrayList<>();
        String effectiveIdentity = isEmpty(identity) ? config.identityPrefix() + random() : identity;
        if (!isEmpty(identity)) {
            checkName(identity, request.identityField(), identityPattern.get(), config.identityPattern(), errors);
        }
        String effectiveRoom = isEmpty(room) ? config.roomPrefix() + random() : room;
        if (!isEmpty(room)) {
            checkName(room, request.roomField(), roomPattern.get(), config.roomPattern(), errors);
        }
        if (name != null) {
            checkText(name, request.nameField(), config.maxNameBytes(), errors);
        }
        if (metadata != null) {
            checkText(metadata, "participant_metadata", config.maxMetadataBytes(), errors);
        }
        if (attributes != null) {
            checkAttributes(attributes, errors);
        }
        Map<String, Object> agentsConfig = roomConfig == null || roomConfig.isNull() ? null : roomConfig(roomConfig, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new ParticipantClaims(effectiveIdentity, effectiveRoom, isEmpty(name) ? null : name, isEmpty(metadata) ? null : metadata,
                attributes == null || attributes.isEmpty() ? null : Map.copyOf(attributes), agentsConfig);
    }

    /** LiveKit's VideoGrant for joining {@code room}, names exactly as livekit-server reads them (its VideoGrant JSON). */
    Map<String, Object> videoGrant(String room) {
        TokenConfig.Grant grant = config.grant();
        Map<String, Object> video = new LinkedHashMap<>();
        video.put("roomJoin", true);
        video.put("room", room);
        video.put("canPublish", grant.canPublish());
        video.put("canSubscribe", grant.canSubscribe());
        video.put("canPublishData", grant.canPublishData());
        video.put("canUpdateOwnMetadata", grant.canUpdateOwnMetadata());
        grant.canPublishSources().ifPresent(sources -> video.put("canPublishSources", List.copyOf(sources)));
        if (grant.roomCreate()) {
            video.put("roomCreate", true);
        }
        if (grant.hidden()) {
            video.put("hidden", true);
        }
        return video;
    }

    private static void checkName(String value, String field, Pattern pattern, String regex, List<FieldError> errors) {
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            errors.add(new FieldError(field, "must be at most " + MAX_NAME_BYTES + " bytes in UTF-8 (LiveKit's limit)"));
        } else if (Identities.hasControlCharacter(value)) {
            errors.add(new FieldError(field, Identities.NO_CONTROL_CHARACTERS));
        } else if (!pattern.matcher(value).matches()) {
            errors.add(new FieldError(field, "must match " + regex));
        }
    }

    private static void checkText(String value, String field, int maxBytes, List<FieldError> errors) {
        if (value.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            errors.add(new FieldError(field, "must be at most " + maxBytes + " bytes in UTF-8"));
        }
    }

    private void checkAttributes(Map<String, String> attributes, List<FieldError> errors) {
        long bytes = 0;
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            if (isEmpty(attribute.getKey())) {
                errors.add(new FieldError("participant_attributes", "keys must not be empty"));
                return;
            }
            if (attribute.getValue() == null) {
                errors.add(new FieldError("participant_attributes", "values must be strings, not null"));
                return;
            }
            bytes += attribute.getKey().getBytes(StandardCharsets.UTF_8).length + attribute.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > config.maxAttributesBytes()) {
            errors.add(new FieldError("participant_attributes", "keys and values together must be at most " + config.maxAttributesBytes() + " bytes in UTF-8"));
        }
    }

    /**
     * Only {@code agents} (agent dispatch) may come from clients; egress and the rest could exfiltrate media or
     * change the room for everyone. The result uses the camelCase proto JSON names LiveKit's Go SDK emits.
     */
    private Map<String, Object> roomConfig(JsonNode roomConfig, List<FieldError> errors) {
        if (!roomConfig.isObject()) {
            errors.add(new FieldError("room_config", "must be an object"));
            return null;
        }
        List<String> refused = new ArrayList<>();
        JsonNode agents = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = roomConfig.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if ("agents".equals(field.getKey())) {
                agents = field.getValue();
            } else {
                refused.add("room_config." + field.getKey());
            }
        }
        if (!refused.isEmpty()) {
            throw Problems.roomConfigNotAllowed(
                    "Clients may only set room_config.agents (agent dispatch); refused: " + String.join(", ", refused) + ".", refused);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        if (agents == null || agents.isNull()) {
            return result;
        }
        if (!agents.isArray()) {
            errors.add(new FieldError("room_config.agents", "must be an array"));
            return null;
        }
        if (agents.size() > config.maxAgents()) {
            errors.add(new FieldError("room_config.agents", "must have at most " + config.maxAgents() + " entries"));
            return null;
        }
        List<Map<String, Object>> dispatches = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            Map<String, Object> dispatch = agentDispatch(agents.get(i), "room_config.agents[" + i + "]", errors);
            if (dispatch != null) {
                dispatches.add(dispatch);
            }
        }
        result.put("agents", dispatches);
        return result;
    }

    private Map<String, Object> agentDispatch(JsonNode agent, String path, List<FieldError> errors) {
        if (!agent.isObject()) {
            errors.add(new FieldError(path, "must be an object"));
            return null;
        }
        Map<String, Object> dispatch = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = agent.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            String fieldPath = path + "." + key;
            switch (key) {
                case "agent_name", "agentName" -> text(value, fieldPath, errors).ifPresent(v -> {
                    checkText(v, fieldPath, config.maxNameBytes(), errors);
                    dispatch.put("agentName", v);
                });
                case "metadata" -> text(value, fieldPath, errors).ifPresent(v -> {
                    if (v.getBytes(StandardCharsets.UTF_8).length > config.maxMetadataBytes()) {
                        errors.add(new FieldError(fieldPath, "must be at most " + config.maxMetadataBytes() + " bytes in UTF-8"));
                    }
                    dispatch.put("metadata", v);
                });
                case "deployment" -> text(value, fieldPath, errors).ifPresent(v -> {
                    checkText(v, fieldPath, config.maxNameBytes(), errors);
                    dispatch.put("deployment", v);
                });
                case "attributes" -> stringMap(value, fieldPath, errors).ifPresent(v -> {
                    long bytes = v.entrySet().stream().mapToLong(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length
                            + e.getValue().getBytes(StandardCharsets.UTF_8).length).sum();
                    if (bytes > config.maxAttributesBytes()) {
                        errors.add(new FieldError(fieldPath, "keys and values together must be at most " + config.maxAttributesBytes() + " bytes in UTF-8"));
                    }
                    dispatch.put("attributes", v);
                });
                default -> refused.add(fieldPath);
            }
        }
        if (!refused.isEmpty()) {
            throw Problems.roomConfigNotAllowed("An agent dispatch may only set agent_name, metadata, deployment and attributes; refused: "
                    + String.join(", ", refused) + ".", refused);
        }
        String agentName = (String) dispatch.getOrDefault("agentName", "");
        Optional<List<String>> allowed = config.allowedAgents();
        if (allowed.isPresent() && !allowed.get().contains(agentName)) {
            throw Problems.agentNotAllowed(allowed.get(), path + ".agent_name");
        }
        return dispatch;
    }

    private static Optional<String> text(JsonNode value, String path, List<FieldError> errors) {
        if (value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            errors.add(new FieldError(path, "must be a string"));
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }

    private static Optional<Map<String, String>> stringMap(JsonNode value, String path, List<FieldError> errors) {
        if (value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            errors.add(new FieldError(path, "must be an object of strings"));
            return Optional.empty();
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                errors.add(new FieldError(path + "." + entry.getKey(), "must be a string"));
                return Optional.empty();
            }
            map.put(entry.getKey(), entry.getValue().asText());
        }
        return Optional.of(map);
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }

    private String random() {
        StringBuilder out = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            out.append(RANDOM_ALPHABET.charAt(random.nextInt(RANDOM_ALPHABET.length())));
        }
        return out.toString();
    }
}
