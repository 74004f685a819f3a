/**
 * The embedded store: one SQLite file, through better-sqlite3.
 *
 * All or nothing: every act is one SQLite transaction, and the audit event of
 * the act is written inside it. An import holds one `BEGIN IMMEDIATE …
 * COMMIT` however many batches it writes; the COMMIT is the single commit
 * point. Nothing is staged outside that transaction, so a process killed
 * half-way leaves no leftovers to clear: on the next open SQLite discards the
 * uncommitted WAL frames and the store reads as it was before the import.
 * The import's phases (`onPhase`) are its batches as staging chunks, the
 * COMMIT as the commit point, and done: there is no roll-forward, because
 * SQLite's commit is atomic.
 *
 * Within one process, acts run one at a time (a promise queue), because an
 * import yields to the event loop between batches while its transaction is
 * open on the shared connection. Across processes, SQLite's write lock (with
 * a busy timeout) orders them.
 */
import {
  absentRecords,
  actEvent,
  analyseDetail,
  analysisEntityIds,
  byReview,
  checkActor,
  checkAnalysis,
  checkReviewDate,
  danglingError,
  HANDLING_AT_MOST,
  disclosedOf,
  importDetail,
  publishCheckpoints,
  readEventParts,
  refuseMissingEntities,
  sha256,
  sourcesOf,
} from '../acts.js';
import {
  eventSubjectIds,
  newSubjectKey,
  revealRecords,
  checkedAuditEvent,
  sealedAuditEvent,
  sealSubject,
  subjectRef,
  tokenKids,
  type SubjectKey,
} from '../subjects.js';
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  AuditSealer,
  formatRecordLine,
  resolveAuditFiles,
  type AuditAction,
  type AuditEvent,
  type AuditFiles,
  type AuditFilesOptions,
  type AuditMigration,
  type AuditRecord,
  type AuditVerifyOptions,
  type AuditVerifyResult,
  type Checkpoint,
  type StoredTrail,
} from '@ocgnet/audit';
import {
  entityMarking,
  linkInterval,
  linkMarking,
  type Entity,
  type EntityKind,
  type Link,
  type RecordSet,
} from '@ocgnet/schema';
import type {
  AnalysisWriteBack,
  ImportCounts,
  RecordQuery,
  RecordReadOptions,
  ReviewItem,
  Store,
  StoreActor,
  StoreImportOptions,
  StoreImportResult,
  StoredAnalysis,
  StoreInfo,
  ErasureReport,
} from '../contract.js';
import { knownStoreError } from '../contract.js';
import { canonicalRecordText as canonical, sortRecordSet, storedContentHash, type StoredText } from '../content.js';
import { StoreError, type StoreIssue } from '../errors.js';
import { checkRecordQuery } from '../select.js';
import { checkRecordSetShape, importProblems, referencedIds } from '../validate.js';
import {
  CONTENT_VERSION_TABLE,
  createSchema,
  inspectFile,
  MIGRATIONS,
  STORE_SCHEMA_VERSION,
  SUBJECT_KEYS_TABLE,
} from './schema.js';

export interface EmbeddedStoreOptions {
  /** Open without write access: acts that write (imports, audited reads, analysis, erasure) throw StoreError('USAGE'). */
  readonly?: boolean;
  /** How long to wait for another process's write lock, in ms (default 5000). */
  busyTimeoutMs?: number;
  /** The audit key, signing key, public key, witness and mirror files, where not their defaults; this store keeps no witness file unless named. */
  audit?: AuditFilesOptions | undefined;
}

/** The `meta` key under which the store keeps the latest signed checkpoint of its audit trail. */
const AUDIT_CHECKPOINT_KEY = 'audit_checkpoint';

/** Records per write batch when the caller does not say. */
export const DEFAULT_BATCH_SIZE = 5000;

/** The metric name under which a community index is kept in `analysis_values`. */
const COMMUNITY = 'community';
const EMBEDDED_RESERVED_METRICS: ReadonlySet<string> = new Set([COMMUNITY]);

/** Cuts text to what an audit detail field holds. */

function isSqliteError(error: unknown): error is Error & { code: string } {
  return error instanceof Database.SqliteError && typeof (error as { code?: unknown }).code === 'string';
}

