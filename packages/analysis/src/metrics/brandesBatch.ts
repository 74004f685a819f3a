/**
 * Brandes betweenness from up to 32 sources at once, sharing one walk of
 * the graph: a multi-source breadth-first search with one bit per source
 * (Then et al., "The more the merrier: efficient multi-source graph
 * traversal", VLDB 2015), carrying Brandes' path counts and dependencies
 * (Brandes 2001) per source bit.
 *
 * Why: on clustered graphs a single-source search is bound by one random
 * read per adjacency slot (about 6 ns here, for a bare BFS). When the 32
 * sources of a batch sit close together, a node is on the frontier of most
 * of them at one or two levels, so one read of its adjacency serves them
 * all; the per-source work left is one add per arc of each source's
 * shortest-path DAG, on a block of 32 values that is already in cache.
 * Sources are batched as balls: the nearest unbatched sources to the first
 * unbatched one.
 *
 * Layout: `value[v * 32 + b]` holds σ_b(v) going forward, and is turned
 * into the coefficient (1 + δ_b(v)) / σ_b(v) in place going back, once
 * σ_b(v) has been used. The level lists hold (node, mask) pairs: the node
 * is at that distance from the sources whose bits are set.
 *
 * Going back, `upper[w]` is w's mask at the level just processed below the
 * current one. A node u at level L for source b has neighbours at L − 1, L
 * or L + 1 for b; `upper[w]` holds only bits of sources for which w is at
 * the smallest level above L where w appears, so `mask(u) & upper[w]` is
 * exactly the set of sources for which u → w is a DAG arc.
 *
 * When it pays: when the sources cover most of the graph (exact
 * betweenness, the removal loop). A few hundred random pivots on a large
 * graph share too little for it, and there the direction-optimising
 * single-source kernel (bfsKernels.ts) is faster; the batch values also
 * cost 256 bytes per node. `useBatchKernel` decides.
 *
 * SELF-CONTAINED like bfsKernels.ts (no imports, nothing at module scope):
 * parallel/pool.ts ships these functions to workers as source text.
 */

/** Largest graph the batch kernel takes: its values are 256 bytes per node (51 MB here). */
export const BATCH_KERNEL_MAX_NODES = 200_000;

/**
 * Whether the batch kernel is the faster one for these sources: they must
 * be at least half the nodes, on a graph of at most BATCH_KERNEL_MAX_NODES.
 * (Measured: exact betweenness 1.6× faster on the medium fixture and 1.2× on
 * BA 10k; 256 random pivots on BA 100k 1.6× slower.)
 */
export function useBatchKernel(n: number, sources: number): boolean {
  return n <= BATCH_KERNEL_MAX_NODES && sources * 2 >= n;
}

/**
 * Orders `sources` (removed ones left out, repeats kept) into batches of at
 * most 32, each grown as a ball around the smallest unbatched source.
 * Returns the ordered sources and the batch boundaries.
 */
export function batchSources(
  n: number,
  offsets: Int32Array,
  targets: Int32Array,
  removed: Uint8Array | null,
  sources: Int32Array,
): { ordered: Int32Array; batchStart: Int32Array; batches: number } {
  const BATCH = 32;
  // Adjacency slots one ball may scan: late batches, whose sources are
  // scattered, would otherwise walk the whole graph each (O(n·m / 32) in all).
  const SCAN_LIMIT = 1 << 16;
  const pending = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < sources.length; i++) {
    const s = sources[i]!;
    if (removed !== null && removed[s] === 1) continue;
    pending[s]!++;
    total++;
  }
  const ordered = new Int32Array(total);
  const batchStart = new Int32Array(Math.ceil(total / BATCH) + 1);
  const mark = new Int32Array(n); // search number that last reached the node
  const queue = new Int32Array(n);
  let placed = 0;
  let batches = 0;
  let search = 0;
  let cursor = 0;
  while (placed < total) {
    batchStart[batches++] = placed;
    const limit = Math.min(total, placed + BATCH);
    // Grow the ball; when its component runs out of sources or the scan
    // limit is reached, go on from the next unbatched source, so every batch
    // but the last is full.
    let scanned = 0;
    while (placed < limit) {
      while (pending[cursor] === 0) cursor++;
      search++;
      mark[cursor] = search;
      queue[0] = cursor;
      let head = 0;
      let tail = 1;
      while (head < tail && placed < limit) {
        const v = queue[head++]!;
        while (pending[v]! > 0 && placed < limit) {
          ordered[placed++] = v;
          pending[v]!--;
        }
        if (scanned > SCAN_LIMIT) continue;
        scanned += offsets[v + 1]! - offsets[v]!;
        for (let k = offsets[v]!, end = offsets[v + 1]!; k < end; k++) {
          const w = targets[k]!;
          if (mark[w] !== search && (removed === null || removed[w] !== 1)) {
            mark[w] = search;
            queue[tail++] = w;
          }
        }
      }
    }
  }
  batchStart[batches] = total;
  return { ordered, batchStart: batchStart.subarray(0, batches + 1), batches };
}

