/**
 * The benchmark's baseline (test/bench/viewer.ts): bare sigma drawing the
 * served bundle's person projection at its stored positions, with the
 * viewer's sigma settings and no reducers, no interface. Built by the
 * benchmark, never part of the viewer's dist/.
 */
import Graph from 'graphology';
import Sigma from 'sigma';
import FA2Layout from 'graphology-layout-forceatlas2/worker';
import type { ViewerBundle } from '@ocgnet/bundle';
import { LayoutRunner, layoutSettings } from '../src/layoutRunner.js';

interface BareHooks {
  sigma: Sigma | null;
  /** Iterations per second of a ForceAtlas2 worker (the viewer's, or graphology's own) on a copy of the graph that nothing draws. */
  layoutRate(ms: number, worker: 'viewer' | 'graphology'): Promise<number>;
}

function personGraph(bundle: ViewerBundle): Graph {
  const graph = new Graph({ type: 'undirected' });
  const positions = bundle.layout?.positions ?? {};
  for (const node of bundle.graph.nodes) {
    const at = positions[node.key] ?? [Math.random(), Math.random()];
    graph.addNode(node.key, { x: at[0], y: at[1], size: 3, color: '#1f77b4' });
  }
  for (const edge of bundle.graph.edges)
    if (!graph.hasEdge(edge.source, edge.target))
      graph.addEdge(edge.source, edge.target, { size: 0.6, color: '#b4bcc5' });
  // Sized by degree, as the viewer sizes by default.
  let most = 1;
  graph.forEachNode((node) => (most = Math.max(most, graph.degree(node))));
  graph.forEachNode((node) => graph.setNodeAttribute(node, 'size', 3 + 12 * Math.sqrt(graph.degree(node) / most)));
  return graph;
}

const wait = (ms: number) => new Promise((done) => setTimeout(done, ms));

function layoutRateOf(graph: Graph) {
  return async (ms: number, worker: 'viewer' | 'graphology'): Promise<number> => {
    const copy = graph.copy();
    let count: () => number;
    let kill: () => void;
    if (worker === 'viewer') {
      const runner = new LayoutRunner(copy);
      runner.start();
      count = () => runner.iterations;
      kill = () => runner.kill();
    } else {
      const layout = new FA2Layout(copy, { settings: layoutSettings(copy), getEdgeWeight: null });
      let iterations = 0;
      copy.on('eachNodeAttributesUpdated', () => (iterations += 1));
      layout.start();
      count = () => iterations;
      kill = () => layout.kill();
    }
    await wait(1000);
    const start = count();
    await wait(ms);
    const rate = ((count() - start) * 1000) / ms;
    kill();
    return rate;
  };
}

const hooks: BareHooks = { sigma: null, layoutRate: () => Promise.resolve(Number.NaN) };
(window as unknown as { __bare: BareHooks }).__bare = hooks;

void (async () => {
  const bundle = (await (await fetch('/api/bundle')).json()) as ViewerBundle;
  const graph = personGraph(bundle);
  hooks.layoutRate = layoutRateOf(graph);
  hooks.sigma = new Sigma(graph, document.getElementById('stage')!, {
    labelRenderedSizeThreshold: 9,
    labelDensity: 0.4,
    zIndex: false,
    hideEdgesOnMove: graph.size > 10_000,
    renderEdgeLabels: false,
    minEdgeThickness: 0.6,
  });
})();
