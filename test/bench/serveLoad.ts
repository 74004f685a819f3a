/**
 * The serve load benchmark (issue 20): `ocgnet serve` over the generated town
 * in an embedded store, as users meet it.
 *
 *   pnpm bench:serve [--size medium] [--seed 7] [--sessions 50] [--profiles 3] [--minutes 10]
 *
 * 1. `ocgnet generate` and `ocgnet import --store` into a temporary folder.
 * 2. A server (a child process: `ocgnet serve --port 0 --behind-proxy`, on
 *    127.0.0.1) with an empty bundle cache: each audience's first bundle is
 *    built (timed), then asked again (memory).
 * 3. The server is stopped and started again with --warm (its disk cache
 *    kept; the bench waits until every audience's bundle and profile
 *    analysis is ready), and `--sessions` sessions run at once, round robin over four users
 *    (police analyst, Housing, council licensing, HMRC), each from its own
 *    address (X-Forwarded-For, as a proxy sets it): login, /api/me, the
 *    bundle (JSON, brotli, as the viewer asks), `--profiles` partnership
 *    profiles of persons its bundle holds, and one ego view.
 * 4. p50/p95 per endpoint, errors, the server's peak RSS (VmHWM), and the
 *    store's audit trail checked: one consult per bundle and ego view, one
 *    profile event per profile, by the right user.
 * 5. Sizes and parse times of the analyst bundle: JSON and compact, raw,
 *    gzip and brotli.
 *
 * Bounded: a fixed number of sessions, and the run stops after --minutes.
 */
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { parseArgs } from 'node:util';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { AuditEvent } from '@ocgnet/audit';
import { decodeCompactBundle, parseViewerBundle, type ViewerBundle } from '@ocgnet/bundle';
import { newToken } from '@ocgnet/server';
import { openStore } from '@ocgnet/store';
import { REPO_ROOT } from '../reference/python.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'medium' },
    seed: { type: 'string', default: '7' },
    sessions: { type: 'string', default: '50' },
    profiles: { type: 'string', default: '3' },
    minutes: { type: 'string', default: '10' },
  },
});
const SESSIONS = Number(values.sessions);
const PROFILES = Number(values.profiles);
const DEADLINE = Date.now() + Number(values.minutes) * 60_000;
const AUDIENCES = ['police-analyst', 'partner-agency:housing', 'partner-agency:licensing', 'partner-agency:hmrc'];

const work = mkdtempSync(join(tmpdir(), 'ocgnet-bench-serve-'));
const storePath = join(work, 'town.ocgnet.db');
const cli = ['--import', 'tsx', join(REPO_ROOT, 'packages', 'cli', 'src', 'bin.ts')];
const env = { ...process.env, OCGNET_USER: 'bench', OCGNET_JUSTIFICATION: 'benchmark' };

function ocgnet(args: string[]): void {
  const run = spawnSync(process.execPath, [...cli, '-q', ...args], { cwd: REPO_ROOT, env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ocgnet ${args.join(' ')} failed (${run.status}):\n${run.stderr}`);
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const mb = (bytes: number) => (bytes / 1e6).toFixed(2);

// ---- the town, the users ------------------------------------------------------

ocgnet(['generate', '--size', values.size, '--seed', values.seed, '--out', join(work, 'town')]);
ocgnet(['import', join(work, 'town'), '--store', storePath]);
const users = AUDIENCES.map((audience, i) => ({ name: `user${i}`, audience, ...newToken() }));
const usersFile = join(work, 'users.json');
writeFileSync(
  usersFile,
  JSON.stringify({
    users: users.map(({ name, audience, token_sha256 }) => ({
      name,
      audience,
      token_sha256,
      justification: `benchmark: ${audience}`,
    })),
  }),
);

// ---- the server -------------------------------------------------------------

interface Server {
  child: ChildProcess;
  url: string;
}

/** Starts `ocgnet serve`; with `warm`, resolves once every audience's bundle and profile analysis is ready. */
async function startServer(warm = false): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      ...cli,
      '-q',
      'serve',
      '--store',
      storePath,
      '--users',
      usersFile,
      '--port',
      '0',
      '--behind-proxy',
      ...(warm ? ['--warm'] : []),
    ],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (match && (!warm || /ready in/.test(out))) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`ocgnet serve exited (${code}) before listening:\n${out}`)));
  });
  // A bench that fails leaves no server behind.
  process.once('exit', () => child.kill('SIGKILL'));
  return { child, url };
}

/** The server's peak resident memory (Linux VmHWM), in MB. */
function peakRssMb(server: Server): number {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

// ---- a client ---------------------------------------------------------------

const timings = new Map<string, number[]>();
const errors: string[] = [];
const served = { bundle: 0, profile: 0, consultation: 0 };

class Client {
  cookie = '';
  constructor(
    private readonly base: string,
    readonly address: string,
  ) {}

  /**
   * One request, timed to the last byte as sent (node:http: nothing is decompressed on the client,
   * whose own work would otherwise be timed), under `endpoint`; undefined (and an error counted) unless 2xx.
   */
  async request(
    endpoint: string,
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Answer | undefined> {
    if (Date.now() > DEADLINE) {
      errors.push(`${endpoint}: not sent, out of time`);
      return undefined;
    }
    const started = performance.now();
    let answer: Answer;
    try {
      answer = await send(`${this.base}${path}`, {
        method: init.method ?? 'GET',
        headers: { 'x-forwarded-for': this.address, cookie: this.cookie, ...init.headers },
        ...(init.body !== undefined ? { body: init.body } : {}),
      });
    } catch (error) {
      errors.push(`${endpoint}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const elapsed = performance.now() - started;
    if (!timings.has(endpoint)) timings.set(endpoint, []);
    timings.get(endpoint)!.push(elapsed);
    if (answer.status < 200 || answer.status >= 300) {
      errors.push(`${endpoint}: ${answer.status} ${answer.body.toString('utf8').slice(0, 200)}`);
      return undefined;
    }
    const setCookie = answer.headers['set-cookie']?.[0];
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    return answer;
  }

  login(user: (typeof users)[number]): Promise<Answer | undefined> {
    return this.request('POST /api/login', '/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: user.name, token: user.token }),
    });
  }
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as sent (still compressed). */
  body: Buffer;
}

