/**
 * The analyst's view: everything undo/redo covers and a saved working state
 * restores. Plain JSON, replaced (never mutated) on every change.
 */

import { NODE_METRIC_FIELDS, type NodeMetricField } from '@ocgnet/analysis';

/**
 * The metrics a node can be sized by: every numeric metric of the analysis except the community
 * and component numbers (labels, not sizes) and constraint (lower means more of a broker, so a
 * larger disc would mislead). The details panel lists these and then constraint.
 */
const NOT_SIZES = ['community', 'component', 'constraint'] as const;
export type MetricName = Exclude<NodeMetricField, (typeof NOT_SIZES)[number]>;
export const METRICS: readonly MetricName[] = NODE_METRIC_FIELDS.filter(
  (field): field is MetricName => !(NOT_SIZES as readonly string[]).includes(field),
);

export type ColourBy = 'community' | 'group' | 'kind';
export type ViewName = 'persons' | 'network';

export interface ViewState {
  view: ViewName;
  colourBy: ColourBy;
  sizeBy: MetricName;
  hiddenLinkTypes: string[];
  hiddenHandling: string[];
  /** Grading filter items hidden: "source 1"–"source 3", "intelligence A"–"intelligence E" (3x5x2), "legacy 5x5x5". */
  hiddenGradings: string[];
  hiddenGroups: string[];
  hiddenKinds: string[];
  /** Inclusive window in days since 1970-01-01; null = the full range (undated edges shown). */
  window: [number, number] | null;
  focus: { node: string; radius: number } | null;
  path: { from: string; to: string } | null;
  /** What-if removals, in the order chosen. */
  removed: string[];
  /** Community overview (overview.ts): one node per community; set on open above OVERVIEW_THRESHOLD persons. */
  overview: boolean;
  /** Communities opened into their members in the overview. */
  openCommunities: string[];
  /** Subject-first view (expand.ts): only this node and its neighbours, then the nodes expanded, in order. */
  subject: string | null;
  expanded: string[];
}

export const DEFAULT_VIEW: ViewState = Object.freeze({
  view: 'persons',
  colourBy: 'community',
  sizeBy: 'degree',
  hiddenLinkTypes: [],
  hiddenHandling: [],
  hiddenGradings: [],
  hiddenGroups: [],
  hiddenKinds: [],
  window: null,
  focus: null,
  path: null,
  removed: [],
  overview: false,
  openCommunities: [],
  subject: null,
  expanded: [],
});

/** Undo/redo over view states. */
export class History {
  #past: ViewState[] = [];
  #future: ViewState[] = [];
  constructor(public current: ViewState = DEFAULT_VIEW) {}

  push(next: ViewState): void {
    if (JSON.stringify(next) === JSON.stringify(this.current)) return;
    this.#past.push(this.current);
    if (this.#past.length > 200) this.#past.shift();
    this.#future = [];
    this.current = next;
  }
  undo(): boolean {
    const previous = this.#past.pop();
    if (!previous) return false;
    this.#future.push(this.current);
    this.current = previous;
    return true;
  }
  redo(): boolean {
    const next = this.#future.pop();
    if (!next) return false;
    this.#past.push(this.current);
    this.current = next;
    return true;
  }
  get canUndo(): boolean {
    return this.#past.length > 0;
  }
  get canRedo(): boolean {
    return this.#future.length > 0;
  }
  reset(state: ViewState = DEFAULT_VIEW): void {
    this.#past = [];
    this.#future = [];
    this.current = state;
  }
}

const DAY = 86_400_000;

/** YYYY-MM-DD (or a longer ISO date-time) → days since the epoch; undefined when absent or unreadable. */
export function dayOf(date: unknown): number | undefined {
  if (typeof date !== 'string' || date.length < 10) return undefined;
  const time = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isFinite(time) ? Math.round(time / DAY) : undefined;
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/**
 * The time rule, stated once: an edge dated [start, end] (either end may be
 * open) is visible when it overlaps the window; an undated edge is visible
 * only when the window is the full range (state.window === null).
 */
export function edgeInWindow(
  start: number | undefined,
  end: number | undefined,
  window: [number, number] | null,
): boolean {
  if (window === null) return true;
  if (start === undefined && end === undefined) return false;
  return (start ?? -Infinity) <= window[1] && (end ?? Infinity) >= window[0];
}

/** A saved working state: the view, the selection and the layout. */
export interface WorkingState {
  format: 'ocgnet-viewer-state';
  version: 1;
  /**
   * The bundle's classification and marking, written with the state (node ids,
   * positions and choices derived from the data carry its marking); not read back.
   */
  classification?: string;
  marking?: { handling: string; conditions: string[] };
  view: ViewState;
  selected: string | null;
  positions: Record<string, [number, number]>;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Reads a saved working state, keeping only well-formed fields. */
export function parseWorkingState(json: unknown): WorkingState {
  const object = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  if (object.format !== 'ocgnet-viewer-state') throw new Error('not an ocgnet viewer state file');
  const view = (typeof object.view === 'object' && object.view !== null ? object.view : {}) as Record<string, unknown>;
  const focus = view.focus as { node?: unknown; radius?: unknown } | null;
  const path = view.path as { from?: unknown; to?: unknown } | null;
  const window = view.window;
  const state: ViewState = {
    view: view.view === 'network' ? 'network' : 'persons',
    colourBy: view.colourBy === 'group' || view.colourBy === 'kind' ? view.colourBy : 'community',
    sizeBy: (METRICS as readonly string[]).includes(view.sizeBy as string) ? (view.sizeBy as MetricName) : 'degree',
    hiddenLinkTypes: strings(view.hiddenLinkTypes),
    hiddenHandling: strings(view.hiddenHandling),
    hiddenGradings: strings(view.hiddenGradings),
    hiddenGroups: strings(view.hiddenGroups),
    hiddenKinds: strings(view.hiddenKinds),
    window:
      Array.isArray(window) && window.length === 2 && window.every(Number.isFinite)
        ? [window[0] as number, window[1] as number]
        : null,
    focus:
      focus && typeof focus.node === 'string'
        ? { node: focus.node, radius: Math.min(3, Math.max(1, Number(focus.radius) || 1)) }
        : null,
    path:
      path && typeof path.from === 'string' && typeof path.to === 'string' ? { from: path.from, to: path.to } : null,
    removed: strings(view.removed),
    overview: view.overview === true,
    openCommunities: strings(view.openCommunities),
    subject: typeof view.subject === 'string' ? view.subject : null,
    expanded: strings(view.expanded),
  };
  const positions: Record<string, [number, number]> = Object.create(null);
  if (typeof object.positions === 'object' && object.positions !== null) {
    for (const [key, value] of Object.entries(object.positions)) {
      if (Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) && Number.isFinite(value[1]))
        positions[key] = [value[0], value[1]];
    }
  }
  return {
    format: 'ocgnet-viewer-state',
    version: 1,
    view: state,
    selected: typeof object.selected === 'string' ? object.selected : null,
    positions,
  };
}
