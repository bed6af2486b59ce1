// helpers.mjs - what the tests share: where the binary is, the REST calls
// that make payments to look at, and a webhook receiver on loopback.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const packageDir = path.resolve(here, '..');
export const root = path.resolve(packageDir, '..', '..');
export const bin = path.resolve(root, process.env.IMPMOCK_BIN || 'build/impmock');

if (!fs.existsSync(bin)) throw new Error(`no impmock binary at ${bin} (set IMPMOCK_BIN)`);

/* A REST call with a token; the envelope's response, or a throw. */
export async function rest(mock, token, method, p, body) {
  const res = await fetch(`${mock.url}${p}`, {
    method,
    headers: { Authorization: token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  const json = await res.json();
  if (json.code !== 0) throw new Error(`${method} ${p}: ${JSON.stringify(json)}`);
  return json.response;
}

/* A billing key on the card that always approves, then one charge. */
export async function charge(mock, token, { customer_uid, merchant_uid, notice_url, amount = 9900 }) {
  await rest(mock, token, 'POST', `/subscribe/customers/${customer_uid}`,
    { card_number: '4242-4242-4242-4242', expiry: '2030-12', birth: '900101', pwd_2digit: '00' });
  return rest(mock, token, 'POST', '/subscribe/payments/again',
    { customer_uid, merchant_uid, amount, name: 'plan', notice_url });
}

/* Records every POST it gets; answers 200. */
export async function receiver() {
  const hooks = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      hooks.push({ path: req.url, body });
      res.writeHead(200);
      res.end('OK');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    hooks,
    url: `http://127.0.0.1:${server.address().port}/hook`,
    close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }),
  };
}

/* Polls fn until it returns a truthy value; throws after timeoutMs. */
export async function until(fn, what, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
