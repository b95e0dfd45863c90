package io.realtimegateway.livekit;

import java.util.Map;

/** What a participant token grants, validated: identity, room, optional name, metadata, attributes and roomConfig (camelCase proto JSON). */
record ParticipantClaims(String identity, String room, String name, String metadata, Map<String, String> attributes,
        Map<String, Object> roomConfig) {
}
