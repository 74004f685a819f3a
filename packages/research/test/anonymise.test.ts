/**
 * The anonymised export: metrics survive anonymisation unchanged (under the
 * pseudonym mapping), every format reads back to the same graph, no input
 * identifier or free text appears in any output byte, and the generalisations
 * (age bands, areas, dates, gradings) do what the README says.
 */
import { describe, expect, it } from 'vitest';
import Graph from 'graphology';
import type { AbstractGraph } from 'graphology-types';
import { betweenness, communities, connectedComponents, degree, pagerank, partitionModularity } from '@ocgnet/analysis';
import type { Entity, Link } from '@ocgnet/schema';
import {
  anonymisePersons,
  EXPORT_FORMATS,
  manifestJson,
  Pseudonymiser,
  readExportedGraph,
  type ExportFormat,
} from '../src/index.js';
import { ageBand, ageOn, generaliseChannels, generaliseWeight, generaliseDate } from '../src/anonymise.js';
import { EXPORT_FILE_NAMES } from '../src/formats.js';
import { runReference } from '../../../test/reference/python.js';
import { caviar, CONTEXT, exportAndAttack, smallScenario, TEST_KEY } from './research.fixtures.js';

const relativeClose = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) || a === b;

/** The original graph renamed by the mapping and rebuilt in the export's order (nodes by pseudonym, edges by endpoints). */
function renamedInExportOrder(original: AbstractGraph, pseudonymOf: Map<string, string>): Graph {
  const graph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: true });
  for (const node of original
    .nodes()
    .map((id) => pseudonymOf.get(id)!)
    .sort())
    graph.addNode(node);
  const edges = original.mapEdges((_e, attributes, source, target) => {
    const [a, b] = [pseudonymOf.get(source)!, pseudonymOf.get(target)!].sort();
    return { a: a!, b: b!, weight: attributes.weight as number };
  });
  edges.sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
  for (const edge of edges) graph.addUndirectedEdge(edge.a, edge.b, { weight: edge.weight });
  return graph;
}

/** Every handling code permitted for research, so the export is made from the whole projection. */
const ALL_EVIDENCE = () => true;

describe('metrics are preserved by anonymisation without perturbation', () => {
  it('degree, betweenness, PageRank, components and Louvain on the export equal @ocgnet/analysis on the original, under the pseudonym mapping', async () => {
    const { network, persons } = await smallScenario();
    const exported = exportAndAttack(
      { model: 'records', network, persons },
      TEST_KEY,
      { minK: 1, researchUse: ALL_EVIDENCE },
      CONTEXT,
    );
    if (!exported.ok) throw new Error('refused');
    const { results } = exported.manifest;
    const mapping = exported.anonymised.pseudonymOf;
    const originalDegree = degree(persons);
    const originalBetweenness = betweenness(persons);
    const originalPagerank = pagerank(persons);
    expect(Object.keys(results.nodes)).toHaveLength(persons.order);
    let compared = 0;
    for (const [id, pseudonym] of mapping) {
      const recorded = results.nodes[pseudonym]!;
      expect(recorded.degree).toBe(originalDegree[id]);
      expect(relativeClose(recorded.betweenness, originalBetweenness[id]!), `betweenness of ${pseudonym}`).toBe(true);
      expect(relativeClose(recorded.pagerank, originalPagerank[id]!), `PageRank of ${pseudonym}`).toBe(true);
      compared++;
    }
    expect(compared).toBe(156);
    expect(Object.values(originalBetweenness).some((value) => value > 0.05)).toBe(true);
    expect(results.edges).toBe(persons.size);

    const components = connectedComponents(persons);
    expect(results.components).toBe(components.count);
    expect(results.largestComponent).toBe(components.sizes[0]);

    // Louvain visits nodes in graph order: on the original in the export's order, the same seed gives the same partition.
    const reordered = communities(renamedInExportOrder(persons, mapping), { seed: 1, weighted: false });
    expect(results.communities).toBe(reordered.count);
    expect(results.modularity).toBe(reordered.modularity);
    for (const pseudonym of mapping.values())
      expect(results.nodes[pseudonym]!.community).toBe(reordered.communityOf[pseudonym]);
    // And the original's own partition scores the same modularity on the export as on the original.
    const own = communities(persons, { seed: 1, weighted: false });
    const renamed = Object.fromEntries([...mapping].map(([id, pseudonym]) => [pseudonym, own.communityOf[id]!]));
    expect(relativeClose(partitionModularity(exported.graph, renamed, { weighted: false }), own.modularity)).toBe(true);
  });
});

