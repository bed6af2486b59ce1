'use strict';
// impmock for tests: start impmock (a binary or a container image) on a free
// loopback port, or attach to one that runs, and steer it through its control
// API under /__mock/. Node 20's own modules and fetch only. Every wait is
// bounded; stop() ends only what start() began.
const { execFile, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const VERSION = require('./package.json').version;

/* The default fixtures' merchant (fixtures/default.json): token() uses it
 * when no key pair is given. */
const DEFAULT_IMP_KEY = 'imp_apikey';
const DEFAULT_IMP_SECRET =
  'ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f';

const CONTAINER_PORT = 8080; // the image's IMPMOCK_PORT

/* An answer other than 2xx from impmock, or a refusal in the i'mport
 * envelope (token()). status is the HTTP status, body the parsed answer,
 * code its "code" field when it has one. */
class ImpmockError extends Error {
  constructor(message, { status = null, body = null } = {}) {
    super(message);
    this.name = 'ImpmockError';
    this.status = status;
    this.body = body;
    this.code = body && typeof body === 'object' && 'code' in body ? body.code : null;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/* Query parameters without the unset ones. */
function queryString(params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null) q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/* The last lines of a log file, for an error message. */
function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/* Runs a container engine command; resolves with its trimmed stdout. */
function engineRun(engine, args, timeoutMs, env = process.env) {
  return new Promise((resolve, reject) => {
    execFile(engine, args, { timeout: timeoutMs, env, maxBuffer: 4 << 20 },
      (err, stdout, stderr) => {
        if (err) {
          err.message = `${engine} ${args.join(' ')}: ${stderr.trim() || err.message}`;
          reject(err);
        } else {
          resolve(stdout.trim());
        }
      });
  });
}

/* The engine's first command on PATH: docker, else podman. */
function defaultEngine() {
  if (process.env.IMPMOCK_ENGINE) return process.env.IMPMOCK_ENGINE;
  const dirs = (process.env.PATH || '').split(path.delimiter).filter(Boolean);
  for (const name of ['docker', 'podman']) {
    if (dirs.some((d) => {
      try {
        fs.accessSync(path.join(d, name), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    })) return name;
  }
  return 'docker';
}

class Impmock {
  /* Use start() or attach(); the constructor only records where impmock is. */
  constructor(url, { adminToken = null, requestTimeoutMs = 10000 } = {}) {
    this.url = String(url).replace(/\/+$/, '');
    this.port = Number(new URL(this.url).port) || null;
    this.adminToken = adminToken;
    this.requestTimeoutMs = requestTimeoutMs;
    this.exitCode = null; // once a started impmock ended: its exit code, or signal name
    this._stopper = null; // what stop() does; null when attached
    this._stopped = null;
    const self = this;
    this.clock = {
      get: () => self._call('GET', '/__mock/clock'),
      advance: (seconds) => self._call('POST', '/__mock/clock', { body: { advance: seconds } }),
      set: (unix) => self._call('POST', '/__mock/clock', { body: { set: unix } }),
      freeze: (frozen = true) =>
        self._call('POST', '/__mock/clock', { body: { freeze: Boolean(frozen) } }),
    };
    this.scenarios = {
      list: () => self._call('GET', '/__mock/scenarios'),
      load: async (scenario, { imp_key } = {}) => {
        const body = typeof scenario === 'string'
          ? await fs.promises.readFile(scenario, 'utf8') // a path: sent as written, impmock checks it
          : JSON.stringify(scenario);
        return self._call('POST', `/__mock/scenarios${queryString({ imp_key })}`, { text: body });
      },
      remove: (name) => self._call('DELETE', `/__mock/scenarios${queryString({ name })}`),
      /* switches a loaded scenario off (false) or on again, counters kept */
      enable: (name, enabled = true) =>
        self._call('POST', `/__mock/scenarios/${encodeURIComponent(name)}/enabled`,
          { body: { enabled: Boolean(enabled) } }),
      clear: () => self._call('DELETE', '/__mock/scenarios'),
    };
  }

  /* One control-API call: the parsed JSON answer, or an ImpmockError. */
  async _call(method, p, { body, text, headers = {}, raw = false } = {}) {
    const h = { Accept: 'application/json', ...headers };
    if (method !== 'GET' && method !== 'HEAD') h['X-Impmock'] = '1'; // the control API's CSRF guard
    if (this.adminToken) h['X-Admin-Token'] = this.adminToken;
    let payload;
    if (text !== undefined) payload = text;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) h['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(`${this.url}${p}`, {
        method, headers: h, body: payload, signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (e) {
      throw new ImpmockError(`${method} ${p}: ${e.cause?.message || e.message}`);
    }
    const answer = await res.text();
    let parsed = answer;
    try {
      parsed = answer ? JSON.parse(answer) : null;
    } catch { /* kept as text */ }
    if (!res.ok) {
      const why = parsed && typeof parsed === 'object'
        ? parsed.error ?? parsed.message ?? answer : answer;
      throw new ImpmockError(`${method} ${p}: HTTP ${res.status}: ${why}`,
        { status: res.status, body: parsed });
    }
    return raw ? { status: res.status, headers: res.headers, body: parsed } : parsed;
  }

  /* {status, version, now} */
  health() {
    return this._call('GET', '/__mock/health');
  }

  /* Everything back to the fixtures, or one tenant with {imp_key}. */
  reset({ imp_key } = {}) {
    return this._call('POST', `/__mock/reset${queryString({ imp_key })}`);
  }

  /* The journal's entries, oldest first. since: only entries with a larger
   * seq (see cursor()); the other filters are the server's: limit, method,
   * path (a prefix), status, imp_key, before. */
  async requests({ since, ...filters } = {}) {
    const list = await this._call('GET', `/__mock/requests${queryString({ since, ...filters })}`);
    // also filtered here, so an impmock without ?since= gives the same answer
    return since === undefined || since === null ? list : list.filter((e) => e.seq > since);
  }

  /* The seq of the newest journal entry (0 when empty): requests({since})
   * with it later shows only what came after. */
  async cursor() {
    const list = await this._call('GET', '/__mock/requests?limit=1');
    return list.length ? list[list.length - 1].seq : 0;
  }

  /* Empties the request journal. */
  clearRequests() {
    return this._call('DELETE', '/__mock/requests');
  }

  /* Webhook delivery attempts, oldest first; filters: limit, imp_key,
   * status, id, merchant_uid. */
  webhooks(filters = {}) {
    return this._call('GET', `/__mock/webhooks${queryString(filters)}`);
  }

  resendWebhook(id) {
    return this._call('POST', `/__mock/webhooks/${encodeURIComponent(id)}/resend`);
  }

  /* Sends the notice of an existing payment again, without a new charge. */
  triggerWebhook(imp_uid, status) {
    const body = { imp_uid };
    if (status !== undefined && status !== null) body.status = status;
    return this._call('POST', '/__mock/webhooks/trigger', { body });
  }

  /* The buyer pays into a virtual account: {amount} (default what is owed),
   * {imp_key} to name the tenant. Resolves with the paid payment. */
  deposit(imp_uid, { amount, imp_key, depositor_name } = {}) {
    const body = {};
    if (amount !== undefined) body.amount = amount;
    if (depositor_name !== undefined) body.depositor_name = depositor_name;
    return this._call('POST',
      `/__mock/vbanks/${encodeURIComponent(imp_uid)}/deposit${queryString({ imp_key })}`,
      { body });
  }

  /* A tenant's state as impmock exports it, and back. */
  exportState({ imp_key } = {}) {
    return this._call('GET', `/__mock/export${queryString({ imp_key })}`);
  }

  importState(state, { imp_key } = {}) {
    return this._call('POST', `/__mock/import${queryString({ imp_key })}`, { body: state });
  }

  routes() {
    return this._call('GET', '/__mock/routes');
  }

  /* An access token for the REST API (POST /users/getToken); defaults to
   * the default fixtures' merchant. Resolves with the token string. */
  async token({ imp_key = DEFAULT_IMP_KEY, imp_secret = DEFAULT_IMP_SECRET } = {}) {
    let res;
    try {
      res = await fetch(`${this.url}/users/getToken`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ imp_key, imp_secret }),
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (e) {
      throw new ImpmockError(`POST /users/getToken: ${e.cause?.message || e.message}`);
    }
    const text = await res.text();
    let env = null;
    try {
      env = JSON.parse(text);
    } catch { /* reported below */ }
    if (!env || env.code !== 0 || !env.response?.access_token) {
      throw new ImpmockError(`POST /users/getToken: HTTP ${res.status}: ${env?.message ?? text}`,
        { status: res.status, body: env ?? text });
    }
    return env.response.access_token;
  }

  /* Stops what start() started and resolves with its exit code (a number,
   * or the signal's name); an attached impmock is left running (null). */
  stop() {
    if (!this._stopper) return Promise.resolve(null);
    if (!this._stopped) this._stopped = this._stopper();
    return this._stopped;
  }
}

/* Polls health until it answers 200 or timeoutMs passes; alive() false
 * stops the wait early (the process is gone). */
async function waitHealthy(mock, timeoutMs, alive = () => true) {
  const end = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < end) {
    if (!alive()) throw new ImpmockError('impmock ended before it answered /__mock/health');
    try {
      const h = await fetch(`${mock.url}/__mock/health`,
        { signal: AbortSignal.timeout(Math.min(2000, Math.max(1, end - Date.now()))) });
      if (h.status === 200) return h.json();
      last = `HTTP ${h.status}`;
    } catch (e) {
      last = e.cause?.message || e.message;
    }
    await sleep(50);
  }
  throw new ImpmockError(`impmock at ${mock.url} did not answer /__mock/health ` +
    `within ${timeoutMs} ms (${last})`);
}

/* Uses an impmock that already runs at url; waits up to timeoutMs
 * (default 10000) for its health check. */
async function attach(url, { adminToken = process.env.IMPMOCK_ADMIN_TOKEN || null,
  timeoutMs = 10000, requestTimeoutMs } = {}) {
  const mock = new Impmock(url, { adminToken, requestTimeoutMs });
  await waitHealthy(mock, timeoutMs);
  return mock;
}

/* Starts the binary on a free port (--port 0 --port-file) and waits for its
 * port file. Its output goes to logFile (default: a file in a temporary
 * directory that stop() removes). */
async function startBinary(opts) {
  const bin = opts.bin ?? process.env.IMPMOCK_BIN ?? 'impmock';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impmock-'));
  const portFile = path.join(dir, 'port');
  const logFile = opts.logFile ?? path.join(dir, 'impmock.log');
  const timeoutMs = opts.timeoutMs ?? 10000;
  const env = { ...process.env, ...(opts.env || {}) };
  // the token goes by environment, not the process list
  if (opts.adminToken) env.IMPMOCK_ADMIN_TOKEN = opts.adminToken;
  const adminToken = opts.adminToken ?? (env.IMPMOCK_ADMIN_TOKEN || null);

  const log = fs.openSync(logFile, 'w');
  const child = spawn(bin, ['--port', '0', '--port-file', portFile, ...(opts.args || [])], {
    stdio: ['ignore', log, log], env, cwd: opts.cwd,
  });
  fs.closeSync(log);
  let exit = null; // the exit code or signal once it ended
  let spawnError = null;
  const ended = new Promise((resolve) => {
    child.on('error', (e) => { spawnError = e; exit = exit ?? 'spawn-error'; resolve(); });
    child.on('exit', (code, signal) => { exit = code ?? signal; resolve(); });
  });
  // a test runner that exits without stop() takes impmock with it
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const cleanup = () => {
    process.removeListener('exit', killOnExit);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const failed = (why) => {
    if (exit === null) child.kill('SIGKILL');
    const out = tail(logFile);
    cleanup();
    return new ImpmockError(`${bin}: ${why}${out ? `\n${out}` : ''}`);
  };
  const end = Date.now() + timeoutMs;
  let port = 0;
  while (!port) {
    if (spawnError) throw failed(`cannot start: ${spawnError.message}`);
    if (exit !== null) throw failed(`exited during start-up (${exit})`);
    try {
      const text = fs.readFileSync(portFile, 'utf8');
      port = parseInt(text, 10) > 0 ? parseInt(text, 10) : 0;
    } catch { /* not written yet */ }
    if (!port) {
      if (Date.now() > end) throw failed(`wrote no port file within ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  const mock = new Impmock(`http://127.0.0.1:${port}`,
    { adminToken, requestTimeoutMs: opts.requestTimeoutMs });
  mock.pid = child.pid;
  mock.logFile = opts.logFile ?? null;
  mock._stopper = async () => {
    if (exit === null) {
      child.kill('SIGTERM');
      const stopMs = opts.stopTimeoutMs ?? 5000;
      const timer = sleep(stopMs).then(() => 'late');
      if (await Promise.race([ended.then(() => 'ended'), timer]) === 'late') {
        child.kill('SIGKILL');
        await ended;
      }
    }
    mock.exitCode = exit;
    cleanup();
    return exit;
  };
  ended.then(() => { if (mock.exitCode === null) mock.exitCode = exit; });
  try {
    await waitHealthy(mock, Math.max(1000, end - Date.now()), () => exit === null);
  } catch (e) {
    throw failed(e.message);
  }
  return mock;
}

/* Runs the image with docker or podman, published on a free loopback port,
 * and waits for its health check. */
async function startContainer(opts) {
  const engine = opts.engine ?? defaultEngine();
  const global = opts.engineArgs || []; // before the subcommand, e.g. podman's --runtime
  const timeoutMs = opts.timeoutMs ?? 60000;
  const name = opts.containerName ??
    `impmock-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const env = { ...process.env };
  const run = [...global, 'run', '-d', '--name', name,
    '-p', `127.0.0.1::${CONTAINER_PORT}`];
  if (opts.adminToken) {
    env.IMPMOCK_ADMIN_TOKEN = opts.adminToken; // -e NAME copies the value, off the process list
    run.push('-e', 'IMPMOCK_ADMIN_TOKEN');
  }
  for (const [k, v] of Object.entries(opts.env || {})) {
    env[k] = v;
    run.push('-e', k);
  }
  run.push(...(opts.runArgs || []), opts.image, ...(opts.args || []));
  const remove = () => engineRun(engine, [...global, 'rm', '-f', name], 30000).catch(() => {});
  try {
    await engineRun(engine, run, timeoutMs, env);
  } catch (e) {
    await remove(); // a container created but not started stays otherwise
    throw new ImpmockError(e.message);
  }

  let mock;
  try {
    const ports = await engineRun(engine, [...global, 'port', name, `${CONTAINER_PORT}/tcp`],
      30000);
    const m = /127\.0\.0\.1:(\d+)/.exec(ports);
    if (!m) throw new ImpmockError(`${engine} port ${name}: no loopback port in "${ports}"`);
    mock = new Impmock(`http://127.0.0.1:${m[1]}`,
      { adminToken: opts.adminToken ?? null, requestTimeoutMs: opts.requestTimeoutMs });
    await waitHealthy(mock, timeoutMs);
  } catch (e) {
    const logs = await engineRun(engine, [...global, 'logs', name], 30000).catch(() => '');
    await remove();
    throw new ImpmockError(`${opts.image}: ${e.message}` +
      (logs ? `\n${logs.split('\n').slice(-20).join('\n')}` : ''));
  }
  mock.container = name;
  mock.engine = engine;
  mock._stopper = async () => {
    const stopS = Math.ceil((opts.stopTimeoutMs ?? 10000) / 1000);
    await engineRun(engine, [...global, 'stop', '-t', String(stopS), name], (stopS + 30) * 1000)
      .catch(() => {});
    const code = await engineRun(engine,
      [...global, 'inspect', '--format', '{{.State.ExitCode}}', name], 30000).catch(() => null);
    await remove();
    mock.exitCode = code === null ? null : Number(code);
    return mock.exitCode;
  };
  return mock;
}

/* start({bin}) runs a binary, start({image}) a container image,
 * start({url}) attaches to a running impmock (stop() leaves it running). */
function start(opts = {}) {
  if (opts.url) return attach(opts.url, opts);
  if (opts.image) return startContainer(opts);
  return startBinary(opts);
}

module.exports = {
  Impmock, ImpmockError, attach, start, VERSION, DEFAULT_IMP_KEY, DEFAULT_IMP_SECRET,
};
