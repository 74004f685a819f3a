/**
 * Navigation against networkx 3.6 (test/reference/paths.py), on every public
 * dataset and the small fixture's projection: for a seeded sample of 20 node
 * pairs per graph, all shortest paths (as sets) and the k shortest loopless
 * paths (the sequence of lengths, and the paths of each length class) in
 * three modes; for 5 seeded centres per graph, ego networks of radius 1–3.
 *
 * Modes: unweighted; weighted with d = w (networkx's `weight='weight'`); and
 * weighted with d = 1/w, which networkx computes here in exact rational
 * arithmetic, so that ties hold exactly as the tolerance in `search.ts` means them to.
 */
import { describe, expect, it } from 'vitest';
import { runReference } from '../../../../test/reference/python.js';
import { edgeListOf, loadAllTestGraphs } from '../graphs.fixtures.js';
import { allShortestPaths, egoNetwork, kShortestPaths, type PathSearchOptions } from '../../src/navigation/index.js';
import { compareSequences, sampleNodes, samplePairs, seedOf } from './navigation.fixtures.js';

const PAIRS = 20;
const CENTRES = 5;
const K = 5;
const CAP = 20_000;

type Mode = 'unweighted' | 'weight' | 'inverse';
const MODES: Record<Mode, Partial<PathSearchOptions>> = {
  unweighted: { weighted: false },
  weight: { weighted: true, distance: 'weight' },
  inverse: { weighted: true, distance: 'inverse' },
};

interface SimplePath {
  path: string[];
  length: number;
  exact: string;
}
interface Reference {
  networkx: string;
  graphs: {
    name: string;
    pairs: {
      a: string;
      b: string;
      shortest: Record<Mode, { paths: string[][]; truncated: boolean }>;
      simple: Record<Mode, { paths: SimplePath[]; complete: boolean }>;
    }[];
    egos: { centre: string; radius: number; nodes: string[]; edges: [string, string][] }[];
  }[];
}

const graphs = await loadAllTestGraphs();
const reference = runReference<Reference>('paths.py', {
  graphs: graphs.map((testGraph) => ({
    ...edgeListOf(testGraph),
    pairs: samplePairs(testGraph.graph, PAIRS, seedOf(testGraph.name)),
    centres: sampleNodes(testGraph.graph, CENTRES, seedOf(`${testGraph.name}/ego`)),
    k: K,
    maxPaths: CAP,
  })),
});

const key = (nodes: readonly string[]) => JSON.stringify(nodes);
const relativelyClose = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe.each(graphs.map((testGraph, i) => ({ ...testGraph, expected: reference.graphs[i]! })))(
  '$name',
  ({ graph, expected }) => {
    it('finds every shortest path networkx finds, and no other', () => {
      let compared = 0;
      for (const pair of expected.pairs) {
        for (const mode of Object.keys(MODES) as Mode[]) {
          const nx = pair.shortest[mode];
          const ours = allShortestPaths(graph, pair.a, pair.b, { ...MODES[mode], maxPaths: CAP });
          const context = `${pair.a} → ${pair.b} (${mode})`;
          if (nx.truncated) {
            expect(ours.count, context).toBeGreaterThan(CAP);
            continue;
          }
          expect(new Set(ours.paths.map((path) => key(path.nodes))), context).toEqual(new Set(nx.paths.map(key)));
          expect(ours.count, context).toBe(nx.paths.length);
          expect(ours.truncated, context).toBe(false);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(0);
    });

    it('finds the k shortest loopless paths in networkx order of lengths, class by class', () => {
      for (const pair of expected.pairs) {
        for (const mode of Object.keys(MODES) as Mode[]) {
          const nx = pair.simple[mode];
          const ours = kShortestPaths(graph, pair.a, pair.b, K, MODES[mode]);
          const context = `${pair.a} → ${pair.b} (${mode})`;
          const firstK = nx.paths.slice(0, K);
          expect(ours.length, context).toBe(firstK.length);
          ours.forEach((path, i) => {
            expect(
              relativelyClose(path.distance, firstK[i]!.length),
              `${context} #${i}: ${path.distance} vs ${firstK[i]!.length}`,
            ).toBe(true);
            expect(new Set(path.nodes).size, `${context} #${i} is loopless`).toBe(path.nodes.length);
          });
          // Length classes by networkx's exact lengths; ours line up index by index.
          const classes = new Map<string, { ours: Set<string>; nx: Set<string>; nxAll: Set<string> }>();
          ours.forEach((path, i) => {
            const exact = firstK[i]!.exact;
            if (!classes.has(exact)) classes.set(exact, { ours: new Set(), nx: new Set(), nxAll: new Set() });
            classes.get(exact)!.ours.add(key(path.nodes));
            classes.get(exact)!.nx.add(key(firstK[i]!.path));
          });
          for (const entry of nx.paths) classes.get(entry.exact)?.nxAll.add(key(entry.path));
          const last = firstK[firstK.length - 1]?.exact;
          for (const [exact, sets] of classes) {
            if (exact !== last) expect(sets.ours, `${context}, length ${exact}`).toEqual(sets.nx);
            else if (nx.complete)
              for (const path of sets.ours) expect(sets.nxAll, `${context}, last length ${exact}`).toContain(path);
          }
          // Ranked by distance, then hops, then node keys.
          for (let i = 1; i < ours.length; i++) {
            const [p, q] = [ours[i - 1]!, ours[i]!];
            const sameDistance = relativelyClose(p.distance, q.distance);
            if (!sameDistance) expect(p.distance, context).toBeLessThan(q.distance);
            else if (p.length !== q.length) expect(p.length, context).toBeLessThan(q.length);
            else expect(compareSequences(p.nodes, q.nodes), context).toBeLessThan(0);
          }
        }
      }
    });

    it('builds the ego networks networkx builds, radius 1 to 3', () => {
      for (const ego of expected.egos) {
        const ours = egoNetwork(graph, ego.centre, { radius: ego.radius });
        const context = `${ego.centre}, radius ${ego.radius}`;
        expect(ours.graph.nodes().sort(), context).toEqual(ego.nodes);
        const edges = ours.graph.mapEdges((_e, _a, source, target) => [source, target].sort() as [string, string]);
        expect(edges.map((edge) => key(edge)).sort(), context).toEqual(ego.edges.map((edge) => key(edge)).sort());
        for (const [node, distance] of Object.entries(ours.distance))
          expect(distance, `${context}: ${node}`).toBeLessThanOrEqual(ego.radius);
        expect(ours.distance[ego.centre]).toBe(0);
      }
    });
  },
);
