/**
 * The audit trail's records: an append-only chain, each record keyed to the
 * one before it under a secret audit key.
 *
 * Pure: no file system (node:crypto is computation, not I/O). `logFile.ts`
 * keeps a chain in a file; `@ocgnet/store` keeps one in a store.
 *
 * One record per line. A line is the canonical JSON (keys sorted, no spaces)
 * of `{ event, mac, prev, seq }`, where
 *   - `seq` counts from 1 and equals the line number;
 *   - `prev` is the previous record's `mac`; for the first record it is the
 *     log id, 32 random bytes in hex drawn when the log is started, so every
 *     log (and every checkpoint of it) is told apart from every other;
 *   - `mac` is the hex HMAC-SHA256, under the audit key, of
 *     `ocgnet-audit-record/2\n` followed by the canonical JSON of
 *     `{ event, prev, seq }`.
 * Without the key nobody can make a record that verifies, so an edited event
 * cannot be hidden by recomputing the chain. Verification also demands that
 * each line is byte-for-byte the canonical form of what it parses to.
 *
 * What the chain alone cannot see: removal of records from the end, or a
 * rewrite by someone holding the key. Signed checkpoints (`checkpoint.ts`)
 * kept in a second place catch both; `trail.ts` checks a chain against them.
 *
 * Logs written by ocgnet before this format are *legacy*: `{ event, hash,
 * prev, seq }` with `hash` a plain SHA-256 that anyone can recompute. They are
 * recognised, never passed as if keyed; `verifyLegacyChain` checks them only
 * so that `ocgnet audit migrate` can re-seal them.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { LIMITS } from '@ocgnet/schema';

/** `prev` of the first record of a legacy (plain SHA-256) log. */
export const LEGACY_GENESIS_HASH = '0'.repeat(64);

/** Longest line accepted by `verifyChain` (a record is far smaller than this). */
export const MAX_AUDIT_LINE_BYTES = LIMITS.maxRecordBytes;

/** What the record MAC is computed over comes after this, so the key can never be made to MAC anything else. */
const RECORD_MAC_CONTEXT = 'ocgnet-audit-record/2\n';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

const shortText = (max: number) => z.string().min(1).max(max);

/**
 * What was done with the data: profiles made, exported or consulted, the
 * store's own acts (records imported, read, analysed, erased, reviewed),
 * access itself (logins, logouts, failed logins and refused requests), and `migrate`:
 * the re-sealing, under the audit key, of a trail an older ocgnet wrote.
 */
export const AuditActionSchema = z.enum([
  'profile',
  'export',
  'consult',
  'import',
  'read',
  'analyse',
  'erase',
  'review',
  'login',
  'logout',
  'login-failed',
  'refused',
  'migrate',
]);
export type AuditAction = z.infer<typeof AuditActionSchema>;