function send(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: init.method, headers: init.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    });
    request.setTimeout(Math.max(1, DEADLINE - Date.now()), () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    request.end(init.body);
  });
}

/** The body, decompressed as its content-encoding says. */
function bytesOf(answer: Answer): Buffer {
  const encoding = answer.headers['content-encoding'];
  return encoding === 'br'
    ? brotliDecompressSync(answer.body)
    : encoding === 'gzip'
      ? gunzipSync(answer.body)
      : answer.body;
}

/** The persons of each audience's bundle, from step 1. */
const personsOf = new Map<string, string[]>();

/** One session as the viewer runs it. */
async function session(base: string, index: number): Promise<void> {
  const user = users[index % users.length]!;
  const client = new Client(base, `10.20.${Math.floor(index / 250)}.${(index % 250) + 1}`);
  if ((await client.login(user)) === undefined) return;
  await client.request('GET /api/me', '/api/me');
  // As the viewer asks for it (JSON, brotli); undici's fetch decodes brotli itself.
  const answer = await client.request('GET /api/bundle', '/api/bundle', {
    headers: { accept: 'application/json', 'accept-encoding': 'br, gzip' },
  });
  if (answer === undefined) return;
  served.bundle++;
  // Decoded once per audience before the load (step 1): decoding here would load the client, not the server.
  const persons = personsOf.get(user.audience)!;
  for (let i = 0; i < PROFILES && persons.length > 0; i++) {
    const person = persons[(index * 7919 + i * 104729) % persons.length]!;
    const profile = await client.request(
      'GET /api/profile',
      `/api/profile?subject=${encodeURIComponent(`person:${person}`)}&format=html`,
    );
    if (profile !== undefined) served.profile++;
  }
  const ego = await client.request('POST /api/consultation', '/api/consultation', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ view: 'ego', node: persons[index % persons.length], radius: 1 }),
  });
  if (ego !== undefined) served.consultation++;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

// ---- 1. cold builds, then memory ----------------------------------------------

const cold: [string, string, string][] = [];
let first = await startServer();
for (const [i, user] of users.entries()) {
  const client = new Client(first.url, `10.10.0.${i + 1}`);
  await client.login(user);
  const path = '/api/bundle?format=compact';
  const headers = { accept: 'application/vnd.ocgnet.bundle-compact+json', 'accept-encoding': 'br' };
  let started = performance.now();
  await client.request('cold build', path, { headers });
  const built = performance.now() - started;
  started = performance.now();
  const again = await client.request('memory hit', path, { headers });
  cold.push([user.audience, seconds(built), seconds(performance.now() - started)]);
  if (again === undefined) throw new Error(`no bundle for ${user.audience}: ${errors.join('; ')}`);
  const bundle = decodeCompactBundle(JSON.parse(bytesOf(again).toString('utf8')));
  personsOf.set(
    user.audience,
    bundle.graph.nodes.map((node) => node.key),
  );
  process.stderr.write(`${user.audience}: built in ${seconds(built)} s\n`);
}
const coldRss = peakRssMb(first);
await stopServer(first);

// ---- 2. restarted server, many sessions at once ---------------------------------

const auditFrom = await (async () => {
  const store = await openStore(storePath, { who: 'bench', audience: 'police-analyst', justification: 'benchmark' });
  try {
    return (await store.auditTrail()).length;
  } finally {
    await store.close();
  }
})();
timings.clear();
errors.length = 0;
const warmStarted = performance.now();
first = await startServer(true);
const warmed = performance.now() - warmStarted;
const started = performance.now();
await Promise.all(Array.from({ length: SESSIONS }, (_, i) => session(first.url, i)));
const wall = performance.now() - started;
const loadRss = peakRssMb(first);

// ---- 3. sizes and parse times of the analyst bundle -----------------------------

