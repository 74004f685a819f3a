/**
 * An analysis as a store keeps it: every numeric metric and the community of
 * each analysed entity, under a run id derived from the manifest minus its
 * timestamp, so saving the same analysis of the same content twice is one run.
 */
import { createHash } from 'node:crypto';
import { NODE_METRIC_FIELDS, type AnalysisReport, type NodeMetricField } from '@ocgnet/analysis';
import { canonicalJson } from '@ocgnet/audit';
import type { AnalysisWriteBack } from '@ocgnet/store';
import type { Manifest } from './manifest.js';

/**
 * The metrics written back, as snake_case property names: every numeric field
 * of the analysis except the community, which is written as a community.
 */
const WRITTEN: readonly [NodeMetricField, string][] = NODE_METRIC_FIELDS.filter((field) => field !== 'community').map(
  (field) => [field, field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)],
);

export function analysisRunId(manifest: Manifest): string {
  const { created: _created, ...rest } = manifest;
  return createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex');
}

export function writeBackOf(report: AnalysisReport, manifest: Manifest): AnalysisWriteBack {
  const metrics: AnalysisWriteBack['metrics'] = {};
  const communities: AnalysisWriteBack['communities'] = {};
  for (const node of report.nodes) {
    const values: Record<string, number | null> = {};
    for (const [field, name] of WRITTEN) {
      const value = node[field];
      values[name] = Number.isFinite(value) ? value : null;
    }
    values.articulation = node.articulation ? 1 : 0;
    metrics[node.id] = values;
    communities[node.id] = node.community;
  }
  return {
    runId: analysisRunId(manifest),
    at: manifest.created,
    engine: manifest.engine,
    marking: report.marking,
    metrics,
    communities,
  };
}
