/**
 * A whole trail checked against its checkpoints, and the checks a writer makes
 * before it chains a new event on. The same for the log file and the stores;
 * they differ only in where the lines and the checkpoints come from.
 *
 * Verification fails closed: every checkpoint found must be signed by the
 * trusted key, name this log, fall within it (else events were removed from
 * the end) and match its MAC at that event (else the chain was rewritten). A
 * checkpoint source the trail requires but that is missing or empty is a
 * failure unless the caller explicitly accepts it.
 */
import type { KeyObject } from 'node:crypto';
import {
  LEGACY_DETAIL,
  isLegacyLine,
  parseKeyedRecordLine,
  verifyChain,
  verifyLegacyChain,
  type AuditChainFault,
  type AuditRecord,
} from './chain.js';
import { checkpointSignedBy, parseCheckpointLine, signCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { AuditError } from './errors.js';
import type { AuditSigner, AuditVerifyKey } from './keys.js';
import { appendCheckpointLine } from './witness.js';

/** Why a trail failed to verify. */
export type AuditFaultReason =
  | AuditChainFault
  /** No such log, or it cannot be read. */
  | 'missing'
  /** The log has no events. */
  | 'empty'
  /** A key needed to verify is missing, unreadable or malformed. */
  | 'key'
  /** A required witness (or the store's own checkpoint) is missing or holds no checkpoint. */
  | 'no-witness'
  /** A checkpoint was signed by a key other than the trusted one. */
  | 'unknown-signer'
  /** A checkpoint's signature does not verify: it was forged or altered. */
  | 'bad-signature'
  /** A checkpoint of another log: the log was replaced, or the witness is another log's. */
  | 'other-log'
  /** Fewer events than a checkpoint vouches for: events were removed from the end. */
  | 'truncated'
  /** An event differs from the one a checkpoint signed: the chain was rewritten. */
  | 'rewritten'
  /** A store holds records but no audit trail. */
  | 'no-trail';

export interface AuditFault {
  ok: false;
  /** The file (or store location) at fault. */
  file: string;
  /** 1-based line (event) of `file`; 0 when the fault is the file as a whole. */
  line: number;
  reason: AuditFaultReason;
  detail: string;
}

export interface AuditVerified {
  ok: true;
  count: number;
  /** The last event's MAC ('' for an empty trail). */
  head: string;
  /** The log id; undefined for an empty or legacy trail. */
  log: string | undefined;
  /** The latest checkpoint, which the trail matched. */
  checkpoint?: { seq: number; at: string; key: string; source: string } | undefined;
  /** Events after the latest checkpoint: sealed by the audit key alone. */
  unwitnessed: number;
  /** A legacy chain, accepted because the caller asked: it proves nothing against a deliberate edit. */
  legacy?: true;
  warnings: string[];
}

export type AuditVerifyResult = AuditVerified | AuditFault;

export interface AuditVerifyOptions {
  /** Accept a missing or empty witness file: the chain is checked, but removal of events from the end cannot be. */
  allowMissingWitness?: boolean;
  /** Check a legacy (plain SHA-256) trail as such and pass it with a warning, instead of failing. */
  allowLegacy?: boolean;
}

/** Where checkpoints come from. */
export interface CheckpointSource {
  /** A witness file, or the store's own checkpoint (`store`), for messages. */
  kind: 'witness' | 'store';
  name: string;
  /** Its lines; undefined when the file does not exist. */
  lines: readonly string[] | undefined;
}

/** `allowMissingWitness` never excuses a store's own checkpoint: it is written with every event. */
export interface TrailVerifyInput extends AuditVerifyOptions {
  /** The log file or store location. */
  name: string;
  lines: readonly string[];
  /** Loaders: called only when needed, so an empty trail verifies without keys. They throw AuditError. */
  key: () => KeyObject;
  verifyKey: () => AuditVerifyKey;
  sources: readonly CheckpointSource[];
}

const short = (hex: string) => hex.slice(0, 16);

export function auditFault(file: string, line: number, reason: AuditFaultReason, detail: string): AuditFault {
  return { ok: false, file, line, reason, detail };
}

/** One line, as the CLI prints it: `file[:line]: reason: detail`. */
export function describeAuditFault(fault: AuditFault): string {
  return `${fault.file}${fault.line > 0 ? `:${fault.line}` : ''}: ${fault.reason}: ${fault.detail}`;
}

/** Runs a key loader; an AuditError becomes a 'key' fault. */
function loaded<T>(load: () => T): T | AuditFault {
  try {
    return load();
  } catch (error) {
    if (error instanceof AuditError)
      return auditFault(error.path, 0, 'key', error.message.replace(/^@ocgnet\/audit: [^:]*: /, ''));
    throw error;
  }
}

const isFault = (value: unknown): value is AuditFault =>
  typeof value === 'object' && value !== null && (value as AuditFault).ok === false;

interface Found {
  value: SignedCheckpoint;
  source: CheckpointSource;
  line: number;
}

/** Verifies a trail's chain under the audit key and against every checkpoint its sources hold. */
export function verifyTrail(input: TrailVerifyInput): AuditVerifyResult {
  const { name, lines } = input;
  const warnings: string[] = [];

  if (isLegacyLine(lines[0])) {
    if (!input.allowLegacy) return auditFault(name, 1, 'legacy', LEGACY_DETAIL);
    const legacy = verifyLegacyChain(lines);
    if (!legacy.ok) return auditFault(name, legacy.line, legacy.reason, legacy.detail);
    warnings.push(
      `${name}: a legacy plain SHA-256 chain: it shows accidental damage only, since anyone can recompute it after an edit`,
    );
    return {
      ok: true,
      count: legacy.count,
      head: legacy.head,
      log: undefined,
      unwitnessed: legacy.count,
      legacy: true,
      warnings,
    };
  }

  const found: Found[] = [];
  for (const source of input.sources) {
    let held = 0;
    (source.lines ?? []).forEach((text, index) => {
      const parsed = parseCheckpointLine(text);
      if (parsed.ok) {
        found.push({ value: parsed.value, source, line: index + 1 });
        held++;
      } else {
        // Deleting a line would hide as much as garbling it, so a bad line is reported, not fatal.
        warnings.push(`${source.name}:${index + 1}: not a checkpoint, ignored (${parsed.detail})`);
      }
    });
    if (held === 0 && lines.length > 0) {
      const what = source.lines === undefined ? 'missing' : 'holds no checkpoint';
      if (source.kind === 'store') {
        return auditFault(
          source.name,
          0,
          'no-witness',
          `the store's own checkpoint of its audit trail is ${what === 'missing' ? 'missing' : 'gone'}, though the trail has ${lines.length} event(s)`,
        );
      }
      if (!input.allowMissingWitness) {
        return auditFault(
          source.name,
          0,
          'no-witness',
          `the witness is ${what}, so events removed from the end of ${name} would go unseen; restore it, or pass --allow-missing-witness to check the chain alone`,
        );
      }
      warnings.push(
        `${source.name}: the witness is ${what}; accepted on request, so events removed from the end would go unseen`,
      );
    }
  }
  if (input.sources.length === 0 && lines.length > 0) {
    warnings.push(`${name}: no witness configured; events removed from the end would go unseen`);
  }

  if (found.length > 0) {
    const verifyKey = loaded(input.verifyKey);
    if (isFault(verifyKey)) return verifyKey;
    for (const { value, source, line } of found) {
      if (value.key !== verifyKey.fingerprint) {
        return auditFault(
          source.name,
          line,
          'unknown-signer',
          `checkpoint signed by key ${short(value.key)}, not by the trusted key ${short(verifyKey.fingerprint)} (${verifyKey.source})`,
        );
      }
      if (!checkpointSignedBy(value, verifyKey)) {
        return auditFault(
          source.name,
          line,
          'bad-signature',
          `the signature of the checkpoint of event ${value.checkpoint.seq} does not verify: forged or altered`,
        );
      }
    }
  }

  const latest = found.reduce<Found | undefined>(
    (best, item) => (best === undefined || item.value.checkpoint.seq > best.value.checkpoint.seq ? item : best),
    undefined,
  );
  if (lines.length === 0) {
    if (latest !== undefined) {
      const { seq, at } = latest.value.checkpoint;
      return auditFault(
        name,
        0,
        'truncated',
        `no events, but ${latest.source.name}:${latest.line} vouches for ${seq} (signed ${at}): the trail was deleted or emptied`,
      );
    }
    return { ok: true, count: 0, head: '', log: undefined, unwitnessed: 0, warnings };
  }

  const key = loaded(input.key);
  if (isFault(key)) return key;
  const chain = verifyChain(lines, key, new Set(found.map((item) => item.value.checkpoint.seq)));
  if (!chain.ok) return auditFault(name, chain.line, chain.reason, chain.detail);

  const bySeq = [...found].sort((a, b) => a.value.checkpoint.seq - b.value.checkpoint.seq);
  const where = (item: Found) => `${item.source.name}:${item.line}`;
  for (const item of bySeq) {
    if (item.value.checkpoint.log !== chain.log) {
      return auditFault(
        name,
        0,
        'other-log',
        `this is log ${short(chain.log!)}, but ${where(item)} is a checkpoint of log ${short(item.value.checkpoint.log)}: the log was replaced, or the witness belongs to another log`,
      );
    }
  }
  if (latest !== undefined && latest.value.checkpoint.seq > chain.count) {
    const { seq, at } = latest.value.checkpoint;
    const removed = seq === chain.count + 1 ? `event ${seq} was` : `events ${chain.count + 1}–${seq} were`;
    return auditFault(
      name,
      chain.count + 1,
      'truncated',
      `has ${chain.count} event(s), but ${where(latest)} (signed ${at}) vouches for ${seq}: ${removed} removed`,
    );
  }
  let lastMatch: Found | undefined;
  for (const item of bySeq) {
    const { seq, head, at } = item.value.checkpoint;
    if (chain.macs.get(seq) !== head) {
      const since = lastMatch
        ? `after event ${lastMatch.value.checkpoint.seq}, which still matches its checkpoint`
        : 'from the start';
      return auditFault(
        name,
        seq,
        'rewritten',
        `event ${seq} is not the one ${where(item)} signed at ${at}: the chain was rewritten ${since}`,
      );
    }
    lastMatch = item;
  }

  // The writer checkpoints every event it writes; events a witness skips were written by something else (or around a crash).
  const skipped = skippedEvents(
    bySeq.filter((item) => item.source.kind === 'witness').map((item) => item.value.checkpoint.seq),
  );
  if (skipped.length > 0) {
    warnings.push(
      `${name}: event(s) ${skipped.join(', ')} have no checkpoint of their own: written by something other than an ocgnet writer, or around a crash`,
    );
  }
  const unwitnessed = chain.count - (latest?.value.checkpoint.seq ?? 0);
  if (latest !== undefined && unwitnessed > 0) {
    warnings.push(
      `${name}: ${unwitnessed} event(s) after the latest checkpoint (event ${latest.value.checkpoint.seq}) are sealed by the audit key alone`,
    );
  }
  return {
    ok: true,
    count: chain.count,
    head: chain.head,
    log: chain.log,
    checkpoint: latest && {
      seq: latest.value.checkpoint.seq,
      at: latest.value.checkpoint.at,
      key: latest.value.key,
      source: latest.source.name,
    },
    unwitnessed,
    warnings,
  };
}

/** Ranges of sequence numbers between the first and last of `seqs` (sorted) that none of them names, e.g. `['4', '7–9']`. */
function skippedEvents(seqs: readonly number[]): string[] {
  const ranges: string[] = [];
  for (let index = 1; index < seqs.length; index++) {
    const from = seqs[index - 1]! + 1;
    const to = seqs[index]! - 1;
    if (to >= from) ranges.push(from === to ? `${from}` : `${from}–${to}`);
  }
  return ranges;
}

/** The latest checkpoint a source holds, as the writer sees it before an append. */
export interface LatestCheckpoint {
  kind: 'witness' | 'store';
  name: string;
  /** False: the witness file does not exist. */
  exists: boolean;
  /** Its latest checkpoint line; undefined when it holds none. */
  line: string | undefined;
}

export interface AppendCheckInput {
  /** The log file or store location. */
  name: string;
  keyPath: string;
  key: KeyObject;
  signer: AuditSigner;
  /** The trail's first and last lines; undefined when it is empty. */
  firstLine: string | undefined;
  lastLine: string | undefined;
  sources: readonly LatestCheckpoint[];
}

/**
 * Before a writer chains an event on: the last record must be keyed and
 * verify under the key; each source's latest checkpoint must be signed by
 * this writer's key, name this log, and not vouch for more than the trail
 * holds or for a different event at the end; a required source must exist.
 * A store's own checkpoint, written in the same transaction as every event,
 * must match the last event exactly. Returns the record to chain from; throws
 * an AuditError naming what is wrong, and the caller writes nothing.
 */
export function checkBeforeAppend(input: AppendCheckInput): {
  previous: AuditRecord | undefined;
  log: string | undefined;
} {
  const { name } = input;
  const parse = (line: string, which: string) => {
    const parsed = parseKeyedRecordLine(line, input.key);
    if (parsed.ok) return parsed.record;
    if (parsed.reason === 'legacy')
      throw new AuditError('AUDIT_LEGACY', name, `${name}: the audit trail was ${LEGACY_DETAIL}; nothing was written`);
    if (parsed.reason === 'mac-mismatch') {
      throw new AuditError(
        'AUDIT_CORRUPT',
        name,
        `${name}: the ${which} audit record does not verify under the audit key ${input.keyPath} (altered, or written under another key); nothing was written`,
      );
    }
    throw new AuditError(
      'AUDIT_CORRUPT',
      name,
      `${name}: the ${which} audit record is damaged (${parsed.reason}: ${parsed.detail}); run ocgnet audit verify`,
    );
  };
  const previous = input.lastLine === undefined ? undefined : parse(input.lastLine, 'last');
  const first =
    input.firstLine === undefined || previous === undefined
      ? undefined
      : previous.seq === 1
        ? previous
        : parse(input.firstLine, 'first');
  const log = first?.prev;

  for (const source of input.sources) {
    if (source.line === undefined) {
      if (previous !== undefined) {
        const what =
          source.kind === 'store'
            ? "the store's own checkpoint is missing"
            : source.exists
              ? 'the witness holds no checkpoint'
              : 'the witness is missing';
        throw new AuditError(
          source.kind === 'store' ? 'AUDIT_CORRUPT' : 'AUDIT_WITNESS',
          source.name,
          `${source.name}: ${what}, though ${name} has ${previous.seq} event(s); restore it, or run ocgnet audit checkpoint to start it afresh (events removed before then would go unseen)`,
        );
      }
      continue;
    }
    const parsed = parseCheckpointLine(source.line);
    if (!parsed.ok)
      throw new AuditError(
        'AUDIT_WITNESS',
        source.name,
        `${source.name}: the latest checkpoint is damaged (${parsed.detail}); run ocgnet audit verify`,
      );
    const { checkpoint } = parsed.value;
    if (parsed.value.key !== input.signer.fingerprint) {
      throw new AuditError(
        'AUDIT_WITNESS',
        source.name,
        `${source.name}: the latest checkpoint was signed by key ${short(parsed.value.key)}, not by this writer's key ${short(input.signer.fingerprint)}`,
      );
    }
    if (!checkpointSignedBy(parsed.value, input.signer)) {
      throw new AuditError(
        'AUDIT_CORRUPT',
        source.name,
        `${source.name}: the latest checkpoint's signature does not verify (forged or altered); nothing was written`,
      );
    }
    if (previous === undefined) {
      throw new AuditError(
        'AUDIT_CORRUPT',
        name,
        `${name}: the audit trail is empty or missing, but ${source.name} vouches for ${checkpoint.seq} event(s) of log ${short(checkpoint.log)}: it was deleted or replaced; nothing was written`,
      );
    }
    if (checkpoint.log !== log) {
      throw new AuditError(
        'AUDIT_CORRUPT',
        name,
        `${name}: ${source.name} holds checkpoints of log ${short(checkpoint.log)}, not of this log ${short(log!)}: the trail was replaced, or the witness is another trail's`,
      );
    }
    if (checkpoint.seq > previous.seq) {
      throw new AuditError(
        'AUDIT_CORRUPT',
        name,
        `${name}: has ${previous.seq} event(s), but ${source.name} vouches for ${checkpoint.seq}: events were removed; nothing was written`,
      );
    }
    if (source.kind === 'store' && checkpoint.seq !== previous.seq) {
      throw new AuditError(
        'AUDIT_CORRUPT',
        name,
        `${name}: the store's checkpoint is of event ${checkpoint.seq}, but the trail ends at event ${previous.seq}; nothing was written`,
      );
    }
    if (checkpoint.seq === previous.seq && checkpoint.head !== previous.mac) {
      throw new AuditError(
        'AUDIT_CORRUPT',
        name,
        `${name}: event ${previous.seq} is not the one ${source.name} signed at ${checkpoint.at}: the trail was rewritten; nothing was written`,
      );
    }
  }
  return { previous, log };
}

/** The signed checkpoint line of `record`, the new head of log `log`. */
export function checkpointLineFor(
  record: AuditRecord,
  log: string | undefined,
  signer: AuditSigner,
  at = new Date().toISOString(),
): string {
  return signCheckpoint({ log: log ?? record.prev, seq: record.seq, head: record.mac, at }, signer);
}

/** Writes a checkpoint line to the witness and the mirror, whichever the trail has. */
export function publishCheckpoint(
  line: string,
  files: { witness: string | undefined; mirror: string | undefined },
): void {
  if (files.witness !== undefined) appendCheckpointLine(files.witness, line);
  if (files.mirror !== undefined) appendCheckpointLine(files.mirror, line, 'checkpoint mirror');
}
