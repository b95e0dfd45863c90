package io.realtimegateway.realtime.live.webrtc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.realtimegateway.realtime.live.LiveConfig;
import io.realtimegateway.realtime.live.LivePolicy;

/**
 * What a browser may send on a WebRTC Live session's data channel ({@code oai-events}), which goes to OpenAI without
 * passing the gateway: written into the create as {@code session.client.data_channel.allowed_client_events}, OpenAI's
 * own capability list for an untrusted frontend (the gateway's sideband is not bound by it). It is the WebSocket
 * relay's filter ({@link LivePolicy#later}) as far as a fixed list can say it:
 * <ul>
 * <li>always: {@code session.input_audio.mute}/{@code .unmute}, {@code response.item.create}, {@code response.create},
 * {@code session.close};</li>
 * <li>{@code session.commentary.append} when clients may use client delegation (it returns their results; the list
 * cannot require a {@code delegation_id}, so with server instructions a browser can also add spoken context this way);</li>
 * <li>{@code session.instructions.append} and {@code session.thinking.append} only without server instructions;</li>
 * <li>never {@code session.update}: the gateway cannot check its delegation changes against the allow-lists.</li>
 * </ul>
 * A browser's own list narrows this one; {@code "all"} or none means this one.
 */
@ApplicationScoped
class DataChannelPolicy {

    private final List<String> allowed;

    @Inject
    DataChannelPolicy(LivePolicy policy, LiveConfig config) {
        this(policy.instructionsLocked(), config.delegationTypes().contains("client"));
    }

    DataChannelPolicy(boolean instructionsLocked, boolean clientDelegation) {
        List<String> events = new ArrayList<>(List.of("session.input_audio.mute", "session.input_audio.unmute", "response.item.create",
                "response.create", "session.close"));
        if (clientDelegation) {
            events.add("session.commentary.append");
        }
        if (!instructionsLocked) {
            events.add("session.instructions.append");
            events.add("session.thinking.append");
        }
        this.allowed = List.copyOf(events);
    }

    /** The client events a browser may send, at most. */
    List<String> allowed() {
        return allowed;
    }

    /** Sets {@code session.client.data_channel.allowed_client_events}: the browser's list within the gateway's. */
    void restrict(ObjectNode session) {
        JsonNode client = session.get("client");
        ObjectNode clientNode = client instanceof ObjectNode c ? c : session.putObject("client");
        JsonNode channel = clientNode.get("data_channel");
        ObjectNode channelNode = channel instanceof ObjectNode d ? d : clientNode.putObject("data_channel");
        JsonNode asked = channelNode.get("allowed_client_events");
        Set<String> events = new LinkedHashSet<>(allowed);
        if (asked != null && asked.isArray()) {
            Set<String> wanted = new LinkedHashSet<>();
            asked.forEach(e -> wanted.add(e.asText("")));
            events.retainAll(wanted);
        }
        ArrayNode list = channelNode.putArray("allowed_client_events");
        events.forEach(list::add);
    }
}