describe('metrics of the re-imported export equal networkx (igraph for PageRank) on the original graph', () => {
  it('degree, betweenness and PageRank, under the pseudonym mapping, to a relative 1e-9 (small scenario and caviar)', async () => {
    const { network, persons } = await smallScenario();
    const sources = [
      { name: 'small', source: { model: 'records' as const, network, persons }, original: persons as AbstractGraph },
      { name: 'caviar', source: { model: 'research' as const, graph: await caviar() }, original: await caviar() },
    ];
    const specs = sources.map(({ name, original }) => ({
      name,
      nodes: original.nodes(),
      edges: original.mapEdges((_e, attributes, source, target) => [
        source,
        target,
        (attributes.weight as number | undefined) ?? 1,
      ]),
    }));
    const reference = runReference<{
      graphs: { name: string; metrics: Record<string, Record<string, number> | null> }[];
    }>('centrality.py', { graphs: specs });
    // PageRank at its fixed point (igraph's PRPACK), as ocgnet's default rule computes it.
    const converged = runReference<{ graphs: { metrics: Record<string, Record<string, number> | null> }[] }>(
      'converged.py',
      { graphs: specs },
    );
    for (const [i, { name, source }] of sources.entries()) {
      const exported = exportAndAttack(
        source,
        TEST_KEY,
        { minK: 1, formats: ['graphml'], researchUse: ALL_EVIDENCE },
        CONTEXT,
      );
      if (!exported.ok) throw new Error('refused');
      const parsed = await readExportedGraph('graphml', (file) => exported.files.get(file)!, false);
      if (!parsed.ok) throw new Error('unreadable');
      const ours = {
        degree: degree(parsed.graph),
        betweenness: betweenness(parsed.graph),
        pagerank: pagerank(parsed.graph),
      };
      const metrics: Record<string, Record<string, number> | null | undefined> = {
        ...reference.graphs[i]!.metrics,
        pagerank: converged.graphs[i]!.metrics['pagerank.igraph'],
      };
      let compared = 0;
      for (const [id, pseudonym] of exported.anonymised.pseudonymOf) {
        expect(ours.degree[pseudonym], `${name} degree ${id}`).toBe(metrics.degree![id]);
        for (const metric of ['betweenness', 'pagerank'] as const) {
          expect(
            relativeClose(ours[metric][pseudonym]!, metrics[metric]![id]!),
            `${name} ${metric} ${id}: ${ours[metric][pseudonym]} vs ${metrics[metric]![id]}`,
          ).toBe(true);
          expect(
            relativeClose(exported.manifest.results.nodes[pseudonym]![metric], metrics[metric]![id]!),
            `${name} recorded ${metric} ${id}`,
          ).toBe(true);
        }
        compared++;
      }
      expect(compared).toBe(name === 'small' ? 156 : 110);
    }
  });
});

