// Test fixture: drives one Realtime conversation through the gateway with the official openai-node SDK.
//
// Usage: node realtime-client.mjs ws|websocket
//   ws         OpenAIRealtimeWS (the `ws` package; ticket in the Authorization header)
//   websocket  OpenAIRealtimeWebSocket (the runtime's WebSocket; ticket in the openai-insecure-api-key.
//              subprotocol). Node 20 needs --experimental-websocket for a global WebSocket.
// Inputs come from the environment (never argv, so the ticket does not show in `ps`):
//   GATEWAY_BASE_URL   the gateway's SDK base URL, e.g. https://localhost:8443/v1 (openai-node always uses wss)
//   REALTIME_TICKET    a gateway ticket (ek_...) from POST /api/realtime/client-secret
//   REALTIME_MODEL     the model to ask for
//   NODE_EXTRA_CA_CERTS  the gateway's (self-signed) certificate, so TLS verification stays on
// Prints one `EVENT <type>` line per server event and `DONE <status>` at the end; exit 0 only when
// session.created -> session.update -> response.create -> response.done completed. Never prints the ticket.
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { OpenAIRealtimeWebSocket } from 'openai/realtime/websocket';

const TIMEOUT_MS = 30_000;
const flavour = process.argv[2];
if (flavour !== 'ws' && flavour !== 'websocket') {
  console.log('usage: realtime-client.mjs ws|websocket');
  process.exit(64);
}
if (flavour === 'websocket' && typeof globalThis.WebSocket !== 'function') {
  console.log('FAILED this Node has no global WebSocket (Node 20: run with --experimental-websocket)');
  process.exit(65);
}

const client = new OpenAI({ apiKey: process.env.REALTIME_TICKET, baseURL: process.env.GATEWAY_BASE_URL });
const props = { model: process.env.REALTIME_MODEL };
const rt = flavour === 'ws' ? new OpenAIRealtimeWS(props, client) : new OpenAIRealtimeWebSocket(props, client);

let finished = false;
function finish(code, line) {
  if (finished) return;
  finished = true;
  console.log(line);
  clearTimeout(timer);
  try { rt.close({ code: 1000, reason: 'OK' }); } catch { /* already closed */ }
  // Let the close frame go out, then leave even if a socket lingers.
  setTimeout(() => process.exit(code), 200).unref();
  process.exitCode = code;
}
const timer = setTimeout(() => finish(5, `TIMEOUT after ${TIMEOUT_MS / 1000}s`), TIMEOUT_MS);

rt.on('event', (event) => {
  console.log(`EVENT ${event.type}`);
  if (event.type === 'session.created') {
    rt.send({ type: 'session.update', session: { type: 'realtime', output_modalities: ['text'], instructions: 'Answer briefly.' } });
  } else if (event.type === 'session.updated') {
    rt.send({ type: 'response.create' });
  } else if (event.type === 'response.done') {
    finish(event.response.status === 'completed' ? 0 : 3, `DONE ${event.response.status}`);
  }
});
// Server error events and socket errors both land here; print the code only (messages may quote a credential).
rt.on('error', (err) => finish(2, `ERROR ${err?.error?.code ?? err?.cause?.code ?? err?.name ?? 'unknown'}`));
const socket = rt.socket;
if (flavour === 'ws') {
  socket.on('close', (code) => finish(4, `CLOSED ${code} before response.done`));
} else {
  socket.addEventListener('close', (e) => finish(4, `CLOSED ${e.code} before response.done`));
}
