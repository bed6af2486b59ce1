// contract.test.mjs - impmock against the official V1 Swagger. Calls every
// operation (the 76 of the Swagger and the legacy ones official clients
// still call), successes and refusals (cases.mjs), on a real impmock, and
// holds each answer to the Swagger: its HTTP status must be one the
// operation lists, and its body must validate against the operation's
// response schema (a success) or be the refusal envelope (code != 0,
// a message, response null). The Swagger's known defects are named
// exceptions in swagger.mjs, each checked to be still there.
//
//   IMPMOCK_BIN=build/impmock node --test tests/contract/
//
// The Swagger is read at run time (IMPMOCK_OPENAPI, else
// shared/reference/iamport-v1-openapi.json beside the repository).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES, FIXTURES, NOT_EMULATED } from './cases.mjs';
import { IMP_KEY, IMP_SECRET, call, start, stop } from './harness.mjs';
import { EXCEPTIONS, REFUSAL, loadSwagger, operations, shape, swaggerPath, undefinedRequired,
  validator } from './swagger.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const doc = loadSwagger(swaggerPath(root));
const ops = operations(doc);
const byKey = new Map(ops.map((o) => [o.key, o]));
const ajv = validator(doc);
const isRefusal = ajv.compile(REFUSAL);
const validators = new Map();

/* The statuses an operation may answer with: the Swagger's, 401 wherever
 * a token is needed, and the documented 404 of an unknown pre-registration. */
function listed(op) {
  const s = new Set(op.statuses);
  if (op.auth) s.add(401); // exception: 401 on every authenticated operation
  if (op.key === 'GET /payments/prepare/{merchant_uid}') s.add(404); // exception (§3.8)
  return s;
}

function schemaFor(op, status) {
  const key = `${op.key} ${status}`;
  if (!validators.has(key)) {
    const schema = op.schemas[status];
    validators.set(key, schema ? ajv.compile(schema) : null);
  }
  return validators.get(key);
}

const errorsOf = (v) => ajv.errorsText(v.errors, { separator: '; ' });

/* Holds one answer to the contract. */
function holds(op, res, c) {
  const body = res.text.length > 400 ? `${res.text.slice(0, 400)}…` : res.text;
  assert.ok(res.json && typeof res.json === 'object', `not a JSON object: ${body}`);
  assert.ok(listed(op).has(res.status),
    `HTTP ${res.status} is not a status ${op.key} lists (${[...listed(op)].join(', ')}): ${body}`);
  if (c.status !== undefined) assert.equal(res.status, c.status, `HTTP status: ${body}`);
  const { code } = res.json;
  assert.ok(Number.isInteger(code), `code is not an integer: ${body}`);
  if (c.ok) {
    assert.equal(code, 0, `wanted a success: ${body}`);
    assert.ok(res.json.response !== null && res.json.response !== undefined,
      `a success without a response: ${body}`);
    const v = schemaFor(op, res.status);
    assert.ok(v, `the Swagger has no schema for ${op.key} ${res.status}`);
    assert.ok(v(res.json), `${op.key} ${res.status}: ${errorsOf(v)}: ${body}`);
  } else {
    assert.notEqual(code, 0, `wanted a refusal: ${body}`);
    assert.ok(isRefusal(res.json), `not the refusal envelope: ${errorsOf(isRefusal)}: ${body}`);
  }
  if (c.check) {
    const verdict = c.check(res.json);
    assert.ok(verdict === true, `${verdict}: ${body}`);
  }
}

let mock;
let token;
const ctx = {};

before(async () => {
  mock = await start(root, FIXTURES);
  const res = await call(mock, 'POST', '/users/getToken',
    { body: { imp_key: IMP_KEY, imp_secret: IMP_SECRET } });
  token = res.json?.response?.access_token;
  assert.ok(token, `getToken: ${res.status} ${res.text}`);
});

after(async () => {
  await stop(mock);
});

test('the Swagger has 76 operations, and 4 legacy ones are added', () => {
  assert.equal(ops.filter((o) => !o.legacy).length, 76);
  assert.equal(ops.filter((o) => o.legacy).length, 4);
});

test('every named exception is still a defect of the Swagger', () => {
  for (const e of EXCEPTIONS) assert.ok(e.holds(doc), `no longer needed: ${e.name}`);
  const named = ['BenepiaPointAnnotation bank_holder', 'PaymentPrepareAnnotation next',
    'PaymentPrepareAnnotation previous', 'PaymentPrepareAnnotation total',
    'SucceededChannelAnnotation update', 'VbankDepositAnnotation reason'];
  const found = undefinedRequired(doc).map(([d, p]) => `${d} ${p}`).sort();
  assert.deepEqual(found, named, 'required names without a property changed');
});

test('every operation has a success and a refusal, or refusals only where not emulated', () => {
  for (const op of ops) {
    const mine = CASES.filter((c) => c.op === op.key);
    // the lists that take nothing but a token refuse only a bad token (the 401 cases below)
    const tokenOnly = ['GET /cards', 'GET /banks', 'GET /users/pg'].includes(op.key);
    assert.ok(tokenOnly || mine.some((c) => !c.ok), `${op.key}: no refusal`);
    if (NOT_EMULATED.includes(op.key))
      assert.ok(!mine.some((c) => c.ok), `${op.key} is not emulated, yet succeeds`);
    else
      assert.ok(mine.some((c) => c.ok), `${op.key}: no success`);
  }
  for (const c of CASES) assert.ok(byKey.has(c.op), `not an operation: ${c.op}`);
});

test('GET /__mock/routes lists the statuses the Swagger lists', async () => {
  const res = await call(mock, 'GET', '/__mock/routes', { headers: { 'X-Impmock': '1' } });
  assert.equal(res.status, 200, res.text);
  for (const op of ops) {
    const row = res.json.find((r) => r.method === op.method && r.pattern === shape(op.path));
    assert.ok(row, `${op.key} is not routed`);
    assert.deepEqual(row.statuses, [...listed(op)].sort((a, b) => a - b), op.key);
  }
});

for (const op of ops.filter((o) => o.auth)) {
  test(`${op.key}: 401 without a token`, async () => {
    const target = op.path.replace(/\{[^}]*\}/g, 'x');
    const body = op.method === 'GET' || op.method === 'DELETE' ? undefined : {};
    const res = await call(mock, op.method, target, { body });
    holds(op, res, { ok: false, status: 401 });
  });
}

CASES.forEach((c, i) => {
  const shown = typeof c.target === 'string' ? c.target.slice(0, 80) : '(an id made earlier)';
  test(`${String(i + 1).padStart(3, '0')} ${c.op}: ${c.ok ? 'succeeds' : 'refuses'} ${shown}`,
    async () => {
      const op = byKey.get(c.op);
      assert.ok(op, `not an operation: ${c.op}`);
      const target = typeof c.target === 'function' ? c.target(ctx) : c.target;
      const res = await call(mock, op.method, target,
        { body: c.body, token: c.token === null ? undefined : token });
      holds(op, res, c);
      if (c.save) c.save(res.json, ctx);
    });
});
