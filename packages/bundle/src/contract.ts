/**
 * The viewer bundle contract, which the entry point `@ocgnet/bundle`
 * (index.ts) exports. Everything the Sigma.js viewer draws comes in one JSON
 * document; this module says what that document holds (format, version,
 * types), checks one (`parseViewerBundle`) and imports no node built-in and no
 * builder, so the browser loads only this. The one builder is the second entry
 * point, `@ocgnet/bundle/build`.
 *
 * What a bundle must never hold is record content beyond what the viewer
 * shows: no `record` and no `evidence` arrays on any node or edge.
 */
import type { SerializedGraph } from 'graphology-types';
import { z } from 'zod';
import type { AnalysisReport, NodeMetricField } from '@ocgnet/analysis';
import type { DisruptionPlan } from '@ocgnet/disruption';
import type { HandlingMarking, LinkType, Marking } from '@ocgnet/schema';

export type { Marking, SerializedGraph };

export const VIEWER_BUNDLE_FORMAT = 'ocgnet-viewer-bundle';
export const VIEWER_BUNDLE_VERSION = 1;

/** Node positions computed ahead of time, keyed by `graph` node key. */
export interface ViewerLayout {
  algorithm: 'forceatlas2';
  iterations: number;
  positions: Record<string, [number, number]>;
}

/** A group whose disruption plan could not be made: the other groups' plans are still in the bundle. */
export interface PlanFailure {
  /** The OCG or USG id. */
  group: string;
  /** The planner's error code (`PlanError`/`LeverError` `code`), or the error's name when it has none. */
  code: string;
  message: string;
}

/** One line for a plan failure, as the CLI's stderr and the viewer's plan list show it. */
export function describePlanFailure(failure: PlanFailure): string {
  return `no plan for ${failure.group}: ${failure.code}: ${failure.message}`;
}

export interface ViewerBundle {
  format: 'ocgnet-viewer-bundle';
  version: 1;
  /** 'OFFICIAL-SENSITIVE'. */
  classification: string;
  /** Strictest marking of everything in the bundle. */
  marking: Marking;
  /** Audience id the bundle was made for. */
  audience: string;
  /**
   * `analyse()` of the person projection of the (audience-visible) records, with
   * the network's group mapping. Always present in a records bundle
   * (`buildViewerBundle`); absent only in a research-network bundle too large to
   * analyse at once (`buildResearchViewerBundle` with `fullAnalysisLimit`), whose
   * nodes then carry degree and community only.
   */
  analysis?: AnalysisReport;
  /**
   * The person projection. Node attributes: {@link BundlePersonAttributes}. Edge attributes:
   * {@link BundleAssociationAttributes}. No record, no evidence.
   */
  graph: SerializedGraph;
  /**
   * The multimodal network. Node attributes: {@link BundleEntityAttributes}. Edge attributes:
   * {@link BundleLinkAttributes}. No record.
   */
  network: SerializedGraph;
  /** `planDisruption` for each mapped OCG/USG with visible members, in id order; [] if none. */
  plans: DisruptionPlan[];
  /** The groups whose planning failed, each with its reason. Absent in bundles written before it existed. */
  planFailures?: PlanFailure[];
  layout?: ViewerLayout;
  manifest?: unknown;
  /** Present when the bundle was built on the large path (`buildLargeViewerBundle`). */
  scale?: LargeBundleScale;
}

/**
 * How a large bundle differs from a full one: `analyse()` did not run (no
 * `analysis`), the persons carry only the metrics that scale (NaN for the
 * rest), and the multimodal network is left out of `network`, too large to
 * draw, though its markings count towards the bundle's.
 */
export interface LargeBundleScale {
  path: 'large';
  /** The node metrics computed (every other field of NODE_METRIC_FIELDS is NaN). */
  computed: string[];
  /** What the analysis says about itself: skipped metrics, sampled betweenness, one community search. */
  warnings: string[];
  modularity: number;
  /** The multimodal network the bundle leaves out. */
  networkOmitted: { entities: number; links: number };
}

/** Attributes of a `graph` node: the person's flags and every metric of `NODE_METRIC_FIELDS` (NaN when not computed). */
export type BundlePersonAttributes = {
  label: string;
  kind: 'person';
  marking: Marking;
  vulnerable: boolean;
  under_18: boolean;
  exploited: boolean;
  cuckooed: boolean;
  mappedGroup?: string;
  mappedRole?: string;
  likelyRole?: string;
  /** The person record's aliases, for search; only from records released to the bundle's audience. */
  aliases?: string[];
  articulation: boolean;
  safeguarding: boolean;
} & Record<NodeMetricField, number>;

