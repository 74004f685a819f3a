/**
 * The background population: nominals who belong to no group. They live in
 * households (family links, a shared address), mix in circles of friends
 * within their neighbourhood (associate links, phone calls, shared incidents),
 * drive, work, and now and then get arrested. The circles give the background
 * community structure of its own, so a community detector has real noise to
 * separate from the groups rather than one uniform hairball.
 */
import type { Area, TownBuilder } from './builder.js';
import { BACKGROUND } from './builder.js';
import { shopName, surname as randomSurname } from './names.js';
import type { Business } from '@ocgnet/schema';

export interface Population {
  people: string[];
  byArea: Map<string, string[]>;
  areaOf: Map<string, string>;
}

export interface PopulationDensity {
  /** Associates each person starts (the other end adds more). */
  associates: [number, number];
  /** Background events per person. */
  eventsPerPerson: number;
  vehicleShare: number;
  /** People per ordinary business. */
  peoplePerBusiness: number;
}

const HOUSEHOLD_SIZES: readonly (readonly [number, number])[] = [
  [1, 30],
  [2, 30],
  [3, 20],
  [4, 12],
  [5, 8],
];
const HOMES: readonly (readonly ['residential' | 'social_housing' | 'hmo', number])[] = [
  ['residential', 60],
  ['social_housing', 30],
  ['hmo', 10],
];

const INCIDENTS = [
  'Disturbance',
  'Assault reported',
  'Criminal damage',
  'Domestic incident',
  'Shoplifting',
  'Anti-social behaviour',
  'Neighbour dispute',
  'Theft from vehicle',
];
const ARRESTS = [
  'Arrest: theft',
  'Arrest: common assault',
  'Arrest: drink driving',
  'Arrest: possession of cannabis',
  'Arrest: criminal damage',
  'Arrest: public order',
];
const STOPS = ['Vehicle stop', 'Vehicle stop: occupants searched', 'Vehicle stop: no insurance'];
const REPORTS = [
  'Intel report: seen together',
  'Intel report: associates drinking at premises',
  'Intel report: low-level dealing rumoured',
];

const BUSINESS_TYPES: readonly (readonly [NonNullable<Business['business_type']>, number])[] = [
  ['shop', 30],
  ['barber', 15],
  ['garage', 15],
  ['licensed_premises', 15],
  ['takeaway', 12],
  ['haulage', 5],
  ['other', 8],
];
const PREMISES_FOR = {
  shop: 'shop',
  barber: 'shop',
  garage: 'garage',
  licensed_premises: 'licensed_premises',
  takeaway: 'takeaway',
  haulage: 'industrial',
  other: 'other',
} as const;

