/**
 * Communities against mapped groups: NMI and ARI against scikit-learn 1.9 to
 * 1e-12, the mapping read from member_of links, and the small fixture's
 * planted hidden members found among the candidates.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { MultiGraph, UndirectedGraph } from 'graphology';
import { runReference } from '../../../../test/reference/python.js';
import { ari, compareWithMapping, mappingFromNetwork, nmi, type MappingComparison } from '../../src/groups/compare.js';
import { communities, type Communities } from '../../src/groups/louvain.js';
import { loadSmallFixture, type SmallFixture } from './groups.fixtures.js';

const asPartition = (labels: readonly (string | number)[]) =>
  Object.fromEntries(labels.map((label, i) => [`n${i}`, label]));

describe('nmi and ari', () => {
  test('equal scikit-learn to 1e-12 on random label pairs', () => {
    // Small alphabets make agreement likely; string and number labels, 1 to 80 nodes.
    const label = fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom('a', 'b', 'c', 'd'));
    const pairs = fc.sample(
      fc
        .integer({ min: 1, max: 80 })
        .chain((n) =>
          fc.tuple(
            fc.array(label, { minLength: n, maxLength: n }),
            fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }),
          ),
        ),
      { numRuns: 400, seed: 20240601 },
    );
    // Edge cases: identical, single class, all singletons, one node, relabelled.
    pairs.push(
      [
        [1, 1, 1],
        [2, 2, 2],
      ],
      [
        [0, 1, 2, 3],
        [0, 0, 0, 0],
      ],
      [
        [0, 1, 2, 3],
        [3, 2, 1, 0],
      ],
      [[5], [7]],
      [
        ['a', 'a', 'b'],
        [1, 1, 0],
      ],
    );
    // sklearn wants labels of one type per array: strings as they are, numbers too; mixed → strings.
    const forPython = pairs.map(([a, b]) => [
      a.some((x) => typeof x === 'string') ? a.map((x) => `${typeof x}:${x}`) : a,
      b,
    ]);
    const reference = runReference<{ labels: { nmi: number; ari: number }[] }>('groups.py', { labels: forPython });
    pairs.forEach(([a, b], k) => {
      // Our labels keep 1 and '1' apart; the prefixed strings sent to Python do too.
      const ours = { nmi: nmi(asPartition(a), asPartition(b)), ari: ari(asPartition(a), asPartition(b)) };
      expect(Math.abs(ours.nmi - reference.labels[k]!.nmi), `nmi #${k}`).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(ours.ari - reference.labels[k]!.ari), `ari #${k}`).toBeLessThanOrEqual(1e-12);
    });
  });

  test('are symmetric, invariant under relabelling, and use only nodes labelled in both', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })), {
          minLength: 2,
          maxLength: 40,
        }),
        (rows) => {
          const a = asPartition(rows.map((r) => r[0]));
          const b = asPartition(rows.map((r) => r[1]));
          const renamed = asPartition(rows.map((r) => `x${r[1] * 7}`));
          expect(nmi(a, b)).toBeCloseTo(nmi(b, a), 12);
          expect(ari(a, b)).toBeCloseTo(ari(b, a), 12);
          expect(nmi(a, renamed)).toBeCloseTo(nmi(a, b), 12);
          expect(ari(a, renamed)).toBeCloseTo(ari(a, b), 12);
          const extra = { ...a, stray: 99 };
          expect(nmi(extra, b)).toBe(nmi(a, b));
        },
      ),
    );
    expect(nmi({ a: 1 }, { b: 1 })).toBeNaN();
  });
});

/** A hand-made multimodal network: persons, two OCGs and a USG, member_of links with roles. */
function membershipNetwork(): MultiGraph {
  const network = new MultiGraph({ type: 'mixed' });
  for (const id of ['P1', 'P2', 'P3', 'P4']) network.addNode(id, { kind: 'person' });
  network.addNode('OCG1', { kind: 'ocg' });
  network.addNode('OCG2', { kind: 'ocg' });
  network.addNode('USG1', { kind: 'usg' });
  network.addNode('L1', { kind: 'location' });
  const member = (id: string, from: string, to: string, role: string) =>
    network.addDirectedEdgeWithKey(id, from, to, {
      type: 'member_of',
      record: { id, type: 'member_of', from, to, role },
    });
  member('k1', 'P1', 'OCG1', 'principal');
  member('k2', 'P2', 'OCG1', 'runner');
  member('k3', 'P2', 'OCG2', 'lieutenant'); // P2's highest role is in OCG2
  member('k4', 'P3', 'USG1', 'peripheral');
  member('k5', 'P3', 'OCG2', 'peripheral'); // tie on role: the smaller id, OCG2
  member('k6', 'P3', 'OCG2', 'enabler'); // a second link to OCG2 keeps the higher role
  network.addDirectedEdgeWithKey('k7', 'P4', 'L1', {
    type: 'lives_at',
    record: { id: 'k7', type: 'lives_at', from: 'P4', to: 'L1' },
  });
  network.addUndirectedEdgeWithKey('k8', 'P1', 'P4', {
    type: 'associate',
    record: { id: 'k8', type: 'associate', from: 'P1', to: 'P4' },
  });
  return network;
}

