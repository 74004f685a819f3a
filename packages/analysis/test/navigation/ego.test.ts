import Graph from 'graphology';
import { describe, expect, it } from 'vitest';
import { SAFEGUARDING_FLAGS } from '@ocgnet/schema';
import { loadSmallProjection } from '../graphs.fixtures.js';
import { NavigationError, egoNetwork, egoSummary } from '../../src/navigation/index.js';
import { graphOf } from './navigation.fixtures.js';

/** A path a–b–c–d–e, with a triangle b–c–x hanging off c and an isolate z. */
const sample = () =>
  graphOf(
    [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['c', 'x'],
      ['b', 'x'],
    ],
    ['z'],
  );

describe('egoNetwork', () => {
  it('takes the nodes within the radius and every edge between them', () => {
    const ego = egoNetwork(sample(), 'c');
    expect(ego.graph.nodes().sort()).toEqual(['b', 'c', 'd', 'x']);
    expect(ego.graph.edges().length).toBe(4);
    expect(ego.graph.hasEdge('b', 'x')).toBe(true);
    expect({ ...ego.distance }).toEqual({ b: 1, c: 0, d: 1, x: 1 });
    expect(ego.radius).toBe(1);
    expect(ego.centre).toBe('c');
  });

  it('grows with the radius', () => {
    const graph = sample();
    expect(egoNetwork(graph, 'a', { radius: 2 }).graph.nodes().sort()).toEqual(['a', 'b', 'c', 'x']);
    const three = egoNetwork(graph, 'a', { radius: 3 });
    expect(three.graph.nodes().sort()).toEqual(['a', 'b', 'c', 'd', 'x']);
    expect(three.distance.d).toBe(3);
  });

  it('can leave out edges between alters at the same distance', () => {
    const ego = egoNetwork(sample(), 'c', { includeEdgesBetweenAlters: false });
    expect(ego.graph.edges().length).toBe(3);
    expect(ego.graph.hasEdge('b', 'x')).toBe(false);
    const wider = egoNetwork(sample(), 'a', { radius: 2, includeEdgesBetweenAlters: false });
    // a–b (0–1) and b–c, b–x (1–2) stay; c–x joins two alters at distance 2.
    expect(wider.graph.edges().length).toBe(3);
  });

  it('copies attributes and keeps keys, type and graph attributes', () => {
    const graph = new Graph({ type: 'directed' });
    graph.setAttribute('name', 'research');
    graph.addNode('a', { label: 'Alpha', tags: ['x'] });
    graph.addNode('b', { label: 'Bravo' });
    graph.addDirectedEdgeWithKey('ab', 'a', 'b', { weight: 2 });
    graph.addDirectedEdgeWithKey('ba', 'b', 'a', { weight: 3 });
    // Centred on b, a is reached although its arcs point away.
    const ego = egoNetwork(graph, 'b');
    expect(ego.graph.type).toBe('directed');
    expect(ego.graph.getAttribute('name')).toBe('research');
    expect(ego.graph.edges().sort()).toEqual(['ab', 'ba']);
    expect(ego.graph.getEdgeAttributes('ba')).toEqual({ weight: 3 });
    expect(ego.graph.source('ab')).toBe('a');
    ego.graph.setNodeAttribute('a', 'label', 'changed');
    expect(graph.getNodeAttribute('a', 'label')).toBe('Alpha');
  });

  it('throws typed errors for a radius outside 1–3 and an unknown centre', () => {
    for (const radius of [0, 4, 1.5, -1, NaN]) {
      expect(() => egoNetwork(sample(), 'c', { radius })).toThrow(NavigationError);
      expect(() => egoNetwork(sample(), 'c', { radius })).toThrow(
        /^@ocgnet\/analysis\/navigation: radius must be 1, 2 or 3/,
      );
    }
    expect(() => egoSummary(sample(), 'c', 4)).toThrow(/radius/);
    try {
      egoNetwork(sample(), 'nobody');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(NavigationError);
      expect((error as NavigationError).code).toBe('UNKNOWN_NODE');
      expect((error as Error).message).toBe('@ocgnet/analysis/navigation: centre "nobody" is not a node of the graph');
    }
  });

  it('gives an isolate an ego network of one', () => {
    const ego = egoNetwork(sample(), 'z', { radius: 3 });
    expect(ego.graph.order).toBe(1);
    expect(egoSummary(sample(), 'z')).toMatchObject({ size: 1, edges: 0, density: 0, centreDegree: 0, alters: [0] });
  });
});

describe('egoSummary', () => {
  it('measures the ego network', () => {
    expect(egoSummary(sample(), 'c')).toEqual({
      centre: 'c',
      radius: 1,
      size: 4,
      edges: 4,
      density: 4 / 6,
      centreDegree: 3,
      alters: [3],
    });
    expect(egoSummary(sample(), 'a', 3).alters).toEqual([1, 2, 1]);
  });

  it('says nothing about safeguarding where the graph records no flags', () => {
    const summary = egoSummary(sample(), 'c', 2);
    expect(summary.vulnerableAlters).toBeUndefined();
    expect(summary.under18Alters).toBeUndefined();
    expect(summary.safeguardingAlters).toBeUndefined();
  });

  it('lists every safeguarding subject among the alters, exploited and cuckooed included, on the node or its record', () => {
    const graph = sample();
    graph.mergeNodeAttributes('b', { exploited: true });
    graph.mergeNodeAttributes('x', { record: { kind: 'person', cuckooed: true } });
    graph.mergeNodeAttributes('d', { exploited: false });
    const summary = egoSummary(graph, 'c', 1);
    expect(summary.safeguardingAlters).toEqual(['b', 'x']);
    // Neither flag is vulnerable or under 18, so those counts stay unrecorded.
    expect(summary.vulnerableAlters).toBeUndefined();
    expect(summary.under18Alters).toBeUndefined();
  });

  it('makes vulnerable and under-18 alters stand out in the fixture projection', async () => {
    const { graph } = await loadSmallProjection();
    // A nominal with a vulnerable or under-18 associate, found deterministically.
    const flagged = (node: string) =>
      graph.getNodeAttribute(node, 'vulnerable') === true || graph.getNodeAttribute(node, 'under_18') === true;
    const centre = graph.nodes().find((node) => !flagged(node) && graph.neighbors(node).some(flagged));
    expect(centre).toBeDefined();
    const summary = egoSummary(graph, centre!, 1);
    const protectedNode = (node: string) =>
      SAFEGUARDING_FLAGS.some((flag) => graph.getNodeAttribute(node, flag) === true);
    const expected = graph.neighbors(centre!).filter(protectedNode).sort();
    expect(summary.safeguardingAlters).toEqual(expected);
    expect(summary.vulnerableAlters).toBe(
      graph.neighbors(centre!).filter((node) => graph.getNodeAttribute(node, 'vulnerable') === true).length,
    );
    expect(summary.under18Alters).toBe(
      graph.neighbors(centre!).filter((node) => graph.getNodeAttribute(node, 'under_18') === true).length,
    );
    expect(summary.centreDegree).toBe(graph.degree(centre!));
    expect(summary.size).toBe(graph.degree(centre!) + 1);
  });
});
