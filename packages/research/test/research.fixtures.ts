/**
 * Shared inputs of the research tests: the bundled small scenario (records,
 * network, projection), the public caviar network, and the generator's name
 * lists, read from its source (they are not exported: only the attack test
 * needs them whole).
 */
import { createReadStream, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Graph from 'graphology';
import { buildNetwork, projectPersons, type NetworkGraph, type PersonGraph } from '@ocgnet/graph';
import { RecordCollector, parseResearchGraph, readRecordCsv } from '@ocgnet/io';
import type { RecordSet } from '@ocgnet/schema';
import { NETWORKS_ROOT } from '../../../test/networks.js';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const SMALL = join(REPO_ROOT, 'fixtures', 'small');
export const DATASETS = NETWORKS_ROOT;

/** A key that is fixed, so failures reproduce; tests that need key independence make their own. */
export const TEST_KEY = Buffer.alloc(32, 7);
export const OTHER_KEY = Buffer.alloc(32, 9);

export interface SmallScenario {
  records: RecordSet;
  network: NetworkGraph;
  persons: PersonGraph;
}

let small: Promise<SmallScenario> | undefined;

/** The bundled small scenario, loaded once per test file. */
export function smallScenario(): Promise<SmallScenario> {
  small ??= (async () => {
    const collector = new RecordCollector({ skipInvalid: false });
    await readRecordCsv(createReadStream(join(SMALL, 'entities.csv')), 'entities.csv', collector);
    await readRecordCsv(createReadStream(join(SMALL, 'links.csv')), 'links.csv', collector);
    const outcome = collector.finish();
    if (!outcome.ok) throw new Error('fixtures/small does not load');
    const network = buildNetwork(outcome.records);
    return { records: outcome.records, network, persons: projectPersons(network) };
  })();
  return small;
}

/** The caviar network (Morselli 2009), from its GraphML. */
export async function caviar(): Promise<Graph> {
  const parsed = await parseResearchGraph(readFileSync(join(DATASETS, 'caviar', 'graph.graphml'), 'utf8'), 'graph.graphml');
  if (!parsed.ok) throw new Error('caviar does not load');
  return parsed.graph;
}

/** The generator's first names and surnames, read from packages/generator/src/names.ts. */
export function generatorNameLists(): { first: string[]; surnames: string[] } {
  const source = readFileSync(join(REPO_ROOT, 'packages', 'generator', 'src', 'names.ts'), 'utf8');
  const list = (name: string) => {
    const match = new RegExp(`const ${name} = \\[([\\s\\S]*?)\\] as const`).exec(source);
    if (!match) throw new Error(`names.ts has no ${name} list`);
    return [...match[1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
  };
  return { first: [...list('FEMALE'), ...list('MALE')], surnames: list('SURNAMES') };
}

export const CONTEXT = { inputs: [], versions: { node: process.versions.node }, ocgnet: '0.1.0', created: '2026-01-01T00:00:00.000Z' };
