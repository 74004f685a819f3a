/**
 * Re-identification risk and the k-degree guarantee: every export that is not
 * refused is k-degree anonymous (property test over random graphs, min k and
 * seeds, with and without perturbation, checked on the re-imported file);
 * refused exports return no files. Plus the definitions on tiny graphs, small
 * cells, and the greedy degree targets of Liu & Terzi.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Graph from 'graphology';
import { readExportedGraph } from '../src/index.js';
import { assessRisk, kDegreeAnonymity, neighbourhoodUniqueness, suppressSmall } from '../src/risk.js';
import { greedyDegreeTargets, perturbToKDegree, spearman } from '../src/perturb.js';
import { caviar, CONTEXT, exportAndAttack, smallScenario, TEST_KEY } from './research.fixtures.js';

function graphOf(n: number, pairs: [number, number][]): Graph {
  const graph = new Graph({ type: 'undirected' });
  for (let i = 0; i < n; i++) graph.addNode(`v${i}`);
  for (const [a, b] of pairs)
    if (a !== b && a < n && b < n && !graph.hasEdge(`v${a}`, `v${b}`))
      graph.addEdge(`v${a}`, `v${b}`, { weight: 1 + ((a * 7 + b) % 3) });
  return graph;
}

const randomGraph = fc
  .integer({ min: 1, max: 30 })
  .chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n })));

describe('every measure reaches min k on every export that is not refused', () => {
  it('property: random graphs × min k × seed × perturbation; checked on the re-imported GraphML, and attacked', async () => {
    await fc.assert(
      fc.asyncProperty(
        randomGraph,
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(false, 'automorphism' as const, 'degree' as const),
        fc.nat(1000),
        async ([n, pairs], minK, perturb, seed) => {
          const graph = graphOf(n, pairs);
          const exported = exportAndAttack(
            { model: 'research', graph },
            TEST_KEY,
            { minK, perturb, seed, formats: ['graphml'] },
            CONTEXT,
          );
          if (!exported.ok) {
            expect('files' in exported).toBe(false);
            expect(exported.risk.measures.some((measure) => measure.k < minK)).toBe(true);
            expect(exported.reason).toMatch(/minimum/);
            // k-automorphism reaches any k the network has nodes for.
            if (perturb === 'automorphism') expect(n).toBeLessThan(minK);
            return;
          }
          for (const measure of exported.risk.measures) expect(measure.k, measure.measure).toBeGreaterThanOrEqual(minK);
          const parsed = await readExportedGraph('graphml', (name) => exported.files.get(name)!, false);
          if (!parsed.ok) throw new Error('export does not read back');
          expect(kDegreeAnonymity(parsed.graph)).toBeGreaterThanOrEqual(minK);
          expect(exported.manifest.risk.kDegree).toBe(kDegreeAnonymity(parsed.graph));
          expect(parsed.graph.order).toBe(n);
          // Perturbation only adds ties.
          graph.forEachEdge((_edge, _attributes, source, target) =>
            expect(
              parsed.graph.hasEdge(
                exported.anonymised.pseudonymOf.get(source)!,
                exported.anonymised.pseudonymOf.get(target)!,
              ),
            ).toBe(true),
          );
          if (exported.manifest.perturbation === null) expect(parsed.graph.size).toBe(graph.size);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('perturbation only adds edges, reaches k when it reports it, and is reproducible by seed', () => {
    fc.assert(
      fc.property(randomGraph, fc.integer({ min: 2, max: 5 }), fc.nat(100), ([n, pairs], k, seed) => {
        const graph = graphOf(n, pairs);
        const first = perturbToKDegree(graph, { k, seed });
        graph.forEachEdge((_e, _a, source, target) => expect(first.graph.hasEdge(source, target)).toBe(true));
        expect(first.graph.size).toBe(graph.size + first.added);
        expect(first.reached).toBe(kDegreeAnonymity(first.graph) >= k);
        if (k <= n && n >= 2 * k) expect(first.reached).toBe(true);
        const again = perturbToKDegree(graph, { k, seed });
        expect(again.graph.export().edges.map((e) => [e.source, e.target])).toEqual(
          first.graph.export().edges.map((e) => [e.source, e.target]),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('the greedy degree targets never lower a degree, keep the order, and form groups of at least k', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(40), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        (degrees, k) => {
          const sorted = [...degrees].sort((a, b) => b - a);
          const targets = greedyDegreeTargets(sorted, k);
          for (let i = 0; i < sorted.length; i++) {
            expect(targets[i]).toBeGreaterThanOrEqual(sorted[i]!);
            if (i > 0) expect(targets[i]).toBeLessThanOrEqual(targets[i - 1]!);
          }
          if (sorted.length >= k) {
            const counts = new Map<number, number>();
            for (const target of targets) counts.set(target, (counts.get(target) ?? 0) + 1);
            for (const count of counts.values()) expect(count).toBeGreaterThanOrEqual(k);
          }
        },
      ),
    );
  });

  it('refuses the small scenario and caviar at k = 5 without perturbation, and passes them with it', async () => {
    const { network, persons } = await smallScenario();
    const sources = [
      { model: 'records' as const, network, persons },
      { model: 'research' as const, graph: await caviar() },
    ];
    for (const source of sources) {
      const refused = exportAndAttack(source, TEST_KEY, {}, CONTEXT);
      expect(refused.ok).toBe(false);
      if (refused.ok) return;
      expect(refused.risk.kDegree).toBe(1);
      expect(refused.reason).toMatch(
        /the strongest attack, on .* singles out \d+ of \d+ nominals \(smallest candidate set 1, minimum 5\)/,
      );
      const passed = exportAndAttack(source, TEST_KEY, { perturb: true }, CONTEXT);
      expect(passed.ok, passed.ok ? '' : passed.reason).toBe(true);
      if (!passed.ok) return;
      expect(passed.risk.kDegree).toBeGreaterThanOrEqual(5);
      for (const measure of passed.risk.measures) expect(measure.k, measure.measure).toBeGreaterThanOrEqual(5);
      const impact = passed.manifest.perturbation!.impact!;
      expect(impact.spearman.degree).toBeGreaterThan(0);
      expect(impact.spearman.degree).toBeLessThan(1);
    }
  });
});

describe('risk measures', () => {
  it('k-degree and neighbourhood uniqueness on a path and a star', () => {
    // Path a-b-c-d-e: degrees 1,2,2,2,1 → k = 2; signatures: ends (1|2) ×2, b and d (2|1,2) ×2, c (2|2,2) unique.
    const path = graphOf(5, [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
    expect(kDegreeAnonymity(path)).toBe(2);
    expect(neighbourhoodUniqueness(path)).toBeCloseTo(1 / 5, 12);
    // Star: one hub of degree 5, five leaves of degree 1 → k = 1.
    const star = graphOf(6, [
      [0, 1],
      [0, 2],
      [0, 3],
      [0, 4],
      [0, 5],
    ]);
    expect(kDegreeAnonymity(star)).toBe(1);
    expect(neighbourhoodUniqueness(star)).toBeCloseTo(1 / 6, 12);
  });

  it('suppresses every count below 5 in the report', async () => {
    expect([0, 1, 4, 5, 12].map(suppressSmall)).toEqual([0, '<5', '<5', 5, 12]);
    const { network, persons } = await smallScenario();
    // Refused (no perturbation): its degree histogram has rare degrees to suppress.
    const exported = exportAndAttack({ model: 'records', network, persons }, TEST_KEY, {}, CONTEXT);
    const counts = [
      ...Object.values(exported.risk.degreeHistogram),
      ...Object.values(exported.risk.attributeTables).flatMap((table) => Object.values(table)),
      exported.risk.nodes,
      exported.risk.edges,
    ];
    expect(counts.length).toBeGreaterThan(10);
    for (const count of counts)
      expect(count === '<5' || (typeof count === 'number' && (count === 0 || count >= 5)), String(count)).toBe(true);
    expect(counts).toContain('<5');
    expect(assessRisk(graphOf(3, [[0, 1]])).nodes).toBe('<5');
  });

  it('Spearman: 1 for the same order, −1 for the reverse, ties averaged', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 1, 2], [1, 1, 2])).toBeCloseTo(1, 12);
  });
});
