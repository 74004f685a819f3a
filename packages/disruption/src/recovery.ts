/**
 * Network recovery after removal
 * ==============================
 *
 * Removing nominals (arrest, remand, relocation) is not the end of the
 * story: criminal networks repair themselves. Duijn, Kashirin & Sloot
 * simulated this on a Dutch cannabis network and found that disruption
 * can leave the network *more* efficient than before. This module lets a
 * panel try a removal against the same three repair mechanisms and see
 * whether it backfires.
 *
 * [Reference]:
 * Duijn, Paul A. C., Victor Kashirin and Peter M. A. Sloot. "The relative
 * ineffectiveness of criminal network disruption." Scientific Reports 4,
 * 2014, 4238.
 *
 * Mechanisms, each with a probability p, applied in the order given, each
 * removed node taken in id order, every random draw from one Mersenne
 * Twister seeded by `seed` (same seed, same output):
 * - `replacement`: the removed node's most similar remaining neighbour
 *   (highest Jaccard similarity between the removed node's former contacts
 *   and the neighbour's current contacts; ties to the smaller id) takes over
 *   each of its former ties with probability p.
 * - `triadic`: each pair of former contacts not yet tied becomes tied with
 *   probability p (triadic closure around the gap).
 * - `preferential`: each former contact that no longer has a path to the
 *   largest component re-attaches to it with probability p: to a node of
 *   that component chosen with probability proportional to its degree
 *   (uniformly if all degrees are 0). Only contacts cut off by the removal
 *   re-attach; contacts still inside the largest component keep their
 *   paths. The component and the degrees are those at the start of the
 *   step; a contact that re-attaches brings its whole component in, so its
 *   fellow members do not re-attach again in the same step.
 * `rounds` repeats the whole sequence, later rounds seeing the ties added
 * by earlier ones.
 *
 * Measures are on the snapshot's simple undirected view, unweighted, as in
 * fragmentation.ts: global efficiency (Latora & Marchiori 2001) over the
 * nodes present, the largest component, and its share of the original node
 * count. A removal backfires when efficiency after recovery is at least the
 * efficiency before removal.
 */
import type { AbstractGraph } from 'graphology-types';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { mersenne } from 'pure-rand/generator/mersenne';
import { csrFromEdgeArrays, csrOf, isGraphologyGraph, type CsrGraph } from '@ocgnet/analysis';
import { compareIds } from '@ocgnet/schema';
import { connectivity, distanceConnectivity } from './fragmentation.js';
import { OcgnetError } from '@ocgnet/schema';

const ORIGIN = '@ocgnet/disruption/recovery';

export type RecoveryErrorCode = 'NOT_A_GRAPH' | 'INVALID_OPTION' | 'UNKNOWN_NODE';

/** Thrown on misuse. The message starts with the module of origin. */
export class RecoveryError extends OcgnetError<RecoveryErrorCode> {
  override readonly name: string = 'RecoveryError';
  constructor(code: RecoveryErrorCode, message: string) {
    super(code, message, { origin: ORIGIN });
  }
}

export type RecoveryMechanismType = 'replacement' | 'triadic' | 'preferential';

export const RECOVERY_MECHANISMS: readonly RecoveryMechanismType[] = ['replacement', 'triadic', 'preferential'];

export interface RecoveryMechanism {
  type: RecoveryMechanismType;
  /** Chance, in [0, 1], of each candidate tie forming. */
  probability: number;
}

export interface RecoveryOptions {
  /** Which mechanisms run, in this order, and how likely each tie is. */
  mechanisms: readonly RecoveryMechanism[];
  seed: number;
  /** How many times the whole sequence runs. */
  rounds: number;
}

export const DEFAULT_RECOVERY_OPTIONS: Omit<RecoveryOptions, 'mechanisms'> = { seed: 1, rounds: 1 };

export interface NetworkState {
  /** Global efficiency over the nodes present (0 with fewer than two). */
  efficiency: number;
  /** Largest connected component. */
  lcc: number;
  /** lcc / the original node count. */
  lccFraction: number;
}