describe('mappingFromNetwork', () => {
  test('reads member_of links; the primary group is the highest role, ties to the smaller group id', () => {
    const mapping = mappingFromNetwork(membershipNetwork());
    expect(mapping.groupOf).toEqual({ P1: 'OCG1', P2: 'OCG2', P3: 'OCG2' });
    expect(mapping.roleOf).toEqual({ P1: 'principal', P2: 'lieutenant', P3: 'enabler' });
    expect(mapping.groupsOf).toEqual({ P1: ['OCG1'], P2: ['OCG2', 'OCG1'], P3: ['OCG2', 'USG1'] });
    expect(mapping.membersOf).toEqual({ OCG1: ['P1', 'P2'], OCG2: ['P2', 'P3'], USG1: ['P3'] });
    expect(mapping.kindOf).toEqual({ OCG1: 'ocg', OCG2: 'ocg', USG1: 'usg' });
  });
});

describe('compareWithMapping on a hand-made case', () => {
  // Persons: A1–A4 mapped to G1, B1–B3 mapped to G2, u1, u2, u3 unmapped.
  // Communities: 0 = {A1, A2, A3, u1, u2}, 1 = {B1, B2, B3, A4}, 2 = {u3}.
  // Ties (weight): u1–A1 3, u1–A2 2, u2–A3 1, u2–u1 1, A4–B1 1, u3 isolated.
  const graph = new UndirectedGraph();
  for (const node of ['A1', 'A2', 'A3', 'A4', 'B1', 'B2', 'B3', 'u1', 'u2', 'u3'])
    graph.addNode(node, { record: { kind: 'person', id: node, vulnerable: node === 'u2' } });
  for (const [u, v, w] of [
    ['A1', 'A2', 1],
    ['A2', 'A3', 1],
    ['B1', 'B2', 1],
    ['B2', 'B3', 1],
    ['u1', 'A1', 3],
    ['u1', 'A2', 2],
    ['u2', 'A3', 1],
    ['u2', 'u1', 1],
    ['A4', 'B1', 1],
  ] as const) {
    graph.addEdge(u, v, { weight: w });
  }
  const communityOf = { A1: 0, A2: 0, A3: 0, u1: 0, u2: 0, B1: 1, B2: 1, B3: 1, A4: 1, u3: 2 };
  const mapping = { A1: 'G1', A2: 'G1', A3: 'G1', A4: 'G1', B1: 'G2', B2: 'G2', B3: 'G2', GONE: 'G2' };
  const result = compareWithMapping({ communityOf, mapping, graph });

  test('per group: spans, best community (max Jaccard), precision, recall, Jaccard', () => {
    // G1: 4 present members, 3 in community 0 (size 5): J = 3 / (4 + 5 − 3) = 0.5; 1 in community 1: J = 1 / 7.
    expect(result.groups[0]).toEqual({
      group: 'G1',
      size: 4,
      missing: [],
      spans: [
        { community: 0, count: 3 },
        { community: 1, count: 1 },
      ],
      best: 0,
      communitySize: 5,
      overlap: 3,
      precision: 3 / 5,
      recall: 3 / 4,
      jaccard: 0.5,
    });
    // G2: GONE is not in the graph; 3 members all in community 1 (size 4): J = 3 / 4.
    expect(result.groups[1]).toMatchObject({
      group: 'G2',
      size: 3,
      missing: ['GONE'],
      best: 1,
      overlap: 3,
      precision: 3 / 4,
      recall: 1,
      jaccard: 3 / 4,
    });
  });

  test('outside members: A4 sits in G2’s best community', () => {
    expect(result.outsideMembers).toEqual([{ node: 'A4', group: 'G1', community: 1, best: 0, fitsGroups: ['G2'] }]);
  });

  test('hidden candidates: unmapped nominals in the best community, by tie strength to mapped members', () => {
    // u1: ties to A1 (3) and A2 (2) = 5; u2: tie to A3 (1) = 1 (its tie to u1 is not to a mapped member); u3 is elsewhere.
    expect(result.hiddenCandidates).toEqual([
      { node: 'u1', group: 'G1', community: 0, strength: 5, ties: 2, safeguarding: false },
      { node: 'u2', group: 'G1', community: 0, strength: 1, ties: 1, safeguarding: true },
    ]);
    expect(
      compareWithMapping({ communityOf, mapping, graph }, { minTies: 2 }).hiddenCandidates.map((c) => c.node),
    ).toEqual(['u1']);
  });

  test('NMI and ARI over mapped nodes, and over all nodes with unmapped ones as singletons', () => {
    const mappedTruth = { A1: 'G1', A2: 'G1', A3: 'G1', A4: 'G1', B1: 'G2', B2: 'G2', B3: 'G2' };
    expect(result.mapped).toEqual({ nodes: 7, nmi: nmi(mappedTruth, communityOf), ari: ari(mappedTruth, communityOf) });
    const allTruth = { ...mappedTruth, u1: 'x1', u2: 'x2', u3: 'x3' };
    expect(result.all).toEqual({ nodes: 10, nmi: nmi(allTruth, communityOf), ari: ari(allTruth, communityOf) });
  });
});

