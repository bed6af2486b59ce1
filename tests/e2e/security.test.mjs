// security.test.mjs - what a web page the developer happens to visit can do
// to the impmock on their machine, tried in headless chromium. The hostile
// page lives on a second local server under a name of its own
// (http://evil.test:PORT, mapped to 127.0.0.1 by --host-resolver-rules),
// standing for a public site; it tries fetch and form posts against the
// control API and the REST API, acts on a payment window whose id it
// learnt, and reaches impmock through a rebound DNS name. Every attempt
// must fail and change nothing, while a merchant page on another site
// still completes a Kakao Pay payment.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test as nodeTest } from 'node:test';
import { admin, kakaoWindow, payment, requestPay, rest, start, until } from './harness.mjs';

const test = (name, fn) => nodeTest(name, { timeout: 60000 }, fn);

let env;
let evil; // { server, origin }
let seq = 0;
const uid = (what) => `sec_${what}_${process.pid}_${++seq}`;

const EVIL_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>무료 쿠폰</title></head>
<body><h1>축하합니다!</h1><iframe name="sink" title="sink"></iframe></body></html>`;

async function startEvil() {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(EVIL_PAGE);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://evil.test:${server.address().port}` };
}

before(async () => {
  env = await start({ browserArgs: ['--host-resolver-rules=MAP *.test 127.0.0.1'] });
  evil = await startEvil();
}, { timeout: 60000 });

after(async () => {
  const code = await env?.stop();
  await new Promise((r) => (evil ? evil.server.close(r) : r()));
  evil?.server.closeAllConnections?.();
  assert.equal(code, 0, 'impmock exits cleanly');
}, { timeout: 30000 });