/**
 * Adds, for each batch j = first, first + stride, … of `batchSources`'
 * batches, its sources' Brandes dependencies to `out` (unscaled: each
 * ordered pair counted once). Removed nodes are never reached.
 */
export function brandesBatchKernel(
  n: number,
  offsets: Int32Array,
  targets: Int32Array,
  removed: Uint8Array | null,
  sources: Int32Array,
  first: number,
  stride: number,
  out: Float64Array,
): void {
  const B = 32;
  const { ordered, batchStart, batches } = batchSources(n, offsets, targets, removed, sources);
  // Sources that have reached each node; removed nodes count as reached by all.
  const seen = new Int32Array(n);
  if (removed !== null) for (let v = 0; v < n; v++) if (removed[v] === 1) seen[v] = -1;
  const nextMask = new Int32Array(n);
  const upper = new Int32Array(n);
  const value = new Float64Array(n * B);
  const sums = new Float64Array(B);
  const levelStart = new Int32Array(n + 2);
  let capacity = 4 * n + B;
  let levelNode = new Int32Array(capacity);
  let levelMask = new Int32Array(capacity);

  for (let batch = first; batch < batches; batch += stride) {
    const from = batchStart[batch]!;
    const to = batchStart[batch + 1]!;
    // Level 0: the sources themselves (a repeated source is one entry with two bits).
    let size = 0;
    for (let i = from; i < to; i++) {
      const s = ordered[i]!;
      const bit = 1 << (i - from);
      if (nextMask[s] === 0) levelNode[size++] = s;
      nextMask[s]! |= bit;
      value[s * B + (i - from)] = 1;
    }
    for (let e = 0; e < size; e++) {
      const v = levelNode[e]!;
      levelMask[e] = nextMask[v]!;
      seen[v]! |= nextMask[v]!;
      nextMask[v] = 0;
    }
    levelStart[0] = 0;
    levelStart[1] = size;
    let levels = 1;

    // Forward: level L's (node, mask) entries discover level L + 1 for the
    // sources in the mask that have not reached the neighbour yet; every such
    // (source, arc) adds the path count.
    for (let a = 0, b = size; a < b;) {
      for (let e = a; e < b; e++) {
        const v = levelNode[e]!;
        const mask = levelMask[e]!;
        const vBase = v * B;
        for (let k = offsets[v]!, end = offsets[v + 1]!; k < end; k++) {
          const w = targets[k]!;
          let arcs = mask & ~seen[w]!;
          if (arcs === 0) continue;
          if (nextMask[w] === 0) {
            if (size === capacity) {
              capacity *= 2;
              const grownNodes = new Int32Array(capacity);
              grownNodes.set(levelNode);
              levelNode = grownNodes;
              const grownMasks = new Int32Array(capacity);
              grownMasks.set(levelMask);
              levelMask = grownMasks;
            }
            levelNode[size++] = w;
          }
          nextMask[w]! |= arcs;
          const wBase = w * B;
          while (arcs !== 0) {
            const low = arcs & -arcs;
            const bit = 31 - Math.clz32(low);
            value[wBase + bit]! += value[vBase + bit]!;
            arcs ^= low;
          }
        }
      }
      for (let e = b; e < size; e++) {
        const w = levelNode[e]!;
        levelMask[e] = nextMask[w]!;
        seen[w]! |= nextMask[w]!;
        nextMask[w] = 0;
      }
      if (size === b) break;
      levelStart[++levels] = size;
      a = b;
      b = size;
    }

    // Backward, deepest level first: δ_b(u) = σ_b(u) Σ_{DAG arcs u→w} coeff_b(w).
    for (let level = levels - 1; level >= 1; level--) {
      const start = levelStart[level]!;
      const end = levelStart[level + 1]!;
      for (let e = start; e < end; e++) {
        const u = levelNode[e]!;
        const mask = levelMask[e]!;
        const uBase = u * B;
        let bits = mask;
        while (bits !== 0) {
          const low = bits & -bits;
          sums[31 - Math.clz32(low)] = 0;
          bits ^= low;
        }
        for (let k = offsets[u]!, stop = offsets[u + 1]!; k < stop; k++) {
          const w = targets[k]!;
          let arcs = mask & upper[w]!;
          if (arcs === 0) continue;
          const wBase = w * B;
          while (arcs !== 0) {
            const low = arcs & -arcs;
            const bit = 31 - Math.clz32(low);
            sums[bit]! += value[wBase + bit]!;
            arcs ^= low;
          }
        }
        let total = 0;
        bits = mask;
        while (bits !== 0) {
          const low = bits & -bits;
          const bit = 31 - Math.clz32(low);
          const sigma = value[uBase + bit]!;
          const delta = sigma * sums[bit]!;
          total += delta;
          value[uBase + bit] = (1 + delta) / sigma;
          bits ^= low;
        }
        out[u]! += total;
      }
      // Only now: nodes of this level must not look like successors of each other.
      for (let e = start; e < end; e++) upper[levelNode[e]!] = levelMask[e]!;
    }

    // Reset what the batch touched.
    for (let e = 0; e < size; e++) {
      const v = levelNode[e]!;
      seen[v] = 0;
      upper[v] = 0;
      value.fill(0, v * B, v * B + B);
    }
  }
}