export interface RecoveryResult {
  /** The removed nodes, sorted by id. */
  removed: string[];
  before: NetworkState;
  afterRemoval: NetworkState;
  afterRecovery: NetworkState;
  /** Ties formed, in the order they formed: [u, v, mechanism]. Replacement: [successor, contact]; preferential: [contact, target]. */
  addedEdges: [string, string, RecoveryMechanismType][];
  /** afterRecovery.efficiency ≥ before.efficiency: the disruption left the network at least as efficient. */
  backfired: boolean;
}

function stateOf(csr: CsrGraph, removed: Uint8Array): NetworkState {
  const { lcc, lccFraction } = connectivity(csr, removed);
  return { efficiency: distanceConnectivity(csr, removed).efficiency, lcc, lccFraction };
}

/** The snapshot of the ties after recovery, on the same node indices (removed nodes keep no tie). */
function recoveredCsr(ids: readonly string[], adjacency: readonly Set<number>[]): CsrGraph {
  const source: number[] = [];
  const target: number[] = [];
  adjacency.forEach((neighbours, v) => {
    for (const w of neighbours) {
      if (v < w) {
        source.push(v);
        target.push(w);
      }
    }
  });
  return csrFromEdgeArrays(ids, Int32Array.from(source), Int32Array.from(target), null);
}

function checkOptions(options: RecoveryOptions): void {
  if (!Array.isArray(options.mechanisms))
    throw new RecoveryError('INVALID_OPTION', 'mechanisms must be a list of { type, probability }.');
  for (const mechanism of options.mechanisms) {
    if (!RECOVERY_MECHANISMS.includes(mechanism?.type)) {
      throw new RecoveryError(
        'INVALID_OPTION',
        `mechanism type must be one of ${RECOVERY_MECHANISMS.join(', ')}, got ${JSON.stringify(mechanism?.type)}.`,
      );
    }
    if (!(mechanism.probability >= 0 && mechanism.probability <= 1)) {
      throw new RecoveryError(
        'INVALID_OPTION',
        `${mechanism.type} probability must lie in [0, 1], got ${mechanism.probability}.`,
      );
    }
  }
  if (!Number.isSafeInteger(options.seed))
    throw new RecoveryError('INVALID_OPTION', `seed must be a safe integer, got ${options.seed}.`);
  if (!Number.isInteger(options.rounds) || options.rounds < 1)
    throw new RecoveryError('INVALID_OPTION', `rounds must be a positive integer, got ${options.rounds}.`);
}

/**
 * Removes `removedIds`, lets the network repair itself, and reports
 * efficiency and the largest component before, after removal and after
 * recovery.
 *
 * @example
 * simulateRecovery(graph, ['broker'], {
 *   mechanisms: [{ type: 'replacement', probability: 0.5 }, { type: 'triadic', probability: 0.1 }],
 * }); // { before, afterRemoval, afterRecovery, addedEdges: [['lieutenant', 'supplier', 'replacement']], backfired: false }
 */
