/**
 * The CLI over the embedded store: import, read as input, analyse with write-back,
 * profiles audited in the store, review, erasure, and refusals that change nothing.
 */
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore, contentHashOf, selectRecords } from '@ocgnet/store';
import { generateScenario, type ScenarioChunk } from '@ocgnet/generator';
import { REPO_ROOT, SMALL_FIXTURE, runCli, runCliProcess, temporaryFolder } from './cli.fixtures.js';

/** better-sqlite3, a dependency of the store package, to read a store's rows around the store. */
const Database = createRequire(join(REPO_ROOT, 'packages', 'store', 'package.json'))('better-sqlite3') as new (
  path: string,
  options?: { readonly?: boolean },
) => {
  prepare(sql: string): {
    pluck(): { all(): unknown[]; get(...params: unknown[]): unknown };
    run(...params: unknown[]): unknown;
  };
  close(): void;
};

const actor = { who: 'test', audience: 'police-analyst', justification: 'cli store test' };
const small: ScenarioChunk = generateScenario({ size: 'small', seed: 42 }).next().value;

async function auditActions(location: string): Promise<string[]> {
  const store = await openStore(location, actor, { readonly: true });
  try {
    return (await store.auditTrail()).map((record) => record.event.action);
  } finally {
    await store.close();
  }
}

async function hashOf(location: string): Promise<string> {
  const store = await openStore(location, actor, { readonly: true });
  try {
    return await store.contentHash();
  } finally {
    await store.close();
  }
}

