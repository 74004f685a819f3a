/**
 * The embedded store's SQLite schema, and the checks that a file is an ocgnet
 * store of a version this code reads.
 *
 * Every record is kept whole as its canonical JSON text (`record`); the other
 * columns are derived from it at write time so that filters can run in SQL.
 * `links.start_date` / `end_date` are `linkInterval(link)` (`end` is an SQL
 * keyword, hence the names).
 */
import type Database from 'better-sqlite3';

/** The format marker in `meta`: tells an ocgnet store from any other SQLite file. */
export const STORE_FORMAT = 'ocgnet-store';
/** The version of the tables below. Bump it, and add a migration, on any change. */
export const STORE_SCHEMA_VERSION = 1;

export const SCHEMA_V1 = `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE entities (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  handling    TEXT NOT NULL CHECK (handling IN ('P', 'C', 'R')),
  review_date TEXT,
  record      TEXT NOT NULL
) STRICT;
CREATE INDEX entities_kind ON entities (kind);
CREATE INDEX entities_review_date ON entities (review_date) WHERE review_date IS NOT NULL;

CREATE TABLE links (
  id          TEXT PRIMARY KEY,
  type        TEXT NOT NULL,
  from_id     TEXT NOT NULL REFERENCES entities (id),
  to_id       TEXT NOT NULL REFERENCES entities (id),
  handling    TEXT NOT NULL CHECK (handling IN ('P', 'C', 'R')),
  start_date  TEXT,
  end_date    TEXT,
  review_date TEXT,
  record      TEXT NOT NULL
) STRICT;
CREATE INDEX links_from ON links (from_id);
CREATE INDEX links_to ON links (to_id);
CREATE INDEX links_start ON links (start_date);
CREATE INDEX links_end ON links (end_date);
CREATE INDEX links_review_date ON links (review_date) WHERE review_date IS NOT NULL;

CREATE TABLE analysis_runs (
  run_id  TEXT PRIMARY KEY,
  at      TEXT NOT NULL,
  engine  TEXT NOT NULL,
  marking TEXT NOT NULL
) STRICT;

CREATE TABLE analysis_values (
  run_id    TEXT NOT NULL REFERENCES analysis_runs (run_id) ON DELETE CASCADE,
  entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
  name      TEXT NOT NULL,
  value     REAL,
  PRIMARY KEY (run_id, entity_id, name)
) STRICT;
CREATE INDEX analysis_values_entity ON analysis_values (entity_id);

CREATE TABLE audit (
  seq  INTEGER PRIMARY KEY,
  line TEXT NOT NULL
) STRICT;
`;

/** What a file holds, as far as the store is concerned. */
export type FileState = { state: 'empty' } | { state: 'store'; version: number } | { state: 'foreign'; reason: string };

/** Reads the file's tables and meta without changing anything. */
export function inspectFile(db: Database.Database): FileState {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  if (tables.length === 0) return { state: 'empty' };
  if (!tables.includes('meta')) return { state: 'foreign', reason: 'an SQLite database without the ocgnet meta table' };
  let rows: { key: unknown; value: unknown }[];
  try {
    rows = db.prepare('SELECT key, value FROM meta').all() as { key: unknown; value: unknown }[];
  } catch {
    return { state: 'foreign', reason: 'an SQLite database whose meta table is not ocgnet’s' };
  }
  const meta = new Map(rows.map((row) => [String(row.key), String(row.value)]));
  if (meta.get('format') !== STORE_FORMAT)
    return { state: 'foreign', reason: 'an SQLite database whose meta table does not mark it as an ocgnet store' };
  const version = Number(meta.get('schema_version'));
  if (!Number.isInteger(version))
    return { state: 'foreign', reason: 'an ocgnet store without a readable schema version' };
  return { state: 'store', version };
}

/** Creates the tables in an empty file. Call inside a write transaction. */
export function createSchema(db: Database.Database): void {
  db.exec(SCHEMA_V1);
  const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  insert.run('format', STORE_FORMAT);
  insert.run('schema_version', String(STORE_SCHEMA_VERSION));
  insert.run('created_at', new Date().toISOString());
}

/**
 * Migrations from an older schema version to the next, keyed by the version
 * they start from. None yet: version 1 is the first.
 */
export const MIGRATIONS: ReadonlyMap<number, (db: Database.Database) => void> = new Map();

/**
 * The subject keys of the audit trail's sealed ids (`subjects.ts`): `ref` is the SHA-256 of the
 * subject id, `kid` the random key id written in tokens, `key` 32 bytes. An additive table: made
 * on every read-write open if missing, so it needs no schema version (an older ocgnet ignores it).
 */
export const SUBJECT_KEYS_TABLE = `
CREATE TABLE IF NOT EXISTS subject_keys (
  ref TEXT PRIMARY KEY,
  kid TEXT NOT NULL UNIQUE,
  key BLOB NOT NULL
) STRICT;
`;

/**
 * A counter every write to `entities` or `links` advances, from any connection and any ocgnet
 * that opens the file (the triggers live in the file), so a connection can keep the store's
 * content hash (which reads every record) until the counter moves. Additive, like the subject
 * keys: made on every read-write open if missing, no schema version.
 */
export const CONTENT_VERSION_TABLE = `
CREATE TABLE IF NOT EXISTS content_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n INTEGER NOT NULL
) STRICT;
INSERT OR IGNORE INTO content_version (id, n) VALUES (1, 0);
${['entities', 'links']
  .flatMap((table) =>
    ['INSERT', 'UPDATE', 'DELETE'].map(
      (event) =>
        `CREATE TRIGGER IF NOT EXISTS content_version_${table}_${event.toLowerCase()} AFTER ${event} ON ${table}
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;`,
    ),
  )
  .join('\n')}
`;