/** Compares a re-imported graph with the exported one: nodes in order, edges with weights, and (where the format has them) attributes. */
function expectSameGraph(exported: AbstractGraph, reimported: AbstractGraph, withAttributes: boolean): void {
  expect(reimported.nodes()).toEqual(exported.nodes());
  expect(reimported.size).toBe(exported.size);
  exported.forEachEdge((_edge, attributes, source, target, _sa, _ta, undirected) => {
    const found = undirected ? reimported.undirectedEdge(source, target) : reimported.directedEdge(source, target);
    expect(found, `${source} ${target}`).toBeDefined();
    const back = reimported.getEdgeAttributes(found!);
    expect(back.weight).toBe(attributes.weight);
    if (withAttributes)
      for (const [name, value] of Object.entries(attributes)) expect(back[name], `edge ${name}`).toEqual(value);
  });
  if (withAttributes) {
    exported.forEachNode((node, attributes) => {
      const back = reimported.getNodeAttributes(node);
      for (const [name, value] of Object.entries(attributes)) expect(back[name], `node ${node} ${name}`).toEqual(value);
    });
  }
}

const CARRIES_ATTRIBUTES: Record<ExportFormat, boolean> = {
  graphml: true,
  gexf: true,
  csv: true,
  pajek: false,
  dl: false,
};

describe('round trip: every export format reads back to the same graph', () => {
  it('on the small scenario (attributes included where the format holds them)', async () => {
    const { network, persons } = await smallScenario();
    const exported = exportAndAttack({ model: 'records', network, persons }, TEST_KEY, { perturb: true }, CONTEXT);
    if (!exported.ok) throw new Error('refused');
    for (const format of EXPORT_FORMATS) {
      const parsed = await readExportedGraph(format, (name) => exported.files.get(name)!, false);
      if (!parsed.ok) throw new Error(`${format}: ${JSON.stringify(parsed.issues.slice(0, 3))}`);
      expectSameGraph(exported.graph, parsed.graph, CARRIES_ATTRIBUTES[format]);
    }
  });

  it('on caviar (weighted) and on a directed network', async () => {
    const directed = new Graph({ type: 'directed' });
    for (const node of ['a', 'b', 'c', 'd', 'e', 'f']) directed.addNode(node, { label: `Person ${node}` });
    for (const [s, t, w] of [
      ['a', 'b', 2],
      ['b', 'a', 1],
      ['c', 'd', 0.5],
      ['e', 'f', 3],
      ['a', 'c', 1],
      ['d', 'e', 1],
    ] as const)
      directed.addDirectedEdge(s, t, { weight: w });
    for (const [graph, directedFlag, minK] of [
      [await caviar(), false, 5],
      [directed, true, 1],
    ] as const) {
      const exported = exportAndAttack({ model: 'research', graph }, TEST_KEY, { perturb: true, minK }, CONTEXT);
      if (!exported.ok) throw new Error('refused');
      expect(exported.graph.type).toBe(directedFlag ? 'directed' : 'undirected');
      for (const format of EXPORT_FORMATS) {
        const parsed = await readExportedGraph(format, (name) => exported.files.get(name)!, directedFlag);
        if (!parsed.ok) throw new Error(`${format}: ${JSON.stringify(parsed.issues.slice(0, 3))}`);
        expectSameGraph(exported.graph, parsed.graph, CARRIES_ATTRIBUTES[format]);
      }
    }
  });
});

/** Every string in the input that must not reach an output: ids, names, labels, aliases, notes, addresses, numbers, VRMs, exact dates of birth, graded attribute text. */
function secretsOf(entities: Entity[], links: Link[]): Map<string, string> {
  const secrets = new Map<string, string>();
  const add = (value: unknown, what: string) => {
    if (typeof value === 'string' && value.length >= 3 && !secrets.has(value)) secrets.set(value, what);
  };
  for (const entity of entities) {
    add(entity.id, 'id');
    add(entity.notes, 'note');
    for (const attribute of entity.attributes ?? []) add(attribute.value, `attribute ${attribute.name}`);
    if (entity.kind === 'location') {
      add(entity.address, 'address');
      add(entity.label, 'address label');
    } else if (entity.kind !== 'ocg' && entity.kind !== 'usg') add(entity.label, `${entity.kind} label`);
    if (entity.kind === 'person') {
      add(entity.date_of_birth, 'date of birth');
      for (const alias of entity.aliases ?? []) add(alias, 'alias');
    }
    if (entity.kind === 'phone') add(entity.number, 'phone number');
    if (entity.kind === 'vehicle') add(entity.vrm, 'VRM');
    if (entity.kind === 'business') add(entity.company_number, 'company number');
  }
  for (const link of links) {
    add(link.id, 'link id');
    add(link.notes, 'link note');
  }
  return secrets;
}

