/**
 * Intersections of sorted adjacency lists on the CSR snapshot, shared by the
 * triangle-based measures (clustering, Burt's constraint and effective size).
 */

/** First slot in [from, to) whose target is ≥ value (targets are sorted per node). */
export function lowerBound(targets: Int32Array, from: number, to: number, value: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (targets[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Beyond this length ratio, binary search beats a linear merge. */
const GALLOP_RATIO = 16;

/**
 * Common targets of the sorted slot ranges [aFrom, aTo) and [bFrom, bTo):
 * writes the matching slots to outA/outB and returns how many. A linear merge
 * when the ranges are of similar length; otherwise each target of the shorter
 * is binary-searched in the longer, so a hub costs O(small · log hub), not O(hub).
 */
export function commonTargets(
  targets: Int32Array,
  aFrom: number,
  aTo: number,
  bFrom: number,
  bTo: number,
  outA: Int32Array,
  outB: Int32Array,
): number {
  const aLength = aTo - aFrom;
  const bLength = bTo - bFrom;
  let found = 0;
  if (aLength > GALLOP_RATIO * bLength || bLength > GALLOP_RATIO * aLength) {
    const aShorter = aLength <= bLength;
    const [sFrom, sTo, lTo] = aShorter ? [aFrom, aTo, bTo] : [bFrom, bTo, aTo];
    let lo = aShorter ? bFrom : aFrom;
    for (let s = sFrom; s < sTo; s++) {
      lo = lowerBound(targets, lo, lTo, targets[s]!);
      if (lo === lTo) break;
      if (targets[lo] === targets[s]) {
        outA[found] = aShorter ? s : lo;
        outB[found++] = aShorter ? lo : s;
      }
    }
    return found;
  }
  let a = aFrom;
  let b = bFrom;
  while (a < aTo && b < bTo) {
    const x = targets[a]!;
    const y = targets[b]!;
    if (x < y) a++;
    else if (y < x) b++;
    else {
      outA[found] = a++;
      outB[found++] = b++;
    }
  }
  return found;
}
