// Starts the built loyalty-server on a free port with a temporary database, and speaks to it.
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixtures = path.join(repo, 'tests/server/fixtures');
export const programFile = path.join(fixtures, 'program.json');
export const SECRET = 'test-secret-0123456789';
export const ADMIN_KEY = 'test-admin-key';

/** The server binary: $LOYALTY_SERVER, else the release preset's, else the server build dir's. */
export function serverBinary() {
  const candidates = [
    process.env.LOYALTY_SERVER,
    path.join(repo, 'build/release/demo/server/loyalty-server'),
    path.join(repo, 'build/server/demo/server/loyalty-server'),
  ].filter(Boolean);
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`loyalty-server not built (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * The store the servers run on: LOYALTY_TEST_STORE=postgres puts each on a database of its own
 * in the throwaway PostgreSQL that tests/run starts (LOYALTY_TEST_POSTGRES_URL); else a SQLite
 * file in its directory.
 */
export const store = process.env.LOYALTY_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** Runs `sql` on the throwaway PostgreSQL's own database (as its superuser); its URL. */
export function postgresAdmin(sql) {
  const url = process.env.LOYALTY_TEST_POSTGRES_URL;
  if (!url) throw new Error('LOYALTY_TEST_STORE=postgres needs LOYALTY_TEST_POSTGRES_URL');
  execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { stdio: 'pipe' });
  return url;
}

/**
 * The --db of the server whose directory is `dir`: its SQLite file, or its PostgreSQL database
 * (made on first use and named in the directory, so a restart finds it again).
 */
export function databaseFor(dir) {
  if (store === 'sqlite') return path.join(dir, 'loyalty.db');
  const nameFile = path.join(dir, 'postgres-database');
  let name = existsSync(nameFile) ? readFileSync(nameFile, 'utf8') : '';
  const url = process.env.LOYALTY_TEST_POSTGRES_URL ?? '';
  if (!name) {
    name = `loyalty_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    postgresAdmin(`CREATE DATABASE ${name}`);
    writeFileSync(nameFile, name);
  }
  return url.slice(0, url.lastIndexOf('/') + 1) + name;
}

/** The name of the PostgreSQL database of the server whose directory is `dir`. */
export const databaseName = (dir) => readFileSync(path.join(dir, 'postgres-database'), 'utf8');

/** Removes a server directory, and its PostgreSQL database if it has one. */
export function removeDatabase(dir) {
  const nameFile = path.join(dir, 'postgres-database');
  if (existsSync(nameFile))
    postgresAdmin(`DROP DATABASE IF EXISTS ${readFileSync(nameFile, 'utf8')} WITH (FORCE)`);
  rmSync(dir, { recursive: true, force: true });
}

/** A shopper token computed here from the contract, independently of the server's code. */
export function token(customerId, expiry = Math.floor(Date.now() / 1000) + 3600, secret = SECRET) {
  const payload = `${customerId}.${expiry}`;
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('hex')}`;
}

/**
 * Starts a server. `options.dir` reuses a database directory (for restarts); `options.args`
 * adds command-line flags. Resolves once it prints its URL.
 */
export async function startServer(options = {}) {
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'loyalty-server-'));
  const args = [
    '--port',
    '0',
    '--db',
    databaseFor(dir),
    '--secret',
    SECRET,
    '--admin-key',
    ADMIN_KEY,
    '--program',
    programFile,
    ...(options.args ?? []),
  ];
  const child = spawn(serverBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 10000);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!options.dir) removeDatabase(dir);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    url,
    dir,
    child,
    output: () => output,
    /** SIGKILL: no chance to flush anything. */
    async kill() {
      child.kill('SIGKILL');
      return exited;
    },
    async stop({ keep = false } = {}) {
      child.kill('SIGTERM');
      const result = await exited;
      if (!keep) removeDatabase(dir);
      return result;
    },
  };
}

/** fetch + JSON: resolves to {status, headers, body} where body is parsed JSON (or text). */
export async function call(server, method, route, { body, headers = {}, raw } = {}) {
  const response = await fetch(server.url + route, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export const admin = { 'X-Admin-Key': ADMIN_KEY };
export const shopper = (customerId) => ({ Authorization: `Bearer ${token(customerId)}` });

/** Enrols a customer (sign-up points: 100) and optionally adds points by an adjustment. */
export async function enrol(server, id, { email, firstName = 'Test', points = 0 } = {}) {
  const created = await call(server, 'PUT', `/v1/admin/customers/${id}`, {
    headers: admin,
    body: { firstName, ...(email ? { email } : {}) },
  });
  if (created.status !== 201) throw new Error(`enrol ${id}: ${JSON.stringify(created.body)}`);
  if (points) {
    const adjusted = await call(server, 'POST', `/v1/admin/customers/${id}/adjustments`, {
      headers: admin,
      body: { points, reason: 'test balance' },
    });
    if (adjusted.status !== 201) throw new Error(`adjust ${id}: ${JSON.stringify(adjusted.body)}`);
  }
  return created.body.customer;
}

/** The `loyalty` CLI: $LOYALTY_CLI, else the release preset's, else the dev preset's. */
export function cliBinary() {
  const candidates = [
    process.env.LOYALTY_CLI,
    path.join(repo, 'build/release/src/cli/loyalty'),
    path.join(repo, 'build/dev/src/cli/loyalty'),
  ].filter(Boolean);
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`loyalty CLI not built (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * `loyalty <command>` (`replay`, `view`) on a program and a customer document at the current
 * second, as the launcher would run the core; resolves to the parsed envelope.
 */
export function runCli(command, program, customer) {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const dir = mkdtempSync(path.join(tmpdir(), 'loyalty-cli-'));
  try {
    const file = (name, document) => {
      const target = path.join(dir, name);
      writeFileSync(target, JSON.stringify(document));
      return target;
    };
    const output = execFileSync(
      cliBinary(),
      [
        command,
        '--program',
        file('program.json', program),
        '--customer',
        file('customer.json', customer),
        '--context',
        file('context.json', { version: 1, now, locale: 'en' }),
      ],
      { encoding: 'utf8' },
    );
    return JSON.parse(output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What the launcher computes from a backend's ledger: the core (`loyalty replay`) replays the
 * customer's whole ledger (GET /v1/admin/customers/{id}) without the server's summary. Resolves
 * to {summary, ledger, account, warnings}: the server's summary and the core's account.
 */
export async function coreReplay(server, customerId) {
  const program = await call(server, 'GET', '/v1/program');
  const customer = await call(server, 'GET', `/v1/admin/customers/${customerId}`, {
    headers: admin,
  });
  if (customer.status !== 200) throw new Error(`customer ${customerId}: ${customer.status}`);
  const { summary, ...withoutSummary } = customer.body;
  const result = runCli('replay', program.body, withoutSummary);
  return {
    summary,
    ledger: customer.body.ledger,
    account: result.account,
    warnings: result.warnings,
  };
}
