/**
 * The attacks of the table in packages/audit/README.md, one by one, on a log
 * file: what each attacker can do, and whether `verify` sees it. Where an
 * attack goes unseen locally (by design: the attacker holds every key, or can
 * roll back both the log and its witness), the test shows that the mirror
 * (a copy of the checkpoints kept apart, e.g. by a SIEM) still catches it.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditError, AuditLog, parseCheckpointLine, resolveAuditFiles, type AuditVerifyResult } from '../src/index.js';
import { loadSigner } from '../src/keys.js';
import { signCheckpoint } from '../src/checkpoint.js';
import {
  asFile,
  attackerSigner,
  auditFilesIn,
  event,
  legacyLines,
  linesOf,
  plainSha256,
  readAuditKey,
  rechain,
  withKey,
} from './fixtures.js';

let dir: string;
let path: string;
let witness: string;
let mirror: string;
const log = () => new AuditLog(path, { ...auditFilesIn(dir), mirror });
/** Verify as an auditor who holds the mirror (the SIEM's copy of every checkpoint) instead of the local witness. */
const verifyAgainstMirror = () => new AuditLog(path, { ...auditFilesIn(dir), witness: mirror }).verify();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocgnet-attack-'));
  path = join(dir, 'audit.log');
  witness = `${path}.witness`;
  mirror = join(dir, 'siem.ndjson');
  for (let n = 1; n <= 6; n++) await log().append(event(n));
  expect(await log().verify()).toMatchObject({ ok: true, count: 6, unwitnessed: 0 });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function expectFault(
  result: AuditVerifyResult,
  fault: { reason: string; file?: string; line?: number; detail?: unknown },
): void {
  expect(result.ok, JSON.stringify(result)).toBe(false);
  expect(result).toMatchObject(fault);
}

const editSubject = (events: ReturnType<typeof event>[]) =>
  events.map((e, i) => (i === 2 ? { ...e, subject: 'ocg-innocent' } : e));

/** The signing key, as an attacker who stole it holds it. */
const stolenSigner = () => loadSigner(resolveAuditFiles(auditFilesIn(dir)), { create: false });

/** Rewrites the witness with one checkpoint of the log's current head, signed by `signer`. */
async function resignWitness(signer = stolenSigner()): Promise<void> {
  const records = linesOf(path).map((line) => JSON.parse(line) as { seq: number; prev: string; mac: string });
  const head = records.at(-1)!;
  await writeFile(
    witness,
    `${signCheckpoint({ log: records[0]!.prev, seq: head.seq, head: head.mac, at: new Date().toISOString() }, signer)}\n`,
  );
}