describe('no identifier or free text reaches any output file', () => {
  for (const dates of ['month', 'shift'] as const) {
    it(`scans every byte of every file and the manifest (dates: ${dates})`, async () => {
      const { records, network, persons } = await smallScenario();
      const exported = exportAndAttack(
        { model: 'records', network, persons },
        TEST_KEY,
        { perturb: true, dates },
        CONTEXT,
      );
      if (!exported.ok) throw new Error('refused');
      const secrets = secretsOf(records.entities, records.links);
      const kinds = new Set(secrets.values());
      for (const kind of ['id', 'person label', 'address', 'phone number', 'VRM', 'date of birth', 'note', 'alias'])
        expect(kinds, kind).toContain(kind);
      expect(secrets.size).toBeGreaterThan(2000);
      const outputs = new Map(exported.files);
      outputs.set('manifest.json', manifestJson(exported.manifest));
      const leaks: string[] = [];
      for (const [file, text] of outputs)
        for (const [secret, what] of secrets)
          if (text.includes(secret)) leaks.push(`${file}: ${what} ${JSON.stringify(secret)}`);
      expect(leaks).toEqual([]);
      // The key itself, in any form, is not there either.
      for (const text of outputs.values()) expect(text).not.toContain(TEST_KEY.toString('hex'));
    });
  }
});

