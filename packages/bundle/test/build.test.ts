/**
 * The one builder: records bundles are rebuilt attribute by attribute from an
 * allow-list, every mapped group is planned, and a group whose planning fails
 * is reported without removing the others' plans.
 */
import Graph from 'graphology';
import { describe, expect, it } from 'vitest';
import { analyse, analyseRecords, NODE_METRIC_FIELDS } from '@ocgnet/analysis';
import { planDisruption } from '@ocgnet/disruption';
import { scenarioRecords } from '@ocgnet/generator';
import { audienceById, defaultAudiences } from '@ocgnet/profiles';
import { SAFEGUARDING_FLAGS, type Marking } from '@ocgnet/schema';
import { describePlanFailure, parseViewerBundle } from '../src/index.js';
import { buildResearchViewerBundle, buildViewerBundle } from '../src/build.js';

const analyst = audienceById(defaultAudiences(), 'police-analyst');
const town = () => scenarioRecords({ size: 'small', seed: 42 });

const PERSON_KEYS = new Set<string>([
  'label',
  'kind',
  'marking',
  ...SAFEGUARDING_FLAGS,
  'mappedGroup',
  'mappedRole',
  'likelyRole',
  'aliases',
  'articulation',
  'safeguarding',
  ...NODE_METRIC_FIELDS,
]);
const ASSOCIATION_KEYS = new Set([
  'weight',
  'channels',
  'count',
  'firstSeen',
  'lastSeen',
  'marking',
  'linkTypes',
  'gradings',
  'handling',
]);
const ENTITY_KEYS = new Set(['kind', 'label', 'marking', ...SAFEGUARDING_FLAGS]);
const LINK_KEYS = new Set(['type', 'start', 'end', 'grading', 'handling', 'marking', 'weight']);

function keysOutside(items: { attributes?: Record<string, unknown> }[], allowed: Set<string>): string[] {
  return [...new Set(items.flatMap((item) => Object.keys(item.attributes ?? {})))].filter((key) => !allowed.has(key));
}

describe('buildViewerBundle', () => {
  const records = town();
  const bundle = buildViewerBundle(records, { audience: analyst });

  it('holds only allow-listed attributes: no record, no evidence, nothing else', () => {
    expect(keysOutside(bundle.graph.nodes, PERSON_KEYS)).toEqual([]);
    expect(keysOutside(bundle.graph.edges, ASSOCIATION_KEYS)).toEqual([]);
    expect(keysOutside(bundle.network.nodes, ENTITY_KEYS)).toEqual([]);
    expect(keysOutside(bundle.network.edges, LINK_KEYS)).toEqual([]);
    // (Plans carry their own evidence summaries, by design: the graphs never do.)
    expect(/"(record|evidence)":/.exec(JSON.stringify([bundle.graph, bundle.network]))).toBeNull();
  });

  it('gives every person every metric of NODE_METRIC_FIELDS, and the safeguarding flags of its record', () => {
    const persons = records.entities.filter((entity) => entity.kind === 'person');
    expect(bundle.graph.nodes).toHaveLength(persons.length);
    const byId = new Map(persons.map((person) => [person.id, person as unknown as Record<string, unknown>]));
    let flagged = 0;
    for (const node of bundle.graph.nodes) {
      for (const field of NODE_METRIC_FIELDS)
        expect(typeof node.attributes![field], `${node.key} ${field}`).toBe('number');
      for (const flag of SAFEGUARDING_FLAGS)
        expect(node.attributes![flag], `${node.key} ${flag}`).toBe(byId.get(node.key)![flag] === true);
      if (SAFEGUARDING_FLAGS.some((flag) => node.attributes![flag] === true)) flagged += 1;
    }
    expect(flagged).toBeGreaterThan(0);
  });

  it('plans every mapped OCG and USG, in id order, with no failures, and parses', () => {
    const groups = records.entities
      .filter((entity) => entity.kind === 'ocg' || entity.kind === 'usg')
      .map((entity) => entity.id);
    expect(bundle.plans.map((plan) => plan.group.id)).toEqual([...groups].sort());
    expect(bundle.planFailures).toEqual([]);
    expect(parseViewerBundle(JSON.parse(JSON.stringify(bundle))).plans).toHaveLength(groups.length);
  });

  it('plans: false leaves plans out', () => {
    const without = buildViewerBundle(records, { audience: analyst, plans: false });
    expect(without.plans).toEqual([]);
    expect(without.planFailures).toEqual([]);
  });
});

