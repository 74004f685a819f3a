import Graph from 'graphology';
/**
 * Roles within groups: hand-computed cases, and within-group betweenness and
 * coreness against networkx on the induced subgraphs of real groups.
 */
import { describe, expect, test } from 'vitest';
import { UndirectedGraph } from 'graphology';
import { runReference } from '../../../../test/reference/python.js';
import { loadAllTestGraphs } from '../graphs.fixtures.js';
import { groupRoles } from '../../src/groups/roles.js';
import { csrOf, inducedCsr } from '../../src/csr.js';
import { corenessOnCsr } from '../../src/metrics/coreness.js';
import { betweennessOnCsr } from '../../src/metrics/betweenness.js';
import { communities } from '../../src/groups/louvain.js';
import { mappingFromNetwork } from '../../src/groups/compare.js';
import { loadSmallFixture } from './groups.fixtures.js';

function graphOf(edges: [string, string, number?][], nodes: string[] = []): UndirectedGraph {
  const graph = new UndirectedGraph();
  for (const node of nodes) graph.mergeNode(node);
  for (const [u, v, w] of edges) graph.mergeEdge(u, v, { weight: w ?? 1 });
  return graph;
}

describe('groupRoles', () => {
  test('a planted group: the hub is the principal, the clique around it the lieutenants and the core', () => {
    // Group G: principal p tied to everyone; l1, l2, l3 form a clique with p (K4: coreness 3);
    // runners r1–r4 tied to p only, r1 also to l1; x is in G with no tie inside it.
    // Outsider o (group H) is tied to r2 and x: ties outside the group do not count.
    //
    // within-G degree: p 7, l1 4 (p l2 l3 r1), l2 3, l3 3, r1 2, r2 r3 r4 1, x 0.
    // coreness: p l1 l2 l3 = 3, r1 = 2, r2 r3 r4 = 1, x = 0 → core {p, l1, l2, l3}.
    // l2 and l3 tie on degree and on betweenness (0: every pair of their neighbours is tied), so key order.
    const graph = graphOf(
      [
        ['p', 'l1'],
        ['p', 'l2'],
        ['p', 'l3'],
        ['l1', 'l2'],
        ['l1', 'l3'],
        ['l2', 'l3'],
        ['p', 'r1'],
        ['p', 'r2'],
        ['p', 'r3'],
        ['p', 'r4'],
        ['l1', 'r1'],
        ['o', 'r2'],
        ['o', 'x'],
      ],
      ['x'],
    );
    const groupOf = { p: 'G', l1: 'G', l2: 'G', l3: 'G', r1: 'G', r2: 'G', r3: 'G', r4: 'G', x: 'G', o: 'H' };
    const [g, h] = groupRoles(graph, groupOf);
    expect(g).toMatchObject({
      group: 'G',
      size: 9,
      ties: 11,
      maxCoreness: 3,
      core: ['p', 'l1', 'l2', 'l3'],
      periphery: ['r1', 'r2', 'r3', 'r4', 'x'],
      likelyPrincipal: 'p',
      likelyLieutenants: ['l1', 'l2', 'l3'],
    });
    // p lies on every shortest path between the runners and the rest:
    // r2, r3, r4 to each other (3 pairs) and to l1, l2, l3, r1 (12 pairs) = 15;
    // r1 to l2, l3: two shortest paths each (via p or l1), half each = 1. Total 16.
    expect(g!.members.find((m) => m.node === 'p')).toMatchObject({
      rank: 1,
      degree: 7,
      betweenness: 16,
      coreness: 3,
      core: true,
    });
    // l1 carries the other half of r1–l2 and r1–l3: 1.
    expect(g!.members.find((m) => m.node === 'l1')).toMatchObject({ rank: 2, degree: 4, betweenness: 1 });
    expect(g!.members.find((m) => m.node === 'x')).toMatchObject({ rank: 9, degree: 0, coreness: 0, core: false });
    // H has one member and no ties: nobody is named.
    expect(h).toMatchObject({
      group: 'H',
      size: 1,
      core: [],
      periphery: ['o'],
      likelyPrincipal: null,
      likelyLieutenants: [],
    });
  });

  test('betweenness breaks degree ties; groups come in label order', () => {
    // Community 0: a path a–b–c–d–e (degrees b c d = 2; betweenness b 3, c 4, d 3): c first.
    // Community 1: a triangle t1 t2 t3, all equal: key order; lieutenants capped by the option.
    const graph = graphOf([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['t1', 't2'],
      ['t2', 't3'],
      ['t1', 't3'],
      ['e', 't1'],
    ]);
    const groupOf = { t1: 1, t2: 1, t3: 1, a: 0, b: 0, c: 0, d: 0, e: 0 };
    const roles = groupRoles(graph, groupOf, { lieutenants: 1 });
    expect(roles.map((r) => r.group)).toEqual([0, 1]);
    expect(roles[0]).toMatchObject({
      likelyPrincipal: 'c',
      likelyLieutenants: ['b'],
      maxCoreness: 1,
      core: ['c', 'b', 'd', 'a', 'e'],
    });
    expect(roles[0]!.members.map((m) => [m.node, m.betweenness])).toEqual([
      ['c', 4],
      ['b', 3],
      ['d', 3],
      ['a', 0],
      ['e', 0],
    ]);
    expect(roles[1]).toMatchObject({ likelyPrincipal: 't1', likelyLieutenants: ['t2'], core: ['t1', 't2', 't3'] });
  });

  test('weighted degree breaks ties after betweenness', () => {
    // A 4-cycle: equal degree and betweenness; u–v is the heaviest tie, so u and v lead.
    const graph = graphOf([
      ['w', 'u', 1],
      ['u', 'v', 5],
      ['v', 'z', 1],
      ['z', 'w', 1],
    ]);
    const [group] = groupRoles(graph, { u: 'G', v: 'G', w: 'G', z: 'G' });
    expect(group!.members.map((m) => m.node)).toEqual(['u', 'v', 'w', 'z']);
    const [unweighted] = groupRoles(graph, { u: 'G', v: 'G', w: 'G', z: 'G' }, { weightAttribute: null });
    expect(unweighted!.members.map((m) => m.node)).toEqual(['u', 'v', 'w', 'z'].sort());
  });

  test('within-group betweenness and coreness equal networkx on real groups', async () => {
    const fixture = await loadSmallFixture();
    const cases: { graph: UndirectedGraph; groupOf: Record<string, string | number> }[] = [
      { graph: fixture.projection, groupOf: mappingFromNetwork(fixture.network).groupOf },
    ];
    for (const { name, graph } of await loadAllTestGraphs()) {
      if (['infinito', 'montagna-meetings', 'noordin-operations', 'small-fixture'].includes(name))
        cases.push({ graph: graph, groupOf: communities(graph).communityOf });
    }
    const subgraphs: { nodes: string[]; edges: [string, string][] }[] = [];
    const ours: { betweenness: Record<string, number>; coreness: Record<string, number> }[] = [];
    for (const { graph, groupOf } of cases) {
      for (const group of groupRoles(graph, groupOf)) {
        const members = new Set(group.members.map((m) => m.node));
        const edges: [string, string][] = [];
        graph.forEachEdge((_e, _a, u, v) => {
          if (members.has(u) && members.has(v)) edges.push([u, v]);
        });
        subgraphs.push({ nodes: [...members], edges });
        ours.push({
          betweenness: Object.fromEntries(group.members.map((m) => [m.node, m.betweenness])),
          coreness: Object.fromEntries(group.members.map((m) => [m.node, m.coreness])),
        });
      }
    }
    const reference = runReference<{
      subgraphs: { betweenness: Record<string, number>; coreness: Record<string, number> }[];
    }>('groups.py', { subgraphs });
    expect(subgraphs.length).toBeGreaterThan(30);
    ours.forEach((mine, k) => {
      const ref = reference.subgraphs[k]!;
      expect(mine.coreness).toEqual(ref.coreness);
      for (const node of Object.keys(ref.betweenness))
        expect(mine.betweenness[node]).toBeCloseTo(ref.betweenness[node]!, 9);
    });
  });
});

