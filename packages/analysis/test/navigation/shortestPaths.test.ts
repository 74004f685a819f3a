import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Graph from 'graphology';
import { describe, expect, it } from 'vitest';
import { strictestMarking, type Marking } from '@ocgnet/schema';
import { SMALL_FIXTURE, loadSmallProjection } from '../graphs.fixtures.js';
import { NavigationError, allShortestPaths } from '../../src/navigation/index.js';
import { graphOf } from './navigation.fixtures.js';

/** a–b–d and a–c–d: two shortest paths of two hops; e is an isolate. */
const diamond = () =>
  graphOf(
    [
      ['a', 'b', 1],
      ['a', 'c', 4],
      ['b', 'd', 1],
      ['c', 'd', 4],
    ],
    ['e'],
  );

describe('allShortestPaths', () => {
  it('finds both shortest paths of a diamond, in key order, with their hops', () => {
    const result = allShortestPaths(diamond(), 'a', 'd');
    expect(result.paths.map((path) => path.nodes)).toEqual([
      ['a', 'b', 'd'],
      ['a', 'c', 'd'],
    ]);
    expect(result).toMatchObject({ source: 'a', target: 'd', count: 2, truncated: false, distance: 2 });
    const [first] = result.paths;
    expect(first!.length).toBe(2);
    expect(first!.distance).toBe(2);
    expect(first!.hops.map((hop) => [hop.from, hop.to, hop.weight, hop.distance])).toEqual([
      ['a', 'b', 1, 1],
      ['b', 'd', 1, 1],
    ]);
    // A research graph has no markings: every hop, and so the path, is P.
    expect(first!.marking).toEqual({ handling: 'P', conditions: [] });
    expect(first!.hops[0]!.channels).toBeUndefined();
    expect(first!.hops[0]!.evidence).toBeUndefined();
  });

  it('caps the paths at maxPaths and says so', () => {
    const result = allShortestPaths(diamond(), 'a', 'd', { maxPaths: 1 });
    expect(result.paths.map((path) => path.nodes)).toEqual([['a', 'b', 'd']]);
    expect(result.count).toBe(2);
    expect(result.truncated).toBe(true);
  });

  it('counts exponentially many paths without listing them', () => {
    // A chain of 30 diamonds: 2^30 shortest paths.
    const edges: [string, string][] = [];
    for (let i = 0; i < 30; i++)
      edges.push([`n${i}`, `u${i}`], [`n${i}`, `l${i}`], [`u${i}`, `n${i + 1}`], [`l${i}`, `n${i + 1}`]);
    const result = allShortestPaths(graphOf(edges), 'n0', 'n30');
    expect(result.count).toBe(2 ** 30);
    expect(result.paths).toHaveLength(1000);
    expect(result.truncated).toBe(true);
    expect(result.paths[0]!.nodes.slice(0, 3)).toEqual(['n0', 'l0', 'n1']);
  });

  it('reads association weights as strengths by default, or as distances', () => {
    // Weighted, inverse: a–c–d costs 1/4 + 1/4, a–b–d costs 1 + 1.
    expect(allShortestPaths(diamond(), 'a', 'd', { weighted: true }).paths.map((path) => path.nodes)).toEqual([
      ['a', 'c', 'd'],
    ]);
    const asDistance = allShortestPaths(diamond(), 'a', 'd', { weighted: true, distance: 'weight' });
    expect(asDistance.paths.map((path) => path.nodes)).toEqual([['a', 'b', 'd']]);
    expect(asDistance.distance).toBe(2);
    const inverse = allShortestPaths(diamond(), 'a', 'd', { weighted: true });
    expect(inverse.distance).toBe(0.5);
    expect(inverse.paths[0]!.hops.map((hop) => [hop.weight, hop.distance])).toEqual([
      [4, 0.25],
      [4, 0.25],
    ]);
  });

  it('keeps paths whose inverse distances tie but round differently', () => {
    // 1/2 + 1/2 + 1/6 and 1/6 + 1/2 + 1/2 differ in the last bit of a double.
    const graph = graphOf([
      ['s', 'x', 2],
      ['x', 'y', 2],
      ['y', 't', 6],
      ['s', 'p', 6],
      ['p', 'q', 2],
      ['q', 't', 2],
    ]);
    expect(1 / 2 + 1 / 2 + 1 / 6).not.toBe(1 / 6 + 1 / 2 + 1 / 2);
    expect(allShortestPaths(graph, 's', 't', { weighted: true }).count).toBe(2);
    expect(allShortestPaths(graph, 's', 't', { weighted: true, tolerance: 0 }).count).toBe(1);
  });

  it('gives no paths, not an error, between unconnected nodes', () => {
    expect(allShortestPaths(diamond(), 'a', 'e')).toEqual({
      source: 'a',
      target: 'e',
      paths: [],
      count: 0,
      truncated: false,
      distance: null,
    });
  });

  it('gives the single path of no hops from a node to itself', () => {
    const result = allShortestPaths(diamond(), 'b', 'b');
    expect(result.paths.map((path) => path.nodes)).toEqual([['b']]);
    expect(result.paths[0]!.marking).toEqual({ handling: 'P', conditions: [] });
  });

  it('throws a typed error naming an unknown node', () => {
    const call = () => allShortestPaths(diamond(), 'a', 'nobody');
    expect(call).toThrow(NavigationError);
    expect(call).toThrow(/^@ocgnet\/analysis\/navigation: target "nobody"/);
    try {
      allShortestPaths(diamond(), 'ghost', 'a');
    } catch (error) {
      expect((error as NavigationError).name).toBe('NavigationError');
      expect((error as NavigationError).code).toBe('UNKNOWN_NODE');
      expect((error as Error).message).toContain('"ghost"');
    }
  });

  it('rejects bad options with a typed error', () => {
    expect(() => allShortestPaths(diamond(), 'a', 'd', { maxPaths: 0 })).toThrow(/maxPaths/);
    expect(() => allShortestPaths(diamond(), 'a', 'd', { distance: 'log' as 'weight' })).toThrow(/distance/);
    expect(() => allShortestPaths(diamond(), 'a', 'd', { tolerance: -1 })).toThrow(NavigationError);
  });

  it('lists every edge joining a pair in a multigraph, their weights summed', () => {
    const graph = new Graph({ type: 'undirected', multi: true });
    graph.mergeUndirectedEdgeWithKey('e1', 'a', 'b', {
      weight: 2,
      marking: { handling: 'C', conditions: ['no-share'] },
    });
    graph.mergeUndirectedEdgeWithKey('e2', 'a', 'b', { weight: 3 });
    graph.mergeUndirectedEdgeWithKey('e3', 'b', 'c', { weight: 1, marking: { handling: 'P', conditions: [] } });
    const [path] = allShortestPaths(graph, 'a', 'c', { weighted: true, distance: 'weight' }).paths;
    expect(path!.hops[0]).toMatchObject({ edge: 'e1', edges: ['e1', 'e2'], weight: 5, distance: 5 });
    expect(path!.hops[0]!.marking).toEqual({ handling: 'C', conditions: ['no-share'] });
    expect(path!.distance).toBe(6);
    expect(path!.marking).toEqual({ handling: 'C', conditions: ['no-share'] });
  });

  it('follows arcs either way in a directed graph', () => {
    const graph = new Graph({ type: 'directed' });
    graph.mergeEdgeWithKey('ab', 'a', 'b');
    graph.mergeEdgeWithKey('cb', 'c', 'b');
    graph.mergeEdgeWithKey('bc', 'b', 'c');
    const [path] = allShortestPaths(graph, 'a', 'c').paths;
    expect(path!.nodes).toEqual(['a', 'b', 'c']);
    expect(path!.hops[1]!.edges.sort()).toEqual(['bc', 'cb']);
  });
});

