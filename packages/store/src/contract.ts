/**
 * The store contract: what every store does, whatever it is built on.
 *
 * Both stores (embedded SQLite, Neo4j) pass the same contract suite
 * (`test/contract.ts`). Semantics that the suite pins down:
 *
 * - **Records round-trip byte for byte.** A record read back is deep-equal to
 *   the record imported, and `contentHash()` is the SHA-256 of the canonical
 *   JSON of all records sorted by id, so two stores holding the same records
 *   give the same hash.
 * - **Imports are all or nothing.** Either every record of an import is in
 *   the store or none is, even if the process is killed half-way; a batch
 *   larger than one transaction is staged and made visible at one commit
 *   point. Staged leftovers of a killed import are invisible and are cleared
 *   on the next open.
 * - **Imports are idempotent.** Records are keyed by their id; importing the
 *   same records twice leaves the store as it was. A record whose id is
 *   already stored with different content is an amendment: it replaces the
 *   stored record and is counted as `updated`. An amendment may not change
 *   an entity's kind, and every link must join stored-or-imported entities of
 *   the kinds its type allows; otherwise the import fails and changes nothing.
 * - **Every act is audited** in the store's own chain, in the same
 *   transaction as the act, by the store's actor. Each record is sealed
 *   under the audit key, and the store keeps a signed checkpoint of the
 *   trail's head, replaced in that same transaction; with a witness file
 *   configured, every checkpoint is also appended there once the act has
 *   committed (see @ocgnet/audit, `sealer.ts`).
 */
import {
  AuditError,
  type AuditEvent,
  type AuditFiles,
  type AuditMigration,
  type AuditRecord,
  type AuditVerifyOptions,
  type AuditVerifyResult,
  type Checkpoint,
} from '@ocgnet/audit';
import type { EntityKind, HandlingMarking, Marking, RecordSet } from '@ocgnet/schema';
import { z } from 'zod';
import { StoreError } from './errors.js';

/** Who is using the store, and why: stamped on every audit event. */
export interface StoreActor {
  /** Analyst id or account. */
  who: string;
  /** The audience the actor belongs to, e.g. `police-analyst`. */
  audience: string;
  /** The recorded lawful purpose of this session's work. */
  justification: string;
  /** The user's own reason, in their words: recorded beside the justification (never instead of it) on every act's event. */
  reason?: string;
  /** SHA-256 of the audiences configuration in force, recorded in every audit event. */
  audiences?: string;
}

export interface StoreInfo {
  kind: 'embedded' | 'neo4j';
  /** A file path, or a neo4j:// / bolt:// URI without credentials. */
  location: string;
}

export interface StoreImportOptions {
  /** Records per write batch (staging granularity). Default chosen by the store. */
  batchSize?: number;
  /**
   * Staged records applied per roll-forward transaction after the commit point, for a store that
   * rolls forward (Neo4j). The embedded store has no roll-forward and ignores it. Default chosen by the store.
   */
  commitChunkSize?: number;
  /** Called as records are written: done and total records (entities + links). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Called at each phase boundary of the import (see {@link ImportPhase}) and awaited there, so a
   * caller that blocks in it freezes the import exactly at that boundary (the crash tests aim their
   * kills this way). A throw fails the import as an error at that point would; from the commit
   * point on, the import stands whatever the callback does.
   */
  onPhase?: (phase: ImportPhase) => void | Promise<void>;
  /** Where the records came from (file names and hashes), for the audit event. */
  sourceDescription?: string;
  /**
   * The import is the whole truth for its sources: stored records whose `source` is one of the
   * sources of this import's records, and which this import does not hold, are removed in the same
   * all-or-nothing act (audited in its event, listed in {@link StoreImportResult.absent}). Refused
   * as a conflict, changing nothing, if a link that stays would lose an end.
   */
  replaceSource?: boolean;
}

/**
 * A boundary an import has just passed, in this order: `staging` once per batch written (not yet
 * visible), `commit-point` once the commit point has committed (the import now stands, even if the
 * process dies), `roll-forward` once per chunk applied after it, then `done`.
 *
 * - Embedded store: the import is one SQLite transaction; its batches inside it are the staging
 *   chunks, the COMMIT is the commit point, and there is no roll-forward (SQLite's commit is atomic).
 * - Neo4j store: batches staged as `:OcgnetStaged` nodes (several at once, so `chunk` counts batches
 *   finished, not their order), the commit point flips the import to `committing`, and the roll-forward
 *   chunks apply the staged records to the live graph; `done` comes once the import is `committed`.
 */
