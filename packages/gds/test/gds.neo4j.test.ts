/**
 * The neo4j engine against the in-process one, on the real Neo4j 5.26 + GDS
 * 2.13 test server (test/neo4j). The analysis reads every :Entity of the
 * database, so the file wipes it; the `neo4j` vitest project runs its files
 * one at a time, so nothing else uses the database meanwhile. The medium
 * scenario, with timings, is the soak gds.soak.neo4j.test.ts (`pnpm soak`).
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyse,
  betweenness as betweennessInProcess,
  compareWithMapping,
  mappingFromNetwork,
  partitionModularity,
  type AnalysisReport,
} from '@ocgnet/analysis';
import { scenarioRecords } from '@ocgnet/generator';
import {
  buildNetwork,
  projectPersons,
  type NetworkGraph,
  type PersonGraph,
  type ProjectionOptionsInput,
} from '@ocgnet/graph';
import { RecordCollector, readRecordCsv } from '@ocgnet/io';
import { entityMarking, linkMarking, strictestMarking, type Entity, type Link, type RecordSet } from '@ocgnet/schema';
import type {} from '../../../test/neo4j/globalSetup.js';
import { NO_NEO4J, neo4jUri, neo4jUriOrSkip } from '../../../test/neo4j/neo4j.fixtures.js';
import { skipUnless } from '../../../test/skip.js';
import { analyseInDatabase } from '../src/analyseInDatabase.js';
import { projectionCypher } from '../src/projectionCypher.js';
import { loadThroughStore } from './gds.fixtures.js';

const SMALL_FIXTURE = new URL('../../../fixtures/small/', import.meta.url).pathname;
/** Option sets the in-database projection must reproduce (besides the defaults). */
const OPTION_SETS: [string, ProjectionOptionsInput][] = [
  ['defaults', {}],
  ['window', { window: { from: '2024-01-01', to: '2024-12-31' } }],
  ['window, open end', { window: { from: '2024-07-01' } }],
  ['half-life, reference date from the data', { recency: { halfLifeDays: 180 } }],
  ['half-life with reference date', { recency: { halfLifeDays: 90, referenceDate: '2024-06-30' } }],
  ['no co-presence', { requireCoPresence: false }],
  [
    'channel weights (shared_group on, associate off) and grading weights',
    {
      channelWeights: { shared_group: 2, associate: 0, phone_contact: 3, shared_location: 0.5 },
      grading: { sourceWeights: { '2': 0.5, '3': 0.25 }, legacyWeight: 0.3 },
    },
  ],
  ['low maxSharedEntityDegree', { maxSharedEntityDegree: 3 }],
  ['maxSharedEntityDegree Infinity', { maxSharedEntityDegree: Infinity }],
  ['excludeAssessments D and E', { grading: { excludeAssessments: ['D', 'E'] } }],
  ['excludeAssessments none', { grading: { excludeAssessments: [] } }],
];

async function smallFixture(): Promise<RecordSet> {
  const collector = new RecordCollector();
  for (const file of ['entities.csv', 'links.csv'])
    await readRecordCsv(createReadStream(join(SMALL_FIXTURE, file)), file, collector);
  const outcome = collector.finish();
  if (!outcome.ok) throw new Error(`small fixture: ${JSON.stringify(outcome.issues.slice(0, 3))}`);
  return outcome.records;
}

interface Pair {
  source: string;
  target: string;
  weight: number;
  strict: string[];
}

async function pairsInDatabase(driver: Driver, options: ProjectionOptionsInput): Promise<Pair[]> {
  const { query, params } = projectionCypher(options, 'pairs');
  const result = await driver.executeQuery(query, params);
  return result.records.map((record) => ({
    source: record.get('source') as string,
    target: record.get('target') as string,
    weight: record.get('weight') as number,
    strict: record.get('strict') as string[],
  }));
}

/** Spearman's rank correlation (average ranks for ties). */
function spearman(x: number[], y: number[]): number {
  const rank = (values: number[]) => {
    const order = values.map((value, index) => [value, index] as const).sort((a, b) => a[0] - b[0]);
    const ranks = new Array<number>(values.length);
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
      for (let k = i; k <= j; k++) ranks[order[k]![1]] = (i + j) / 2;
      i = j + 1;
    }
    return ranks;
  };
  const rx = rank(x);
  const ry = rank(y);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(rx);
  const my = mean(ry);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i]! - mx) * (ry[i]! - my);
    sxx += (rx[i]! - mx) ** 2;
    syy += (ry[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** The JSON form of a report, as the CLI writes it (NaN → null). */
function json(report: AnalysisReport): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(report, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value)),
  ) as Record<string, unknown>;
}

