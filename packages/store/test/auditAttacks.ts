/**
 * The audit trail of a store under attack: the same suite for the embedded
 * and the Neo4j store. The harness gives raw access to the database, as an
 * attacker who can write it (but holds no key unless a test says so) has.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  legacyHashRecordBody,
  parseCheckpointLine,
  type AuditEvent,
  type AuditFilesOptions,
  type AuditRecord,
  type AuditVerifyResult,
} from '@ocgnet/audit';
import type { RecordSet } from '@ocgnet/schema';
import type { Store } from '../src/contract.js';
import { StoreError, type StoreErrorCode } from '../src/errors.js';
import {
  auditFilesIn,
  event,
  legacyLines,
  linesOf,
  plainSha256,
  readAuditKey,
  rechain,
  withKey,
} from '../../audit/test/fixtures.js';
import { CONTRACT_ACTOR } from './contract.js';

export interface AuditAttackHarness {
  /** An empty store (and its trail) for the next test. */
  reset(): Promise<void>;
  open(audit: AuditFilesOptions): Promise<Store>;
  /** The trail's record lines, oldest first, read straight from the database. */
  lines(): Promise<string[]>;
  /** Replaces the whole trail in the database. */
  setLines(lines: readonly string[]): Promise<void>;
  /** The store's own checkpoint line, read straight from the database. */
  checkpoint(): Promise<string | undefined>;
  setCheckpoint(line: string | undefined): Promise<void>;
}

const TOWN: RecordSet = {
  entities: [
    { id: 'A1', kind: 'person', label: 'Person A1' },
    { id: 'A2', kind: 'person', label: 'Person A2' },
  ],
  links: [
    {
      id: 'L1',
      type: 'associate',
      from: 'A1',
      to: 'A2',
      source: 'PNC',
      grading: { system: '3x5x2', source: '2', intelligence: 'B', handling: 'P' },
    },
  ],
};

async function storeRejection(promise: Promise<unknown>, code: StoreErrorCode, message?: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).code).toBe(code);
  if (message) expect((error as StoreError).message).toMatch(message);
}

function expectFault(result: AuditVerifyResult, fault: { reason: string; file?: string; line?: number }): void {
  expect(result.ok, JSON.stringify(result)).toBe(false);
  expect(result).toMatchObject(fault);
}

