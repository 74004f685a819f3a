/**
 * Does the 1-neighbourhood of original node v fit into that of released node
 * u? The 1-neighbourhood (Zhou & Pei 2008) is the subgraph induced by a node
 * and its neighbours. `exact`: the two are isomorphic with v ↦ u (nothing was
 * added); else v's embeds in u's (a subgraph monomorphism fixing the centre:
 * ties may have been added, none removed). `labelled`: neighbours' attributes
 * and ties' attributes must agree; `degrees`: each neighbour's degree in the
 * whole graph must be kept (exact) or may only have grown.
 *
 * The search maps the neighbours that have ties among themselves by
 * backtracking (most constrained first) and then the others, which only need
 * distinct compatible partners, by bipartite matching. It stops after
 * `budget` steps and answers `undefined` (undecided); the measures count an
 * undecided comparison as "tells them apart", which can only over-state risk.
 */
import {
  dominates,
  incidentPairs,
  localDegrees,
  matchingFromOptions,
  nodeFieldsCompatible,
  pairCompatible,
  sortedLocalDegrees,
  type GraphView,
  type LabelRules,
} from './view.js';

export interface EgoMatchOptions {
  exact: boolean;
  labelled: boolean;
  degrees: boolean;
  rules: LabelRules;
  budget: number;
}

/** One original node's neighbourhood: which of its neighbours are tied to each other. */
interface Plan {
  /** tied[i * size + j]: neighbours i and j (in `neighbours` order) are tied. */
  tied: Uint8Array;
  /** Indices of the neighbours tied to another neighbour. */
  linked: Int32Array;
}

const plans = new WeakMap<GraphView, (Plan | undefined)[]>();

function planOf(view: GraphView, v: number): Plan {
  let cache = plans.get(view);
  if (cache === undefined) plans.set(view, (cache = new Array(view.n)));
  const cached = cache[v];
  if (cached !== undefined) return cached;
  const P = view.neighbours[v]!;
  const size = P.length;
  const tied = new Uint8Array(size * size);
  const linked: number[] = [];
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) if (i !== j && view.pairs.has(P[i]! * view.n + P[j]!)) tied[i * size + j] = 1;
    if (tied.subarray(i * size, (i + 1) * size).some((x) => x === 1)) linked.push(i);
  }
  const plan = { tied, linked: Int32Array.from(linked) };
  cache[v] = plan;
  return plan;
}

/**
 * The search: the tied neighbours are assigned one at a time, the one with
 * the fewest remaining partners first; each assignment filters the partners
 * left to the others (forward checking) and checks that every neighbour not
 * yet assigned can still get a distinct partner (a bipartite matching), so a
 * dead end is seen at once rather than after the last assignment.
 */
