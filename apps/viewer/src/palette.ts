/**
 * Categorical colours for communities and mapped groups. Paul Tol's "muted" scheme
 * (colour-blind safe; https://personal.sron.nl/~pault/), without its purple, which is
 * too close to the safeguarding magenta, and checked (test/e2e/viewer.overview.test.ts)
 * never to equal an entity-kind, safeguarding, cuckooed or path colour. Beyond the
 * palette's size the smallest categories share one grey, "other", in colour and legend.
 */
export const CATEGORY_PALETTE: readonly string[] = [
  '#332288', // indigo
  '#88ccee', // cyan
  '#44aa99', // teal
  '#117733', // green
  '#999933', // olive
  '#ddcc77', // sand
  '#cc6677', // rose
  '#882255', // wine
];
export const OTHER_COLOUR = '#a3a3a3';
export const OTHER_LABEL = 'other (smaller)';

export interface RankedColours {
  /** Category → colour; categories past the palette map to OTHER_COLOUR. */
  colourOf: Map<string, string>;
  /** Legend entries, largest first, then one "other" entry when any category shares it. */
  legend: { name: string; colour: string; count: number }[];
}

/**
 * Colours categories by size: the largest get the palette's colours in turn (ties by name),
 * the rest share OTHER_COLOUR, so no two shown colours repeat. `fixed` categories (e.g.
 * "unmapped") keep their own colour and are listed last.
 */
export function rankedColours(
  counts: ReadonlyMap<string, number>,
  fixed: ReadonlyMap<string, string> = new Map(),
): RankedColours {
  const ranked = [...counts.entries()]
    .filter(([name]) => !fixed.has(name))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'en', { numeric: true }));
  const colourOf = new Map<string, string>();
  const legend: RankedColours['legend'] = [];
  let other = 0;
  let otherCategories = 0;
  ranked.forEach(([name, count], index) => {
    const colour = CATEGORY_PALETTE[index] ?? OTHER_COLOUR;
    colourOf.set(name, colour);
    if (index < CATEGORY_PALETTE.length) legend.push({ name, colour, count });
    else {
      other += count;
      otherCategories += 1;
    }
  });
  if (otherCategories > 0)
    legend.push({ name: `${OTHER_LABEL}: ${otherCategories} more`, colour: OTHER_COLOUR, count: other });
  for (const [name, colour] of fixed) {
    colourOf.set(name, colour);
    const count = counts.get(name);
    if (count !== undefined) legend.push({ name, colour, count });
  }
  return { colourOf, legend };
}
