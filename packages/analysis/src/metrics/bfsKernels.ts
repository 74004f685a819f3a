/**
 * Unweighted path kernels: one breadth-first search per source for
 * betweenness (Brandes 2001) and for closeness + harmonic.
 *
 * Two ideas make them fast on the small-world graphs ocgnet sees:
 * - **Direction-optimising BFS** (Beamer, Asanović & Patterson, "Direction-
 *   optimizing breadth-first search", SC 2012). While the frontier is small
 *   it pushes (top-down). Once the frontier's edges outweigh the unvisited
 *   ones it pulls (bottom-up): every unvisited node of the source's
 *   component looks at its neighbours. For betweenness the pull sums the
 *   frontier's path counts branch-free (non-frontier nodes hold 0 in
 *   `frontierSigma`); for plain distances it stops at the first frontier
 *   neighbour. The bottom-up step walks only the source's component (nodes
 *   are grouped by component up front) and is never used on components
 *   below BOTTOM_UP_MIN_NODES, so a fragmented graph costs no O(n) per level.
 * - **Level-synchronous pull accumulation.** Brandes' dependency
 *   δ(v) = σ(v) Σ_{w: v ∈ P(w)} (1 + δ(w)) / σ(w) is computed a whole level
 *   at a time, deepest first, as σ(v) Σ_{u ∈ N(v)} coeff(u) with
 *   coeff(u) = (1 + δ(u)) / σ(u) set only once u's level is done. A
 *   neighbour of a level-L node sits at L − 1, L or L + 1, and only level
 *   L + 1 has its coefficient set at that point, so no distance test and no
 *   predecessor list are needed: sequential reads instead of recorded arcs.
 *   When the level below is much lighter (fewer adjacency slots, e.g. the
 *   thin last levels of a small-world graph) its coefficients are pushed up
 *   instead, testing the distance of each neighbour.
 *
 * Path counts are Float64 (they pass 2^31 on meshes of ties; integers stay
 * exact to 2^53). Only the nodes a search reached are reset after it.
 *
 * A removal mask (`removed[v] = 1`) marks nodes as permanently visited, so
 * they are never discovered, never pulled from and never scored: the
 * betweenness, closeness and harmonic centrality of the induced subgraph
 * without building it (the removal simulation re-measures after every step).
 *
 * These functions are SELF-CONTAINED on purpose: no imports, no references
 * to anything at module scope but each other, no nested closures.
 * parallel/pool.ts ships them to worker_threads as source text
 * (`fn.toString()`), which works identically under tsx and under vitest
 * (a Worker given a .ts path would not be transformed by vitest).
 */

/**
 * Groups the nodes not removed by connected component. Returns the component
 * of each node (-1 when removed), the nodes of component c in ascending order
 * at `nodes[start[c] .. start[c + 1])`, and the total degree of each
 * component (adjacency slots, removed neighbours included) in `edges[c]`.
 */
export function groupByComponent(
  n: number,
  offsets: Int32Array,
  targets: Int32Array,
  removed: Uint8Array | null,
): { component: Int32Array; start: Int32Array; nodes: Int32Array; edges: Float64Array; count: number } {
  const component = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let count = 0;
  for (let root = 0; root < n; root++) {
    if (component[root] !== -1 || (removed !== null && removed[root] === 1)) continue;
    component[root] = count;
    queue[0] = root;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const v = queue[head++]!;
      for (let k = offsets[v]!, end = offsets[v + 1]!; k < end; k++) {
        const w = targets[k]!;
        if (component[w] === -1 && (removed === null || removed[w] !== 1)) {
          component[w] = count;
          queue[tail++] = w;
        }
      }
    }
    count++;
  }
  const start = new Int32Array(count + 1);
  const edges = new Float64Array(count);
  for (let v = 0; v < n; v++) {
    const c = component[v]!;
    if (c < 0) continue;
    start[c + 1]!++;
    edges[c]! += offsets[v + 1]! - offsets[v]!;
  }
  for (let c = 0; c < count; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, count);
  const nodes = queue; // reused: every entry is rewritten below
  let active = 0;
  for (let v = 0; v < n; v++) {
    const c = component[v]!;
    if (c < 0) continue;
    nodes[fill[c]!++] = v;
    active++;
  }
  return { component, start, nodes: nodes.subarray(0, active), edges, count };
}

/**
 * Adds, for each source `sources[i]` with i = first, first + stride, …, its
 * Brandes dependencies to `out` (unscaled: each ordered pair counted once).
 * Sources that are removed are skipped.
 */
