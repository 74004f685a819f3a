/**
 * One research export, start to finish, without I/O: anonymise (from the
 * evidence permitted for research only), perturb if asked and needed, measure
 * every re-identification attack (refuse below k on any of them), check the
 * intersection with the releases made earlier under the same key, run the
 * recorded analysis, write every format to text, and build the manifest. The
 * CLI reads the input, the key and its ledger, and writes what this returns.
 */
import { createHash } from 'node:crypto';
import type Graph from 'graphology';
import type { AbstractGraph } from 'graphology-types';
import type { NetworkGraph, PersonGraph, ProjectionOptionsInput } from '@ocgnet/graph';
import {
  anonymisePersons,
  anonymiseResearchGraph,
  canonicalGraph,
  DEFAULT_ANONYMISE_OPTIONS,
  type AnonymisedGraph,
  type AnonymiseOptions,
  type ChannelMode,
  type KeptAttributes,
  type WeightMode,
} from './anonymise.js';
import { perturbToKAutomorphism, symmetryOf, type Symmetry } from './automorphism.js';
import { DEFAULT_MEASURE_OPTIONS } from './candidates.js';
import { EXPORT_FILE_NAMES, EXPORT_FORMATS, exportFiles, PRIMARY_ORDER, type ExportFormat } from './formats.js';
import { buildResearchManifest, describeFiles, type ResearchManifest } from './manifest.js';
import { DEFAULT_RESEARCH_USE, type ResearchUse } from './permitted.js';
import { perturbationImpact, perturbToKDegree } from './perturb.js';
import { Pseudonymiser, DEFAULT_PSEUDONYM_HEX_LENGTH } from './pseudonyms.js';
import { measureIntersection, MEASURE_DESCRIPTIONS, type PriorRelease } from './reidentification.js';
import { computeResults, DEFAULT_ANALYSIS_SETTINGS, type AnalysisSettings } from './results.js';
import { assessRisk, refusalReason, suppressSmall, type RiskReport } from './risk.js';
import { WILDCARD } from './view.js';

export type ExportSource =
  | { model: 'records'; network: NetworkGraph; persons: PersonGraph; projection?: ProjectionOptionsInput }
  | { model: 'research'; graph: AbstractGraph };

/** Structural perturbation: Liu & Terzi's degree anonymisation, or k-automorphism (which covers every measure). */
export const PERTURB_METHODS = ['automorphism', 'degree'] as const;
export type PerturbMethod = (typeof PERTURB_METHODS)[number];

export interface ResearchExportOptions {
  minK: number;
  dates: AnonymiseOptions['dates'];
  /** Edge weights: exact, bands (powers of two) or none (all 1). */
  weights: WeightMode;
  /** Edge channels (records): exact, coarse or none. */
  channels: ChannelMode;
  referenceDate?: string;
  /** Which generalised attributes travel (records only); all by default. */
  keep?: Partial<KeptAttributes>;
  /** Which evidence may be used (records): by default handling P only. */
  researchUse: ResearchUse;
  /** Add ties when a measure is below minK: `true` is 'automorphism'. */
  perturb: boolean | PerturbMethod;
  /** Seed of the perturbation. */
  seed: number;
  formats: ExportFormat[];
  analysis: AnalysisSettings;
  pseudonymHexLength: number;
  /** Releases made earlier with the same key (the key's ledger). */
  priorReleases: PriorReleaseRecord[];
  /** Make a release although one was made with this key (still refused if the intersection singles anyone out). */
  allowSecondRelease: boolean;
  /** Stop once the risk is known (no analysis, no files): to try remedies. */
  assessOnly: boolean;
  /** Steps allowed to one neighbourhood comparison of the measures. */
  budget: number;
}

/** How a release was generalised: enough to compute, from the original data, what its attacker compares it with. */
export interface ReleaseSettings {
  model: 'records' | 'research';
  dates: AnonymiseOptions['dates'];
  weights: WeightMode;
  channels: ChannelMode;
  keep: KeptAttributes;
  minK: number;
  referenceDate?: string;
}

