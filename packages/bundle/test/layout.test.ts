/**
 * The layout a bundle carries (layout.ts): every node placed, persons pinned
 * in the network view where the projection put them, the same bundle always
 * laid out the same way, and a picture in which communities sit together.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { scenarioRecords } from '@ocgnet/generator';
import { audienceById, defaultAudiences } from '@ocgnet/profiles';
import { parseViewerBundle, type ViewerBundle } from '../src/index.js';
import { buildViewerBundle } from '../src/build.js';
import Graph from 'graphology';
import { layoutBundle, personGroup, seedPositions } from '../src/layout.js';

let bundle: ViewerBundle;

beforeAll(() => {
  const analyst = audienceById(defaultAudiences(), 'police-analyst');
  bundle = buildViewerBundle(scenarioRecords({ size: 'small', seed: 42 }), { audience: analyst, plans: false });
});

const distance = (a: [number, number], b: [number, number]) => Math.hypot(a[0] - b[0], a[1] - b[1]);

describe('layoutBundle', () => {
  it('places every person and every entity of the network at a finite point', () => {
    const { positions, algorithm, iterations } = layoutBundle(bundle);
    expect([algorithm, iterations]).toEqual(['forceatlas2', 300]);
    const keys = new Set([...bundle.graph.nodes, ...bundle.network.nodes].map((node) => node.key));
    expect(new Set(Object.keys(positions))).toEqual(keys);
    for (const [x, y] of Object.values(positions)) expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
  });

  it('pins the persons where the projection put them: the network view moves only the other entities', () => {
    const { positions } = layoutBundle(bundle);
    const personsOnly = layoutBundle({ ...bundle, network: { ...bundle.network, nodes: [], edges: [] } }).positions;
    const networkOnly = bundle.network.nodes.filter((node) => personsOnly[node.key] === undefined);
    expect(networkOnly.length).toBeGreaterThan(0);
    for (const node of bundle.graph.nodes) expect(positions[node.key]).toEqual(personsOnly[node.key]);
  });

  it('lays out the same bundle the same way, and runs ForceAtlas2 for the iterations asked', () => {
    expect(layoutBundle(bundle)).toEqual(layoutBundle(structuredClone(bundle)));
    const seedOnly = layoutBundle(bundle, { iterations: 0 });
    const settled = layoutBundle(bundle, { iterations: 300 });
    const moved = bundle.graph.nodes.filter(
      (node) => distance(seedOnly.positions[node.key]!, settled.positions[node.key]!) > 1e-9,
    );
    expect(moved.length).toBeGreaterThan(bundle.graph.nodes.length / 2);
    expect(() => layoutBundle(bundle, { iterations: -1 })).toThrow(/iterations/);
  });

  it('draws associates closer than strangers: tied persons sit nearer than untied ones, and more so than at the start', () => {
    const meanTiedOverUntied = (positions: Record<string, [number, number]>) => {
      const tied = bundle.graph.edges.map((edge) => distance(positions[edge.source]!, positions[edge.target]!));
      const keys = bundle.graph.nodes.map((node) => node.key);
      const untied: number[] = [];
      // Every 7th pair of persons: enough for a stable mean without n² work.
      for (let i = 0; i < keys.length; i++)
        for (let j = i + 1; j < keys.length; j += 7) untied.push(distance(positions[keys[i]!]!, positions[keys[j]!]!));
      const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
      return mean(tied) / mean(untied);
    };
    const start = meanTiedOverUntied(layoutBundle(bundle, { iterations: 0 }).positions);
    const settled = meanTiedOverUntied(layoutBundle(bundle).positions);
    expect(settled).toBeLessThan(0.5);
    expect(settled).toBeLessThan(start);
  });

  it('starts groups that share many ties next to each other, and keeps their discs apart', () => {
    // Three communities of 30: a–c share 40 ties, a–b and b–c one each. A circle (the old
    // start) puts all three equally far apart.
    const graph = new Graph({ type: 'undirected' });
    const members = (group: string) => Array.from({ length: 30 }, (_x, i) => `${group}${i}`);
    for (const group of ['a', 'b', 'c']) {
      for (const node of members(group)) graph.addNode(node, { community: group });
      for (let i = 0; i < 30; i++) graph.mergeEdge(`${group}${i}`, `${group}${(i + 1) % 30}`);
    }
    for (let i = 0; i < 40; i++) graph.mergeEdge(`a${i % 30}`, `c${(i * 7) % 30}`);
    graph.mergeEdge('a0', 'b0');
    graph.mergeEdge('b1', 'c1');
    seedPositions(graph, personGroup);
    const centre = (group: string): [number, number] => {
      const nodes = members(group).map((node) => graph.getNodeAttributes(node));
      return [
        nodes.reduce((sum, node) => sum + node.x, 0) / nodes.length,
        nodes.reduce((sum, node) => sum + node.y, 0) / nodes.length,
      ];
    };
    const [a, b, c] = [centre('a'), centre('b'), centre('c')];
    expect(distance(a, c)).toBeLessThan(0.9 * Math.min(distance(a, b), distance(b, c)));
    // Each disc's radius is 10 + 3√30 ≈ 26.4: the closest centres stay about a radius apart.
    expect(distance(a, c)).toBeGreaterThan(20);
  });

  it('is carried by the bundle contract', () => {
    const laidOut = { ...bundle, layout: layoutBundle(bundle) };
    expect(parseViewerBundle(JSON.parse(JSON.stringify(laidOut))).layout).toEqual(laidOut.layout);
  });
});