export function populate(
  b: TownBuilder,
  areas: readonly Area[],
  count: number,
  density: PopulationDensity,
): Population {
  const { rng, cal } = b;
  const people: string[] = [];
  const byArea = new Map<string, string[]>(areas.map((area) => [area.name, []]));
  const areaOf = new Map<string, string>();
  const hmos = new Map<string, string[]>();
  const pairs: [string, string][] = [];

  // Households: people who share a surname are family; everyone shares the address.
  while (people.length < count) {
    const size = Math.min(rng.weighted(HOUSEHOLD_SIZES), count - people.length);
    const area = rng.pick(areas);
    const premises = size === 1 ? rng.weighted(HOMES) : rng.weighted(HOMES.filter(([kind]) => kind !== 'hmo'));
    let home: string;
    const shared = hmos.get(area.name);
    if (premises === 'hmo' && shared && shared.length > 0 && rng.chance(0.6)) home = rng.pick(shared);
    else {
      home = b.addLocation(area, premises).id;
      if (premises === 'hmo') hmos.set(area.name, [...(shared ?? []), home]);
    }
    const family = randomSurname(rng);
    const members: string[] = [];
    for (let index = 0; index < size; index++) {
      const related = index === 0 || rng.chance(0.8);
      const person = b.addPerson({
        minAge: index === 0 ? 22 : 14,
        maxAge: index === 0 ? 78 : 70,
        truth: BACKGROUND,
        ...(related ? { surname: family } : {}),
        iom: rng.chance(0.02),
      });
      b.livesAt(person.id, home, rng.chance(0.75) ? 'pnc' : 'housing');
      for (const other of members) {
        if (related && rng.chance(0.85)) {
          b.relate('family', person.id, other, 'pnc');
          pairs.push([person.id, other]);
        }
      }
      members.push(person.id);
      people.push(person.id);
      byArea.get(area.name)!.push(person.id);
      areaOf.set(person.id, area.name);
    }
  }

  // Wider family in other households of the same area: cousins, grown-up children.
  for (const person of people) {
    if (!rng.chance(0.2)) continue;
    const relative = rng.pick(byArea.get(areaOf.get(person)!)!);
    if (relative !== person) {
      b.relate('family', person, relative, 'pnc');
      pairs.push([person, relative]);
    }
  }

  const vehicleOf = new Map<string, string>();
  // Vehicles: the driver is the registered keeper most of the time.
  for (const person of people) {
    if (!rng.chance(density.vehicleShare)) continue;
    const vehicle = b.addVehicle();
    vehicleOf.set(person, vehicle.id);
    const span = cal.span(rng, 90);
    b.link('uses_vehicle', person, vehicle.id, span, rng.chance(0.6) ? 'anpr' : 'dvla', { count: rng.skewed(1, 30) });
    if (rng.chance(0.7)) b.link('owns', person, vehicle.id, span, 'dvla');
  }

  // Circles of friends within each area, with a few links across circles and areas.
  for (const area of areas) {
    const residents = rng.shuffle(byArea.get(area.name)!.slice());
    for (let start = 0; start < residents.length;) {
      const size = rng.int(8, 16);
      const circle = residents.slice(start, start + size);
      start += size;
      for (const person of circle) {
        const wanted = rng.int(density.associates[0], density.associates[1]);
        for (let made = 0; made < wanted; made++) {
          const roll = rng.float();
          const other =
            roll < 0.03
              ? rng.pick(people)
              : roll < 0.12
                ? rng.pick(residents)
                : circle.length > 1
                  ? rng.pick(circle)
                  : rng.pick(residents);
          if (other === person) continue;
          b.relate('associate', person, other, rng.chance(0.85) ? 'intel' : 'pnc', rng.skewed(1, 8));
          pairs.push([person, other]);
        }
      }
      // Incidents, stops and reports among circle members: the co-presence analysts mine.
      const events = Math.round(circle.length * density.eventsPerPerson * (0.5 + rng.float()));
      for (let index = 0; index < events; index++) backgroundEvent(b, circle, area, vehicleOf);
    }
  }

  // Phones: nearly everyone has one; friends and family call each other.
  for (const person of people) {
    if (rng.chance(0.93)) b.givePhone(person, 'personal');
    if (rng.chance(0.08)) b.givePhone(person, rng.chance(0.4) ? 'burner' : 'personal');
  }
  for (const [a, c] of pairs) {
    if (!rng.chance(0.45)) continue;
    const phoneA = b.phonesOf.get(a)?.[0];
    const phoneC = b.phonesOf.get(c)?.[0];
    if (phoneA === undefined || phoneC === undefined) continue;
    b.contact(phoneA, phoneC, rng.skewed(1, 90));
    if (rng.chance(0.3)) b.contact(phoneC, phoneA, rng.skewed(1, 40));
  }

  // Ordinary businesses with an owner and a few staff.
  const businesses = Math.max(1, Math.round(people.length / density.peoplePerBusiness));
  for (let index = 0; index < businesses; index++) {
    const type = rng.weighted(BUSINESS_TYPES);
    const owner = rng.pick(people);
    const area = rng.pick(areas);
    const business = b.addBusiness(
      shopName(rng, type, randomSurname(rng)),
      type,
      type === 'licensed_premises' || type === 'takeaway',
    );
    const premises = b.addLocation(area, PREMISES_FOR[type as keyof typeof PREMISES_FOR] ?? 'other');
    b.link(
      'uses_address',
      business.id,
      premises.id,
      cal.span(rng, 365),
      type === 'licensed_premises' ? 'licensing' : 'companies',
    );
    b.link('owns', owner, business.id, cal.span(rng, 365), 'companies');
    const staff = byArea.get(area.name)!;
    for (let worker = rng.int(0, 3); worker > 0 && staff.length > 0; worker--) {
      b.link('works_at', rng.pick(staff), business.id, cal.span(rng, 60), rng.chance(0.5) ? 'intel' : 'companies');
    }
  }

  return { people, byArea, areaOf };
}

function backgroundEvent(
  b: TownBuilder,
  circle: readonly string[],
  area: Area,
  vehicleOf: ReadonlyMap<string, string>,
): void {
  const { rng, cal } = b;
  const type = rng.weighted([
    ['incident', 35],
    ['stop', 22],
    ['arrest', 15],
    ['intelligence_report', 28],
  ] as const);
  const date = cal.date(rng);
  const street = rng.pick(area.streets);
  const take = type === 'arrest' ? rng.int(1, 2) : type === 'stop' ? rng.int(1, 3) : rng.int(1, 4);
  const people = rng.sample(circle, take);
  if (type === 'stop') {
    // The first person is the driver: their vehicle was stopped too, if they have one.
    const vehicle = vehicleOf.get(people[0]!);
    const what = vehicle === undefined ? 'Stop and search' : rng.pick(STOPS);
    b.event('stop', `${what}, ${street}, ${area.name}`, date, people, vehicle === undefined ? [] : [vehicle]);
    return;
  }
  const label =
    type === 'incident'
      ? `${rng.pick(INCIDENTS)}, ${street}, ${area.name}`
      : type === 'arrest'
        ? rng.pick(ARRESTS)
        : rng.pick(REPORTS);
  b.event(type, label, date, people);
  if (type === 'arrest' && people.length === 2)
    b.relate('co_offender', people[0]!, people[1]!, 'pnc', 1, { first_seen: date, last_seen: date });
}
