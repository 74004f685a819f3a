/**
 * The ledger of the releases made with one pseudonym key.
 *
 * The same key gives the same pseudonyms, so two releases made with it can be
 * intersected: a nominal's candidates must fit both. The ledger keeps every
 * release made with the key (the released graph itself, which is what an
 * attacker holding both would have), so that the next export can measure the
 * intersection, refuse a second release unless asked for, and refuse it anyway
 * while the intersection singles anyone out. A release identical to one in the
 * ledger releases nothing new and is not counted again.
 *
 * The ledger belongs with the key, not with any export: the CLI keeps it beside
 * the key file (`<key file>.releases.json`, mode 600). It names its key by a
 * keyed fingerprint (HMAC of a fixed label, which says nothing about the key
 * or the pseudonyms), so a ledger is never read for another key.
 *
 * No I/O: the CLI reads and writes the file.
 */
import { createHmac } from 'node:crypto';
import Graph from 'graphology';
import type { SerializedGraph } from 'graphology-types';
import { OcgnetError } from '@ocgnet/schema';
import type { Symmetry } from './automorphism.js';
import type { PriorReleaseRecord, Release, ReleaseSettings } from './researchExport.js';

export const LEDGER_KIND = 'ocgnet-release-ledger';

/** The ledger file beside a key file. */
export function ledgerFileFor(keyFile: string): string {
  return `${keyFile}.releases.json`;
}

/** A ledger's problem: unreadable, or kept for another key. */
export class LedgerError extends OcgnetError<'INVALID_LEDGER'> {
  override readonly name = 'LedgerError';
  constructor(message: string) {
    super('INVALID_LEDGER', message);
  }
}

export interface LedgerEntry {
  created: string;
  /** The folder the export was written to. */
  out: string;
  /** sha256 of the released graph (`releaseDigest`). */
  digest: string;
  perturbed: boolean;
  weightWildcard: boolean;
  nodes: number;
  edges: number;
  /** How it was generalised. */
  settings?: ReleaseSettings;
  /** Its symmetries (pseudonyms a k-automorphic release cannot tell apart; checked before use). */
  symmetry?: Symmetry;
  graph: SerializedGraph;
}

export interface Ledger {
  kind: typeof LEDGER_KIND;
  /** Keyed fingerprint of the key the releases were made with. */
  key: string;
  releases: LedgerEntry[];
}

/** The fingerprint naming a key in its ledger: HMAC-SHA-256(key, fixed label), 32 hex digits. */
export function keyFingerprint(key: Uint8Array): string {
  return createHmac('sha256', Buffer.from(key)).update('ocgnet release ledger', 'utf8').digest('hex').slice(0, 32);
}

/** An empty ledger for a key. */
export function newLedger(key: Uint8Array): Ledger {
  return { kind: LEDGER_KIND, key: keyFingerprint(key), releases: [] };
}

/**
 * Reads a ledger's text and checks that it belongs to `key`.
 *
 * @throws {LedgerError}
 */
export function parseLedger(text: string, key: Uint8Array, file = 'ledger'): Ledger {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LedgerError(
      `${file}: not valid JSON (${(error as Error).message}); it records the releases made with the key and must not be edited`,
    );
  }
  const ledger = value as Partial<Ledger> | null;
  if (
    ledger === null ||
    typeof ledger !== 'object' ||
    ledger.kind !== LEDGER_KIND ||
    typeof ledger.key !== 'string' ||
    !Array.isArray(ledger.releases)
  ) {
    throw new LedgerError(`${file}: not an ocgnet release ledger`);
  }
  if (ledger.key !== keyFingerprint(key)) {
    throw new LedgerError(
      `${file}: this ledger records the releases of another key; keep each key's ledger with it (move this one away only if its key is destroyed)`,
    );
  }
  ledger.releases.forEach((entry, index) => {
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof entry.digest !== 'string' ||
      typeof entry.perturbed !== 'boolean' ||
      typeof entry.graph !== 'object' ||
      entry.graph === null
    ) {
      throw new LedgerError(`${file}: releases[${index}] is not a recorded release`);
    }
  });
  return ledger as Ledger;
}

/** The earlier releases, as the export pipeline takes them. */
export function priorReleases(ledger: Ledger): PriorReleaseRecord[] {
  return ledger.releases.map((entry) => ({
    graph: Graph.from(entry.graph),
    perturbed: entry.perturbed,
    weightWildcard: entry.weightWildcard === true,
    digest: entry.digest,
    ...(entry.settings !== undefined ? { settings: entry.settings } : {}),
    ...(entry.symmetry !== undefined ? { symmetry: entry.symmetry } : {}),
  }));
}

/** The ledger with one more release (a repeat of a recorded release is not added again). */
export function recordRelease(
  ledger: Ledger,
  release: Release,
  out: string,
  created = new Date().toISOString(),
): Ledger {
  if (release.repeat || ledger.releases.some((entry) => entry.digest === release.digest)) return ledger;
  const entry: LedgerEntry = {
    created,
    out,
    digest: release.digest,
    perturbed: release.perturbed,
    weightWildcard: release.weightWildcard,
    nodes: release.graph.order,
    edges: release.graph.size,
    ...(release.settings !== undefined ? { settings: release.settings } : {}),
    ...(release.symmetry !== undefined ? { symmetry: release.symmetry } : {}),
    graph: release.graph.export(),
  };
  return { ...ledger, releases: [...ledger.releases, entry] };
}

/** The ledger's text. */
export function ledgerJson(ledger: Ledger): string {
  return `${JSON.stringify(ledger)}\n`;
}