export function simulateRecovery(
  graph: AbstractGraph,
  removedIds: readonly string[],
  options: Pick<RecoveryOptions, 'mechanisms'> & Partial<RecoveryOptions>,
): RecoveryResult {
  if (!isGraphologyGraph(graph)) {
    throw new RecoveryError('NOT_A_GRAPH', 'the given graph is not a valid graphology instance.');
  }
  const settings = { ...DEFAULT_RECOVERY_OPTIONS, ...options };
  checkOptions(settings);
  const csr = csrOf(graph, { weightAttribute: null });
  const { n, ids, offsets, targets } = csr;

  const removed = new Uint8Array(n);
  for (const id of removedIds) {
    const index = csr.index.get(id);
    if (index === undefined)
      throw new RecoveryError('UNKNOWN_NODE', `removed node ${JSON.stringify(id)} is not in the graph.`);
    removed[index] = 1;
  }
  const byId = (a: number, b: number) => compareIds(ids[a]!, ids[b]!);
  const removedNodes = [...removed.keys()].filter((v) => removed[v]).sort(byId);

  // Current ties among the nodes present.
  const adjacency: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (let v = 0; v < n; v++) {
    if (removed[v]) continue;
    for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++)
      if (!removed[targets[slot]!]) adjacency[v]!.add(targets[slot]!);
  }
  // Former contacts still present, per removed node, in id order.
  const contactsOf = new Map<number, number[]>();
  for (const r of removedNodes) {
    const contacts: number[] = [];
    for (let slot = offsets[r]!; slot < offsets[r + 1]!; slot++)
      if (!removed[targets[slot]!]) contacts.push(targets[slot]!);
    contactsOf.set(r, contacts.sort(byId));
  }

  const random = mersenne(settings.seed);
  const chance = (p: number) => uniformFloat64(random) < p;
  const addedEdges: [string, string, RecoveryMechanismType][] = [];
  const tie = (u: number, v: number, mechanism: RecoveryMechanismType) => {
    adjacency[u]!.add(v);
    adjacency[v]!.add(u);
    addedEdges.push([ids[u]!, ids[v]!, mechanism]);
  };

  const replacement = (p: number) => {
    for (const r of removedNodes) {
      const contacts = contactsOf.get(r)!;
      if (contacts.length === 0) continue;
      const former = new Set(contacts);
      let successor = -1;
      let bestSimilarity = -1;
      for (const c of contacts) {
        let shared = 0;
        for (const x of adjacency[c]!) if (former.has(x)) shared++;
        const union = former.size + adjacency[c]!.size - shared;
        const similarity = union === 0 ? 0 : shared / union;
        if (similarity > bestSimilarity) {
          successor = c;
          bestSimilarity = similarity;
        }
      }
      for (const x of contacts) {
        if (x === successor || adjacency[successor]!.has(x)) continue;
        if (chance(p)) tie(successor, x, 'replacement');
      }
    }
  };

  const triadic = (p: number) => {
    for (const r of removedNodes) {
      const contacts = contactsOf.get(r)!;
      for (let i = 0; i < contacts.length; i++) {
        for (let j = i + 1; j < contacts.length; j++) {
          const [x, y] = [contacts[i]!, contacts[j]!];
          if (!adjacency[x]!.has(y) && chance(p)) tie(x, y, 'triadic');
        }
      }
    }
  };

  const preferential = (p: number) => {
    // The largest component now (ties to the one holding the smallest id), and its members' degrees.
    const inLargest = new Uint8Array(n);
    const seen = new Uint8Array(n);
    let largest: number[] = [];
    const componentFrom = (start: number, mark: Uint8Array) => {
      const members = [start];
      mark[start] = 1;
      for (let head = 0; head < members.length; head++) {
        for (const w of adjacency[members[head]!]!) {
          if (!mark[w]) {
            mark[w] = 1;
            members.push(w);
          }
        }
      }
      return members;
    };
    for (const start of [...Array(n).keys()].sort(byId)) {
      if (removed[start] || seen[start]) continue;
      const members = componentFrom(start, seen);
      if (members.length > largest.length) largest = members;
    }
    if (largest.length === 0) return;
    largest.sort(byId);
    for (const v of largest) inLargest[v] = 1;
    const cumulative = new Float64Array(largest.length);
    let total = 0;
    largest.forEach((v, i) => (cumulative[i] = total += adjacency[v]!.size));
    const pickTarget = (): number => {
      if (total === 0)
        return largest[Math.min(largest.length - 1, Math.floor(uniformFloat64(random) * largest.length))]!;
      const point = uniformFloat64(random) * total;
      let low = 0;
      let high = largest.length - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (cumulative[middle]! > point) high = middle;
        else low = middle + 1;
      }
      return largest[low]!;
    };
    for (const r of removedNodes) {
      for (const x of contactsOf.get(r)!) {
        if (inLargest[x] || !chance(p)) continue;
        tie(x, pickTarget(), 'preferential');
        componentFrom(x, inLargest);
      }
    }
  };

  for (let round = 0; round < settings.rounds; round++) {
    for (const { type, probability } of settings.mechanisms) {
      if (type === 'replacement') replacement(probability);
      else if (type === 'triadic') triadic(probability);
      else preferential(probability);
    }
  }

  const none = new Uint8Array(n);
  const before = stateOf(csr, none);
  const afterRecovery = stateOf(recoveredCsr(ids, adjacency), removed);
  return {
    removed: removedNodes.map((v) => ids[v]!),
    before,
    afterRemoval: stateOf(csr, removed),
    afterRecovery,
    addedEdges,
    backfired: afterRecovery.efficiency >= before.efficiency,
  };
}
