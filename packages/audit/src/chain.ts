/**
 * The audit trail: an append-only, hash-chained log of every profile
 * generation, export and consultation.
 *
 * Pure: no file system (node:crypto's createHash is computation, not I/O).
 * `logFile.ts` writes these records to a file; `@ocgnet/store` keeps them in a store.
 *
 * One record per line. A line is the canonical JSON (keys sorted, no spaces) of
 * `{ event, hash, prev, seq }`, where
 *   - `seq` counts from 1 and equals the line number;
 *   - `prev` is the previous record's `hash`, or 64 zeros for the first record;
 *   - `hash` is the hex SHA-256 of the canonical JSON of `{ event, prev, seq }`.
 * So `prev` is the SHA-256 of the previous record's canonical body, and each
 * record commits to every record before it. Verification also demands that each
 * line is byte-for-byte the canonical form of what it parses to, so no change
 * to a log's bytes (not even one that JSON would read the same) passes.
 *
 * What the chain alone cannot see: removal of whole records from the end (or of
 * the whole file). Compare `head`/`count` with a copy kept elsewhere for that.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { LIMITS } from '@ocgnet/schema';

/** `prev` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** Longest line accepted by `verifyChain` (a record is far smaller than this). */
export const MAX_AUDIT_LINE_BYTES = LIMITS.maxRecordBytes;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

const shortText = (max: number) => z.string().min(1).max(max);

/**
 * What was done with the data: profiles made, exported or consulted, and the
 * store's own acts (records imported, read, analysed, erased, reviewed).
 */
export const AuditActionSchema = z.enum(['profile', 'export', 'consult', 'import', 'read', 'analyse', 'erase', 'review']);
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
  /** Why: the recorded lawful purpose. */
  justification: shortText(LIMITS.maxLabelLength),
  /** Who receives the output (may be empty for a consultation on screen). */
  recipients: z.array(shortText(LIMITS.maxIdLength)).max(LIMITS.maxListItems),
  /** Output format, e.g. 'pdf', 'html', 'json'. */
  format: shortText(64).optional(),
  /** SHA-256 (hex) of the audiences configuration in force: which rules decided what the audience saw. */
  audiences: z.string().regex(HEX_SHA256).optional(),
  /** Metadata of the act: counts, a query, an import id. Never record content. */
  detail: z
    .record(z.string().regex(/^[a-z][a-z0-9_]*$/).max(64), z.union([z.string().max(LIMITS.maxLabelLength), z.number().finite(), z.boolean()]))
    .optional(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

export const AuditRecordSchema = z.strictObject({
  seq: z.int().min(1),
  prev: z.string().regex(HEX_SHA256),
  event: AuditEventSchema,
  hash: z.string().regex(HEX_SHA256),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

/** Why a chain failed to verify. */
export type AuditChainFault =
  | 'too-long'
  | 'bad-json'
  | 'schema'
  | 'not-canonical'
  | 'hash-mismatch'
  | 'wrong-seq'
  | 'prev-mismatch'
  | 'missing-newline';

export type AuditVerifyResult =
  | { ok: true; count: number; head: string }
  /** `line` is 1-based. */
  | { ok: false; line: number; reason: AuditChainFault; detail: string };

/** JSON with object keys sorted and no whitespace; `undefined` members are left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError('@ocgnet/profiles/audit: cannot encode ' + typeof value);
    return text;
  }
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  const entries = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => JSON.stringify(key) + ':' + canonicalJson((value as Record<string, unknown>)[key]));
  return '{' + entries.join(',') + '}';
}

/** Hex SHA-256 of the canonical `{ event, prev, seq }`: the record's `hash`. */
export function hashRecordBody(body: Pick<AuditRecord, 'seq' | 'prev' | 'event'>): string {
  return createHash('sha256')
    .update(canonicalJson({ seq: body.seq, prev: body.prev, event: body.event }), 'utf8')
    .digest('hex');
}

/** The record as it is stored: one canonical JSON line, without the newline. */
export function formatRecordLine(record: AuditRecord): string {
  return canonicalJson(record);
}

/**
 * The record that follows `previous` (or starts the log). Validates `event`
 * and throws a ZodError if it is invalid.
 */
export function appendRecord(previous: AuditRecord | undefined, event: AuditEvent): AuditRecord {
  const parsed = AuditEventSchema.parse(event);
  const seq = previous ? previous.seq + 1 : 1;
  const prev = previous ? previous.hash : GENESIS_HASH;
  return { seq, prev, event: parsed, hash: hashRecordBody({ seq, prev, event: parsed }) };
}

export type ParsedRecordLine =
  | { ok: true; record: AuditRecord }
  | { ok: false; reason: AuditChainFault; detail: string };

/**
 * One stored line checked on its own: size, JSON, schema, canonical form and
 * its own hash. Chaining (seq, prev) is `verifyChain`'s job.
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
  const parsed = AuditRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') || '(record)';
    return { ok: false, reason: 'schema', detail: `${path}: ${issue?.message ?? 'invalid'}` };
  }
  const record = parsed.data;
  if (formatRecordLine(record) !== line) {
    return { ok: false, reason: 'not-canonical', detail: 'line is not the canonical JSON of its record' };
  }
  const expected = hashRecordBody(record);
  if (record.hash !== expected) {
    return { ok: false, reason: 'hash-mismatch', detail: `hash ${record.hash} but content hashes to ${expected}` };
  }
  return { ok: true, record };
}

/**
 * Verify stored lines (without their newlines) as one chain from the start of
 * the log. Reports the first line that breaks it.
 */
export function verifyChain(lines: readonly string[]): AuditVerifyResult {
  let head = GENESIS_HASH;
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const parsed = parseRecordLine(lines[index]!);
    if (!parsed.ok) return { ok: false, line: lineNo, reason: parsed.reason, detail: parsed.detail };
    const { record } = parsed;
    if (record.seq !== lineNo) {
      return { ok: false, line: lineNo, reason: 'wrong-seq', detail: `seq ${record.seq}, expected ${lineNo}` };
    }
    if (record.prev !== head) {
      return { ok: false, line: lineNo, reason: 'prev-mismatch', detail: `prev ${record.prev}, expected ${head}` };
    }
    head = record.hash;
  }
  return { ok: true, count: lines.length, head };
}

/**
 * Verify a whole log's text: every record ends with '\n' (a missing final
 * newline means a torn or truncated write), then `verifyChain`.
 */
export function verifyLogText(text: string): AuditVerifyResult {
  if (text === '') return { ok: true, count: 0, head: GENESIS_HASH };
  const lines = text.split('\n');
  const last = lines.pop();
  if (last !== '') {
    const result = verifyChain(lines);
    if (!result.ok) return result;
    return {
      ok: false,
      line: lines.length + 1,
      reason: 'missing-newline',
      detail: 'last line has no newline (torn or truncated write)',
    };
  }
  return verifyChain(lines);
}
