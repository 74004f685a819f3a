/**
 * One town, start to finish: neighbourhoods, the groups, the street gang, the
 * county line, the fronts, then a background population sized to bring the
 * town to its target, then the loose ties between the two, and last what
 * partners can act on. Each town has its own random stream, so towns can be
 * generated one at a time and in order.
 */
import type { Entity, Link, Location } from '@ocgnet/schema';
import { TownBuilder, type Area, type TruthRow } from './builder.js';
import { buildCountyLine, type LineSizes } from './countyLine.js';
import type { Calendar } from './dates.js';
import { buildFronts } from './fronts.js';
import { areaNames, operationName, streetNames } from './names.js';
import { buildOcg, type GroupSizes, type OcgGroup } from './ocg.js';
import { addPartnerLevers } from './partnerLevers.js';
import { populate, type PopulationDensity } from './population.js';
import { mixSeed, Rng } from './rng.js';
import { buildUsg } from './usg.js';

/** How big a town is and how its parts scale. */
export interface TownProfile {
  nominals: [number, number];
  ocgs: [number, number];
  areas: number;
  streetsPerArea: number;
  group: GroupSizes;
  usg: [number, number];
  line: LineSizes;
  exploitedPerFront: [number, number];
  density: PopulationDensity;
  /** Never fewer background nominals than this, whatever the groups took. */
  minBackground: number;
}

export interface TownSpec {
  name: string;
  seed: number;
  idPrefix: string;
  serialPrefix: string;
  calendar: Calendar;
  profile: TownProfile;
  phoneSerial: { value: number };
  /** Add what partners can act on (partnerLevers.ts); default true. Off only to show it changes nothing else. */
  partnerLevers?: boolean;
}

/** Salt of the stream partner levers are drawn from, apart from the town's own. */
const PARTNER_LEVERS_SALT = 0x4c455652;

export interface TownRecords {
  town: string;
  entities: Entity[];
  links: Link[];
  truth: TruthRow[];
}

export function buildTown(spec: TownSpec): TownRecords {
  const rng = new Rng(spec.seed);
  const b = new TownBuilder(rng, spec.calendar, spec.idPrefix, spec.name, spec.serialPrefix, spec.phoneSerial);
  const profile = spec.profile;
  const areas: Area[] = areaNames(rng, profile.areas).map((name) => ({
    name,
    streets: streetNames(rng, profile.streetsPerArea),
  }));

  const ocgCount = rng.int(...profile.ocgs);
  const operations = new Set<string>();
  while (operations.size < ocgCount) operations.add(operationName(rng));
  const ocgs: OcgGroup[] = [...operations].map((operation, index) =>
    buildOcg(b, areas, profile.group, index, operation, index === 0),
  );
  const usg = buildUsg(b, areas, profile.usg, ocgs[0]!, ocgs);
  buildCountyLine(b, areas, profile.line, ocgs[0]!, usg);
  buildFronts(b, areas, ocgs, profile.exploitedPerFront);
  linkGroups(b, ocgs);

  const special = b.truth.map((row) => row.nominal_id);
  const target = rng.int(...profile.nominals);
  const population = populate(b, areas, Math.max(profile.minBackground, target - b.personCount), profile.density);
  tieToBackground(b, special, population.byArea, population.people);
  partners(b, ocgs, population.people);
  if (spec.partnerLevers ?? true) {
    // Last, and from a stream of its own, so every record above is as it was before levers were added.
    b.useStream(new Rng(mixSeed(spec.seed, PARTNER_LEVERS_SALT)));
    addPartnerLevers(b, areas, ocgs, population.people);
  }

  setReviewDates(b.links);
  return { town: spec.name, entities: b.entities, links: b.links, truth: b.truth };
}

/** Years after its latest date that an intelligence report, or financial intelligence, falls due for review. */
export const INTELLIGENCE_REVIEW_YEARS = 3;

/**
 * Review dates, as records management sets them when intelligence is
 * recorded: intelligence reports and financial intelligence are reviewed
 * {@link INTELLIGENCE_REVIEW_YEARS} years after their latest date. Derived
 * from fields already drawn, with no random draws, so every other field is
 * as it was.
 */
function setReviewDates(links: Link[]): void {
  for (const link of links) {
    if (!link.source.startsWith('Intel report') && !link.source.startsWith('Financial intelligence')) continue;
    const latest = (link.last_seen ?? link.date ?? link.first_seen)?.slice(0, 10);
    if (latest === undefined) continue;
    const year = Number(latest.slice(0, 4)) + INTELLIGENCE_REVIEW_YEARS;
    // 29 February moves to 28 February in a year that has none.
    const monthDay =
      latest.slice(5) === '02-29' && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))
        ? '02-28'
        : latest.slice(5);
    link.review_date = `${year}-${monthDay}`;
  }
}

/** Groups in one town know each other a little: a few cross-group associations. */
function linkGroups(b: TownBuilder, ocgs: readonly OcgGroup[]): void {
  const { rng } = b;
  for (let i = 0; i < ocgs.length; i++) {
    for (let j = i + 1; j < ocgs.length; j++) {
      if (!rng.chance(0.35)) continue;
      const a = ocgs[i]!;
      const c = ocgs[j]!;
      b.relate(
        'associate',
        rng.pick([...a.lieutenants, ...a.significant]),
        rng.pick([...c.lieutenants, ...c.significant]),
        'intel',
        1,
      );
    }
  }
}

/** Members, customers and victims have family and friends among ordinary people. */
function tieToBackground(
  b: TownBuilder,
  special: readonly string[],
  byArea: ReadonlyMap<string, string[]>,
  everyone: readonly string[],
): void {
  const { rng } = b;
  if (everyone.length === 0) return;
  for (const person of special) {
    const home = b.homeOf.get(person);
    const area = home === undefined ? undefined : (b.get(home) as Location).area;
    const local = (area !== undefined ? byArea.get(area) : undefined) ?? [];
    const pool = local.length > 0 ? local : everyone;
    if (rng.chance(0.25)) b.relate('family', person, rng.pick(pool), 'pnc');
    if (rng.chance(0.15)) b.relate('associate', person, rng.pick(pool), 'intel', 1);
  }
}

/** Each principal's partner: an ordinary person who moved into the principal's home. */
function partners(b: TownBuilder, ocgs: readonly OcgGroup[], everyone: readonly string[]): void {
  const { rng, cal } = b;
  if (everyone.length === 0) return;
  for (const g of ocgs) {
    if (!rng.chance(0.7)) continue;
    const partner = rng.pick(everyone);
    const home = b.homeOf.get(g.principal)!;
    b.relate('family', g.principal, partner, 'pnc');
    b.link('lives_at', partner, home, { first_seen: cal.date(rng, cal.at(0.3), cal.at(0.8)) }, 'housing');
  }
}
