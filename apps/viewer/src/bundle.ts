/**
 * The viewer's input: a ViewerBundle, as the server helper
 * (packages/server/src/bundle.ts) writes it. The shape is restated here, and
 * checked structurally on load, so the browser build depends on no server
 * code; every string in it is data and is only ever rendered as text.
 */
import type { AnalysisReport } from '@ocgnet/analysis';
import type { DisruptionPlan } from '@ocgnet/disruption';
import type { Marking } from '@ocgnet/schema';
import type { SerializedGraph } from 'graphology-types';

export type { Marking };

export interface BundleLayout {
  algorithm: 'forceatlas2';
  iterations: number;
  positions: Record<string, [number, number]>;
}

export interface ViewerBundle {
  format: 'ocgnet-viewer-bundle';
  version: 1;
  classification: string;
  marking: Marking;
  audience: string;
  /** Absent for a research network opened locally (GEXF / GraphML). */
  analysis?: AnalysisReport;
  graph: SerializedGraph;
  network: SerializedGraph;
  plans: DisruptionPlan[];
  layout?: BundleLayout;
  manifest?: unknown;
}

export class BundleError extends Error {
  override readonly name = 'BundleError';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkGraph(value: unknown, field: string): SerializedGraph {
  if (!isObject(value) || !Array.isArray(value.nodes) || !Array.isArray(value.edges)) {
    throw new BundleError(`${field}: expected a serialised graph with nodes and edges`);
  }
  for (const node of value.nodes as unknown[]) {
    if (!isObject(node) || typeof node.key !== 'string') throw new BundleError(`${field}.nodes: every node needs a string key`);
  }
  for (const edge of value.edges as unknown[]) {
    if (!isObject(edge) || typeof edge.source !== 'string' || typeof edge.target !== 'string') {
      throw new BundleError(`${field}.edges: every edge needs a string source and target`);
    }
  }
  return value as unknown as SerializedGraph;
}

function checkMarking(value: unknown): Marking {
  if (!isObject(value) || (value.handling !== 'P' && value.handling !== 'C' && value.handling !== 'R') || !Array.isArray(value.conditions)) {
    throw new BundleError('marking: expected {handling: P|C|R, conditions: string[]}');
  }
  return { handling: value.handling, conditions: (value.conditions as unknown[]).map(String) };
}

/** Checks the parts of a bundle the viewer relies on; throws BundleError with the field at fault. */
export function parseBundle(json: unknown): ViewerBundle {
  if (!isObject(json)) throw new BundleError('not a JSON object');
  if (json.format !== 'ocgnet-viewer-bundle') throw new BundleError('format: not an ocgnet viewer bundle');
  if (json.version !== 1) throw new BundleError(`version: unsupported ${JSON.stringify(json.version)}`);
  const graph = checkGraph(json.graph, 'graph');
  const network = json.network === undefined ? { attributes: {}, options: { type: 'mixed', multi: true, allowSelfLoops: false }, nodes: [], edges: [] } : checkGraph(json.network, 'network');
  let layout: BundleLayout | undefined;
  if (json.layout !== undefined) {
    const candidate = json.layout;
    if (!isObject(candidate) || !isObject(candidate.positions)) throw new BundleError('layout: expected {algorithm, iterations, positions}');
    const positions: Record<string, [number, number]> = Object.create(null);
    for (const [key, value] of Object.entries(candidate.positions)) {
      if (Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) && Number.isFinite(value[1])) positions[key] = [value[0] as number, value[1] as number];
    }
    layout = { algorithm: 'forceatlas2', iterations: Number(candidate.iterations) || 0, positions };
  }
  const bundle: ViewerBundle = {
    format: 'ocgnet-viewer-bundle',
    version: 1,
    classification: typeof json.classification === 'string' ? json.classification : 'OFFICIAL-SENSITIVE',
    marking: checkMarking(json.marking),
    audience: typeof json.audience === 'string' ? json.audience : '',
    graph,
    network: network as SerializedGraph,
    plans: Array.isArray(json.plans) ? (json.plans as DisruptionPlan[]) : [],
  };
  if (isObject(json.analysis)) bundle.analysis = json.analysis as unknown as AnalysisReport;
  if (layout) bundle.layout = layout;
  if (json.manifest !== undefined) bundle.manifest = json.manifest;
  return bundle;
}
