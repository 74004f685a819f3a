/**
 * One research export, start to finish, without I/O: anonymise, perturb if
 * asked and needed, assess the risk (refuse below k), run the recorded
 * analysis, write every format to text, and build the manifest. The CLI
 * reads the input and the key, and writes what this returns.
 */
import type Graph from 'graphology';
import type { AbstractGraph } from 'graphology-types';
import type { NetworkGraph, PersonGraph } from '@ocgnet/graph';
import { anonymisePersons, anonymiseResearchGraph, canonicalGraph, DEFAULT_ANONYMISE_OPTIONS, type AnonymisedGraph, type AnonymiseOptions, type KeptAttributes } from './anonymise.js';
import { EXPORT_FILE_NAMES, EXPORT_FORMATS, exportFiles, PRIMARY_ORDER, type ExportFormat } from './formats.js';
import { buildResearchManifest, describeFiles, type ResearchManifest } from './manifest.js';
import { perturbationImpact, perturbToKDegree } from './perturb.js';
import { Pseudonymiser, DEFAULT_PSEUDONYM_HEX_LENGTH } from './pseudonyms.js';
import { computeResults, DEFAULT_ANALYSIS_SETTINGS, type AnalysisSettings } from './results.js';
import { assessRisk, refusalReason, suppressSmall, type RiskReport } from './risk.js';

export type ExportSource = { model: 'records'; network: NetworkGraph; persons: PersonGraph } | { model: 'research'; graph: AbstractGraph };

export interface ResearchExportOptions {
  minK: number;
  dates: AnonymiseOptions['dates'];
  referenceDate?: string;
  /** Which generalised attributes travel (records only); all by default. */
  keep?: Partial<KeptAttributes>;
  /** Add edges (Liu & Terzi) when k-degree anonymity is below minK. */
  perturb: boolean;
  /** Seed of the perturbation. */
  seed: number;
  formats: ExportFormat[];
  analysis: AnalysisSettings;
  pseudonymHexLength: number;
}

export const DEFAULT_RESEARCH_EXPORT_OPTIONS: ResearchExportOptions = {
  minK: 5,
  dates: DEFAULT_ANONYMISE_OPTIONS.dates,
  perturb: false,
  seed: 1,
  formats: [...EXPORT_FORMATS],
  analysis: DEFAULT_ANALYSIS_SETTINGS,
  pseudonymHexLength: DEFAULT_PSEUDONYM_HEX_LENGTH,
};

/** What the manifest says about the run that the pipeline cannot know. */
export interface ExportContext {
  inputs: { file: string; sha256: string; bytes: number }[];
  versions: Record<string, string>;
  ocgnet: string;
  projection?: unknown;
  created?: string;
}

export type ResearchExport =
  | { ok: false; risk: RiskReport; reason: string; anonymised: AnonymisedGraph }
  | { ok: true; graph: Graph; risk: RiskReport; files: Map<string, string>; manifest: ResearchManifest; anonymised: AnonymisedGraph };

/** Runs an export. `onStep` reports progress by step name. */
export function prepareResearchExport(
  source: ExportSource,
  key: Uint8Array,
  options: Partial<ResearchExportOptions>,
  context: ExportContext,
  onStep?: (step: string) => void,
): ResearchExport {
  const settings = { ...DEFAULT_RESEARCH_EXPORT_OPTIONS, ...options, analysis: { ...DEFAULT_ANALYSIS_SETTINGS, ...options.analysis } };
  if (settings.formats.length === 0) throw new RangeError('@ocgnet/research: choose at least one export format');
  const pseudonyms = new Pseudonymiser(key, { hexLength: settings.pseudonymHexLength });
  onStep?.('anonymise');
  const keep = { ...DEFAULT_ANONYMISE_OPTIONS.keep, ...settings.keep };
  const anonymiseOptions: Partial<AnonymiseOptions> = { dates: settings.dates, minK: settings.minK, keep, ...(settings.referenceDate !== undefined ? { referenceDate: settings.referenceDate } : {}) };
  const anonymised = source.model === 'records' ? anonymisePersons(source.persons, source.network, pseudonyms, anonymiseOptions) : anonymiseResearchGraph(source.graph, pseudonyms);

  let graph = anonymised.graph;
  let perturbation: ResearchManifest['perturbation'] = null;
  let risk = assessRisk(graph, { minK: settings.minK });
  if (settings.perturb && !risk.passes && graph.order > 0) {
    onStep?.('perturb');
    const perturbed = perturbToKDegree(graph, { k: settings.minK, seed: settings.seed });
    const before = computeResults(graph, settings.analysis);
    graph = canonicalGraph(perturbed.graph);
    perturbation = { added: suppressSmall(perturbed.added), rounds: perturbed.rounds, impact: perturbationImpact(before, computeResults(graph, settings.analysis)) };
    risk = assessRisk(graph, { minK: settings.minK });
  }
  if (!risk.passes) return { ok: false, risk, reason: refusalReason(risk), anonymised };

  onStep?.('analyse');
  const results = computeResults(graph, settings.analysis);
  onStep?.('write');
  const files = exportFiles(graph, settings.formats);
  const formatOf = (name: string) => settings.formats.find((format) => EXPORT_FILE_NAMES[format].includes(name))!;
  const manifest = buildResearchManifest({
    ocgnet: context.ocgnet,
    ...(context.created !== undefined ? { created: context.created } : {}),
    marking: { handling: anonymised.handling, conditions: anonymised.conditions },
    inputs: context.inputs,
    parameters: {
      model: source.model,
      anonymise: { ...DEFAULT_ANONYMISE_OPTIONS, dates: settings.dates, minK: settings.minK, keep },
      ...(context.projection !== undefined ? { projection: context.projection } : {}),
      referenceDate: anonymised.referenceDate ?? null,
      minK: settings.minK,
      perturb: settings.perturb ? { seed: settings.seed, method: 'Liu & Terzi 2008 greedy degree anonymisation, edge additions only' } : null,
      pseudonymHexLength: settings.pseudonymHexLength,
      directed: graph.type === 'directed',
      analysis: settings.analysis,
    },
    risk,
    perturbation,
    files: describeFiles(files, formatOf),
    primary: PRIMARY_ORDER.find((format) => settings.formats.includes(format))!,
    results,
    versions: context.versions,
  });
  return { ok: true, graph, risk, files, manifest, anonymised };
}