/** An earlier release, as the ledger keeps it. */
export interface PriorReleaseRecord extends PriorRelease {
  /** sha256 of the released graph (`releaseDigest`). */
  digest: string;
  /** How it was generalised (older ledgers: unknown, and the current settings stand in). */
  settings?: ReleaseSettings;
}

export const DEFAULT_RESEARCH_EXPORT_OPTIONS: ResearchExportOptions = {
  minK: 5,
  dates: DEFAULT_ANONYMISE_OPTIONS.dates,
  weights: DEFAULT_ANONYMISE_OPTIONS.weights,
  channels: DEFAULT_ANONYMISE_OPTIONS.channels,
  researchUse: DEFAULT_RESEARCH_USE,
  perturb: false,
  seed: 1,
  formats: [...EXPORT_FORMATS],
  analysis: DEFAULT_ANALYSIS_SETTINGS,
  pseudonymHexLength: DEFAULT_PSEUDONYM_HEX_LENGTH,
  priorReleases: [],
  allowSecondRelease: false,
  assessOnly: false,
  budget: DEFAULT_MEASURE_OPTIONS.budget,
};

/** What the manifest says about the run that the pipeline cannot know. */
export interface ExportContext {
  inputs: { file: string; sha256: string; bytes: number }[];
  versions: Record<string, string>;
  ocgnet: string;
  projection?: unknown;
  created?: string;
  /** How the manifest names the rule `researchUse` applies (the CLI names the audiences file and its hash). */
  researchUse?: string;
}

/** The released graph as the ledger keeps it, with how to read it. */
export interface Release extends PriorReleaseRecord {
  graph: Graph;
  /** Identical to an earlier release under this key (nothing new is released). */
  repeat: boolean;
}

export type RefusalKind = 'empty' | 'risk' | 'second-release';

export type ResearchExport =
  | {
      ok: false;
      kind: RefusalKind;
      risk: RiskReport;
      reason: string;
      anonymised: AnonymisedGraph;
      settings: ResearchExportOptions;
      /** The release that was refused (in memory only: to test the measures against attacks). */
      refused: { graph: Graph; perturbed: boolean; weightWildcard: boolean; symmetry?: Symmetry };
    }
  | {
      ok: true;
      graph: Graph;
      risk: RiskReport;
      release: Release;
      files: Map<string, string>;
      manifest: ResearchManifest;
      anonymised: AnonymisedGraph;
      settings: ResearchExportOptions;
    };

/** sha256 of a released graph's nodes, ties and attributes: equal digests, equal releases. */
export function releaseDigest(graph: AbstractGraph): string {
  const nodes = graph.mapNodes((node, attributes) => [node, attributes]);
  const edges = graph.mapEdges((_edge, attributes, source, target, _sa, _ta, undirected) => [
    source,
    target,
    undirected,
    attributes,
  ]);
  return createHash('sha256')
    .update(JSON.stringify({ type: graph.type, nodes, edges }))
    .digest('hex');
}

/** Resolves options; `perturb: true` is 'automorphism'. */
export function resolveResearchExportOptions(options: Partial<ResearchExportOptions>): ResearchExportOptions {
  const settings = {
    ...DEFAULT_RESEARCH_EXPORT_OPTIONS,
    ...options,
    analysis: { ...DEFAULT_ANALYSIS_SETTINGS, ...options.analysis },
  };
  if (settings.formats.length === 0) throw new RangeError('@ocgnet/research: choose at least one export format');
  if (
    settings.perturb !== false &&
    settings.perturb !== true &&
    !(PERTURB_METHODS as readonly string[]).includes(settings.perturb)
  ) {
    throw new RangeError(
      `@ocgnet/research: perturb must be true, false or one of ${PERTURB_METHODS.join(', ')}, not ${JSON.stringify(settings.perturb)}`,
    );
  }
  return settings;
}