export function brandesBfsKernel(
  n: number,
  offsets: Int32Array,
  targets: Int32Array,
  removed: Uint8Array | null,
  sources: Int32Array,
  first: number,
  stride: number,
  out: Float64Array,
): void {
  // Pull when frontier edges × ALPHA exceed the component's unvisited edges.
  // The pull reads every edge of every unvisited node (no early exit: it
  // needs the whole sum), so it pays only when the frontier is most of it.
  const ALPHA = 2;
  // Smallest component worth a bottom-up step; below it, top-down always.
  const BOTTOM_UP_MIN_NODES = 64;
  const groups = groupByComponent(n, offsets, targets, removed);
  const { component, start, nodes, edges } = groups;
  const dist = unreachedDistances(n, removed);
  const sigma = new Float64Array(n);
  const coeff = new Float64Array(n);
  const frontierSigma = new Float64Array(n);
  const order = new Int32Array(n);
  const levelStart = new Int32Array(n + 2);
  // Adjacency slots of each level, to choose pull or push per level going back.
  const levelEdges = new Float64Array(n + 2);
  const pulled = new Float64Array(n);
  const pushed = new Float64Array(n);
  // 1 when a node has a successor in the current search's DAG (written for
  // every frontier node, so never reset); a node without one has δ = 0.
  const hasSuccessor = new Uint8Array(n);
  // Unvisited nodes of the component while pulling, compacted every level.
  const remaining = new Int32Array(n);

  for (let i = first; i < sources.length; i += stride) {
    const s = sources[i]!;
    if (dist[s] !== -1) continue;
    const c = component[s]!;
    const cFirst = start[c]!;
    const cEnd = start[c + 1]!;
    const bottomUpAllowed = cEnd - cFirst >= BOTTOM_UP_MIN_NODES;
    let frontierEdges = offsets[s + 1]! - offsets[s]!;
    let unvisitedEdges = edges[c]! - frontierEdges;
    dist[s] = 0;
    sigma[s] = 1;
    order[0] = s;
    let tail = 1;
    let a = 0;
    let b = 1;
    let level = 0;
    let unvisited = -1; // length of `remaining`; -1 while not built
    levelStart[0] = 0;
    levelEdges[0] = frontierEdges;
    // Forward: level by level, [a, b) is the frontier at distance `level`.
    for (;;) {
      const next = level + 1;
      let newEdges = 0;
      if (bottomUpAllowed && frontierEdges * ALPHA > unvisitedEdges) {
        for (let j = a; j < b; j++) {
          const v = order[j]!;
          frontierSigma[v] = sigma[v]!;
          // Not known without a test per slot: assume a successor.
          hasSuccessor[v] = 1;
        }
        if (unvisited < 0) {
          unvisited = 0;
          for (let j = cFirst; j < cEnd; j++) {
            const w = nodes[j]!;
            if (dist[w] === -1) remaining[unvisited++] = w;
          }
        }
        let kept = 0;
        for (let j = 0; j < unvisited; j++) {
          const w = remaining[j]!;
          const end = offsets[w + 1]!;
          let sum = 0;
          for (let k = offsets[w]!; k < end; k++) sum += frontierSigma[targets[k]!]!;
          if (sum > 0) {
            dist[w] = next;
            sigma[w] = sum;
            order[tail++] = w;
            newEdges += end - offsets[w]!;
          } else {
            remaining[kept++] = w;
          }
        }
        unvisited = kept;
        for (let j = a; j < b; j++) frontierSigma[order[j]!] = 0;
      } else {
        unvisited = -1; // top-down discoveries make the list stale
        for (let j = a; j < b; j++) {
          const v = order[j]!;
          const sv = sigma[v]!;
          let successor = 0;
          for (let k = offsets[v]!, end = offsets[v + 1]!; k < end; k++) {
            const w = targets[k]!;
            const dw = dist[w]!;
            if (dw === -1) {
              dist[w] = next;
              sigma[w] = sv;
              order[tail++] = w;
              newEdges += offsets[w + 1]! - offsets[w]!;
              successor = 1;
            } else if (dw === next) {
              sigma[w]! += sv;
              successor = 1;
            }
          }
          hasSuccessor[v] = successor;
        }
      }
      unvisitedEdges -= newEdges;
      frontierEdges = newEdges;
      level = next;
      levelStart[level] = b;
      levelEdges[level] = newEdges;
      if (tail === b) break;
      a = b;
      b = tail;
    }
    // Levels 0 .. level − 1 are non-empty; levelStart[level] = tail.
    // Backward: the deepest level has no dependants, so δ = 0 there.
    const deepest = level - 1;
    if (deepest >= 1) {
      for (let j = levelStart[deepest]!, end = levelStart[deepest + 1]!; j < end; j++) {
        const v = order[j]!;
        coeff[v] = 1 / sigma[v]!;
      }
    }
    for (let d = deepest - 1; d >= 1; d--) {
      const from = levelStart[d]!;
      const to = levelStart[d + 1]!;
      if (levelEdges[d + 1]! * 2 < levelEdges[d]!) {
        // The level below is much lighter: push its coefficients up instead
        // (one distance test per slot, but over far fewer slots).
        for (let j = to, end = levelStart[d + 2]!; j < end; j++) {
          const w = order[j]!;
          const cw = coeff[w]!;
          for (let k = offsets[w]!, stop = offsets[w + 1]!; k < stop; k++) {
            const v = targets[k]!;
            if (dist[v] === d) pushed[v]! += cw;
          }
        }
        for (let j = from; j < to; j++) {
          const v = order[j]!;
          const sv = sigma[v]!;
          const delta = sv * pushed[v]!;
          pushed[v] = 0;
          out[v]! += delta;
          coeff[v] = (1 + delta) / sv;
        }
        continue;
      }
      for (let j = from; j < to; j++) {
        const v = order[j]!;
        let sum = 0;
        // A leaf of the search's DAG (about a third of the slots on clustered graphs) sums to 0.
        if (hasSuccessor[v] === 1)
          for (let k = offsets[v]!, end = offsets[v + 1]!; k < end; k++) sum += coeff[targets[k]!]!;
        pulled[j] = sum;
      }
      for (let j = from; j < to; j++) {
        const v = order[j]!;
        const sv = sigma[v]!;
        const delta = sv * pulled[j]!;
        out[v]! += delta;
        coeff[v] = (1 + delta) / sv;
      }
    }
    for (let j = 0; j < tail; j++) {
      const v = order[j]!;
      dist[v] = -1;
      sigma[v] = 0;
      coeff[v] = 0;
    }
  }
}

