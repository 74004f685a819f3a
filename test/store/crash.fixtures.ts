/**
 * The kill -9 tests of `ocgnet import --store`, one implementation for both
 * stores (each test file only says how to reset and open its store).
 *
 * The child is the real `ocgnet import` in its own node process. Under the
 * test-only variables of packages/cli/src/testPhases.ts it reports each phase
 * it reaches on stderr (`ocgnet-test-phase <label>`), and can hold at one of
 * them until it is killed. So the default tests aim: one kill at every phase
 * boundary of a small import ({@link killAtEveryPhase}). The soaks sample:
 * kills at seeded random times through a 100,000-record import
 * ({@link killNineAtRandomPoints}), tallied by the phase the child last
 * reported, not by the planned kill time.
 *
 * After every kill the store is opened afresh, as a restarted process would,
 * and must hold exactly the records before or after the import (hashes from
 * the records themselves with contentHashOf, never from the store), with an
 * intact audit chain that holds the import's event if and only if after.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect } from 'vitest';
import { generateScenario } from '@ocgnet/generator';
import { graphFileHeader, recordNdjsonLines } from '@ocgnet/io';
import type { Entity, Link, RecordSet } from '@ocgnet/schema';
import { contentHashOf, openStore, type Store, type StoreActor } from '@ocgnet/store';
import { PHASE_LINE_PREFIX } from '../../packages/cli/src/testPhases.js';
import { REPO_ROOT } from '../cli/cli.fixtures.js';
import { withDriver } from '../neo4j/neo4j.fixtures.js';

export const CRASH_ACTOR: StoreActor = {
  who: 'crash-test',
  audience: 'police-analyst',
  justification: 'store crash-safety test',
};

// ---- the records --------------------------------------------------------------------

export interface CrashScene {
  /** The import file. */
  input: string;
  /** The store's content before the import: the small town. */
  beforeRecords: RecordSet;
  hashes: { before: string; after: string };
}

/**
 * Registers the hooks that give a test file its scene: a temporary folder
 * made before the tests (holding the import file) and removed after them.
 * Read `work` and `scene` inside the tests.
 */
export function sceneInTemporaryFolder(build: (work: string) => Promise<CrashScene>): {
  work: string;
  scene: CrashScene;
} {
  const holder = {} as { work: string; scene: CrashScene };
  beforeAll(async () => {
    holder.work = mkdtempSync(join(tmpdir(), 'ocgnet-crash-'));
    holder.scene = await build(holder.work);
  }, 120_000);
  afterAll(() => rmSync(holder.work, { recursive: true, force: true }));
  return holder;
}

/** The small town every crash test starts from. */
function beforeTown(): RecordSet {
  return generateScenario({ size: 'small', seed: 42 }).next().value!;
}

/** `before` with `imported` on top, keyed by id: what a store holds after the import. */
function merged(before: RecordSet, imported: RecordSet): RecordSet {
  const entities = new Map<string, Entity>(before.entities.map((entity) => [entity.id, entity]));
  for (const entity of imported.entities) entities.set(entity.id, entity);
  const links = new Map<string, Link>(before.links.map((link) => [link.id, link]));
  for (const link of imported.links) links.set(link.id, link);
  return { entities: [...entities.values()], links: [...links.values()] };
}

async function writeScene(work: string, name: string, before: RecordSet, imported: RecordSet): Promise<CrashScene> {
  const input = join(work, `${name}.ocgnet.ndjson`);
  await writeNdjson(imported, input);
  return {
    input,
    beforeRecords: before,
    hashes: { before: contentHashOf(before), after: contentHashOf(merged(before, imported)) },
  };
}

/**
 * About a thousand records over few groups (two entity kinds, three link types), so that small
 * batches and chunks give several staging chunks and several roll-forward chunks, and seconds per
 * kill: a second town (ids prefixed `N-`) of persons and phones and the links among them, plus
 * amendments of the before town (relabelled persons, annotated links, links retyped to `associate`).
 */
