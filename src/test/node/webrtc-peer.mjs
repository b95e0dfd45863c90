// Test fixture: OpenAI's side of a WebRTC call, as a real peer (werift, a pure-JS WebRTC stack), for the fake
// upstream's POST /v1/realtime/calls. The fake posts {callId, sdp, session} to POST /answer and returns the SDP
// answer this peer makes; the browser's data channel ("oai-events") then opens with this peer, which sends
// session.created (the call's session) and answers session.update with session.updated, as OpenAI does.
// GET /calls reports, per call id, whether the channel opened and the events the browser sent over it.
// Prints "LISTENING <port>" once it serves on 127.0.0.1 (port 0: a free one).
import http from 'node:http';
import { RTCPeerConnection, RTCRtpCodecParameters } from 'werift';

const calls = new Map();

function record(callId) {
  if (!calls.has(callId)) calls.set(callId, { opened: false, received: [], state: 'new' });
  return calls.get(callId);
}

function send(channel, type, fields) {
  channel.send(JSON.stringify({ type, event_id: `event_peer_${Date.now()}_${Math.floor(Math.random() * 1e6)}`, ...fields }));
}

async function answer({ callId, sdp, session }) {
  const call = record(callId);
  const pc = new RTCPeerConnection({
    codecs: { audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })] },
  });
  call.pc = pc;
  pc.connectionStateChange.subscribe((state) => { call.state = state; });
  pc.onDataChannel.subscribe((channel) => {
    const opened = () => {
      if (call.opened) return;
      call.opened = true;
      send(channel, 'session.created', { session });
    };
    channel.stateChanged.subscribe((state) => { if (state === 'open') opened(); });
    if (channel.readyState === 'open') opened();
    channel.onMessage.subscribe((data) => {
      const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
      let event;
      try { event = JSON.parse(text); } catch { event = { type: 'unparsable' }; }
      call.received.push(event.type ?? '?');
      if (event.type === 'session.update') {
        Object.assign(session, event.session ?? {});
        send(channel, 'session.updated', { session });
      }
    });
  });
  await pc.setRemoteDescription({ type: 'offer', sdp });
  await pc.setLocalDescription(await pc.createAnswer());
  return pc.localDescription.sdp;
}

function body(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (c) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

const server = http.createServer(async (request, response) => {
  try {
    if (request.method === 'POST' && request.url === '/answer') {
      const sdp = await answer(JSON.parse(await body(request)));
      response.writeHead(200, { 'Content-Type': 'application/sdp' }).end(sdp);
    } else if (request.method === 'GET' && request.url === '/calls') {
      const report = {};
      for (const [id, c] of calls) report[id] = { opened: c.opened, received: c.received, state: c.state };
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(report));
    } else {
      response.writeHead(404).end();
    }
  } catch (e) {
    response.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(e?.stack ?? e));
  }
});

server.listen(0, '127.0.0.1', () => console.log(`LISTENING ${server.address().port}`));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    for (const c of calls.values()) c.pc?.close();
    process.exit(0);
  });
}
