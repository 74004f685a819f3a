/**
 * A shown path as its hops, in order from its start: each hop's two ends and the
 * evidence of the link between them, and the camera framing every node of it.
 */
import type Graph from 'graphology';
import type Sigma from 'sigma';
import { evidenceOf, type Evidence } from './expand.js';
import type { Visibility } from './model.js';
import type { ViewState } from './state.js';

export interface Hop {
  from: string;
  to: string;
  evidence: Evidence;
}

/** Walks the path's edges from `from`; [] when no path is shown. */
export function pathHops(
  graph: Graph,
  from: string,
  pathNodes: ReadonlySet<string>,
  pathEdges: ReadonlySet<string>,
): Hop[] {
  const hops: Hop[] = [];
  const visited = new Set([from]);
  let at = from;
  for (;;) {
    let next: Hop | null = null;
    graph.forEachEdge(at, (edge, attributes, source, target) => {
      const other = source === at ? target : source;
      if (next || !pathEdges.has(edge) || visited.has(other) || !pathNodes.has(other)) return;
      next = { from: at, to: other, evidence: evidenceOf(edge, attributes) };
    });
    if (!next) return hops;
    hops.push(next);
    visited.add((next as Hop).to);
    at = (next as Hop).to;
  }
}

/** Moves the camera so every one of `nodes` is in view, with a margin. */
export function fitCamera(sigma: Sigma, nodes: Iterable<string>): void {
  let left = Infinity;
  let right = -Infinity;
  let bottom = Infinity;
  let top = -Infinity;
  for (const node of nodes) {
    const display = sigma.getNodeDisplayData(node);
    if (!display) continue;
    left = Math.min(left, display.x);
    right = Math.max(right, display.x);
    bottom = Math.min(bottom, display.y);
    top = Math.max(top, display.y);
  }
  if (!Number.isFinite(left)) return;
  // Display positions are in sigma's framed-graph space, where ratio 1 shows the whole graph.
  const ratio = Math.min(1.2, Math.max(0.05, 1.4 * Math.max(right - left, top - bottom)));
  void sigma.getCamera().animate({ x: (left + right) / 2, y: (bottom + top) / 2, ratio }, { duration: 300 });
}

/** What the camera should frame, keyed so it moves once per change: a path shown, else a subject view; null: nothing. */
export function framing(state: ViewState, visibility: Visibility | null): [string | null, ReadonlySet<string>] {
  if (!visibility) return [null, new Set()];
  if (state.path && visibility.pathNodes.size > 0) return [JSON.stringify(state.path), visibility.pathNodes];
  if (state.subject !== null) return [JSON.stringify([state.subject, state.expanded]), visibility.nodes];
  return [null, new Set()];
}
