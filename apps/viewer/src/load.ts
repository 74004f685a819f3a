/**
 * Opening data: a bundle.json, or a GEXF / GraphML research network wrapped
 * as a minimal bundle (graph only, no analysis, no plans), with metrics
 * computed here when the graph is small enough to do it at once.
 */
import type Graph from 'graphology';
import type { SerializedGraph } from 'graphology-types';
import { analyse, communities, degree } from '@ocgnet/analysis';
import { parseGexf, parseGraphML } from '@ocgnet/io';
import { parseBundle, type ViewerBundle } from './bundle.js';

/** Research networks up to this many nodes get the full analysis on open; larger ones degree and Louvain only. */
export const FULL_ANALYSIS_LIMIT = 3000;

export class OpenError extends Error {
  override readonly name = 'OpenError';
}

export function researchBundle(graph: Graph, file: string): ViewerBundle {
  const serialized: SerializedGraph = { attributes: {}, options: { type: 'undirected', multi: false, allowSelfLoops: true }, nodes: [], edges: [] };
  const extra = new Map<string, Record<string, unknown>>();
  let analysis: ViewerBundle['analysis'];
  if (graph.order <= FULL_ANALYSIS_LIMIT) {
    analysis = analyse(graph);
    for (const node of analysis.nodes) {
      const { id, label: _label, marking: _marking, ...metrics } = node;
      extra.set(id, metrics);
    }
  } else {
    const degrees = degree(graph);
    const found = communities(graph);
    graph.forEachNode((node) => extra.set(node, { degree: degrees[node] ?? 0, community: found.communityOf[node] ?? 0 }));
  }
  graph.forEachNode((node, attributes) => {
    const label = typeof attributes.label === 'string' ? attributes.label : node;
    serialized.nodes.push({ key: node, attributes: { label, kind: 'person', marking: { handling: 'P', conditions: [] }, ...extra.get(node) } });
  });
  graph.forEachEdge((key, attributes, source, target) => {
    serialized.edges.push({ key, source, target, attributes: { weight: typeof attributes.weight === 'number' ? attributes.weight : 1, handling: 'P', linkTypes: [] } });
  });
  const bundle: ViewerBundle = {
    format: 'ocgnet-viewer-bundle',
    version: 1,
    classification: 'OFFICIAL-SENSITIVE',
    marking: { handling: 'P', conditions: [] },
    audience: `research network ${file}`,
    graph: serialized,
    network: { attributes: {}, options: { type: 'mixed', multi: true, allowSelfLoops: false }, nodes: [], edges: [] },
    plans: [],
  };
  if (analysis) bundle.analysis = analysis;
  return bundle;
}

/** Reads a dropped or picked file. */
export async function openFile(file: File): Promise<ViewerBundle> {
  const name = file.name;
  const body = await file.text();
  const lower = name.toLowerCase();
  const head = body.slice(0, 2000);
  if (lower.endsWith('.gexf') || lower.endsWith('.graphml') || (!lower.endsWith('.json') && /<(gexf|graphml)\b/.test(head))) {
    const parsed = lower.endsWith('.gexf') || /<gexf\b/.test(head) ? parseGexf(body, name) : parseGraphML(body, name);
    if (!parsed.ok) {
      const first = parsed.issues.slice(0, 5).map((issue) => `${issue.file}:${issue.line}: ${issue.field ? `${issue.field}: ` : ''}${issue.reason}`);
      throw new OpenError(`${name}: ${parsed.issues.length} problem(s)\n${first.join('\n')}`);
    }
    return researchBundle(parsed.graph as unknown as Graph, name);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new OpenError(`${name}: not JSON, GEXF or GraphML (${(error as Error).message})`);
  }
  return parseBundle(json);
}
