// realtime-gateway console: renders /console/api/state, then follows the live feed (websockets-next, /console/feed).
// Every value is written with textContent: nothing from the server is parsed as HTML.
'use strict';

(function () {
  const state = { live: new Map(), closed: [], closedSeqs: new Set() };
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'class') node.className = v; else node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  const badge = (status) => el('span', { class: 'status ' + status }, status);
  function setBadge(id, text, cls) { const b = $(id); b.textContent = text; b.className = 'badge ' + (cls || text); }
  function showError(message) { const e = $('error'); e.textContent = message; e.hidden = !message; }

  async function api(method, path) {
    const options = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (method === 'POST') options.headers['X-Console'] = '1';
    const response = await fetch('/console/api/' + path, options);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error((body.title || response.status) + (body.detail ? ': ' + body.detail : ''));
    return body;
  }

  // ---- checks, keys, relay, readiness, counters

  function renderChecks(checks) {
    setBadge('overall', checks.status);
    $('checked-at').textContent = 'checked ' + new Date(checks.checked_at).toLocaleTimeString();
    const features = $('features');
    features.replaceChildren();
    for (const feature of checks.features) {
      const list = el('ul', { class: 'checks' });
      for (const check of feature.checks) {
        const item = el('li', { 'data-status': check.status, 'data-check': check.name },
          badge(check.status), el('span', { class: 'check-name' }, check.name), el('span', { class: 'message' }, check.message));
        if (check.fix && check.status !== 'OK') item.append(el('div', { class: 'fix' }, 'Fix: ' + check.fix));
        list.append(item);
      }
      // Features with a problem are open, so that a FAIL and its fix are visible without a click.
      const details = el('details', { class: 'feature', 'data-feature': feature.name },
        el('summary', {}, badge(feature.status), ' ', el('strong', {}, feature.name), ' ', el('small', {}, feature.checks.length + ' checks')), list);
      details.open = feature.status !== 'OK';
      features.append(details);
    }
  }

  function renderKeys(keys) {
    $('signing').textContent = keys.signing_key ? 'Tokens are signed with API key ' + keys.signing_key + '.' : 'No key can sign tokens: see the livekit checks.';
    const sources = $('sources');
    sources.replaceChildren();
    if (keys.sources.length === 0) sources.append(el('li', {}, 'No key source is configured.'));
    for (const source of keys.sources) {
      const item = el('li', {}, el('code', {}, source.name), source.server_config ? ' (livekit-server’s own config)' : '', ': ' + source.keys + ' key(s)');
      if (source.problems.length) {
        const problems = el('ul');
        for (const p of source.problems) problems.append(el('li', { class: 'FAIL' }, p.check + ': ' + p.message + (p.fix ? ' Fix: ' + p.fix : '')));
        item.append(problems);
      }
      sources.append(item);
    }
    const names = keys.sources.map((s) => s.name);
    const head = $('agreement').tHead;
    head.replaceChildren(el('tr', {}, el('th', {}, 'API key'), ...names.map((n) => el('th', {}, n)), el('th', {}, 'Secrets agree'), el('th', {}, 'Known to livekit.yaml')));
    const body = $('agreement').tBodies[0];
    body.replaceChildren();
    for (const row of keys.agreement) {
      body.append(el('tr', {},
        el('td', { class: 'mono' }, row.api_key + (row.signing ? ' (signs)' : '')),
        ...names.map((n) => el('td', { class: 'mono' }, row.fingerprints[n] || '—')),
        el('td', {}, badge(row.agree ? 'OK' : 'FAIL')),
        el('td', {}, row.known_to_server === null ? 'no livekit.yaml' : badge(row.known_to_server ? 'OK' : 'FAIL'))));
    }
    if (keys.agreement.length === 0) body.append(el('tr', {}, el('td', { colspan: String(names.length + 3) }, 'No keys.')));
  }

  function facts(target, pairs) {
    const dl = $(target);
    dl.replaceChildren();
    for (const [term, value] of pairs) dl.append(el('dt', {}, term), el('dd', {}, value));
  }

  function renderRelay(relay) {
    facts('relay-facts', [
      ['Relay', el('span', { class: 'badge ' + (relay.enabled ? 'on' : 'off'), 'data-relay': relay.enabled ? 'on' : 'off' }, relay.enabled ? 'ON' : 'OFF')],
      ...(relay.enabled ? [] : [['Why off', relay.disabled_reason]]),
      ['OpenAI key', relay.api_key || 'not set'],
      ['Upstream', relay.base_url],
      ['Models', relay.models.join(', ')],
    ]);
  }

  function renderReadiness(readiness) {
    setBadge('ready', readiness.status);
    const health = $('health');
    health.replaceChildren();
    for (const [name, status] of Object.entries(readiness.health)) health.append(el('li', {}, badge(status), ' ', name));
    const features = $('feature-readiness');
    features.replaceChildren();
    for (const [name, status] of Object.entries(readiness.features)) features.append(el('li', {}, badge(status), ' ', name));
  }

  function sum(map) { return Object.values(map || {}).reduce((a, b) => a + b, 0); }
  function listing(map) {
    const entries = Object.entries(map || {}).filter(([, v]) => v > 0);
    return entries.length ? entries.map(([k, v]) => k + ': ' + v).join(', ') : 'none';
  }

  function renderCounters(c) {
    facts('counter-list', [
      ['LiveKit tokens issued', String(c.tokens_issued)],
      ['Token requests refused (by HTTP status)', listing(c.tokens_refused)],
      ['Relay tickets issued', String(c.tickets_issued)],
      ['Ticket requests refused (by HTTP status)', listing(c.tickets_refused)],
      ['Relay sessions refused (by reason)', listing(c.relay_refusals)],
      ['Sessions ended by the gateway (by reason)', listing(c.terminations)],
      ['Sessions closed (by close code)', listing(c.sessions_closed) + ' (' + sum(c.sessions_closed) + ' in all)'],
      ['Tokens used (by kind)', listing(c.usage_tokens)],
    ]);
  }

  // ---- charts: hand-drawn SVG (no library), from the snapshot's history and each 'chart.point'

  const SVG = 'http://www.w3.org/2000/svg';
  const charts = { def: null, points: [] };
  const W = 360, H = 150, LEFT = 46, RIGHT = 10, TOP = 10, BOTTOM = 22;

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function number(v) { return Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1).replace(/\.?0+$/, ''); }
  // The smallest 1, 2 or 5 times a power of ten at or over the largest value: the top of the y axis.
  function niceMax(max) {
    if (!(max > 0)) return 1;
    const power = Math.pow(10, Math.floor(Math.log10(max)));
    for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
    return 10 * power;
  }

  function renderCharts(c) {
    charts.def = c;
    charts.points = c.points.slice();
    drawCharts();
  }

  function addPoint(point) {
    if (!charts.def) return;
    const last = charts.points[charts.points.length - 1];
    if (last && point.seq <= last.seq) return; // already in the snapshot
    charts.points.push(point);
    while (charts.points.length > charts.def.capacity) charts.points.shift();
    drawCharts();
  }

  function drawCharts() {
    const c = charts.def;
    const windowMs = c.capacity * c.interval_seconds * 1000;
    const minutes = windowMs / 60000;
    $('charts-window').textContent = 'last ' + (minutes >= 1 ? number(minutes) + ' min' : windowMs / 1000 + ' s')
      + ', a point every ' + c.interval_seconds + ' s (' + charts.points.length + ' so far)';
    const points = charts.points;
    const end = points.length ? points[points.length - 1].at : Date.now();
    const start = end - windowMs;
    const plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM;
    const x = (t) => LEFT + Math.max(0, (t - start) / windowMs) * plotW;
    const list = $('chart-list');
    list.replaceChildren();
    for (const chart of c.charts) {
      let max = 0;
      for (const p of points) for (let i = 0; i < chart.series.length; i++) max = Math.max(max, p.values[chart.index + i]);
      const top = niceMax(max);
      const y = (v) => TOP + plotH * (1 - v / top);
      const lastPoint = points[points.length - 1];
      const lastText = chart.series.map((s, i) => s.label + ' ' + (lastPoint ? number(lastPoint.values[chart.index + i]) : '–') + ' ' + chart.unit).join(', ');
      const drawing = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'data-chart': chart.id, 'data-max': max,
        'aria-label': chart.title + ' over the last ' + number(minutes) + ' min; last: ' + lastText });
      for (const v of [0, top / 2, top]) {
        drawing.append(svg('line', { x1: LEFT, x2: W - RIGHT, y1: y(v), y2: y(v), class: v === 0 ? 'axis' : 'grid' }));
        drawing.append(svg('text', { x: LEFT - 4, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, number(v)));
      }
      drawing.append(svg('line', { x1: LEFT, x2: LEFT, y1: TOP, y2: TOP + plotH, class: 'axis' }));
      drawing.append(svg('text', { x: LEFT, y: H - 6, class: 'tick', 'text-anchor': 'start' }, '−' + number(minutes) + ' min'));
      drawing.append(svg('text', { x: LEFT + plotW / 2, y: H - 6, class: 'tick', 'text-anchor': 'middle' }, '−' + number(minutes / 2) + ' min'));
      drawing.append(svg('text', { x: W - RIGHT, y: H - 6, class: 'tick', 'text-anchor': 'end' },
        lastPoint ? new Date(lastPoint.at).toLocaleTimeString() : 'now'));
      chart.series.forEach((s, i) => {
        const d = points.map((p, k) => (k ? 'L' : 'M') + x(p.at).toFixed(1) + ' ' + y(p.values[chart.index + i]).toFixed(1)).join(' ');
        drawing.append(svg('path', { d: d || 'M0 0', class: 'line s' + i, 'data-series': s.name, 'data-points': points.length }));
        if (lastPoint) drawing.append(svg('circle', { cx: x(lastPoint.at), cy: y(lastPoint.values[chart.index + i]), r: 2.5, class: 'dot s' + i }));
      });
      const legend = el('ul', { class: 'legend' });
      chart.series.forEach((s, i) => legend.append(el('li', { 'data-series': s.name }, el('span', { class: 'swatch s' + i }), s.label + ': ',
        el('strong', { class: 'last' }, lastPoint ? number(lastPoint.values[chart.index + i]) : '–'), ' ' + chart.unit)));
      list.append(el('figure', { class: 'chart', 'data-chart': chart.id }, el('figcaption', {}, el('strong', {}, chart.title), ' ', el('small', {}, chart.unit)),
        drawing, legend));
    }
  }

  // ---- sessions

  function age(startedAt) {
    const s = Math.max(0, Math.floor((Date.now() - new Date(startedAt).getTime()) / 1000));
    return s < 60 ? s + ' s' : Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  }
  function bytes(n) { return n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KiB' : (n / 1048576).toFixed(1) + ' MiB'; }

  function renderLive() {
    const body = $('live').tBodies[0];
    body.replaceChildren();
    const sessions = [...state.live.values()].sort((a, b) => a.started_at.localeCompare(b.started_at));
    for (const s of sessions) {
      const kill = s.type === 'live' || s.transport === 'websocket' ? el('button', { type: 'button', class: 'kill', 'data-kill': s.id }, 'Close') : '';
      body.append(el('tr', { 'data-session': s.id, 'data-identity': s.identity },
        el('td', { class: 'mono' }, s.id), el('td', {}, (s.type || 'realtime') + ' · ' + s.transport), el('td', {}, s.identity), el('td', {}, s.model),
        el('td', { class: 'num', 'data-started': s.started_at }, age(s.started_at)),
        el('td', { class: 'num' }, s.up.frames + ' / ' + s.down.frames),
        el('td', { class: 'num' }, bytes(s.up.bytes) + ' / ' + bytes(s.down.bytes)),
        el('td', { class: 'num' }, s.usage.input + ' / ' + s.usage.output + ' / ' + s.usage.total),
        el('td', { class: 'num' }, s.seconds == null ? '–' : s.seconds + ' s'),
        el('td', { class: 'num' }, s.budget_left == null ? '–' : s.budget_left + ' s'),
        el('td', { class: 'mono' }, s.upstream_session), el('td', {}, kill)));
    }
    if (sessions.length === 0) body.append(el('tr', {}, el('td', { colspan: '12' }, 'No live session.')));
    $('live-count').textContent = String(sessions.length);
  }

  function renderClosed() {
    const body = $('closed').tBodies[0];
    body.replaceChildren();
    for (const c of state.closed) {
      const s = c.session;
      const duration = (new Date(c.closed_at) - new Date(s.started_at)) / 1000;
      body.append(el('tr', { 'data-closed': s.id },
        el('td', { class: 'mono' }, s.id), el('td', {}, s.identity), el('td', {}, s.model),
        el('td', {}, new Date(c.closed_at).toLocaleTimeString()), el('td', { class: 'num' }, duration.toFixed(1) + ' s'),
        el('td', { class: 'mono' }, c.client_close + ' / ' + c.upstream_close),
        el('td', { class: 'num' }, s.up.frames + ' / ' + s.down.frames),
        el('td', { class: 'num' }, bytes(s.up.bytes) + ' / ' + bytes(s.down.bytes)),
        el('td', { class: 'num' }, String(s.usage.total))));
    }
    if (state.closed.length === 0) body.append(el('tr', {}, el('td', { colspan: '9' }, 'None yet.')));
  }

  function addClosed(closed) {
    if (state.closedSeqs.has(closed.seq)) return;
    state.closedSeqs.add(closed.seq);
    state.closed.unshift(closed);
    state.closed.sort((a, b) => b.seq - a.seq);
    while (state.closed.length > 50) state.closedSeqs.delete(state.closed.pop().seq);
    state.live.delete(closed.session.id);
  }

  function render(s) {
    renderChecks(s.checks);
    renderKeys(s.keys);
    renderRelay(s.relay);
    renderReadiness(s.readiness);
    renderCounters(s.counters);
    renderCharts(s.charts);
    state.live = new Map(s.live.map((x) => [x.id, x]));
    state.closed = [];
    state.closedSeqs = new Set();
    for (const c of s.closed) addClosed(c);
    renderLive();
    renderClosed();
  }

  // ---- the feed

  let retry = 1000;
  async function connect() {
    setBadge('feed', 'connecting');
    let ticket;
    try {
      ticket = await api('POST', 'ticket');
    } catch (e) {
      setBadge('feed', 'disconnected');
      showError('Feed: ' + e.message);
      return setTimeout(connect, retry = Math.min(retry * 2, 10000));
    }
    // The feed is on the gateway's main port, not this page's (the management port): say so when it cannot be reached.
    const socket = new WebSocket(ticket.feed_url + '?ticket=' + encodeURIComponent(ticket.ticket));
    let opened = false;
    socket.onopen = () => { opened = true; retry = 1000; setBadge('feed', 'connected'); };
    socket.onmessage = (message) => onEvent(JSON.parse(message.data));
    socket.onclose = (event) => {
      setBadge('feed', 'disconnected');
      if (!opened) showError('Feed: cannot open ' + ticket.feed_url + ' (the gateway\'s main port: is it reachable from this browser, e.g. forwarded too?)');
      else if (event.code === 1008) showError('Feed: ' + (event.reason || 'dropped') + '. Reconnecting.');
      setTimeout(connect, retry = Math.min(retry * 2, 10000));
    };
  }

  function onEvent(event) {
    switch (event.type) {
      case 'snapshot': render(event.state); showError(''); break;
      case 'session.opened': state.live.set(event.session.id, event.session); renderLive(); break;
      case 'session.closed': addClosed(event.closed); renderLive(); renderClosed(); break;
      case 'sessions': state.live = new Map(event.live.map((x) => [x.id, x])); renderLive(); break;
      case 'checks': renderChecks(event.checks); renderReadiness(event.readiness); renderRelay(event.relay); break;
      case 'counters': renderCounters(event.counters); break;
      case 'chart.point': addPoint(event.point); break;
      case 'check.changed': break; // the 'checks' event that follows carries the whole report
      default: break;
    }
  }

  // ---- buttons

  function action(buttonId, work) {
    const button = $(buttonId);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try { await work(); } finally { button.disabled = false; button.focus(); }
    });
  }

  // ok: true, false, or null while the action runs.
  function result(id, ok, lines) {
    const out = $(id);
    out.dataset.outcome = ok === null ? 'pending' : ok ? 'ok' : 'failed';
    out.className = 'result ' + out.dataset.outcome;
    out.textContent = lines.filter((l) => l !== null && l !== undefined).join('\n');
  }

  action('rerun', async () => {
    try { renderChecks(await api('POST', 'checks')); showError(''); } catch (e) { showError('Re-run: ' + e.message); }
  });

  // The LiveKit try-it joins from this browser with livekit-client, the SDK frontends use, so it tests this browser's own
  // path to LiveKit (the public LIVEKIT_URL, its TLS, ICE). The SDK (~600 KB, vendored in the jar so the console works
  // without internet) is loaded on the first click only. The join token is never shown: only room, identity and reasons.
  const LIVEKIT_CLIENT = '/console/assets/vendor/livekit-client.umd.js';
  let liveKitClient = null;
  function loadLiveKitClient() {
    if (!liveKitClient) {
      liveKitClient = new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = LIVEKIT_CLIENT;
        script.onload = () => (window.LivekitClient ? resolve(window.LivekitClient) : reject(new Error('livekit-client did not define LivekitClient')));
        script.onerror = () => { liveKitClient = null; script.remove(); reject(new Error('could not load ' + LIVEKIT_CLIENT)); };
        document.head.append(script);
      });
    }
    return liveKitClient;
  }

  // What to do about a failed join, from livekit-client's error (a ConnectionError: reason, HTTP status of /rtc/validate).
  function joinFix(LK, error, url) {
    const message = String(error && error.message);
    if (error && error.status === 401) return 'Fix: livekit-server refused the token: the key and secret the gateway signs with must be a pair livekit-server knows (see "LiveKit keys" and the livekit checks).';
    if (message.includes('requested room does not exist')) return 'Fix: livekit-server does not create rooms on join here: enable room.auto_create or create room console-try.';
    if (error && error.status === 403) return 'Fix: the token\'s grants were refused; see the token checks.';
    if (message.includes('signal connection')) return 'Fix: this browser cannot open ' + url + ' (LIVEKIT_URL, the URL frontends get): it must be the public URL browsers reach, wss:// with a certificate they trust behind TLS; check DNS, the proxy or load balancer and its WebSocket support.';
    if (/pc connection|peer ?connection|ICE/i.test(message)) return 'Fix: signalling worked but media (ICE) did not: livekit-server\'s rtc.tcp_port and rtc.port_range_start..end (UDP) must be reachable from this browser, with rtc.use_external_ip or node_ip set behind NAT, or TURN (a kubectl port-forward does not carry media).';
    if (LK && error && error.reason === LK.ConnectionErrorReason.Cancelled) return 'The join was cancelled.';
    return 'Fix: see the livekit checks; the line from the gateway below names livekit-server\'s answer to the same token.';
  }

  action('try-livekit', async () => {
    const out = 'try-livekit-result';
    result(out, null, ['Minting a join token…']);
    let r;
    try { r = await api('POST', 'try/livekit'); } catch (e) { return result(out, false, ['FAILED', e.message]); }
    const v = r.verdict;
    const gatewayLine = 'gateway → livekit-server /rtc/validate: ' + (v.ok ? 'would admit' : 'FAILED') + (v.status ? ' (HTTP ' + v.status + ')' : '')
      + (v.ok ? '' : ': ' + v.reason);
    if (!r.join) return result(out, false, ['FAILED: no join token', v.reason]);
    const join = r.join;
    const hide = (text) => String(text).split(join.token).join('<token>');
    let LK;
    try { LK = await loadLiveKitClient(); } catch (e) { return result(out, false, ['FAILED', e.message, gatewayLine]); }
    LK.setLogLevel('warn');
    result(out, null, ['Joining ' + join.room + ' at ' + join.server_url + ' with livekit-client ' + LK.version + '…']);
    const room = new LK.Room();
    try {
      await room.connect(join.server_url, join.token);
      const info = room.serverInfo || {};
      result(out, true, ['connected', 'room: ' + room.name, 'participant: ' + room.localParticipant.identity, 'server: ' + join.server_url,
        'livekit-server ' + (info.version || 'version unknown') + (info.region ? ', region ' + info.region : '') + (info.nodeId ? ', node ' + info.nodeId : ''),
        'key: ' + join.api_key + ', livekit-client ' + LK.version + '; left the room again', gatewayLine]);
    } catch (e) {
      result(out, false, ['failed', 'server: ' + join.server_url, 'livekit-client: ' + hide(e && e.message),
        hide(joinFix(LK, e, join.server_url)), gatewayLine]);
    } finally {
      await room.disconnect().catch(() => {});
    }
  });

  action('try-relay', async () => {
    try {
      const r = await api('POST', 'try/relay');
      result('try-relay-result', r.ok, [r.ok ? 'OK: session.created' : 'FAILED', 'model: ' + r.model,
        r.upstream_session ? 'OpenAI session: ' + r.upstream_session : null, 'events: ' + (r.events.join(', ') || 'none'),
        r.close_code ? 'closed with ' + r.close_code : null, r.detail]);
    } catch (e) { result('try-relay-result', false, ['FAILED', e.message]); }
  });

  // The kill switch: a GPT-Live WebRTC session gets session.close on its sideband, a relayed one a close 1008 (audited server-side).
  $('live').addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-kill]');
    if (!button) return;
    button.disabled = true;
    try {
      await api('POST', 'sessions/' + encodeURIComponent(button.getAttribute('data-kill')) + '/close');
      button.textContent = 'Closing…';
    } catch (e) { button.disabled = false; showError('Close: ' + e.message); }
  });

  setInterval(() => {
    for (const cell of document.querySelectorAll('td[data-started]')) cell.textContent = age(cell.getAttribute('data-started'));
  }, 1000);

  api('GET', 'state').then((s) => { render(s); connect(); }).catch((e) => { showError('Console: ' + e.message); connect(); });
})();
