/**
 * ForceAtlas2 iterating freely off the main thread. graphology's own worker
 * waits for the page after every iteration (it hands its one buffer back and
 * forth), so a slow redraw slowed the layout; here the worker never waits:
 * it iterates in slices and posts a copy of the positions only when the page
 * has taken the previous one, so the page draws at most once per frame.
 */
import iterate from 'graphology-layout-forceatlas2/iterate.js';
import type { ForceAtlas2Settings } from 'graphology-layout-forceatlas2';

export type LayoutRequest =
  | { type: 'start'; nodes: Float32Array; edges: Float32Array; settings: ForceAtlas2Settings }
  | { type: 'stop' }
  /** The page took the last positions: the next slice may post again. */
  | { type: 'taken' };

export interface LayoutPositions {
  type: 'positions';
  nodes: Float32Array;
  /** Iterations since this start. */
  iterations: number;
}

/** Iterate this long between looks at the message queue. */
const SLICE_MS = 12;

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutPositions, transfer: Transferable[]): void;
};

let run: { nodes: Float32Array; edges: Float32Array; settings: ForceAtlas2Settings } | null = null;
let iterations = 0;
let waiting = false;
let scheduled = false;

function post(): void {
  if (!run || waiting) return;
  waiting = true;
  const copy = run.nodes.slice();
  scope.postMessage({ type: 'positions', nodes: copy, iterations }, [copy.buffer]);
}

function slice(): void {
  scheduled = false;
  if (!run) return;
  const until = performance.now() + SLICE_MS;
  do {
    iterate(run.settings, run.nodes, run.edges);
    iterations += 1;
  } while (performance.now() < until);
  post();
  schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(slice, 0);
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === 'start') {
    run = { nodes: request.nodes, edges: request.edges, settings: request.settings };
    iterations = 0;
    waiting = false;
    schedule();
  } else if (request.type === 'stop') run = null;
  else {
    waiting = false;
    post();
  }
};
