// Reference OpenAI Realtime relay, written with `ws` the way the openai-realtime-console relay did it
// (openai/openai-realtime-console, relay-server/lib/relay.js): one upstream socket per
// browser socket, the server key on the upstream leg, client messages queued until upstream is
// connected, every event JSON-parsed and re-serialised in both directions (the console relay did this
// through @openai/realtime-api-beta's RealtimeClient, whose Node path hard-codes api.openai.com; here
// the same steps are done with `ws` so it can point at the benchmark's upstream).
// The only addition is an admin port that reports process.memoryUsage() after a forced GC.
import http from 'node:http';
import { WebSocketServer, WebSocket } from 'ws';

const { OPENAI_API_KEY, UPSTREAM_URL } = process.env; // e.g. ws://127.0.0.1:9000/v1/realtime
const port = Number(process.env.PORT || 8081);
const adminPort = Number(process.env.ADMIN_PORT || 0);
let sessions = 0;

const wss = new WebSocketServer({ host: '127.0.0.1', port });
wss.on('connection', (ws, req) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const model = url.searchParams.get('model') || 'gpt-realtime';
  const upstream = new WebSocket(`${UPSTREAM_URL}?model=${encodeURIComponent(model)}`, {
    headers: { Authorization: `Bearer ${OPENAI_API_KEY}` },
  });
  sessions++;
  // Relay: OpenAI Realtime API event -> browser event
  upstream.on('message', (data) => {
    const event = JSON.parse(data);
    ws.send(JSON.stringify(event));
  });
  upstream.on('close', () => ws.close());
  upstream.on('error', () => ws.close());
  // Relay: browser event -> OpenAI Realtime API event
  const messageQueue = [];
  const messageHandler = (data) => {
    try {
      const event = JSON.parse(data);
      upstream.send(JSON.stringify(event));
    } catch (e) {
      console.error(`Error parsing event from client: ${data}`);
    }
  };
  ws.on('message', (data) => {
    if (upstream.readyState !== WebSocket.OPEN) {
      messageQueue.push(data);
    } else {
      messageHandler(data);
    }
  });
  ws.on('close', () => { sessions--; upstream.close(); });
  upstream.on('open', () => {
    while (messageQueue.length) messageHandler(messageQueue.shift());
  });
});
wss.on('listening', () => console.log(`relay on ws://127.0.0.1:${port}`));

if (adminPort) {
  http.createServer((req, res) => {
    if (global.gc) global.gc();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ sessions, ...process.memoryUsage() }));
  }).listen(adminPort, '127.0.0.1');
}
