// control.test.mjs - every control-API method against a real impmock
// (IMPMOCK_BIN, default build/impmock), one server for the file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test as nodeTest } from 'node:test';
import { ImpmockError, start } from '../index.mjs';
import { bin, charge, receiver, rest, root, until } from './helpers.mjs';

const test = (name, fn) => nodeTest(name, { timeout: 30000 }, fn);
const T0 = 1704153600; // 2024-01-02 00:00 KST

let mock;
let hook;
let n = 0;
const uid = (what) => `node_${what}_${process.pid}_${++n}`;

before(async () => {
  mock = await start({ bin, args: ['--seed', '7', '--clock', String(T0)] });
  hook = await receiver();
});
after(async () => {
  await hook?.close();
  assert.equal(await mock?.stop(), 0, 'impmock exits cleanly');
});

/* Whether the running impmock serves METHOD PATTERN (newer control-API
 * routes: the tests of their methods skip on an impmock without them). */
async function serves(method, pattern) {
  return (await mock.routes()).some((r) => r.method === method && r.pattern === pattern);
}

test('clock: get, set, advance, freeze', async () => {
  assert.deepEqual(await mock.clock.get(), { now: T0, frozen: true });
  assert.deepEqual(await mock.clock.set(T0 + 100), { now: T0 + 100, frozen: true });
  assert.deepEqual(await mock.clock.advance(50), { now: T0 + 150, frozen: true });
  assert.deepEqual(await mock.clock.advance(-150), { now: T0, frozen: true });
  const running = await mock.clock.freeze(false);
  assert.equal(running.frozen, false);
  const frozen = await mock.clock.freeze();
  assert.equal(frozen.frozen, true);
  await mock.clock.set(T0);
});

test('clock: a bad value is an ImpmockError with status and message', async () => {
  await assert.rejects(mock.clock.advance('soon'), (e) => {
    assert.ok(e instanceof ImpmockError);
    assert.equal(e.status, 400);
    assert.match(e.message, /^POST \/__mock\/clock: HTTP 400: .*advance/);
    return true;
  });
});

test('token: the default merchant, a given pair, a refused pair', async () => {
  const t = await mock.token();
  assert.match(t, /^[0-9a-f]{40}$/);
  const payments = await fetch(`${mock.url}/payments/imp_000000000000`,
    { headers: { Authorization: t } });
  assert.equal(payments.status, 404, 'the token is accepted (the payment is unknown)');
  await assert.rejects(mock.token({ imp_key: 'imp_apikey', imp_secret: 'wrong' }),
    (e) => e instanceof ImpmockError && e.status === 401);
});

test('requests: since a cursor, filters, oldest first', async () => {
  const token = await mock.token();
  const since = await mock.cursor();
  assert.ok(Number.isInteger(since) && since > 0, 'getToken is in the journal');
  const mu = uid('order');
  await charge(mock, token, { customer_uid: uid('cust'), merchant_uid: mu });
  await rest(mock, token, 'GET', `/payments/find/${mu}`);

  const mine = await mock.requests({ since });
  assert.deepEqual(mine.map((e) => e.method), ['POST', 'POST', 'GET']);
  assert.ok(mine.every((e) => e.seq > since));
  assert.ok(mine[0].seq < mine[1].seq && mine[1].seq < mine[2].seq, 'oldest first');
  assert.equal(mine[1].path, '/subscribe/payments/again');
  assert.equal(mine[1].request_body.merchant_uid, mu);
  assert.equal(mine[1].response_body.response.status, 'paid');
  assert.equal(mine[0].request_body.card_number.includes('4242-4242-4242-4242'), false,
    'the card number is masked');

  const gets = await mock.requests({ since, method: 'GET' });
  assert.deepEqual(gets.map((e) => e.path), [`/payments/find/${mu}`]);
  const byPath = await mock.requests({ since, path: '/subscribe/' });
  assert.equal(byPath.length, 2);
  const last = await mock.requests({ limit: 1 });
  assert.equal(last.length, 1);
  assert.equal(last[0].seq, mine[2].seq);
  assert.equal(await mock.cursor(), mine[2].seq);
  assert.deepEqual(await mock.requests({ since: mine[2].seq }), []);
});

