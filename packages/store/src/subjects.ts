/**
 * Crypto-shredding of the ids in a store's audit events.
 *
 * The audit chain cannot be edited: every record is MACed and checkpointed.
 * So the ids an event names (a read's entities, a profile's or consultation's
 * subject, the records an import removed) are written as **tokens**,
 * `enc:<kid>:<base64url(iv ‖ ciphertext ‖ tag)>`, AES-256-GCM under a key of
 * their own subject, kept in the store (`subject_keys` table,
 * `:OcgnetSubjectKey` nodes) and found by the SHA-256 of the subject id.
 * `erase(id)` deletes that key in its own transaction: earlier events keep
 * verifying, byte for byte, but their tokens can no longer be opened, and
 * readers show `(erased)`.
 *
 * - `kid` is 8 random bytes (hex): nothing in an old event is derived from
 *   the id, so once the key is gone not even a guessed id can be matched.
 * - Encryption is **deterministic per subject**: the IV is the first 12 bytes
 *   of HMAC-SHA-256(key, text). The same text under the same key always gives
 *   the same token, so events about one subject compare equal and can be
 *   searched for (seal the id, look for its token) without decrypting the
 *   trail. Reusing an IV is only unsafe for two different plaintexts; a
 *   different text gives a different IV, so the SIV construction keeps GCM
 *   safe while being deterministic.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { AuditEventSchema, type AuditEvent, type AuditRecord } from '@ocgnet/audit';
import { LIMITS } from '@ocgnet/schema';
import { sha256 } from './acts.js';
import { StoreError } from './errors.js';

export interface SubjectKey {
  /** Random key id, written in every token sealed under the key. */
  kid: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
}

/** What an unreadable token (its subject erased) reads as. */
export const ERASED = '(erased)';

const TOKEN = /enc:([0-9a-f]{16}):([A-Za-z0-9_-]{38,})/g;

/** Where a subject's key is found: the SHA-256 of the subject id (the table's key, never written into an event). */
export const subjectRef = (id: string): string => sha256(id);

export function newSubjectKey(): SubjectKey {
  return { kid: randomBytes(8).toString('hex'), key: randomBytes(32) };
}