export async function phaseScene(work: string): Promise<CrashScene> {
  const before = beforeTown();
  const town: RecordSet = generateScenario({ size: 'small', seed: 7 }).next().value;
  const kinds = new Set<string>(['person', 'phone']);
  const types = new Set<string>(['uses_phone', 'phone_contact', 'associate']);
  const renamed = (id: string) => `N-${id}`;
  const entities = town.entities.filter((entity) => kinds.has(entity.kind));
  const kept = new Set(entities.map((entity) => entity.id));
  const imported: RecordSet = {
    entities: entities.map((entity) => ({ ...entity, id: renamed(entity.id) })),
    links: town.links
      .filter((link) => types.has(link.type) && kept.has(link.from) && kept.has(link.to))
      .map((link) => ({ ...link, id: renamed(link.id), from: renamed(link.from), to: renamed(link.to) })),
  };
  const amendedLinks = [
    ...before.links
      .filter((link) => link.type === 'associate')
      .slice(0, 10)
      .map((link) => ({ ...link, notes: 'amended by the crash test' })),
    ...before.links
      .filter((link) => link.type === 'family')
      .slice(0, 5)
      .map((link) => ({ ...link, type: 'associate' as const })),
  ];
  // A graph file is checked on its own, so the amended links bring their ends: some relabelled, the rest as stored.
  const ends = new Set(amendedLinks.flatMap((link) => [link.from, link.to]));
  const endEntities = before.entities.filter((entity) => ends.has(entity.id));
  imported.entities.push(
    ...endEntities.map((entity, index) => (index < 10 ? { ...entity, label: `${entity.label} (amended)` } : entity)),
  );
  imported.links.push(...amendedLinks);
  return writeScene(work, 'phases', before, imported);
}

export const BIG_IMPORT_RECORDS = 100_000;
export const KILLS = 50;

/**
 * Exactly 100,000 records: every entity of the first two towns of the large
 * scenario, then their links up to the total. Each town's links join only
 * its own entities, so any prefix of the links is a valid import.
 */
export function bigImport(seed = 11): RecordSet {
  const records: RecordSet = { entities: [], links: [] };
  const links = [];
  let towns = 0;
  for (const chunk of generateScenario({ size: 'large', seed })) {
    records.entities.push(...chunk.entities);
    links.push(...chunk.links);
    if (++towns === 2) break;
  }
  records.links = links.slice(0, BIG_IMPORT_RECORDS - records.entities.length);
  if (records.entities.length + records.links.length !== BIG_IMPORT_RECORDS)
    throw new Error('the first two towns hold fewer than 100,000 records');
  return records;
}

/** The soak's scene: the 100k-record import on top of the small town. */
export async function bigScene(work: string): Promise<CrashScene> {
  const big = bigImport();
  const before = beforeTown();
  const overlap = new Set(before.entities.map((entity) => entity.id));
  if (big.entities.some((entity) => overlap.has(entity.id))) throw new Error('the big import overlaps the small town');
  return writeScene(work, 'big', before, big);
}

export async function writeNdjson(records: RecordSet, path: string): Promise<void> {
  const out = createWriteStream(path);
  for (const line of recordNdjsonLines(records, graphFileHeader({ model: 'records', inputs: [] }))) {
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** A seeded uniform generator (mulberry32), so the kill points are the same on every run. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- the child ------------------------------------------------------------------------

export interface ImportRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stderr: string;
  /** The phase labels the child reported, in order. */
  phases: string[];
  /** When each of them was reported, in ms from the start. */
  phaseMs: number[];
}

export interface ImportRunOptions {
  /** SIGKILL this many ms after the child reports the phase `after` (from its start without one), unless it has ended. */
  killAfterMs?: number;
  /** The phase label from which `killAfterMs` counts. */
  after?: string;
  /** Hold the child at this phase (it blocks there) and SIGKILL it once it has reported it. */
  holdAt?: string;
  /** Staging batch and roll-forward chunk sizes for the child's store. */
  batchSize?: number;
  commitChunkSize?: number;
}

/**
 * Runs `ocgnet import --store <store> <input>` as its own node process (not
 * through a wrapper, so SIGKILL hits the process doing the writing), with its
 * phase reporting on.
 */
export async function runImportProcess(
  store: string,
  input: string,
  options: ImportRunOptions = {},
): Promise<ImportRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, OCGNET_TEST_IMPORT_PHASES: '1' };
  for (const name of ['OCGNET_TEST_HOLD_AT', 'OCGNET_TEST_IMPORT_BATCH_SIZE', 'OCGNET_TEST_COMMIT_CHUNK_SIZE'])
    delete env[name];
  if (options.holdAt !== undefined) env.OCGNET_TEST_HOLD_AT = options.holdAt;
  if (options.batchSize !== undefined) env.OCGNET_TEST_IMPORT_BATCH_SIZE = String(options.batchSize);
  if (options.commitChunkSize !== undefined) env.OCGNET_TEST_COMMIT_CHUNK_SIZE = String(options.commitChunkSize);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(REPO_ROOT, 'packages', 'cli', 'src', 'bin.ts'),
      'import',
      '-q',
      '--store',
      store,
      '--who',
      'crash-test',
      input,
    ],
    {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  const phases: string[] = [];
  const phaseMs: number[] = [];
  let partial = '';
  let timer: NodeJS.Timeout | undefined;
  const armKill = () => {
    if (options.killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
  };
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith(PHASE_LINE_PREFIX)) continue;
      const label = line.slice(PHASE_LINE_PREFIX.length);
      phases.push(label);
      phaseMs.push(performance.now() - started);
      if (label === options.holdAt) child.kill('SIGKILL');
      if (label === options.after) armKill();
    }
  });
  if (options.after === undefined) armKill();
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (timer) clearTimeout(timer);
  return { code, signal, ms: performance.now() - started, stderr, phases, phaseMs };
}

