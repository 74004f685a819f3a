/**
 * The small synthetic fixture (fixtures/small, `ocgnet generate --size small
 * --seed 42`) as the group tests need it: the multimodal network (for the
 * mapped groups), its person projection (for communities), and truth.csv.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Graph from 'graphology';
import { RecordCollector, readRecordCsv } from '@ocgnet/io';
import { buildNetwork, projectPersons } from '@ocgnet/graph';
import { SMALL_FIXTURE } from '../graphs.fixtures.js';
import { simpleUndirectedView } from '../../src/groups/louvain.js';

export interface TruthRow {
  nominal: string;
  group: string;
  groupKind: string;
  role: string;
  mapped: boolean;
  hidden: boolean;
}

export interface SmallFixture {
  network: Graph;
  projection: Graph;
  truth: TruthRow[];
}

/** truth.csv has no quoted fields, so a plain split reads it. */
export function readTruth(): TruthRow[] {
  const [header, ...rows] = readFileSync(join(SMALL_FIXTURE, 'truth.csv'), 'utf8').trim().split(/\r?\n/);
  const columns = header!.split(',');
  return rows.map((line) => {
    const cells = line.split(',');
    const at = (name: string) => cells[columns.indexOf(name)] ?? '';
    return {
      nominal: at('nominal_id'),
      group: at('group_id'),
      groupKind: at('group_kind'),
      role: at('role'),
      mapped: at('mapped') === 'true',
      hidden: at('hidden') === 'true',
    };
  });
}

export async function loadSmallFixture(): Promise<SmallFixture> {
  const collector = new RecordCollector();
  for (const file of ['entities.csv', 'links.csv'])
    await readRecordCsv(createReadStream(join(SMALL_FIXTURE, file)), file, collector);
  const outcome = collector.finish();
  if (!outcome.ok) throw new Error(`small fixture: ${JSON.stringify(outcome.issues.slice(0, 3))}`);
  const network = buildNetwork(outcome.records);
  return {
    network: network as unknown as Graph,
    projection: projectPersons(network) as unknown as Graph,
    truth: readTruth(),
  };
}

/** A graph's undirected simple view and a partition of it, as the community reference scripts (groups.py, leiden.py) take them. */
export function partitionSpec(
  name: string,
  graph: Graph,
  partition: Record<string, number>,
  { weighted, resolution }: { weighted: boolean; resolution: number },
) {
  const view = simpleUndirectedView(graph, { weighted, weightAttribute: 'weight' });
  return {
    name,
    nodes: view.nodes(),
    edges: view.mapEdges((_e, attributes, source, target) => [source, target, attributes.weight as number]),
    partition,
    resolution,
  };
}