describe('the small fixture: Louvain communities against the mapped OCGs', () => {
  let fixture: SmallFixture;
  let found: Communities;
  let comparison: MappingComparison;

  beforeAll(async () => {
    fixture = await loadSmallFixture();
    found = communities(fixture.projection);
    comparison = compareWithMapping({
      communityOf: found.communityOf,
      mapping: mappingFromNetwork(fixture.network).groupOf,
      graph: fixture.projection,
    });
  });

  test('the mapping read from the network is truth.csv’s mapped members', () => {
    const mapping = mappingFromNetwork(fixture.network);
    const mapped = fixture.truth.filter((row) => row.mapped);
    expect(Object.keys(mapping.groupOf).sort()).toEqual(mapped.map((row) => row.nominal).sort());
    for (const row of mapped) expect(mapping.groupOf[row.nominal], row.nominal).toBe(row.group);
  });

  test('NMI over mapped nominals is high (measured 0.911; ARI 0.867)', () => {
    console.log(
      `small fixture: ${found.count} communities, Q = ${found.modularity.toFixed(4)}; ` +
        `mapped nodes ${comparison.mapped.nodes}: NMI ${comparison.mapped.nmi.toFixed(4)} ARI ${comparison.mapped.ari.toFixed(4)}; ` +
        `all ${comparison.all.nodes}: NMI ${comparison.all.nmi.toFixed(4)} ARI ${comparison.all.ari.toFixed(4)}\n` +
        comparison.groups
          .map(
            (g) =>
              `  ${g.group}: best ${g.best}, P ${g.precision.toFixed(2)} R ${g.recall.toFixed(2)} J ${g.jaccard.toFixed(2)}, spans ${JSON.stringify(g.spans)}`,
          )
          .join('\n'),
    );
    expect(comparison.mapped.nmi).toBeGreaterThanOrEqual(0.85);
    expect(comparison.mapped.ari).toBeGreaterThanOrEqual(0.8);
    // Every mapped OCG is mostly recovered by one community.
    for (const group of comparison.groups.filter((g) => g.group.startsWith('OCG')))
      expect(group.recall, group.group).toBeGreaterThanOrEqual(0.5);
  });

  test('every planted hidden OCG member is a candidate for its true group', () => {
    const hidden = fixture.truth.filter((row) => row.hidden && row.groupKind === 'ocg');
    expect(hidden).toHaveLength(7);
    for (const row of hidden) {
      const candidate = comparison.hiddenCandidates.find((c) => c.node === row.nominal && c.group === row.group);
      expect(candidate, `${row.nominal} (${row.group})`).toBeDefined();
    }
    // And they rank high: each is among the top 3 candidates of its group.
    for (const row of hidden) {
      const ofGroup = comparison.hiddenCandidates.filter((c) => c.group === row.group).map((c) => c.node);
      expect(ofGroup.indexOf(row.nominal), `${row.nominal} in ${JSON.stringify(ofGroup)}`).toBeLessThan(3);
    }
    console.log(
      `hidden candidates: ${comparison.hiddenCandidates.map((c) => `${c.node}→${c.group} (${c.strength.toFixed(1)})`).join(', ')}`,
    );
  });
});
