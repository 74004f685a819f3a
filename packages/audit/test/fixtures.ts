/**
 * What the audit tests share: events, key files in a test's own folder (never
 * the user's), and the tools of an attacker who rewrites a chain.
 */
import { createHash, createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  canonicalJson,
  legacyHashRecordBody,
  type AuditEvent,
  type AuditFilesOptions,
  type AuditRecord,
} from '../src/index.js';
import { LEGACY_GENESIS_HASH, macRecordBody } from '../src/chain.js';
import { publicKeyFingerprint, type AuditSigner } from '../src/keys.js';

export function event(n: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    action: n % 3 === 0 ? 'consult' : n % 2 === 0 ? 'export' : 'profile',
    who: `analyst-${n}`,
    at: new Date(Date.UTC(2025, 0, 1, 12, 0, n)).toISOString(),
    audience: 'local-authority',
    subject: `ocg-${n % 4}`,
    justification: `Operation Kestrel partnership meeting, item ${n} — “safeguarding”`,
    recipients: n % 2 === 0 ? ['council-safeguarding', 'housing'] : [],
    format: n % 3 === 0 ? undefined : 'pdf',
    ...overrides,
  };
}

/** Key files in `dir/keys` (made on first append), and the witness where asked. */
export function auditFilesIn(dir: string, witness?: string): AuditFilesOptions & { key: string; signingKey: string } {
  return {
    key: join(dir, 'keys', 'audit.key'),
    signingKey: join(dir, 'keys', 'signing.key'),
    ...(witness === undefined ? {} : { witness }),
  };
}

/** The audit key as stored: what an attacker who stole it holds. */
export function readAuditKey(path: string): KeyObject {
  return createSecretKey(Buffer.from(readFileSync(path, 'utf8').trim(), 'hex'));
}

/** A signing key of the attacker's own. */
export function attackerSigner(): AuditSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, fingerprint: publicKeyFingerprint(publicKey) };
}

/** How an attacker computes a record's MAC: with the stolen key, or (without it) a plain SHA-256. */
export type MacFunction = (body: Pick<AuditRecord, 'seq' | 'prev' | 'event'>) => string;
export const withKey =
  (key: KeyObject): MacFunction =>
  (body) =>
    macRecordBody(key, body);
export const plainSha256: MacFunction = (body) =>
  createHash('sha256')
    .update(canonicalJson({ seq: body.seq, prev: body.prev, event: body.event }))
    .digest('hex');

/**
 * Record lines after `edit` has changed the events, the chain recomputed
 * from the start (keeping the log id) with `mac`: an attacker covering an edit.
 */
export function rechain(
  lines: readonly string[],
  mac: MacFunction,
  edit: (events: AuditEvent[]) => AuditEvent[] = (events) => events,
): string[] {
  const records = lines.map((line) => JSON.parse(line) as AuditRecord);
  const log = records[0]!.prev;
  let prev = log;
  return edit(records.map((record) => record.event)).map((event, index) => {
    const body = { seq: index + 1, prev, event };
    const record: AuditRecord = { ...body, mac: mac(body) };
    prev = record.mac;
    return canonicalJson(record);
  });
}

/** A legacy (plain SHA-256) chain of `events`, as an older ocgnet wrote it. */
export function legacyLines(events: readonly AuditEvent[]): string[] {
  let prev = LEGACY_GENESIS_HASH;
  return events.map((event, index) => {
    const body = { seq: index + 1, prev, event };
    const hash = legacyHashRecordBody(body);
    prev = hash;
    return canonicalJson({ ...body, hash });
  });
}

/** The lines of a log or witness file, without the final newline. */
export function linesOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

export const asFile = (lines: readonly string[]) => (lines.length === 0 ? '' : lines.join('\n') + '\n');
