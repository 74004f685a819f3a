/**
 * The manifest of a research export: everything needed to reproduce a paper's
 * numbers from the export alone. Input hashes, parameters and seeds, versions,
 * the risk figures, each export file with its sha256, and the analysis
 * results to check, keyed by pseudonym.
 *
 * It never holds the key, the date shift (derived from the key), the text of
 * any handling condition, anything derived from raw ids other than
 * pseudonyms, or any count of the evidence left out as not permitted. Input files are named by their
 * base name only: a folder path can itself name an operation.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { DEFAULT_CLASSIFICATION, type HandlingMarking } from '@ocgnet/schema';
import type { ExportFormat } from './formats.js';
import type { PerturbationImpact } from './perturb.js';
import type { AnalysisSettings, RecordedResults } from './results.js';
import type { RiskReport } from './risk.js';

export const MANIFEST_KIND = 'ocgnet-research-export';
export const MANIFEST_FILE = 'manifest.json';

export interface ManifestFile {
  name: string;
  format: ExportFormat;
  sha256: string;
  bytes: number;
}

export interface ResearchManifest {
  kind: typeof MANIFEST_KIND;
  tool: 'ocgnet';
  ocgnet: string;
  created: string;
  classification: string;
  /**
   * The export's handling: the strictest handling code of the evidence it was
   * made from, whether conditions apply, and a statement. Conditions are never
   * quoted (their text can itself be intelligence, a CHIS reference, say).
   */
  marking: { handling: HandlingMarking; conditionsApply: boolean; statement: string };
  inputs: { file: string; sha256: string; bytes: number }[];
  parameters: {
    model: 'records' | 'research';
    /** Anonymisation settings (date mode, age bands, kept attributes, suppression k). */
    anonymise: Record<string, unknown>;
    /** Projection options, for records. */
    projection?: unknown;
    /** The reference date of the age bands, generalised like every other date. */
    referenceDate: string | null;
    minK: number;
    perturb: { seed: number; method: string } | null;
    pseudonymHexLength: number;
    directed: boolean;
    analysis: AnalysisSettings;
  };
  risk: RiskReport;
  /** What the perturbation did: its method, the ties added (small counts as "<5"), and how far the key metrics moved. */
  perturbation: {
    method: 'automorphism' | 'degree';
    added: SuppressedOrCount;
    impact: PerturbationImpact | null;
    [detail: string]: unknown;
  } | null;
  /** The export's files; `primary` is the one reproduction re-imports. */
  files: ManifestFile[];
  primary: ExportFormat;
  results: RecordedResults;
  versions: Record<string, string>;
}

type SuppressedOrCount = number | '<5';

/** sha256 of bytes or text, hex. */
export function sha256Of(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The manifest's description of the export files. */
export function describeFiles(files: Map<string, string>, formatOf: (name: string) => ExportFormat): ManifestFile[] {
  return [...files].map(([name, text]) => ({
    name,
    format: formatOf(name),
    sha256: sha256Of(text),
    bytes: Buffer.byteLength(text, 'utf8'),
  }));
}

/** Builds a manifest; input paths are reduced to their base names. */
export function buildResearchManifest(
  fields: Omit<ResearchManifest, 'kind' | 'tool' | 'created' | 'classification'> & { created?: string },
): ResearchManifest {
  return {
    kind: MANIFEST_KIND,
    tool: 'ocgnet',
    ocgnet: fields.ocgnet,
    created: fields.created ?? new Date().toISOString(),
    classification: DEFAULT_CLASSIFICATION,
    marking: fields.marking,
    inputs: fields.inputs.map((input) => ({ ...input, file: basename(input.file) })),
    parameters: fields.parameters,
    risk: fields.risk,
    perturbation: fields.perturbation,
    files: fields.files,
    primary: fields.primary,
    results: fields.results,
    versions: fields.versions,
  };
}

/** JSON text of a manifest; NaN and Infinity travel as null. */
export function manifestJson(manifest: ResearchManifest): string {
  return `${JSON.stringify(manifest, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
}