/** One audited act: who did what, when, for whom, about whom, and why. */
export const AuditEventSchema = z.strictObject({
  action: AuditActionSchema,
  /** The user (analyst id or account) who acted. */
  who: shortText(LIMITS.maxIdLength),
  /** When, as an ISO 8601 date-time. */
  at: z.iso.datetime({ offset: true }),
  /** The audience the output was produced for (e.g. a partner agency's audience id). */
  audience: shortText(LIMITS.maxIdLength),
  /** The subject: the entity or group id the act is about; `*` for all records in scope. */
  subject: shortText(LIMITS.maxIdLength),
  /** Why: the recorded lawful purpose (the configured one; a user's own words go in `reason`). */
  justification: shortText(LIMITS.maxLabelLength),
  /** The user's own reason, recorded beside the configured justification, never instead of it. */
  reason: shortText(LIMITS.maxLabelLength).optional(),
  /** Whether the act succeeded; absent means it did (older events). A failed export is recorded as failed. */
  outcome: z.enum(['ok', 'failed', 'refused']).optional(),
  /** Who receives the output (may be empty for a consultation on screen). */
  recipients: z.array(shortText(LIMITS.maxIdLength)).max(LIMITS.maxListItems),
  /** Output format, e.g. 'pdf', 'html', 'json'. */
  format: shortText(64).optional(),
  /** SHA-256 (hex) of the audiences configuration in force: which rules decided what the audience saw. */
  audiences: z.string().regex(HEX_SHA256).optional(),
  /** Metadata of the act: counts, a query, an import id. Never record content. */
  detail: z
    .record(
      z
        .string()
        .regex(/^[a-z][a-z0-9_]*$/)
        .max(64),
      z.union([z.string().max(LIMITS.maxLabelLength), z.number().finite(), z.boolean()]),
    )
    .optional(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

const chainedEvent = { seq: z.int().min(1), prev: z.string().regex(HEX_SHA256), event: AuditEventSchema };

export const AuditRecordSchema = z.strictObject({ ...chainedEvent, mac: z.string().regex(HEX_SHA256) });
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

/** A record of a log written before the keyed format: its `hash` is a plain SHA-256. */
export const LegacyAuditRecordSchema = z.strictObject({ ...chainedEvent, hash: z.string().regex(HEX_SHA256) });
export type LegacyAuditRecord = z.infer<typeof LegacyAuditRecordSchema>;

/** Why a chain failed to verify. */
export type AuditChainFault =
  | 'too-long'
  | 'bad-json'
  | 'schema'
  | 'not-canonical'
  /** The record does not verify under the audit key. */
  | 'mac-mismatch'
  /** A legacy record's own plain hash is wrong. */
  | 'hash-mismatch'
  | 'wrong-seq'
  | 'prev-mismatch'
  | 'missing-newline'
  /** A legacy (plain SHA-256) log where a keyed one is expected. */
  | 'legacy'
  /** Legacy and keyed records in one log. */
  | 'mixed-format';

export type ChainVerifyResult =
  /** `log` is the log id (the first record's `prev`); undefined for an empty chain. `macs` holds the MACs asked for. */
  | { ok: true; count: number; head: string; log: string | undefined; macs: Map<number, string> }
  /** `line` is 1-based. */
  | { ok: false; line: number; reason: AuditChainFault; detail: string };

/** JSON with object keys sorted and no whitespace; `undefined` members are left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError('@ocgnet/audit: cannot encode ' + typeof value);
    return text;
  }
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  const entries = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => JSON.stringify(key) + ':' + canonicalJson((value as Record<string, unknown>)[key]));
  return '{' + entries.join(',') + '}';
}

/** A fresh log id: what the first record of a new log chains from. */
export function newLogId(): string {
  return randomBytes(32).toString('hex');
}

/** Hex HMAC-SHA256 under the audit key of the canonical `{ event, prev, seq }`: the record's `mac`. */
export function macRecordBody(key: KeyObject, body: Pick<AuditRecord, 'seq' | 'prev' | 'event'>): string {
  return createHmac('sha256', key)
    .update(RECORD_MAC_CONTEXT, 'utf8')
    .update(canonicalJson({ seq: body.seq, prev: body.prev, event: body.event }), 'utf8')
    .digest('hex');
}

/** Equal strings, compared in constant time (for MACs and fingerprints). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Does the record's `mac` verify under `key`? */
export function recordMacValid(key: KeyObject, record: AuditRecord): boolean {
  return constantTimeEqual(record.mac, macRecordBody(key, record));
}

/** Hex SHA-256 of the canonical `{ event, prev, seq }`: a legacy record's `hash`. */
export function legacyHashRecordBody(body: Pick<LegacyAuditRecord, 'seq' | 'prev' | 'event'>): string {
  return createHash('sha256')
    .update(canonicalJson({ seq: body.seq, prev: body.prev, event: body.event }), 'utf8')
    .digest('hex');
}

/** The record as it is stored: one canonical JSON line, without the newline. */
export function formatRecordLine(record: AuditRecord | LegacyAuditRecord): string {
  return canonicalJson(record);
}

/**
 * The record that follows `previous`, or the first record of a new log (whose
 * id is `logId`, drawn at random unless given). Validates `event` and throws a
 * ZodError if it is invalid.
 */
export function appendRecord(
  previous: AuditRecord | undefined,
  event: AuditEvent,
  key: KeyObject,
  logId: string = newLogId(),
): AuditRecord {
  const parsed = AuditEventSchema.parse(event);
  if (!HEX_SHA256.test(logId)) throw new TypeError('@ocgnet/audit: a log id is 64 lower-case hex digits');
  const seq = previous ? previous.seq + 1 : 1;
  const prev = previous ? previous.mac : logId;
  return { seq, prev, event: parsed, mac: macRecordBody(key, { seq, prev, event: parsed }) };
}

export type ParsedRecordLine =
  | { ok: true; format: 'keyed'; record: AuditRecord }
  | { ok: true; format: 'legacy'; record: LegacyAuditRecord }
  | { ok: false; reason: AuditChainFault; detail: string };

const MAC_MISMATCH = 'the record does not verify under the audit key (altered, or written under another key)';

/** Why a legacy chain is not accepted as it is. */
export const LEGACY_DETAIL =
  'written by an older ocgnet as a plain SHA-256 chain, which anyone can recompute after an edit; `ocgnet audit migrate` re-seals it under the audit key';

/**
 * One stored line checked on its own, without the key: size, JSON, schema
 * (keyed or legacy) and canonical form, and a legacy line's own plain hash.
 * The MAC and the chaining are checked by `verifyChain`.
 */
export function parseRecordLine(line: string): ParsedRecordLine {
  // Cheap bound before parsing: a UTF-16 length over the byte limit is over it in UTF-8 too.
  if (line.length > MAX_AUDIT_LINE_BYTES || Buffer.byteLength(line, 'utf8') > MAX_AUDIT_LINE_BYTES) {
    return { ok: false, reason: 'too-long', detail: `line longer than ${MAX_AUDIT_LINE_BYTES} bytes` };
  }
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: 'bad-json', detail: (error as Error).message };
  }
  const legacy = json !== null && typeof json === 'object' && 'hash' in json && !('mac' in json);
  const parsed = legacy ? LegacyAuditRecordSchema.safeParse(json) : AuditRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') || '(record)';
    return { ok: false, reason: 'schema', detail: `${path}: ${issue?.message ?? 'invalid'}` };
  }
  if (formatRecordLine(parsed.data) !== line) {
    return { ok: false, reason: 'not-canonical', detail: 'line is not the canonical JSON of its record' };
  }
  if (!legacy) return { ok: true, format: 'keyed', record: parsed.data as AuditRecord };
  const record = parsed.data as LegacyAuditRecord;
  const expected = legacyHashRecordBody(record);
  if (record.hash !== expected) {
    return { ok: false, reason: 'hash-mismatch', detail: `hash ${record.hash} but content hashes to ${expected}` };
  }
  return { ok: true, format: 'legacy', record };
}