/** How long a finished run spent from its "parsed" report to its exit: the store phase. */
function storePhaseMs(run: ImportRun): number {
  const parsed = run.phases.indexOf('parsed');
  expect(parsed, `the child reported no "parsed" phase: ${run.stderr}`).toBeGreaterThanOrEqual(0);
  return run.ms - run.phaseMs[parsed]!;
}

// ---- the stores ---------------------------------------------------------------------

export interface CrashTarget {
  /** How many children may run at once, each on its own store (`lane`); 1 for a shared server. */
  lanes: number;
  /**
   * Brings the store of `lane` to the before state; returns its location. `dirty` says the last
   * run on it may have committed.
   */
  reset(dirty: boolean, lane?: number): Promise<string>;
  /** Waits until the killed child's work has ended (a server ends its transactions once it notices). */
  settle(): Promise<void>;
  /** Opens the store as a restarted process would (which finishes or clears what the kill left). */
  open(location: string): Promise<Store>;
  /**
   * The state of the import the last child began, read from the store before any reopen, for a
   * store that keeps one (Neo4j: `staging`, `committing`, `committed`); undefined if it began none.
   */
  lastImportState?(): Promise<string | undefined>;
}

/** The embedded store: a template file in the before state, copied over the live file for each run. */
export async function embeddedCrashTarget(work: string, beforeRecords: RecordSet): Promise<CrashTarget> {
  const template = join(work, 'before.ocgnet.db');
  const store = await openStore(template, CRASH_ACTOR);
  try {
    await store.importRecords(beforeRecords);
  } finally {
    await store.close();
  }
  return {
    // Each child has a file of its own; two at once keep both cores busy while the other starts up.
    lanes: 2,
    async reset(_dirty, lane = 0) {
      const live = join(work, `live-${lane}.ocgnet.db`);
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(live + suffix, { force: true });
      copyFileSync(template, live);
      return live;
    },
    async settle() {},
    open: (location) => openStore(location, CRASH_ACTOR),
  };
}

/**
 * The Neo4j store on the test server: the client dies, the server lives on,
 * as it would in production. The database is wiped and the before town
 * imported again only after a run that may have committed.
 */
export function neo4jCrashTarget(uri: string, beforeRecords: RecordSet): CrashTarget {
  let initialised = false;
  let importsBefore = new Set<string>();
  const imports = () =>
    withDriver(async (driver) => {
      const result = await driver.executeQuery('MATCH (i:OcgnetImport) RETURN i.id AS id, i.state AS state');
      return new Map(result.records.map((record) => [record.get('id') as string, record.get('state') as string]));
    });
  const target: CrashTarget = {
    lanes: 1,
    async reset(dirty) {
      await target.settle();
      if (dirty || !initialised) {
        await wipeDatabase();
        const store = await openStore(uri, CRASH_ACTOR);
        try {
          await store.importRecords(beforeRecords);
        } finally {
          await store.close();
        }
        initialised = true;
      }
      importsBefore = new Set((await imports()).keys());
      return uri;
    },
    settle: serverSettled,
    open: (location) => openStore(location, CRASH_ACTOR),
    async lastImportState() {
      const begun = [...(await imports())].filter(([id]) => !importsBefore.has(id));
      expect(begun.length, 'imports begun by one child').toBeLessThanOrEqual(1);
      return begun[0]?.[1];
    },
  };
  return target;
}

