// harness.mjs - a real impmock for the contract test: started on a free
// loopback port with the contract's fixtures and a frozen clock, and plain
// HTTP calls to it. Every wait is bounded; stop() ends what start() began.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

export const IMP_KEY = 'imp_apikey';
export const IMP_SECRET =
  'ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f';
export const T0 = 1704153600; // 2024-01-02 09:00 KST

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* Starts impmock (IMPMOCK_BIN, relative to root) with `fixtures`. */
export async function start(root, fixtures) {
  const bin = path.resolve(root, process.env.IMPMOCK_BIN || 'build/impmock');
  if (!fs.existsSync(bin)) throw new Error(`no impmock binary at ${bin} (set IMPMOCK_BIN)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impmock-contract-'));
  const fx = path.join(dir, 'fixtures.json');
  fs.writeFileSync(fx, JSON.stringify(fixtures));
  const portFile = path.join(dir, 'port');
  const log = fs.openSync(path.join(dir, 'log'), 'w');
  const child = spawn(bin, ['--port', '0', '--port-file', portFile, '--quiet', '--fixtures', fx,
    '--clock', String(T0), '--seed', '12'], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exited = null;
  child.on('exit', (code, sig) => { exited = code ?? sig; });
  for (let i = 0; i < 200; i++) {
    if (exited !== null) {
      const log = fs.readFileSync(path.join(dir, 'log'), 'utf8');
      throw new Error(`impmock exited (${exited}): ${log}`);
    }
    try {
      const port = parseInt(fs.readFileSync(portFile, 'utf8'), 10);
      if (port > 0) return { child, dir, port, exited: () => exited };
    } catch {
      // not written yet
    }
    await sleep(25);
  }
  child.kill('SIGKILL');
  throw new Error('impmock did not write its port file within 5 s');
}

export async function stop(m) {
  if (!m) return;
  if (m.exited() === null) {
    const done = new Promise((r) => m.child.once('exit', r));
    m.child.kill('SIGTERM');
    await Promise.race([done, sleep(5000)]);
    if (m.exited() === null) m.child.kill('SIGKILL');
  }
  fs.rmSync(m.dir, { recursive: true, force: true });
}

/* One request; resolves to {status, text, json (null when not JSON)}. A
 * body object is sent as JSON, a string as a form. */
export function call(m, method, target, { body, token, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    let data = null;
    if (typeof body === 'string') {
      data = Buffer.from(body);
      h['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (body !== undefined) {
      data = Buffer.from(JSON.stringify(body));
      h['Content-Type'] = 'application/json';
    }
    if (data) h['Content-Length'] = data.length;
    if (token) h.Authorization = `Bearer ${token}`;
    const req = http.request({ host: '127.0.0.1', port: m.port, method, path: target, headers: h,
      timeout: 10000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try {
          json = JSON.parse(text);
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode, text, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${target}: no answer in 10 s`)));
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}