/** `text` (an id, or a subject naming it) sealed under its subject's key: deterministic. */
export function sealSubject(key: SubjectKey, text: string): string {
  const iv = createHmac('sha256', key.key).update(text, 'utf8').digest().subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return `enc:${key.kid}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

function openToken(key: Buffer, sealed: string): string | undefined {
  try {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** The key ids of every token in these records' events. */
export function tokenKids(records: readonly AuditRecord[]): string[] {
  const kids = new Set<string>();
  const scan = (text: string) => {
    for (const match of text.matchAll(TOKEN)) kids.add(match[1]!);
  };
  for (const { event } of records) {
    scan(event.subject);
    for (const value of Object.values(event.detail ?? {})) if (typeof value === 'string') scan(value);
  }
  return [...kids];
}

/** Text with every token opened where its key is in `keys`, and `(erased)` where it is not. */
export function revealText(text: string, keys: ReadonlyMap<string, Buffer>): string {
  return text.replace(TOKEN, (_whole, kid: string, sealed: string) => {
    const key = keys.get(kid);
    return (key === undefined ? undefined : openToken(key, sealed)) ?? ERASED;
  });
}

/**
 * Records for reading: subjects and detail texts opened. Their `mac` is of the
 * stored (sealed) form, so a revealed record is for display, never for verifying.
 */
export function revealRecords(records: readonly AuditRecord[], keys: ReadonlyMap<string, Buffer>): AuditRecord[] {
  return records.map((record) => {
    const event: AuditEvent = { ...record.event, subject: revealText(record.event.subject, keys) };
    if (record.event.detail !== undefined) {
      event.detail = Object.fromEntries(
        Object.entries(record.event.detail).map(([name, value]) => [
          name,
          typeof value === 'string' ? revealText(value, keys) : value,
        ]),
      );
    }
    return { ...record, event };
  });
}

/** Subjects that name no record: every record, a local area, a hash, text already sealed. */
const NOT_AN_ID = /^(\*|local|\(none\)|\(sealed\)|sha256:[0-9a-f]{64}|enc:.*|\d+ entities)$/;
/** Profile and consultation subjects name their entity as `<kind>:<id>`. */
const KIND_PREFIX = /^(ocg|usg|person|location):(.+)$/s;
/** Detail fields of appended events that hold an entity id (a consultation's path end, …). */
const ID_DETAIL_FIELDS = new Set(['to', 'from', 'node', 'entity', 'target']);

/** The subject id a text names, or undefined for a text that names none. */
function idOf(text: string): string | undefined {
  if (NOT_AN_ID.test(text)) return undefined;
  return KIND_PREFIX.exec(text)?.[2] ?? text;
}

/** Acts about records, whose subjects name entities; access events (logins, refusals) name users and routes, and stay as they are. */
const ABOUT_RECORDS: ReadonlySet<AuditEvent['action']> = new Set(['profile', 'export', 'consult', 'read']);

/** The subject ids an appended event names, in its subject and its id-bearing detail fields. */
export function eventSubjectIds(event: AuditEvent): string[] {
  const ids = new Set<string>();
  if (!ABOUT_RECORDS.has(event.action)) return [];
  const subject = idOf(event.subject);
  if (subject !== undefined) ids.add(subject);
  for (const [name, value] of Object.entries(event.detail ?? {})) {
    if (!ID_DETAIL_FIELDS.has(name) || typeof value !== 'string') continue;
    const id = idOf(value);
    if (id !== undefined) ids.add(id);
  }
  return [...ids];
}

/** An appended event with its subject and id-bearing detail fields sealed under the keys of the ids they name. */
export function sealEvent(event: AuditEvent, keys: ReadonlyMap<string, SubjectKey>): AuditEvent {
  if (!ABOUT_RECORDS.has(event.action)) return event;
  const seal = (text: string): string => {
    const id = idOf(text);
    const key = id === undefined ? undefined : keys.get(id);
    return key === undefined ? text : sealSubject(key, text);
  };
  const sealed: AuditEvent = { ...event, subject: seal(event.subject) };
  if (event.detail !== undefined) {
    sealed.detail = Object.fromEntries(
      Object.entries(event.detail).map(([name, value]) => [
        name,
        ID_DETAIL_FIELDS.has(name) && typeof value === 'string' ? seal(value) : value,
      ]),
    );
  }
  if (sealed.subject.length > LIMITS.maxIdLength) {
    // A long id's token does not fit the subject: it goes in the detail, which holds longer text.
    sealed.detail = { ...sealed.detail, sealed_subject: sealed.subject };
    sealed.subject = '(sealed)';
  }
  return sealed;
}

/** `event` checked against the audit schema, or StoreError('USAGE') naming its first problem. */
export function checkedAuditEvent(event: AuditEvent): AuditEvent {
  const parsed = AuditEventSchema.safeParse(event);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new StoreError('USAGE', `audit event: ${issue?.path.join('.') || '(event)'}: ${issue?.message ?? 'invalid'}`);
}

/**
 * `event` with the ids it names sealed under their subjects' `keys` (an
 * erasure deletes the key), checked again: sealing lengthens the ids.
 */
export function sealedAuditEvent(event: AuditEvent, keys: ReadonlyMap<string, SubjectKey>): AuditEvent {
  const sealed = AuditEventSchema.safeParse(sealEvent(event, keys));
  if (sealed.success) return sealed.data;
  throw new StoreError(
    'USAGE',
    `audit event: ${sealed.error.issues[0]?.path.join('.') || '(event)'}: too long once its ids are sealed`,
  );
}
