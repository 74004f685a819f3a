/**
 * Shared inputs of the research tests: the bundled small scenario (records,
 * network, projection), the generator's town (`ocgnet generate --size small
 * --seed 42`), the public caviar network, the generator's name lists, read
 * from its source (they are not exported: only the attack test needs them
 * whole), and `exportAndAttack`, through which every test makes its exports:
 * each is attacked by the attack suite (attacks.ts).
 */
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Graph from 'graphology';
import { expect } from 'vitest';
import { scenarioRecords } from '@ocgnet/generator';
import { buildNetwork, projectPersons, type NetworkGraph, type PersonGraph } from '@ocgnet/graph';
import { RecordCollector, parseResearchGraph, readRecordCsv } from '@ocgnet/io';
import type { RecordSet } from '@ocgnet/schema';
import { NETWORKS_ROOT } from '../../../test/networks.js';
import { prepareResearchExport } from '../src/index.js';
import {
  type ExportContext,
  type ExportSource,
  type ResearchExport,
  type ResearchExportOptions,
} from '../src/researchExport.js';
import { attackRelease, MEASURE_OF_ATTACK, type AttackResult } from './attacks.js';

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

let generated: Promise<SmallScenario> | undefined;

/** The generator's town, as `ocgnet generate --size small --seed 42` writes it (the demo's), loaded once per test file. */
export function town(): Promise<SmallScenario> {
  generated ??= (async () => {
    const records = scenarioRecords({ size: 'small', seed: 42 });
    const network = buildNetwork(records);
    return { records, network, persons: projectPersons(network) };
  })();
  return generated;
}

/**
 * Attacks one release (made or refused) with every attack of the suite and
 * checks it against its report: no attack singles out more nominals than the
 * measure it corresponds to, nor than the strongest measure; and a release
 * that passed leaves no nominal singled out by any attack.
 */
export function attackExport(exported: ResearchExport): AttackResult[] {
  const release = exported.ok
    ? { graph: exported.graph, perturbed: exported.release.perturbed, weightWildcard: exported.release.weightWildcard }
    : exported.refused;
  const original = exported.anonymised.graph;
  if (original.order === 0) return [];
  const results = attackRelease(original, release.graph, {
    perturbed: release.perturbed,
    weightWildcard: release.weightWildcard,
  });
  const measures = new Map(exported.risk.measures.map((measure) => [measure.measure as string, measure.singledOut]));
  for (const result of results) {
    expect(
      result.singledOut,
      `${result.attack} out-does the ${MEASURE_OF_ATTACK[result.attack]} measure`,
    ).toBeLessThanOrEqual(measures.get(MEASURE_OF_ATTACK[result.attack]!)!);
    expect(result.singledOut, `${result.attack} out-does the strongest measure`).toBeLessThanOrEqual(
      exported.risk.strongest.singledOut,
    );
    // (k = 1 asks for no protection: a release at min k 1 passes whatever it reveals.)
    if (exported.ok && exported.settings.minK >= 2)
      expect(result.singledOut, `${result.attack} singles out nominals in a release that passed`).toBe(0);
  }
  return results;
}

/** `prepareResearchExport`, with every release it makes or refuses attacked (`attackExport`). */
export function exportAndAttack(
  source: ExportSource,
  key: Uint8Array,
  options: Partial<ResearchExportOptions>,
  context: ExportContext,
): ResearchExport {
  const exported = prepareResearchExport(source, key, options, context);
  attackExport(exported);
  return exported;
}

/** The text of a handling condition in the hand-made scenario: it names a CHIS product and must never leave. */
export const CHIS_CONDITION = 'sanitised CHIS product ref IR-2024-0042: do not act without FIB approval';

const ENTITY_COLUMNS = [
  'schema_version',
  'id',
  'kind',
  'label',
  'source',
  'source_eval',
  'intel_assessment',
  'handling_code',
  'handling_conditions',
  'legacy_grading',
  'date_of_birth',
  'area',
  'address',
];
const LINK_COLUMNS = [
  'schema_version',
  'id',
  'type',
  'from',
  'to',
  'first_seen',
  'last_seen',
  'source',
  'weight',
  'source_eval',
  'intel_assessment',
  'handling_code',
  'handling_conditions',
  'handling_release_to',
  'legacy_grading',
];

function csv(columns: string[], rows: Record<string, string>[]): string {
  const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return `${columns.join(',')}\n${rows.map((row) => columns.map((column) => cell(row[column] ?? '')).join(',')).join('\n')}\n`;
}

