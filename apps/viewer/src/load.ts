/**
 * Opening data: a bundle.json (checked by the bundle contract,
 * `parseViewerBundle` from @ocgnet/bundle), or a GEXF / GraphML
 * research network wrapped as a graph-only bundle by the one builder,
 * `buildResearchViewerBundle` from @ocgnet/bundle/build: the full analysis on open when the graph is
 * small enough, degree and community only above that.
 */
import type { AbstractGraph } from 'graphology-types';
import { parseGexf, parseGraphML } from '@ocgnet/io/browser';
import { parseViewerBundle, type ViewerBundle } from '@ocgnet/bundle';
import { buildResearchViewerBundle } from '@ocgnet/bundle/build';

/** Research networks up to this many nodes get the full analysis on open; larger ones degree and community only. */
export const FULL_ANALYSIS_LIMIT = 3000;

export class OpenError extends Error {
  override readonly name = 'OpenError';
}

export function researchBundle(graph: AbstractGraph, file: string): ViewerBundle {
  return buildResearchViewerBundle(graph, {
    audience: `research network ${file}`,
    fullAnalysisLimit: FULL_ANALYSIS_LIMIT,
  });
}

/** Reads a dropped or picked file. */
export async function openFile(file: File): Promise<ViewerBundle> {
  const name = file.name;
  const body = await file.text();
  const lower = name.toLowerCase();
  const head = body.slice(0, 2000);
  if (
    lower.endsWith('.gexf') ||
    lower.endsWith('.graphml') ||
    (!lower.endsWith('.json') && /<(gexf|graphml)\b/.test(head))
  ) {
    const parsed = lower.endsWith('.gexf') || /<gexf\b/.test(head) ? parseGexf(body, name) : parseGraphML(body, name);
    if (!parsed.ok) {
      const first = parsed.issues
        .slice(0, 5)
        .map((issue) => `${issue.file}:${issue.line}: ${issue.field ? `${issue.field}: ` : ''}${issue.reason}`);
      throw new OpenError(`${name}: ${parsed.issues.length} problem(s)\n${first.join('\n')}`);
    }
    return researchBundle(parsed.graph, name);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new OpenError(`${name}: not JSON, GEXF or GraphML (${(error as Error).message})`);
  }
  try {
    return parseViewerBundle(json);
  } catch (error) {
    throw new OpenError(`${name}: ${(error as Error).message}`);
  }
}