describe('attacker without any key', () => {
  it('edits one event: the MAC fails at that event', async () => {
    await writeFile(
      path,
      asFile(linesOf(path).map((line, i) => (i === 2 ? line.replace('"subject":"ocg-3"', '"subject":"ocg-9"') : line))),
    );
    expectFault(await log().verify(), { reason: 'mac-mismatch', line: 3, file: path });
  });

  it('edits one event and recomputes every hash after it (plain SHA-256): the MACs fail', async () => {
    await writeFile(path, asFile(rechain(linesOf(path), plainSha256, editSubject)));
    expectFault(await log().verify(), { reason: 'mac-mismatch', line: 1 });
  });

  it('deletes the last event(s): the witness vouches for more, and the writer refuses to go on', async () => {
    await writeFile(path, asFile(linesOf(path).slice(0, 4)));
    expectFault(await log().verify(), {
      reason: 'truncated',
      file: path,
      line: 5,
      detail: expect.stringMatching(/vouches for 6: events 5–6 were removed/),
    });
    const refused = await log()
      .append(event(7))
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'AuditError', code: 'AUDIT_CORRUPT' });
    expect(linesOf(path)).toHaveLength(4);
  });

  it('deletes the whole log: verify fails, and the writer will not start a new one over the witness', async () => {
    await rm(path);
    expectFault(await log().verify(), { reason: 'missing', file: path });
    await expect(log().append(event(7))).rejects.toMatchObject({
      code: 'AUDIT_CORRUPT',
      message: expect.stringMatching(/vouches for 6 event\(s\)/),
    });
  });

  it('deletes the log and its witness, and lets the writer start afresh: unseen locally, caught by the mirror', async () => {
    await rm(path);
    await rm(witness);
    await log().append(event(7));
    expect(await log().verify()).toMatchObject({ ok: true, count: 1 });
    expectFault(await verifyAgainstMirror(), { reason: 'other-log' });
  });

  it('replaces the log and witness with an earlier copy of both (rollback): unseen locally, caught by the mirror', async () => {
    const earlier = join(dir, 'earlier');
    await rm(path);
    await rm(witness);
    await rm(mirror);
    for (let n = 1; n <= 3; n++) await log().append(event(n));
    await copyFile(path, `${earlier}.log`);
    await copyFile(witness, `${earlier}.witness`);
    for (let n = 4; n <= 6; n++) await log().append(event(n));
    await copyFile(`${earlier}.log`, path);
    await copyFile(`${earlier}.witness`, witness);
    expect(await log().verify()).toMatchObject({ ok: true, count: 3 });
    expectFault(await verifyAgainstMirror(), { reason: 'truncated' });
  });

  it('forges a checkpoint with a key of their own: the signer is not the trusted one', async () => {
    await writeFile(path, asFile(linesOf(path).slice(0, 4)));
    await resignWitness(attackerSigner());
    expectFault(await log().verify(), { reason: 'unknown-signer', file: witness, line: 1 });
  });

  it('alters a signed checkpoint: the signature fails', async () => {
    const [first, ...rest] = linesOf(witness);
    const altered = parseCheckpointLine(first!);
    if (!altered.ok) throw new Error(altered.detail);
    altered.value.checkpoint.at = '2020-01-01T00:00:00.000Z';
    await writeFile(witness, asFile([JSON.stringify(altered.value), ...rest]));
    expectFault(await log().verify(), { reason: 'bad-signature', file: witness, line: 1 });
  });
});

describe('attacker with the audit (HMAC) key only', () => {
  it('edits an event and recomputes every MAC with the key: the checkpoints no longer match', async () => {
    const key = readAuditKey(auditFilesIn(dir).key);
    await writeFile(path, asFile(rechain(linesOf(path), withKey(key), editSubject)));
    expectFault(await log().verify(), { reason: 'rewritten', file: path, line: 3 });
    await expect(log().append(event(7))).rejects.toMatchObject({
      code: 'AUDIT_CORRUPT',
      message: expect.stringMatching(/rewritten/),
    });
  });

  it('deletes the last events and forges new ones to the same length: the checkpoints no longer match', async () => {
    const key = readAuditKey(auditFilesIn(dir).key);
    await writeFile(
      path,
      asFile(rechain(linesOf(path), withKey(key), (events) => [...events.slice(0, 4), event(40), event(41)])),
    );
    expectFault(await log().verify(), { reason: 'rewritten', line: 5 });
  });

  it('appends forged events after the latest checkpoint: they pass, marked as sealed by the key alone, and stay marked once the writer goes on', async () => {
    const key = readAuditKey(auditFilesIn(dir).key);
    await writeFile(path, asFile(rechain(linesOf(path), withKey(key), (events) => [...events, event(98), event(99)])));
    const result = await log().verify();
    expect(result).toMatchObject({ ok: true, count: 8, unwitnessed: 2 });
    expect(result.ok && result.warnings.join('\n')).toMatch(/2 event\(s\) after the latest checkpoint/);
    // The writer chains on and checkpoints event 9; the witness never saw 7 and 8 on their own.
    await log().append(event(9));
    const later = await log().verify();
    expect(later).toMatchObject({ ok: true, count: 9, unwitnessed: 0 });
    expect(later.ok && later.warnings.join('\n')).toMatch(/event\(s\) 7–8 have no checkpoint of their own/);
  });
});

