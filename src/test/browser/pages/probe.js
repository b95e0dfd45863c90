// Case d: refusals as a browser sees them, with the platform's own fetch and WebSocket (what every SDK uses).
// A CORS refusal is a TypeError without status; a refused WebSocket upgrade is an error then close 1006, and
// Chromium logs "Unexpected response code: <status>" to the console, which the driver records.

window.fetchJson = async ({ url, headers, body }) => {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: body ?? '{}' });
    return { status: response.status, body: await response.text() };
  } catch (e) {
    return { error: `${e.name}: ${e.message}` };
  }
};

// Opens the relay the way the SDKs do in browsers (ticket in the subprotocol); reports open/first event or the close.
window.openRelay = async ({ url, ticket, timeoutMs }) => {
  return await new Promise((resolve) => {
    const ws = new WebSocket(url, ['realtime', `openai-insecure-api-key.${ticket}`]);
    const result = { opened: false, errored: false };
    const timer = setTimeout(() => { result.timeout = true; ws.close(); resolve(result); }, timeoutMs);
    ws.onopen = () => { result.opened = true; result.protocol = ws.protocol; };
    ws.onerror = () => { result.errored = true; };
    ws.onmessage = (e) => {
      result.firstEvent = JSON.parse(e.data).type;
      clearTimeout(timer);
      ws.close(1000, 'done');
      resolve(result);
    };
    ws.onclose = (e) => { clearTimeout(timer); result.closeCode = e.code; resolve(result); };
  });
};

window.ready = true;