describe('ocgnet import --store (embedded)', () => {
  let folder: string;
  let store: string;
  beforeAll(async () => {
    folder = temporaryFolder();
    store = join(folder, 'ocgnet.db');
    const run = await runCli(
      'import',
      '-q',
      SMALL_FIXTURE,
      '--store',
      store,
      '--who',
      'analyst-7',
      '--justification',
      'Op Saffron',
    );
    expect(run.code, run.stderr).toBe(0);
  });

  it('holds exactly the fixture records, and audits the import with who and why', async () => {
    expect(await hashOf(store)).toBe(contentHashOf(small));
    const reopened = await openStore(store, actor, { readonly: true });
    const [first] = await reopened.auditTrail();
    await reopened.close();
    expect(first!.event).toMatchObject({ action: 'import', who: 'analyst-7', justification: 'Op Saffron' });
    expect(first!.event.detail).toMatchObject({
      entities_added: small.entities.length,
      links_added: small.links.length,
    });
  });

  it('a re-import changes nothing and says so', async () => {
    const run = await runCli('import', '-q', SMALL_FIXTURE, '--store', store);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`entities 0 added, 0 updated, ${small.entities.length} unchanged`);
    expect(await hashOf(store)).toBe(contentHashOf(small));
  });

  it('a refused import names the record and field and leaves the store as it was', async () => {
    // A person re-sent as a vehicle: valid on its own, a conflict with the store.
    const person = small.entities.find((entity) => entity.kind === 'person')!;
    const {
      date_of_birth: _dob,
      aliases: _aliases,
      vulnerable: _v,
      under_18: _u,
      exploited: _e,
      cuckooed: _c,
      iom: _i,
      ...common
    } = person as typeof person & Record<string, unknown>;
    const bad = join(folder, 'bad.json');
    writeFileSync(bad, JSON.stringify({ schema_version: 1, entities: [{ ...common, kind: 'vehicle' }], links: [] }));
    const before = await hashOf(store);
    const events = (await auditActions(store)).length;
    const run = await runCli('import', '-q', bad, '--store', store);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`entity "${person.id}": kind: stored as person`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await hashOf(store)).toBe(before);
    expect((await auditActions(store)).length).toBe(events);
  });

  it('analyse --store --write-back saves the metrics onto the entities, as analyse computed them', async () => {
    const run = await runCli('analyse', '-q', '--store', store, '--write-back', '--json');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      nodes: { id: string; betweenness: number; pagerank: number; community: number }[];
      manifest: { inputs: { sha256: string }[] };
    };
    // The manifest names the store's content, so the run can be traced to what was stored.
    expect(report.manifest.inputs[0]!.sha256).toBe(contentHashOf(small));
    const reopened = await openStore(store, actor, { readonly: true });
    const saved = await reopened.latestAnalysis();
    await reopened.close();
    expect(Object.keys(saved!.metrics).length).toBe(report.nodes.length);
    for (const node of report.nodes) {
      expect(saved!.metrics[node.id]!.betweenness).toBeCloseTo(node.betweenness, 12);
      expect(saved!.metrics[node.id]!.pagerank).toBeCloseTo(node.pagerank, 12);
      expect(saved!.communities[node.id]).toBe(node.community);
    }
    expect((await auditActions(store)).slice(-2)).toEqual(['read', 'analyse']);
  });

  it('any command reads a store named as its input', async () => {
    const fromStore = await runCli('stats', '-q', store, '--json');
    const fromFiles = await runCli('stats', '-q', SMALL_FIXTURE, '--json');
    expect(fromStore.code, fromStore.stderr).toBe(0);
    const { inputs: storeInputs, ...storeStats } = JSON.parse(fromStore.stdout) as { inputs: { sha256: string }[] };
    const { inputs: _fileInputs, ...fileStats } = JSON.parse(fromFiles.stdout) as { inputs: unknown };
    expect(storeStats).toEqual(fileStats);
    expect(storeInputs[0]!.sha256).toBe(contentHashOf(small));
  });

  it('profile --store audits into the store, not a log file', async () => {
    const out = join(folder, 'profile.html');
    const run = await runCli(
      'profile',
      '-q',
      '--store',
      store,
      '--subject',
      'ocg:OCG02',
      '--audience',
      'partner-agency:housing',
      '--out',
      out,
      '--who',
      'analyst-7',
      '--justification',
      'panel 12',
      '--audit-log',
      join(folder, 'unused.log'),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(existsSync(join(folder, 'unused.log'))).toBe(false);
    const reopened = await openStore(store, actor, { readonly: true });
    const trail = await reopened.auditTrail({ reveal: true });
    await reopened.close();
    expect(trail.at(-1)!.event).toMatchObject({
      action: 'export',
      audience: 'partner-agency:housing',
      subject: 'ocg:OCG02',
      who: 'analyst-7',
    });
    // The read that fed the profile was audited under the partner's audience.
    expect(trail.at(-2)!.event).toMatchObject({ action: 'read', audience: 'partner-agency:housing' });
  });

  it('store review lists exactly the records whose review date has come', async () => {
    const asOf = '2026-09-30';
    const run = await runCli('store', 'review', store, '--as-of', asOf, '--json');
    expect(run.code, run.stderr).toBe(0);
    const due = (JSON.parse(run.stdout) as { due: { id: string }[] }).due.map((item) => item.id).sort();
    const expected = [...small.entities, ...small.links]
      .filter((record) => record.review_date !== undefined && record.review_date <= asOf)
      .map((record) => record.id)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(due).toEqual(expected);
  });

  it('store erase removes a nominal with its links and analysis, and the audit keeps only a hash', async () => {
    const copy = join(folder, 'erase.db');
    copyFileSync(store, copy);
    const person = small.entities.find(
      (entity) => entity.kind === 'person' && small.links.some((link) => link.from === entity.id),
    )!;
    const run = await runCli(
      'store',
      'erase',
      copy,
      person.id,
      '--justification',
      'subject access: record held in error',
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    const remaining = {
      entities: small.entities.filter((entity) => entity.id !== person.id),
      links: small.links.filter((link) => link.from !== person.id && link.to !== person.id),
    };
    expect(await hashOf(copy)).toBe(contentHashOf(remaining));
    const reopened = await openStore(copy, actor, { readonly: true });
    const trail = JSON.stringify(await reopened.auditTrail());
    const saved = await reopened.latestAnalysis();
    await reopened.close();
    expect(saved!.metrics[person.id]).toBeUndefined();
    const last = JSON.parse(run.stdout) as { links: number };
    expect(last.links).toBe(small.links.length - remaining.links.length);
    // Earlier events (import, profile) name no person; the erase event holds a hash, not the id or label.
    expect(trail).toContain('"action":"erase"');
    expect(trail).not.toContain(`"${person.id}"`);
    expect(trail).not.toContain(person.label);
    expect((await runCli('store', 'erase', copy, person.id, '--justification', 'again')).code).toBe(1);
    expect((await runCli('store', 'erase', copy, person.id)).code).toBe(2);
  });

  it('store records answers a query exactly as the reference selection does, and refuses an impossible date', async () => {
    const run = await runCli(
      'store',
      'records',
      store,
      '--entity',
      'P000001',
      '--hops',
      '2',
      '--kind',
      'person,location',
      '--from',
      '2024-01-01',
      '--max-handling',
      'C',
    );
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => JSON.parse(line) as { entity?: { id: string }; link?: { id: string } });
    const expected = selectRecords(small, {
      entityIds: ['P000001'],
      hops: 2,
      kinds: ['person', 'location'],
      window: { from: '2024-01-01' },
      maxHandling: 'C',
    });
    expect(lines.filter((line) => line.entity).map((line) => line.entity!.id)).toEqual(
      expected.entities.map((entity) => entity.id),
    );
    expect(lines.filter((line) => line.link).map((line) => line.link!.id)).toEqual(
      expected.links.map((link) => link.id),
    );
    expect(expected.entities.length).toBeGreaterThan(1);
    expect((await runCli('store', 'records', store, '--from', '2025-02-30')).code).toBe(2);
  });

  it('store info and store audit report an intact chain', async () => {
    const info = await runCli('store', 'info', store, '--json');
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({
      entities: small.entities.length,
      links: small.links.length,
      content_sha256: contentHashOf(small),
      audit: { intact: true },
    });
    const audit = await runCli('store', 'audit', store);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain('chain intact');
  });
});

