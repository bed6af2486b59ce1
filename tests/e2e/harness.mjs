// harness.mjs - what every browser test needs: a real impmock on a free
// loopback port (started and stopped by clients/node, the Node helper), a
// merchant site on another port (so the page and impmock are different
// origins, as in production), headless Debian chromium driven by
// playwright-core, and REST helpers to check what impmock then reports.
// Every wait is bounded; everything started here is stopped in stop().
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { start as startMock } from '../../clients/node/index.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
export const artifacts = path.join(root, 'tests', 'artifacts');

export const IMP_KEY = 'imp_apikey';
export const IMP_SECRET =
  'ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f';
export const MOBILE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 ' +
  '(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* Polls fn until it returns a truthy value; throws after timeoutMs. */
export async function until(fn, what, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/* impmock through the project's own Node helper (clients/node): a free
 * port, its output in dir/log, kept as an artifact when it exits badly. */
async function startImpmock(extraArgs) {
  const bin = path.resolve(root, process.env.IMPMOCK_BIN || 'build/impmock');
  if (!fs.existsSync(bin)) throw new Error(`no impmock binary at ${bin} (set IMPMOCK_BIN)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impmock-e2e-'));
  const logFile = path.join(dir, 'log');
  try {
    const client = await startMock({ bin, args: extraArgs, logFile, timeoutMs: 5000 });
    return { client, dir, logFile, port: client.port, base: client.url };
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/* The merchant's site: its payment page, the m_redirect_url target and a
 * notice_url receiver that records what it got and can answer slowly. */
function merchantPage(mockBase) {
  return `<!doctype html>
<html lang="ko"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>가맹점 결제 페이지</title>
<script src="${mockBase}/v1/iamport.js"></script>
<style>body{font-family:"NanumGothic",sans-serif;margin:40px;background:#fafafa}
.item{background:#fff;border-radius:12px;padding:24px;max-width:520px;box-shadow:0 1px 4px rgba(0,0,0,.1)}
</style></head>
<body><div class="item"><h1>테스트 가맹점</h1><p>무선 키보드 · 64,000원</p>
<button id="pay">결제하기</button></div>
<script>IMP.init('imp00000000');</script>
</body></html>`;
}

async function startMerchant(mockBase) {
  const hooks = [];
  const state = { hookDelayMs: 0 };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/hook') {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const receivedAt = Date.now();
        setTimeout(() => {
          hooks.push({ body, receivedAt, answeredAt: Date.now(), type: req.headers['content-type'] });
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end('OK');
        }, state.hookDelayMs);
      });
      return;
    }
    if (url.pathname === '/return') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><meta charset="utf-8"><title>결제 결과</title><p>돌아왔습니다</p>');
      return;
    }
    if (url.pathname === '/' || url.pathname === '/pay.html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(merchantPage(mockBase));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { server, hooks, state, port, origin: `http://127.0.0.1:${port}` };
}

/* options.args: more impmock options (--clock T, --admin-token T, ...); an
 * --admin-token given here is what admin() then sends. options.browserArgs:
 * more chromium switches (e.g. --host-resolver-rules to give the local
 * servers names of their own). */
export async function start(options = {}) {
  const args = options.args || [];
  const mock = await startImpmock(args);
  const merchant = await startMerchant(mock.base);
  // launch() gives chromium a fresh, empty --user-data-dir of its own each time
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    timeout: 30000,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...(options.browserArgs || []),
    ],
  });
  fs.mkdirSync(artifacts, { recursive: true });
  const tokenAt = args.indexOf('--admin-token');
  const env = { mock, merchant, browser, token: null,
    adminToken: tokenAt >= 0 ? args[tokenAt + 1] : null };
  mock.client.adminToken = env.adminToken; // for control calls through env.mock.client
  env.stop = async () => {
    await browser.close().catch(() => {});
    await new Promise((r) => merchant.server.close(r));
    merchant.server.closeAllConnections?.();
    const code = await mock.client.stop(); // SIGTERM, then SIGKILL after 5 s
    if (code !== 0) {
      // keep impmock's own output next to the screenshots for whoever reads the failure
      fs.copyFileSync(mock.logFile, path.join(artifacts, 'impmock.log'));
    }
    fs.rmSync(mock.dir, { recursive: true, force: true });
    return code;
  };
  return env;
}

/* ---- REST ---- */

export async function rest(env, method, p, body) {
  if (!env.token) {
    env.token = await env.mock.client.token({ imp_key: IMP_KEY, imp_secret: IMP_SECRET });
  }
  const res = await fetch(`${env.mock.base}${p}`, {
    method,
    headers: { Authorization: `Bearer ${env.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  return { status: res.status, json: await res.json() };
}

export async function payment(env, impUid) {
  const r = await rest(env, 'GET', `/payments/${encodeURIComponent(impUid)}`);
  if (r.json.code !== 0) throw new Error(`GET /payments/${impUid}: ${JSON.stringify(r.json)}`);
  return r.json.response;
}

export async function admin(env, method, p, body, headers = {}) {
  const res = await fetch(`${env.mock.base}${p}`, {
    method,
    headers: { 'Content-Type': 'application/json',
      ...(env.adminToken ? { 'X-Admin-Token': env.adminToken } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  return { status: res.status, json: await res.json() };
}

/* ---- pages ---- */

export async function merchantTab(env, contextOptions = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1100, height: 760 },
    ...contextOptions });
  const page = await context.newPage();
  const errors = [];
  const failed = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  // one more load when the SDK did not arrive: a loaded machine can drop a
  // connection; the second failure is reported with what went wrong
  for (let attempt = 1; ; attempt++) {
    await page.goto(`${env.merchant.origin}/pay.html`, { timeout: 15000 });
    try {
      await page.waitForFunction(() => window.IMP && window.IMP.__impmock, null,
        { timeout: 10000 });
      return { context, page, errors };
    } catch (e) {
      if (attempt === 2) {
        throw new Error(`iamport.js did not load: ${e.message}; page errors: ` +
          `${JSON.stringify(errors)}; failed requests: ${JSON.stringify(failed)}`);
      }
      console.error(`# iamport.js did not load (${JSON.stringify(failed)}), loading again`);
    }
  }
}

/* Calls IMP.request_pay in the page; resolves with the rsp its callback got. */
export function requestPay(page, params) {
  return page.evaluate((p) => new Promise((resolve) => {
    window.IMP.request_pay(p, (rsp) => resolve(rsp));
  }), params);
}

/* The Kakao Pay overlay's frame, once its content is on screen. */
export async function kakaoWindow(page) {
  const handle = await page.waitForSelector('iframe[title="카카오페이 결제창"]', { timeout: 10000 });
  const frame = await handle.contentFrame();
  await frame.waitForSelector('#form:not([hidden])', { timeout: 10000 });
  return frame;
}
