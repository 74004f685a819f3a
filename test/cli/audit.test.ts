/**
 * `ocgnet audit verify|checkpoint|migrate`: an intact trail passes; anything
 * altered, removed, rewritten, missing or legacy fails with exit 1 and one
 * line naming the file and the reason, never a stack trace.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, type AuditEvent } from '@ocgnet/audit';
import { openStore } from '@ocgnet/store';
import {
  asFile,
  auditFilesIn,
  legacyLines,
  linesOf,
  readAuditKey,
  rechain,
  withKey,
} from '../../packages/audit/test/fixtures.js';
import { REPO_ROOT, runCli, temporaryFolder, type CliRun } from './cli.fixtures.js';

// The store package's own SQLite binding (the repository root does not depend on it): the attacker's tool.
const Database = createRequire(join(REPO_ROOT, 'packages', 'store', 'package.json'))('better-sqlite3') as new (
  path: string,
) => {
  prepare(sql: string): { run(...params: unknown[]): unknown };
  close(): void;
};

const exportEvent = (i: number): AuditEvent => ({
  action: 'export',
  who: 'analyst1',
  at: '2026-11-24T10:00:00Z',
  audience: 'partner-agency:housing',
  subject: `ocg:OCG0${i}`,
  justification: 'Panel meeting',
  recipients: ['Housing'],
});

let folder: string;
let log: string;
let files: ReturnType<typeof auditFilesIn>;
/** The key flags every run takes: the test's own keys, never the user's. */
const keyFlags = () => ['--key', files.key, '--signing-key', files.signingKey];
const audit = (...args: string[]) => runCli('audit', ...args, ...keyFlags());

beforeEach(async () => {
  folder = temporaryFolder();
  log = join(folder, 'audit.log');
  files = auditFilesIn(folder);
  const trail = new AuditLog(log, files);
  for (let i = 0; i < 3; i++) await trail.append(exportEvent(i));
});

