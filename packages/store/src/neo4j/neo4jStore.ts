/**
 * The Neo4j store: records as a property graph that Neo4j's Graph Data
 * Science can run on directly.
 *
 * Data model (other code runs GDS on it, so it is fixed):
 * - `(:Entity:<Kind> {id, kind, label, handling, review_date?, record})`;
 * - links as relationships `(from)-[:<TYPE> {id, type, handling, start?, end?,
 *   review_date?, strength, grading_system, source_evaluation?,
 *   intelligence_assessment?, record}]->(to)`;
 * - `(:OcgnetAudit {seq, line, op})`, `(:OcgnetAnalysisRun)`, `(:OcgnetImport)`,
 *   `(:OcgnetStaged)`, `(:OcgnetSubjectKey {ref, kid, key})` (the keys of ids
 *   sealed in audit events, see `subjects.ts`), `(:OcgnetMeta {schema_version, audit_checkpoint?})`,
 *   where `audit_checkpoint` is the signed checkpoint of the audit trail's
 *   head, replaced in the transaction of every audit record.
 *
 * All or nothing: an import is validated, written in batches to staging
 * nodes (each batch its own idempotent transaction), then committed at ONE
 * small commit point: a transaction that validates the staged records
 * against the live graph, counts them, flips the import from `staging` to
 * `committing` and appends its audit event. From then on the import is
 * logically committed, and the staged records are applied to the live graph
 * in bounded, idempotent chunks (the roll-forward), after which the import is
 * `committed`. Whoever finds an import `committing` (this store before any
 * act, any store on open) rolls it forward to the end first, so no act of a
 * store ever sees an import half-applied. The importer reports each boundary
 * to `onPhase`: every staged batch, the commit point, every roll-forward
 * chunk, done. Every write is idempotent under the driver's retries: staging
 * MERGEs on (import, part, id), the commit point and the chunks lock the
 * import node and read its state first, and every audited act carries an `op`
 * id so a transaction retried after its commit was lost in transit finds its
 * own audit record and does not act twice.
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
  detailText,
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
import neo4j, { type Config, type Driver, type ManagedTransaction, type Session } from 'neo4j-driver';
import {
  AuditSealer,
  formatRecordLine,
  parseRecordLine,
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
  linkStrength,
  type Entity,
  type EntityKind,
  type HandlingMarking,
  type Link,
  type LinkType,
  type RecordSet,
} from '@ocgnet/schema';
import type {
  AnalysisWriteBack,
  ErasureReport,
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
} from '../contract.js';
import { knownStoreError } from '../contract.js';
import { canonicalRecordText, storedContentHash, type StoredText } from '../content.js';
import { StoreError, type StoreIssue } from '../errors.js';
import { checkRecordQuery, selectRecords } from '../select.js';
import { checkRecordSetShape, importProblems, referencedIds } from '../validate.js';
import * as Q from './cypher.js';
import type { Cypher } from './cypher.js';

export interface Neo4jStoreOptions {
  /** Default: $NEO4J_USER, else `neo4j`. */
  user?: string;
  /** Default: $NEO4J_PASSWORD. Without a password the driver connects without auth. */
  password?: string;
  /** Default: the server's default database. */
  database?: string;
  /** Records per staging transaction (default 5000). */
  batchSize?: number;
  /** Staged records applied per roll-forward transaction after the commit point (default 10,000). */
  commitChunkSize?: number;
  driverConfig?: Config;
  /** The audit key, signing key, public key, witness and mirror files, where not their defaults; this store keeps no witness file unless named. */
  audit?: AuditFilesOptions | undefined;
  /** Test-only: called inside the import's steps; a throw there simulates a crash at that point. */
  testHooks?: Neo4jStoreTestHooks;
}

/** Test-only hooks into the import (they simulate a client killed at a given step). */
export interface Neo4jStoreTestHooks {
  /** After staging, before the commit point. */
  beforeCommitPoint?: (importId: string) => void | Promise<void>;
  /** After the commit point has committed. */
  afterCommitPoint?: (importId: string) => void | Promise<void>;
  /** After each roll-forward chunk transaction has committed: `n` counts chunks from 1 within one roll-forward. */
  afterChunk?: (n: number, importId: string) => void | Promise<void>;
}

export const DEFAULT_NEO4J_BATCH_SIZE = 5000;
export const DEFAULT_NEO4J_COMMIT_CHUNK_SIZE = 10_000;
/** Staging transactions in flight at once. */
const STAGING_CONCURRENCY = 3;
/** Version of the graph layout below, kept in `(:OcgnetMeta {schema_version})`. */
export const NEO4J_STORE_SCHEMA_VERSION = 1;

const ALL_HANDLING: HandlingMarking[] = ['P', 'C', 'R'];
/** Analysis property names the store itself uses; metrics may not take them. */
const RESERVED_METRICS = new Set(['community', 'run', 'metrics']);
/** When this process started: staging left by imports begun before it belongs to a dead process. */
const PROCESS_START = new Date(performance.timeOrigin).toISOString();

/** `bolt://user:pw@host` → `bolt://host`: a location never carries credentials. */
export function redactUri(uri: string): string {
  try {
    const url = new URL(uri);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return uri.replace(/\/\/[^@/]*@/, '//');
  }
}

interface Neo4jLikeError {
  code?: string;
  message?: string;
}

/** What the driver or zod threw, as a StoreError with a hint; never a stack trace. */
function storeErrorOf(error: unknown, location: string, password?: string): StoreError {
  const known = knownStoreError(error);
  if (known !== undefined) return known;
  const scrub = (text: string) => (password ? text.split(password).join('***') : text);
  const { code = '', message = String(error) } = (error ?? {}) as Neo4jLikeError;
  const first = scrub(String(message).split('\n')[0] ?? '').slice(0, 300);
  if (code.startsWith('Neo.ClientError.Security.')) {
    return new StoreError(
      'UNAVAILABLE',
      `${location}: Neo4j refused the credentials (${first}); set NEO4J_USER and NEO4J_PASSWORD, or pass user and password`,
      [],
      { cause: error },
    );
  }
  if (
    code === 'ServiceUnavailable' ||
    code === 'SessionExpired' ||
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|connect/i.test(first)
  ) {
    return new StoreError(
      'UNAVAILABLE',
      `${location}: cannot reach Neo4j (${first}); is the server running and the URI right?`,
      [],
      { cause: error },
    );
  }
  if (code === 'Neo.ClientError.Database.DatabaseNotFound') {
    return new StoreError('UNAVAILABLE', `${location}: ${first}; check the database name`, [], { cause: error });
  }
  if (code.startsWith('Neo.TransientError.')) {
    return new StoreError('UNAVAILABLE', `${location}: Neo4j is busy (${code}: ${first}); try again`, [], {
      cause: error,
    });
  }
  return new StoreError('UNAVAILABLE', `${location}: Neo4j failed (${code || 'error'}: ${first})`, [], {
    cause: error,
  });
}

/** The staged (and live) properties of an entity. */
function entityRow(entity: Entity): Record<string, unknown> {
  const row: Record<string, unknown> = {
    id: entity.id,
    kind: entity.kind,
    label: entity.label,
    handling: entityMarking(entity).handling,
    record: canonicalRecordText(entity),
  };
  if (entity.review_date !== undefined) row.review_date = entity.review_date;
  return row;
}

