/**
 * Makes a viewer bundle (bundle.json) for tests and demos, from the bundled
 * small fixture or from a generated scenario:
 *
 *   pnpm --filter @ocgnet/viewer make-bundle -- --fixture ../../fixtures/small --out small.bundle.json
 *   pnpm --filter @ocgnet/viewer make-bundle -- --size medium --seed 7 --out medium.bundle.json
 *
 * The bundle comes from the server helper's `buildViewerBundle`
 * (@ocgnet/server/bundle) for the police-analyst audience. `bundleFromRecords`
 * below builds the same shape from the same packages (analyse, buildNetwork,
 * projectPersons, planDisruption); it is the fallback when the server
 * package cannot be loaded.
 */
import { createReadStream, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyse, mappingFromNetwork, type AnalysisReport } from '@ocgnet/analysis';
import { planDisruption, type DisruptionPlan } from '@ocgnet/disruption';
import { generateScenario } from '@ocgnet/generator';
import { buildNetwork, projectPersons } from '@ocgnet/graph';
import { RecordCollector, readRecordCsv } from '@ocgnet/io';
import { DEFAULT_CLASSIFICATION, formatGrading, linkInterval, strictestMarking, type Marking, type RecordSet } from '@ocgnet/schema';
import type { SerializedGraph } from 'graphology-types';
import type { ViewerBundle } from '@ocgnet/server/bundle';

export type { ViewerBundle };

/** Reads an entities.csv + links.csv folder. */
export async function readRecordFolder(folder: string): Promise<RecordSet> {
  const collector = new RecordCollector();
  for (const name of ['entities.csv', 'links.csv']) {
    const file = join(folder, name);
    await readRecordCsv(createReadStream(file), file, collector);
  }
  const outcome = collector.finish();
  if (!outcome.ok) throw new Error(`${folder}: ${outcome.issues.length} invalid record(s)`);
  return outcome.records;
}

/** One generated town's records. */
export function generatedRecords(size: 'small' | 'medium', seed: number): RecordSet {
  const chunk = generateScenario({ size, seed }).next().value;
  if (!chunk) throw new Error('the generator produced nothing');
  return { entities: chunk.entities, links: chunk.links };
}

const FLAGS = ['vulnerable', 'under_18', 'exploited', 'cuckooed'] as const;

/** A viewer bundle of `records`: analysis, both graphs flattened for the browser, and a plan per mapped OCG. */
export function bundleFromRecords(records: RecordSet, options: { audience?: string; plans?: boolean } = {}): ViewerBundle {
  const network = buildNetwork(records);
  const persons = projectPersons(network);
  const mapping = mappingFromNetwork(network);
  const analysis: AnalysisReport = analyse(persons, {}, { mapping });
  const metricsOf = new Map(analysis.nodes.map((node) => [node.id, node]));

  const graph: SerializedGraph = { attributes: {}, options: { type: 'undirected', multi: false, allowSelfLoops: false }, nodes: [], edges: [] };
  persons.forEachNode((id, attributes) => {
    const metrics = metricsOf.get(id)!;
    const { id: _id, label: _label, marking: _marking, likelyRole, ...numbers } = metrics;
    graph.nodes.push({
      key: id,
      attributes: {
        label: attributes.label,
        kind: 'person',
        marking: attributes.marking,
        vulnerable: attributes.vulnerable,
        under_18: attributes.under_18,
        exploited: attributes.exploited,
        cuckooed: attributes.cuckooed,
        ...numbers,
        ...(likelyRole !== undefined ? { likelyRole } : {}),
      },
    });
  });
  persons.forEachEdge((key, attributes, source, target) => {
    const linkTypes = new Set<string>();
    for (const evidence of attributes.evidence) for (const link of evidence.links) if (network.hasEdge(link)) linkTypes.add(network.getEdgeAttribute(link, 'type'));
    graph.edges.push({
      key,
      source,
      target,
      attributes: {
        weight: attributes.weight,
        channels: attributes.channels,
        count: attributes.count,
        ...(attributes.firstSeen !== undefined ? { firstSeen: attributes.firstSeen } : {}),
        ...(attributes.lastSeen !== undefined ? { lastSeen: attributes.lastSeen } : {}),
        marking: attributes.marking,
        linkTypes: [...linkTypes].sort(),
        handling: attributes.marking.handling,
      },
    });
  });

  const multimodal: SerializedGraph = { attributes: {}, options: { type: 'mixed', multi: true, allowSelfLoops: false }, nodes: [], edges: [] };
  network.forEachNode((id, attributes) => {
    const record = attributes.record as unknown as Record<string, unknown>;
    const flags: Record<string, boolean> = {};
    for (const flag of FLAGS) if (record[flag] === true) flags[flag] = true;
    multimodal.nodes.push({ key: id, attributes: { kind: attributes.kind, label: attributes.label, marking: attributes.marking, ...flags } });
  });
  network.forEachEdge((key, attributes, source, target, _s, _t, undirected) => {
    const interval = linkInterval(attributes.record);
    multimodal.edges.push({
      key,
      source,
      target,
      undirected,
      attributes: {
        type: attributes.type,
        ...(interval.start !== undefined ? { start: interval.start } : {}),
        ...(interval.end !== undefined ? { end: interval.end } : {}),
        grading: formatGrading(attributes.record.grading),
        handling: attributes.marking.handling,
        marking: attributes.marking,
        weight: attributes.weight,
      },
    });
  });

  const plans: DisruptionPlan[] = [];
  if (options.plans !== false) {
    for (const [group, kind] of Object.entries(mapping.kindOf).sort()) {
      if (kind !== 'ocg') continue;
      try {
        plans.push(planDisruption(network, persons, { ocg: group, k: 5 }));
      } catch {
        // A group with no members in the projection has no plan.
      }
    }
  }
  const markings: Marking[] = [analysis.marking];
  network.forEachEdge((_key, attributes) => markings.push(attributes.marking));
  return {
    format: 'ocgnet-viewer-bundle',
    version: 1,
    classification: DEFAULT_CLASSIFICATION,
    marking: strictestMarking(markings),
    audience: options.audience ?? 'police',
    analysis,
    graph,
    network: multimodal,
    plans,
  };
}

/** A bundle as the server would serve it to a police analyst (all records visible). */
export async function makeBundle(records: RecordSet): Promise<ViewerBundle> {
  try {
    const server = await import('@ocgnet/server/bundle');
    const profiles = await import('@ocgnet/profiles');
    const audience = profiles.audienceById(profiles.defaultAudiences(), 'police-analyst');
    return server.buildViewerBundle(profiles.recordsForAudience(records, audience), { audience });
  } catch (error) {
    if (process.env.OCGNET_VIEWER_DEBUG) process.stderr.write(`make-bundle: server helper unavailable (${String(error)}); building the bundle here\n`);
    return bundleFromRecords(records);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      fixture: { type: 'string' },
      size: { type: 'string' },
      seed: { type: 'string', default: '42' },
      out: { type: 'string', default: 'bundle.json' },
    },
  });
  const records = values.size !== undefined ? generatedRecords(values.size === 'medium' ? 'medium' : 'small', Number(values.seed)) : await readRecordFolder(resolve(values.fixture ?? join(import.meta.dirname, '..', '..', '..', 'fixtures', 'small')));
  const bundle = await makeBundle(records);
  writeFileSync(values.out, JSON.stringify(bundle));
  process.stdout.write(`${values.out}: ${bundle.graph.nodes.length} persons, ${bundle.graph.edges.length} associations, ${bundle.network.nodes.length} entities, ${bundle.plans.length} plans\n`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
