// wire.test.mjs - what the client puts on the wire, against a stub server
// that records each request: the control API's guard headers, the admin
// token, query strings, and bodies of the calls an older impmock lacks
// (triggerWebhook, clearRequests, requests({since})).
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { ImpmockError, attach } from '../index.mjs';

let server;
let seen = [];
let answer = () => [200, {}];
let mock;

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const url = new URL(req.url, 'http://x');
      const entry = { method: req.method, path: url.pathname, query: url.search,
        headers: req.headers, body };
      if (url.pathname !== '/__mock/health') seen.push(entry);
      const [status, json] = url.pathname === '/__mock/health'
        ? [200, { status: 'ok', version: 'stub', now: 0 }] : answer(entry);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(typeof json === 'string' ? json : JSON.stringify(json));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  mock = await attach(`http://127.0.0.1:${server.address().port}`, { adminToken: 'T1' });
});
after(() => new Promise((r) => { server.close(r); server.closeAllConnections(); }));

async function one(call) {
  seen = [];
  await call();
  assert.equal(seen.length, 1);
  return seen[0];
}

test('every change carries X-Impmock, bodies are JSON, the token goes along', async () => {
  const r = await one(() => mock.clock.advance(60));
  assert.equal(r.method, 'POST');
  assert.equal(r.path, '/__mock/clock');
  assert.equal(r.headers['x-impmock'], '1');
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal(r.headers['x-admin-token'], 'T1');
  assert.deepEqual(JSON.parse(r.body), { advance: 60 });

  const g = await one(() => mock.webhooks({ merchant_uid: 'a b', limit: 2, status: undefined }));
  assert.equal(g.method, 'GET');
  assert.equal(g.headers['x-impmock'], undefined, 'reads need no guard header');
  assert.equal(g.headers['x-admin-token'], 'T1');
  assert.equal(g.query, '?merchant_uid=a+b&limit=2');

  const d = await one(() => mock.scenarios.remove('x&y'));
  assert.equal(d.method, 'DELETE');
  assert.equal(d.query, '?name=x%26y');
  assert.equal(d.headers['x-impmock'], '1');
});

test('triggerWebhook: POST /__mock/webhooks/trigger {imp_uid, status?}', async () => {
  answer = () => [200, { triggered: true }];
  const a = await one(() => mock.triggerWebhook('imp_1'));
  assert.equal(a.method, 'POST');
  assert.equal(a.path, '/__mock/webhooks/trigger');
  assert.deepEqual(JSON.parse(a.body), { imp_uid: 'imp_1' });
  const b = await one(() => mock.triggerWebhook('imp_1', 'cancelled'));
  assert.deepEqual(JSON.parse(b.body), { imp_uid: 'imp_1', status: 'cancelled' });
  assert.equal(b.headers['content-type'], 'application/json');
});

test('clearRequests: DELETE /__mock/requests', async () => {
  answer = () => [200, { cleared: 3 }];
  const r = await one(() => mock.clearRequests());
  assert.equal(r.method, 'DELETE');
  assert.equal(r.path, '/__mock/requests');
  assert.equal(r.query, '');
  assert.equal(r.headers['x-impmock'], '1');
});

test('requests({since}) asks the server and keeps only later entries', async () => {
  // an impmock that ignores ?since= answers every entry
  answer = () => [200, [{ seq: 4 }, { seq: 5 }, { seq: 6 }, { seq: 7 }]];
  seen = [];
  const got = await mock.requests({ since: 5, method: 'GET', imp_key: 'k' });
  assert.equal(seen[0].query, '?since=5&method=GET&imp_key=k');
  assert.deepEqual(got, [{ seq: 6 }, { seq: 7 }]);
  assert.equal((await mock.requests()).length, 4, 'no since: everything');
  assert.equal(await mock.cursor(), 7);
  assert.equal(seen.at(-1).query, '?limit=1');
});

test('deposit: amount only when given, imp_key in the query', async () => {
  answer = () => [200, { status: 'paid' }];
  const a = await one(() => mock.deposit('imp_9'));
  assert.equal(a.path, '/__mock/vbanks/imp_9/deposit');
  assert.deepEqual(JSON.parse(a.body), {});
  const b = await one(() => mock.deposit('imp_9', { amount: 5, imp_key: 'k' }));
  assert.equal(b.query, '?imp_key=k');
  assert.deepEqual(JSON.parse(b.body), { amount: 5 });
});

test('errors: JSON {error, code} and plain text both become ImpmockError', async () => {
  answer = () => [409, { error: 'too late', code: 'VBANK_EXPIRED' }];
  await assert.rejects(mock.deposit('imp_9'), (e) => {
    assert.ok(e instanceof ImpmockError);
    assert.equal(e.status, 409);
    assert.equal(e.code, 'VBANK_EXPIRED');
    assert.deepEqual(e.body, { error: 'too late', code: 'VBANK_EXPIRED' });
    assert.equal(e.message, 'POST /__mock/vbanks/imp_9/deposit: HTTP 409: too late');
    return true;
  });
  answer = () => [502, 'bad gateway'];
  await assert.rejects(mock.routes(), (e) => e.status === 502 && /bad gateway/.test(e.message));
});