/** Turns what SQLite or zod threw into a StoreError where the cause is known; rethrows the rest. */
function storeErrorOf(error: unknown, location: string): unknown {
  const known = knownStoreError(error);
  if (known !== undefined) return known;
  if (isSqliteError(error)) {
    if (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED' || error.code.startsWith('SQLITE_BUSY_')) {
      return new StoreError('UNAVAILABLE', `${location}: the store is locked by another process; try again`, [], {
        cause: error,
      });
    }
    if (error.code === 'SQLITE_NOTADB') {
      return new StoreError('CORRUPT', `${location}: is not an ocgnet store (not an SQLite database)`, [], {
        cause: error,
      });
    }
    if (error.code.startsWith('SQLITE_CORRUPT')) {
      return new StoreError('CORRUPT', `${location}: the SQLite file is damaged (${error.message})`, [], {
        cause: error,
      });
    }
    if (error.code.startsWith('SQLITE_READONLY')) {
      return new StoreError('UNAVAILABLE', `${location}: cannot write to the store file (${error.message})`, [], {
        cause: error,
      });
    }
    if (
      error.code.startsWith('SQLITE_CANTOPEN') ||
      error.code.startsWith('SQLITE_IOERR') ||
      error.code === 'SQLITE_FULL' ||
      error.code.startsWith('SQLITE_PERM')
    ) {
      return new StoreError('UNAVAILABLE', `${location}: ${error.message}`, [], { cause: error });
    }
  }
  return error;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function fileKind(path: string): 'missing' | 'file' | 'directory' | 'other' {
  try {
    const stat = statSync(path);
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}

/**
 * Opens (creating if need be) the embedded store at `path`.
 * Throws StoreError: 'UNAVAILABLE' when the directory is missing or the file
 * cannot be opened or is locked; 'CORRUPT' when the file is not an ocgnet
 * store or has a schema version this code does not read; 'USAGE' for an
 * actor the audit trail would refuse.
 */
export async function openEmbeddedStore(
  path: string,
  actor: StoreActor,
  options: EmbeddedStoreOptions = {},
): Promise<Store> {
  checkActor(actor);
  const location = resolve(path);
  const readonly = options.readonly === true;
  const directory = dirname(location);
  if (!isDirectory(directory))
    throw new StoreError('UNAVAILABLE', `${location}: directory ${directory} does not exist`);
  const kind = fileKind(location);
  if (kind === 'directory' || kind === 'other') throw new StoreError('UNAVAILABLE', `${location}: is not a file`);
  if (kind === 'missing' && readonly)
    throw new StoreError('UNAVAILABLE', `${location}: no store there to open read-only`);

  let db: Database.Database;
  try {
    db = new Database(location, { readonly, fileMustExist: readonly });
  } catch (error) {
    throw new StoreError('UNAVAILABLE', `${location}: cannot open: ${(error as Error).message}`, [], { cause: error });
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    // Identify the file before changing anything in it (journal mode included).
    let state = inspectFile(db);
    if (state.state === 'empty') {
      if (readonly) throw new StoreError('CORRUPT', `${location}: is not an ocgnet store (an empty database)`);
      db.pragma('journal_mode = WAL');
      db.transaction(() => {
        // Another process may have created the tables while this one waited for the lock.
        if (inspectFile(db).state === 'empty') createSchema(db);
      }).immediate();
      state = inspectFile(db);
    }
    if (state.state === 'foreign')
      throw new StoreError('CORRUPT', `${location}: is not an ocgnet store (${state.reason})`);
    if (state.state === 'store' && state.version !== STORE_SCHEMA_VERSION) {
      if (state.version > STORE_SCHEMA_VERSION || readonly || !MIGRATIONS.has(state.version)) {
        throw new StoreError(
          'CORRUPT',
          `${location}: store schema version ${state.version} is not one this ocgnet reads (it reads version ${STORE_SCHEMA_VERSION})` +
            (state.version > STORE_SCHEMA_VERSION ? '; a newer ocgnet wrote it' : ''),
        );
      }
      migrate(db, state.version);
    }
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.exec(SUBJECT_KEYS_TABLE);
      db.exec(CONTENT_VERSION_TABLE);
    }
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Erased records are overwritten with zeros in the file, not left in free pages.
    db.pragma('secure_delete = ON');
    // Id lists for queries (see fillIdSet); per connection, never in the file.
    db.exec('CREATE TEMP TABLE id_set (tag TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (tag, id)) WITHOUT ROWID');
  } catch (error) {
    db.close();
    throw storeErrorOf(error, location);
  }
  return new EmbeddedStore(db, location, actor, readonly, resolveAuditFiles(options.audit));
}

function migrate(db: Database.Database, from: number): void {
  db.transaction(() => {
    for (let version = from; version < STORE_SCHEMA_VERSION; version++) {
      const step = MIGRATIONS.get(version);
      if (step === undefined) throw new StoreError('CORRUPT', `no migration from store schema version ${version}`);
      step(db);
      db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(version + 1));
    }
  }).immediate();
}

interface EntityRow {
  id: string;
  kind: string;
  record: string;
}

/** What every view of one open store shares (see `as`). */
interface EmbeddedConnection {
  /** Acts run one at a time on the connection, whichever view asked. */
  queue: Promise<unknown>;
  closed: boolean;
  sealer: AuditSealer;
  /** Checkpoints of the open write transaction: published to the witness once it commits. */
  unpublished: string[];
  /** The content hash at a `content_version` counter value: kept until the counter moves. */
  contentHash?: { version: number; hash: string };
}