/* The hostile page, loaded in a fresh context. */
async function evilTab() {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${evil.origin}/`, { timeout: 15000 });
  return { context, page };
}

/* fetch() from the page: {ok, status, text} or {error} when the browser
 * refused to hand the answer over (CORS) or to send it (preflight). */
function pageFetch(page, url, init) {
  return page.evaluate(async ({ url, init }) => {
    try {
      const res = await fetch(url, init);
      return { ok: true, status: res.status, type: res.type, text: await res.text() };
    } catch (e) {
      return { error: String(e) };
    }
  }, { url, init });
}

/* An HTML form post from the page into its iframe (no CORS applies to
 * these: the browser sends them and shows whatever comes back). */
function pageFormPost(page, action, enctype, fields) {
  return page.evaluate(({ action, enctype, fields }) => new Promise((resolve) => {
    const sink = document.querySelector('iframe[name=sink]');
    const timer = setTimeout(() => resolve('timeout'), 10000);
    sink.addEventListener('load', () => { clearTimeout(timer); resolve('loaded'); },
      { once: true });
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = action;
    form.enctype = enctype;
    form.target = 'sink';
    for (const [name, value] of fields) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
  }), { action, enctype, fields });
}

async function clockNow() {
  const r = await admin(env, 'GET', '/__mock/clock');
  assert.equal(r.status, 200);
  return r.json;
}

async function prepared(merchantUid) {
  const r = await rest(env, 'GET', `/payments/prepare/${merchantUid}`);
  return r.json.code === 0;
}

test('a page on another site cannot drive the control API', async () => {
  const m = env.mock.base;
  // a known state: the clock frozen, one order registered
  assert.equal((await admin(env, 'POST', '/__mock/clock', { freeze: true })).status, 200);
  const before = (await clockNow()).now;
  const order = uid('ctl');
  assert.equal((await rest(env, 'POST', '/payments/prepare',
    { merchant_uid: order, amount: 1000 })).json.code, 0);

  const { context, page } = await evilTab();
  // the page can fetch across origins at all: impmock's SDK script comes back
  const sdk = await pageFetch(page, `${m}/v1/iamport.js`);
  assert.equal(sdk.status, 200, 'the cross-origin fetch machinery works');

  // "simple" requests go out without a preflight; the answer stays hidden
  for (const [path, body] of [['/__mock/reset', 'x'], ['/__mock/clock', '{"advance":100000}']]) {
    const r = await pageFetch(page, `${m}${path}`,
      { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body });
    assert.ok(r.error, `${path}: the page reads no answer: ${JSON.stringify(r)}`);
    const blind = await pageFetch(page, `${m}${path}`,
      { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body });
    assert.equal(blind.type, 'opaque');
  }
  // JSON needs a preflight, which the control API refuses
  let r = await pageFetch(page, `${m}/__mock/clock`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ advance: 100000 }),
  });
  assert.ok(r.error, `a JSON call is refused: ${JSON.stringify(r)}`);
  r = await pageFetch(page, `${m}/__mock/reset`, { method: 'POST', headers: { 'X-Impmock': '1' } });
  assert.ok(r.error, 'X-Impmock needs a preflight too');
  r = await pageFetch(page, `${m}/__mock/scenarios`, {
    method: 'POST', headers: { 'Content-Type': 'text/plain' },
    body: JSON.stringify({ name: 'evil', description: 'd',
      rules: [{ when: { op: 'charge' }, then: { decline: 'x' } }] }),
  });
  assert.ok(r.error);
  // nothing to read either
  r = await pageFetch(page, `${m}/__mock/requests`);
  assert.ok(r.error, 'the journal stays private');
  r = await pageFetch(page, `${m}/__mock/export?imp_key=imp_apikey`);
  assert.ok(r.error, 'the state stays private');

  // form posts: the classic JSON-in-text/plain trick, and a plain form
  assert.equal(await pageFormPost(page, `${m}/__mock/clock`, 'text/plain',
    [['{"advance":100000,"x":"', '"}']]), 'loaded');
  assert.equal(await pageFormPost(page, `${m}/__mock/clock`,
    'application/x-www-form-urlencoded', [['advance', '100000']]), 'loaded');
  assert.equal(await pageFormPost(page, `${m}/__mock/reset`, 'multipart/form-data',
    [['x', '1']]), 'loaded');

  // nothing happened
  const after = await clockNow();
  assert.equal(after.now, before, 'the clock did not move');
  assert.ok(await prepared(order), 'no reset');
  const scenarios = await admin(env, 'GET', '/__mock/scenarios');
  assert.ok(!JSON.stringify(scenarios.json).includes('evil'), 'no scenario loaded');
  assert.equal((await admin(env, 'POST', '/__mock/clock', { freeze: false })).status, 200);
  await context.close();
});

test('a page on another site cannot use the REST API', async () => {
  const m = env.mock.base;
  const { context, page } = await evilTab();
  const keys = { imp_key: 'imp_apikey',
    imp_secret: 'ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f' };
  // a token with the public test key: neither as JSON nor as a simple request
  let r = await pageFetch(page, `${m}/users/getToken`, { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(keys) });
  assert.ok(r.error, `getToken JSON: ${JSON.stringify(r)}`);
  r = await pageFetch(page, `${m}/users/getToken`, { method: 'POST',
    body: new URLSearchParams(keys).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.ok(r.error, `getToken form: ${JSON.stringify(r)}`);

  // a token the page got hold of (--seed makes them predictable) is no use either
  assert.equal((await rest(env, 'GET', '/payments/status/all')).status, 200);
  const token = env.token;
  r = await pageFetch(page, `${m}/payments/status/all`,
    { headers: { Authorization: `Bearer ${token}` } });
  assert.ok(r.error, 'payments stay private');
  r = await pageFetch(page, `${m}/payments/status/all?_token=${token}`);
  assert.ok(r.error, 'payments stay private, token in the query too');
  const order = uid('rest');
  assert.equal(await pageFormPost(page, `${m}/payments/prepare?_token=${token}`,
    'application/x-www-form-urlencoded', [['merchant_uid', order], ['amount', '100']]), 'loaded');
  await pageFetch(page, `${m}/payments/prepare?_token=${token}`, { method: 'POST',
    mode: 'no-cors', body: new URLSearchParams({ merchant_uid: order, amount: '100' }) });
  assert.equal(await prepared(order), false, 'nothing registered');
  await context.close();
});

test('a page that learnt a window id cannot act in the window', async () => {
  const m = env.mock.base;
  // a merchant's window, opened as the SDK does
  const opened = await fetch(`${m}/checkout/open`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user_code: 'imp00000000', pg: 'kakaopay', merchant_uid: uid('win'),
      amount: 1000 }),
  }).then((res) => res.json());
  const { id, imp_uid: impUid } = opened.response;

  const { context, page } = await evilTab();
  // the checkout answers other origins (merchant pages need it), but not without the key
  for (const [what, body] of [['approve', { method: 'money' }], ['cancel', null], ['auto', null],
    ['done', null]]) {
    const r = await pageFetch(page, `${m}/checkout/session/${id}/${what}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.equal(r.status, 403, `${what}: ${JSON.stringify(r)}`);
    assert.equal(JSON.parse(r.text).code, -1);
  }
  const session = await pageFetch(page, `${m}/checkout/session/${id}`);
  assert.equal(session.status, 403, 'the window shows nothing either');
  assert.equal(await pageFormPost(page, `${m}/checkout/session/${id}/approve`,
    'application/x-www-form-urlencoded', [['method', 'money']]), 'loaded');
  assert.equal((await payment(env, impUid)).status, 'ready', 'still waiting for the buyer');
  await context.close();
});

