/**
 * The seeded scenario: a town (or 20 for a large one) at a time, with its
 * ground truth, from a size and a seed.
 */
import type { Entity, Link } from '@ocgnet/schema';
import type { TruthRow } from './builder.js';
import { Calendar } from './dates.js';
import { townNames } from './names.js';
import { mixSeed, Rng } from './rng.js';
import { buildTown, type TownProfile } from './town.js';

export type { TruthRow } from './builder.js';

/** small: ~150 nominals, one town; medium: ~5,000, one town; large: ~100,000 in 20 towns, ~1M links. */
export type ScenarioSize = 'small' | 'medium' | 'large';

export interface ScenarioOptions {
  size: ScenarioSize;
  /** Any safe integer. The same seed gives byte-identical records. */
  seed: number;
  /** First day of the intelligence window, YYYY-MM-DD; default 2023-01-01. */
  start?: string;
  /** Last day of the window, YYYY-MM-DD; default 2025-12-31. Ages and under_18 are as of this day. */
  end?: string;
}

/** One town's records and ground truth; ids carry the town's prefix when there are several towns. */
export interface ScenarioChunk {
  town: string;
  entities: Entity[];
  links: Link[];
  truth: TruthRow[];
}

/** Columns of the ground-truth table, in the order a CSV should have them. */
export const TRUTH_COLUMNS: readonly (keyof TruthRow)[] = [
  'nominal_id',
  'town',
  'group_id',
  'group_kind',
  'role',
  'mapped',
  'hidden',
];

/** Default first day of the intelligence window. */
export const DEFAULT_START = '2023-01-01';
/** Default last day of the window; ages and under_18 are reckoned on it. */
export const DEFAULT_END = '2025-12-31';

/** The small town's profile; tests that build one town directly use it too. */
export const SMALL_TOWN_PROFILE: TownProfile = {
  nominals: [140, 160],
  ocgs: [3, 4],
  areas: 4,
  streetsPerArea: 8,
  group: { lieutenants: [2, 3], significant: [1, 2], peripheral: [1, 2], runners: [2, 3], hidden: [1, 2] },
  usg: [6, 8],
  line: { customers: [8, 12], cuckooed: [1, 2] },
  exploitedPerFront: [1, 2],
  density: { associates: [1, 3], eventsPerPerson: 0.5, vehicleShare: 0.3, peoplePerBusiness: 40 },
  minBackground: 10,
};

const TOWN: TownProfile = {
  nominals: [4850, 5150],
  ocgs: [3, 6],
  areas: 14,
  streetsPerArea: 12,
  group: { lieutenants: [2, 3], significant: [3, 6], peripheral: [4, 8], runners: [3, 6], hidden: [1, 3] },
  usg: [14, 24],
  line: { customers: [60, 120], cuckooed: [2, 4] },
  exploitedPerFront: [2, 4],
  density: { associates: [1, 5], eventsPerPerson: 0.9, vehicleShare: 0.35, peoplePerBusiness: 70 },
  minBackground: 1000,
};

const TOWNS_IN_LARGE = 20;

function profileOf(size: ScenarioSize): TownProfile {
  if (size === 'small') return SMALL_TOWN_PROFILE;
  return TOWN;
}

function checkSize(size: unknown): ScenarioSize {
  if (size === 'small' || size === 'medium' || size === 'large') return size;
  throw new RangeError(`size must be small, medium or large, not ${JSON.stringify(size)}`);
}

/** How many towns (chunks) `generateScenario` will yield: for a progress bar. */
export function plannedTowns(options: Pick<ScenarioOptions, 'size'> & Partial<ScenarioOptions>): number {
  return checkSize(options.size) === 'large' ? TOWNS_IN_LARGE : 1;
}

/**
 * Generates the scenario one town at a time. Only the current town is held in
 * memory, so a large scenario streams: write each chunk out and drop it.
 * Options are checked at the call, not at the first `next()`: a bad size,
 * seed or window throws RangeError straight away.
 */
export function generateScenario(options: ScenarioOptions): Generator<ScenarioChunk> {
  const size = checkSize(options.size);
  const calendar = new Calendar(options.start ?? DEFAULT_START, options.end ?? DEFAULT_END);
  const seed = mixSeed(options.seed);
  return towns(size, seed, calendar);
}

/**
 * The whole scenario as one record set (every town's entities and links).
 * For small and medium scenarios; a large one should be streamed with
 * {@link generateScenario}.
 */
export function scenarioRecords(options: ScenarioOptions): {
  entities: ScenarioChunk['entities'];
  links: ScenarioChunk['links'];
} {
  const records: { entities: ScenarioChunk['entities']; links: ScenarioChunk['links'] } = { entities: [], links: [] };
  for (const chunk of generateScenario(options)) {
    records.entities.push(...chunk.entities);
    records.links.push(...chunk.links);
  }
  return records;
}

function* towns(size: ScenarioSize, seed: number, calendar: Calendar): Generator<ScenarioChunk> {
  const scenario = new Rng(seed);
  const count = plannedTowns({ size });
  const names = townNames(scenario, count);
  // Town seeds are drawn up front so a town's content never depends on how much randomness earlier towns used.
  const seeds = names.map(() => scenario.seed());
  // Phone numbers run on across towns so they never repeat.
  const phoneSerial = { value: 0 };
  for (let index = 0; index < count; index++) {
    const number = String(index + 1).padStart(2, '0');
    yield buildTown({
      name: names[index]!,
      seed: seeds[index]!,
      idPrefix: count > 1 ? `T${number}-` : '',
      serialPrefix: count > 1 ? `${number}-` : '',
      calendar,
      profile: profileOf(size),
      phoneSerial,
    });
  }
}