/** Share of released values that are suppressed (`*`), over the node and edge attributes that travel. */
function suppressedShare(graph: AbstractGraph): number {
  let values = 0;
  let hidden = 0;
  const count = (attributes: Record<string, unknown>) => {
    for (const [name, value] of Object.entries(attributes)) {
      if (name === 'weight') continue;
      values++;
      if (value === WILDCARD) hidden++;
    }
  };
  graph.forEachNode((_node, attributes) => count(attributes));
  graph.forEachEdge((_edge, attributes) => count(attributes));
  return values === 0 ? 0 : hidden / values;
}

/** Runs an export. `onStep` reports progress by step name. */
export function prepareResearchExport(
  source: ExportSource,
  key: Uint8Array,
  options: Partial<ResearchExportOptions>,
  context: ExportContext,
  onStep?: (step: string) => void,
): ResearchExport {
  const settings = resolveResearchExportOptions(options);
  const method: PerturbMethod | null =
    settings.perturb === true ? 'automorphism' : settings.perturb === false ? null : settings.perturb;
  const pseudonyms = new Pseudonymiser(key, { hexLength: settings.pseudonymHexLength });
  onStep?.('anonymise');
  const keep = { ...DEFAULT_ANONYMISE_OPTIONS.keep, ...settings.keep };
  const anonymiseOptions: Partial<AnonymiseOptions> = {
    dates: settings.dates,
    weights: settings.weights,
    channels: settings.channels,
    researchUse: settings.researchUse,
    minK: settings.minK,
    keep,
    ...(settings.referenceDate !== undefined ? { referenceDate: settings.referenceDate } : {}),
    ...(source.model === 'records' && source.projection !== undefined ? { projection: source.projection } : {}),
  };
  const anonymised =
    source.model === 'records'
      ? anonymisePersons(source.persons, source.network, pseudonyms, anonymiseOptions)
      : anonymiseResearchGraph(source.graph, pseudonyms, { weights: settings.weights });
  const original = anonymised.graph;
  const measureSettings = { minK: settings.minK, budget: settings.budget };

  let graph = original;
  let perturbation: ResearchManifest['perturbation'] = null;
  let weightWildcard = false;
  let symmetry: Symmetry | undefined;
  let risk = assessRisk(graph, measureSettings);
  if (method !== null && !risk.passes && graph.order >= settings.minK) {
    onStep?.('perturb');
    let added: number;
    let details: Record<string, unknown>;
    if (method === 'degree') {
      const perturbed = perturbToKDegree(graph, { k: settings.minK, seed: settings.seed });
      graph = canonicalGraph(perturbed.graph);
      added = perturbed.added;
      details = { rounds: perturbed.rounds };
    } else {
      const perturbed = perturbToKAutomorphism(graph, { k: settings.minK, seed: settings.seed });
      graph = perturbed.graph;
      added = perturbed.added;
      weightWildcard = perturbed.weightWildcard;
      symmetry = symmetryOf(perturbed);
      details = {
        rowWidth: perturbed.rowWidth,
        twins: perturbed.twins,
        suppressedShare: suppressedShare(graph),
        weightsSuppressedToOne: weightWildcard,
      };
    }
    risk = assessRisk(graph, {
      ...measureSettings,
      original,
      additions: true,
      weightWildcard,
      ...(symmetry !== undefined ? { symmetry } : {}),
    });
    const impact = settings.assessOnly
      ? null
      : perturbationImpact(computeResults(original, settings.analysis), computeResults(graph, settings.analysis));
    perturbation = { method, added: suppressSmall(added), ...details, impact };
  }
  const nominals = original.order;
  const refused = {
    graph,
    perturbed: perturbation !== null,
    weightWildcard,
    ...(symmetry !== undefined ? { symmetry } : {}),
  };
  if (!risk.passes)
    return {
      ok: false,
      kind: nominals === 0 ? 'empty' : 'risk',
      risk,
      reason: refusalReason(risk, nominals),
      anonymised,
      settings,
      refused,
    };

  // A second release under one key: the attacker can intersect the two.
  const digest = releaseDigest(graph);
  const prior = settings.priorReleases;
  const repeat = prior.some((release) => release.digest === digest);
  const others = prior.filter((release) => release.digest !== digest);
  if (others.length > 0 && !repeat) {
    // Each earlier release is compared with the original generalised as that release was (the attacker reads it in its manifest).
    const earlier = others.map((release): PriorRelease => {
      const used = release.settings;
      if (used === undefined || used.model !== source.model) return release;
      const options: Partial<AnonymiseOptions> = {
        ...anonymiseOptions,
        dates: used.dates,
        weights: used.weights,
        channels: used.channels,
        keep: used.keep,
        minK: used.minK,
      };
      if (used.referenceDate !== undefined) options.referenceDate = used.referenceDate;
      else delete options.referenceDate;
      const again =
        source.model === 'records'
          ? anonymisePersons(source.persons, source.network, pseudonyms, options)
          : anonymiseResearchGraph(source.graph, pseudonyms, { weights: used.weights });
      return { ...release, original: again.graph };
    });
    const intersection = measureIntersection(
      original,
      graph,
      {
        additions: perturbation !== null,
        weightWildcard,
        budget: settings.budget,
        ...(symmetry !== undefined ? { symmetry } : {}),
      },
      earlier,
    );
    risk = {
      ...risk,
      intersection: { releases: others.length, singledOut: intersection.singledOut, k: intersection.k },
    };
    const stated = `intersecting it with the ${others.length} earlier release(s) under this key, an attacker who holds the original network singles out ${intersection.singledOut} of ${nominals} nominals (smallest candidate set ${intersection.k}, minimum ${settings.minK}; ${MEASURE_DESCRIPTIONS.combined}, in every release at once)`;
    if (!settings.allowSecondRelease) {
      return {
        ok: false,
        kind: 'second-release',
        risk,
        reason: `a release was already made with this key: a second one is refused unless asked for (--allow-second-release); ${stated}. Use a new key for a new release`,
        anonymised,
        settings,
        refused,
      };
    }
    if (intersection.k < settings.minK)
      return {
        ok: false,
        kind: 'second-release',
        risk,
        reason: `second release refused: ${stated}. Use a new key for a new release`,
        anonymised,
        settings,
        refused,
      };
  }
  const releaseSettings: ReleaseSettings = {
    model: source.model,
    dates: keep.dates ? settings.dates : 'none',
    weights: settings.weights,
    channels: keep.channels ? settings.channels : 'none',
    keep,
    minK: settings.minK,
    ...(settings.referenceDate !== undefined ? { referenceDate: settings.referenceDate } : {}),
  };
  const release: Release = {
    graph,
    perturbed: perturbation !== null,
    weightWildcard,
    digest,
    repeat,
    settings: releaseSettings,
    ...(symmetry !== undefined ? { symmetry } : {}),
  };
  if (settings.assessOnly)
    return {
      ok: true,
      graph,
      risk,
      release,
      files: new Map(),
      manifest: undefined as unknown as ResearchManifest,
      anonymised,
      settings,
    };

  onStep?.('analyse');
  const results = computeResults(graph, settings.analysis);
  onStep?.('write');
  const files = exportFiles(graph, settings.formats);
  const formatOf = (name: string) => settings.formats.find((format) => EXPORT_FILE_NAMES[format].includes(name))!;
  const effective = {
    ...DEFAULT_ANONYMISE_OPTIONS,
    dates: keep.dates ? settings.dates : 'none',
    weights: settings.weights,
    channels: keep.channels ? settings.channels : 'none',
    minK: settings.minK,
    keep,
  };
  const { researchUse: _function, projection: _projection, ...anonymiseParameters } = effective;
  const manifest = buildResearchManifest({
    ocgnet: context.ocgnet,
    ...(context.created !== undefined ? { created: context.created } : {}),
    marking: markingStatement(anonymised),
    inputs: context.inputs,
    parameters: {
      model: source.model,
      anonymise: {
        ...anonymiseParameters,
        researchUse:
          context.researchUse ??
          (settings.researchUse === DEFAULT_RESEARCH_USE
            ? 'handling P only (default)'
            : 'as configured by the data controller'),
      },
      ...(context.projection !== undefined ? { projection: context.projection } : {}),
      referenceDate: anonymised.referenceDate ?? null,
      minK: settings.minK,
      perturb:
        method !== null
          ? {
              seed: settings.seed,
              method:
                method === 'degree'
                  ? 'Liu & Terzi 2008 greedy degree anonymisation, edge additions only'
                  : 'k-automorphism (Zou, Chen & Özsu 2009), edge additions only, attributes made uniform along orbits',
            }
          : null,
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
  return { ok: true, graph, risk, release, files, manifest, anonymised, settings };
}

/** The manifest's marking: the export's handling, stated without quoting any condition. */
export function markingStatement(
  anonymised: Pick<AnonymisedGraph, 'handling' | 'conditionsApply'>,
): ResearchManifest['marking'] {
  const { handling, conditionsApply } = anonymised;
  const statement =
    handling === 'R'
      ? 'handling R: rests partly on legacy 5x5x5 intelligence not yet re-graded; it may not leave the police until that intelligence is re-graded'
      : handling === 'C' || conditionsApply
        ? 'handling C: handling conditions apply to evidence behind this export; the data controller holds them and must be consulted before any use or onward dissemination'
        : 'handling P: made only from evidence with no handling conditions';
  return { handling, conditionsApply, statement };
}

/** A change of options that may let a refused export pass, and whether it does. */
export interface Remedy {
  /** The command-line flags that make the change. */
  flags: string[];
  options: Partial<ResearchExportOptions>;
  /** Checked: the export passes with it. */
  passes: boolean;
  /** Ties the perturbation adds (null when none). */
  added: number | null;
  /** Share of released attribute values suppressed (`*`). */
  suppressedShare: number;
}

/**
 * Remedies for a refused export, least destructive first, each checked by
 * running the export (without analysis or files): structural perturbation
 * (k-automorphism), then coarser weights, channels and dates, which keep
 * more of the attributes through the perturbation, then none of them.
 * Stops at the second that passes.
 */
export function suggestRemedies(
  source: ExportSource,
  key: Uint8Array,
  options: Partial<ResearchExportOptions>,
  context: ExportContext,
): Remedy[] {
  const base = resolveResearchExportOptions(options);
  const records = source.model === 'records';
  const ladder: { flags: string[]; options: Partial<ResearchExportOptions> }[] = [];
  const perturb: Partial<ResearchExportOptions> = { perturb: 'automorphism' };
  if (base.perturb !== true && base.perturb !== 'automorphism') ladder.push({ flags: ['--perturb'], options: perturb });
  const coarser: Partial<ResearchExportOptions> = {
    ...perturb,
    weights: 'bands',
    ...(records ? { channels: 'coarse' as const, dates: 'year' as const } : {}),
  };
  ladder.push({
    flags: ['--perturb', '--weights bands', ...(records ? ['--channels coarse', '--dates year'] : [])],
    options: coarser,
  });
  const none: Partial<ResearchExportOptions> = {
    ...perturb,
    weights: 'none',
    ...(records ? { channels: 'none' as const, dates: 'none' as const, keep: { ...base.keep, gradings: false } } : {}),
  };
  ladder.push({
    flags: ['--perturb', '--weights none', ...(records ? ['--channels none', '--dates none', '--drop gradings'] : [])],
    options: none,
  });
  const remedies: Remedy[] = [];
  let passing = 0;
  for (const step of ladder) {
    if (passing >= 2) break;
    const outcome = prepareResearchExport(
      source,
      key,
      { ...options, ...step.options, priorReleases: [], assessOnly: true },
      context,
    );
    const perturbed = outcome.ok && outcome.release.perturbed;
    remedies.push({
      flags: step.flags,
      options: step.options,
      passes: outcome.ok,
      added: outcome.ok && perturbed ? outcome.graph.size - outcome.anonymised.graph.size : null,
      suppressedShare: outcome.ok ? suppressedShare(outcome.graph) : 0,
    });
    if (outcome.ok) passing++;
  }
  return remedies;
}
