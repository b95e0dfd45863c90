// Case e: @openai/agents-realtime's OpenAIRealtimeWebRTC, unchanged, with baseUrl = the gateway's /v1/realtime/calls
// and a gateway ticket (an ek_ key, so the SDK allows it in a browser) as its apiKey. It posts the browser's own
// SDP offer to the gateway; the gateway's answer (made by the fake's real WebRTC peer, werift, in this tier) is set
// as the remote description, the data channel opens with that peer, and connect() resolves once the peer has sent
// session.created and acknowledged the SDK's session.update. The page reports what the exchange produced and the
// events the data channel carried.
import { OpenAIRealtimeWebRTC } from '@openai/agents-realtime';

window.exchange = async ({ ticketUrl, headers, baseUrl, timeoutMs }) => {
  const response = await fetch(ticketUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });
  if (!response.ok) throw new Error(`ticket request answered ${response.status}: ${await response.text()}`);
  const { value: apiKey } = await response.json();
  const media = await navigator.mediaDevices.getUserMedia({ audio: true });
  const transport = new OpenAIRealtimeWebRTC({ baseUrl, mediaStream: media });
  const events = [];
  let session = null;
  transport.on('*', (event) => {
    events.push(event.type);
    if (event.type === 'session.created') session = event.session;
  });
  let failure = null;
  let connected = false;
  transport.connect({ apiKey, model: 'gpt-realtime' }).then(() => { connected = true; }, (e) => { failure = String(e?.message ?? e); });
  const deadline = Date.now() + timeoutMs;
  let pc = null;
  while (Date.now() < deadline && !failure) {
    pc = transport.connectionState.peerConnection;
    if (transport.callId && pc?.remoteDescription && connected && session) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const result = {
    callId: transport.callId ?? null,
    signalingState: pc?.signalingState ?? null,
    remoteType: pc?.remoteDescription?.type ?? null,
    connectionState: pc?.connectionState ?? null,
    dataChannel: transport.connectionState.dataChannel?.readyState ?? null,
    connected,
    events,
    session,
    failure,
  };
  transport.close();
  for (const track of media.getTracks()) track.stop();
  return result;
};

window.ready = true;
