// Test fixture: the gateway's WebRTC endpoints driven the way frontends drive OpenAI's.
//
// Usage: node webrtc-client.mjs secret|offer
//   secret  openai-node's client.realtime.clientSecrets.create(), unmodified, with baseURL <gateway>/v1 and the
//           caller's gateway credential as apiKey. Asks for more than the policy allows (another instructions
//           text, an hour of expiry) and prints what it got: `MINTED prefix=<ek_> model=<m> instructions=<text>
//           expires_in=<s>`. Never prints the secret itself.
//   offer   the browser's raw fetch of an SDP offer: POST <gateway>/v1/realtime/calls with
//           Content-Type: application/sdp and Authorization: Bearer <ticket>. Prints `ANSWER status=<n>
//           type=<content-type> location=<Location> sdp=<first line>`.
// Inputs come from the environment (never argv, so credentials do not show in `ps`):
//   GATEWAY_BASE_URL     the gateway's SDK base URL, e.g. http://127.0.0.1:8080/v1
//   GATEWAY_CALLER_KEY   a caller credential (secret)
//   REALTIME_TICKET      a gateway ticket (offer)
// Exit 0 when the call returned, non-zero (with a line naming the error code only) otherwise.
import OpenAI from 'openai';

const mode = process.argv[2];
const base = process.env.GATEWAY_BASE_URL;

const OFFER = [
  'v=0', 'o=- 7914315417355271937 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1', 'a=msid-semantic: WMS',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 0.0.0.0', 'a=ice-ufrag:Yf3b', 'a=ice-pwd:0c2yJ2Z1ufbNyGOTXaWm0bSr',
  'a=fingerprint:sha-256 1D:0A:69:54:6B:5B:B6:4C:7D:21:9C:5E:2B:9F:C4:35:61:2C:6E:3A:81:1F:DF:5E:5C:33:64:32:67:0F:56:0E',
  'a=setup:actpass', 'a=mid:0', 'a=sendrecv', 'a=rtcp-mux', 'a=rtpmap:111 opus/48000/2',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 0.0.0.0', 'a=mid:1', 'a=sctp-port:5000', '',
].join('\r\n');

try {
  if (mode === 'secret') {
    const client = new OpenAI({ apiKey: process.env.GATEWAY_CALLER_KEY, baseURL: base, maxRetries: 0 });
    const secret = await client.realtime.clientSecrets.create({
      expires_after: { anchor: 'created_at', seconds: 3600 },
      session: { type: 'realtime', model: 'gpt-realtime', instructions: 'Be a pirate.' },
    });
    const expiresIn = secret.expires_at - Math.floor(Date.now() / 1000);
    console.log(`MINTED prefix=${secret.value.slice(0, 3)} model=${secret.session.model} instructions=${secret.session.instructions} expires_in=${expiresIn}`);
  } else if (mode === 'offer') {
    const response = await fetch(`${base}/realtime/calls`, {
      method: 'POST',
      body: OFFER,
      headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${process.env.REALTIME_TICKET}` },
    });
    const sdp = await response.text();
    console.log(`ANSWER status=${response.status} type=${response.headers.get('content-type')} location=${response.headers.get('location')} sdp=${sdp.split('\r\n')[0]}`);
  } else {
    console.log('usage: webrtc-client.mjs secret|offer');
    process.exit(64);
  }
} catch (err) {
  // The code and status only: messages may quote a credential.
  console.log(`ERROR status=${err?.status ?? '-'} code=${err?.code ?? err?.name ?? 'unknown'}`);
  process.exit(2);
}