describe('inducedCsr: the algorithms run unchanged on one group', () => {
  test('a star with a tail, inside a larger graph', () => {
    // Members a (centre of b, c, d) and d–e (tail); x is outside and tied to a and e.
    // Within the group: betweenness of a covers (b,c),(b,d),(c,d),(b,e),(c,e) = 5; d covers (a,e),(b,e),(c,e) = 3.
    const graph = new Graph({ type: 'undirected' });
    for (const [u, v] of [
      ['a', 'b'],
      ['a', 'c'],
      ['a', 'd'],
      ['d', 'e'],
      ['x', 'a'],
      ['x', 'e'],
    ])
      graph.mergeEdge(u!, v!);
    const csr = csrOf(graph, { weightAttribute: null });
    const members = ['a', 'b', 'c', 'd', 'e'].map((id) => csr.index.get(id)!).sort((p, q) => p - q);
    const inside = inducedCsr(csr, members);
    const byId = (values: ArrayLike<number>) => Object.fromEntries(inside.ids.map((id, k) => [id, values[k]]));
    expect(inside.m).toBe(4);
    expect(byId(corenessOnCsr(inside))).toEqual({ a: 1, b: 1, c: 1, d: 1, e: 1 });
    expect(byId(betweennessOnCsr(inside, { normalized: false }))).toEqual({ a: 5, b: 0, c: 0, d: 3, e: 0 });
    expect(() => inducedCsr(csr, [...members].reverse())).toThrow(/ascending/);
  });
});
