package io.realtimegateway.livekit;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * LiveKit's {@code TokenSourceRequest} (protocol livekit_token_source.proto): snake_case as livekit-client sends it,
 * camelCase accepted too. Every field is optional. {@code room_config} stays raw JSON so that the policy can name
 * each field it refuses.
 */
@RegisterForReflection
public record TokenSourceRequest(
        @JsonProperty("room_name") @JsonAlias("roomName") String roomName,
        @JsonProperty("participant_name") @JsonAlias("participantName") String participantName,
        @JsonProperty("participant_identity") @JsonAlias("participantIdentity") String participantIdentity,
        @JsonProperty("participant_metadata") @JsonAlias("participantMetadata") String participantMetadata,
        @JsonProperty("participant_attributes") @JsonAlias("participantAttributes") Map<String, String> participantAttributes,
        @JsonProperty("room_config") @JsonAlias("roomConfig")
        @Schema(type = SchemaType.OBJECT, description = "Only agents (agent dispatch) may be set by clients") JsonNode roomConfig) {

    static final TokenSourceRequest EMPTY = new TokenSourceRequest(null, null, null, null, null, null);
}
