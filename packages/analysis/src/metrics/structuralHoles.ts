/**
 * Burt's structural-hole measures: constraint and effective size.
 *
 * Burt, "Structural Holes: The Social Structure of Competition", Harvard
 * University Press, 1992, ch. 2. With p_ij = w_ij / Σ_k w_ik the share of i's
 * tie strength invested in j, and m_jq = w_jq / max_k w_jk:
 * - constraint c(i) = Σ_{j ∈ N(i)} (p_ij + Σ_q p_iq p_qj)²;
 * - effective size e(i) = Σ_{j ∈ N(i)} (1 − Σ_q p_iq m_jq).
 * Unweighted, effective size reduces to n − 2t/n, with n = deg(i) and t the
 * ties among i's neighbours (Borgatti, "Structural holes: unpacking Burt's
 * redundancy measures", Connections 20(1), 1997), which is computed directly.
 *
 * Equal to networkx `constraint` and `effective_size` on the undirected
 * simple view of the graph (see csr.ts), with `weight=None` or
 * `weight='weight'`. networkx has two code paths: a sparse-matrix one when
 * scipy is installed and all nodes are asked for, and a per-node one
 * (Borgatti's formula when unweighted). These values agree with both, except
 * weighted effective size, where they agree with the per-node path only:
 * networkx 3.6.1's sparse path divides w_jq by the largest tie of q rather
 * than of j (networkx/networkx pull request #8906).
 *
 * Isolated nodes have neither measure: they get NaN, as in networkx. JSON
 * serialisation turns NaN into null.
 */
import type { AbstractGraph } from 'graphology-types';
import { byNode, csrOf, isGraphologyGraph, type CsrGraph } from '../csr.js';
import { commonTargets } from '../adjacency.js';

const ORIGIN = '@ocgnet/analysis/structuralHoles';

export interface StructuralHolesOptions {
  /**
   * Use the `weight` edge attribute as tie strength (absent = 1; weights
   * must be finite and positive). Otherwise every tie counts 1.
   */
  weighted: boolean;
}

export const DEFAULT_STRUCTURAL_HOLES_OPTIONS: StructuralHolesOptions = { weighted: false };

/**
 * Burt's constraint on every node of `graph`, keyed by node: high when a
 * node's contacts are tied to each other, so it brokers little. NaN for
 * isolated nodes.
 *
 * @throws TypeError when `graph` is not a graphology graph or an option has the wrong type.
 * @throws RangeError (from the snapshot) when weighted and an edge weight is not finite and positive.
 */
export function constraint(
  graph: AbstractGraph,
  options: Partial<StructuralHolesOptions> = {},
): Record<string, number> {
  const settings = resolveOptions(options);
  const csr = snapshotOf(graph, settings);
  return byNode(csr, constraintOnCsr(csr, settings));
}

/**
 * Burt's constraint on every node of a snapshot, by node index. When
 * weighted, the snapshot's weights are used. NaN for isolated nodes.
 */
export function constraintOnCsr(csr: CsrGraph, options: Partial<StructuralHolesOptions> = {}): Float64Array {
  const { weighted } = resolveOptions(options);
  const { n, offsets, targets } = csr;
  const weights = weighted ? csr.weights : null;
  const strength = strengthOf(csr, weights);
  const { slotsI, slotsJ } = scratchFor(csr);
  const result = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const iStart = offsets[i]!;
    const iEnd = offsets[i + 1]!;
    if (iStart === iEnd) {
      result[i] = NaN;
      continue;
    }
    const si = strength[i]!;
    let total = 0;
    for (let sj = iStart; sj < iEnd; sj++) {
      const j = targets[sj]!;
      // Indirect investment of i in j through each common neighbour q.
      let indirect = 0;
      const common = commonTargets(targets, iStart, iEnd, offsets[j]!, offsets[j + 1]!, slotsI, slotsJ);
      for (let c = 0; c < common; c++) {
        const iq = slotsI[c]!;
        const wiq = weights === null ? 1 : weights[iq]!;
        const wqj = weights === null ? 1 : weights[slotsJ[c]!]!;
        indirect += (wiq / si) * (wqj / strength[targets[iq]!]!);
      }
      const direct = (weights === null ? 1 : weights[sj]!) / si;
      const local = direct + indirect;
      total += local * local;
    }
    result[i] = total;
  }
  return result;
}