describe('store usage errors', () => {
  it('needs exactly one of --out and --store', async () => {
    expect((await runCli('import', '-q', SMALL_FIXTURE)).code).toBe(2);
    expect((await runCli('import', '-q', SMALL_FIXTURE, '--out', 'x.ocgnet.ndjson', '--store', 'x.db')).code).toBe(2);
  });

  it('a store in a folder that does not exist is a clear error, without a stack trace, after which nothing exists', async () => {
    const folder = temporaryFolder();
    const run = runCliProcess(['import', '-q', SMALL_FIXTURE, '--store', join(folder, 'missing', 'ocgnet.db')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(join(folder, 'missing'));
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(folder, 'missing'))).toBe(false);
  });

  it('--write-back needs a store, and --engine neo4j needs a neo4j store', async () => {
    expect((await runCli('analyse', '-q', SMALL_FIXTURE, '--write-back')).code).toBe(2);
    expect((await runCli('analyse', '-q', SMALL_FIXTURE, '--engine', 'neo4j')).code).toBe(2);
  });
});

describe('output into a closed pipe', () => {
  it('ends quietly when the reader stops early (ocgnet store records … | head -n 1)', async () => {
    const { spawnSync } = await import('node:child_process');
    const { REPO_ROOT } = await import('./cli.fixtures.js');
    const store = join(temporaryFolder(), 'pipe.db');
    expect((await runCli('import', '-q', SMALL_FIXTURE, '--store', store)).code).toBe(0);
    const run = spawnSync(
      'bash',
      ['-c', `set -o pipefail; node --import tsx packages/cli/src/bin.ts store records -q '${store}' | head -n 1`],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(run.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('"format":"ocgnet-graph"');
  });
});

describe('issue 17: erasure, reasons, records deleted from the source (embedded, CLI)', () => {
  const writeRecords = (path: string, records: { entities: unknown[]; links: unknown[] }) =>
    writeFileSync(path, JSON.stringify({ schema_version: 1, ...records }));
  const rawAuditRows = (path: string): string[] => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare('SELECT line FROM audit ORDER BY seq').pluck().all() as string[];
    } finally {
      db.close();
    }
  };

  it('after store erase, no audit row holds the id, the chain verifies, and store audit --events shows (erased)', async () => {
    const folder = temporaryFolder();
    const store = join(folder, 'ocgnet.db');
    expect((await runCli('import', '-q', SMALL_FIXTURE, '--store', store)).code).toBe(0);
    const person = small.entities.find(
      (entity) => entity.kind === 'person' && small.links.some((link) => link.from === entity.id),
    )!;
    const other = small.entities.find(
      (entity) =>
        entity.kind === 'person' &&
        entity.id !== person.id &&
        !entity.id.includes(person.id) &&
        !person.id.includes(entity.id),
    )!;
    expect(
      (await runCli('store', 'records', store, '--entity', person.id, '--hops', '1', '--reason', 'checking a referral'))
        .code,
    ).toBe(0);
    expect((await runCli('store', 'records', store, '--entity', other.id)).code).toBe(0);
    const before = await runCli('store', 'audit', store, '--events');
    expect(before.stdout).toContain(`"subject":"${person.id}"`);
    // As stored, the read's subject is sealed: the id is not in the row even before the erasure.
    expect(rawAuditRows(store).join('\n')).not.toContain(person.id);

    const erase = await runCli(
      'store',
      'erase',
      store,
      person.id,
      '--justification',
      'subject access: erasure ordered',
      '--reason',
      'SAR 2026/14',
    );
    expect(erase.code, erase.stderr).toBe(0);
    expect(rawAuditRows(store).join('\n')).not.toContain(person.id);
    const after = await runCli('store', 'audit', store, '--events');
    expect(after.code, after.stderr).toBe(0);
    const events = after.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: { action: string; subject: string; reason?: string } });
    expect(events.map((record) => [record.event.action, record.event.subject])).toEqual([
      ['import', '*'],
      ['read', '(erased)'],
      ['read', other.id],
      ['erase', expect.stringMatching(/^sha256:/)],
    ]);
    expect(events[1]!.event.reason).toBe('checking a referral');
    expect(events[3]!.event.reason).toBe('SAR 2026/14');
    expect(after.stdout).not.toContain(person.id);
    const verify = await runCli('store', 'audit', store);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain('chain intact, 4 event(s)');
    // --sealed prints the records as stored: verifiable lines, no ids.
    const sealed = await runCli('store', 'audit', store, '--events', '--sealed');
    expect(sealed.stdout.trim().split('\n')).toEqual(rawAuditRows(store));
  });

  it('a re-import without a link reports it as absent and keeps it; --replace-source removes it, lists and audits it', async () => {
    const folder = temporaryFolder();
    const store = join(folder, 'ocgnet.db');
    expect((await runCli('import', '-q', SMALL_FIXTURE, '--store', store)).code).toBe(0);
    const gone = small.links.find((link) => link.source === 'PNC')!;
    const without = { entities: small.entities, links: small.links.filter((link) => link.id !== gone.id) };
    const file = join(folder, 'without.json');
    writeRecords(file, without);

    const kept = await runCli('import', '-q', file, '--store', store);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toContain('0 entities and 1 link(s) of source(s)');
    expect(kept.stdout).toContain(
      'are in the store but absent from this import; kept (--replace-source would remove them):',
    );
    expect(kept.stdout).toContain(`  link ${gone.id}\n`);
    expect(await hashOf(store)).toBe(contentHashOf(small));

    const replaced = await runCli(
      'import',
      '-q',
      file,
      '--store',
      store,
      '--replace-source',
      '--reason',
      'source system purge of 3 May',
    );
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain('removed 0 entities and 1 link(s) of source(s)');
    expect(replaced.stdout).toContain(`  link ${gone.id}\n`);
    expect(await hashOf(store)).toBe(contentHashOf(without));
    const reopened = await openStore(store, actor, { readonly: true });
    const last = (await reopened.auditTrail({ reveal: true })).at(-1)!.event;
    await reopened.close();
    expect(last).toMatchObject({
      action: 'import',
      reason: 'source system purge of 3 May',
      detail: { replace_source: true, links_removed: 1, entities_removed: 0, removed: gone.id },
    });
    expect(rawAuditRows(store).at(-1)).not.toContain(gone.id);
    // Now the store matches the source: nothing absent.
    const again = await runCli('import', '-q', file, '--store', store, '--replace-source');
    expect(again.stdout).not.toContain('absent');
  });

  it('a failed --replace-source import names the link and changes nothing', async () => {
    const folder = temporaryFolder();
    const store = join(folder, 'ocgnet.db');
    expect((await runCli('import', '-q', SMALL_FIXTURE, '--store', store)).code).toBe(0);
    const victim = small.entities.find((entity) => entity.kind === 'person' && entity.source !== undefined)!;
    const friend = small.entities.find((entity) => entity.kind === 'person' && entity.id !== victim.id)!;
    // A link from another system joins the victim: that source is not this import's, so the link stays, and would lose its end.
    const other = join(folder, 'other.json');
    writeRecords(other, {
      entities: [victim, friend],
      links: [
        {
          id: 'OTHER-1',
          type: 'associate',
          from: victim.id,
          to: friend.id,
          source: 'Other system',
          date: '2024-05-05',
          grading: { system: '3x5x2', source: '2', intelligence: 'B', handling: 'P' },
        },
      ],
    });
    const first = await runCli('import', '-q', other, '--store', store);
    expect(first.code, first.stderr).toBe(0);
    const file = join(folder, 'no-victim.json');
    writeRecords(file, {
      entities: small.entities.filter((entity) => entity.id !== victim.id),
      links: small.links.filter((link) => link.from !== victim.id && link.to !== victim.id),
    });
    const before = await hashOf(store);
    const events = (await auditActions(store)).length;
    const run = await runCli('import', '-q', file, '--store', store, '--replace-source');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('would lose an end');
    expect(run.stderr).toContain(JSON.stringify(victim.id));
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await hashOf(store)).toBe(before);
    expect((await auditActions(store)).length).toBe(events);
    expect(
      (await runCli('import', '-q', SMALL_FIXTURE, '--out', join(folder, 'g.ocgnet.ndjson'), '--replace-source')).code,
    ).toBe(2);
  });

  it('store audit and store info print audit faults as describeAuditFault does: file:event, or the trail as a whole', async () => {
    const folder = temporaryFolder();
    const store = join(folder, 'ocgnet.db');
    expect((await runCli('import', '-q', SMALL_FIXTURE, '--store', store)).code).toBe(0);
    expect((await runCli('store', 'records', store)).code).toBe(0);
    const db = new Database(store);
    // An event rewritten: the fault is at that event.
    const line = db.prepare('SELECT line FROM audit WHERE seq = 2').pluck().get() as string;
    db.prepare('UPDATE audit SET line = ? WHERE seq = 2').run(line.replace('"action":"read"', '"action":"review"'));
    db.close();
    const audit = await runCli('store', 'audit', store);
    expect(audit.code).toBe(1);
    expect(audit.stderr).toMatch(new RegExp(`^${store.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: [a-z-]+: .+\n$`));
    const info = await runCli('store', 'info', store);
    expect(info.code).toBe(1);
    expect(info.stdout).toContain(`audit chain BROKEN: ${store}:2: `);
    // The store's checkpoint gone: a fault of the trail as a whole (event 0), printed without an event number.
    const whole = join(folder, 'whole.db');
    expect((await runCli('import', '-q', SMALL_FIXTURE, '--store', whole)).code).toBe(0);
    const second = new Database(whole);
    second.prepare("DELETE FROM meta WHERE key = 'audit_checkpoint'").run();
    second.close();
    const run = await runCli('store', 'audit', whole);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^[^\n]+: [a-z-]+: [^\n]+\n$/);
    expect(run.stderr).not.toMatch(/:0: |audit event 0/);
  });
});
