/**
 * Keyed pseudonyms: HMAC-SHA-256 (RFC 2104, FIPS 198-1) of a node's id under a
 * per-export secret key, truncated and prefixed with the node's kind.
 *
 * Why HMAC and not a hash: ids, names and dates of birth come from small,
 * guessable spaces (P000001 … P999999; a few thousand names × 30,000 days).
 * Anyone can hash every candidate and match sha256(id) against the export in
 * seconds. Without the key, HMAC outputs are indistinguishable from random, so
 * the only way back from a pseudonym is the key, which stays with the data
 * controller, apart from the export.
 *
 * The key is 32 random bytes (256 bits, the HMAC-SHA-256 block-size guidance
 * of RFC 2104 §3 asks for at least the output length). A key file holds it as
 * 64 lowercase hex digits and a newline; a binary file of 32 or more bytes is
 * also accepted. The same key gives the same pseudonyms, so exports of the
 * same data over time can be linked (longitudinal studies); a new key gives
 * pseudonyms that share nothing with earlier exports.
 *
 * This module does no I/O: the CLI reads and writes the key file.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';
import { OcgnetError } from '@ocgnet/schema';

/** Smallest key accepted, in bytes. */
export const MIN_KEY_BYTES = 32;

/** Hex digits of the HMAC kept in a pseudonym: 64 bits, so a million nodes collide with probability ≈ 3 × 10⁻⁸ (and a collision is refused). */
export const DEFAULT_PSEUDONYM_HEX_LENGTH = 16;

/** The prefix of each kind of pseudonym: a nominal, or a node of a research network. */
export const PSEUDONYM_PREFIXES = { person: 'P', node: 'N' } as const;
export type PseudonymKind = keyof typeof PSEUDONYM_PREFIXES;

/** A key error: the key file is too short, unreadable as hex or binary, or kept inside the export. */
export class PseudonymKeyError extends OcgnetError<'INVALID_KEY'> {
  override readonly name = 'PseudonymKeyError';
  constructor(message: string) {
    super('INVALID_KEY', message);
  }
}

/** A fresh random key. */
export function newPseudonymKey(): Buffer {
  return randomBytes(MIN_KEY_BYTES);
}

/** The text of a key file: 64 hex digits and a newline. */
export function formatKeyFile(key: Uint8Array): string {
  return `${Buffer.from(key).toString('hex')}\n`;
}

/**
 * The key held in a key file's bytes: hex text (surrounding whitespace ignored)
 * when it is entirely hex digits, else the raw bytes.
 *
 * @throws {PseudonymKeyError} when the key is shorter than {@link MIN_KEY_BYTES}
 */
export function parseKeyFile(bytes: Uint8Array, file = 'key file'): Buffer {
  const text = Buffer.from(bytes).toString('latin1').trim();
  const key = /^(?:[0-9a-fA-F]{2})+$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(bytes);
  if (key.length < MIN_KEY_BYTES) {
    throw new PseudonymKeyError(
      `${file}: key is ${key.length} bytes; a pseudonym key must be at least ${MIN_KEY_BYTES} random bytes (64 hex digits)`,
    );
  }
  return key;
}

/**
 * Refuses a key file inside the output folder: whoever receives the export
 * must not receive the key with it.
 *
 * @throws {PseudonymKeyError}
 */
export function assertKeyOutsideOutput(keyFile: string, outputFolder: string): void {
  const path = relative(resolve(outputFolder), resolve(keyFile));
  if (path === '' || (!path.startsWith('..') && !isAbsolute(path))) {
    throw new PseudonymKeyError(
      `${keyFile}: the key file is inside the output folder ${outputFolder}; keep the key apart from the export`,
    );
  }
}

/** Options for {@link Pseudonymiser}. */
export interface PseudonymOptions {
  /** Hex digits kept from the HMAC (8 to 64). */
  hexLength: number;
}

export const DEFAULT_PSEUDONYM_OPTIONS: PseudonymOptions = { hexLength: DEFAULT_PSEUDONYM_HEX_LENGTH };

/**
 * Gives each id its pseudonym, `P-3fa9c0d1e2b34a5f`: HMAC-SHA-256(key, kind ‖ 0x00 ‖ id),
 * hex, truncated. The kind is part of the message so a person and a research
 * node with the same id get unrelated pseudonyms. Refuses a collision within
 * one export rather than merge two nodes.
 */
export class Pseudonymiser {
  private readonly key: Buffer;
  private readonly options: PseudonymOptions;
  private readonly issued = new Map<string, string>();

  constructor(key: Uint8Array, options: Partial<PseudonymOptions> = {}) {
    this.key = Buffer.from(key);
    if (this.key.length < MIN_KEY_BYTES)
      throw new PseudonymKeyError(`key is ${this.key.length} bytes; at least ${MIN_KEY_BYTES} are needed`);
    this.options = { ...DEFAULT_PSEUDONYM_OPTIONS, ...options };
    const { hexLength } = this.options;
    if (!Number.isInteger(hexLength) || hexLength < 8 || hexLength > 64)
      throw new RangeError(`@ocgnet/research/pseudonyms: hexLength must be an integer from 8 to 64, not ${hexLength}`);
  }

  /** The pseudonym of `id` as a node of `kind`. */
  pseudonym(kind: PseudonymKind, id: string): string {
    const digest = createHmac('sha256', this.key).update(`${kind}\u0000${id}`, 'utf8').digest('hex');
    const pseudonym = `${PSEUDONYM_PREFIXES[kind]}-${digest.slice(0, this.options.hexLength)}`;
    const holder = this.issued.get(pseudonym);
    if (holder !== undefined && holder !== `${kind}\u0000${id}`) {
      throw new PseudonymKeyError(
        `two ids share the pseudonym ${pseudonym}; export again with a longer pseudonym length`,
      );
    }
    this.issued.set(pseudonym, `${kind}\u0000${id}`);
    return pseudonym;
  }

  /**
   * A secret value derived from the key for one purpose (the date shift), so
   * that knowing the shift of one export says nothing about another key's.
   * Returns an integer in [0, 2³²).
   */
  derivedInteger(purpose: string): number {
    return createHmac('sha256', this.key).update(`derive\u0000${purpose}`, 'utf8').digest().readUInt32BE(0);
  }
}
