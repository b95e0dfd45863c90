// Test driver of the browser tier: Debian's Chromium through playwright-core, pages served from two origins.
//
// Env: BROWSER_DIST (the bundled pages), ARTIFACTS_DIR (screenshots and console logs), CHROMIUM (default
// /usr/bin/chromium). Never downloads a browser: playwright-core drives the given executable.
// Serves BROWSER_DIST on two loopback ports: the "app" origin (the test lists it in GATEWAY_CORS_ORIGINS) and the
// "other" origin (not listed), both different from the gateway's, so every call to the gateway is cross-origin.
// Protocol: one JSON command per stdin line, one JSON answer per stdout line (never a secret on argv):
//   first line out: {"ready":true,"origins":{"app":…,"other":…},"chromium":"<version>"}
//   {"id":1,"op":"open","page":"p","origin":"app","entry":"livekit"}  -> a fresh context (ignoreHTTPSErrors) and page
//   {"id":2,"op":"call","page":"p","fn":"join","args":{…}}            -> {"id":2,"ok":true,"value":…} or ok:false + error
//   {"id":3,"op":"console","page":"p"}                                 -> the page's console lines so far
//   {"id":4,"op":"save","page":"p","name":"case-a"}                    -> screenshot + console log under ARTIFACTS_DIR
//   {"id":5,"op":"secrets","values":[…]}                               -> masked in saved logs and answers
//   {"id":6,"op":"close","page":"p"} / {"id":7,"op":"quit"}
//   {"id":8,"op":"visit","page":"p","url":"http://…","credentials":{"username":…,"password":…}}
//                                      -> a fresh context on any URL (the gateway's own pages), HTTP Basic when challenged
//   {"id":9,"op":"evaluate","page":"p","expression":"…"}              -> the value of a JS expression (awaited if a promise)
//   {"id":10,"op":"press","page":"p","key":"Tab"}                      -> presses a key; the focused element's description
//   {"id":11,"op":"screenshot","page":"p","path":"/abs/file.png"}     -> a full-page screenshot there
// A failed call saves that page's screenshot and console log by itself.
import { createServer } from 'node:http';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const dist = process.env.BROWSER_DIST;
const artifacts = process.env.ARTIFACTS_DIR;
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const secrets = [];
const pages = new Map();

function redact(text) {
  let out = String(text);
  for (const s of secrets) if (s) out = out.split(s).join('<redacted>');
  return out.replace(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '<jwt>').replace(/ek_[A-Za-z0-9_.-]{8,}/g, 'ek_<redacted>');
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' };
function serve() {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const name = path === '/' ? 'index.html' : normalize(path).replace(/^[/\\.]+/, '');
    try {
      let body;
      if (name.endsWith('.html')) {
        // The page's own console and errors are mirrored into it, so a failure's screenshot shows what happened.
        body = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>${name}</title><body><h1>${name}</h1>`
          + '<pre id="log"></pre><script>const log = (t) => { document.getElementById("log").textContent += t + "\\n"; };'
          + 'for (const k of ["log", "warn", "error"]) { const o = console[k]; console[k] = (...a) => { log(k + ": " + a.join(" ")); o(...a); }; }'
          + 'addEventListener("error", (e) => log("error: " + e.message));'
          + 'addEventListener("unhandledrejection", (e) => log("unhandled: " + (e.reason?.message ?? e.reason)));</script>'
          + `<script type="module" src="/${name.replace(/\.html$/, '.js')}"></script></body>`;
      } else {
        body = await readFile(join(dist, name));
      }
      res.writeHead(200, { 'Content-Type': TYPES[extname(name)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

const origins = { app: await serve(), other: await serve() };
const browser = await chromium.launch({
  executablePath,
  headless: true,
  // playwright-core gives every launch a fresh temporary --user-data-dir of its own.
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    // WebRTC to livekit-server on 127.0.0.1: loopback candidates, real (not mDNS) host candidates.
    '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'],
});

function out(message) {
  process.stdout.write(redact(JSON.stringify(message)) + '\n');
}

async function save(id, name) {
  const entry = pages.get(id);
  if (!entry || !artifacts) return null;
  const dir = join(artifacts, name);
  await mkdir(dir, { recursive: true });
  const base = join(dir, id);
  try {
    await entry.page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 10_000 });
  } catch (e) {
    entry.console.push(`[driver] screenshot failed: ${e.message}`);
  }
  await writeFile(`${base}.console.log`, redact(entry.console.join('\n')) + '\n');
  return dir;
}

async function newPage(cmd, options) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, ...options });
  const page = await context.newPage();
  const entry = { context, page, console: [], name: cmd.name || cmd.page };
  page.on('console', (m) => entry.console.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => entry.console.push(`[pageerror] ${e.message}`));
  page.on('requestfailed', (r) => entry.console.push(`[requestfailed] ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  pages.set(cmd.page, entry);
  return page;
}

// What Tab reached: an id, else the feature a <summary> opens, else a link's href, else the tag and text.
function describeFocus() {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const feature = e.tagName === 'SUMMARY' ? e.closest('[data-feature]')?.getAttribute('data-feature') : null;
  return e.id || (feature && `feature:${feature}`) || e.getAttribute('href') || `${e.tagName}:${e.textContent.trim().slice(0, 40)}`;
}

async function handle(cmd) {
  switch (cmd.op) {
    case 'open': {
      const page = await newPage(cmd, {});
      await page.goto(`${origins[cmd.origin]}/${cmd.entry}.html`);
      await page.waitForFunction(() => window.ready === true, null, { timeout: 30_000 });
      return { origin: origins[cmd.origin] };
    }
    case 'call': {
      const entry = pages.get(cmd.page);
      try {
        return await entry.page.evaluate(([fn, args]) => window[fn](args), [cmd.fn, cmd.args ?? {}]);
      } catch (e) {
        await save(cmd.page, cmd.name || entry.name);
        throw e;
      }
    }
    case 'visit': {
      const page = await newPage(cmd, cmd.credentials ? { httpCredentials: cmd.credentials } : {});
      const response = await page.goto(cmd.url, { waitUntil: 'load' });
      return { status: response ? response.status() : null };
    }
    case 'evaluate':
      return await pages.get(cmd.page).page.evaluate(cmd.expression);
    case 'press': {
      const page = pages.get(cmd.page).page;
      await page.keyboard.press(cmd.key);
      return await page.evaluate(describeFocus);
    }
    case 'screenshot':
      await pages.get(cmd.page).page.screenshot({ path: cmd.path, fullPage: true, timeout: 10_000 });
      return cmd.path;
    case 'console':
      return pages.get(cmd.page).console;
    case 'save':
      return await save(cmd.page, cmd.name);
    case 'secrets':
      secrets.push(...cmd.values);
      return true;
    case 'close': {
      const entry = pages.get(cmd.page);
      pages.delete(cmd.page);
      if (entry) await entry.context.close();
      return true;
    }
    case 'quit':
      await browser.close();
      out({ id: cmd.id, ok: true, value: true });
      process.exit(0);
    default:
      throw new Error(`unknown op ${cmd.op}`);
  }
}

out({ ready: true, origins, chromium: browser.version() });
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let cmd;
  try {
    cmd = JSON.parse(line);
    out({ id: cmd.id, ok: true, value: (await handle(cmd)) ?? null });
  } catch (e) {
    out({ id: cmd?.id, ok: false, error: String(e?.message ?? e) });
  }
}
await browser.close();
