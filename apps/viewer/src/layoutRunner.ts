/**
 * The page's side of the ForceAtlas2 worker (layout.worker.ts): it sends the
 * graph as flat matrices, keeps only the newest positions the worker posts,
 * and writes them into the graph once per animation frame (sigma then
 * redraws once). Drawing never holds the worker back.
 */
import type Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import FA2_DEFAULTS from 'graphology-layout-forceatlas2/defaults.js';
import { assignLayoutChanges, graphToByteArrays } from 'graphology-layout-forceatlas2/helpers.js';
import type { LayoutPositions, LayoutRequest } from './layout.worker.js';

/**
 * The viewer's ForceAtlas2 settings for a graph, complete (one iteration reads every one):
 * the defaults, then inferred, Barnes–Hut above 1,000 nodes, sizes ignored.
 */
export function layoutSettings(graph: Graph) {
  return {
    ...FA2_DEFAULTS,
    ...forceAtlas2.inferSettings(graph),
    barnesHutOptimize: graph.order > 1000,
    adjustSizes: false,
  };
}

export class LayoutRunner {
  #worker: Worker;
  #running = false;
  #pending: Float32Array | null = null;
  #frame = 0;
  /** Iterations of earlier starts, plus the worker's count in this one. */
  #before = 0;
  #current = 0;
  /** Called after positions were written into the graph. */
  onPositions: (() => void) | null = null;

  constructor(readonly graph: Graph) {
    this.#worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    this.#worker.onmessage = (event: MessageEvent<LayoutPositions>) => {
      if (!this.#running) return;
      this.#current = event.data.iterations;
      this.#pending = event.data.nodes;
      if (this.#frame !== 0 || this.#timer !== 0) return;
      const wait = this.#lastApply + this.drawEveryMs - performance.now();
      if (wait <= 0) this.#frame = requestAnimationFrame(this.#apply);
      else
        this.#timer = window.setTimeout(() => {
          this.#timer = 0;
          this.#frame = requestAnimationFrame(this.#apply);
        }, wait);
    };
  }

  /**
   * Least time between two drawings of the layout. On two cores the page's redraws (and a
   * software GPU's) take the CPU the worker needs: large graphs are drawn a few times a second.
   */
  drawEveryMs = 0;
  #lastApply = -Infinity;
  #timer = 0;

  #apply = (): void => {
    this.#frame = 0;
    this.#lastApply = performance.now();
    const nodes = this.#pending;
    this.#pending = null;
    if (!nodes || !this.#running) return;
    assignLayoutChanges(this.graph, nodes, null);
    this.#send({ type: 'taken' });
    this.onPositions?.();
  };

  #send(request: LayoutRequest, transfer: Transferable[] = []): void {
    this.#worker.postMessage(request, transfer);
  }

  get running(): boolean {
    return this.#running;
  }

  get iterations(): number {
    return this.#before + this.#current;
  }

  /** Starts (again) from the graph's current positions. */
  start(): void {
    if (this.#running) return;
    const { nodes, edges } = graphToByteArrays(this.graph, () => 1);
    this.#running = true;
    this.#send({ type: 'start', nodes, edges, settings: layoutSettings(this.graph) }, [nodes.buffer, edges.buffer]);
  }

  stop(): void {
    if (!this.#running) return;
    this.#send({ type: 'stop' });
    // The newest positions already received are kept.
    if (this.#pending) this.#apply();
    this.#running = false;
    this.#before += this.#current;
    this.#current = 0;
  }

  kill(): void {
    this.#running = false;
    if (this.#frame !== 0) cancelAnimationFrame(this.#frame);
    if (this.#timer !== 0) clearTimeout(this.#timer);
    this.#worker.terminate();
  }
}