test('a rebound DNS name reaches nothing', async () => {
  // after rebinding, rebind.test points at 127.0.0.1: the page is same-origin
  // with impmock as far as the browser knows, so only the Host tells
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const rebound = `http://rebind.test:${env.mock.port}`;
  const res = await page.goto(`${rebound}/__mock/requests`, { timeout: 15000 });
  assert.equal(res.status(), 421);
  assert.match(await page.textContent('body'), /--allowed-host/);
  const r = await pageFetch(page, `${rebound}/__mock/export?imp_key=imp_apikey`);
  assert.equal(r.status, 421);
  assert.ok(!r.text.includes('payments'), 'no state handed over');
  const reset = await pageFetch(page, `${rebound}/__mock/reset`, { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.equal(reset.status, 421);
  const token = await pageFetch(page, `${rebound}/users/getToken`, { method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ imp_key: 'imp_apikey', imp_secret: 'x' }) });
  assert.equal(token.status, 421);
  await context.close();
});

test('a merchant page on another site still completes a Kakao Pay payment', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://shop.test:${env.merchant.port}/pay.html`, { timeout: 15000 });
  await page.waitForFunction(() => window.IMP && window.IMP.__impmock, null, { timeout: 10000 });
  const params = { pg: 'kakaopay', pay_method: 'card', merchant_uid: uid('shop'),
    name: '무선 키보드', amount: 64000, buyer_name: '홍길동',
    notice_url: `${env.merchant.origin}/hook` };
  const paid = requestPay(page, params);
  const frame = await kakaoWindow(page);
  // the window took its key out of the address bar
  assert.equal(await frame.evaluate(() => location.hash), '');
  await frame.getByRole('radio', { name: /카카오머니/ }).check();
  await frame.getByRole('button', { name: 'Approve 결제하기' }).click();
  const rsp = await paid;
  assert.equal(rsp.success, true);
  assert.equal(rsp.merchant_uid, params.merchant_uid);
  assert.equal((await payment(env, rsp.imp_uid)).status, 'paid');
  // the SDK's last call (after the callback) carried the key too: the only
  // /done of this file that impmock took (the hostile page's were refused)
  await until(async () => {
    const j = await admin(env, 'GET', '/__mock/requests?path=/checkout/session/&method=POST');
    return j.json.find((e) => e.path.endsWith('/done') && e.status === 200);
  }, 'the SDK to tell impmock that the callback ran');
  assert.deepEqual(errors, []);
  await context.close();
});
