import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '@ocgnet/audit';
import type { Entity, Link, RecordSet } from '@ocgnet/schema';
import { contentHashOf } from '../src/content.js';
import type { Store } from '../src/contract.js';
import { StoreError, type StoreErrorCode } from '../src/errors.js';
import { openEmbeddedStore } from '../src/embedded/sqliteStore.js';
import { CONTRACT_ACTOR, describeStoreContract } from './contract.js';

const root = mkdtempSync(join(tmpdir(), 'ocgnet-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let serial = 0;
const freshPath = () => join(root, `store-${++serial}.sqlite`);

let current = freshPath();
describeStoreContract('embedded store', {
  async reset() {
    current = freshPath();
  },
  open: (actor = CONTRACT_ACTOR) => openEmbeddedStore(current, actor),
  reopen: () => openEmbeddedStore(current, CONTRACT_ACTOR),
  async rawAuditLines() {
    const db = new Database(current, { readonly: true });
    try {
      return db.prepare('SELECT line FROM audit ORDER BY seq').pluck().all() as string[];
    } finally {
      db.close();
    }
  },
});

async function rejection(promise: Promise<unknown>, code: StoreErrorCode): Promise<StoreError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(StoreError);
  expect((caught as StoreError).code).toBe(code);
  return caught as StoreError;
}

const P = { system: '3x5x2', source: '2', intelligence: 'B', handling: 'P' } as const;

/** A small chain of persons and associate links, made up here. */
function people(count: number, prefix = 'P'): RecordSet {
  const entities: Entity[] = Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i}`,
    kind: 'person',
    label: `Person ${i}`,
  }));
  const links: Link[] = entities.slice(1).map((e, i) => ({
    id: `${prefix}K${i}`,
    type: 'associate',
    from: entities[i]!.id,
    to: e.id,
    source: 'PNC',
    grading: P,
  }));
  return { entities, links };
}

/**
 * The store's own better-sqlite3 connection. The embedded store keeps it in a
 * private field, `db`, with no accessor; the test reads the field at run time.
 * Should the field be renamed, the instanceof check fails loudly rather than
 * letting the pragma checks pass on some other connection.
 */
function connectionOf(store: Store): Database.Database {
  const db = (store as unknown as { db?: unknown }).db;
  expect(db, 'the embedded store keeps its connection in `db`').toBeInstanceOf(Database);
  return db as Database.Database;
}

const profileEvent = (who: string): AuditEvent => ({
  action: 'profile',
  who,
  at: new Date().toISOString(),
  audience: 'police-analyst',
  subject: 'P1',
  justification: 'Test',
  recipients: [],
});

describe('embedded store: opening', () => {
  it('refuses a text file, naming the path', async () => {
    const path = join(root, 'notes.txt');
    writeFileSync(path, 'this is not a database\n'.repeat(50));
    const error = await rejection(openEmbeddedStore(path, CONTRACT_ACTOR), 'CORRUPT');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not an ocgnet store/);
  });

  it('refuses another SQLite database and leaves it as it was', async () => {
    const path = join(root, 'other.sqlite');
    const other = new Database(path);
    other.exec(
      "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ann');",
    );
    const journal = other.pragma('journal_mode', { simple: true });
    other.close();
    const error = await rejection(openEmbeddedStore(path, CONTRACT_ACTOR), 'CORRUPT');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not an ocgnet store/);
    const again = new Database(path, { readonly: true });
    expect(again.pragma('journal_mode', { simple: true })).toBe(journal);
    expect(again.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['customers']);
    again.close();
  });

  it('refuses a store of a future schema version', async () => {
    const path = freshPath();
    await (await openEmbeddedStore(path, CONTRACT_ACTOR)).close();
    const db = new Database(path);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();
    const error = await rejection(openEmbeddedStore(path, CONTRACT_ACTOR), 'CORRUPT');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/version 99/);
  });

  it('reports a missing directory as unavailable, naming the path', async () => {
    const path = join(root, 'no-such-dir', 'store.sqlite');
    const error = await rejection(openEmbeddedStore(path, CONTRACT_ACTOR), 'UNAVAILABLE');
    expect(error.message).toContain(path);
  });

  it('refuses an actor the audit trail would refuse', async () => {
    await rejection(openEmbeddedStore(freshPath(), { ...CONTRACT_ACTOR, justification: '' }), 'USAGE');
  });

  it('sets WAL, full sync and foreign keys, and records its format', async () => {
    const path = freshPath();
    // synchronous and foreign_keys belong to a connection, not to the file: a
    // connection the test opened itself would show SQLite's defaults, whatever
    // the store did. So they are read on the store's own connection, both
    // read-write and read-only (the store sets them on either).
    for (const readonly of [false, true]) {
      const store = await openEmbeddedStore(path, CONTRACT_ACTOR, { readonly });
      try {
        const db = connectionOf(store);
        expect(db.pragma('journal_mode', { simple: true }), `readonly ${readonly}`).toBe('wal');
        expect(db.pragma('synchronous', { simple: true }), `readonly ${readonly}: synchronous = FULL`).toBe(2);
        expect(db.pragma('foreign_keys', { simple: true }), `readonly ${readonly}: foreign_keys = ON`).toBe(1);
        if (!readonly) {
          // And foreign keys are enforced there: a link between entities that do not exist is refused.
          let caught: unknown;
          try {
            db.prepare(
              "INSERT INTO links (id, type, from_id, to_id, handling, record) VALUES ('K-orphan', 'associate', 'nobody', 'no-one', 'P', '{}')",
            ).run();
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(Database.SqliteError);
          expect((caught as { code?: string }).code).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
        }
      } finally {
        await store.close();
      }
    }
    // WAL is a property of the file: a fresh connection sees it too, and the format marker.
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT count(*) FROM links').pluck().get()).toBe(0);
    expect(
      Object.fromEntries(db.prepare('SELECT key, value FROM meta').raw().all() as [string, string][]),
    ).toMatchObject({ format: 'ocgnet-store', schema_version: '1' });
    db.close();
  });
});

describe('embedded store: ids SQLite cannot keep', () => {
  it('refuses ids with a lone surrogate, which UTF-8 cannot hold, and changes nothing', async () => {
    const store = await openEmbeddedStore(freshPath(), CONTRACT_ACTOR);
    try {
      await store.importRecords(people(3));
      const hash = await store.contentHash();
      const records: RecordSet = {
        entities: [{ id: 'x\ud800', kind: 'person', label: 'a' }],
        links: [{ id: 'k\udfff', type: 'associate', from: 'x\ud800', to: 'P1', source: 'PNC', grading: P }],
      };
      const error = await rejection(store.importRecords(records), 'CONFLICT');
      expect(error.issues).toContainEqual(expect.objectContaining({ record: 'entity', id: 'x\ud800', field: 'id' }));
      expect(error.issues).toContainEqual(expect.objectContaining({ record: 'link', id: 'k\udfff', field: 'from' }));
      expect(await store.contentHash()).toBe(hash);
      // A well-formed pair (an emoji) is fine.
      await store.importRecords({ entities: [{ id: 'x\ud83d\ude00', kind: 'person', label: 'a' }], links: [] });
      expect((await store.records({ entityIds: ['x\ud83d\ude00'] })).entities).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});

describe('embedded store: the content hash it keeps', () => {
  it('follows every change to the records, by this connection, a view of it, or another connection', async () => {
    const path = freshPath();
    const store = await openEmbeddedStore(path, CONTRACT_ACTOR);
    const other = await openEmbeddedStore(path, CONTRACT_ACTOR);
    try {
      let expected = people(5);
      await store.importRecords(expected);
      expect(await store.contentHash()).toBe(contentHashOf(expected));
      // An audit event is not content: the hash stays.
      await store.appendAudit(profileEvent('x'));
      expect(await store.contentHash()).toBe(contentHashOf(expected));
      // Another connection imports: this one's kept hash must not be served.
      const more = people(3, 'Q');
      await other.importRecords(more);
      expected = { entities: [...expected.entities, ...more.entities], links: [...expected.links, ...more.links] };
      expect(await store.contentHash()).toBe(contentHashOf(expected));
      // An erasure through a view of this connection.
      await store.as({ ...CONTRACT_ACTOR, who: 'someone else' }).erase('Q1', { justification: 'test' });
      expected = {
        entities: expected.entities.filter((e) => e.id !== 'Q1'),
        links: expected.links.filter((l) => l.from !== 'Q1' && l.to !== 'Q1'),
      };
      expect(await store.contentHash()).toBe(contentHashOf(expected));
      expect(await other.contentHash()).toBe(contentHashOf(expected));
      // A row changed behind ocgnet's back, straight through SQLite: the file's triggers still count it.
      const raw = new Database(path);
      raw.prepare("DELETE FROM links WHERE from_id = 'P1' OR to_id = 'P1'").run();
      raw.close();
      expected = { ...expected, links: expected.links.filter((l) => l.from !== 'P1' && l.to !== 'P1') };
      expect(await store.contentHash()).toBe(contentHashOf(expected));
    } finally {
      await store.close();
      await other.close();
    }
  });
});

describe('embedded store: read-only', () => {
  it('reads what is there and refuses every write', async () => {
    const path = freshPath();
    const writer = await openEmbeddedStore(path, CONTRACT_ACTOR);
    await writer.importRecords(people(5));
    const hash = await writer.contentHash();
    await writer.close();

    const reader = await openEmbeddedStore(path, CONTRACT_ACTOR, { readonly: true });
    try {
      expect(await reader.contentHash()).toBe(hash);
      expect(await reader.counts()).toEqual({ entities: 5, links: 4 });
      expect(await reader.verifyAudit()).toMatchObject({ ok: true, count: 1 });
      await rejection(reader.importRecords(people(2, 'Q')), 'USAGE');
      await rejection(reader.appendAudit(profileEvent('x')), 'USAGE');
      await rejection(reader.erase('P1', { justification: 'x' }), 'USAGE');
      await rejection(
        reader.saveAnalysis({
          runId: 'r',
          at: '2025-01-01T00:00:00Z',
          engine: 'e',
          marking: { handling: 'P', conditions: [] },
          metrics: {},
          communities: {},
        }),
        'USAGE',
      );
      // Reads of records must be audited, which a read-only store cannot do.
      await rejection(reader.records(), 'USAGE');
      await rejection(reader.dueForReview('2026-01-01'), 'USAGE');
      expect(await reader.contentHash()).toBe(hash);
    } finally {
      await reader.close();
    }
  });

  it('will not create a store read-only', async () => {
    const path = freshPath();
    await rejection(openEmbeddedStore(path, CONTRACT_ACTOR, { readonly: true }), 'UNAVAILABLE');
  });
});

describe('embedded store: all or nothing', () => {
  it('rolls back an import that fails in a later batch (SQL error)', async () => {
    const path = freshPath();
    const store = await openEmbeddedStore(path, CONTRACT_ACTOR);
    try {
      await store.importRecords(people(10));
      const before = {
        hash: await store.contentHash(),
        counts: await store.counts(),
        audit: (await store.auditTrail()).length,
      };
      // A trigger makes SQLite refuse one record of the second batch, after the first batch was written.
      const side = new Database(path);
      side.exec(
        "CREATE TRIGGER boom BEFORE INSERT ON entities WHEN NEW.id = 'N7' BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
      );
      side.close();
      const batches: number[] = [];
      await expect(
        store.importRecords(people(10, 'N'), { batchSize: 5, onProgress: (done) => batches.push(done) }),
      ).rejects.toThrow(/injected failure/);
      expect(batches).toEqual([5]);
      expect(await store.contentHash()).toBe(before.hash);
      expect(await store.counts()).toEqual(before.counts);
      expect((await store.auditTrail()).length).toBe(before.audit);
      // And it still works.
      const ok = await store.importRecords(people(5, 'M'));
      expect(ok.entities.added).toBe(5);
    } finally {
      await store.close();
    }
  });

  it('rolls back an import whose progress callback throws between batches', async () => {
    const store = await openEmbeddedStore(freshPath(), CONTRACT_ACTOR);
    try {
      const records = people(50);
      await expect(
        store.importRecords(records, {
          batchSize: 20,
          onProgress: (done) => {
            if (done >= 40) throw new Error('interrupted');
          },
        }),
      ).rejects.toThrow('interrupted');
      expect(await store.counts()).toEqual({ entities: 0, links: 0 });
      expect(await store.auditTrail()).toEqual([]);
      await store.importRecords(records);
      expect(await store.contentHash()).toBe(contentHashOf(records));
    } finally {
      await store.close();
    }
  });

  it('makes nothing visible to another connection before the commit', async () => {
    const path = freshPath();
    const store = await openEmbeddedStore(path, CONTRACT_ACTOR);
    const watcher = new Database(path, { readonly: true });
    const seen: number[] = [];
    try {
      await store.importRecords(people(30), {
        batchSize: 10,
        onProgress: () => seen.push(watcher.prepare('SELECT count(*) FROM entities').pluck().get() as number),
      });
      expect(seen).toEqual([0, 0, 0, 0, 0, 0]);
      expect(watcher.prepare('SELECT count(*) FROM entities').pluck().get()).toBe(30);
    } finally {
      watcher.close();
      await store.close();
    }
  });
});

describe('embedded store: several instances on one file', () => {
  it('keeps one valid chain when two instances append alternately', async () => {
    const path = freshPath();
    const a = await openEmbeddedStore(path, CONTRACT_ACTOR);
    const b = await openEmbeddedStore(path, { ...CONTRACT_ACTOR, who: 'analyst-8' });
    try {
      await a.importRecords(people(4));
      for (let i = 0; i < 5; i++) {
        await a.appendAudit(profileEvent('analyst-7'));
        await b.appendAudit(profileEvent('analyst-8'));
        await b.records({ entityIds: ['P1'] });
      }
      await Promise.all([
        a.appendAudit(profileEvent('analyst-7')),
        b.appendAudit(profileEvent('analyst-8')),
        a.records(),
        b.dueForReview('2026-01-01'),
      ]);
      const verdict = await a.verifyAudit();
      expect(verdict).toMatchObject({ ok: true, count: 1 + 15 + 4 });
      expect(await b.verifyAudit()).toEqual(verdict);
      const whos = (await b.auditTrail()).map((r) => r.event.who);
      expect(whos.filter((who) => who === 'analyst-8')).toHaveLength(12);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('orders concurrent acts on one instance', async () => {
    const store = await openEmbeddedStore(freshPath(), CONTRACT_ACTOR);
    try {
      // The import yields between batches; the appends must not land inside its transaction.
      const importing = store.importRecords(people(100), { batchSize: 10 });
      const appends = Array.from({ length: 5 }, () => store.appendAudit(profileEvent('analyst-7')));
      await Promise.all([importing, ...appends]);
      expect(await store.verifyAudit()).toMatchObject({ ok: true, count: 6 });
      expect((await store.auditTrail())[0]!.event.action).toBe('import');
    } finally {
      await store.close();
    }
  });

  it('refuses use after close', async () => {
    const store: Store = await openEmbeddedStore(freshPath(), CONTRACT_ACTOR);
    await store.close();
    await store.close();
    await rejection(store.counts(), 'USAGE');
  });
});
