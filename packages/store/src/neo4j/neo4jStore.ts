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
 *   `(:OcgnetStaged)`, `(:OcgnetMeta {schema_version})`.
 *
 * All or nothing: an import is validated, written in batches to staging
 * nodes (each batch its own idempotent transaction), then made live by ONE
 * commit transaction that also records the import and its audit event and
 * deletes the staging nodes. Every write is idempotent under the driver's
 * retries: staging MERGEs on (import, part, id), the commit checks whether
 * the import is already committed, and every audited act carries an `op` id
 * so a transaction retried after its commit was lost in transit finds its own
 * audit record and does not act twice.
 */
import { createHash, randomUUID } from 'node:crypto';
import neo4j, { type Config, type Driver, type ManagedTransaction, type Session } from 'neo4j-driver';
import { z } from 'zod';
import {
  appendRecord,
  AuditEventSchema,
  formatRecordLine,
  parseRecordLine,
  verifyChain,
  type AuditAction,
  type AuditEvent,
  type AuditRecord,
  type AuditVerifyResult,
} from '@ocgnet/audit';
import {
  entityMarking,
  linkInterval,
  linkMarking,
  linkStrength,
  LIMITS,
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
  ReviewItem,
  Store,
  StoreActor,
  StoreImportOptions,
  StoreImportResult,
  StoredAnalysis,
  StoreInfo,
} from '../contract.js';
import { byId, canonicalRecordText } from '../content.js';
import { StoreError, type StoreIssue } from '../errors.js';
import { checkRecordQuery, selectRecords } from '../select.js';
import { importProblems, referencedIds } from '../validate.js';
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
  driverConfig?: Config;
}

export const DEFAULT_NEO4J_BATCH_SIZE = 5000;
/** Staging transactions in flight at once. */
const STAGING_CONCURRENCY = 3;
/** Version of the graph layout below, kept in `(:OcgnetMeta {schema_version})`. */
export const NEO4J_STORE_SCHEMA_VERSION = 1;

const HANDLING_AT_MOST: Record<HandlingMarking, HandlingMarking[]> = { P: ['P'], C: ['P', 'C'], R: ['P', 'C', 'R'] };
const ALL_HANDLING: HandlingMarking[] = ['P', 'C', 'R'];
/** Analysis property names the store itself uses; metrics may not take them. */
const RESERVED_METRICS = new Set(['community', 'run', 'metrics']);
const ActorSchema = AuditEventSchema.pick({ who: true, audience: true, justification: true });
const IsoDate = z.iso.date();
const IsoDateTime = z.iso.datetime({ offset: true });
/** When this process started: staging left by imports begun before it belongs to a dead process. */
const PROCESS_START = new Date(performance.timeOrigin).toISOString();

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const detailText = (text: string): string => (text.length <= LIMITS.maxLabelLength ? text : text.slice(0, LIMITS.maxLabelLength - 1) + '…');

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
  if (error instanceof StoreError) return error;
  const scrub = (text: string) => (password ? text.split(password).join('***') : text);
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return new StoreError('usage', `${issue?.path.join('.') || '(value)'}: ${issue?.message ?? 'invalid'}`, [], { cause: error });
  }
  const { code = '', message = String(error) } = (error ?? {}) as Neo4jLikeError;
  const first = scrub(String(message).split('\n')[0] ?? '').slice(0, 300);
  if (code.startsWith('Neo.ClientError.Security.')) {
    return new StoreError(
      'unavailable',
      `${location}: Neo4j refused the credentials (${first}); set NEO4J_USER and NEO4J_PASSWORD, or pass user and password`,
      [],
      { cause: error },
    );
  }
  if (code === 'ServiceUnavailable' || code === 'SessionExpired' || /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|connect/i.test(first)) {
    return new StoreError('unavailable', `${location}: cannot reach Neo4j (${first}); is the server running and the URI right?`, [], { cause: error });
  }
  if (code === 'Neo.ClientError.Database.DatabaseNotFound') {
    return new StoreError('unavailable', `${location}: ${first}; check the database name`, [], { cause: error });
  }
  if (code.startsWith('Neo.TransientError.')) {
    return new StoreError('unavailable', `${location}: Neo4j is busy (${code}: ${first}); try again`, [], { cause: error });
  }
  return new StoreError('unavailable', `${location}: Neo4j failed (${code || 'error'}: ${first})`, [], { cause: error });
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
const num = (value: unknown): number => (typeof value === 'number' ? value : neo4j.isInt(value) ? (value as { toNumber(): number }).toNumber() : Number(value));