describe('generalisation', () => {
  it('ages become bands at the reference date', () => {
    expect(ageOn('2000-06-15', '2025-06-14')).toBe(24);
    expect(ageOn('2000-06-15', '2025-06-15')).toBe(25);
    const bounds = [18, 25, 35, 45, 55];
    expect([10, 17, 18, 24, 25, 44, 54, 55, 90].map((age) => ageBand(age, bounds))).toEqual([
      'under 18',
      'under 18',
      '18-24',
      '18-24',
      '25-34',
      '35-44',
      '45-54',
      '55+',
      '55+',
    ]);
  });

  it('dates become months, quarters, or shift by one secret offset per key', () => {
    expect(generaliseDate('2024-05-31', 'month', 0)).toBe('2024-05');
    expect(generaliseDate('2024-05-31', 'quarter', 0)).toBe('2024-Q2');
    expect(generaliseDate('2024-12-01T10:00:00Z', 'quarter', 0)).toBe('2024-Q4');
    expect(generaliseDate('2024-02-28', 'shift', 2)).toBe('2024-03-01');
  });

  it('keeps intervals under a shift, and the shift differs between keys', async () => {
    const { network, persons } = await smallScenario();
    const edgeDates = (key: Buffer) => {
      const { graph } = anonymisePersons(persons, network, new Pseudonymiser(key), {
        dates: 'shift',
        researchUse: ALL_EVIDENCE,
      });
      return graph
        .mapEdges((_e, attributes) => attributes.first_seen as string | undefined)
        .filter((day): day is string => day !== undefined);
    };
    const original = persons
      .mapEdges((_e, attributes) => attributes.firstSeen)
      .filter((day): day is string => day !== undefined)
      .sort();
    const a = edgeDates(TEST_KEY).sort();
    const b = edgeDates(Buffer.alloc(32, 1)).sort();
    const days = (x: string, y: string) => (Date.parse(y) - Date.parse(x)) / 86_400_000;
    const shiftA = days(original[0]!, a[0]!);
    const shiftB = days(original[0]!, b[0]!);
    expect(Math.abs(shiftA)).toBeGreaterThanOrEqual(30);
    expect(shiftA).not.toBe(shiftB);
    for (let i = 0; i < original.length; i++) expect(days(original[i]!, a[i]!)).toBe(shiftA);
  });

  it('carries age band and area on nodes; weight, channels, assessment and coarse dates on edges; no handling code anywhere; nothing else', async () => {
    const { network, persons } = await smallScenario();
    for (const researchUse of [undefined, ALL_EVIDENCE]) {
      const { graph, handling, conditionsApply, suppressed } = anonymisePersons(
        persons,
        network,
        new Pseudonymiser(TEST_KEY),
        researchUse ? { researchUse } : {},
      );
      graph.forEachNode((_node, attributes) => expect(Object.keys(attributes).sort()).toEqual(['age_band', 'area']));
      graph.forEachEdge((_edge, attributes) => {
        for (const name of Object.keys(attributes))
          expect(['weight', 'channels', 'assessment', 'first_seen', 'last_seen']).toContain(name);
        expect(attributes.assessment).toMatch(/^([A-E]|legacy)$/);
        if (attributes.first_seen !== undefined) expect(attributes.first_seen).toMatch(/^\d{4}-\d{2}$/);
      });
      expect(suppressed.area).toBeGreaterThan(0);
      // By default only handling P is used; with everything permitted the export rests partly on legacy (R) and C evidence.
      expect(handling).toBe(researchUse ? 'R' : 'P');
      expect(conditionsApply).toBe(Boolean(researchUse));
      if (!researchUse) graph.forEachEdge((_edge, attributes) => expect(attributes.assessment).not.toBe('legacy'));
    }
  });

  it('generalises weights to powers of two or 1, channels to their classes, and dates to years or nothing', async () => {
    expect([0.3, 1, 1.9, 2, 3.99, 4, 40].map((weight) => generaliseWeight(weight, 'bands'))).toEqual([
      0.25, 1, 1, 2, 2, 4, 32,
    ]);
    expect(generaliseWeight(40, 'none')).toBe(1);
    expect(generaliseWeight(40, 'exact')).toBe(40);
    expect(generaliseChannels(['shared_phone', 'associate', 'family', 'phone_contact'], 'coarse')).toBe(
      'direct;phone;shared',
    );
    expect(generaliseChannels(['shared_phone', 'associate'], 'exact')).toBe('associate;shared_phone');
    expect(generaliseDate('2024-05-31', 'year', 0)).toBe('2024');
    const { network, persons } = await smallScenario();
    const { graph } = anonymisePersons(persons, network, new Pseudonymiser(TEST_KEY), {
      weights: 'bands',
      channels: 'coarse',
      dates: 'none',
    });
    expect(graph.size).toBeGreaterThan(100);
    graph.forEachEdge((_edge, attributes) => {
      expect(Math.log2(attributes.weight as number) % 1).toBe(0);
      expect(attributes.channels).toMatch(/^(direct|phone|shared)(;(direct|phone|shared))*$/);
      expect(attributes.first_seen).toBeUndefined();
      expect(attributes.last_seen).toBeUndefined();
    });
  });

  it('suppresses (age band, area) combinations rarer than k, so every remaining combination is held by at least k nominals', async () => {
    const { network, persons } = await smallScenario();
    for (const minK of [2, 5, 10]) {
      const { graph } = anonymisePersons(persons, network, new Pseudonymiser(TEST_KEY), { minK });
      const counts = new Map<string, number>();
      graph.forEachNode((_node, attributes) => {
        const key = `${attributes.age_band}|${attributes.area}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      });
      // The fully suppressed group too: it is made up to k when it falls short.
      for (const [key, count] of counts) expect(count, key).toBeGreaterThanOrEqual(minK);
    }
  });

  it('names each export file after its format', () => {
    expect(Object.keys(EXPORT_FILE_NAMES).sort()).toEqual([...EXPORT_FORMATS].sort());
  });
});