/** A keyed record from one line, its MAC checked under `key`. */
export function parseKeyedRecordLine(
  line: string,
  key: KeyObject,
): { ok: true; record: AuditRecord } | { ok: false; reason: AuditChainFault; detail: string } {
  const parsed = parseRecordLine(line);
  if (!parsed.ok) return parsed;
  if (parsed.format === 'legacy') return { ok: false, reason: 'legacy', detail: LEGACY_DETAIL };
  if (!recordMacValid(key, parsed.record)) return { ok: false, reason: 'mac-mismatch', detail: MAC_MISMATCH };
  return { ok: true, record: parsed.record };
}

/**
 * Verify stored lines (without their newlines) as one keyed chain from the
 * start of the log. Reports the first line that breaks it. `wanted` names the
 * sequence numbers whose MAC the caller needs (to compare with checkpoints).
 */
export function verifyChain(
  lines: readonly string[],
  key: KeyObject,
  wanted: ReadonlySet<number> = new Set(),
): ChainVerifyResult {
  let head = '';
  let log: string | undefined;
  const macs = new Map<number, string>();
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const parsed = parseRecordLine(lines[index]!);
    if (!parsed.ok) return { ok: false, line: lineNo, reason: parsed.reason, detail: parsed.detail };
    if (parsed.format === 'legacy') {
      return index === 0
        ? { ok: false, line: lineNo, reason: 'legacy', detail: LEGACY_DETAIL }
        : {
            ok: false,
            line: lineNo,
            reason: 'mixed-format',
            detail: 'a plain SHA-256 (legacy) record after keyed ones: anyone could have written it',
          };
    }
    const { record } = parsed;
    if (record.seq !== lineNo)
      return { ok: false, line: lineNo, reason: 'wrong-seq', detail: `seq ${record.seq}, expected ${lineNo}` };
    if (index === 0) log = record.prev;
    else if (record.prev !== head)
      return { ok: false, line: lineNo, reason: 'prev-mismatch', detail: `prev ${record.prev}, expected ${head}` };
    if (!recordMacValid(key, record)) return { ok: false, line: lineNo, reason: 'mac-mismatch', detail: MAC_MISMATCH };
    head = record.mac;
    if (wanted.has(lineNo)) macs.set(lineNo, head);
  }
  return { ok: true, count: lines.length, head, log, macs };
}

/**
 * Verify lines as a legacy plain SHA-256 chain. This proves only that the
 * lines agree with each other: anyone can recompute such a chain after an edit.
 */
export function verifyLegacyChain(
  lines: readonly string[],
):
  | { ok: true; count: number; head: string; records: LegacyAuditRecord[] }
  | { ok: false; line: number; reason: AuditChainFault; detail: string } {
  let head = LEGACY_GENESIS_HASH;
  const records: LegacyAuditRecord[] = [];
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const parsed = parseRecordLine(lines[index]!);
    if (!parsed.ok) return { ok: false, line: lineNo, reason: parsed.reason, detail: parsed.detail };
    if (parsed.format !== 'legacy')
      return { ok: false, line: lineNo, reason: 'mixed-format', detail: 'a keyed record in a legacy chain' };
    const { record } = parsed;
    if (record.seq !== lineNo)
      return { ok: false, line: lineNo, reason: 'wrong-seq', detail: `seq ${record.seq}, expected ${lineNo}` };
    if (record.prev !== head)
      return { ok: false, line: lineNo, reason: 'prev-mismatch', detail: `prev ${record.prev}, expected ${head}` };
    head = record.hash;
    records.push(record);
  }
  return { ok: true, count: lines.length, head, records };
}

/** Is this (first) line of a log a legacy record? Decides which verification applies. */
export function isLegacyLine(line: string | undefined): boolean {
  if (line === undefined) return false;
  const parsed = parseRecordLine(line);
  return parsed.ok && parsed.format === 'legacy';
}

/**
 * A whole log's text as its record lines. Every record ends with '\n'; a last
 * line without one is a torn or truncated write, reported by its 1-based number.
 */
export function splitLogText(text: string): { lines: string[]; torn?: { line: number; detail: string } } {
  if (text === '') return { lines: [] };
  const lines = text.split('\n');
  const last = lines.pop();
  if (last !== '')
    return { lines, torn: { line: lines.length + 1, detail: 'last line has no newline (torn or truncated write)' } };
  return { lines };
}