/** The staged (and live) properties of a link, with its ends. */
function linkRow(link: Link): Record<string, unknown> {
  const { start, end } = linkInterval(link);
  const row: Record<string, unknown> = {
    id: link.id,
    type: link.type,
    from: link.from,
    to: link.to,
    handling: linkMarking(link).handling,
    strength: linkStrength(link),
    grading_system: link.grading.system,
    record: canonicalRecordText(link),
  };
  if (start !== undefined) row.start = start;
  if (end !== undefined) row.end = end;
  if (link.review_date !== undefined) row.review_date = link.review_date;
  if (link.grading.system === '3x5x2') {
    row.source_evaluation = link.grading.source;
    row.intelligence_assessment = link.grading.intelligence;
  }
  return row;
}

const int = (value: number) => neo4j.int(value);
const num = (value: unknown): number =>
  typeof value === 'number' ? value : neo4j.isInt(value) ? (value as { toNumber(): number }).toNumber() : Number(value);

/**
 * Thrown inside a transaction that found an import past its commit point but
 * not yet applied: the transaction is rolled back, the import rolled forward,
 * and the act run again.
 */
class ApplyPending extends Error {
  constructor(readonly importId: string) {
    super(`import ${importId} is committed but not yet applied`);
  }
}

/** Reads the driver result column `key` of every row. */
async function column<T>(
  tx: ManagedTransaction,
  query: Cypher,
  params: Record<string, unknown>,
  key: string,
): Promise<T[]> {
  const result = await tx.run(query, params);
  return result.records.map((record) => record.get(key) as T);
}

/**
 * Opens the Neo4j store at `uri` (neo4j://, bolt://, with +s/+ssc). Creates
 * constraints and indexes on first use and clears staging left by dead
 * imports. Throws StoreError('UNAVAILABLE') when the server cannot be reached
 * or refuses the credentials, 'CORRUPT' for a store of another version,
 * 'USAGE' for an actor the audit trail would refuse.
 */
export async function openNeo4jStore(uri: string, actor: StoreActor, options: Neo4jStoreOptions = {}): Promise<Store> {
  const checkedActor = checkActor(actor);
  const batchSize = options.batchSize ?? DEFAULT_NEO4J_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new StoreError('USAGE', `batchSize: must be a whole number of at least 1, not ${batchSize}`);
  const commitChunkSize = options.commitChunkSize ?? DEFAULT_NEO4J_COMMIT_CHUNK_SIZE;
  if (!Number.isInteger(commitChunkSize) || commitChunkSize < 1) {
    throw new StoreError('USAGE', `commitChunkSize: must be a whole number of at least 1, not ${commitChunkSize}`);
  }
  const location = redactUri(uri);
  let user = options.user ?? process.env.NEO4J_USER;
  let password = options.password ?? process.env.NEO4J_PASSWORD;
  try {
    const url = new URL(uri);
    if (url.password) {
      user ??= decodeURIComponent(url.username);
      password ??= decodeURIComponent(url.password);
    }
  } catch {
    throw new StoreError('USAGE', `${location}: not a Neo4j URI (neo4j://host:port or bolt://host:port)`);
  }
  const connectUri = (() => {
    const url = new URL(uri);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  })();
  let driver: Driver;
  try {
    driver = neo4j.driver(connectUri, password ? neo4j.auth.basic(user ?? 'neo4j', password) : undefined, {
      disableLosslessIntegers: true,
      userAgent: 'ocgnet-store',
      ...options.driverConfig,
    });
  } catch (error) {
    throw storeErrorOf(error, location, password);
  }
  const store = new Neo4jStore(
    driver,
    location,
    options.database,
    checkedActor,
    batchSize,
    password,
    commitChunkSize,
    options.testHooks ?? {},
    resolveAuditFiles(options.audit),
  );
  try {
    await retrying(() => driver.verifyConnectivity(options.database ? { database: options.database } : {}));
    await store.prepare();
  } catch (error) {
    await driver.close().catch(() => undefined);
    throw storeErrorOf(error, location, password);
  }
  return store;
}

/** A Neo4j store can also run work inside the database (the GDS engine), on its own connection. */
export interface InDatabase {
  inDatabase<T>(work: (driver: Driver, database: string | undefined) => Promise<T>): Promise<T>;
}

export function runsInDatabase(store: Store): store is Store & InDatabase {
  return store instanceof Neo4jStore;
}

/** What every view of one open store shares (see `as`). */
interface Neo4jConnection {
  closed: boolean;
  sealer: AuditSealer;
  /** The checkpoints each write transaction keeps, to publish to the witness once it commits. */
  checkpointsOf: WeakMap<ManagedTransaction, string[]>;
}

class Neo4jStore implements Store, InDatabase {
  readonly info: StoreInfo;
  private readonly connection: Neo4jConnection;
  /** A view made by `as`: closing it leaves the driver open. */
  private readonly isView: boolean;

  /**
   * Runs `work` on this store's driver; its errors come back as StoreErrors,
   * without credentials. Any import past its commit point is applied first.
   */
  inDatabase<T>(work: (driver: Driver, database: string | undefined) => Promise<T>): Promise<T> {
    return this.guard(async () => {
      await this.settle();
      return work(this.driver, this.database);
    });
  }

  constructor(
    private readonly driver: Driver,
    private readonly location: string,
    private readonly database: string | undefined,
    readonly actor: StoreActor,
    private readonly batchSize: number,
    private readonly password: string | undefined,
    private readonly commitChunkSize: number,
    private readonly hooks: Neo4jStoreTestHooks,
    readonly auditFiles: AuditFiles,
    connection?: Neo4jConnection,
  ) {
    this.info = { kind: 'neo4j', location };
    this.isView = connection !== undefined;
    this.connection = connection ?? {
      closed: false,
      sealer: new AuditSealer(location, auditFiles, true),
      checkpointsOf: new WeakMap(),
    };
  }

  as(actor: StoreActor): Store {
    if (this.connection.closed) throw new StoreError('USAGE', `${this.location}: the store is closed`);
    const { driver, location, database, batchSize, password, commitChunkSize, hooks, auditFiles } = this;
    return new Neo4jStore(
      driver,
      location,
      database,
      checkActor(actor),
      batchSize,
      password,
      commitChunkSize,
      hooks,
      auditFiles,
      this.connection,
    );
  }

  // ---- plumbing ------------------------------------------------------------

  private session(mode: 'READ' | 'WRITE'): Session {
    return this.driver.session({
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
      ...(this.database ? { database: this.database } : {}),
    });
  }

  private async guard<T>(act: () => Promise<T>): Promise<T> {
    if (this.connection.closed) throw new StoreError('USAGE', `${this.location}: the store is closed`);
    try {
      return await act();
    } catch (error) {
      throw storeErrorOf(error, this.location, this.password);
    }
  }