/** Reads the driver result column `key` of every row. */
async function column<T>(tx: ManagedTransaction, query: Cypher, params: Record<string, unknown>, key: string): Promise<T[]> {
  const result = await tx.run(query, params);
  return result.records.map((record) => record.get(key) as T);
}

/**
 * Opens the Neo4j store at `uri` (neo4j://, bolt://, with +s/+ssc). Creates
 * constraints and indexes on first use and clears staging left by dead
 * imports. Throws StoreError('unavailable') when the server cannot be reached
 * or refuses the credentials, 'corrupt' for a store of another version,
 * 'usage' for an actor the audit trail would refuse.
 */
export async function openNeo4jStore(uri: string, actor: StoreActor, options: Neo4jStoreOptions = {}): Promise<Store> {
  const checked = ActorSchema.safeParse(actor);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new StoreError('usage', `actor.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const batchSize = options.batchSize ?? DEFAULT_NEO4J_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new StoreError('usage', `batchSize: must be a whole number of at least 1, not ${batchSize}`);
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
    throw new StoreError('usage', `${location}: not a Neo4j URI (neo4j://host:port or bolt://host:port)`);
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
  const store = new Neo4jStore(driver, location, options.database, checked.data, batchSize, password);
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

class Neo4jStore implements Store, InDatabase {
  readonly info: StoreInfo;
  private closed = false;

  /** Runs `work` on this store's driver; its errors come back as StoreErrors, without credentials. */
  inDatabase<T>(work: (driver: Driver, database: string | undefined) => Promise<T>): Promise<T> {
    return this.guard(() => work(this.driver, this.database));
  }

  constructor(
    private readonly driver: Driver,
    private readonly location: string,
    private readonly database: string | undefined,
    readonly actor: StoreActor,
    private readonly batchSize: number,
    private readonly password: string | undefined,
  ) {
    this.info = { kind: 'neo4j', location };
  }

  // ---- plumbing ------------------------------------------------------------

  private session(mode: 'READ' | 'WRITE'): Session {
    return this.driver.session({
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
      ...(this.database ? { database: this.database } : {}),
    });
  }

  private async guard<T>(act: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreError('usage', `${this.location}: the store is closed`);
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
  private write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return retrying(async () => {
      const session = this.session('WRITE');
      try {
        return await session.executeWrite(work);
      } finally {
        await session.close().catch(() => undefined);
      }
    });
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
      throw new StoreError('corrupt', `${this.location}: holds an ocgnet store of schema version ${versions.join(', ')}; this code reads version ${NEO4J_STORE_SCHEMA_VERSION}`);
    }
    for (const statement of Q.schemaStatements()) await this.autoCommit(statement);
    await this.autoCommit(Q.AWAIT_INDEXES);
    if (versions.length === 0) await this.write((tx) => tx.run(Q.META_CREATE, { version: int(NEO4J_STORE_SCHEMA_VERSION) }));
    await this.clearStaleStaging();
  }

  private async clearStaleStaging(): Promise<void> {
    const stale = await this.read((tx) => column<string>(tx, Q.STALE_IMPORTS, { before: PROCESS_START }, 'id'));
    for (const id of stale) await this.dropStaging(id);
  }

  /** Deletes an import's staging nodes in batches and marks the import abandoned. */
  private async dropStaging(importId: string): Promise<void> {
    for (;;) {
      const [deleted] = await this.write((tx) => column<number>(tx, Q.DELETE_STAGED_BATCH, { id: importId, limit: int(10_000) }, 'deleted'));
      if (!deleted) break;
    }
    await this.write((tx) => tx.run(Q.ABANDON_IMPORT, { id: importId, now: new Date().toISOString() }));
  }

  private event(action: AuditAction, subject: string, detail: AuditEvent['detail'], justification = this.actor.justification): AuditEvent {
    return { action, who: this.actor.who, at: new Date().toISOString(), audience: this.actor.audience, subject, justification, recipients: [], detail };
  }

  /**
   * Takes the audit lock and looks for the record of `op`. Call first in every
   * audited write transaction: a record found means this act already
   * committed (a retry after a lost commit acknowledgement).
   */
  private async beginAudited(tx: ManagedTransaction, op: string): Promise<AuditRecord | undefined> {
    const locked = await tx.run(Q.AUDIT_LOCK, {});
    if (locked.records.length === 0) throw new StoreError('corrupt', `${this.location}: the ocgnet meta node is missing`);
    const [line] = await column<string>(tx, Q.AUDIT_BY_OP, { op }, 'line');
    if (line === undefined) return undefined;
    const parsed = parseRecordLine(line);
    if (!parsed.ok) throw new StoreError('corrupt', `${this.location}: audit record is damaged (${parsed.reason}: ${parsed.detail})`);
    return parsed.record;
  }

  /** Appends the next audit record; only after {@link beginAudited} in the same transaction. */
  private async appendInTransaction(tx: ManagedTransaction, op: string, event: AuditEvent): Promise<AuditRecord> {
    const parsedEvent = AuditEventSchema.safeParse(event);
    if (!parsedEvent.success) {
      const issue = parsedEvent.error.issues[0];
      throw new StoreError('usage', `audit event: ${issue?.path.join('.') || '(event)'}: ${issue?.message ?? 'invalid'}`);
    }
    const [last] = await column<string>(tx, Q.AUDIT_HEAD, {}, 'line');
    let previous: AuditRecord | undefined;
    if (last !== undefined) {
      const parsed = parseRecordLine(last);
      if (!parsed.ok) throw new StoreError('corrupt', `${this.location}: the last audit record is damaged (${parsed.reason}: ${parsed.detail}); nothing was changed`);
      previous = parsed.record;
    }
    const record = appendRecord(previous, parsedEvent.data);
    await tx.run(Q.AUDIT_APPEND, { seq: int(record.seq), line: formatRecordLine(record), op });
    return record;
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
      if (records === null || typeof records !== 'object' || !Array.isArray(records.entities) || !Array.isArray(records.links)) {
        throw new StoreError('usage', 'records: must be { entities: [...], links: [...] }');
      }
      for (const [list, kind] of [[records.entities, 'entity'], [records.links, 'link']] as const) {
        const bad = list.findIndex((record) => record === null || typeof record !== 'object' || Array.isArray(record));
        if (bad >= 0) throw new StoreError('conflict', `1 record(s) cannot be imported; nothing was changed`, [{ record: kind, id: `#${bad}`, field: '(record)', reason: 'is not an object' }]);
      }
      const batchSize = options.batchSize ?? this.batchSize;
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new StoreError('usage', `batchSize: must be a whole number of at least 1, not ${batchSize}`);

      // 1. Validate against what is stored (kinds fetched in one parameterised query).
      const ids = [...new Set([...records.entities.map((entity) => entity.id), ...referencedIds(records)])].filter((id): id is string => typeof id === 'string');
      const issues = importProblems(records, await this.storedKinds(ids));
      if (issues.length > 0) throw new StoreError('conflict', `${issues.length} record(s) cannot be imported; nothing was changed`, issues);

      // One row per id (an id given twice has the same content, or validation failed).
      const entityRows = new Map<string, Record<string, unknown>>();
      for (const entity of records.entities) if (!entityRows.has(entity.id)) entityRows.set(entity.id, entityRow(entity));
      const linkRows = new Map<string, Record<string, unknown>>();
      for (const link of records.links) if (!linkRows.has(link.id)) linkRows.set(link.id, linkRow(link));

      const importId = randomUUID();
      const total = records.entities.length + records.links.length;
      const at = new Date().toISOString();
      await this.write((tx) => tx.run(Q.IMPORT_BEGIN, { id: importId, at, entities: int(entityRows.size), links: int(linkRows.size) }));

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
          for (let start = 0; start < rows.length; start += batchSize) batches.push({ part, rows: rows.slice(start, start + batchSize) });
        }
        let next = 0;
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
          }
        };
        await Promise.all(Array.from({ length: STAGING_CONCURRENCY }, worker));
      } catch (error) {
        await this.dropStaging(importId).catch(() => undefined);
        throw error;
      }

      // 3. One commit transaction.
      const kinds = [...new Set([...entityRows.values()].map((row) => row.kind as EntityKind))];
      const types = [...new Set([...linkRows.values()].map((row) => row.type as LinkType))];
      const detailSource = options.sourceDescription !== undefined && options.sourceDescription !== '' ? detailText(options.sourceDescription) : undefined;
      let result: StoreImportResult;
      try {
        result = await this.write((tx) => this.commitImport(tx, importId, kinds, types, entityRows.size, linkRows.size, detailSource));
      } catch (error) {
        await this.dropStaging(importId).catch(() => undefined);
        throw error;
      }
      if (done < total) options.onProgress?.(total, total);
      return result;
    });
  }

  private async commitImport(
    tx: ManagedTransaction,
    importId: string,
    kinds: EntityKind[],
    types: LinkType[],
    entityCount: number,
    linkCount: number,
    source: string | undefined,
  ): Promise<StoreImportResult> {
    const op = `import:${importId}`;
    const [state] = (await tx.run(Q.IMPORT_STATE, { id: importId })).records;
    const current = state?.get('state') as string | null | undefined;
    if (current === 'committed') return JSON.parse(state!.get('result') as string) as StoreImportResult;
    if (current !== 'staging') {
      throw new StoreError('conflict', `${this.location}: import ${importId} was cleared before it could be committed (another process took its staging for a dead import's); nothing was changed`);
    }
    await this.beginAudited(tx, op);

    const staged = new Map<string, number>();
    for (const row of (await tx.run(Q.STAGED_COUNTS, { id: importId })).records) staged.set(row.get('part') as string, num(row.get('n')));
    if ((staged.get('entity') ?? 0) !== entityCount || (staged.get('link') ?? 0) !== linkCount) {
      throw new StoreError('conflict', `${this.location}: import ${importId} lost staged records before its commit; nothing was changed`);
    }
    const clash = (await tx.run(Q.STAGED_KIND_CLASH, { id: importId })).records;
    if (clash.length > 0) {
      throw new StoreError(
        'conflict',
        `${clash.length} record(s) cannot be imported; nothing was changed`,
        clash.map((row): StoreIssue => ({
          record: 'entity',
          id: row.get('id') as string,
          field: 'kind',
          reason: `stored as ${row.get('stored') as string}; an amendment cannot change it to ${row.get('kind') as string}`,
        })),
      );
    }

    const entities: ImportCounts = { added: 0, updated: 0, unchanged: 0 };
    const links: ImportCounts = { added: 0, updated: 0, unchanged: 0 };
    for (const kind of kinds) {
      for (const row of (await tx.run(Q.commitEntities(kind), { id: importId, grp: `entity:${kind}` })).records) {
        entities[row.get('status') as keyof ImportCounts] += num(row.get('n'));
      }
    }

    if (types.length > 0) {
      const dangling = (await tx.run(Q.STAGED_LINK_DANGLING, { id: importId })).records;
      if (dangling.length > 0) {
        throw new StoreError(
          'conflict',
          `${dangling.length} link(s) cannot be imported: an end was erased meanwhile; nothing was changed`,
          dangling.map((row): StoreIssue => ({ record: 'link', id: row.get('id') as string, field: 'from', reason: 'an end is no longer stored' })),
        );
      }
      // Links of types the store holds none of need no comparison (a first import skips it all).
      const present: LinkType[] = [];
      for (const type of Q.LINK_TYPES) {
        const [n] = await column<number>(tx, Q.countLinksOf(type), {}, 'n');
        if (num(n) > 0) present.push(type);
      }
      for (const type of types) {
        const grp = `link:${type}`;
        if (present.includes(type)) {
          for (const row of (await tx.run(Q.commitSameTypeLinks(type), { id: importId, grp })).records) {
            links[row.get('status') as 'unchanged' | 'updated'] += num(row.get('n'));
          }
        }
        const others = present.filter((other) => other !== type);
        if (others.length > 0) {
          const [retyped] = await column<number>(tx, Q.deleteRetypedLinks(type, others), { id: importId, grp }, 'n');
          links.updated += num(retyped ?? 0);
        }
        await tx.run(Q.commitLinks(type), { id: importId, grp });
      }
      links.added = linkCount - links.updated - links.unchanged;
    }
    const result: StoreImportResult = { importId, entities, links };
    const detail: NonNullable<AuditEvent['detail']> = {
      import_id: importId,
      entities_added: entities.added,
      entities_updated: entities.updated,
      entities_unchanged: entities.unchanged,
      links_added: links.added,
      links_updated: links.updated,
      links_unchanged: links.unchanged,
    };
    if (source !== undefined) detail.source = source;
    await this.appendInTransaction(tx, op, this.event('import', '*', detail));
    await tx.run(Q.IMPORT_COMMITTED, { id: importId, at: new Date().toISOString(), result: JSON.stringify(result) });
    await tx.run(Q.DELETE_STAGED_ALL, { id: importId });
    return result;
  }

  // ---- reads -------------------------------------------------------------------

  records(query: RecordQuery = {}): Promise<RecordSet> {
    return this.guard(async () => {
      checkRecordQuery(query);
      const op = `read:${randomUUID()}`;
      return this.write(async (tx) => {
        const done = await this.beginAudited(tx, op);
        const result = await this.select(tx, query);
        if (done === undefined) {
          await this.appendInTransaction(
            tx,
            op,
            this.event('read', subjectOf(query.entityIds), {
              entities: result.entities.length,
              links: result.links.length,
              query: detailText(JSON.stringify(query)),
            }),
          );
        }
        return result;
      });
    });
  }

  /** Candidates fetched with the easy filters pushed down, then `selectRecords` for exact semantics. */
  private async select(tx: ManagedTransaction, query: RecordQuery): Promise<RecordSet> {
    const handlings = query.maxHandling === undefined ? ALL_HANDLING : HANDLING_AT_MOST[query.maxHandling];
    if (handlings === undefined) throw new StoreError('usage', `maxHandling: must be P, C or R, not ${JSON.stringify(query.maxHandling)}`);
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

  counts(): Promise<{ entities: number; links: number }> {
    return this.guard(() =>
      this.read(async (tx) => {
        const [entities] = await column<number>(tx, Q.COUNT_ENTITIES, {}, 'n');
        const [links] = await column<number>(tx, Q.countLinks(), {}, 'n');
        return { entities: num(entities), links: num(links) };
      }),
    );
  }

  contentHash(): Promise<string> {
    return this.guard(() =>
      this.read(async (tx) => {
        // The stored text is the canonical text; Neo4j's string order is not JavaScript's, hence the sort here.
        const hash = createHash('sha256');
        for (const [query, tag] of [[Q.CONTENT_ENTITIES, 'entity'], [Q.contentLinks(), 'link']] as const) {
          const rows: { id: string; record: string }[] = [];
          const result = tx.run(query, {});
          for await (const record of result) rows.push({ id: record.get('id') as string, record: record.get('record') as string });
          rows.sort(byId);
          for (const row of rows) hash.update(`${tag}\t${row.record}\n`, 'utf8');
        }
        return hash.digest('hex');
      }),
    );
  }

  // ---- analysis --------------------------------------------------------------

  saveAnalysis(run: AnalysisWriteBack): Promise<{ entitiesWritten: number }> {
    return this.guard(async () => {
      checkAnalysis(run);
      const ids = [...new Set([...Object.keys(run.metrics), ...Object.keys(run.communities)])];
      const op = `analyse:${randomUUID()}`;
      return this.write(async (tx) => {
        const done = await this.beginAudited(tx, op);
        if (done !== undefined) return { entitiesWritten: Number(done.event.detail?.entities_written ?? ids.length) };
        const found = new Set<string>();
        for (let start = 0; start < ids.length; start += 50_000) {
          for (const id of await column<string>(tx, Q.EXISTING_IDS, { ids: ids.slice(start, start + 50_000) }, 'id')) found.add(id);
        }
        const missing = ids.filter((id) => !found.has(id));
        if (missing.length > 0) {
          throw new StoreError(
            'not-found',
            `${missing.length} entit${missing.length === 1 ? 'y' : 'ies'} of the analysis ${missing.length === 1 ? 'is' : 'are'} not stored: ${missing
              .slice(0, 20)
              .map((id) => JSON.stringify(id))
              .join(', ')}${missing.length > 20 ? ', …' : ''}`,
            missing.map((id): StoreIssue => ({ record: 'entity', id, field: 'id', reason: 'no entity with this id is stored' })),
          );
        }
        const metricNames = [...new Set(Object.values(run.metrics).flatMap((metrics) => Object.keys(metrics)))].sort();
        // Is this run the latest (by time, then id)? Only the latest run's values live on the entities.
        const latest = (await tx.run(Q.ANALYSIS_LATEST, {})).records[0];
        const isLatest =
          latest === undefined ||
          (latest.get('id') as string) === run.runId ||
          laterRun({ at: run.at, runId: run.runId }, { at: latest.get('at') as string, runId: latest.get('id') as string });
        if (isLatest) {
          // Clear every analysis property any earlier run wrote.
          const clear: Record<string, null> = { ocgnet_run: null, ocgnet_community: null, ocgnet_metrics: null };
          for (const names of await column<string[] | null>(tx, Q.ANALYSIS_RUN_NAMES, {}, 'names')) for (const name of names ?? []) clear[`ocgnet_${name}`] = null;
          for (const name of metricNames) clear[`ocgnet_${name}`] = null;
          await tx.run(Q.ANALYSIS_CLEAR, { clear });
          const rows = ids.map((id) => {
            const props: Record<string, unknown> = { ocgnet_run: run.runId };
            const metrics = run.metrics[id];
            if (metrics !== undefined) {
              props.ocgnet_metrics = Object.keys(metrics);
              for (const [name, value] of Object.entries(metrics)) if (value !== null) props[`ocgnet_${name}`] = value;
            }
            const community = run.communities[id];
            if (community !== undefined) props.ocgnet_community = Number.isInteger(community) ? int(community) : community;
            return { id, props };
          });
          for (let start = 0; start < rows.length; start += 10_000) await tx.run(Q.ANALYSIS_WRITE, { rows: rows.slice(start, start + 10_000) });
        }
        await tx.run(Q.ANALYSIS_RUN_SAVE, {
          id: run.runId,
          at: run.at,
          engine: run.engine,
          marking: JSON.stringify(run.marking),
          metricNames,
          latest: isLatest,
        });
        await this.appendInTransaction(
          tx,
          op,
          this.event('analyse', '*', {
            run_id: detailText(run.runId),
            engine: detailText(run.engine),
            entities_written: ids.length,
            handling: run.marking.handling,
          }),
        );
        return { entitiesWritten: ids.length };
      });
    });
  }

  latestAnalysis(): Promise<StoredAnalysis | undefined> {
    return this.guard(() =>
      this.read(async (tx) => {
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
          if (props.ocgnet_community !== undefined && props.ocgnet_community !== null) communities[id] = num(props.ocgnet_community);
        }
        return {
          runId,
          at: latest.get('at') as string,
          engine: latest.get('engine') as string,
          marking: JSON.parse(latest.get('marking') as string) as StoredAnalysis['marking'],
          metrics,
          communities,
        };
      }),
    );
  }

  // ---- audit -------------------------------------------------------------------

  appendAudit(event: AuditEvent): Promise<AuditRecord> {
    return this.guard(async () => {
      const op = `append:${randomUUID()}`;
      return this.write(async (tx) => (await this.beginAudited(tx, op)) ?? (await this.appendInTransaction(tx, op, event)));
    });
  }

  private auditLines(): Promise<string[]> {
    return this.read((tx) => column<string>(tx, Q.AUDIT_ALL, {}, 'line'));
  }

  auditTrail(): Promise<AuditRecord[]> {
    return this.guard(async () =>
      (await this.auditLines()).map((line, index) => {
        const parsed = parseRecordLine(line);
        if (!parsed.ok) throw new StoreError('corrupt', `${this.location}: audit record ${index + 1} is damaged (${parsed.reason}: ${parsed.detail})`);
        return parsed.record;
      }),
    );
  }

  verifyAudit(): Promise<AuditVerifyResult> {
    return this.guard(async () => verifyChain(await this.auditLines()));
  }

  // ---- retention ---------------------------------------------------------------

  erase(entityId: string, options: { justification: string }): Promise<ErasureReport> {
    return this.guard(async () => {
      if (typeof entityId !== 'string') throw new StoreError('usage', 'entityId: must be a string');
      const subjectHash = sha256(entityId);
      const op = `erase:${randomUUID()}`;
      return this.write(async (tx): Promise<ErasureReport> => {
        const done = await this.beginAudited(tx, op);
        if (done !== undefined) {
          const detail = done.event.detail ?? {};
          return { subjectHash, entities: Number(detail.entities ?? 0), links: Number(detail.links ?? 0), analysisValues: Number(detail.analysis_values ?? 0) };
        }
        const [row] = (await tx.run(Q.eraseEntity(), { id: entityId })).records;
        if (row === undefined) throw new StoreError('not-found', `no entity with id ${JSON.stringify(entityId)}`);
        const report: ErasureReport = { subjectHash, entities: 1, links: num(row.get('links')), analysisValues: num(row.get('values')) };
        await this.appendInTransaction(
          tx,
          op,
          this.event('erase', `sha256:${subjectHash}`, { entities: 1, links: report.links, analysis_values: report.analysisValues }, options?.justification),
        );
        return report;
      });
    });
  }

  dueForReview(asOf: string): Promise<ReviewItem[]> {
    return this.guard(async () => {
      if (typeof asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(asOf) || !IsoDate.safeParse(asOf).success) {
        throw new StoreError('usage', `asOf: must be a date YYYY-MM-DD, not ${JSON.stringify(asOf)}`);
      }
      const op = `review:${randomUUID()}`;
      return this.write(async (tx) => {
        const done = await this.beginAudited(tx, op);
        const items: ReviewItem[] = [];
        for (const [query, record] of [[Q.REVIEW_ENTITIES, 'entity'], [Q.reviewLinks(), 'link']] as const) {
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
          await this.appendInTransaction(tx, op, this.event('review', '*', { as_of: asOf, entities, links: items.length - entities }));
        }
        return items;
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.driver.close();
  }
}

/**
 * Transient errors, and a connection lost mid-message (which the driver
 * reports as a ProtocolError and does not retry itself).
 */
function isRetryable(error: unknown): boolean {
  const flags = (error ?? {}) as { retryable?: unknown; retriable?: unknown; code?: unknown };
  return flags.retryable === true || flags.retriable === true || flags.code === 'ProtocolError' || flags.code === 'ServiceUnavailable' || flags.code === 'SessionExpired';
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

/** Review order: date, then id (JavaScript order), then entities before links. */
function byReview(a: ReviewItem, b: ReviewItem): number {
  if (a.review_date !== b.review_date) return a.review_date < b.review_date ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.record === b.record ? 0 : a.record === 'entity' ? -1 : 1;
}

/** The audit subject of a read: the entity ids asked for, joined, cut to fit. */
function subjectOf(ids: readonly string[] | undefined): string {
  if (ids === undefined) return '*';
  const unique = [...new Set(ids)];
  if (unique.length === 0) return '(none)';
  const max = LIMITS.maxIdLength;
  const joined = unique.join(',');
  if (joined.length <= max) return joined;
  let out = '';
  let taken = 0;
  for (const id of unique) {
    const candidate = taken === 0 ? id : `${out},${id}`;
    if (candidate.length + `,…+${unique.length - taken - 1}`.length > max) break;
    out = candidate;
    taken++;
  }
  return taken === 0 ? `${unique.length} entities` : `${out},…+${unique.length - taken}`;
}

function checkAnalysis(run: AnalysisWriteBack): void {
  const usage = (message: string) => new StoreError('usage', `analysis: ${message}`);
  if (typeof run.runId !== 'string' || run.runId === '') throw usage('runId: must be a non-empty string');
  if (typeof run.at !== 'string' || !IsoDateTime.safeParse(run.at).success) throw usage(`at: must be an ISO date-time with offset, not ${JSON.stringify(run.at)}`);
  if (typeof run.engine !== 'string' || run.engine === '') throw usage('engine: must be a non-empty string');
  if (run.marking === null || typeof run.marking !== 'object' || !['P', 'C', 'R'].includes(run.marking.handling) || !Array.isArray(run.marking.conditions)) {
    throw usage('marking: must be { handling: P|C|R, conditions: [...] }');
  }
  if (run.metrics === null || typeof run.metrics !== 'object' || run.communities === null || typeof run.communities !== 'object') {
    throw usage('metrics and communities: must be objects keyed by entity id');
  }
  for (const [id, metrics] of Object.entries(run.metrics)) {
    for (const [name, value] of Object.entries(metrics)) {
      if (RESERVED_METRICS.has(name)) throw usage(`metrics.${id}.${name}: "${name}" is reserved`);
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) throw usage(`metrics.${id}.${name}: must be a finite number or null`);
    }
  }
  for (const [id, community] of Object.entries(run.communities)) {
    if (typeof community !== 'number' || !Number.isFinite(community)) throw usage(`communities.${id}: must be a finite number`);
  }
}

