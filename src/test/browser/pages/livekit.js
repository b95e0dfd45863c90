// Case a (and the jwt page): livekit-client in the browser. TokenSource.endpoint fetches a token cross-origin
// from the gateway, the Room connects to the real livekit-server and publishes Chromium's fake microphone.
import { Room, RoomEvent, TokenSource, decodeTokenPayload } from 'livekit-client';

let room = null;
const subscribed = [];

// Returns what the page saw; throws (the test reads the message) when the token fetch or the join fails.
window.join = async ({ tokenUrl, headers, roomName, identity, publish }) => {
  const source = TokenSource.endpoint(tokenUrl, { headers });
  const details = await source.fetch({ roomName, participantIdentity: identity });
  room = new Room();
  room.on(RoomEvent.TrackSubscribed, (track, publication, participant) => {
    subscribed.push({ kind: track.kind, source: publication.source, from: participant.identity });
  });
  await room.connect(details.serverUrl, details.participantToken);
  if (publish) {
    await room.localParticipant.setMicrophoneEnabled(true);
  }
  return {
    identity: room.localParticipant.identity,
    room: room.name,
    published: [...room.localParticipant.trackPublications.values()].map((p) => p.source),
  };
};

// Resolves once a remote track from `from` is subscribed (a RoomEvent.TrackSubscribed), with that track's kind.
window.awaitSubscribed = async ({ from, timeoutMs }) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const hit = subscribed.find((s) => s.from === from);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no TrackSubscribed from ${from} within ${timeoutMs} ms; saw ${JSON.stringify(subscribed)}`);
};

// Only the token fetch (no join): the refusal cases read the error a page gets; on success, the token's claims
// (decoded here, so no token travels back to the test).
window.fetchToken = async ({ tokenUrl, headers, roomName, identity, metadata, attributes }) => {
  const source = TokenSource.endpoint(tokenUrl, { headers });
  const options = { roomName, participantIdentity: identity };
  if (metadata !== undefined) options.participantMetadata = metadata;
  if (attributes !== undefined) options.participantAttributes = attributes;
  const details = await source.fetch(options);
  const claims = decodeTokenPayload(details.participantToken);
  return { serverUrl: details.serverUrl, claims: { sub: claims.sub, video: claims.video, metadata: claims.metadata ?? null, attributes: claims.attributes ?? null } };
};

window.leave = async () => {
  if (room) await room.disconnect();
  room = null;
  return true;
};

window.ready = true;