const analyst = new Client(first.url, '10.30.0.1');
await analyst.login(users[0]!);
const sizes: [string, string, string, string][] = [];
const parsed: Record<string, number[]> = { json: [], compact: [] };
for (const format of ['json', 'compact'] as const) {
  const raw: Record<string, number> = {};
  let text = '';
  for (const encoding of ['identity', 'gzip', 'br'] as const) {
    const answer = await send(`${first.url}/api/bundle?format=${format}`, {
      method: 'GET',
      headers: { 'x-forwarded-for': analyst.address, cookie: analyst.cookie, 'accept-encoding': encoding },
    });
    const body = answer.body;
    raw[encoding] = body.length;
    if (encoding === 'identity') text = body.toString('utf8');
  }
  sizes.push([format, mb(raw.identity!), mb(raw.gzip!), mb(raw.br!)]);
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const value: unknown = JSON.parse(text);
    const bundle: ViewerBundle = format === 'json' ? parseViewerBundle(value) : decodeCompactBundle(value);
    parsed[format]!.push(performance.now() - t);
    if (bundle.graph.nodes.length === 0) throw new Error('empty bundle');
  }
}
await stopServer(first);

// ---- 4. the audit trail ----------------------------------------------------------

const events: AuditEvent[] = await (async () => {
  const store = await openStore(storePath, { who: 'bench', audience: 'police-analyst', justification: 'benchmark' });
  try {
    return (await store.auditTrail({ reveal: true })).slice(auditFrom).map((record) => record.event);
  } finally {
    await store.close();
  }
})();
const count = (test: (event: AuditEvent) => boolean) => events.filter(test).length;
const bundleEvents = count((e) => e.action === 'consult' && e.subject === '*' && e.format === 'json');
const egoEvents = count((e) => e.action === 'consult' && e.format === 'screen');
const profileEvents = count((e) => e.action === 'profile');
const cachedEvents = count((e) => e.action === 'consult' && e.subject === '*' && e.detail?.cached === true);
// Every consultation names its user and that user's audience.
const audienceOf = new Map(users.map((user) => [user.name, user.audience]));
const rightUser = events
  .filter((e) => e.action === 'consult' || e.action === 'profile')
  .every((e) => audienceOf.get(e.who) === e.audience);
// The analyst client of step 3 asked 3 more JSON bundles (one per encoding), and 3 compact ones.
const auditOk =
  rightUser &&
  bundleEvents === served.bundle + 3 &&
  profileEvents === served.profile &&
  egoEvents === served.consultation;

rmSync(work, { recursive: true, force: true });

// ---- the report ------------------------------------------------------------------

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
console.log(
  `\nocgnet serve, ${values.size} town (seed ${values.seed}); commit ${commit}; ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}\n`,
);
console.log(
  'First bundle of each audience on an empty cache (built: read, analysis, plans, layout, compact form, compression), then again (memory):\n',
);
console.log('| audience | built s | memory hit s |');
console.log('|---|---|---|');
for (const row of cold) console.log(`| ${row.join(' | ')} |`);
console.log(`\nServer peak RSS while building: ${coldRss.toFixed(0)} MB.\n`);
console.log(
  `Restarted with --warm: bundles from the disk cache and each audience's profile analysis ready ${seconds(warmed)} s after start. Then ${SESSIONS} sessions at once over ${AUDIENCES.length} audiences, ${PROFILES} profiles and one ego view each; wall ${seconds(wall)} s:\n`,
);
console.log('| endpoint | requests | p50 ms | p95 ms | max ms |');
console.log('|---|---|---|---|---|');
for (const [endpoint, list] of timings) {
  const sorted = [...list].sort((a, b) => a - b);
  console.log(
    `| ${endpoint} | ${sorted.length} | ${percentile(sorted, 50).toFixed(0)} | ${percentile(sorted, 95).toFixed(0)} | ${sorted.at(-1)!.toFixed(0)} |`,
  );
}
console.log(
  `\nErrors: ${errors.length}${errors.length > 0 ? ` (${[...new Set(errors)].slice(0, 5).join('; ')})` : ''}`,
);
console.log(`Server peak RSS under load: ${loadRss.toFixed(0)} MB.`);
console.log(
  `Audit: ${bundleEvents} bundle consults for ${served.bundle} bundles served (+3 of the size check: ${cachedEvents} cached), ${profileEvents} profile events for ${served.profile} profiles, ${egoEvents} ego consults for ${served.consultation} ego views: ${auditOk ? 'each audited exactly once' : 'MISMATCH'}.\n`,
);
console.log('The analyst bundle (MB as sent), and parse + check time in Node (median of 5):\n');
console.log('| form | raw MB | gzip MB | brotli MB | parse + check ms |');
console.log('|---|---|---|---|---|');
for (const [format, ...row] of sizes) {
  const sorted = [...parsed[format]!].sort((a, b) => a - b);
  console.log(`| ${format} | ${row.join(' | ')} | ${sorted[2]!.toFixed(0)} |`);
}
if (errors.length > 0 || !auditOk) process.exitCode = 1;