export type ImportPhase =
  | { phase: 'staging'; /** Batches written so far, from 1. */ chunk: number; /** Batches in all. */ chunks: number }
  | { phase: 'commit-point' }
  | { phase: 'roll-forward'; /** Chunks applied so far, from 1. */ chunk: number }
  | { phase: 'done' };

export interface ImportCounts {
  added: number;
  updated: number;
  unchanged: number;
}

export interface StoreImportResult {
  /** Unique id of this import, recorded in the audit trail. */
  importId: string;
  entities: ImportCounts;
  links: ImportCounts;
  /**
   * Stored records of this import's sources (the `source` values of its records) that the import
   * does not hold: deleted from the source, perhaps. Without `replaceSource` they stay in the store;
   * with it they were removed (`removed: true`).
   */
  absent: AbsentRecords;
}

/** Records of an import's sources present in the store and absent from the import. */
export interface AbsentRecords {
  /** The sources compared, sorted. */
  sources: string[];
  entities: number;
  links: number;
  /** Their ids (entities then links, each sorted), at most {@link ABSENT_IDS_LISTED}. */
  ids: { record: 'entity' | 'link'; id: string }[];
  /** Whether they were removed (`replaceSource`). */
  removed: boolean;
}

/** How many absent ids an import result lists. */
export const ABSENT_IDS_LISTED = 50;

/** How a read is recorded. */
export interface RecordReadOptions {
  /**
   * What the caller will actually hand over, made from the records selected (e.g. a partner's
   * redaction, `recordsForAudience`). Called inside the act; the `read` event then records the
   * disclosed counts (`entities`, `links`), beside what the store selected (`selected_entities`,
   * `selected_links`), under the actor's audience, and `records()` returns the disclosed set.
   */
  disclose?: (selected: RecordSet) => RecordSet;
}

/**
 * Which records to read. Every filter narrows; an empty query reads all.
 * {@link selectRecords} is the reference semantics that stores must match.
 */
export interface RecordQuery {
  /** Start from these entities (they must exist, else a StoreError 'NOT_FOUND'). */
  entityIds?: readonly string[];
  /** With `entityIds`: also every entity within this many link hops of them (default 0). */
  hops?: number;
  /** Only entities of these kinds (the `entityIds` themselves are exempt). */
  kinds?: readonly EntityKind[];
  /**
   * Only links whose interval overlaps [from, to] (YYYY-MM-DD, inclusive);
   * undated links cannot be placed in a window and are left out once one is set.
   */
  window?: { from?: string; to?: string };
  /** Only records whose marking is at most this handling code (P < C < R). */
  maxHandling?: HandlingMarking;
}

/** A record due for review under retention rules. */
export interface ReviewItem {
  record: 'entity' | 'link';
  id: string;
  /** The entity's kind or the link's type. */
  kind: string;
  review_date: string;
  handling: HandlingMarking;
}

/** Metrics and communities of one analysis, written back onto the entities. */
export interface AnalysisWriteBack {
  /** A stable id of the run, e.g. the manifest hash: saving the same run twice changes nothing. */
  runId: string;
  /** ISO date-time of the run. */
  at: string;
  engine: string;
  /** The strictest marking of what was analysed: it travels with the results. */
  marking: Marking;
  /** Per entity id: metric name (snake_case) → value (null where undefined, e.g. constraint of an isolate). */
  metrics: Record<string, Record<string, number | null>>;
  /** Per entity id: community index. */
  communities: Record<string, number>;
}

export interface StoredAnalysis extends AnalysisWriteBack {}

/** What an erasure removed. The audit entry for it holds these counts, never content. */
export interface ErasureReport {
  /** SHA-256 of the erased id: what the audit trail keeps, so an auditor holding the id can confirm it. */
  subjectHash: string;
  entities: number;
  links: number;
  analysisValues: number;
}

export interface Store {
  readonly info: StoreInfo;
  readonly actor: StoreActor;

  /**
   * This store acting for another actor: the same connection (one SQLite
   * handle, one Neo4j driver), the same order of acts and the same audit
   * trail, with every act through it audited as `actor`'s. A server opens one
   * store and serves each user through a view. Closing a view closes nothing;
   * closing the store ends every view.
   */
  as(actor: StoreActor): Store;