  /**
   * One write transaction, retried by the driver on transient errors and by
   * {@link retrying} on a connection torn mid-message: `work` must be idempotent.
   */
  private async write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const checkpoints: string[] = [];
    const result = await retrying(async () => {
      const session = this.session('WRITE');
      try {
        return await session.executeWrite((tx) => {
          checkpoints.length = 0; // a retried transaction starts again
          this.connection.checkpointsOf.set(tx, checkpoints);
          return work(tx);
        });
      } finally {
        await session.close().catch(() => undefined);
      }
    });
    // Committed: the checkpoints it kept go to the witness now, once.
    this.publishCheckpoints(checkpoints);
    return result;
  }

  /** After a commit: the act stands and is audited in the store, whatever happens to the witness. */
  private publishCheckpoints(checkpoints: readonly string[]): void {
    publishCheckpoints(this.connection.sealer, checkpoints, this.location);
  }

  private read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return retrying(async () => {
      const session = this.session('READ');
      try {
        return await session.executeRead(work);
      } finally {
        await session.close().catch(() => undefined);
      }
    });
  }

  /** Auto-commit statements (schema changes cannot share a transaction with writes). */
  private autoCommit(query: Cypher, params: Record<string, unknown> = {}): Promise<void> {
    // Only idempotent statements run here (IF NOT EXISTS, awaitIndexes), so a retry is safe.
    return retrying(async () => {
      const session = this.session('WRITE');
      try {
        await session.run(query, params);
      } finally {
        await session.close().catch(() => undefined);
      }
    });
  }

  /** Constraints, indexes, the meta node, and clearing staging left by dead imports. */
  async prepare(): Promise<void> {
    const version = await this.read((tx) => column<unknown>(tx, Q.META_READ, {}, 'version'));
    const versions = [...new Set(version.map(num))];
    if (versions.length > 1 || (versions.length === 1 && versions[0] !== NEO4J_STORE_SCHEMA_VERSION)) {
      throw new StoreError(
        'CORRUPT',
        `${this.location}: holds an ocgnet store of schema version ${versions.join(', ')}; this code reads version ${NEO4J_STORE_SCHEMA_VERSION}`,
      );
    }
    for (const statement of Q.schemaStatements()) await this.autoCommit(statement);
    await this.autoCommit(Q.AWAIT_INDEXES);
    if (versions.length === 0)
      await this.write((tx) => tx.run(Q.META_CREATE, { version: int(NEO4J_STORE_SCHEMA_VERSION) }));
    // Recovery: imports past their commit point are finished; staging of dead imports is dropped.
    await this.rollForwardAll();
    await this.clearStaleStaging();
  }

  private async clearStaleStaging(): Promise<void> {
    const stale = await this.read((tx) => column<string>(tx, Q.STALE_IMPORTS, { before: PROCESS_START }, 'id'));
    for (const id of stale) await this.dropStaging(id);
  }

  /**
   * Marks an import abandoned if it is still staging (under its lock, so it
   * cannot race the commit point), then deletes its staging nodes in batches.
   * Staged nodes of an import that reached its commit point are never
   * deleted here: they are its pending roll-forward.
   */
  private async dropStaging(importId: string): Promise<void> {
    await this.write(async (tx) => {
      const locked = await tx.run(Q.IMPORT_LOCK, { id: importId });
      if (locked.records.length > 0) await tx.run(Q.ABANDON_IMPORT, { id: importId, now: new Date().toISOString() });
    });
    for (;;) {
      const [deleted] = await this.write((tx) =>
        column<number>(tx, Q.DELETE_STAGED_BATCH, { id: importId, limit: int(10_000) }, 'deleted'),
      );
      if (!deleted) break;
    }
  }

  // ---- roll-forward ------------------------------------------------------------

  /** Is any import past its commit point and not yet applied? One index lookup. */
  private async anyCommitting(tx: ManagedTransaction): Promise<string | undefined> {
    const [id] = await column<string>(tx, Q.ANY_COMMITTING, {}, 'id');
    return id;
  }

  /** The cheap check before an act that takes no lock: rolls forward any import found committing. */
  private async settle(): Promise<void> {
    if ((await this.read((tx) => this.anyCommitting(tx))) !== undefined) await this.rollForwardAll();
  }

  /** Applies every import past its commit point, oldest commit point first. */
  private async rollForwardAll(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      const ids = await this.read((tx) => column<string>(tx, Q.COMMITTING_IMPORTS, {}, 'id'));
      if (ids.length === 0) return;
      for (const id of ids) await this.applyImport(id);
    }
  }

  /**
   * Runs an act whose transactions check for imports past their commit point
   * (they throw {@link ApplyPending}); rolls such imports forward and runs the
   * act again.
   */
  private async settled<T>(act: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await act();
      } catch (error) {
        if (!(error instanceof ApplyPending) || attempt >= 50) throw error;
        await this.rollForwardAll();
      }
    }
  }

  /**
   * The roll-forward of one committed import: its staged records are applied
   * to the live graph in chunks of at most `commitChunkSize` staged records,
   * each chunk one transaction that first locks the import node (so two
   * processes rolling the same import forward take turns), reads its state,
   * applies the chunk (MERGE on ids, SET properties) and deletes the staged
   * nodes it applied. Entities of every kind go first, then links of every
   * type; the import is marked committed once no staged node is left.
   * Idempotent and safe to interrupt at any point: a retried or repeated
   * chunk picks whatever is still staged.
   */
  private async applyImport(
    importId: string,
    chunkSize = this.commitChunkSize,
    onChunk?: (n: number) => void | Promise<void>,
  ): Promise<void> {
    const limit = int(chunkSize);
    let chunks = 0;
    const chunkDone = async () => {
      chunks++;
      await this.hooks.afterChunk?.(chunks, importId);
      await onChunk?.(chunks);
    };
    /** Locks the import; false once it is no longer committing (another process finished it). */
    const lockCommitting = async (tx: ManagedTransaction): Promise<boolean> => {
      const [row] = (await tx.run(Q.IMPORT_LOCK, { id: importId })).records;
      return row?.get('state') === 'committing';
    };
    // The groups (part and kind or type) the import staged; all of them for an import that did not record its own.
    const [recorded] = await this.read(async (tx) =>
      (await tx.run(Q.IMPORT_STATE_GRPS, { id: importId })).records.map((row) => row.get('grps') as string[] | null),
    );
    const staged = new Set(
      recorded ?? [...Q.ENTITY_KINDS.map((kind) => `entity:${kind}`), ...Q.LINK_TYPES.map((type) => `link:${type}`)],
    );
    const kinds = Q.ENTITY_KINDS.filter((kind) => staged.has(`entity:${kind}`));
    const types = Q.LINK_TYPES.filter((type) => staged.has(`link:${type}`));
    // A chunk that applies fewer than `limit` records drained its group (under the lock): nothing is staged into it any more.
    for (const kind of kinds) {
      const grp = `entity:${kind}`;
      for (;;) {
        const applied = await this.write(async (tx) => {
          if (!(await lockCommitting(tx))) return -1;
          const [n] = await column<number>(tx, Q.applyEntities(kind), { id: importId, grp, limit }, 'n');
          return num(n ?? 0);
        });
        if (applied < 0) return;
        if (applied > 0) await chunkDone();
        if (applied < chunkSize) break;
      }
    }
    if (types.length > 0) {
      // Link types the store holds none of cannot hold a link to be replaced (checked once: this roll-forward only adds to them).
      const present = new Set<LinkType>();
      await this.read(async (tx) => {
        for (const type of Q.LINK_TYPES) {
          const [n] = await column<number>(tx, Q.countLinksOf(type), {}, 'n');
          if (num(n) > 0) present.add(type);
        }
      });
      for (const type of types) {
        const grp = `link:${type}`;
        const retypable = Q.LINK_TYPES.some((other) => other !== type && present.has(other));
        for (;;) {
          const applied = await this.write(async (tx) => {
            if (!(await lockCommitting(tx))) return -1;
            const keys = await column<string>(tx, Q.STAGED_CHUNK_KEYS, { id: importId, grp, limit }, 'key');
            if (keys.length === 0) return 0;
            // Unchanged links (a re-import) are only unstaged; the rest are applied.
            const changing = present.has(type)
              ? await column<string>(tx, Q.changingLinkKeys(type), { keys }, 'key')
              : keys;
            if (changing.length > 0) {
              if (present.has(type)) await tx.run(Q.applySameTypeLinks(type), { keys: changing });
              if (retypable) await tx.run(Q.deleteRetypedLinks(type), { keys: changing });
              await tx.run(Q.applyLinks(type), { keys: changing });
            }
            await tx.run(Q.DELETE_STAGED_KEYS, { keys });
            return keys.length;
          });
          if (applied < 0) return;
          if (applied > 0) await chunkDone();
          if (applied < chunkSize) break;
        }
      }
    }
    await this.write(async (tx) => {
      if (!(await lockCommitting(tx))) return;
      const left = await column<string>(tx, Q.STAGED_LEFT, { id: importId }, 'key');
      if (left.length > 0)
        throw new StoreError(
          'CORRUPT',
          `${this.location}: import ${importId} has staged records of no known kind or type; it cannot be applied`,
        );
      await tx.run(Q.IMPORT_COMMITTED, { id: importId, at: new Date().toISOString() });
    });
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
   * Takes the audit lock and looks for the record of `op`. Call first in every
   * audited write transaction: a record found means this act already
   * committed (a retry after a lost commit acknowledgement).
   */
  private async beginAudited(tx: ManagedTransaction, op: string): Promise<AuditRecord | undefined> {
    await this.lockLive(tx);
    const [line] = await column<string>(tx, Q.AUDIT_BY_OP, { op }, 'line');
    if (line === undefined) return undefined;
    const parsed = parseRecordLine(line);
    if (!parsed.ok || parsed.format !== 'keyed')
      throw new StoreError(
        'CORRUPT',
        `${this.location}: audit record is damaged (${parsed.ok ? 'legacy' : `${parsed.reason}: ${parsed.detail}`})`,
      );
    // The commit was lost in transit, so its checkpoint may not have reached the witness: the latest one covers it.
    const [checkpoint] = await column<string | null>(tx, Q.AUDIT_CHECKPOINT, {}, 'line');
    if (checkpoint) this.connection.checkpointsOf.get(tx)?.push(checkpoint);
    return parsed.record;
  }

  /**
   * Takes the audit lock (which every commit point also takes) and checks
   * that no import is past its commit point and not yet applied (else throws
   * {@link ApplyPending}). Until the transaction ends, no import can reach its
   * commit point and none is being applied, so the transaction sees the live
   * graph whole: before or after every import, never half-way.
   */
  private async lockLive(tx: ManagedTransaction): Promise<void> {
    const locked = await tx.run(Q.AUDIT_LOCK, {});
    if (locked.records.length === 0)
      throw new StoreError('CORRUPT', `${this.location}: the ocgnet meta node is missing`);
    const pending = await this.anyCommitting(tx);
    if (pending !== undefined) throw new ApplyPending(pending);
  }

  /** Appends the next audit record; only after {@link beginAudited} in the same transaction. */
  private async appendInTransaction(tx: ManagedTransaction, op: string, event: AuditEvent): Promise<AuditRecord> {
    const checked = checkedAuditEvent(event);
    const sealed = sealedAuditEvent(checked, await this.subjectKeys(tx, eventSubjectIds(checked)));
    const [lastLine] = await column<string>(tx, Q.AUDIT_HEAD, {}, 'line');
    const [firstLine] = await column<string>(tx, Q.AUDIT_FIRST, {}, 'line');
    const [stored] = await column<string | null>(tx, Q.AUDIT_CHECKPOINT, {}, 'line');
    // The sealer refuses (and nothing is written) if the trail disagrees with its checkpoints.
    const { record, checkpoint } = this.connection.sealer.seal(
      { firstLine, lastLine, checkpoint: stored ?? undefined },
      sealed,
    );
    await tx.run(Q.AUDIT_APPEND, { seq: int(record.seq), line: formatRecordLine(record), op });
    await this.keepCheckpoint(tx, checkpoint);
    return record;
  }

  /** The keys of subjects `ids`, made in `tx` where missing (MERGE: a concurrent maker's key wins, and is returned). */
  private async subjectKeys(tx: ManagedTransaction, ids: readonly string[]): Promise<Map<string, SubjectKey>> {
    const keys = new Map<string, SubjectKey>();
    if (ids.length === 0) return keys;
    const unique = [...new Set(ids)];
    const rows = unique.map((id) => {
      const fresh = newSubjectKey();
      return { ref: subjectRef(id), kid: fresh.kid, key: fresh.key.toString('hex') };
    });
    const byRef = new Map<string, SubjectKey>();
    for (const row of (await tx.run(Q.SUBJECT_KEYS_CREATE, { rows })).records) {
      byRef.set(row.get('ref') as string, {
        kid: row.get('kid') as string,
        key: Buffer.from(row.get('key') as string, 'hex'),
      });
    }
    for (const id of unique) {
      const key = byRef.get(subjectRef(id));
      if (key === undefined) throw new StoreError('CORRUPT', `${this.location}: a subject key could not be made`);
      keys.set(id, key);
    }
    return keys;
  }

  /** Tokens of `ids`, each sealed under its own subject's key. */
  private async sealIds(tx: ManagedTransaction, ids: readonly string[]): Promise<string[]> {
    const keys = await this.subjectKeys(tx, ids);
    return [...new Set(ids)].map((id) => sealSubject(keys.get(id)!, id));
  }

  /** Replaces the store's checkpoint in `tx`, and queues it for the witness. */
  private async keepCheckpoint(tx: ManagedTransaction, checkpoint: string): Promise<void> {
    await tx.run(Q.AUDIT_KEEP_CHECKPOINT, { line: checkpoint });
    this.connection.checkpointsOf.get(tx)?.push(checkpoint);
  }

  /** The trail, the store's checkpoint and its entity count, under the audit lock (so as one snapshot). */
  private async storedTrail(tx: ManagedTransaction): Promise<StoredTrail> {
    await this.lockLive(tx);
    const lines = await column<string>(tx, Q.AUDIT_ALL, {}, 'line');
    const [checkpoint] = await column<string | null>(tx, Q.AUDIT_CHECKPOINT, {}, 'line');
    const [entities] = await column<number>(tx, Q.COUNT_ENTITIES, {}, 'n');
    return { lines, checkpoint: checkpoint ?? undefined, records: num(entities) };
  }

  private async storedKinds(ids: string[]): Promise<Map<string, EntityKind>> {
    const kinds = new Map<string, EntityKind>();
    if (ids.length === 0) return kinds;
    const rows = await this.read(async (tx) => (await tx.run(Q.STORED_KINDS, { ids })).records);
    for (const row of rows) kinds.set(row.get('id') as string, row.get('kind') as EntityKind);
    return kinds;
  }

  // ---- import ----------------------------------------------------------------

  importRecords(records: RecordSet, options: StoreImportOptions = {}): Promise<StoreImportResult> {
    return this.guard(async () => {
      checkRecordSetShape(records);
      const batchSize = options.batchSize ?? this.batchSize;
      if (!Number.isInteger(batchSize) || batchSize < 1)
        throw new StoreError('USAGE', `batchSize: must be a whole number of at least 1, not ${batchSize}`);
      const commitChunkSize = options.commitChunkSize ?? this.commitChunkSize;
      if (!Number.isInteger(commitChunkSize) || commitChunkSize < 1) {
        throw new StoreError('USAGE', `commitChunkSize: must be a whole number of at least 1, not ${commitChunkSize}`);
      }

      // 1. Validate against what is stored (kinds fetched in one parameterised query), with every earlier import applied.
      await this.settle();
      const ids = [...new Set([...records.entities.map((entity) => entity.id), ...referencedIds(records)])].filter(
        (id): id is string => typeof id === 'string',
      );
      const issues = importProblems(records, await this.storedKinds(ids));
      if (issues.length > 0)
        throw new StoreError('CONFLICT', `${issues.length} record(s) cannot be imported; nothing was changed`, issues);

      // One row per id (an id given twice has the same content, or validation failed).
      const entityRows = new Map<string, Record<string, unknown>>();
      for (const entity of records.entities)
        if (!entityRows.has(entity.id)) entityRows.set(entity.id, entityRow(entity));
      const linkRows = new Map<string, Record<string, unknown>>();
      for (const link of records.links) if (!linkRows.has(link.id)) linkRows.set(link.id, linkRow(link));

      const importId = randomUUID();
      const total = records.entities.length + records.links.length;
      const at = new Date().toISOString();
      // `grps` names the kinds and types staged, so that the roll-forward visits only those.
      const grps = [
        ...new Set([
          ...[...entityRows.values()].map((row) => `entity:${String(row.kind)}`),
          ...[...linkRows.values()].map((row) => `link:${String(row.type)}`),
        ]),
      ];
      await this.write((tx) =>
        tx.run(Q.IMPORT_BEGIN, { id: importId, at, entities: int(entityRows.size), links: int(linkRows.size), grps }),
      );

      // 2. Stage in batches, each its own idempotent transaction.
      let done = 0;
      const toStage: ['entity' | 'link', Record<string, unknown>[]][] = [
        ['entity', [...entityRows.values()]],
        ['link', [...linkRows.values()]],
      ];
      try {
        // Batches are independent (MERGE on their own keys), so a few run at once.
        const batches: { part: 'entity' | 'link'; rows: Record<string, unknown>[] }[] = [];
        for (const [part, rows] of toStage) {
          for (let start = 0; start < rows.length; start += batchSize)
            batches.push({ part, rows: rows.slice(start, start + batchSize) });
        }
        let next = 0;
        let staged = 0;
        const worker = async (): Promise<void> => {
          while (next < batches.length) {
            const { part, rows } = batches[next++]!;
            // The staging key is (import, part, id) as one unambiguous text, so that MERGE uses its unique index;
            // `grp` (part and kind or type) lets the commit read one kind or type at a time from an index.
            const batch = rows.map((row) => ({
              ...row,
              key: JSON.stringify([importId, part, row.id]),
              grp: `${part}:${String(part === 'entity' ? row.kind : row.type)}`,
            }));
            await this.write((tx) => tx.run(Q.STAGE_BATCH, { id: importId, part, rows: batch }));
            done += batch.length;
            options.onProgress?.(Math.min(done, total), total);
            // Awaited by this worker only: the other workers' batches may still be in flight.
            await options.onPhase?.({ phase: 'staging', chunk: ++staged, chunks: batches.length });
          }
        };
        await Promise.all(Array.from({ length: STAGING_CONCURRENCY }, worker));
      } catch (error) {
        await this.dropStaging(importId).catch(() => undefined);
        throw error;
      }

      // 3. The commit point: one small write transaction (validation and counting read; it writes the state and the audit event).
      const kinds = [...new Set([...entityRows.values()].map((row) => row.kind as EntityKind))];
      const types = [...new Set([...linkRows.values()].map((row) => row.type as LinkType))];
      const detailSource =
        options.sourceDescription !== undefined && options.sourceDescription !== ''
          ? detailText(options.sourceDescription)
          : undefined;
      const external = new Set<string>();
      const externalLinks: { id: string; from: string; to: string }[] = [];
      for (const row of linkRows.values()) {
        const link = { id: row.id as string, from: row.from as string, to: row.to as string };
        let outside = false;
        for (const end of [link.from, link.to]) {
          if (entityRows.has(end)) continue;
          external.add(end);
          outside = true;
        }
        if (outside) externalLinks.push(link);
      }
      const ends = { external: [...external], links: externalLinks };
      const scope = {
        sources: sourcesOf(records),
        entityIds: [...entityRows.keys()],
        linkIds: [...linkRows.keys()],
        remove: options.replaceSource === true,
      };
      await this.hooks.beforeCommitPoint?.(importId);
      let result: StoreImportResult;
      try {
        result = await this.settled(() =>
          this.write((tx) =>
            this.commitPoint(tx, importId, kinds, types, entityRows.size, linkRows.size, detailSource, ends, scope),
          ),
        );
      } catch (error) {
        // The commit point may have committed with only its answer lost: then the import stands and is applied below.
        const [state, stored] = await this.read(async (tx) => {
          const [row] = (await tx.run(Q.IMPORT_STATE, { id: importId })).records;
          return [row?.get('state') as string | null | undefined, row?.get('result') as string | null | undefined];
        }).catch(() => [undefined, undefined]);
        if ((state !== 'committing' && state !== 'committed') || typeof stored !== 'string') {
          await this.dropStaging(importId).catch(() => undefined);
          throw error;
        }
        result = JSON.parse(stored) as StoreImportResult;
      }

      await this.hooks.afterCommitPoint?.(importId);

      // 4. Roll forward: apply the staged records in chunks (also done by any store that finds the import committing).
      try {
        await options.onPhase?.({ phase: 'commit-point' });
        await this.applyImport(importId, commitChunkSize, (chunk) =>
          options.onPhase?.({ phase: 'roll-forward', chunk }),
        );
      } catch (error) {
        const cause = storeErrorOf(error, this.location, this.password);
        throw new StoreError(
          'UNAVAILABLE',
          `${this.location}: import ${importId} is committed but not yet fully applied (${cause.message}); the next act or open of the store completes it`,
          [],
          { cause: error },
        );
      }
      if (done < total) options.onProgress?.(total, total);
      await options.onPhase?.({ phase: 'done' });
      return result;
    });
  }

  /**
   * The commit point. Under the audit lock (which every audited act and every
   * other commit point takes) and with no other import being applied, it
   * checks the staging is complete and still valid against the live graph,
   * counts what the import will add, update or leave unchanged, then flips the
   * import from `staging` to `committing` and appends the `import` audit
   * event. It reads much but writes only the import node and one audit node,
   * so its size does not grow with the import.
   */
  private async commitPoint(
    tx: ManagedTransaction,
    importId: string,
    kinds: EntityKind[],
    types: LinkType[],
    entityCount: number,
    linkCount: number,
    source: string | undefined,
    ends: { external: string[]; links: { id: string; from: string; to: string }[] },
    scope: { sources: string[]; entityIds: string[]; linkIds: string[]; remove: boolean },
  ): Promise<StoreImportResult> {
    const op = `import:${importId}`;
    // Throws ApplyPending if another import is being applied: it is finished first, then this runs again.
    const done = await this.beginAudited(tx, op);
    const [state] = (await tx.run(Q.IMPORT_LOCK, { id: importId })).records;
    const current = state?.get('state') as string | null | undefined;
    if (done !== undefined || current === 'committing' || current === 'committed') {
      const stored = state?.get('result') as string | null | undefined;
      if (typeof stored !== 'string')
        throw new StoreError('CORRUPT', `${this.location}: import ${importId} is committed but its result is missing`);
      return JSON.parse(stored) as StoreImportResult;
    }
    if (current !== 'staging') {
      throw new StoreError(
        'CONFLICT',
        `${this.location}: import ${importId} was cleared before it could be committed (another process took its staging for a dead import's); nothing was changed`,
      );
    }

    const staged = new Map<string, number>();
    for (const row of (await tx.run(Q.STAGED_COUNTS, { id: importId })).records)
      staged.set(row.get('part') as string, num(row.get('n')));
    if ((staged.get('entity') ?? 0) !== entityCount || (staged.get('link') ?? 0) !== linkCount) {
      throw new StoreError(
        'CONFLICT',
        `${this.location}: import ${importId} lost staged records before its commit; nothing was changed`,
      );
    }
    const clash = (await tx.run(Q.STAGED_KIND_CLASH, { id: importId })).records;
    if (clash.length > 0) {
      throw new StoreError(
        'CONFLICT',
        `${clash.length} record(s) cannot be imported; nothing was changed`,
        clash.map((row): StoreIssue => ({
          record: 'entity',
          id: row.get('id') as string,
          field: 'kind',
          reason: `stored as ${row.get('stored') as string}; an amendment cannot change it to ${row.get('kind') as string}`,
        })),
      );
    }
    if (ends.external.length > 0) {
      // Ends the import does not bring itself must still be stored (erased meanwhile, they are not).
      const missing = new Set(await column<string>(tx, Q.ENDS_MISSING, { ids: ends.external }, 'id'));
      if (missing.size > 0) {
        const dangling = ends.links.filter((link) => missing.has(link.from) || missing.has(link.to)).slice(0, 20);
        throw new StoreError(
          'CONFLICT',
          `${dangling.length} link(s) cannot be imported: an end was erased meanwhile; nothing was changed`,
          dangling.map((link): StoreIssue => ({
            record: 'link',
            id: link.id,
            field: missing.has(link.from) ? 'from' : 'to',
            reason: 'an end is no longer stored',
          })),
        );
      }
    }

    // Counts, from the staged records against the live graph (which nothing can change while the audit lock is held).
    const entities: ImportCounts = { added: 0, updated: 0, unchanged: 0 };
    const links: ImportCounts = { added: 0, updated: 0, unchanged: 0 };
    for (const kind of kinds) {
      for (const row of (await tx.run(Q.COUNT_STAGED_ENTITIES, { id: importId, grp: `entity:${kind}` })).records) {
        entities[row.get('status') as keyof ImportCounts] += num(row.get('n'));
      }
    }
    if (types.length > 0) {
      // Links of types the store holds none of need no comparison (a first import skips it all).
      const present: LinkType[] = [];
      for (const type of Q.LINK_TYPES) {
        const [n] = await column<number>(tx, Q.countLinksOf(type), {}, 'n');
        if (num(n) > 0) present.push(type);
      }
      for (const type of types) {
        const grp = `link:${type}`;
        if (present.includes(type)) {
          for (const row of (await tx.run(Q.countSameTypeLinks(type), { id: importId, grp })).records) {
            links[row.get('status') as 'unchanged' | 'updated'] += num(row.get('n'));
          }
        }
        if (present.some((other) => other !== type)) {
          const [retyped] = await column<number>(tx, Q.countRetypedLinks(type), { id: importId, grp }, 'n');
          links.updated += num(retyped ?? 0);
        }
      }
      links.added = linkCount - links.updated - links.unchanged;
    }
    // Records of the import's sources it does not hold; removed here, at the commit point, when the import replaces its sources.
    const absent = await this.absentAt(tx, scope, ends.links);
    const absentReport = absentRecords(scope.sources, absent.entityIds, absent.linkIds, scope.remove);
    const removedTokens = scope.remove ? await this.sealIds(tx, [...absent.entityIds, ...absent.linkIds]) : [];
    const result: StoreImportResult = { importId, entities, links, absent: absentReport };
    const detail = importDetail(result, source, removedTokens);
    const flipped = await tx.run(Q.IMPORT_COMMIT_POINT, {
      id: importId,
      at: new Date().toISOString(),
      result: JSON.stringify(result),
    });
    if (flipped.records.length !== 1)
      throw new StoreError(
        'CONFLICT',
        `${this.location}: import ${importId} changed state before its commit point; nothing was changed`,
      );
    await this.appendInTransaction(tx, op, this.event('import', '*', detail));
    return result;
  }

  /**
   * At the commit point: the live records whose stored record names one of the import's sources
   * and which the import does not hold. With `remove`, deletes them (links, then entities), refusing
   * if a live link that stays, or a link of the import, would lose an end.
   */
  private async absentAt(
    tx: ManagedTransaction,
    scope: { sources: string[]; entityIds: string[]; linkIds: string[]; remove: boolean },
    importedLinks: { id: string; from: string; to: string }[],
  ): Promise<{ entityIds: string[]; linkIds: string[] }> {
    if (scope.sources.length === 0) return { entityIds: [], linkIds: [] };
    const sources = new Set(scope.sources);
    const ofSources = async (query: Cypher, ids: string[]): Promise<string[]> => {
      const found: string[] = [];
      for await (const row of tx.run(query, { ids })) {
        const source = (JSON.parse(row.get('record') as string) as { source?: unknown }).source;
        if (typeof source === 'string' && sources.has(source)) found.push(row.get('id') as string);
      }
      return found;
    };
    const entityIds = await ofSources(Q.ABSENT_ENTITIES, scope.entityIds);
    const linkIds = await ofSources(Q.absentLinks(), scope.linkIds);
    if (scope.remove && (entityIds.length > 0 || linkIds.length > 0)) {
      const removed = new Set(entityIds);
      if (linkIds.length > 0) await tx.run(Q.removeLinks(), { ids: linkIds });
      if (entityIds.length > 0) {
        const dangling = [
          ...(await tx.run(Q.linksTouching(), { ids: entityIds })).records.map((row) => ({
            id: row.get('id') as string,
            from: row.get('from') as string,
            to: row.get('to') as string,
          })),
          ...importedLinks.filter((link) => removed.has(link.from) || removed.has(link.to)),
        ];
        if (dangling.length > 0) throw danglingError(dangling, removed);
        await tx.run(Q.REMOVE_ENTITIES, { ids: entityIds });
      }
    }
    return { entityIds, linkIds };
  }

  // ---- reads -------------------------------------------------------------------

  records(query: RecordQuery = {}, options: RecordReadOptions = {}): Promise<RecordSet> {
    return this.guard(async () => {
      checkRecordQuery(query);
      const op = `read:${randomUUID()}`;
      return this.settled(() =>
        this.write(async (tx) => {
          const done = await this.beginAudited(tx, op);
          const selected = await this.select(tx, query);
          const disclosed = disclosedOf(selected, options);
          if (done === undefined) {
            const tokens = query.entityIds === undefined ? undefined : await this.sealIds(tx, query.entityIds);
            const { subject, detail } = readEventParts(query, tokens, selected, disclosed);
            await this.appendInTransaction(tx, op, this.event('read', subject, detail));
          }
          return disclosed ?? selected;
        }),
      );
    });
  }

  /** Candidates fetched with the easy filters pushed down, then `selectRecords` for exact semantics. */
  private async select(tx: ManagedTransaction, query: RecordQuery): Promise<RecordSet> {
    const handlings = query.maxHandling === undefined ? ALL_HANDLING : HANDLING_AT_MOST[query.maxHandling];
    if (handlings === undefined)
      throw new StoreError('USAGE', `maxHandling: must be P, C or R, not ${JSON.stringify(query.maxHandling)}`);
    const parse = <T>(texts: string[]): T[] => texts.map((text) => JSON.parse(text) as T);
    if (query.entityIds === undefined) {
      const kinds = query.kinds === undefined ? null : [...query.kinds];
      const entities = await column<string>(tx, Q.ALL_ENTITIES, { handlings, kinds }, 'record');
      const links = await column<string>(tx, Q.allLinks(), { handlings, kinds }, 'record');
      return selectRecords({ entities: parse<Entity>(entities), links: parse<Link>(links) }, query);
    }
    const named = [...new Set(query.entityIds)];
    const windowed = query.window !== undefined && (query.window.from !== undefined || query.window.to !== undefined);
    const from = windowed ? (query.window?.from ?? null) : null;
    const to = windowed ? (query.window?.to ?? null) : null;
    const selected = new Set(named);
    let frontier = named;
    for (let hop = 0; hop < (query.hops ?? 0) && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const id of await column<string>(tx, Q.expandHop(), { frontier, handlings, from, to }, 'id')) {
        if (selected.has(id)) continue;
        selected.add(id);
        next.push(id);
      }
      frontier = next;
    }
    const ids = [...selected];
    const entities = await column<string>(tx, Q.ENTITIES_BY_ID, { ids }, 'record');
    const links = await column<string>(tx, Q.linksAmong(), { ids, handlings }, 'record');
    // selectRecords checks existence and visibility of the named ids and applies window, kinds and handling exactly.
    return selectRecords({ entities: parse<Entity>(entities), links: parse<Link>(links) }, query);
  }

  // counts() and contentHash() take the audit lock (a write transaction) so that they, too, see the graph whole.
  counts(): Promise<{ entities: number; links: number }> {
    return this.guard(() =>
      this.settled(() =>
        this.write(async (tx) => {
          await this.lockLive(tx);
          const [entities] = await column<number>(tx, Q.COUNT_ENTITIES, {}, 'n');
          const [links] = await column<number>(tx, Q.countLinks(), {}, 'n');
          return { entities: num(entities), links: num(links) };
        }),
      ),
    );
  }

  contentHash(): Promise<string> {
    return this.guard(() =>
      this.settled(() =>
        this.write(async (tx) => {
          await this.lockLive(tx);
          // The stored text is the canonical text; Neo4j's string order is not JavaScript's, hence the sort here.
          const rows = async (query: Cypher): Promise<StoredText[]> => {
            const texts: StoredText[] = [];
            for await (const record of tx.run(query, {}))
              texts.push({ id: record.get('id') as string, record: record.get('record') as string });
            return texts;
          };
          return storedContentHash(await rows(Q.CONTENT_ENTITIES), await rows(Q.contentLinks()));
        }),
      ),
    );
  }

  // ---- analysis --------------------------------------------------------------

  saveAnalysis(run: AnalysisWriteBack): Promise<{ entitiesWritten: number }> {
    return this.guard(async () => {
      checkAnalysis(run, RESERVED_METRICS);
      const ids = analysisEntityIds(run);
      const op = `analyse:${randomUUID()}`;
      return this.settled(() =>
        this.write(async (tx) => {
          const done = await this.beginAudited(tx, op);
          if (done !== undefined) return { entitiesWritten: Number(done.event.detail?.entities_written ?? ids.length) };
          const found = new Set<string>();
          for (let start = 0; start < ids.length; start += 50_000) {
            for (const id of await column<string>(tx, Q.EXISTING_IDS, { ids: ids.slice(start, start + 50_000) }, 'id'))
              found.add(id);
          }
          refuseMissingEntities(ids, found);
          const metricNames = [
            ...new Set(Object.values(run.metrics).flatMap((metrics) => Object.keys(metrics))),
          ].sort();
          // Is this run the latest (by time, then id)? Only the latest run's values live on the entities.
          const latest = (await tx.run(Q.ANALYSIS_LATEST, {})).records[0];
          const isLatest =
            latest === undefined ||
            (latest.get('id') as string) === run.runId ||
            laterRun(
              { at: run.at, runId: run.runId },
              { at: latest.get('at') as string, runId: latest.get('id') as string },
            );
          if (isLatest) {
            // Clear every analysis property any earlier run wrote.
            const clear: Record<string, null> = { ocgnet_run: null, ocgnet_community: null, ocgnet_metrics: null };
            for (const names of await column<string[] | null>(tx, Q.ANALYSIS_RUN_NAMES, {}, 'names'))
              for (const name of names ?? []) clear[`ocgnet_${name}`] = null;
            for (const name of metricNames) clear[`ocgnet_${name}`] = null;
            await tx.run(Q.ANALYSIS_CLEAR, { clear });
            const rows = ids.map((id) => {
              const props: Record<string, unknown> = { ocgnet_run: run.runId };
              const metrics = run.metrics[id];
              if (metrics !== undefined) {
                props.ocgnet_metrics = Object.keys(metrics);
                for (const [name, value] of Object.entries(metrics))
                  if (value !== null) props[`ocgnet_${name}`] = value;
              }
              const community = run.communities[id];
              if (community !== undefined)
                props.ocgnet_community = Number.isInteger(community) ? int(community) : community;
              return { id, props };
            });
            for (let start = 0; start < rows.length; start += 10_000)
              await tx.run(Q.ANALYSIS_WRITE, { rows: rows.slice(start, start + 10_000) });
          }
          await tx.run(Q.ANALYSIS_RUN_SAVE, {
            id: run.runId,
            at: run.at,
            engine: run.engine,
            marking: JSON.stringify(run.marking),
            metricNames,
            latest: isLatest,
          });
          await this.appendInTransaction(tx, op, this.event('analyse', '*', analyseDetail(run, ids.length)));
          return { entitiesWritten: ids.length };
        }),
      );
    });
  }

  latestAnalysis(): Promise<StoredAnalysis | undefined> {
    return this.guard(async () => {
      await this.settle();
      return this.read(async (tx) => {
        const latest = (await tx.run(Q.ANALYSIS_LATEST, {})).records[0];
        if (latest === undefined) return undefined;
        const runId = latest.get('id') as string;
        const metrics: StoredAnalysis['metrics'] = {};
        const communities: StoredAnalysis['communities'] = {};
        for (const row of (await tx.run(Q.ANALYSIS_VALUES, { id: runId })).records) {
          const id = row.get('id') as string;
          const props = row.get('props') as Record<string, unknown>;
          const names = props.ocgnet_metrics as string[] | undefined;
          if (names !== undefined) {
            const values: Record<string, number | null> = {};
            for (const name of names) {
              const value = props[`ocgnet_${name}`];
              values[name] = value === undefined || value === null ? null : num(value);
            }
            metrics[id] = values;
          }
          if (props.ocgnet_community !== undefined && props.ocgnet_community !== null)
            communities[id] = num(props.ocgnet_community);
        }
        return {
          runId,
          at: latest.get('at') as string,
          engine: latest.get('engine') as string,
          marking: JSON.parse(latest.get('marking') as string) as StoredAnalysis['marking'],
          metrics,
          communities,
        };
      });
    });
  }

  // ---- audit -------------------------------------------------------------------

  appendAudit(event: AuditEvent): Promise<AuditRecord> {
    return this.guard(async () => {
      const op = `append:${randomUUID()}`;
      return this.settled(() =>
        this.write(async (tx) => (await this.beginAudited(tx, op)) ?? (await this.appendInTransaction(tx, op, event))),
      );
    });
  }

  private async auditLines(): Promise<string[]> {
    await this.settle();
    return this.read((tx) => column<string>(tx, Q.AUDIT_ALL, {}, 'line'));
  }

  auditTrail(options: { reveal?: boolean } = {}): Promise<AuditRecord[]> {
    return this.guard(async () => {
      const records = this.connection.sealer.records(await this.auditLines());
      if (options.reveal !== true) return records;
      const kids = tokenKids(records);
      const keys = new Map<string, Buffer>();
      if (kids.length > 0) {
        for (const row of await this.read(async (tx) => (await tx.run(Q.SUBJECT_KEYS_BY_KID, { kids })).records)) {
          keys.set(row.get('kid') as string, Buffer.from(row.get('key') as string, 'hex'));
        }
      }
      return revealRecords(records, keys);
    });
  }

  verifyAudit(options: AuditVerifyOptions = {}): Promise<AuditVerifyResult> {
    return this.guard(async () =>
      this.connection.sealer.verify(await this.settled(() => this.write((tx) => this.storedTrail(tx))), options),
    );
  }

  checkpointAudit(): Promise<Checkpoint> {
    return this.guard(() =>
      this.settled(() =>
        this.write(async (tx) => {
          const { checkpoint, line } = this.connection.sealer.reanchor(await this.storedTrail(tx));
          await this.keepCheckpoint(tx, line);
          return checkpoint;
        }),
      ),
    );
  }

  migrateAudit(): Promise<AuditMigration> {
    return this.guard(async () => {
      const op = `migrate:${randomUUID()}`;
      return this.settled(() =>
        this.write(async (tx) => {
          const done = await this.beginAudited(tx, op);
          if (done !== undefined) return this.migrationDone(tx, done);
          const { lines, checkpoint, migration } = this.connection.sealer.migrate(
            await this.storedTrail(tx),
            this.actor,
          );
          await tx.run(Q.AUDIT_DELETE_ALL, {});
          for (const [index, line] of lines.entries()) {
            // The last record is the `migrate` event: it carries the op, so a retry finds it.
            await tx.run(Q.AUDIT_APPEND, {
              seq: int(index + 1),
              line,
              op: index === lines.length - 1 ? op : `${op}:${index + 1}`,
            });
          }
          await this.keepCheckpoint(tx, checkpoint);
          return migration;
        }),
      );
    });
  }

  /** What a migration that already committed did, from its `migrate` event (a retry after a lost acknowledgement). */
  private async migrationDone(tx: ManagedTransaction, done: AuditRecord): Promise<AuditMigration> {
    const [first] = await column<string>(tx, Q.AUDIT_FIRST, {}, 'line');
    const detail = done.event.detail ?? {};
    const log = first === undefined ? '' : (JSON.parse(first) as AuditRecord).prev;
    return {
      events: Number(detail.legacy_events ?? 0),
      legacyHead: String(detail.legacy_head ?? ''),
      log,
      head: done.mac,
      count: done.seq,
    };
  }

  // ---- retention ---------------------------------------------------------------

  erase(entityId: string, options: { justification: string }): Promise<ErasureReport> {
    return this.guard(async () => {
      if (typeof entityId !== 'string') throw new StoreError('USAGE', 'entityId: must be a string');
      const subjectHash = sha256(entityId);
      const op = `erase:${randomUUID()}`;
      return this.settled(() =>
        this.write(async (tx): Promise<ErasureReport> => {
          const done = await this.beginAudited(tx, op);
          if (done !== undefined) {
            const detail = done.event.detail ?? {};
            return {
              subjectHash,
              entities: Number(detail.entities ?? 0),
              links: Number(detail.links ?? 0),
              analysisValues: Number(detail.analysis_values ?? 0),
            };
          }
          const [row] = (await tx.run(Q.eraseEntity(), { id: entityId })).records;
          if (row === undefined) throw new StoreError('NOT_FOUND', `no entity with id ${JSON.stringify(entityId)}`);
          const report: ErasureReport = {
            subjectHash,
            entities: 1,
            links: num(row.get('links')),
            analysisValues: num(row.get('values')),
          };
          // Crypto-shredding: the ids earlier events sealed under this key can no longer be read.
          await tx.run(Q.SUBJECT_KEY_DELETE, { ref: subjectRef(entityId) });
          await this.appendInTransaction(
            tx,
            op,
            this.event(
              'erase',
              `sha256:${subjectHash}`,
              { entities: 1, links: report.links, analysis_values: report.analysisValues },
              options?.justification,
            ),
          );
          return report;
        }),
      );
    });
  }

  dueForReview(asOf: string): Promise<ReviewItem[]> {
    return this.guard(async () => {
      checkReviewDate(asOf);
      const op = `review:${randomUUID()}`;
      return this.settled(() =>
        this.write(async (tx) => {
          const done = await this.beginAudited(tx, op);
          const items: ReviewItem[] = [];
          for (const [query, record] of [
            [Q.REVIEW_ENTITIES, 'entity'],
            [Q.reviewLinks(), 'link'],
          ] as const) {
            for (const row of (await tx.run(query, { asOf })).records) {
              items.push({
                record,
                id: row.get('id') as string,
                kind: row.get('kind') as string,
                review_date: row.get('review_date') as string,
                handling: row.get('handling') as HandlingMarking,
              });
            }
          }
          items.sort(byReview);
          if (done === undefined) {
            const entities = items.filter((item) => item.record === 'entity').length;
            await this.appendInTransaction(
              tx,
              op,
              this.event('review', '*', { as_of: asOf, entities, links: items.length - entities }),
            );
          }
          return items;
        }),
      );
    });
  }

  async close(): Promise<void> {
    if (this.isView || this.connection.closed) return;
    this.connection.closed = true;
    await this.driver.close();
  }
}

/**
 * Transient errors, and a connection lost mid-message (which the driver
 * reports as a ProtocolError and does not retry itself).
 */
function isRetryable(error: unknown): boolean {
  const flags = (error ?? {}) as { retryable?: unknown; retriable?: unknown; code?: unknown };
  return (
    flags.retryable === true ||
    flags.retriable === true ||
    flags.code === 'ProtocolError' ||
    flags.code === 'ServiceUnavailable' ||
    flags.code === 'SessionExpired'
  );
}

/** Retries an idempotent act on transient errors (what the driver does for managed transactions). */
async function retrying<T>(act: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await act();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/** Is run `a` later than run `b`: by time, then by id (as the embedded store decides). */
function laterRun(a: { at: string; runId: string }, b: { at: string; runId: string }): boolean {
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  return ta > tb || (ta === tb && a.runId > b.runId);
}