describe('a group whose planning fails', () => {
  it('is reported with its code and message, and the other groups keep their plans', () => {
    const records = town();
    const computed = analyseRecords(records);
    const groups = Object.keys(computed.mapping.membersOf).sort();
    const broken = groups[0]!;
    // A member node without its record: the planner's levers refuse that network (a real failure, not a stub).
    const member = computed.mapping.membersOf[broken]![0]!;
    computed.network.removeNodeAttribute(member, 'record');
    let expected: unknown;
    try {
      planDisruption(computed.network, computed.persons, { ocg: broken, mapping: computed.mapping });
    } catch (error) {
      expected = error;
    }
    expect(expected).toBeInstanceOf(Error);

    const bundle = buildViewerBundle(records, { audience: analyst, computed });
    expect(bundle.planFailures).toEqual([
      { group: broken, code: (expected as { code: string }).code, message: (expected as Error).message },
    ]);
    expect(bundle.plans.map((plan) => plan.group.id)).toEqual(groups.filter((group) => group !== broken));
    expect(describePlanFailure(bundle.planFailures![0]!)).toContain(broken);
    // The report survives the trip through JSON and the contract.
    expect(parseViewerBundle(JSON.parse(JSON.stringify(bundle))).planFailures).toEqual(bundle.planFailures);
  });
});

describe('buildResearchViewerBundle', () => {
  it('merges parallel and opposite edges into one association per pair: weights and counts summed, dates widened', () => {
    const graph = new Graph({ type: 'directed', multi: true });
    for (const node of ['a', 'b', 'c']) graph.addNode(node);
    graph.addEdge('a', 'b', { weight: 2, firstSeen: '2024-02-01', lastSeen: '2024-02-10' });
    graph.addEdge('b', 'a', { weight: 3, count: 2, firstSeen: '2024-01-15', lastSeen: '2024-01-20' });
    graph.addEdge('a', 'c');
    const bundle = buildResearchViewerBundle(graph);
    expect(bundle.graph.edges).toHaveLength(2);
    const ab = bundle.graph.edges.find((edge) => edge.source === 'a' && edge.target === 'b')!.attributes!;
    expect(ab).toMatchObject({ weight: 5, count: 3, firstSeen: '2024-01-15', lastSeen: '2024-02-10', handling: 'P' });
    const ac = bundle.graph.edges.find((edge) => edge.target === 'c')!.attributes!;
    expect(ac).toMatchObject({ weight: 1, count: 1 });
    expect(ac).not.toHaveProperty('firstSeen');
  });

  const ring = () => {
    const graph = new Graph({ type: 'undirected' });
    for (let i = 0; i < 12; i++) graph.mergeEdge(`n${i}`, `n${(i + 1) % 12}`);
    graph.mergeEdge('n0', 'n6');
    return graph;
  };

  it('has the full analysis up to fullAnalysisLimit nodes', () => {
    const bundle = parseViewerBundle(
      JSON.parse(JSON.stringify(buildResearchViewerBundle(ring(), { fullAnalysisLimit: 12 }))),
    );
    expect(bundle.analysis?.nodes).toHaveLength(12);
    expect(
      bundle.graph.edges.every(
        (edge) => Array.isArray(edge.attributes?.gradings) && (edge.attributes.gradings as unknown[]).length === 0,
      ),
    ).toBe(true);
  });

  it('above the limit: no analysis (the contract allows it), degree and community per node only', () => {
    const bundle = buildResearchViewerBundle(ring(), { fullAnalysisLimit: 11 });
    expect(bundle.analysis).toBeUndefined();
    const parsed = parseViewerBundle(JSON.parse(JSON.stringify(bundle)));
    expect(parsed.analysis).toBeUndefined();
    const n0 = parsed.graph.nodes.find((node) => node.key === 'n0')!.attributes!;
    expect(n0.degree).toBe(3);
    expect(typeof n0.community).toBe('number');
    expect(n0.betweenness).toBeNull();
  });

  it("uses the caller's analysis, keeps the graph's markings and flags, and drops every other attribute", () => {
    const graph = ring();
    const restricted: Marking = { handling: 'R', conditions: ['Police use only'] };
    graph.mergeNodeAttributes('n3', {
      marking: restricted,
      vulnerable: true,
      record: { secret: 1 },
      notes: 'free text',
    });
    graph.mergeEdgeAttributes(graph.edge('n0', 'n6')!, {
      marking: restricted,
      evidence: [{ links: ['L1'] }],
      count: 3,
      channels: ['associate', 'co_location'],
      firstSeen: '2024-01-02',
      lastSeen: '2024-03-04',
    });
    const report = analyse(graph, {});
    const bundle = buildResearchViewerBundle(graph, { computed: report });
    expect(bundle.analysis).toBe(report);
    const n3 = bundle.graph.nodes.find((node) => node.key === 'n3')!.attributes!;
    expect(n3).toMatchObject({ marking: restricted, vulnerable: true });
    expect(keysOutside(bundle.graph.nodes, PERSON_KEYS)).toEqual([]);
    expect(keysOutside(bundle.graph.edges, ASSOCIATION_KEYS)).toEqual([]);
    const chord = bundle.graph.edges.find((edge) => [edge.source, edge.target].sort().join() === 'n0,n6')!;
    expect(chord.attributes).toMatchObject({
      marking: restricted,
      handling: 'R',
      count: 3,
      channels: ['associate', 'co_location'],
      firstSeen: '2024-01-02',
      lastSeen: '2024-03-04',
    });
    // The bundle is marked as strictly as the strictest thing in it.
    expect(bundle.marking.handling).toBe('R');
    expect(bundle.marking.conditions).toEqual(['Police use only']);
  });
});
