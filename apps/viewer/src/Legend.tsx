/**
 * The legend, in a collapsible side section (never over the graph): the safeguarding
 * and cuckooed rings (always listed), the colours of the current mode (the largest
 * communities or groups, then "other"), what dimmed and removed nodes look like, and
 * the size legend.
 */
import { communityColours, groupColours } from './communities.js';
import { OTHER_COLOUR } from './palette.js';
import { UNMAPPED, type Loaded } from './model.js';
import {
  CUCKOOED_COLOUR,
  DIM_COLOUR,
  KIND_COLOURS,
  PATH_COLOUR,
  REMOVED_COLOUR,
  REMOVED_RING,
  SAFEGUARDING_COLOUR,
  metricSize,
} from './renderer.js';
import { communitySize, largestCommunity } from './overview.js';
import type { ScopedVisibility } from './scope.js';
import type { ViewState } from './state.js';

export function Swatch({ colour, ring, size }: { colour: string; ring?: string; size?: number }) {
  return (
    <span
      class={ring ? 'swatch ring' : size ? 'swatch disc' : 'swatch'}
      data-colour={colour}
      ref={(el) => {
        if (!el) return;
        el.style.background = colour;
        if (ring) el.style.borderColor = ring;
        if (size) {
          el.style.width = `${2 * size}px`;
          el.style.height = `${2 * size}px`;
        }
      }}
    />
  );
}

type Entry = { name: string; colour: string };
interface LegendProps {
  loaded: Loaded;
  view: ViewState;
  visibility: ScopedVisibility;
}

function colourEntries(loaded: Loaded, view: ViewState, overview: boolean): Entry[] {
  const kinds: Entry[] =
    view.colourBy === 'kind' || view.view === 'network'
      ? loaded.kinds.map((kind) => ({ name: kind, colour: KIND_COLOURS[kind] ?? '#555555' }))
      : [];
  const notPersons = kinds.filter((entry) => entry.name !== 'person');
  const groups = () =>
    groupColours(loaded.groupOf, UNMAPPED).legend.map((entry) => ({
      name: `${entry.name === UNMAPPED ? 'not mapped' : entry.name} (${entry.count})`,
      colour: entry.colour,
    }));
  if (overview) return groups();
  if (view.colourBy === 'group') return [...notPersons, ...groups()];
  if (view.colourBy === 'community')
    return [
      ...notPersons,
      ...communityColours(loaded.persons).legend.map((entry) => ({
        name: `${entry.colour === OTHER_COLOUR ? '' : 'community '}${entry.name} (${entry.count})`,
        colour: entry.colour,
      })),
    ];
  return kinds;
}

/** Reference discs for what a node's size means: 2–3 values across the range, drawn at their size. */
function sizeReferences(
  loaded: Loaded,
  view: ViewState,
  visibility: ScopedVisibility,
): { label: string; size: number }[] {
  if (visibility.overview) {
    const largest = largestCommunity(visibility.overview);
    return [1, Math.max(1, Math.round(largest / 4)), largest]
      .filter((value, index, all) => all.indexOf(value) === index)
      .map((members) => ({
        label: `${members} ${members === 1 ? 'member' : 'members'}`,
        size: communitySize(members, largest),
      }));
  }
  const range = loaded.metricRange[view.sizeBy];
  const [min, max] = range;
  const values = max > min ? [min, min + (max - min) / 4, max] : [min];
  return values.map((value) => ({ label: value.toPrecision(3), size: metricSize(value, range) }));
}

export function SizeLegend({ loaded, view, visibility }: LegendProps) {
  const references = sizeReferences(loaded, view, visibility);
  return (
    <div class="size-legend" data-testid="size-legend">
      <div>
        <strong>Size:</strong> {visibility.overview ? 'members of the community (area)' : view.sizeBy} (at the opening
        zoom)
      </div>
      <div class="row">
        {references.map((reference) => (
          <span key={reference.label} class="size-reference" data-testid="size-reference">
            <Swatch colour="#9aa3ad" size={reference.size} /> {reference.label}
          </span>
        ))}
      </div>
    </div>
  );
}

export function Legend({ loaded, view, visibility }: LegendProps) {
  const entries = colourEntries(loaded, view, visibility.overview !== null);
  return (
    <details class="legend" open data-testid="legend">
      <summary>Legend</summary>
      {/* Always shown, whatever the colour mode or filters: these cannot be switched off. */}
      <div class="legend-fixed" data-testid="legend-safeguarding">
        <div>
          <Swatch colour="#ffffff" ring={SAFEGUARDING_COLOUR} /> safeguarding: vulnerable, under 18, exploited or
          cuckooed person — protect, never target
          {visibility.overview ? ' (a community ringed holds at least one)' : ''}
        </div>
        <div>
          <Swatch colour="#ffffff" ring={CUCKOOED_COLOUR} /> cuckooed address
        </div>
      </div>
      {visibility.overview ? (
        <div class="note">
          Community colour: the mapped OCG/USG most of its mapped members belong to (grey: none mapped).
        </div>
      ) : null}
      <div data-testid="legend-colours">
        {entries.map((entry) => (
          <div key={entry.name} data-testid="legend-entry">
            <Swatch colour={entry.colour} /> {entry.name}
          </div>
        ))}
      </div>
      <div data-testid="legend-removed">
        <Swatch colour={REMOVED_COLOUR} ring={REMOVED_RING} /> removed (what-if): grey, dark ring, "(removed)"
      </div>
      <div data-testid="legend-dimmed">
        <Swatch colour={DIM_COLOUR} /> dimmed: not on the path shown, unlabelled
      </div>
      <div>
        <Swatch colour={PATH_COLOUR} /> shortest path
      </div>
      <SizeLegend loaded={loaded} view={view} visibility={visibility} />
    </details>
  );
}