class EmbeddedStore implements Store {
  readonly info: StoreInfo;
  private readonly connection: EmbeddedConnection;
  /** A view made by `as`: closing it leaves the connection open. */
  private readonly isView: boolean;

  constructor(
    private readonly db: Database.Database,
    private readonly location: string,
    readonly actor: StoreActor,
    private readonly readonly: boolean,
    readonly auditFiles: AuditFiles,
    connection?: EmbeddedConnection,
  ) {
    this.info = { kind: 'embedded', location };
    this.isView = connection !== undefined;
    this.connection = connection ?? {
      queue: Promise.resolve(),
      closed: false,
      sealer: new AuditSealer(location, auditFiles, true),
      unpublished: [],
    };
  }

  as(actor: StoreActor): Store {
    if (this.connection.closed) throw new StoreError('USAGE', `${this.location}: the store is closed`);
    return new EmbeddedStore(
      this.db,
      this.location,
      checkActor(actor),
      this.readonly,
      this.auditFiles,
      this.connection,
    );
  }

  // ---- plumbing ----------------------------------------------------------

  /** Runs acts one at a time on this connection. */
  private exclusive<T>(act: () => T | Promise<T>): Promise<T> {
    const run = this.connection.queue.then(async () => {
      if (this.connection.closed) throw new StoreError('USAGE', `${this.location}: the store is closed`);
      try {
        return await act();
      } catch (error) {
        throw storeErrorOf(error, this.location);
      }
    });
    this.connection.queue = run.catch(() => undefined);
    return run;
  }

  private writable(what: string): void {
    if (this.readonly) throw new StoreError('USAGE', `${this.location}: opened read-only; cannot ${what}`);
  }

  /** One write transaction (BEGIN IMMEDIATE … COMMIT), rolled back if `body` throws; its checkpoints are published once it commits. */
  private write<T>(body: () => T): T {
    this.connection.unpublished = [];
    let result: T;
    try {
      result = this.db.transaction(body).immediate();
    } catch (error) {
      this.connection.unpublished = [];
      throw error;
    }
    this.publishCheckpoints();
    return result;
  }

  /** After a commit: the act stands and is audited in the store, whatever happens to the witness. */
  private publishCheckpoints(): void {
    const lines = this.connection.unpublished;
    this.connection.unpublished = [];
    publishCheckpoints(this.connection.sealer, lines, this.location);
  }

  /** One read transaction: a consistent snapshot across tables. */
  private read<T>(body: () => T): T {
    return this.db.transaction(body).deferred();
  }

  private event(
    action: AuditAction,
    subject: string,
    detail: AuditEvent['detail'],
    justification = this.actor.justification,
  ): AuditEvent {
    return actEvent(this.actor, action, subject, detail, justification);
  }

  /**
   * Appends to the chain and replaces the store's checkpoint; call inside a
   * write transaction, so the last record cannot move under us. The sealer
   * refuses (and nothing is written) if the trail disagrees with its checkpoints.
   */
  private appendInTransaction(event: AuditEvent): AuditRecord {
    const checked = checkedAuditEvent(event);
    const keys = new Map(eventSubjectIds(checked).map((id) => [id, this.subjectKey(id)] as const));
    const sealed = sealedAuditEvent(checked, keys);
    const firstLine = this.db.prepare('SELECT line FROM audit WHERE seq = 1').pluck().get() as string | undefined;
    const lastLine = this.db.prepare('SELECT line FROM audit ORDER BY seq DESC LIMIT 1').pluck().get() as
      string | undefined;
    const { record, checkpoint } = this.connection.sealer.seal(
      { firstLine, lastLine, checkpoint: this.storedCheckpoint() },
      sealed,
    );
    this.db.prepare('INSERT INTO audit (seq, line) VALUES (?, ?)').run(record.seq, formatRecordLine(record));
    this.keepCheckpoint(checkpoint);
    return record;
  }

  /** The key of subject `id`, made (in the open write transaction) on first use. */
  private subjectKey(id: string): SubjectKey {
    const ref = subjectRef(id);
    const row = this.db.prepare('SELECT kid, key FROM subject_keys WHERE ref = ?').get(ref) as SubjectKey | undefined;
    if (row !== undefined) return row;
    const key = newSubjectKey();
    this.db.prepare('INSERT INTO subject_keys (ref, kid, key) VALUES (?, ?, ?)').run(ref, key.kid, key.key);
    return key;
  }

  /** Tokens of `ids`, each sealed under its own subject's key. */
  private sealIds(ids: readonly string[]): string[] {
    return [...new Set(ids)].map((id) => sealSubject(this.subjectKey(id), id));
  }

  /** The keys still held of these key ids (a store from before subject keys holds none). */
  private heldKeys(kids: readonly string[]): Map<string, Buffer> {
    const keys = new Map<string, Buffer>();
    if (kids.length === 0) return keys;
    if (
      this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'subject_keys'").get() === undefined
    )
      return keys;
    const get = this.db.prepare('SELECT key FROM subject_keys WHERE kid = ?').pluck();
    for (const kid of kids) {
      const key = get.get(kid) as Buffer | undefined;
      if (key !== undefined) keys.set(kid, key);
    }
    return keys;
  }

