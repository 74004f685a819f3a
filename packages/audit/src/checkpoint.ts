/**
 * Checkpoints: signed statements of a trail's head, kept in a second place so
 * that removing events from the end, or rewriting the chain with the audit
 * key, shows.
 *
 * A checkpoint says "log `log` had `seq` events, the last with MAC `head`,
 * at time `at`". Its line is the canonical JSON of
 * `{ checkpoint: { at, head, log, seq }, key, sig, type }`, where `type` is
 * `ocgnet-audit-checkpoint/1`, `key` the signer's public key fingerprint
 * (hex SHA-256 of its SPKI DER) and `sig` the base64 Ed25519 signature of the
 * canonical JSON of `{ at, head, log, seq, type }`. The type inside the signed
 * bytes keeps the signature from meaning anything else.
 *
 * Pure: no file system.
 */
import { sign, verify } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './chain.js';
import type { AuditSigner, AuditVerifyKey } from './keys.js';

export const CHECKPOINT_TYPE = 'ocgnet-audit-checkpoint/1';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export const CheckpointSchema = z.strictObject({
  log: z.string().regex(HEX_SHA256),
  seq: z.int().min(1),
  head: z.string().regex(HEX_SHA256),
  at: z.iso.datetime({ offset: true }),
});
export type Checkpoint = z.infer<typeof CheckpointSchema>;

export const SignedCheckpointSchema = z.strictObject({
  type: z.literal(CHECKPOINT_TYPE),
  checkpoint: CheckpointSchema,
  key: z.string().regex(HEX_SHA256),
  sig: z.base64().max(200),
});
export type SignedCheckpoint = z.infer<typeof SignedCheckpointSchema>;

/** Longest checkpoint line read (a real one is about 400 bytes). */
const MAX_CHECKPOINT_LINE = 4096;

function signedBytes(checkpoint: Checkpoint): Buffer {
  return Buffer.from(canonicalJson({ type: CHECKPOINT_TYPE, ...checkpoint }), 'utf8');
}

/** The signed checkpoint line (without newline) of `checkpoint`. */
export function signCheckpoint(checkpoint: Checkpoint, signer: AuditSigner): string {
  const parsed = CheckpointSchema.parse(checkpoint);
  const sig = sign(null, signedBytes(parsed), signer.privateKey).toString('base64');
  return canonicalJson({ type: CHECKPOINT_TYPE, checkpoint: parsed, key: signer.fingerprint, sig });
}

export type ParsedCheckpoint = { ok: true; value: SignedCheckpoint } | { ok: false; detail: string };

/** A checkpoint line's shape, without its signature checked. */
export function parseCheckpointLine(line: string): ParsedCheckpoint {
  if (line.length > MAX_CHECKPOINT_LINE) return { ok: false, detail: `longer than ${MAX_CHECKPOINT_LINE} characters` };
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
  const parsed = SignedCheckpointSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, detail: `${issue?.path.join('.') || '(checkpoint)'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, value: parsed.data };
}

/** Was the checkpoint signed by this key? (False for another key's fingerprint, too.) */
export function checkpointSignedBy(
  signed: SignedCheckpoint,
  key: Pick<AuditVerifyKey, 'publicKey' | 'fingerprint'>,
): boolean {
  if (signed.key !== key.fingerprint) return false;
  try {
    return verify(null, signedBytes(signed.checkpoint), key.publicKey, Buffer.from(signed.sig, 'base64'));
  } catch {
    return false;
  }
}
