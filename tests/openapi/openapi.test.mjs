// openapi.test.mjs - impmock's own API description against a running
// impmock: GET /__mock/openapi.json is a valid OpenAPI 3 document (checked by
// @apidevtools/swagger-parser, pinned in package-lock.json), it describes
// every route of the route table (GET /__mock/routes) and nothing else, and
// its control-API refusal codes are the ones impmock answers with.
// IMPMOCK_BIN names the binary; loopback and an ephemeral port only; every
// wait is bounded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';

const bin = process.env.IMPMOCK_BIN || 'build/impmock';
let dir;
let child;
let base;

async function waitForPort(file, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const port = parseInt(fs.readFileSync(file, 'utf8'), 10);
      if (port > 0) return port;
    } catch { /* not written yet */ }
    if (child.exitCode !== null) throw new Error(`impmock exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`impmock wrote no port file within ${ms} ms`);
}

async function get(p) {
  const res = await fetch(base + p, { signal: AbortSignal.timeout(10000) });
  return { status: res.status, headers: res.headers, json: await res.json() };
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impmock-openapi-'));
  const portFile = path.join(dir, 'port');
  child = spawn(bin, ['--port', '0', '--port-file', portFile, '--quiet'], { stdio: 'ignore' });
  base = `http://127.0.0.1:${await waitForPort(portFile, 10000)}`;
});

after(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('GET /__mock/openapi.json is a valid OpenAPI 3 document', async () => {
  const { status, json } = await get('/__mock/openapi.json');
  assert.equal(status, 200);
  assert.match(json.openapi, /^3\./);
  const health = await get('/__mock/health');
  assert.equal(json.info.version, health.json.version, 'the version is the build\'s');
  // validate() resolves every $ref and checks the document against the
  // OpenAPI 3.0 schema and its rules (unique operationIds, declared path
  // parameters); it changes the object, so it gets a copy
  await SwaggerParser.validate(structuredClone(json));
});

// swagger-parser checks these two rules for Swagger 2.0 only
test('path parameters are declared where they are used, operationIds are unique', async () => {
  const spec = (await get('/__mock/openapi.json')).json;
  const ids = new Set();
  for (const [p, item] of Object.entries(spec.paths)) {
    const inPath = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    for (const m of ['get', 'put', 'post', 'delete']) {
      const op = item[m];
      if (!op) continue;
      const declared = [...(item.parameters || []), ...(op.parameters || [])]
        .filter((q) => q.in === 'path');
      assert.deepEqual(declared.map((q) => q.name).sort(), inPath, `${m} ${p}: path parameters`);
      assert.ok(declared.every((q) => q.required === true), `${m} ${p}: path parameters are required`);
      assert.ok(op.operationId && !ids.has(op.operationId), `${m} ${p}: a unique operationId`);
      ids.add(op.operationId);
    }
  }
});

/* A description path with its {names} written as the route table's {}. */
const asPattern = (p) => p.replace(/\{[^}]+\}/g, '{}');

test('it describes every route of GET /__mock/routes, and nothing else', async () => {
  const spec = (await get('/__mock/openapi.json')).json;
  const routes = (await get('/__mock/routes')).json;
  const inTable = new Set(routes.map((r) => `${r.method} ${r.pattern}`));
  const described = new Set();
  for (const [p, item] of Object.entries(spec.paths)) {
    for (const m of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']) {
      if (item[m]) described.add(`${m.toUpperCase()} ${asPattern(p)}`);
    }
  }
  const missing = [...inTable].filter((r) => !described.has(r));
  const extra = [...described].filter((r) => !inTable.has(r));
  assert.deepEqual(missing, [], 'routes the description leaves out');
  assert.deepEqual(extra, [], 'operations impmock does not serve');
  assert.equal(described.size, routes.length);
});

test('each operation says who may call it, as the route table does', async () => {
  const spec = (await get('/__mock/openapi.json')).json;
  const routes = (await get('/__mock/routes')).json;
  for (const r of routes) {
    const p = Object.keys(spec.paths).find((k) => asPattern(k) === r.pattern);
    const op = spec.paths[p][r.method.toLowerCase()];
    const schemes = (op.security || []).flatMap((s) => Object.keys(s));
    const want = { token: 'token', admin: 'adminToken' }[r.auth];
    if (want) assert.ok(schemes.includes(want), `${r.method} ${r.pattern}: security names ${want}`);
    else assert.ok(!schemes.includes('token') && !schemes.includes('adminToken'),
      `${r.method} ${r.pattern}: needs no credentials`);
    assert.ok(op.summary, `${r.method} ${r.pattern}: a summary`);
  }
});

test("an i'mport operation's answers are the statuses the route table lists", async () => {
  const spec = (await get('/__mock/openapi.json')).json;
  const routes = (await get('/__mock/routes')).json;
  for (const r of routes.filter((x) => x.statuses)) {
    const p = Object.keys(spec.paths).find((k) => asPattern(k) === r.pattern);
    const described = Object.keys(spec.paths[p][r.method.toLowerCase()].responses).map(Number).sort();
    const listed = [...new Set([...r.statuses, ...(r.auth === 'token' ? [401] : [])])].sort();
    assert.deepEqual(described, listed, `${r.method} ${r.pattern}`);
  }
});

test('control-API refusals have the described shape and a described code', async () => {
  const spec = (await get('/__mock/openapi.json')).json;
  const shape = spec.components.schemas.ControlError;
  const refusals = [
    await fetch(`${base}/__mock/clock`, { method: 'PATCH' }),
    await fetch(`${base}/__mock/requests?limit=x`),
    await fetch(`${base}/__mock/requests?since=x`),
    await fetch(`${base}/__mock/webhooks/trigger`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"imp_uid":"imp_none"}',
    }),
  ];
  for (const res of refusals) {
    const body = await res.json();
    assert.ok(res.status >= 400, `${res.url}: a refusal`);
    assert.deepEqual(Object.keys(body).sort(), [...shape.required].sort(), JSON.stringify(body));
    assert.ok(shape.properties.code.enum.includes(body.code), `${body.code} is described`);
  }
  assert.equal(refusals[0].headers.get('allow'), 'GET, HEAD, POST');
});

test('the docs page is served', async () => {
  const res = await fetch(`${base}/__mock/docs`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.match(await res.text(), /\/__mock\/docs\/docs\.js/);
  const js = await fetch(`${base}/__mock/docs/docs.js`);
  assert.equal(js.status, 200);
});