export function egoEmbeds(
  original: GraphView,
  v: number,
  release: GraphView,
  u: number,
  options: EgoMatchOptions,
): boolean | undefined {
  const { exact, labelled, degrees, rules } = options;
  const P = original.neighbours[v]!;
  const T = release.neighbours[u]!;
  if (exact ? P.length !== T.length : P.length > T.length) return false;
  if (!dominates(sortedLocalDegrees(original, v), sortedLocalDegrees(release, u), exact)) return false;
  const ldP = localDegrees(original, v);
  const ldT = localDegrees(release, u);
  const candidates: number[][] = [];
  for (let i = 0; i < P.length; i++) {
    const p = P[i]!;
    const tie = original.pairs.get(v * original.n + p);
    const list: number[] = [];
    const nodeP = original.node[p]!;
    const ties = incidentPairs(release, u);
    for (let j = 0; j < T.length; j++) {
      const t = T[j]!;
      if (exact ? ldT[j] !== ldP[i] : ldT[j]! < ldP[i]!) continue;
      if (degrees && (exact ? release.degree[t] !== original.degree[p] : release.degree[t]! < original.degree[p]!))
        continue;
      if (labelled && !nodeFieldsCompatible(nodeP, release.node[t]!)) continue;
      if (!pairCompatible(tie, ties[j], exact, labelled, rules)) continue;
      list.push(j);
    }
    if (list.length === 0) return false;
    candidates.push(list);
  }
  if (!matchingFromOptions(candidates, T.length)) return false;
  const { tied, linked } = planOf(original, v);
  if (linked.length === 0) return true;

  const quick = quickSearch(original, v, release, u, candidates, options);
  if (quick !== undefined) return quick;
  const size = P.length;
  const assigned = new Int32Array(size).fill(-1);
  let steps = 0;
  const search = (domains: number[][], left: number): boolean | undefined => {
    if (left === 0) return true;
    // The unassigned tied neighbour with the fewest partners left.
    let i = -1;
    for (const x of linked) if (assigned[x] === -1 && (i === -1 || domains[x]!.length < domains[i]!.length)) i = x;
    const p = P[i]!;
    for (const j of domains[i]!) {
      if (++steps > options.budget) return undefined;
      const t = T[j]!;
      assigned[i] = j;
      const next: number[][] = domains.slice();
      let dead = false;
      for (let x = 0; x < size && !dead; x++) {
        if (assigned[x] !== -1) continue;
        const isTied = tied[i * size + x] === 1;
        const o = isTied ? original.pairs.get(p * original.n + P[x]!) : undefined;
        const filtered: number[] = [];
        for (const y of domains[x]!) {
          if (y === j) continue;
          if (isTied || exact) {
            const r = release.pairs.get(t * release.n + T[y]!);
            if (isTied ? !pairCompatible(o, r, exact, labelled, rules) : r !== undefined) continue;
          }
          filtered.push(y);
        }
        if (filtered.length === 0) dead = true;
        next[x] = filtered;
      }
      if (!dead) {
        const open: number[][] = [];
        for (let x = 0; x < size; x++) if (assigned[x] === -1) open.push(next[x]!);
        if (matchingFromOptions(open, T.length)) {
          const found = search(next, left - 1);
          if (found !== false) return found;
        }
      }
      assigned[i] = -1;
    }
    return false;
  };
  return search(candidates, linked.length);
}

/** Steps of the quick search before the careful one takes over. */
const QUICK_STEPS = 300;

/**
 * A plain depth-first search in a fixed order (most ties to those already
 * placed first), the untied neighbours matched at the end: it settles most
 * comparisons at once; `undefined` when it runs out of its few steps.
 */
function quickSearch(
  original: GraphView,
  v: number,
  release: GraphView,
  u: number,
  candidates: number[][],
  options: EgoMatchOptions,
): boolean | undefined {
  const { exact, labelled, rules } = options;
  const P = original.neighbours[v]!;
  const T = release.neighbours[u]!;
  const { tied, linked } = planOf(original, v);
  const size = P.length;
  const order: number[] = [];
  const placed = new Uint8Array(size);
  const tiesToPlaced = new Int32Array(size);
  while (order.length < linked.length) {
    let best = -1;
    for (const i of linked)
      if (
        !placed[i] &&
        (best === -1 ||
          tiesToPlaced[i]! > tiesToPlaced[best]! ||
          (tiesToPlaced[i] === tiesToPlaced[best] && candidates[i]!.length < candidates[best]!.length))
      )
        best = i;
    placed[best] = 1;
    order.push(best);
    for (let j = 0; j < size; j++) if (tied[best * size + j]) tiesToPlaced[j]!++;
  }
  const free: number[] = [];
  for (let i = 0; i < size; i++) if (!placed[i]) free.push(i);
  const assigned = new Int32Array(size).fill(-1);
  const used = new Uint8Array(T.length);
  let steps = 0;
  const search = (depth: number): boolean | undefined => {
    if (depth === order.length)
      return matchingFromOptions(
        free.map((i) => candidates[i]!.filter((j) => !used[j])),
        T.length,
      );
    const i = order[depth]!;
    const p = P[i]!;
    for (const j of candidates[i]!) {
      if (used[j]) continue;
      if (++steps > QUICK_STEPS) return undefined;
      const t = T[j]!;
      let fits = true;
      for (let d = 0; d < depth && fits; d++) {
        const i2 = order[d]!;
        if (!exact && !tied[i * size + i2]) continue;
        const o = original.pairs.get(p * original.n + P[i2]!);
        const r = release.pairs.get(t * release.n + T[assigned[i2]!]!);
        fits = o !== undefined ? pairCompatible(o, r, exact, labelled, rules) : r === undefined;
      }
      if (!fits) continue;
      used[j] = 1;
      assigned[i] = j;
      const found = search(depth + 1);
      if (found !== false) return found;
      used[j] = 0;
      assigned[i] = -1;
    }
    return false;
  };
  return search(0);
}