test('requests: the server filters by since itself', async (t) => {
  if (!(await serves('DELETE', '/__mock/requests'))) {
    t.skip('this impmock has no ?since= (nor DELETE /__mock/requests) yet');
    return;
  }
  const since = await mock.cursor();
  await mock.token();
  await mock.token();
  const raw = await mock._call('GET', `/__mock/requests?since=${since}`);
  assert.equal(raw.length, 2);
  assert.ok(raw.every((e) => e.seq > since));
});

test('clearRequests: empties the journal', async (t) => {
  if (!(await serves('DELETE', '/__mock/requests'))) {
    t.skip('this impmock has no DELETE /__mock/requests yet');
    return;
  }
  await mock.token();
  assert.ok((await mock.requests()).length > 0);
  await mock.clearRequests();
  assert.deepEqual(await mock.requests(), []);
});

test('reset: every tenant, one tenant, an unknown one', async () => {
  const token = await mock.token();
  const mu = uid('order');
  const paid = await charge(mock, token, { customer_uid: uid('cust'), merchant_uid: mu });
  assert.deepEqual(await mock.reset({ imp_key: 'imp_apikey' }), { reset: true, scope: 'tenant' });
  const again = await mock.token();
  const gone = await fetch(`${mock.url}/payments/${paid.imp_uid}`,
    { headers: { Authorization: again } });
  assert.equal(gone.status, 404, 'the tenant was emptied');
  assert.deepEqual(await mock.reset(), { reset: true, scope: 'all' });
  assert.deepEqual(await mock.requests(), [], 'a full reset empties the journal');
  await assert.rejects(mock.reset({ imp_key: 'nobody' }),
    (e) => e instanceof ImpmockError && e.status === 404);
});

test('scenarios: load an object and a file, list, remove, clear', async () => {
  await mock.scenarios.clear();
  const decline = {
    name: 'node-decline',
    description: 'every charge declined',
    rules: [{ when: { op: 'charge' }, then: { decline: '[F302]잔액부족' } }],
  };
  const listed = await mock.scenarios.load(decline, { imp_key: 'imp_apikey' });
  assert.deepEqual(listed.map((s) => s.name), ['node-decline']);
  const token = await mock.token();
  const declined = await charge(mock, token, { customer_uid: uid('cust'), merchant_uid: uid('o') });
  assert.equal(declined.status, 'failed');
  assert.equal(declined.fail_reason, '[F302]잔액부족');

  const off = await mock.scenarios.enable('node-decline', false);
  assert.equal(off.find((s) => s.name === 'node-decline').enabled, false);
  const paid = await charge(mock, token, { customer_uid: uid('cust'), merchant_uid: uid('o') });
  assert.equal(paid.status, 'paid', 'a switched-off scenario does nothing');
  await mock.scenarios.enable('node-decline');
  const again = await charge(mock, token, { customer_uid: uid('cust'), merchant_uid: uid('o') });
  assert.equal(again.status, 'failed', 'switched on again');
  await assert.rejects(mock.scenarios.enable('nobody', false),
    (e) => e instanceof ImpmockError && e.status === 404);

  await mock.scenarios.load(path.join(root, 'scenarios', 'pg-timeout.json'));
  const names = (await mock.scenarios.list()).map((s) => s.name).sort();
  assert.deepEqual(names, ['node-decline', 'pg-timeout']);
  const rule = (await mock.scenarios.list()).find((s) => s.name === 'node-decline');
  assert.ok(JSON.stringify(rule).includes('"hits":2'), JSON.stringify(rule));

  assert.deepEqual((await mock.scenarios.remove('node-decline')).map((s) => s.name),
    ['pg-timeout']);
  await assert.rejects(mock.scenarios.remove('node-decline'),
    (e) => e instanceof ImpmockError && e.status === 404);
  assert.deepEqual(await mock.scenarios.clear(), []);
});