describe('allShortestPaths on the small fixture projection', async () => {
  const { graph } = await loadSmallProjection();
  const linkIds = await readLinkIds();
  // A pair at least three hops apart, found deterministically.
  const nominals = graph.nodes();
  const source = nominals[0]!;
  const target = nominals.find((node) => (allShortestPaths(graph, source, node).distance ?? 0) >= 3)!;

  it('explains each hop with evidence whose links exist in links.csv', () => {
    const result = allShortestPaths(graph, source, target);
    expect(result.paths.length).toBeGreaterThan(0);
    for (const path of result.paths) {
      expect(path.nodes[0]).toBe(source);
      expect(path.nodes[path.nodes.length - 1]).toBe(target);
      for (const hop of path.hops) {
        expect(hop.edge).toBe(graph.edge(hop.from, hop.to));
        expect(hop.evidence!.length).toBeGreaterThan(0);
        expect(hop.channels).toEqual(graph.getEdgeAttribute(hop.edge, 'channels'));
        for (const evidence of hop.evidence!) {
          expect(hop.channels).toContain(evidence.channel);
          for (const link of evidence.links) expect(linkIds.has(link), link).toBe(true);
        }
      }
    }
  });

  it('marks a path with the strictest marking of its hops', () => {
    // A path across a C-coded hop: mark its middle hop C on a copy of the graph.
    const copy = graph.copy();
    const [path] = allShortestPaths(copy, source, target).paths;
    const middle = path!.hops[1]!;
    const conditions = ['Not to be shared outside the disruption panel'];
    copy.setEdgeAttribute(middle.edge, 'marking', { handling: 'C', conditions });
    const [marked] = allShortestPaths(copy, source, target).paths.filter(
      (candidate) => candidate.nodes.join() === path!.nodes.join(),
    );
    const hopMarkings: Marking[] = marked!.hops.map((hop) => hop.marking);
    expect(marked!.hops[1]!.marking.handling).toBe('C');
    expect(marked!.marking.handling).not.toBe('P');
    expect(marked!.marking.conditions).toEqual(expect.arrayContaining(conditions));
    expect(marked!.marking).toEqual(strictestMarking(hopMarkings));
    // The original graph is untouched, and so is the first answer.
    expect(graph.getEdgeAttribute(middle.edge, 'marking')).not.toEqual({ handling: 'C', conditions });
  });

  it('returns copies of the evidence, not the graph’s own', () => {
    const [path] = allShortestPaths(graph, source, target).paths;
    const hop = path!.hops[0]!;
    hop.evidence![0]!.links.push('tampered');
    expect(graph.getEdgeAttribute(hop.edge, 'evidence')[0].links).not.toContain('tampered');
  });

  it('finds C-coded paths in the fixture as it stands', () => {
    // The fixture holds C-coded links; some path from the first nominal crosses one.
    let found = false;
    for (const node of nominals) {
      for (const path of allShortestPaths(graph, source, node, { maxPaths: 10 }).paths) {
        if (path.hops.some((hop) => hop.marking.handling !== 'P')) {
          found = true;
          expect(path.marking).toEqual(strictestMarking(path.hops.map((hop) => hop.marking)));
          expect(path.marking.handling).not.toBe('P');
        }
      }
      if (found) break;
    }
    expect(found).toBe(true);
  });
});

async function readLinkIds(): Promise<Set<string>> {
  const ids = new Set<string>();
  const lines = createInterface({ input: createReadStream(join(SMALL_FIXTURE, 'links.csv')) });
  let header: string[] | undefined;
  for await (const line of lines) {
    const fields = line.split(',');
    if (header === undefined) header = fields;
    else ids.add(fields[header.indexOf('id')]!);
  }
  return ids;
}