const maxAbs = (pairs: [number, number][]) => pairs.reduce((max, [a, b]) => Math.max(max, Math.abs(a - b)), 0);

const runnable = neo4jUriOrSkip() !== undefined;

describe('analyseInDatabase: GDS inside Neo4j against the in-process engine', skipUnless(runnable, NO_NEO4J), () => {
  let uri: string;
  let driver: Driver;

  beforeAll(async () => {
    uri = neo4jUri();
    driver = neo4j.driver(uri, undefined, { disableLosslessIntegers: true });
  }, 600_000);

  afterAll(async () => {
    await driver?.close();
  }, 120_000);

  const datasets: [string, () => Promise<RecordSet>][] = [
    ['the small fixture', smallFixture],
    ['a generated small scenario (seed 11)', async () => scenarioRecords({ size: 'small', seed: 11 })],
  ];

  describe.each(datasets)('%s', (_name, recordsOf) => {
    let records: RecordSet;
    let network: NetworkGraph;
    let persons: PersonGraph;

    beforeAll(async () => {
      records = await recordsOf();
      network = buildNetwork(records);
      persons = projectPersons(network);
      await loadThroughStore(driver, uri, records);
    }, 600_000);

    it.each(OPTION_SETS)('projects the same pairs and weights as projectPersons: %s', async (_label, options) => {
      const expected = projectPersons(network, options);
      const pairs = await pairsInDatabase(driver, options);
      expect(pairs.map((pair) => JSON.stringify([pair.source, pair.target])).sort()).toEqual(
        [...expected.edges()].sort(),
      );
      let maxDelta = 0;
      for (const pair of pairs) {
        const key = JSON.stringify([pair.source, pair.target]);
        maxDelta = Math.max(maxDelta, Math.abs(pair.weight - expected.getEdgeAttribute(key, 'weight')));
      }
      expect(maxDelta).toBeLessThanOrEqual(1e-9);
    });

    it('marks each pair with the strictest marking of its evidence', async () => {
      const pairs = await pairsInDatabase(driver, {});
      const entities = new Map(records.entities.map((entity) => [entity.id, entity]));
      const links = new Map(records.links.map((link) => [link.id, link]));
      for (const pair of pairs) {
        const markings = pair.strict.map((item) =>
          item.startsWith('l:')
            ? linkMarking(links.get(item.slice(2)) as Link)
            : entityMarking(entities.get(item.slice(2)) as Entity),
        );
        expect(strictestMarking(markings), pair.source + ' ' + pair.target).toEqual(
          persons.getEdgeAttribute(JSON.stringify([pair.source, pair.target]), 'marking'),
        );
      }
    });

    it('includes isolated persons and drops its GDS graph', async () => {
      const before = await driver.executeQuery('CALL gds.graph.list() YIELD graphName RETURN count(*) AS n');
      const report = await analyseInDatabase(driver, {});
      const after = await driver.executeQuery('CALL gds.graph.list() YIELD graphName RETURN count(*) AS n');
      expect(after.records[0]!.get('n')).toBe(before.records[0]!.get('n'));
      expect(report.graph.nodes).toBe(persons.order);
      expect(report.graph.edges).toBe(persons.size);
    });

    describe.each([false, true])('weighted = %s', (weighted) => {
      let reference: AnalysisReport;
      let report: AnalysisReport;
      const byId = () => new Map(report.nodes.map((node) => [node.id, node]));

      beforeAll(async () => {
        reference = analyse(persons, { weighted }, { mapping: mappingFromNetwork(network) });
        report = await analyseInDatabase(driver, { analysis: { weighted }, samplingSize: persons.order });
      }, 600_000);

      it('lists the nodes in the in-process order, with the same graph summary', () => {
        expect(report.nodes.map((node) => node.id)).toEqual(reference.nodes.map((node) => node.id));
        expect(report.graph).toEqual(reference.graph);
      });

      it('finds the same components, articulation points and bridges', () => {
        const nodes = byId();
        expect(reference.nodes.every((node) => nodes.get(node.id)!.component === node.component)).toBe(true);
        expect(report.articulationPoints).toEqual(reference.articulationPoints);
        expect(report.bridges).toEqual(reference.bridges);
      });

      it('gives the same degree, strength and coreness', () => {
        const nodes = byId();
        for (const node of reference.nodes) {
          const other = nodes.get(node.id)!;
          expect(other.degree).toBe(node.degree);
          expect(other.coreness).toBe(node.coreness);
          expect(Math.abs(other.strength - node.strength)).toBeLessThanOrEqual(1e-9);
        }
      });

      it('gives the converged PageRank: GDS rescaled to sum 1, within 1e-6 of analyse()', () => {
        const nodes = byId();
        // Both run to their fixed point: analyse() by default to within 1e-10, GDS to its tolerance 1e-10.
        const delta = maxAbs(reference.nodes.map((node) => [nodes.get(node.id)!.pagerank, node.pagerank]));
        console.info(`[gds] weighted=${weighted}: max |Δ PageRank| vs analyse() ${delta.toExponential(2)}`);
        expect(delta).toBeLessThanOrEqual(1e-6);
      });

      it('gives the exact betweenness after conversion (samplingSize = n)', () => {
        const nodes = byId();
        // Weighted: compare with exact tie-breaking, as GDS compares path lengths exactly.
        const exact = weighted ? betweennessInProcess(persons, { weighted, tieTolerance: 0 }) : undefined;
        const delta = maxAbs(
          reference.nodes.map((node) => [nodes.get(node.id)!.betweenness, exact ? exact[node.id]! : node.betweenness]),
        );
        console.info(`[gds] weighted=${weighted}: max |Δ betweenness| ${delta.toExponential(2)}`);
        expect(delta).toBeLessThanOrEqual(1e-9);
      });

      it('gives the same closeness, harmonic and clustering (unweighted), null when weighted', () => {
        const nodes = byId();
        for (const key of ['closeness', 'harmonic', 'clustering'] as const) {
          if (weighted) {
            expect(report.nodes.every((node) => Number.isNaN(node[key]))).toBe(true);
            expect(report.warnings.some((warning) => warning.includes(key))).toBe(true);
          } else {
            expect(
              maxAbs(reference.nodes.map((node) => [nodes.get(node.id)![key], node[key]])),
              key,
            ).toBeLessThanOrEqual(1e-9);
          }
        }
      });

      it('finds connected Leiden communities whose modularity is within 0.02 of the in-process Leiden', () => {
        expect(report.communities.algorithm).toBe('leiden');
        // Leiden's guarantee, from GDS too: each community induces a connected subgraph of the persons.
        for (const members of report.communities.members) {
          const inside = new Set(members);
          const reached = new Set([members[0]!]);
          const queue = [members[0]!];
          while (queue.length > 0)
            for (const next of persons.neighbors(queue.pop()!))
              if (inside.has(next) && !reached.has(next)) {
                reached.add(next);
                queue.push(next);
              }
          expect(reached.size, members.join(',')).toBe(members.length);
        }
        const communityOf = Object.fromEntries(report.nodes.map((node) => [node.id, node.community]));
        // GDS's reported modularity is the modularity of its partition in ocgnet's sense.
        expect(
          Math.abs(report.communities.modularity - partitionModularity(persons, communityOf, { weighted })),
        ).toBeLessThanOrEqual(1e-9);
        const gap = reference.communities.modularity - report.communities.modularity;
        console.info(
          `[gds] weighted=${weighted}: modularity in-process ${reference.communities.modularity.toFixed(4)}, GDS ${report.communities.modularity.toFixed(4)}`,
        );
        expect(gap).toBeLessThanOrEqual(0.02);
        expect(report.communities.members.flat().sort()).toEqual(reference.nodes.map((node) => node.id).sort());
      });

      it('compares the communities with the mapping exactly as compareWithMapping does in process', () => {
        // Keyed in renumberPartition's order, as analyse() passes it: NMI sums depend on the order.
        const communityOf = Object.fromEntries(
          report.communities.members.flatMap((members, c) => members.map((id) => [id, c])),
        );
        expect(report.comparison).toEqual(
          compareWithMapping({ communityOf, mapping: mappingFromNetwork(network).groupOf, graph: persons }),
        );
      });

      it('carries the same markings, labels, safeguarding flags and mapped groups', () => {
        const nodes = byId();
        expect(report.marking).toEqual(reference.marking);
        for (const node of reference.nodes) {
          const other = nodes.get(node.id)!;
          expect([other.label, other.marking, other.safeguarding, other.mappedGroup, other.mappedRole]).toEqual([
            node.label,
            node.marking,
            node.safeguarding,
            node.mappedGroup,
            node.mappedRole,
          ]);
        }
      });

      it('has the JSON shape of the in-process report, with warnings for what it leaves out', () => {
        const ours = json(report);
        const theirs = json(reference);
        expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
        for (const key of ['graph', 'communities', 'comparison', 'parameters'] as const) {
          expect(Object.keys(ours[key] as object).sort(), key).toEqual(Object.keys(theirs[key] as object).sort());
        }
        // likelyRole comes from the group roles, which the neo4j engine does not compute.
        const nodeKeys = (report: Record<string, unknown>) =>
          new Set(
            (report.nodes as Record<string, unknown>[])
              .flatMap((node) => Object.keys(node))
              .filter((key) => key !== 'likelyRole'),
          );
        expect([...nodeKeys(ours)].sort()).toEqual([...nodeKeys(theirs)].sort());
        for (const node of ours.nodes as Record<string, unknown>[]) {
          expect(node.constraint).toBeNull();
          expect(node.effectiveSize).toBeNull();
          expect(node.eigenvector).toBeNull();
        }
        expect(report.roles).toEqual([]);
        expect(report.brokers).toEqual([]);
        expect(report.cutPoints).toEqual([]);
        for (const word of ['constraint', 'eigenvector', 'brokers', 'GDS Leiden']) {
          expect(
            report.warnings.some((warning) => warning.includes(word)),
            word,
          ).toBe(true);
        }
      });
    });

    it("runs GDS Louvain on request, and Leiden at a resolution through GDS's gamma", async () => {
      const louvain = await analyseInDatabase(driver, { analysis: { communityAlgorithm: 'louvain' } });
      expect(louvain.communities.algorithm).toBe('louvain');
      expect(louvain.warnings.some((warning) => warning.includes('GDS Louvain'))).toBe(true);
      const fine = await analyseInDatabase(driver, { analysis: { resolution: 2 } });
      const coarse = await analyseInDatabase(driver, { analysis: { resolution: 0.5 } });
      expect(fine.communities.members.length).toBeGreaterThan(coarse.communities.members.length);
      // GDS's reported modularity is ocgnet's at the same resolution.
      for (const [report, resolution] of [
        [fine, 2],
        [coarse, 0.5],
      ] as const) {
        const communityOf = Object.fromEntries(report.nodes.map((node) => [node.id, node.community]));
        expect(
          Math.abs(
            report.communities.modularity - partitionModularity(persons, communityOf, { resolution, weighted: false }),
          ),
        ).toBeLessThanOrEqual(1e-9);
      }
    });

    it('estimates betweenness from a sample that ranks nodes as the exact values do (Spearman ≥ 0.9)', async () => {
      const exact = await analyseInDatabase(driver, { samplingSize: persons.order });
      const sampleSize = Math.ceil(persons.order / 4);
      const sampled = await analyseInDatabase(driver, { samplingSize: sampleSize, samplingSeed: 42 });
      const x = exact.nodes.map((node) => node.betweenness);
      const y = sampled.nodes.map((node) => node.betweenness);
      const rho = spearman(x, y);
      const ratio = y.reduce((a, b) => a + b, 0) / x.reduce((a, b) => a + b, 0);
      console.info(
        `[gds] sampled betweenness (${sampleSize} of ${persons.order}): Spearman ${rho.toFixed(3)}, total sampled / exact ${ratio.toFixed(3)}`,
      );
      expect(rho).toBeGreaterThanOrEqual(0.9);
      // Scaled by n / samplingSize, the sampled totals estimate the exact ones.
      expect(ratio).toBeGreaterThan(0.7);
      expect(ratio).toBeLessThan(1.3);
      expect(sampled.warnings.some((warning) => warning.includes('estimated'))).toBe(true);
    });
  });

  it('rejects what GDS cannot do, naming the option', async () => {
    await expect(
      analyseInDatabase(driver, { analysis: { communityAlgorithm: 'louvain', resolution: 2 } }),
    ).rejects.toThrow(/analysis\.resolution/);
    await expect(analyseInDatabase(driver, { samplingSize: 0 })).rejects.toThrow(/samplingSize/);
    await expect(analyseInDatabase(driver, { projection: { maxSharedEntityDegree: -1 } })).rejects.toThrow(
      /maxSharedEntityDegree/,
    );
    await expect(analyseInDatabase(driver, { projection: { recency: { halfLifeDays: 0 } } })).rejects.toThrow(
      /halfLifeDays/,
    );
  });
});