/** Attributes of a `graph` edge. */
export interface BundleAssociationAttributes {
  weight: number;
  channels: string[];
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  marking: Marking;
  linkTypes: LinkType[];
  /** Sorted unique `formatGrading` strings of the evidence links (e.g. "2B P"; legacy "5x5x5:…"); [] for research networks. */
  gradings: string[];
  handling: HandlingMarking;
}

/** Attributes of a `network` node. */
export interface BundleEntityAttributes {
  kind: string;
  label: string;
  marking: Marking;
  vulnerable?: boolean;
  under_18?: boolean;
  exploited?: boolean;
  cuckooed?: boolean;
}

/** Attributes of a `network` edge. */
export interface BundleLinkAttributes {
  type: LinkType;
  start?: string;
  end?: string;
  grading: string;
  handling: HandlingMarking;
  marking: Marking;
  weight: number;
}

// ---- parsing ---------------------------------------------------------------

export const MarkingSchema = z.strictObject({
  handling: z.enum(['P', 'C', 'R']),
  conditions: z.array(z.string()),
  releasableTo: z.array(z.string()).optional(),
});

/**
 * A plain object, checked as one and kept as it is: `z.record(z.string(), z.unknown())` would visit
 * and copy every key of every node and edge, about a second for a region's 100,000 persons and
 * 440,000 associations, to learn nothing more (its values are unknown either way).
 */
const AttributesSchema = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { error: 'expected an object' },
);

const SerializedGraphSchema = z.looseObject({
  attributes: AttributesSchema.optional(),
  options: z.looseObject({}).optional(),
  nodes: z.array(z.looseObject({ key: z.string(), attributes: AttributesSchema.optional() })),
  edges: z.array(
    z.looseObject({
      key: z.string().optional(),
      source: z.string(),
      target: z.string(),
      attributes: AttributesSchema.optional(),
      undirected: z.boolean().optional(),
    }),
  ),
});

const LayoutSchema = z.strictObject({
  algorithm: z.literal('forceatlas2'),
  iterations: z.number().int().min(0),
  positions: z.record(z.string(), z.tuple([z.number(), z.number()])),
});

const PlanFailureSchema = z.strictObject({ group: z.string(), code: z.string(), message: z.string() });

export const ViewerBundleSchema = z.looseObject({
  format: z.literal(VIEWER_BUNDLE_FORMAT, { error: `format must be "${VIEWER_BUNDLE_FORMAT}"` }),
  version: z.literal(VIEWER_BUNDLE_VERSION, {
    error: `version must be ${VIEWER_BUNDLE_VERSION} (this viewer reads version ${VIEWER_BUNDLE_VERSION} bundles)`,
  }),
  classification: z.string().min(1),
  marking: MarkingSchema,
  audience: z.string().min(1),
  // Optional: a research network too large to analyse on open has none.
  analysis: z
    .looseObject({
      classification: z.string(),
      marking: MarkingSchema,
      nodes: z.array(z.looseObject({ id: z.string() })),
    })
    .optional(),
  graph: SerializedGraphSchema,
  network: SerializedGraphSchema,
  plans: z.array(z.looseObject({ group: z.looseObject({ id: z.string() }) })),
  planFailures: z.array(PlanFailureSchema).optional(),
  layout: LayoutSchema.optional(),
  manifest: z.unknown().optional(),
  scale: z
    .strictObject({
      path: z.literal('large'),
      computed: z.array(z.string()),
      warnings: z.array(z.string()),
      modularity: z.number(),
      networkOmitted: z.strictObject({ entities: z.number().int().min(0), links: z.number().int().min(0) }),
    })
    .optional(),
});

/** Thrown by {@link parseViewerBundle}: the message lists every problem as `path: reason`. */
export class ViewerBundleError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(
      `not an ocgnet viewer bundle: ${issues.slice(0, 10).join('; ')}${issues.length > 10 ? ` (and ${issues.length - 10} more)` : ''}`,
    );
    this.name = 'ViewerBundleError';
    this.issues = issues;
  }
}

/**
 * Checks that a parsed JSON value is a viewer bundle (format, version and
 * every required key, with the shapes the viewer relies on) and returns it.
 * Throws a {@link ViewerBundleError} otherwise.
 */
export function parseViewerBundle(json: unknown): ViewerBundle {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new ViewerBundleError(['(bundle): expected a JSON object']);
  const format = (json as Record<string, unknown>).format;
  if (format !== VIEWER_BUNDLE_FORMAT) {
    const got = format === undefined ? 'nothing' : JSON.stringify(format)?.slice(0, 60);
    throw new ViewerBundleError([`format: expected "${VIEWER_BUNDLE_FORMAT}", got ${got}`]);
  }
  const parsed = ViewerBundleSchema.safeParse(json);
  if (!parsed.success) {
    throw new ViewerBundleError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(bundle)'}: ${issue.message}`),
    );
  }
  return parsed.data as unknown as ViewerBundle;
}