/**
 * A hand-made scenario (written to `folder` as entities.csv and links.csv):
 * six nominals P1…P6 in a ring of P associations, dated 2024-01 to 2024-06;
 * on top of it, evidence that is not P:
 * - PX, a CHIS-only nominal: an ungraded record, tied to P1 and P3 only by C
 *   (CHIS) links carrying `CHIS_CONDITION`;
 * - PY, whose own record is graded C, tied to P2 by a P link;
 * - a C co_offender link P1–P2 of weight 5, dated 2025-03 (later than anything P);
 * - a legacy 5x5x5 (R) associate link P4–P6;
 * - P1 lives at L1 (Northgate, P) since 2023, and at L2 (Southside) from
 *   2024-09 by an R link.
 */
export function writeChisScenario(folder: string, options: { releaseChisLinksTo?: string } = {}): void {
  mkdirSync(folder, { recursive: true });
  const P = { source_eval: '2', intel_assessment: 'B', handling_code: 'P' };
  const C = { source_eval: '2', intel_assessment: 'C', handling_code: 'C', handling_conditions: CHIS_CONDITION };
  // PX's two CHIS links, released (by their structured field) to the named audience.
  const chisLink = {
    ...C,
    source: 'CHIS report IR-2024-0042',
    ...(options.releaseChisLinksTo !== undefined ? { handling_release_to: options.releaseChisLinksTo } : {}),
  };
  const R = { legacy_grading: 'B24' };
  const person = (id: string, dob: string, grading: Record<string, string> = {}) => ({
    schema_version: '1',
    id,
    kind: 'person',
    label: `Person ${id}`,
    source: 'PNC',
    date_of_birth: dob,
    ...grading,
  });
  const entities = [
    person('P1', '1990-01-01'),
    person('P2', '1991-02-02'),
    person('P3', '1992-03-03'),
    person('P4', '1993-04-04'),
    person('P5', '1994-05-05'),
    person('P6', '1995-06-06'),
    person('PX', '1980-07-07'),
    person('PY', '1981-08-08', { ...C, source: 'CHIS report IR-2024-0042' }),
    {
      schema_version: '1',
      id: 'L1',
      kind: 'location',
      label: '1 High Street, Northgate',
      source: 'Gazetteer',
      area: 'Northgate',
      address: '1 High Street, Northgate',
    },
    {
      schema_version: '1',
      id: 'L2',
      kind: 'location',
      label: '2 Low Road, Southside',
      source: 'Gazetteer',
      area: 'Southside',
      address: '2 Low Road, Southside',
    },
  ];
  let next = 0;
  const link = (
    type: string,
    from: string,
    to: string,
    first: string,
    last: string,
    grading: Record<string, string>,
    weight = '',
  ) => ({
    schema_version: '1',
    id: `K${++next}`,
    type,
    from,
    to,
    first_seen: first,
    last_seen: last,
    source: 'Intel report',
    weight,
    ...grading,
  });
  const ring = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'];
  const links = [
    ...ring.map((from, i) =>
      link('associate', from, ring[(i + 1) % ring.length]!, `2024-0${i + 1}-10`, `2024-0${i + 1}-20`, P),
    ),
    link('associate', 'PX', 'P1', '2024-02-01', '2024-02-02', chisLink),
    link('associate', 'PX', 'P3', '2024-02-01', '2024-02-02', chisLink),
    link('associate', 'PY', 'P2', '2024-03-01', '2024-03-02', P),
    link('co_offender', 'P1', 'P2', '2025-03-01', '2025-03-02', C, '5'),
    link('associate', 'P4', 'P6', '2024-04-01', '2024-04-02', R),
    link('lives_at', 'P1', 'L1', '2023-01-01', '2024-06-30', P),
    link('lives_at', 'P1', 'L2', '2024-09-01', '2024-12-31', R),
  ];
  writeFileSync(`${folder}/entities.csv`, csv(ENTITY_COLUMNS, entities));
  writeFileSync(`${folder}/links.csv`, csv(LINK_COLUMNS, links));
}

/** Loads records from entities.csv and links.csv in a folder. */
export async function recordsIn(folder: string): Promise<SmallScenario> {
  const collector = new RecordCollector({ skipInvalid: false });
  await readRecordCsv(createReadStream(join(folder, 'entities.csv')), 'entities.csv', collector);
  await readRecordCsv(createReadStream(join(folder, 'links.csv')), 'links.csv', collector);
  const outcome = collector.finish();
  if (!outcome.ok) throw new Error(`${folder} does not load: ${JSON.stringify(outcome.issues.slice(0, 3))}`);
  const network = buildNetwork(outcome.records);
  return { records: outcome.records, network, persons: projectPersons(network) };
}

/** The caviar network (Morselli 2009), from its GraphML. */
export async function caviar(): Promise<Graph> {
  const parsed = await parseResearchGraph(
    readFileSync(join(DATASETS, 'caviar', 'graph.graphml'), 'utf8'),
    'graph.graphml',
  );
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

export const CONTEXT = {
  inputs: [],
  versions: { node: process.versions.node },
  ocgnet: '0.1.0',
  created: '2026-01-01T00:00:00.000Z',
};