function expectRefusal(run: CliRun, line: RegExp): void {
  expect(run.code, run.stdout).toBe(1);
  expect(run.stderr.trim().split('\n'), run.stderr).toHaveLength(1);
  expect(run.stderr).toMatch(line);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('ocgnet audit verify on a log file', () => {
  it('passes an intact log and names its checkpoint', async () => {
    const ok = await audit('verify', log);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      /chain intact, 3 event\(s\) of log [0-9a-f]{16}; head [0-9a-f]{64}; checkpoint of event 3 at .* signed by key [0-9a-f]{16}/,
    );
    expect(ok.stderr).toBe('');
  });

  it('fails an edited event, naming the file and line', async () => {
    writeFileSync(log, readFileSync(log, 'utf8').replace('OCG01', 'OCG09'));
    expectRefusal(await audit('verify', log), /audit\.log:2: mac-mismatch: /);
  });

  it('fails closed on a path that does not exist, and on an empty file', async () => {
    expectRefusal(await audit('verify', join(folder, 'nowhere.log')), /nowhere\.log: missing: no such audit log/);
    writeFileSync(join(folder, 'empty.log'), '');
    expectRefusal(await audit('verify', join(folder, 'empty.log')), /empty\.log: empty: /);
  });

  it('fails when the last event is deleted', async () => {
    writeFileSync(log, asFile(linesOf(log).slice(0, 2)));
    expectRefusal(
      await audit('verify', log),
      /audit\.log:3: truncated: has 2 event\(s\), but .*audit\.log\.witness:3 .* vouches for 3: event 3 was removed/,
    );
  });

  it('fails when every MAC is recomputed with the stolen audit key, against the signed checkpoints', async () => {
    const edit = (events: AuditEvent[]) => events.map((e, i) => (i === 1 ? { ...e, recipients: [] } : e));
    writeFileSync(log, asFile(rechain(linesOf(log), withKey(readAuditKey(files.key)), edit)));
    expectRefusal(await audit('verify', log), /audit\.log:2: rewritten: /);
  });

  it('fails on a missing witness unless --allow-missing-witness, then warns', async () => {
    rmSync(`${log}.witness`);
    expectRefusal(await audit('verify', log), /audit\.log\.witness: no-witness: .*--allow-missing-witness/);
    const accepted = await audit('verify', log, '--allow-missing-witness');
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stderr).toMatch(/^ocgnet: warning: .*witness is missing/);
  });

  it('fails on a missing key with one line naming the key file', async () => {
    const run = await runCli(
      'audit',
      'verify',
      log,
      '--key',
      join(folder, 'no.key'),
      '--signing-key',
      files.signingKey,
    );
    expectRefusal(run, /no\.key: key: no audit key there/);
  });

  it('prints the verdict as JSON with --json, with the same exit codes', async () => {
    const ok = await audit('verify', log, '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, count: 3, checkpoint: { seq: 3 } });
    writeFileSync(log, asFile(linesOf(log).slice(0, 1)));
    const bad = await audit('verify', log, '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, reason: 'truncated', file: log, line: 2 });
  });
});

describe('ocgnet audit checkpoint and migrate', () => {
  it('checkpoint starts a lost witness afresh, after checking the chain', async () => {
    rmSync(`${log}.witness`);
    const run = await audit('checkpoint', log);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/checkpoint of event 3/);
    expect(run.stderr).toMatch(/warning: events removed before this checkpoint cannot be detected/);
    expect((await audit('verify', log)).code).toBe(0);
    writeFileSync(log, readFileSync(log, 'utf8').replace('OCG01', 'OCG09'));
    expectRefusal(await audit('checkpoint', log), /mac-mismatch.*no checkpoint was written/);
  });

  it('a legacy log fails, passes with --allow-legacy and a warning, and verifies once migrated', async () => {
    rmSync(`${log}.witness`);
    writeFileSync(log, asFile(legacyLines([exportEvent(0), exportEvent(1)])));
    expectRefusal(await audit('verify', log), /audit\.log:1: legacy: .*ocgnet audit migrate/);
    const legacy = await audit('verify', log, '--allow-legacy');
    expect(legacy.code).toBe(0);
    expect(legacy.stdout).toMatch(/LEGACY chain consistent, 2 event\(s\)/);
    expect(legacy.stderr).toMatch(/warning: .*anyone can recompute/);
    expect((await audit('migrate', log)).code).toBe(2); // --justification is required
    const migrated = await audit('migrate', log, '--who', 'auditor-1', '--justification', 'Re-seal the old trail');
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(/re-sealed 2 legacy event\(s\) .* kept as .*audit\.log\.legacy/);
    expect(existsSync(`${log}.legacy`)).toBe(true);
    const verified = await audit('verify', log);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/3 event\(s\)/);
  });
});

describe('ocgnet audit verify on an embedded store', () => {
  const actor = { who: 'analyst1', audience: 'police-analyst', justification: 'cli audit test' };

  it('passes an intact store, fails one whose last event was deleted, and fails an empty one', async () => {
    const path = join(folder, 'ocgnet.db');
    const store = await openStore(path, actor, { audit: files });
    await store.importRecords({ entities: [{ id: 'P1', kind: 'person', label: 'Person 1' }], links: [] });
    await store.appendAudit(exportEvent(1));
    await store.close();
    const ok = await audit('verify', path);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/chain intact, 2 event\(s\).*its own checkpoint/);

    const db = new Database(path);
    db.prepare('DELETE FROM audit WHERE seq = 2').run();
    db.close();
    expectRefusal(await audit('verify', path), /ocgnet\.db:2: truncated: /);

    const empty = join(folder, 'empty.db');
    await (await openStore(empty, actor, { audit: files })).close();
    expectRefusal(await audit('verify', empty), /empty\.db: empty: no audit events/);
  });
});
