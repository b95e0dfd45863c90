// Case b: openai-node in the browser. The page fetches a ticket cross-origin, then opens OpenAIRealtimeWebSocket
// with the gateway as baseURL and the ticket as apiKey (sent as the openai-insecure-api-key.<ticket> subprotocol).
import OpenAI from 'openai';
import { OpenAIRealtimeWebSocket } from 'openai/realtime/websocket';

window.ticket = async ({ ticketUrl, headers }) => {
  const response = await fetch(ticketUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });
  if (!response.ok) throw new Error(`ticket request answered ${response.status}: ${await response.text()}`);
  return (await response.json()).value;
};

// session.created -> session.update -> session.updated -> response.create -> response.done; returns the event types.
window.converse = async ({ ticketUrl, headers, baseURL, model, timeoutMs }) => {
  const apiKey = await window.ticket({ ticketUrl, headers });
  const client = new OpenAI({ apiKey, baseURL, dangerouslyAllowBrowser: true });
  const rt = new OpenAIRealtimeWebSocket({ model }, client);
  const events = [];
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timeout; events: ${events.join(', ')}`)), timeoutMs);
    const done = (fn, value) => { clearTimeout(timer); try { rt.close({ code: 1000, reason: 'done' }); } catch { /* closed */ } fn(value); };
    rt.on('event', (event) => {
      events.push(event.type);
      if (event.type === 'session.created') {
        rt.send({ type: 'session.update', session: { type: 'realtime', output_modalities: ['text'], instructions: 'Answer briefly.' } });
      } else if (event.type === 'session.updated') {
        rt.send({ type: 'response.create' });
      } else if (event.type === 'response.done') {
        done(resolve, { events, status: event.response.status, url: rt.url.origin + rt.url.pathname });
      }
    });
    rt.on('error', (err) => done(reject, new Error(`error ${err?.error?.code ?? err?.message ?? 'unknown'}; events: ${events.join(', ')}`)));
    rt.socket.addEventListener('close', (e) => done(reject, new Error(`closed ${e.code} ${e.reason}; events: ${events.join(', ')}`)));
  });
};

window.ready = true;
