// Case c: @openai/agents-realtime. A RealtimeSession on the WebSocket transport, pointed at the gateway with the
// connect option `url`, authenticated with a gateway ticket (an ek_ key, so the SDK allows it in a browser).
import { RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';

// Sends one user message; resolves with the assistant's reply text as it streamed back.
window.converse = async ({ ticketUrl, headers, url, model, message, timeoutMs }) => {
  const response = await fetch(ticketUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });
  if (!response.ok) throw new Error(`ticket request answered ${response.status}: ${await response.text()}`);
  const { value: apiKey } = await response.json();
  const agent = new RealtimeAgent({ name: 'Assistant', instructions: 'Answer briefly.' });
  const session = new RealtimeSession(agent, { transport: 'websocket', model, config: { outputModalities: ['text'] } });
  const events = [];
  let reply = '';
  const finished = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timeout; events: ${events.join(', ')}`)), timeoutMs);
    session.on('transport_event', (event) => {
      events.push(event.type);
      if (event.type === 'response.output_text.delta') reply += event.delta;
      if (event.type === 'response.done') { clearTimeout(timer); resolve(); }
      if (event.type === 'error') { clearTimeout(timer); reject(new Error(`error event ${JSON.stringify(event.error ?? event)}`)); }
    });
    session.on('error', (e) => { clearTimeout(timer); reject(new Error(`session error ${e?.error?.message ?? e?.error ?? e}`)); });
  });
  await session.connect({ apiKey, url });
  session.sendMessage(message);
  try {
    await finished;
  } finally {
    session.close();
  }
  return { reply, events };
};

window.ready = true;
