/**
 * The embedded store's audit trail under attack (auditAttacks.ts), with raw
 * SQLite access to the store file as the attacker's tool.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { openEmbeddedStore } from '../src/embedded/sqliteStore.js';
import { describeStoreAuditAttacks } from './auditAttacks.js';
import { CONTRACT_ACTOR } from './contract.js';

const root = mkdtempSync(join(tmpdir(), 'ocgnet-store-audit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let serial = 0;
let current = '';

/** A connection of the attacker's own to the store file (the store is closed meanwhile). */
function raw<T>(work: (db: Database.Database) => T): T {
  const db = new Database(current);
  try {
    return db.transaction(() => work(db)).immediate();
  } finally {
    db.close();
  }
}

describeStoreAuditAttacks('embedded store', {
  async reset() {
    current = join(root, `store-${++serial}.sqlite`);
  },
  open: (audit) => openEmbeddedStore(current, CONTRACT_ACTOR, { audit }),
  lines: async () => raw((db) => db.prepare('SELECT line FROM audit ORDER BY seq').pluck().all() as string[]),
  setLines: async (lines) =>
    raw((db) => {
      db.prepare('DELETE FROM audit').run();
      const insert = db.prepare('INSERT INTO audit (seq, line) VALUES (?, ?)');
      lines.forEach((line, index) => insert.run(index + 1, line));
    }),
  checkpoint: async () =>
    raw(
      (db) => db.prepare("SELECT value FROM meta WHERE key = 'audit_checkpoint'").pluck().get() as string | undefined,
    ),
  setCheckpoint: async (line) =>
    raw((db) => {
      db.prepare("DELETE FROM meta WHERE key = 'audit_checkpoint'").run();
      if (line !== undefined) db.prepare("INSERT INTO meta (key, value) VALUES ('audit_checkpoint', ?)").run(line);
    }),
});