  private storedCheckpoint(): string | undefined {
    return this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(AUDIT_CHECKPOINT_KEY) as
      string | undefined;
  }

  /** Replaces the store's checkpoint, in the open transaction, and queues it for the witness. */
  private keepCheckpoint(checkpoint: string): void {
    this.db
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(AUDIT_CHECKPOINT_KEY, checkpoint);
    this.connection.unpublished.push(checkpoint);
  }

  private auditLines(): string[] {
    return this.db.prepare('SELECT line FROM audit ORDER BY seq').pluck().all() as string[];
  }

  /** The trail, the store's checkpoint and its record count, as one snapshot; call inside a transaction. */
  private storedTrail(): StoredTrail {
    const records = this.db
      .prepare('SELECT (SELECT count(*) FROM entities) + (SELECT count(*) FROM links)')
      .pluck()
      .get() as number;
    return { lines: this.auditLines(), checkpoint: this.storedCheckpoint(), records };
  }

  /**
   * Puts ids into the connection's temporary id set `tag`, for `IN (SELECT id FROM temp.id_set …)`.
   * Ids are bound as parameters, exactly as they were when stored, rather than passed as
   * JSON: SQLite's JSON functions would decode some strings (lone surrogates) differently.
   */
  private fillIdSet(tag: string, ids: Iterable<string>): void {
    this.db.prepare('DELETE FROM temp.id_set WHERE tag = ?').run(tag);
    const insert = this.db.prepare('INSERT OR IGNORE INTO temp.id_set (tag, id) VALUES (?, ?)');
    for (const id of ids) insert.run(tag, id);
  }

  /** Stored kinds of those of `ids` that are stored. */
  private storedKindsOf(ids: Iterable<unknown>): Map<string, EntityKind> {
    const kinds = new Map<string, EntityKind>();
    this.fillIdSet(
      'lookup',
      [...ids].filter((id): id is string => typeof id === 'string'),
    );
    const rows = this.db
      .prepare("SELECT id, kind FROM entities WHERE id IN (SELECT id FROM temp.id_set WHERE tag = 'lookup')")
      .all() as { id: string; kind: EntityKind }[];
    for (const row of rows) kinds.set(row.id, row.kind);
    return kinds;
  }

  // ---- import --------------------------------------------------------------