  /** Imports a validated record set, all or nothing. Throws StoreError('CONFLICT') naming every bad record. */
  importRecords(records: RecordSet, options?: StoreImportOptions): Promise<StoreImportResult>;
  /** Reads records (audited as `read`, with what was disclosed when the caller says: {@link RecordReadOptions}). */
  records(query?: RecordQuery, options?: RecordReadOptions): Promise<RecordSet>;
  /** How many entities and links are stored (not audited: counts reveal no content). */
  counts(): Promise<{ entities: number; links: number }>;
  /** SHA-256 of the canonical content (records only; not audit, not analysis). */
  contentHash(): Promise<string>;

  /** Writes metrics and communities back onto the stored entities (audited as `analyse`). */
  saveAnalysis(run: AnalysisWriteBack): Promise<{ entitiesWritten: number }>;
  /** The latest saved analysis, or undefined. */
  latestAnalysis(): Promise<StoredAnalysis | undefined>;

  /** Where this store's audit keys, witness and mirror are. */
  readonly auditFiles: AuditFiles;
  /**
   * Appends an event to the store's audit chain (e.g. a profile made from stored records). The ids
   * it names (its subject, and the detail fields `to`, `from`, `node`, `entity`, `target`) are
   * sealed under their subjects' keys (`subjects.ts`); the record returned is the one stored.
   */
  appendAudit(event: AuditEvent): Promise<AuditRecord>;
  /**
   * The whole chain, oldest first: a listing (`verifyAudit` is the proof). StoreError('CORRUPT') for a
   * legacy trail. As stored, ids are sealed tokens; with `reveal`, tokens are opened where their
   * subject's key is still held and read `(erased)` where it is not (such records are for reading:
   * their MACs are of the stored form).
   */
  auditTrail(options?: { reveal?: boolean }): Promise<AuditRecord[]>;
  /**
   * Verifies the chain under the audit key and against the store's own
   * checkpoint and the witness file, if one is configured. What it finds is
   * returned as a fault, never thrown; a fresh store with no events passes.
   */
  verifyAudit(options?: AuditVerifyOptions): Promise<AuditVerifyResult>;
  /**
   * Verifies the trail (accepting a missing witness), then signs a fresh
   * checkpoint of its head, keeps it in the store and appends it to the
   * witness and mirror: how a lost witness is started afresh.
   */
  checkpointAudit(): Promise<Checkpoint>;
  /** Re-seals a legacy (plain SHA-256) trail under the audit key in one transaction; audited as `migrate` by the store's actor. */
  migrateAudit(): Promise<AuditMigration>;

  /**
   * Erases an entity and everything derived from it: its links, and its
   * saved analysis values, and deletes its subject key, so the ids earlier
   * audit events sealed under it can no longer be read. Throws
   * StoreError('NOT_FOUND') if absent.
   */
  erase(entityId: string, options: { justification: string }): Promise<ErasureReport>;

  /** Records whose review_date is on or before `asOf` (YYYY-MM-DD), by date then id (audited as `review`). */
  dueForReview(asOf: string): Promise<ReviewItem[]>;

  close(): Promise<void>;
}

/**
 * What the audit trail refused, as a store reports it: keys or files it
 * cannot reach are 'UNAVAILABLE'; a trail that is damaged, legacy, or at odds
 * with its checkpoints is 'CORRUPT'. Either way nothing was changed.
 */
export function storeErrorOfAudit(error: AuditError): StoreError {
  const code = error.code === 'AUDIT_UNWRITABLE' || error.code === 'AUDIT_KEY' ? 'UNAVAILABLE' : 'CORRUPT';
  return new StoreError(code, error.userMessage, [], { cause: error });
}

/**
 * The StoreError of what either store may meet whatever it is built on: a
 * StoreError as it is, the audit trail's refusal, or zod's (a bad option
 * value). Undefined for the rest, which each store reads in its own terms.
 */
export function knownStoreError(error: unknown): StoreError | undefined {
  if (error instanceof StoreError) return error;
  if (error instanceof AuditError) return storeErrorOfAudit(error);
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return new StoreError('USAGE', `${issue?.path.join('.') || '(value)'}: ${issue?.message ?? 'invalid'}`, [], {
      cause: error,
    });
  }
  return undefined;
}