/**
 * Burt's effective size of every node of `graph`, keyed by node: the number
 * of contacts less their redundancy. NaN for isolated nodes.
 *
 * @throws TypeError when `graph` is not a graphology graph or an option has the wrong type.
 * @throws RangeError (from the snapshot) when weighted and an edge weight is not finite and positive.
 */
export function effectiveSize(
  graph: AbstractGraph,
  options: Partial<StructuralHolesOptions> = {},
): Record<string, number> {
  const settings = resolveOptions(options);
  const csr = snapshotOf(graph, settings);
  return byNode(csr, effectiveSizeOnCsr(csr, settings));
}

/**
 * Burt's effective size of every node of a snapshot, by node index. When
 * weighted, the snapshot's weights are used. NaN for isolated nodes.
 */
export function effectiveSizeOnCsr(csr: CsrGraph, options: Partial<StructuralHolesOptions> = {}): Float64Array {
  const { weighted } = resolveOptions(options);
  const { n, offsets, targets } = csr;
  const weights = weighted ? csr.weights : null;
  const strength = strengthOf(csr, weights);
  const { slotsI, slotsJ } = scratchFor(csr);
  // Largest tie of each node, the normaliser of m_jq.
  const strongest = new Float64Array(n);
  if (weights !== null) {
    for (let j = 0; j < n; j++) {
      for (let s = offsets[j]!, end = offsets[j + 1]!; s < end; s++)
        if (weights[s]! > strongest[j]!) strongest[j] = weights[s]!;
    }
  }
  const result = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const iStart = offsets[i]!;
    const iEnd = offsets[i + 1]!;
    const degree = iEnd - iStart;
    if (degree === 0) {
      result[i] = NaN;
      continue;
    }
    const si = strength[i]!;
    let total = 0;
    let sharedTies = 0;
    for (let sj = iStart; sj < iEnd; sj++) {
      const j = targets[sj]!;
      let redundancy = 0;
      const common = commonTargets(targets, iStart, iEnd, offsets[j]!, offsets[j + 1]!, slotsI, slotsJ);
      if (weights === null) sharedTies += common;
      else
        for (let c = 0; c < common; c++)
          redundancy += (weights[slotsI[c]!]! / si) * (weights[slotsJ[c]!]! / strongest[j]!);
      total += 1 - redundancy;
    }
    // Unweighted: Borgatti's n − 2t/n; sharedTies counts each tie among
    // the neighbours twice, so it is 2t, exact in integers.
    result[i] = weights === null ? degree - sharedTies / degree : total;
  }
  return result;
}

/** Buffers for the common-neighbour slots of one pair, as long as the largest degree. */
function scratchFor({ n, offsets }: CsrGraph): { slotsI: Int32Array; slotsJ: Int32Array } {
  let max = 0;
  for (let v = 0; v < n; v++) max = Math.max(max, offsets[v + 1]! - offsets[v]!);
  return { slotsI: new Int32Array(max), slotsJ: new Int32Array(max) };
}

/** Sum of tie strengths per node (the degree when unweighted). */
function strengthOf(csr: CsrGraph, weights: Float64Array | null): Float64Array {
  const { n, offsets } = csr;
  const strength = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (weights === null) strength[i] = offsets[i + 1]! - offsets[i]!;
    else for (let s = offsets[i]!, end = offsets[i + 1]!; s < end; s++) strength[i]! += weights[s]!;
  }
  return strength;
}

function snapshotOf(graph: AbstractGraph, { weighted }: StructuralHolesOptions): CsrGraph {
  if (!isGraphologyGraph(graph)) throw new TypeError(`${ORIGIN}: expected a graphology graph`);
  return csrOf(graph, { weightAttribute: weighted ? 'weight' : null });
}

function resolveOptions(options: Partial<StructuralHolesOptions>): StructuralHolesOptions {
  const settings = { ...DEFAULT_STRUCTURAL_HOLES_OPTIONS, ...options };
  if (typeof settings.weighted !== 'boolean')
    throw new TypeError(`${ORIGIN}: option "weighted" must be a boolean, got ${String(settings.weighted)}`);
  return settings;
}