/** Waits until no transaction but this one is open: the server has rolled back (or committed) the dead client's work. */
async function serverSettled(): Promise<void> {
  await withDriver(async (driver) => {
    for (let attempt = 0; attempt < 600; attempt++) {
      const result = await driver.executeQuery('SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery');
      const others = result.records.filter(
        (record) => !String(record.get('currentQuery')).startsWith('SHOW TRANSACTIONS'),
      );
      if (others.length === 0) return;
      await sleep(100);
    }
    throw new Error('the dead client’s transactions were still open after 60 s');
  });
}

/** The `neo4j` vitest project runs one file at a time, so the crash tests may wipe the whole database. */
async function wipeDatabase(): Promise<void> {
  await withDriver(async (driver) => {
    const session = driver.session();
    try {
      await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
    } finally {
      await session.close();
    }
  });
}

// ---- after a kill ---------------------------------------------------------------------

/** Reopens the store and checks it holds the before or the after state whole; returns which. */
async function checkRestarted(
  target: CrashTarget,
  location: string,
  scene: CrashScene,
  what: string,
  expected?: 'before' | 'after',
): Promise<'before' | 'after'> {
  const store = await target.open(location);
  try {
    // Opening finishes an import past its commit point before it returns, before any act.
    if (expected === 'after' && target.lastImportState)
      expect(await target.lastImportState(), `${what}: the import after the reopen`).toBe('committed');
    const hash = await store.contentHash();
    expect([scene.hashes.before, scene.hashes.after], `${what}: the store holds part of the import`).toContain(hash);
    const state = hash === scene.hashes.before ? 'before' : 'after';
    if (expected !== undefined) expect(state, what).toBe(expected);
    const trail = await store.auditTrail();
    expect(await store.verifyAudit(), `${what}: the audit chain`).toMatchObject({ ok: true, count: trail.length });
    // The child's import event names its input file (the before town was imported without a source).
    const source = `${basename(scene.input)}#`;
    const events = trail.filter(
      (record) => record.event.action === 'import' && String(record.event.detail?.source ?? '').startsWith(source),
    );
    expect(events.length, `${what}: the import's audit events`).toBe(state === 'after' ? 1 : 0);
    return state;
  } finally {
    await store.close();
  }
}

// ---- aimed: a kill at every phase -------------------------------------------------------

export interface PhaseKill {
  label: string;
  /** Was the kill at or after the commit point? */
  committed: boolean;
  /** Import state found on the store before the reopen (Neo4j only). */
  importState?: string;
  ms: number;
}

/** What a kill at `label` must leave as the import's state, for a store that keeps one. */
function expectedImportState(label: string): string | undefined {
  const phase = label.split(' ')[0];
  if (phase === 'parsing' || phase === 'parsed') return undefined;
  if (phase === 'staging') return 'staging';
  if (phase === 'done') return 'committed';
  return 'committing'; // commit-point and every roll-forward chunk: committed, not yet all applied
}

/**
 * Runs the import once uninterrupted to learn its phase labels, then, for
 * each label, resets the store to the before state, runs the child held at
 * that label, kills it there, and checks: it died by SIGKILL, right after
 * reporting the aimed label (and every label before it, in order); for a
 * store with import states, the import's state before the reopen; after the
 * reopen, the before state for a kill before the commit point and the after
 * state from it on, with the audit chain intact and the import's event
 * present iff after.
 */
