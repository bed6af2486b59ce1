// lifecycle.test.mjs - starting, attaching and stopping: a binary on a free
// port, an admin token, failures that must end in bounded time with
// impmock's own words, and (with IMPMOCK_IMAGE) a container image.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as nodeTest } from 'node:test';
import { ImpmockError, VERSION, attach, start } from '../index.mjs';
import { bin, packageDir, root } from './helpers.mjs';

const test = (name, opts, fn) => nodeTest(name, { timeout: 30000, ...opts }, fn);

function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impmock-node-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('the package version is impmock\'s (meson.build)', {}, async () => {
  const meson = fs.readFileSync(path.join(root, 'meson.build'), 'utf8');
  const m = /project\([^)]*?version\s*:\s*'([^']+)'/s.exec(meson);
  assert.ok(m, 'meson.build has a project version');
  const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  assert.equal(pkg.version, m[1]);
  assert.equal(VERSION, m[1]);
  const mock = await start({ bin });
  try {
    assert.equal((await mock.health()).version, m[1], 'the binary under test says so too');
  } finally {
    await mock.stop();
  }
});

test('start: a free loopback port, a log file, stop with exit code 0', {}, async (t) => {
  const logFile = path.join(tempDir(t), 'impmock.log');
  const mock = await start({ bin, logFile, args: ['--clock', '1704153600'] });
  assert.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(mock.port > 0);
  assert.ok(mock.pid > 0);
  assert.equal(mock.exitCode, null);
  assert.equal((await mock.clock.get()).now, 1704153600, 'args reach impmock');
  assert.equal(await mock.stop(), 0);
  assert.equal(await mock.stop(), 0, 'a second stop() answers the same');
  assert.equal(mock.exitCode, 0);
  await assert.rejects(mock.health(), (e) => e instanceof ImpmockError && e.status === null,
    'nothing listens there any more');
  assert.ok(fs.statSync(logFile).size > 0, 'impmock\'s output is kept in logFile');
});

test('start: two at once get two ports', {}, async () => {
  const [a, b] = await Promise.all([start({ bin }), start({ bin })]);
  try {
    assert.notEqual(a.port, b.port);
    await a.clock.set(1000);
    await b.clock.set(2000);
    assert.equal((await a.clock.get()).now, 1000);
    assert.equal((await b.clock.get()).now, 2000);
  } finally {
    assert.deepEqual(await Promise.all([a.stop(), b.stop()]), [0, 0]);
  }
});

test('attach: uses a running impmock and leaves it running', {}, async () => {
  const owner = await start({ bin });
  try {
    const guest = await attach(owner.url);
    assert.equal(guest.url, owner.url);
    assert.equal((await guest.health()).status, 'ok');
    const viaStart = await start({ url: `${owner.url}/` });
    assert.equal(viaStart.url, owner.url, 'a trailing slash is dropped');
    assert.equal(await guest.stop(), null);
    assert.equal(await viaStart.stop(), null);
    assert.equal((await owner.health()).status, 'ok', 'still running');
  } finally {
    assert.equal(await owner.stop(), 0);
  }
});

test('attach: nothing there is an error within the bound', {}, async () => {
  const t0 = Date.now();
  await assert.rejects(attach('http://127.0.0.1:9', { timeoutMs: 300 }),
    /did not answer \/__mock\/health within 300 ms/);
  assert.ok(Date.now() - t0 < 3000);
});

test('adminToken: sent on every call; a wrong one is 401', {}, async () => {
  const mock = await start({ bin, adminToken: 'tok-123' });
  try {
    assert.equal(mock.adminToken, 'tok-123');
    assert.equal((await mock.clock.freeze(true)).frozen, true);
    assert.deepEqual(await mock.scenarios.list(), []);
    const wrong = await attach(mock.url, { adminToken: 'nope' });
    await assert.rejects(wrong.clock.get(), (e) => e instanceof ImpmockError && e.status === 401);
    const none = await attach(mock.url, { adminToken: null });
    await assert.rejects(none.reset(), (e) => e.status === 401);
    assert.equal((await none.health()).status, 'ok', 'health needs no token');
  } finally {
    assert.equal(await mock.stop(), 0);
  }
});

test('start: a missing binary fails at once', {}, async () => {
  await assert.rejects(start({ bin: path.join(root, 'no-such-impmock') }),
    (e) => e instanceof ImpmockError && /cannot start: .*ENOENT/.test(e.message));
});

test('start: impmock refusing its options fails with its message', {}, async () => {
  await assert.rejects(start({ bin, args: ['--journal-size', 'many'] }), (e) => {
    assert.ok(e instanceof ImpmockError);
    assert.match(e.message, /exited during start-up \(\d+\)/);
    assert.match(e.message, /journal-size/, 'impmock\'s own words follow');
    return true;
  });
});

test('start: no port file within timeoutMs is an error, and the process is ended',
  {}, async (t) => {
    const dir = tempDir(t);
    const fake = path.join(dir, 'silent');
    const pidFile = path.join(dir, 'pid');
    fs.writeFileSync(fake, `#!/bin/sh\necho $$ > ${pidFile}\nexec sleep 30\n`, { mode: 0o755 });
    const t0 = Date.now();
    await assert.rejects(start({ bin: fake, timeoutMs: 400 }),
      /wrote no port file within 400 ms/);
    assert.ok(Date.now() - t0 < 3000, 'bounded');
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the child was killed');
  });

const image = process.env.IMPMOCK_IMAGE;
test('start: a container image, published on loopback', {
  skip: image ? false : 'set IMPMOCK_IMAGE (and IMPMOCK_ENGINE, _ENGINE_ARGS, _RUN_ARGS) to run',
  timeout: 180000,
}, async () => {
  const words = (v) => (v || '').split(/\s+/).filter(Boolean);
  const mock = await start({ image, engineArgs: words(process.env.IMPMOCK_ENGINE_ARGS),
    runArgs: words(process.env.IMPMOCK_RUN_ARGS), adminToken: 'img-tok',
    args: ['--clock', '1704153600'] });
  try {
    assert.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(mock.container);
    assert.equal((await mock.health()).version, VERSION);
    assert.deepEqual(await mock.clock.get(), { now: 1704153600, frozen: true });
    assert.match(await mock.token(), /^[0-9a-f]{40}$/);
    const bare = await attach(mock.url, { adminToken: null });
    await assert.rejects(bare.clock.get(), (e) => e.status === 401, 'the token reached it');
  } finally {
    assert.equal(await mock.stop(), 0);
  }
});
