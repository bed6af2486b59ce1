// clients.test.mjs - each published Node client of i'mport, as pinned in
// package-lock.json, against a real impmock: a token, a payment lookup, a
// billing-key charge, a partial cancel and an unknown payment, first over
// plain HTTP with the client's base-URL option (the README's snippet), then
// over HTTPS with the client left at its default https://api.iamport.kr
// (route-to-impmock.cjs and NODE_EXTRA_CA_CERTS, as the README's recipe),
// and once more over HTTPS without trusting impmock's CA, which must fail.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { journal, reset, routeFile, runFlow, start, stop } from './harness.mjs';

const NOT_FOUND = '존재하지 않는 결제정보입니다.';

/* How each client hands back the 404 of an unknown imp_uid. */
const clients = {
  iamport: {
    missing: (m) => assert.equal(m.code, 'HTTP_404', JSON.stringify(m)),
  },
  iamporter: {
    // a 404 resolves: { status, message, data, raw }
    missing: (m) => {
      assert.equal(m.value?.status, 404, JSON.stringify(m));
      assert.equal(m.value.message, NOT_FOUND);
      assert.equal(m.value.raw.code, -1);
    },
  },
  'rest-client-nodejs': {
    missing: (m) => {
      assert.equal(m.status, 404, JSON.stringify(m));
      assert.equal(m.api_code, -1);
      assert.equal(m.api_message, NOT_FOUND);
    },
  },
};
const transports = ['http', 'https'];

let mock;
const runs = {}; // `${client} ${transport}` -> { results, journal }
const untrusted = {}; // client -> results over HTTPS without the CA

before(async () => {
  mock = await start();
  for (const name of Object.keys(clients)) {
    for (const transport of transports) {
      await reset(mock);
      const results = await runFlow(mock, name, transport);
      runs[`${name} ${transport}`] = { results, journal: await journal(mock) };
    }
    await reset(mock);
    untrusted[name] = await runFlow(mock, name, 'https', { trustCa: false });
  }
});

after(() => stop(mock));

/* The value of a call that must have succeeded. */
function value(call) {
  assert.ok(call && 'value' in call, `the call failed: ${JSON.stringify(call)}`);
  return call.value;
}

for (const [name, client] of Object.entries(clients)) {
  for (const transport of transports) {
    const label = `${name} over ${transport === 'http' ? 'HTTP (base URL option)' : 'HTTPS as api.iamport.kr'}`;
    const get = () => runs[`${name} ${transport}`];

    test(`${label}: getToken gives a 40-hex access token`, () => {
      const { results, journal: j } = get();
      assert.match(String(results.token), /^[0-9a-f]{40}$/, JSON.stringify(results.token));
      const tokens = j.filter((e) => e.path === '/users/getToken');
      assert.ok(tokens.length >= 1, 'no getToken reached impmock');
      for (const e of tokens) {
        assert.equal(e.status, 200);
        assert.equal(e.response_body.code, 0);
      }
    });

    test(`${label}: a payment lookup answers imp_100000000002 paid 15000`, () => {
      const p = value(get().results.lookup);
      assert.equal(p.imp_uid, 'imp_100000000002');
      assert.equal(p.merchant_uid, 'order_0001');
      assert.equal(p.status, 'paid');
      assert.equal(p.amount, 15000);
    });

    test(`${label}: a billing-key charge (again) on cust_0001 is paid`, () => {
      const p = value(get().results.charge);
      assert.equal(p.merchant_uid, 'sdk_charge_1');
      assert.equal(p.customer_uid, 'cust_0001');
      assert.equal(p.status, 'paid');
      assert.equal(p.amount, 9900);
      assert.equal(p.card_number, '424242******4242');
    });

    test(`${label}: a partial cancel of 4900 leaves it paid with cancel_amount 4900`, () => {
      const charged = value(get().results.charge);
      const p = value(get().results.cancel);
      assert.equal(p.imp_uid, charged.imp_uid);
      assert.equal(p.status, 'paid');
      assert.equal(p.cancel_amount, 4900);
      assert.equal(p.cancel_history.length, 1);
    });

    test(`${label}: an unknown imp_uid comes back as the client reports a 404`, () => {
      client.missing(get().results.missing);
    });

    test(`${label}: impmock's journal holds each call, answered as the client saw`, () => {
      const j = get().journal;
      const seen = (method, path) => j.find((e) => e.method === method && e.path === path);
      assert.equal(seen('GET', '/payments/imp_100000000002')?.status, 200);
      assert.equal(seen('POST', '/subscribe/payments/again')?.status, 200);
      const cancel = seen('POST', '/payments/cancel');
      assert.equal(cancel?.status, 200);
      assert.equal(cancel.request_body.amount, 4900);
      assert.equal(seen('GET', '/payments/imp_999999999999')?.status, 404);
    });
  }

  test(`${name} over HTTPS without impmock's CA: the certificate is refused`, () => {
    const r = untrusted[name];
    assert.notEqual(typeof r.token, 'string', 'got a token from an untrusted server');
    assert.ok(!('value' in r.lookup), JSON.stringify(r.lookup));
    // iamporter reports only its own generic message; the others name the cause
    if (name !== 'iamporter') assert.equal(r.lookup.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });
}

test('route-to-impmock.cjs: api.iamport.kr resolves to impmock only, so nothing reaches the live API', () => {
  const lookups = execFileSync(process.execPath, ['--require', routeFile, '-e', `
    const dns = require('node:dns');
    const all = (name) => new Promise((r) => dns.lookup(name, { all: true }, (e, a) => r(e ? e.code : a)));
    const one = (name) => new Promise((r) => dns.lookup(name, (e, a, f) => r(e ? e.code : [a, f])));
    Promise.all([all('api.iamport.kr'), one('API.iamport.kr.'), one('localhost')])
      .then((r) => process.stdout.write(JSON.stringify(r)));`],
  { env: { PATH: process.env.PATH, IMPMOCK_TLS_ADDR: '127.0.0.1:9' }, timeout: 10000 });
  const [all, one, other] = JSON.parse(lookups);
  assert.deepEqual(all, [{ address: '127.0.0.1', family: 4 }]);
  assert.deepEqual(one, ['127.0.0.1', 4]);
  assert.equal(typeof other[0], 'string'); // other names still resolve as before
});