export async function killAtEveryPhase(
  target: CrashTarget,
  scene: CrashScene,
  sizes: Pick<ImportRunOptions, 'batchSize' | 'commitChunkSize'>,
): Promise<{ labels: string[]; kills: PhaseKill[] }> {
  const location = await target.reset(false);
  const full = await runImportProcess(location, scene.input, sizes);
  expect(full.code, full.stderr).toBe(0);
  const labels = full.phases;
  expect(labels.slice(0, 2)).toEqual(['parsing', 'parsed']);
  expect(labels.at(-1)).toBe('done');
  const commitPoint = labels.indexOf('commit-point');
  expect(labels.filter((label) => label === 'commit-point')).toHaveLength(1);
  // Several staging chunks before the commit point, and nothing but roll-forward chunks between it and done.
  expect(
    labels.slice(2, commitPoint).every((label) => /^staging \d+\/\d+$/.test(label)),
    labels.join(', '),
  ).toBe(true);
  expect(commitPoint - 2, 'staging chunks').toBeGreaterThanOrEqual(2);
  expect(
    labels.slice(commitPoint + 1, -1).every((label) => /^roll-forward \d+$/.test(label)),
    labels.join(', '),
  ).toBe(true);
  await target.settle();
  await checkRestarted(target, location, scene, 'uninterrupted', 'after');

  const kills: PhaseKill[] = [];
  const aimAt = async (index: number, lane: number, dirty: boolean): Promise<boolean> => {
    const label = labels[index]!;
    const location = await target.reset(dirty, lane);
    const run = await runImportProcess(location, scene.input, { ...sizes, holdAt: label });
    const what = `kill at "${label}"`;
    expect(run.signal, `${what}: the child was not killed (exit ${run.code}): ${run.stderr}`).toBe('SIGKILL');
    expect(run.phases, `${what}: the phases it reported`).toEqual(labels.slice(0, index + 1));
    const committed = index >= commitPoint;
    await target.settle();
    const importState = target.lastImportState ? await target.lastImportState() : undefined;
    if (target.lastImportState)
      expect(importState, `${what}: the import's state before the reopen`).toBe(expectedImportState(label));
    await checkRestarted(target, location, scene, what, committed ? 'after' : 'before');
    kills[index] = { label, committed, ...(importState !== undefined ? { importState } : {}), ms: Math.round(run.ms) };
    return committed;
  };
  // The lanes take the labels in turn; a lane's store is reset from what its own last kill left.
  let next = 0;
  await Promise.all(
    Array.from({ length: target.lanes }, async (_, lane) => {
      let dirty = true;
      while (next < labels.length) dirty = await aimAt(next++, lane, dirty);
    }),
  );
  return { labels, kills };
}

// ---- sampled: the soak --------------------------------------------------------------------

export interface Tally {
  before: number;
  after: number;
  killedMidRun: number;
  /** Kills after the child reported `parsed` and before it reported `done`: it was opening, checking or writing the store. */
  killedInStorePhase: number;
  /** Kills by the last phase the child reported (`staging`, not `staging 3/20`). */
  byPhase: Record<string, number>;
}

/** The shared soak procedure: time the parse, then kill at seeded points through the store phase. */
export async function killNineAtRandomPoints(target: CrashTarget, scene: CrashScene, seed: number): Promise<Tally> {
  const location = await target.reset(false);
  const full = await runImportProcess(location, scene.input);
  expect(full.code, full.stderr).toBe(0);
  await target.settle();
  await checkRestarted(target, location, scene, 'uninterrupted', 'after');

  // The kills are timed from the child's own "parsed" report, so the time parsing takes (which
  // varies with the machine's load far more than the store phase is long) cannot push them out of
  // the store phase: each lands at a seeded random moment from the store's opening to just after
  // the import ends. A run that ends before its kill shortens the window to that run's store phase.
  let window = storePhaseMs(full) * 1.05;
  const uniform = seededUniform(seed);
  const tally: Tally = { before: 0, after: 0, killedMidRun: 0, killedInStorePhase: 0, byPhase: {} };
  let dirty = true;
  for (let kill = 0; kill < KILLS; kill++) {
    const at = uniform() * window;
    const location = await target.reset(dirty);
    const run = await runImportProcess(location, scene.input, { after: 'parsed', killAfterMs: at });
    if (run.signal === 'SIGKILL') {
      tally.killedMidRun++;
      const last = run.phases.at(-1) ?? '(none)';
      const phase = last.split(' ')[0]!;
      tally.byPhase[phase] = (tally.byPhase[phase] ?? 0) + 1;
      if (run.phases.includes('parsed') && phase !== 'done') tally.killedInStorePhase++;
    } else {
      expect(run.code, run.stderr).toBe(0);
      window = Math.max(1, Math.min(window, storePhaseMs(run)));
    }
    await target.settle();
    const state = await checkRestarted(
      target,
      location,
      scene,
      `kill ${kill + 1} at ${Math.round(at)} ms after parsing (last phase ${run.phases.at(-1)})`,
    );
    tally[state]++;
    dirty = state === 'after';
  }
  // A final, uninterrupted import over whatever the kills left behind completes normally.
  const last = await target.reset(dirty);
  const finish = await runImportProcess(last, scene.input);
  expect(finish.code, finish.stderr).toBe(0);
  await target.settle();
  await checkRestarted(target, last, scene, 'final', 'after');
  return tally;
}
