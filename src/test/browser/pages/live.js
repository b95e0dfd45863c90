// Case h: GPT-Live over WebRTC as OpenAI's guide has a browser do it, with the gateway as the "trusted server": the
// page makes its own offer (a microphone track and the oai-events data channel), posts {session, transport:{type:
// "webrtc", sdp}} to the gateway's /v1/live/sessions with a live ticket as bearer, and sets the answer as its remote
// description. The fake's answer is canned (no media server behind it), so the page reports the exchange up to there:
// the session id, the signalling state, the remote description's type and the data channel's label.
window.liveExchange = async ({ ticketUrl, headers, createUrl, model }) => {
  const response = await fetch(ticketUrl, {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ session: { type: 'live', model } }),
  });
  if (!response.ok) throw new Error(`ticket request answered ${response.status}: ${await response.text()}`);
  const { value: ticket } = await response.json();
  const pc = new RTCPeerConnection();
  const media = await navigator.mediaDevices.getUserMedia({ audio: true });
  for (const track of media.getTracks()) pc.addTrack(track, media);
  const channel = pc.createDataChannel('oai-events');
  await pc.setLocalDescription(await pc.createOffer());
  const created = await fetch(createUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ticket}` },
    body: JSON.stringify({ session: { model }, transport: { type: 'webrtc', sdp: pc.localDescription.sdp } }),
  });
  const body = await created.json().catch(() => ({}));
  const result = { status: created.status, sessionId: body?.session?.id ?? null, transportType: body?.transport?.type ?? null, failure: null };
  if (created.status === 201) {
    try {
      await pc.setRemoteDescription({ type: 'answer', sdp: body.transport.sdp });
    } catch (e) {
      result.failure = String(e?.message ?? e);
    }
  } else {
    result.failure = JSON.stringify(body);
  }
  result.signalingState = pc.signalingState;
  result.remoteType = pc.remoteDescription?.type ?? null;
  result.channelLabel = channel.label;
  result.ticketIsEphemeral = ticket.startsWith('ek_');
  pc.close();
  for (const track of media.getTracks()) track.stop();
  return result;
};

window.ready = true;
