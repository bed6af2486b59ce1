// harness.mjs - a real impmock on loopback (plain HTTP and HTTPS, ports
// picked by the kernel, its local CA in a scratch directory) and a way to
// run one client's flow against it as a separate Node process: over HTTP
// with the base URL given to the client, or over HTTPS with the client left
// at https://api.iamport.kr. Every wait is bounded; stop() ends what
// start() began.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const bin = path.resolve(root, process.env.IMPMOCK_BIN || 'build/impmock');
const FLOW_TIMEOUT_MS = 60000;
export const routeFile = path.join(here, 'route-to-impmock.cjs');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function readPort(file) {
  try {
    const n = parseInt(fs.readFileSync(file, 'utf8'), 10);
    return n > 0 ? n : null;
  } catch {
    return null;
  }
}

/* Starts impmock with the example shop (imp_100000000002, billing key
 * cust_0001) and both listeners; resolves once both port files exist. */
export async function start() {
  if (!fs.existsSync(bin)) throw new Error(`no impmock binary at ${bin} (set IMPMOCK_BIN)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impmock-sdk-'));
  const caDir = path.join(dir, 'ca');
  const portFile = path.join(dir, 'port');
  const tlsPortFile = path.join(dir, 'tls_port');
  const log = fs.openSync(path.join(dir, 'log'), 'w');
  const child = spawn(bin, [
    '--port', '0', '--port-file', portFile, '--tls-port', '0', '--tls-port-file', tlsPortFile,
    '--tls-ca-dir', caDir, '--fixtures', path.join(root, 'fixtures/examples/shop.json'),
  ], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exited = null;
  child.on('exit', (code, sig) => { exited = code ?? sig; });
  const end = Date.now() + 10000;
  while (!(readPort(portFile) && readPort(tlsPortFile))) {
    if (exited !== null) throw new Error(`impmock exited during start-up (${exited}): ${fs.readFileSync(path.join(dir, 'log'), 'utf8')}`);
    if (Date.now() > end) throw new Error('impmock wrote no port files within 10 s');
    await sleep(25);
  }
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, execFileSync(bin, ['--tls-ca-dir', caDir, '--print-ca'], { timeout: 10000 }));
  const port = readPort(portFile);
  return {
    child, dir, caFile,
    base: `http://127.0.0.1:${port}`,
    tlsAddr: `127.0.0.1:${readPort(tlsPortFile)}`,
    exited: () => exited,
  };
}

/* SIGTERM, up to 5 s for the exit, then SIGKILL; removes the scratch dir. */
export async function stop(mock) {
  if (!mock) return;
  if (mock.exited() === null) {
    mock.child.kill('SIGTERM');
    const end = Date.now() + 5000;
    while (mock.exited() === null && Date.now() < end) await sleep(25);
    if (mock.exited() === null) mock.child.kill('SIGKILL');
  }
  fs.rmSync(mock.dir, { recursive: true, force: true });
}

/* impmock's journal of REST requests, oldest first. */
export async function journal(mock) {
  const res = await fetch(`${mock.base}/__mock/requests`, { signal: AbortSignal.timeout(10000) });
  if (res.status !== 200) throw new Error(`GET /__mock/requests answered ${res.status}`);
  return res.json();
}

/* Empties the tenants and the journal, so each flow starts from the fixtures. */
export async function reset(mock) {
  const res = await fetch(`${mock.base}/__mock/reset`, {
    method: 'POST', headers: { 'X-Impmock': '1' }, signal: AbortSignal.timeout(10000),
  });
  if (res.status !== 200) throw new Error(`POST /__mock/reset answered ${res.status}`);
}

/* Runs flows/NAME.cjs and resolves with the JSON it printed.
 *   transport 'http':  IMPMOCK_URL is impmock's base URL
 *   transport 'https': no URL; route-to-impmock.cjs sends api.iamport.kr:443
 *                      to the HTTPS listener, NODE_EXTRA_CA_CERTS trusts its
 *                      CA unless options.trustCa is false */
export function runFlow(mock, name, transport, options = {}) {
  const env = { ...process.env };
  for (const k of ['NODE_TEST_CONTEXT', 'NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'IMPMOCK_URL']) delete env[k];
  const args = [];
  if (transport === 'http') {
    env.IMPMOCK_URL = mock.base;
  } else {
    args.push('--require', routeFile);
    env.IMPMOCK_TLS_ADDR = mock.tlsAddr;
    if (options.trustCa !== false) env.NODE_EXTRA_CA_CERTS = mock.caFile;
  }
  args.push(path.join(here, 'flows', `${name}.cjs`));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), FLOW_TIMEOUT_MS);
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      try {
        if (code !== 0) throw new Error(`exit ${code ?? sig}`);
        resolve(JSON.parse(out));
      } catch (e) {
        reject(new Error(`flow ${name} over ${transport}: ${e.message}\n${err}${out}`));
      }
    });
  });
}