describe('attacker with the signing key only', () => {
  it('edits an event: without the audit key the MAC still fails', async () => {
    await writeFile(path, asFile(rechain(linesOf(path), plainSha256, editSubject)));
    await resignWitness();
    expectFault(await log().verify(), { reason: 'mac-mismatch' });
  });

  it('deletes the last events and re-signs the witness for the shorter log: unseen locally, caught by the mirror', async () => {
    await writeFile(path, asFile(linesOf(path).slice(0, 4)));
    await resignWitness();
    expect(await log().verify()).toMatchObject({ ok: true, count: 4 });
    expectFault(await verifyAgainstMirror(), { reason: 'truncated' });
  });
});

describe('attacker with both keys', () => {
  it('rewrites the log and re-signs the witness: unseen locally, caught by the mirror', async () => {
    const key = readAuditKey(auditFilesIn(dir).key);
    await writeFile(path, asFile(rechain(linesOf(path), withKey(key), editSubject)));
    await resignWitness();
    expect(await log().verify()).toMatchObject({ ok: true, count: 6 });
    expectFault(await verifyAgainstMirror(), { reason: 'rewritten', line: 3 });
  });
});

describe('a legacy log (plain SHA-256, written by an older ocgnet)', () => {
  beforeEach(async () => {
    await rm(witness);
    await writeFile(path, asFile(legacyLines([event(1), event(2), event(3)])));
  });

  it('never passes silently: verify fails, --allow-legacy passes it with a warning, append refuses', async () => {
    expectFault(await log().verify(), {
      reason: 'legacy',
      line: 1,
      detail: expect.stringMatching(/ocgnet audit migrate/),
    });
    const legacy = await log().verify({ allowLegacy: true });
    expect(legacy).toMatchObject({ ok: true, count: 3, legacy: true });
    expect(legacy.ok && legacy.warnings.join('\n')).toMatch(/anyone can recompute/);
    await expect(log().append(event(4))).rejects.toMatchObject({ code: 'AUDIT_LEGACY' });
  });

  it('an edit recomputed in plain SHA-256 passes as legacy: that is why it must be migrated', async () => {
    await writeFile(path, asFile(legacyLines([event(1), { ...event(2), subject: 'ocg-innocent' }, event(3)])));
    expect(await log().verify({ allowLegacy: true })).toMatchObject({ ok: true, legacy: true });
  });

  it('migrate re-seals it under the key, keeps the legacy file, and records the legacy head', async () => {
    const legacyText = linesOf(path);
    const migration = await log().migrate({
      who: 'auditor-1',
      audience: 'police-analyst',
      justification: 'Re-seal the 2025 trail',
    });
    expect(migration).toMatchObject({ events: 3, count: 4, legacyCopy: `${path}.legacy` });
    expect(linesOf(`${path}.legacy`)).toEqual(legacyText);
    const verified = await log().verify();
    expect(verified).toMatchObject({ ok: true, count: 4, head: migration.head, log: migration.log, unwitnessed: 0 });
    const records = linesOf(path).map((line) => JSON.parse(line) as { event: ReturnType<typeof event> });
    expect(records.slice(0, 3).map((r) => r.event)).toEqual([event(1), event(2), event(3)]);
    expect(records[3]!.event).toMatchObject({
      action: 'migrate',
      who: 'auditor-1',
      detail: { legacy_events: 3, legacy_head: migration.legacyHead },
    });
    // Anyone can recompute the legacy head from the re-sealed events: nothing changed at the migration.
    expect(JSON.parse(legacyLines(records.slice(0, 3).map((r) => r.event)).at(-1)!).hash).toBe(migration.legacyHead);
    await log().append(event(5));
    expect(await log().verify()).toMatchObject({ ok: true, count: 5 });
  });

  it('migrate refuses a broken legacy chain, and changes nothing', async () => {
    const broken = legacyLines([event(1), event(2), event(3)]);
    broken.splice(1, 1);
    await writeFile(path, asFile(broken));
    const error = await log()
      .migrate({ who: 'a', audience: 'police-analyst', justification: 'b' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditError);
    expect((error as AuditError).message).toMatch(/legacy chain is broken/);
    expect(linesOf(path)).toEqual(broken);
  });
});