/**
 * Distances from one search, -1 until reached; removed nodes hold -2, so no
 * test of the mask is needed in the searches' inner loops.
 */
export function unreachedDistances(n: number, removed: Uint8Array | null): Int32Array {
  const dist = new Int32Array(n).fill(-1);
  if (removed !== null) for (let v = 0; v < n; v++) if (removed[v] === 1) dist[v] = -2;
  return dist;
}

/**
 * For each source `sources[i]` with i = first, first + stride, …, writes
 * its closeness (networkx's, with the Wasserman–Faust factor over the nodes
 * not removed) into `closeness[s]` and its harmonic centrality (the sum of
 * 1/d over the nodes it reaches) into `harmonic[s]`. Removed sources are
 * skipped. When `pairsAtDistance` is given, adds to pairsAtDistance[d] the
 * number of nodes each source reaches at distance d (whole numbers, so the
 * sum over all sources is exact and does not depend on the source order).
 */
export function distanceBfsKernel(
  n: number,
  offsets: Int32Array,
  targets: Int32Array,
  removed: Uint8Array | null,
  sources: Int32Array,
  first: number,
  stride: number,
  closeness: Float64Array,
  harmonic: Float64Array,
  pairsAtDistance: Float64Array | null,
): void {
  // The pull stops at the first frontier neighbour, so it pays sooner than
  // in the betweenness kernel.
  const ALPHA = 8;
  const BOTTOM_UP_MIN_NODES = 64;
  const groups = groupByComponent(n, offsets, targets, removed);
  const { component, start, nodes, edges } = groups;
  // networkx's n: the nodes of the graph searched, here those not removed.
  const active = nodes.length;
  const dist = unreachedDistances(n, removed);
  const order = new Int32Array(n);

  for (let i = first; i < sources.length; i += stride) {
    const s = sources[i]!;
    if (dist[s] !== -1) continue;
    const c = component[s]!;
    const cFirst = start[c]!;
    const cEnd = start[c + 1]!;
    const bottomUpAllowed = cEnd - cFirst >= BOTTOM_UP_MIN_NODES;
    let frontierEdges = offsets[s + 1]! - offsets[s]!;
    let unvisitedEdges = edges[c]! - frontierEdges;
    dist[s] = 0;
    order[0] = s;
    let tail = 1;
    let a = 0;
    let b = 1;
    let level = 0;
    let total = 0;
    let inverse = 0;
    for (;;) {
      const next = level + 1;
      let newEdges = 0;
      if (bottomUpAllowed && frontierEdges * ALPHA > unvisitedEdges) {
        for (let j = cFirst; j < cEnd; j++) {
          const w = nodes[j]!;
          if (dist[w] !== -1) continue;
          const end = offsets[w + 1]!;
          for (let k = offsets[w]!; k < end; k++) {
            if (dist[targets[k]!] === level) {
              dist[w] = next;
              order[tail++] = w;
              newEdges += end - offsets[w]!;
              break;
            }
          }
        }
      } else {
        for (let j = a; j < b; j++) {
          const v = order[j]!;
          for (let k = offsets[v]!, end = offsets[v + 1]!; k < end; k++) {
            const w = targets[k]!;
            if (dist[w] === -1) {
              dist[w] = next;
              order[tail++] = w;
              newEdges += offsets[w + 1]! - offsets[w]!;
            }
          }
        }
      }
      const found = tail - b;
      if (found === 0) break;
      total += found * next;
      inverse += found / next;
      if (pairsAtDistance !== null) pairsAtDistance[next]! += found;
      unvisitedEdges -= newEdges;
      frontierEdges = newEdges;
      level = next;
      a = b;
      b = tail;
    }
    const reached = tail;
    // Same operations, in the same order, as networkx.
    closeness[s] = total > 0 && active > 1 ? ((reached - 1) / total) * ((reached - 1) / (active - 1)) : 0;
    harmonic[s] = inverse;
    for (let j = 0; j < tail; j++) dist[order[j]!] = -1;
  }
}