test('scenarios: a bad one is refused with impmock\'s message', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impmock-node-'));
  const file = path.join(dir, 'bad.json');
  fs.writeFileSync(file, '{"name":"bad","description":"x","rules":[{"when":{},"then":{"delay_ms":-1}}]}');
  try {
    await assert.rejects(mock.scenarios.load(file), (e) => {
      assert.equal(e.status, 400);
      assert.match(e.message, /delay_ms/);
      return true;
    });
    await assert.rejects(() => mock.scenarios.load(path.join(dir, 'missing.json')),
      { code: 'ENOENT' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(await mock.scenarios.list(), [], 'nothing was loaded');
});

test('webhooks: list with filters, resend', async () => {
  const token = await mock.token();
  const mu = uid('order');
  const paid = await charge(mock, token,
    { customer_uid: uid('cust'), merchant_uid: mu, notice_url: hook.url });
  const [first] = await until(async () => {
    const l = await mock.webhooks({ merchant_uid: mu });
    return l.length === 1 && l[0].status !== null ? l : null;
  }, 'the paid notice');
  assert.equal(first.kind, 'delivery');
  assert.equal(first.status, 200);
  assert.equal(first.url, hook.url);
  assert.deepEqual(first.body, { imp_uid: paid.imp_uid, merchant_uid: mu, status: 'paid' });
  assert.deepEqual(await mock.webhooks({ merchant_uid: uid('none') }), []);

  assert.deepEqual(await mock.resendWebhook(first.id), { resent: true, id: first.id });
  const both = await until(async () => {
    const l = await mock.webhooks({ merchant_uid: mu });
    return l.length === 2 && l[1].status !== null ? l : null;
  }, 'the resent notice');
  assert.equal(both[1].kind, 'resend');
  assert.equal(hook.hooks.filter((h) => h.body.includes(mu)).length, 2);
  await assert.rejects(mock.resendWebhook(999999),
    (e) => e instanceof ImpmockError && e.status === 404);
});

test('triggerWebhook: the notice of an existing payment again', async (t) => {
  if (!(await serves('POST', '/__mock/webhooks/trigger'))) {
    t.skip('this impmock has no POST /__mock/webhooks/trigger yet');
    return;
  }
  const token = await mock.token();
  const mu = uid('order');
  const paid = await charge(mock, token, { customer_uid: uid('cust'), merchant_uid: mu,
    notice_url: hook.url });
  // the charge's own notice first: counted before it came, it would pass
  // for the triggered one, or both would land between two looks
  await until(() => hook.hooks.some((h) => h.body.includes(mu)), "the charge's own notice");
  const before = hook.hooks.filter((h) => h.body.includes(mu)).length;
  await mock.triggerWebhook(paid.imp_uid);
  await until(() => hook.hooks.filter((h) => h.body.includes(mu)).length === before + 1,
    'the triggered notice');
  await mock.triggerWebhook(paid.imp_uid, 'cancelled');
  await until(() => hook.hooks.some((h) => h.body.includes(mu) && h.body.includes('cancelled')),
    'the triggered cancelled notice');
  await assert.rejects(mock.triggerWebhook('imp_000000000000'),
    (e) => e instanceof ImpmockError && e.status === 404);
});

test('deposit: pays a virtual account; refusals carry their code', async () => {
  const token = await mock.token();
  const mu = uid('vbank');
  const now = (await mock.clock.get()).now;
  const vb = await rest(mock, token, 'POST', '/vbanks', {
    merchant_uid: mu, amount: 39000, vbank_code: '088', vbank_due: now + 86400,
    vbank_holder: '임포트상점', name: '주문', buyer_name: '홍길동',
  });
  assert.equal(vb.status, 'ready');
  await assert.rejects(mock.deposit(vb.imp_uid, { amount: 100 }), (e) => {
    assert.equal(e.status, 409);
    assert.equal(e.code, 'VBANK_DEPOSIT_AMOUNT');
    return true;
  });
  const paid = await mock.deposit(vb.imp_uid, { imp_key: 'imp_apikey' });
  assert.equal(paid.status, 'paid');
  assert.equal(paid.amount, 39000);
  await assert.rejects(mock.deposit(vb.imp_uid), (e) => e.code === 'VBANK_NOT_READY');
  await assert.rejects(mock.deposit('imp_000000000000'), (e) => e.status === 404);
});

test('exportState and importState: a tenant round trip', async () => {
  const token = await mock.token();
  const mu = uid('order');
  await charge(mock, token, { customer_uid: uid('cust'), merchant_uid: mu });
  const state = await mock.exportState({ imp_key: 'imp_apikey' });
  assert.ok(JSON.stringify(state).includes(mu));
  await mock.reset();
  assert.deepEqual(await mock.importState(state, { imp_key: 'imp_apikey' }), { imported: true });
  const found = await rest(mock, await mock.token(), 'GET', `/payments/find/${mu}`);
  assert.equal(found.status, 'paid');
});

test('routes and health', async () => {
  const routes = await mock.routes();
  assert.ok(routes.some((r) => r.pattern === '/__mock/health' && r.auth === 'none'));
  const h = await mock.health();
  assert.equal(h.status, 'ok');
  assert.equal(h.now, (await mock.clock.get()).now);
});