export function describeStoreAuditAttacks(name: string, harness: AuditAttackHarness): void {
  describe(`${name}: audit trail under attack`, () => {
    const root = mkdtempSync(join(tmpdir(), 'ocgnet-store-audit-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    let dir: string;
    let serial = 0;
    beforeEach(async () => {
      dir = join(root, `t${++serial}`);
      await harness.reset();
    });

    const files = (extra: AuditFilesOptions = {}) => ({ ...auditFilesIn(dir), ...extra });
    async function withStore<T>(work: (store: Store) => Promise<T>, extra: AuditFilesOptions = {}): Promise<T> {
      const store = await harness.open(files(extra));
      try {
        return await work(store);
      } finally {
        await store.close();
      }
    }
    /** A store with an import, a read and three profile events: five events. */
    async function populated(extra: AuditFilesOptions = {}): Promise<void> {
      await withStore(async (store) => {
        await store.importRecords(structuredClone(TOWN));
        await store.records();
        for (let n = 1; n <= 3; n++) await store.appendAudit(event(n));
      }, extra);
    }
    const verify = (extra: AuditFilesOptions = {}, options = {}) =>
      withStore((store) => store.verifyAudit(options), extra);
    const appendRefused = (code: StoreErrorCode, message?: RegExp) =>
      withStore((store) => storeRejection(store.appendAudit(event(9)), code, message));

    it('a fresh store verifies with no events, without making or needing a key', async () => {
      expect(await verify()).toMatchObject({ ok: true, count: 0 });
      expect(existsSync(files().key)).toBe(false);
    });

    it('keeps its own signed checkpoint in step with every event', async () => {
      await populated();
      const lines = await harness.lines();
      expect(lines).toHaveLength(5);
      const last = JSON.parse(lines.at(-1)!) as AuditRecord;
      const stored = parseCheckpointLine((await harness.checkpoint())!);
      expect(stored.ok && stored.value.checkpoint).toMatchObject({
        seq: 5,
        head: last.mac,
        log: (JSON.parse(lines[0]!) as AuditRecord).prev,
      });
      expect(await verify()).toMatchObject({
        ok: true,
        count: 5,
        head: last.mac,
        unwitnessed: 0,
        checkpoint: { seq: 5 },
      });
    });

    it('deleting the last event shows against the checkpoint, and the store refuses to write on', async () => {
      await populated();
      await harness.setLines((await harness.lines()).slice(0, 4));
      expectFault(await verify(), { reason: 'truncated', line: 5 });
      await appendRefused('CORRUPT', /events were removed/);
      await withStore((store) => storeRejection(store.records(), 'CORRUPT'));
      expect(await harness.lines()).toHaveLength(4);
    });

    it('deleting the last event and the checkpoint shows: the checkpoint is written with every event', async () => {
      await populated();
      await harness.setLines((await harness.lines()).slice(0, 4));
      await harness.setCheckpoint(undefined);
      expectFault(await verify(), { reason: 'no-witness' });
      // Accepting a missing witness file does not excuse the store's own checkpoint.
      expectFault(await verify({}, { allowMissingWitness: true }), { reason: 'no-witness' });
      await appendRefused('CORRUPT', /own checkpoint is missing/);
    });

    it('an event edited and the chain recomputed in plain SHA-256 fails the MAC', async () => {
      await populated();
      const edit = (events: AuditEvent[]) => events.map((e, i) => (i === 3 ? { ...e, who: 'someone-else' } : e));
      await harness.setLines(rechain(await harness.lines(), plainSha256, edit));
      expectFault(await verify(), { reason: 'mac-mismatch', line: 1 });
      await appendRefused('CORRUPT', /does not verify under the audit key/);
    });

    it('an event edited and every MAC recomputed with the stolen audit key fails the signed checkpoint', async () => {
      await populated();
      const edit = (events: AuditEvent[]) => events.map((e, i) => (i === 3 ? { ...e, who: 'someone-else' } : e));
      await harness.setLines(rechain(await harness.lines(), withKey(readAuditKey(files().key)), edit));
      expectFault(await verify(), { reason: 'rewritten', line: 5 });
      await appendRefused('CORRUPT', /rewritten/);
    });

    it('a store whose trail was deleted while its records remain fails', async () => {
      await populated();
      await harness.setLines([]);
      await harness.setCheckpoint(undefined);
      expectFault(await verify(), { reason: 'no-trail' });
    });

    it('a rollback to an earlier trail and checkpoint passes inside the store, and is caught by a witness kept apart', async () => {
      const witness = join(dir, 'apart', 'witness');
      mkdirSync(join(dir, 'apart'), { recursive: true });
      await withStore((store) => store.importRecords(structuredClone(TOWN)), { witness });
      const earlier = { lines: await harness.lines(), checkpoint: await harness.checkpoint() };
      await withStore(
        async (store) => {
          for (let n = 1; n <= 3; n++) await store.appendAudit(event(n));
        },
        { witness },
      );
      expect(linesOf(witness)).toHaveLength(4);
      await harness.setLines(earlier.lines);
      await harness.setCheckpoint(earlier.checkpoint);
      expect(await verify()).toMatchObject({ ok: true, count: 1 });
      expectFault(await verify({ witness }), { reason: 'truncated', line: 2 });
      await withStore((store) => storeRejection(store.appendAudit(event(9)), 'CORRUPT', /vouches for 4/), { witness });
    });

    it('a configured witness that is missing stops the writer until it is started afresh', async () => {
      await populated();
      const witness = join(dir, 'witness');
      expectFault(await verify({ witness }), { reason: 'no-witness', file: witness });
      expect(await verify({ witness }, { allowMissingWitness: true })).toMatchObject({ ok: true, count: 5 });
      await withStore((store) => storeRejection(store.appendAudit(event(9)), 'CORRUPT', /witness is missing/), {
        witness,
      });
      const checkpoint = await withStore((store) => store.checkpointAudit(), { witness });
      expect(checkpoint).toMatchObject({ seq: 5 });
      expect(await verify({ witness })).toMatchObject({ ok: true, count: 5, unwitnessed: 0 });
      await withStore((store) => store.appendAudit(event(9)), { witness, mirror: join(dir, 'mirror') });
      expect(linesOf(witness)).toHaveLength(2);
      expect(linesOf(join(dir, 'mirror'))).toHaveLength(1);
      expect(await verify({ witness })).toMatchObject({ ok: true, count: 6, checkpoint: { seq: 6 } });
    });

    describe('a legacy trail (plain SHA-256, written by an older ocgnet)', () => {
      const legacyEvents = [event(1), event(2), event(3)];
      beforeEach(async () => {
        await withStore((store) => store.importRecords(structuredClone(TOWN)));
        await harness.setLines(legacyLines(legacyEvents));
        await harness.setCheckpoint(undefined);
      });

      it('never passes silently, and the store will not write on it', async () => {
        expectFault(await verify(), { reason: 'legacy', line: 1 });
        expect(await verify({}, { allowLegacy: true })).toMatchObject({ ok: true, legacy: true, count: 3 });
        await appendRefused('CORRUPT', /ocgnet audit migrate/);
        await withStore((store) => storeRejection(store.auditTrail(), 'CORRUPT', /plain SHA-256/));
      });

      it('migrateAudit re-seals it in one transaction, audited as migrate', async () => {
        const migration = await withStore((store) => store.migrateAudit());
        expect(migration).toMatchObject({ events: 3, count: 4 });
        expect(await verify()).toMatchObject({ ok: true, count: 4, head: migration.head, unwitnessed: 0 });
        const trail = await withStore((store) => store.auditTrail());
        expect(trail.slice(0, 3).map((r) => r.event)).toEqual(legacyEvents);
        expect(trail[3]!.event).toMatchObject({
          action: 'migrate',
          who: CONTRACT_ACTOR.who,
          detail: { legacy_events: 3, legacy_head: migration.legacyHead },
        });
        const recomputed = legacyLines(trail.slice(0, 3).map((r) => r.event)).map(
          (line) => JSON.parse(line) as { seq: number; prev: string; event: AuditEvent; hash: string },
        );
        expect(legacyHashRecordBody(recomputed.at(-1)!)).toBe(migration.legacyHead);
        await withStore((store) => store.appendAudit(event(9)));
        expect(await verify()).toMatchObject({ ok: true, count: 5 });
        await withStore((store) => storeRejection(store.migrateAudit(), 'CORRUPT', /not a legacy audit trail/));
      });
    });
  });
}