  importRecords(records: RecordSet, options: StoreImportOptions = {}): Promise<StoreImportResult> {
    return this.exclusive(async () => {
      this.writable('import records');
      checkRecordSetShape(records);
      const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
      if (!Number.isInteger(batchSize) || batchSize < 1)
        throw new StoreError('USAGE', `batchSize: must be a whole number of at least 1, not ${batchSize}`);
      const db = this.db;
      const total = records.entities.length + records.links.length;
      const importId = randomUUID();
      let result: StoreImportResult;

      db.exec('BEGIN IMMEDIATE');
      try {
        // Checked under the write lock, so no other process can change what was checked against.
        const storedKinds = this.storedKindsOf([
          ...records.entities.map((entity) => entity.id),
          ...referencedIds(records),
        ]);
        const issues = [...importProblems(records, storedKinds), ...malformedIds(records)];
        if (issues.length > 0) {
          const bad = new Set(issues.map((issue) => `${issue.record}\u0000${issue.id}`)).size;
          throw new StoreError('CONFLICT', `${bad} record(s) cannot be imported; nothing was changed`, issues);
        }

        const entities: ImportCounts = { added: 0, updated: 0, unchanged: 0 };
        const links: ImportCounts = { added: 0, updated: 0, unchanged: 0 };
        const getEntity = db.prepare('SELECT record FROM entities WHERE id = ?').pluck();
        const insertEntity = db.prepare(
          'INSERT INTO entities (id, kind, handling, review_date, record) VALUES (?, ?, ?, ?, ?)',
        );
        const updateEntity = db.prepare(
          'UPDATE entities SET kind = ?, handling = ?, review_date = ?, record = ? WHERE id = ?',
        );
        const getLink = db.prepare('SELECT record FROM links WHERE id = ?').pluck();
        const insertLink = db.prepare(
          'INSERT INTO links (id, type, from_id, to_id, handling, start_date, end_date, review_date, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        );
        const updateLink = db.prepare(
          'UPDATE links SET type = ?, from_id = ?, to_id = ?, handling = ?, start_date = ?, end_date = ?, review_date = ?, record = ? WHERE id = ?',
        );

        const putEntity = (entity: Entity): void => {
          const text = canonical(entity);
          const stored = getEntity.get(entity.id) as string | undefined;
          if (stored === text) {
            entities.unchanged++;
            return;
          }
          const handling = entityMarking(entity).handling;
          if (stored === undefined) {
            insertEntity.run(entity.id, entity.kind, handling, entity.review_date ?? null, text);
            entities.added++;
          } else {
            updateEntity.run(entity.kind, handling, entity.review_date ?? null, text, entity.id);
            entities.updated++;
          }
        };
        const putLink = (link: Link): void => {
          const text = canonical(link);
          const stored = getLink.get(link.id) as string | undefined;
          if (stored === text) {
            links.unchanged++;
            return;
          }
          const { start, end } = linkInterval(link);
          const values = [
            link.type,
            link.from,
            link.to,
            linkMarking(link).handling,
            start ?? null,
            end ?? null,
            link.review_date ?? null,
            text,
          ];
          if (stored === undefined) {
            insertLink.run(link.id, ...values);
            links.added++;
          } else {
            updateLink.run(...values, link.id);
            links.updated++;
          }
        };

        // Entities first, so every link's endpoints exist when it is written.
        const chunks = Math.ceil(total / batchSize);
        for (let done = 0, chunk = 1; done < total; chunk++) {
          const end = Math.min(total, done + batchSize);
          for (let index = done; index < end; index++) {
            if (index < records.entities.length) putEntity(records.entities[index]!);
            else putLink(records.links[index - records.entities.length]!);
          }
          done = end;
          options.onProgress?.(done, total);
          // The batches are the staging chunks: written, but inside the open transaction, so invisible.
          await options.onPhase?.({ phase: 'staging', chunk, chunks });
          // Let a progress bar redraw; the transaction stays open, nothing is visible to others yet.
          if (done < total) await new Promise(setImmediate);
        }

        const absent = this.absentFrom(records, options.replaceSource === true);
        const removedTokens = absent.removed ? this.sealIds([...absent.entityIds, ...absent.linkIds]) : [];
        const absentReport = absentRecords(absent.sources, absent.entityIds, absent.linkIds, absent.removed);
        result = { importId, entities, links, absent: absentReport };
        this.connection.unpublished = [];
        this.appendInTransaction(
          this.event('import', '*', importDetail(result, options.sourceDescription, removedTokens)),
        );
        db.exec('COMMIT');
      } catch (error) {
        this.connection.unpublished = [];
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
      this.publishCheckpoints();
      // The COMMIT was the commit point, and atomic: no roll-forward follows it.
      await options.onPhase?.({ phase: 'commit-point' });
      await options.onPhase?.({ phase: 'done' });
      return result;
    });
  }

  /**
   * Stored records of the import's sources that it does not hold (inside the import's transaction,
   * after its records are written); with `remove`, deletes them, refusing if a link would lose an end.
   */
  private absentFrom(
    records: RecordSet,
    remove: boolean,
  ): { sources: string[]; entityIds: string[]; linkIds: string[]; removed: boolean } {
    const sources = sourcesOf(records);
    if (sources.length === 0) return { sources, entityIds: [], linkIds: [], removed: remove };
    const db = this.db;
    this.fillIdSet('sources', sources);
    this.fillIdSet(
      'imported_entities',
      records.entities.map((entity) => entity.id),
    );
    this.fillIdSet(
      'imported_links',
      records.links.map((link) => link.id),
    );
    const ofSources = "json_extract(record, '$.source') IN (SELECT id FROM temp.id_set WHERE tag = 'sources')";
    const entityIds = db
      .prepare(
        `SELECT id FROM entities WHERE ${ofSources} AND id NOT IN (SELECT id FROM temp.id_set WHERE tag = 'imported_entities')`,
      )
      .pluck()
      .all() as string[];
    const linkIds = db
      .prepare(
        `SELECT id FROM links WHERE ${ofSources} AND id NOT IN (SELECT id FROM temp.id_set WHERE tag = 'imported_links')`,
      )
      .pluck()
      .all() as string[];
    if (remove && (entityIds.length > 0 || linkIds.length > 0)) {
      this.fillIdSet('removed', linkIds);
      db.prepare("DELETE FROM links WHERE id IN (SELECT id FROM temp.id_set WHERE tag = 'removed')").run();
      this.fillIdSet('removed', entityIds);
      const dangling = db
        .prepare(
          'SELECT id, from_id AS "from", to_id AS "to" FROM links WHERE from_id IN (SELECT id FROM temp.id_set WHERE tag = \'removed\') OR to_id IN (SELECT id FROM temp.id_set WHERE tag = \'removed\')',
        )
        .all() as { id: string; from: string; to: string }[];
      if (dangling.length > 0) throw danglingError(dangling, new Set(entityIds));
      // Their analysis values go with them (ON DELETE CASCADE).
      db.prepare("DELETE FROM entities WHERE id IN (SELECT id FROM temp.id_set WHERE tag = 'removed')").run();
    }
    return { sources, entityIds, linkIds, removed: remove };
  }

  // ---- reads ---------------------------------------------------------------

  records(query: RecordQuery = {}, options: RecordReadOptions = {}): Promise<RecordSet> {
    return this.exclusive(() => {
      this.writable('audit a read (open the store read-write to read records)');
      checkRecordQuery(query);
      return this.write(() => {
        const selected = this.select(query);
        const disclosed = disclosedOf(selected, options);
        const { subject, detail } = readEventParts(
          query,
          query.entityIds && this.sealIds(query.entityIds),
          selected,
          disclosed,
        );
        this.appendInTransaction(this.event('read', subject, detail));
        return disclosed ?? selected;
      });
    });
  }

  /** The records a query selects: `selectRecords` semantics, with the filters run in SQL. */
  private select(query: RecordQuery): RecordSet {
    const db = this.db;
    const params = {
      handling: query.maxHandling === undefined ? null : JSON.stringify(HANDLING_AT_MOST[query.maxHandling]),
      kinds: query.kinds === undefined ? null : JSON.stringify(query.kinds),
      windowed:
        query.window !== undefined && (query.window.from !== undefined || query.window.to !== undefined) ? 1 : 0,
      from: query.window?.from ?? null,
      to: query.window?.to ?? null,
    };
    const visible = (alias: string) =>
      `(@handling IS NULL OR ${alias}.handling IN (SELECT value FROM json_each(@handling)))`;
    const ofKind = (alias: string) => `(@kinds IS NULL OR ${alias}.kind IN (SELECT value FROM json_each(@kinds)))`;
    // linkInWindow: undated links are out once a window is set; open ends overlap everything on their side.
    const usable = `(${visible('l')} AND (@windowed = 0 OR ((l.start_date IS NOT NULL OR l.end_date IS NOT NULL)
      AND (@to IS NULL OR l.start_date IS NULL OR l.start_date <= @to)
      AND (@from IS NULL OR l.end_date IS NULL OR l.end_date >= @from))))`;
    const parse = <T>(texts: unknown[]): T[] => texts.map((text) => JSON.parse(text as string) as T);

    if (query.entityIds === undefined) {
      const entities = db
        .prepare(`SELECT e.record FROM entities e WHERE ${visible('e')} AND ${ofKind('e')}`)
        .pluck()
        .all(params);
      const links = db
        .prepare(
          `SELECT l.record FROM links l JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id
           WHERE ${usable} AND ${visible('f')} AND ${ofKind('f')} AND ${visible('t')} AND ${ofKind('t')}`,
        )
        .pluck()
        .all(params);
      return sortRecordSet({ entities: parse<Entity>(entities), links: parse<Link>(links) });
    }

    const named = new Set(query.entityIds);
    this.fillIdSet('named', named);
    const found = new Set(
      db
        .prepare(
          `SELECT e.id FROM entities e WHERE e.id IN (SELECT id FROM temp.id_set WHERE tag = 'named') AND ${visible('e')}`,
        )
        .pluck()
        .all(params) as string[],
    );
    const missing = query.entityIds.filter((id) => !found.has(id));
    if (missing.length > 0)
      throw new StoreError('NOT_FOUND', `no entity with id ${missing.map((id) => JSON.stringify(id)).join(', ')}`);

    const selected = new Set(named);
    const neighbours = db
      .prepare(
        `SELECT n.id FROM (
           SELECT l.to_id AS id FROM links l WHERE l.from_id IN (SELECT id FROM temp.id_set WHERE tag = 'frontier') AND ${usable}
           UNION
           SELECT l.from_id AS id FROM links l WHERE l.to_id IN (SELECT id FROM temp.id_set WHERE tag = 'frontier') AND ${usable}
         ) n JOIN entities e ON e.id = n.id WHERE ${visible('e')}`,
      )
      .pluck();
    let frontier = [...named];
    for (let hop = 0; hop < (query.hops ?? 0) && frontier.length > 0; hop++) {
      const next: string[] = [];
      this.fillIdSet('frontier', frontier);
      for (const id of neighbours.all(params) as string[]) {
        if (selected.has(id)) continue;
        selected.add(id);
        next.push(id);
      }
      frontier = next;
    }

    const kinds = query.kinds === undefined ? undefined : new Set<string>(query.kinds);
    this.fillIdSet('selected', selected);
    const rows = db
      .prepare("SELECT id, kind, record FROM entities WHERE id IN (SELECT id FROM temp.id_set WHERE tag = 'selected')")
      .all() as EntityRow[];
    const entities: Entity[] = [];
    for (const row of rows) {
      if (kinds !== undefined && !named.has(row.id) && !kinds.has(row.kind)) {
        selected.delete(row.id);
        continue;
      }
      entities.push(JSON.parse(row.record) as Entity);
    }
    this.fillIdSet('selected', selected);
    const links = db
      .prepare(
        `SELECT l.record FROM links l WHERE l.from_id IN (SELECT id FROM temp.id_set WHERE tag = 'selected')
         AND l.to_id IN (SELECT id FROM temp.id_set WHERE tag = 'selected') AND ${usable}`,
      )
      .pluck()
      .all(params);
    return sortRecordSet({ entities, links: parse<Link>(links) });
  }

  counts(): Promise<{ entities: number; links: number }> {
    return this.exclusive(() =>
      this.read(
        () =>
          this.db
            .prepare('SELECT (SELECT count(*) FROM entities) AS entities, (SELECT count(*) FROM links) AS links')
            .get() as { entities: number; links: number },
      ),
    );
  }

  contentHash(): Promise<string> {
    return this.exclusive(() =>
      this.read(() => {
        // The stored text is the canonical text, so it is hashed as stored; SQLite's byte order is
        // not JavaScript's, hence the sort here rather than ORDER BY.
        const rows = (table: 'entities' | 'links') =>
          this.db.prepare(`SELECT id, record FROM ${table}`).all() as StoredText[];
        // Read in the same transaction as the rows; absent in a store opened read-only before the counter existed.
        const version = this.contentVersion();
        const kept = this.connection.contentHash;
        if (version !== undefined && kept?.version === version) return kept.hash;
        const hash = storedContentHash(rows('entities'), rows('links'));
        if (version !== undefined) this.connection.contentHash = { version, hash };
        return hash;
      }),
    );
  }

  /** The `content_version` counter, or undefined where the table is missing (CONTENT_VERSION_TABLE). */
  private contentVersion(): number | undefined {
    const table = this.db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'content_version'")
      .get();
    if (table === undefined) return undefined;
    return (this.db.prepare('SELECT n FROM content_version WHERE id = 1').get() as { n: number } | undefined)?.n;
  }

  // ---- analysis ------------------------------------------------------------

  saveAnalysis(run: AnalysisWriteBack): Promise<{ entitiesWritten: number }> {
    return this.exclusive(() => {
      this.writable('save an analysis');
      checkAnalysis(run, EMBEDDED_RESERVED_METRICS);
      const ids = analysisEntityIds(run);
      return this.write(() => {
        refuseMissingEntities(ids, this.storedKindsOf(ids));
        const db = this.db;
        db.prepare(
          'INSERT INTO analysis_runs (run_id, at, engine, marking) VALUES (?, ?, ?, ?) ON CONFLICT (run_id) DO UPDATE SET at = excluded.at, engine = excluded.engine, marking = excluded.marking',
        ).run(run.runId, run.at, run.engine, JSON.stringify(run.marking));
        db.prepare('DELETE FROM analysis_values WHERE run_id = ?').run(run.runId);
        const insert = db.prepare('INSERT INTO analysis_values (run_id, entity_id, name, value) VALUES (?, ?, ?, ?)');
        for (const [id, metrics] of Object.entries(run.metrics)) {
          for (const [name, value] of Object.entries(metrics)) insert.run(run.runId, id, name, value);
        }
        for (const [id, community] of Object.entries(run.communities)) insert.run(run.runId, id, COMMUNITY, community);
        this.appendInTransaction(this.event('analyse', '*', analyseDetail(run, ids.length)));
        return { entitiesWritten: ids.length };
      });
    });
  }

  latestAnalysis(): Promise<StoredAnalysis | undefined> {
    return this.exclusive(() =>
      this.read(() => {
        const runs = this.db.prepare('SELECT run_id AS runId, at, engine, marking FROM analysis_runs').all() as {
          runId: string;
          at: string;
          engine: string;
          marking: string;
        }[];
        if (runs.length === 0) return undefined;
        const time = (at: string) => Date.parse(at);
        const latest = runs.reduce((best, run) => {
          const a = time(run.at);
          const b = time(best.at);
          return a > b || (a === b && run.runId > best.runId) ? run : best;
        });
        const metrics: StoredAnalysis['metrics'] = {};
        const communities: StoredAnalysis['communities'] = {};
        const values = this.db
          .prepare('SELECT entity_id AS id, name, value FROM analysis_values WHERE run_id = ?')
          .all(latest.runId) as {
          id: string;
          name: string;
          value: number | null;
        }[];
        for (const { id, name, value } of values) {
          if (name === COMMUNITY) communities[id] = value as number;
          else (metrics[id] ??= {})[name] = value;
        }
        return {
          runId: latest.runId,
          at: latest.at,
          engine: latest.engine,
          marking: JSON.parse(latest.marking),
          metrics,
          communities,
        };
      }),
    );
  }

  // ---- audit ---------------------------------------------------------------

  appendAudit(event: AuditEvent): Promise<AuditRecord> {
    return this.exclusive(() => {
      this.writable('append to the audit trail');
      return this.write(() => this.appendInTransaction(event));
    });
  }

  auditTrail(options: { reveal?: boolean } = {}): Promise<AuditRecord[]> {
    return this.exclusive(() =>
      this.read(() => {
        const records = this.connection.sealer.records(this.auditLines());
        return options.reveal === true ? revealRecords(records, this.heldKeys(tokenKids(records))) : records;
      }),
    );
  }

  verifyAudit(options: AuditVerifyOptions = {}): Promise<AuditVerifyResult> {
    return this.exclusive(() =>
      this.connection.sealer.verify(
        this.read(() => this.storedTrail()),
        options,
      ),
    );
  }

  checkpointAudit(): Promise<Checkpoint> {
    return this.exclusive(() => {
      this.writable('checkpoint the audit trail');
      return this.write(() => {
        const { checkpoint, line } = this.connection.sealer.reanchor(this.storedTrail());
        this.keepCheckpoint(line);
        return checkpoint;
      });
    });
  }

  migrateAudit(): Promise<AuditMigration> {
    return this.exclusive(() => {
      this.writable('migrate the audit trail');
      return this.write(() => {
        const { lines, checkpoint, migration } = this.connection.sealer.migrate(this.storedTrail(), this.actor);
        this.db.prepare('DELETE FROM audit').run();
        const insert = this.db.prepare('INSERT INTO audit (seq, line) VALUES (?, ?)');
        lines.forEach((line, index) => insert.run(index + 1, line));
        this.keepCheckpoint(checkpoint);
        return migration;
      });
    });
  }

  // ---- retention -------------------------------------------------------------

  erase(entityId: string, options: { justification: string }): Promise<ErasureReport> {
    return this.exclusive(() => {
      this.writable('erase records');
      if (typeof entityId !== 'string') throw new StoreError('USAGE', 'entityId: must be a string');
      const report = this.write((): ErasureReport => {
        const db = this.db;
        if (db.prepare('SELECT 1 FROM entities WHERE id = ?').get(entityId) === undefined) {
          throw new StoreError('NOT_FOUND', `no entity with id ${JSON.stringify(entityId)}`);
        }
        const analysisValues = db.prepare('DELETE FROM analysis_values WHERE entity_id = ?').run(entityId).changes;
        const links = db.prepare('DELETE FROM links WHERE from_id = ? OR to_id = ?').run(entityId, entityId).changes;
        const entities = db.prepare('DELETE FROM entities WHERE id = ?').run(entityId).changes;
        // Crypto-shredding: the ids earlier events sealed under this key can no longer be read.
        db.prepare('DELETE FROM subject_keys WHERE ref = ?').run(subjectRef(entityId));
        const subjectHash = sha256(entityId);
        this.appendInTransaction(
          this.event(
            'erase',
            `sha256:${subjectHash}`,
            { entities, links, analysis_values: analysisValues },
            options?.justification,
          ),
        );
        return { subjectHash, entities, links, analysisValues };
      });
      // Move the zeroed pages into the main file and empty the WAL, so the erased
      // content does not linger in old WAL frames. Best effort: a reader may hold it.
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // the next checkpoint will do it
      }
      return report;
    });
  }

  dueForReview(asOf: string): Promise<ReviewItem[]> {
    return this.exclusive(() => {
      this.writable('audit a review (open the store read-write)');
      checkReviewDate(asOf);
      return this.write(() => {
        const items = [
          ...(this.db
            .prepare(
              "SELECT 'entity' AS record, id, kind, review_date, handling FROM entities WHERE review_date IS NOT NULL AND review_date <= ?",
            )
            .all(asOf) as ReviewItem[]),
          ...(this.db
            .prepare(
              "SELECT 'link' AS record, id, type AS kind, review_date, handling FROM links WHERE review_date IS NOT NULL AND review_date <= ?",
            )
            .all(asOf) as ReviewItem[]),
        ];
        items.sort(byReview);
        const entities = items.filter((item) => item.record === 'entity').length;
        this.appendInTransaction(this.event('review', '*', { as_of: asOf, entities, links: items.length - entities }));
        return items;
      });
    });
  }

  close(): Promise<void> {
    if (this.isView || this.connection.closed) return Promise.resolve();
    return this.exclusive(() => {
      this.connection.closed = true;
      this.db.close();
    });
  }
}

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Ids that are not well-formed Unicode (a lone UTF-16 surrogate). IdSchema lets them
 * through, but SQLite keeps text as UTF-8 and reads such an id back as U+FFFD, so it
 * could be stored but never found again; refused here until the schema refuses them.
 */
function malformedIds(records: RecordSet): StoreIssue[] {
  const issues: StoreIssue[] = [];
  const reason = 'contains a lone UTF-16 surrogate (not well-formed Unicode)';
  for (const entity of records.entities) {
    if (typeof entity.id === 'string' && LONE_SURROGATE.test(entity.id))
      issues.push({ record: 'entity', id: entity.id, field: 'id', reason });
  }
  for (const link of records.links) {
    for (const field of ['id', 'from', 'to'] as const) {
      if (typeof link[field] === 'string' && LONE_SURROGATE.test(link[field]))
        issues.push({ record: 'link', id: String(link.id), field, reason });
    }
  }
  return issues;
}
