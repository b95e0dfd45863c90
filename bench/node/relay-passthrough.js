// Reference OpenAI Realtime relay, written the way a performance-minded user writes it with `ws`: one upstream
// socket per browser socket, the server key on the upstream leg, client messages queued until upstream is open
// (as in the console-style relay.js), and every message passed through untouched: no JSON parse, no re-serialise,
// text stays text and binary stays binary (`ws` hands over the payload Buffer and whether it was binary).
// The only addition is an admin port that reports process.memoryUsage() after a forced GC and the bytes `ws`
// holds unsent across every socket (bufferedAmount), for the slow-reader row.
import http from 'node:http';
import { WebSocketServer, WebSocket } from 'ws';

const { OPENAI_API_KEY, UPSTREAM_URL } = process.env; // e.g. ws://127.0.0.1:9000/v1/realtime
const port = Number(process.env.PORT || 8082);
const adminPort = Number(process.env.ADMIN_PORT || 0);
const live = new Set();

const wss = new WebSocketServer({ host: '127.0.0.1', port });
wss.on('connection', (ws, req) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const model = url.searchParams.get('model') || 'gpt-realtime';
  const upstream = new WebSocket(`${UPSTREAM_URL}?model=${encodeURIComponent(model)}`, {
    headers: { Authorization: `Bearer ${OPENAI_API_KEY}` },
  });
  const pair = { ws, upstream };
  live.add(pair);
  upstream.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  upstream.on('close', () => ws.close());
  upstream.on('error', () => ws.close());
  const queue = [];
  ws.on('message', (data, isBinary) => {
    if (upstream.readyState !== WebSocket.OPEN) queue.push([data, isBinary]);
    else upstream.send(data, { binary: isBinary });
  });
  ws.on('close', () => { live.delete(pair); upstream.close(); });
  upstream.on('open', () => {
    while (queue.length) {
      const [data, isBinary] = queue.shift();
      upstream.send(data, { binary: isBinary });
    }
  });
});
wss.on('listening', () => console.log(`pass-through relay on ws://127.0.0.1:${port}`));

if (adminPort) {
  http.createServer((req, res) => {
    let buffered = 0;
    for (const { ws, upstream } of live) buffered += ws.bufferedAmount + upstream.bufferedAmount;
    if (req.url !== '/buffered' && global.gc) global.gc();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ sessions: live.size, buffered, ...process.memoryUsage() }));
  }).listen(adminPort, '127.0.0.1');
}
