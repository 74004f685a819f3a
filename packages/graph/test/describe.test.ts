import Graph, { DirectedGraph, MultiGraph, UndirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { buildNetwork, describeGraph, projectPersons } from '../src/index.js';
import { grading, link, location, person, records } from './records.fixtures.js';

describe('describeGraph on plain research graphs', () => {
  it('counts a simple undirected graph: 2m / (n(n−1)), components, isolates', () => {
    const graph = new UndirectedGraph();
    for (const node of ['a', 'b', 'c', 'd', 'e']) graph.addNode(node);
    graph.addEdge('a', 'b');
    graph.addEdge('b', 'c');
    expect(describeGraph(graph)).toEqual({
      nodes: 5,
      edges: 2,
      components: 3, // {a, b, c}, {d}, {e}
      largestComponent: 3,
      isolates: 2,
      density: (2 * 2) / (5 * 4),
      directed: false,
      type: 'undirected',
      multi: false,
      byKind: {},
      byType: {},
      byMarking: { P: 0, C: 0, R: 0 },
      byMarkingOf: { nodes: { P: 0, C: 0, R: 0 }, edges: { P: 0, C: 0, R: 0 } },
    });
  });

  it('counts a directed graph: m / (n(n−1)), weak components', () => {
    const graph = new DirectedGraph();
    for (const node of ['a', 'b', 'c', 'd']) graph.addNode(node);
    graph.addEdge('a', 'b');
    graph.addEdge('b', 'a');
    graph.addEdge('c', 'b');
    const description = describeGraph(graph);
    expect(description.density).toBe(3 / 12);
    expect(description.components).toBe(2); // {a, b, c} weakly, {d}
    expect(description.largestComponent).toBe(3);
    expect(description.isolates).toBe(1);
    expect(description.directed).toBe(true);
  });

  it('counts distinct node pairs in a multigraph', () => {
    const graph = new MultiGraph({ type: 'mixed' });
    for (const node of ['a', 'b', 'c']) graph.addNode(node);
    graph.addDirectedEdge('a', 'b');
    graph.addDirectedEdge('b', 'a');
    graph.addUndirectedEdge('a', 'b');
    graph.addUndirectedEdge('b', 'c');
    const description = describeGraph(graph);
    expect(description.edges).toBe(4);
    expect(description.density).toBe(2 / 3); // pairs {a,b}, {b,c} of 3
    expect(description.components).toBe(1);
    expect(description.isolates).toBe(0);
    expect(description.multi).toBe(true);
  });

  it('leaves self loops out of density; a node with only a loop is no isolate', () => {
    const graph = new Graph({ type: 'undirected', allowSelfLoops: true });
    for (const node of ['a', 'b', 'c', 'd']) graph.addNode(node);
    graph.addEdge('a', 'a');
    graph.addEdge('b', 'c');
    const description = describeGraph(graph);
    expect(description.density).toBe(2 / 12);
    expect(description.isolates).toBe(1); // d
    expect(description.components).toBe(3); // {a}, {b, c}, {d}
  });

  it('gives 0 density below two nodes', () => {
    expect(describeGraph(new Graph())).toMatchObject({
      nodes: 0,
      edges: 0,
      components: 0,
      largestComponent: 0,
      isolates: 0,
      density: 0,
    });
    const one = new Graph();
    one.addNode('a');
    expect(describeGraph(one)).toMatchObject({ nodes: 1, components: 1, largestComponent: 1, isolates: 1, density: 0 });
  });

  it('counts a complete graph as density 1', () => {
    const graph = new UndirectedGraph();
    for (const node of ['a', 'b', 'c', 'd']) graph.addNode(node);
    for (const [a, b] of [
      ['a', 'b'],
      ['a', 'c'],
      ['a', 'd'],
      ['b', 'c'],
      ['b', 'd'],
      ['c', 'd'],
    ] as const)
      graph.addEdge(a, b);
    expect(describeGraph(graph).density).toBe(1);
  });
});

describe('describeGraph on ocgnet graphs', () => {
  const set = records(
    [
      person('a', { grading: grading('1A C:police only') }),
      person('b'),
      person('c'),
      location('L', { grading: grading('5x5x5:C34') }),
    ],
    [
      link('la', 'lives_at', 'a', 'L'),
      link('lb', 'lives_at', 'b', 'L'),
      link('ab', 'associate', 'a', 'b', { grade: '2B C:no DWP' }),
    ],
  );

  it('summarises the multimodal network by kind, type and marking', () => {
    const description = describeGraph(buildNetwork(set));
    expect(description).toMatchObject({
      nodes: 4,
      edges: 3,
      components: 2,
      largestComponent: 3,
      isolates: 1,
      density: 3 / 6, // pairs {a,L}, {b,L}, {a,b} of 6
      directed: true,
      type: 'mixed',
      multi: true,
      byKind: { person: 3, location: 1 },
      byType: { lives_at: 2, associate: 1 },
      byMarkingOf: { nodes: { P: 2, C: 1, R: 1 }, edges: { P: 2, C: 1, R: 0 } },
      byMarking: { P: 4, C: 2, R: 1 },
    });
  });

  it('summarises the person projection', () => {
    const description = describeGraph(projectPersons(buildNetwork(set)));
    expect(description).toMatchObject({
      nodes: 3,
      edges: 1,
      components: 2,
      isolates: 1,
      density: 2 / 6,
      directed: false,
      byKind: { person: 3 },
      byType: {},
      // a is C; the a–b edge carries the C link and the R location, so R.
      byMarkingOf: { nodes: { P: 2, C: 1, R: 0 }, edges: { P: 0, C: 0, R: 1 } },
    });
  });
});
