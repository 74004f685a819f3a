/**
 * One organised crime group and everyone in it. The wiring is deliberate,
 * because later analysis is tested against it:
 * - the principal associates with every lieutenant, most significant members
 *   and the enablers, and never directly with runners;
 * - each lieutenant runs a crew of runners and peripheral members, so
 *   lieutenants are the bridges between the top and the street;
 * - hidden members have no member_of link but associate, travel, meet and
 *   call like members, so community detection can find them.
 */
import type { MemberRole, Ocg } from '@ocgnet/schema';
import { OCGM_BANDS, THREAT_AREAS } from '@ocgnet/schema';
import type { Area, Truth, TownBuilder } from './builder.js';
import { nickname, officer, shopName, surname as randomSurname } from './names.js';

export interface GroupSizes {
  lieutenants: [number, number];
  significant: [number, number];
  peripheral: [number, number];
  runners: [number, number];
  hidden: [number, number];
}

export interface OcgGroup {
  id: string;
  label: string;
  homeArea: Area;
  principal: string;
  lieutenants: string[];
  significant: string[];
  peripheral: string[];
  runners: string[];
  /** Under-18 or otherwise exploited runners. */
  youngRunners: string[];
  accountant: string;
  solicitor: string;
  lettingsAgent: string;
  hidden: string[];
  /** Crew of each lieutenant (same index): runners and peripheral members. */
  crews: string[][];
  /** Every true member, hidden or not. */
  members: string[];
  base: string;
  vehicleOf: Map<string, string>;
}

const BAND_WEIGHTS: readonly (readonly [(typeof OCGM_BANDS)[number], number])[] = [
  ['1A', 2],
  ['1B', 3],
  ['1C', 4],
  ['2A', 6],
  ['2B', 8],
  ['2C', 7],
  ['3A', 5],
  ['3B', 4],
  ['3C', 3],
];

const MEETINGS = [
  'Intel report: meeting at',
  'Intel report: principal seen with lieutenants at',
  'CHIS: cash handover at',
  'Surveillance: group seen at',
];

export function buildOcg(
  b: TownBuilder,
  areas: readonly Area[],
  sizes: GroupSizes,
  index: number,
  operation: string,
  runsLine: boolean,
): OcgGroup {
  const { rng, cal } = b;
  const homeArea = rng.pick(areas);
  const id = `${b.idPrefix}OCG${String(index + 1).padStart(2, '0')}`;
  const family = randomSurname(rng);
  const band = rng.weighted(BAND_WEIGHTS);
  const tier = Number(band.charAt(0));
  const threats = new Set<(typeof THREAT_AREAS)[number]>(runsLine || rng.chance(0.6) ? ['drugs'] : []);
  for (let extra = rng.int(threats.size === 0 ? 1 : 0, 2); extra > 0; extra--) threats.add(rng.pick(THREAT_AREAS));
  const ocg: Ocg = {
    id,
    kind: 'ocg',
    label: `${family} OCG (Op ${operation})`,
    source: 'OCG mapping',
    ocgm_band: band,
    // Harm scores fall with the band: band 1 groups score highest.
    ocgm_score: rng.int(tier === 1 ? 450 : tier === 2 ? 220 : 60, tier === 1 ? 900 : tier === 2 ? 449 : 219),
    morile_score: rng.int(40, 320),
    lro: officer(rng),
    threat_areas: THREAT_AREAS.filter((area) => threats.has(area)),
  };
  b.add(ocg);

  const members: string[] = [];
  const mappedSince = () => cal.date(rng, cal.first, cal.at(0.6));
  const truth = (role: string, hidden = false): Truth => ({
    group_id: id,
    group_kind: 'ocg',
    role,
    mapped: !hidden,
    hidden,
  });

  /** A member with a home, a phone and (unless hidden) the police mapping. */
  const member = (
    role: MemberRole,
    minAge: number,
    maxAge: number,
    options: { hidden?: boolean; young?: boolean; surname?: string } = {},
  ) => {
    const young = options.young ?? false;
    const person = b.addPerson({
      minAge,
      maxAge,
      truth: truth(role, options.hidden),
      ...(options.surname ? { surname: options.surname } : {}),
      ...(rng.chance(role === 'enabler' ? 0 : 0.45) ? { alias: nickname(rng) } : {}),
      ...(young ? { exploited: true, vulnerable: rng.chance(0.5) } : {}),
      iom: role !== 'enabler' && !young && rng.chance(0.2),
    });
    members.push(person.id);
    const area = rng.chance(0.7) ? homeArea : rng.pick(areas);
    const home = b.addLocation(area, rng.chance(0.6) ? 'residential' : 'social_housing');
    b.livesAt(person.id, home.id, rng.chance(0.6) ? 'pnc' : 'housing');
    b.givePhone(person.id, 'personal');
    if (!options.hidden) b.link('member_of', person.id, id, { first_seen: mappedSince() }, 'mapping', { role });
    return person.id;
  };

  const principal = member('principal', 32, 58, { surname: family });
  const lieutenants = range(rng.int(...sizes.lieutenants)).map(() => member('lieutenant', 22, 42));
  const significant = range(rng.int(...sizes.significant)).map(() => member('significant', 20, 50));
  const peripheral = range(rng.int(...sizes.peripheral)).map(() => member('peripheral', 18, 45));
  const runnerCount = Math.max(2, rng.int(...sizes.runners));
  const youngRunners: string[] = [];
  const runners = range(runnerCount).map((n) => {
    // At least one runner in every group is a child; the rest are mixed.
    const young = n === 0 || rng.chance(0.4);
    const id = member('runner', young ? 14 : 18, young ? 17 : 24, { young });
    if (young) youngRunners.push(id);
    return id;
  });
  const accountant = member('enabler', 35, 64);
  const solicitor = member('enabler', 30, 62);
  const lettingsAgent = member('enabler', 28, 58);
  const hidden = range(rng.int(...sizes.hidden)).map(() => {
    const role = rng.chance(0.55) ? 'significant' : 'peripheral';
    return member(role, 19, 45, { hidden: true });
  });

  // Crews: the line-holding lieutenant (index 0) takes most runners.
  const crews: string[][] = lieutenants.map(() => []);
  runners.forEach((runner, n) =>
    crews[n === 0 || rng.chance(runsLine ? 0.6 : 0.4) ? 0 : rng.int(0, crews.length - 1)]!.push(runner),
  );
  // Half the peripheral members work under a lieutenant; the rest hang off significant members.
  peripheral.forEach((person) => {
    if (significant.length === 0 || rng.chance(0.5)) crews[rng.int(0, crews.length - 1)]!.push(person);
  });

  const group: OcgGroup = {
    id,
    label: ocg.label,
    homeArea,
    principal,
    lieutenants,
    significant,
    peripheral,
    runners,
    youngRunners,
    accountant,
    solicitor,
    lettingsAgent,
    hidden,
    crews,
    members,
    base: '',
    vehicleOf: new Map(),
  };

  wireAssociations(b, group);
  wireEnablers(b, group);
  wireVehicles(b, group);
  wireEvents(b, group);
  wireHidden(b, group);
  wireIntelligence(b, group);
  return group;
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

/** Associations and the calls along them. */
function wireAssociations(b: TownBuilder, g: OcgGroup): void {
  const { rng } = b;
  const talk = (a: string, c: string, calls: number) => {
    if (rng.chance(0.65)) b.contact(b.phoneOf(a), b.phoneOf(c), calls);
  };
  // The principal talks to lieutenants often, and on burners.
  const principalBurner = b.givePhone(g.principal, 'burner');
  for (const lieutenant of g.lieutenants) {
    b.relate('associate', g.principal, lieutenant, 'intel', rng.int(4, 15));
    const burner = b.givePhone(lieutenant, 'burner');
    b.contact(burner, principalBurner, rng.int(20, 200));
    if (rng.chance(0.5)) b.contact(principalBurner, burner, rng.int(5, 80));
  }
  for (const person of g.significant) {
    b.relate('associate', g.principal, person, 'intel', rng.int(1, 6));
    talk(g.principal, person, rng.int(2, 40));
    for (const lieutenant of rng.sample(g.lieutenants, rng.int(1, 2))) {
      b.relate('associate', person, lieutenant, 'intel', rng.int(1, 5));
      talk(person, lieutenant, rng.int(2, 40));
    }
  }
  for (let i = 0; i < g.lieutenants.length; i++) {
    for (let j = i + 1; j < g.lieutenants.length; j++) {
      if (rng.chance(0.7)) b.relate('associate', g.lieutenants[i]!, g.lieutenants[j]!, 'intel', rng.int(1, 6));
    }
  }
  for (let i = 0; i < g.significant.length; i++) {
    for (let j = i + 1; j < g.significant.length; j++) {
      if (rng.chance(0.35)) b.relate('associate', g.significant[i]!, g.significant[j]!, 'intel', rng.int(1, 4));
    }
  }
  // Peripheral members hang off the top of the group: they know the principal, and many a significant member.
  for (const person of g.peripheral) {
    b.relate('associate', g.principal, person, 'intel', rng.int(1, 2));
  }
  // Crews: each member knows their lieutenant and some crewmates; peripherals may know a significant member.
  g.crews.forEach((crew, n) => {
    const lieutenant = g.lieutenants[n]!;
    for (const person of crew) {
      b.relate('associate', lieutenant, person, rng.chance(0.7) ? 'intel' : 'pnc', rng.int(1, 8));
      talk(person, lieutenant, rng.int(3, 60));
      for (const mate of crew)
        if (mate < person && rng.chance(0.45)) b.relate('associate', person, mate, 'intel', rng.int(1, 4));
    }
  });
  const crewed = new Set(g.crews.flat());
  for (const person of g.peripheral) {
    if (g.significant.length > 0 && (!crewed.has(person) || rng.chance(0.3))) {
      b.relate('associate', person, rng.pick(g.significant), 'intel', rng.int(1, 3));
      talk(person, rng.pick(g.significant), rng.int(1, 20));
    }
  }
}

/** The accountant, solicitor and lettings agent, each at a firm of their own. */
function wireEnablers(b: TownBuilder, g: OcgGroup): void {
  const { rng, cal } = b;
  const centre = g.homeArea;
  const firm = (person: string, type: 'accountancy' | 'solicitors' | 'lettings') => {
    const business = b.addBusiness(shopName(rng, type, randomSurname(rng)), type);
    const office = b.addLocation(centre, 'shop');
    b.link('uses_address', business.id, office.id, cal.span(rng, 365), 'companies');
    b.link('works_at', person, business.id, cal.span(rng, 365), 'companies');
    return business.id;
  };
  firm(g.accountant, 'accountancy');
  firm(g.solicitor, 'solicitors');
  const lettings = firm(g.lettingsAgent, 'lettings');

  b.relate('associate', g.principal, g.accountant, 'intel', rng.int(1, 5));
  b.link('financial', g.principal, g.accountant, cal.span(rng, 90), 'financial', {
    weight: rng.int(5, 60),
    notes: 'Fees in £k, paid partly in cash',
  });
  b.relate('associate', g.principal, g.solicitor, 'intel', rng.int(1, 3));
  if (rng.chance(0.6)) b.relate('associate', g.principal, g.lettingsAgent, 'intel', 1);
  b.relate('associate', g.lieutenants[0]!, g.lettingsAgent, 'intel', rng.int(1, 4));

  // The group's base (a lock-up or unit) is let through the agent's firm.
  const base = b.addLocation(g.homeArea, rng.pick(['storage', 'garage', 'industrial'] as const));
  g.base = base.id;
  b.link('owns', lettings, base.id, cal.span(rng, 365), 'companies');
  b.link('uses_address', g.id, base.id, cal.span(rng, 180), 'intel');
  for (const lieutenant of g.lieutenants)
    if (rng.chance(0.6)) b.link('uses_address', lieutenant, base.id, cal.span(rng, 60), 'intel');
}

/** Cars for the top of the group, and stops that catch members travelling together. */
function wireVehicles(b: TownBuilder, g: OcgGroup): void {
  const { rng, cal } = b;
  const drivers = [g.principal, ...g.lieutenants, ...g.significant.filter(() => rng.chance(0.5))];
  for (const driver of drivers) {
    const vehicle = b.addVehicle();
    g.vehicleOf.set(driver, vehicle.id);
    const span = cal.span(rng, 120);
    b.link('uses_vehicle', driver, vehicle.id, span, rng.chance(0.6) ? 'anpr' : 'intel', { count: rng.skewed(2, 60) });
    // High-value cars are often registered to someone else; then only usage is on record.
    if (driver !== g.principal && rng.chance(0.6)) b.link('owns', driver, vehicle.id, span, 'dvla');
  }
  for (const [driver, vehicle] of g.vehicleOf) {
    const crew = g.crews[g.lieutenants.indexOf(driver)] ?? [];
    for (let stop = rng.int(1, 2); stop > 0; stop--) {
      // The principal travels with lieutenants; lieutenants with their crew.
      const pool = driver === g.principal ? g.lieutenants : crew.length > 0 ? crew : [g.principal, ...g.lieutenants];
      const passengers = rng.sample(
        pool.filter((p) => p !== driver && !(driver === g.principal && g.runners.includes(p))),
        rng.int(0, 2),
      );
      b.event(
        'stop',
        rng.pick([
          'Vehicle stop: cash found',
          'Vehicle stop: occupants searched',
          'Vehicle stop: strong smell of cannabis',
        ]),
        cal.date(rng),
        [driver, ...passengers],
        [vehicle],
      );
    }
  }
}

/** Meetings at the top, arrests at the bottom, with the solicitor in custody. */
function wireEvents(b: TownBuilder, g: OcgGroup): void {
  const { rng, cal } = b;
  const base = b.get(g.base).label;
  for (let meeting = rng.int(3, 5); meeting > 0; meeting--) {
    const attendees = [
      g.principal,
      ...rng.sample(g.lieutenants, rng.int(1, 2)),
      ...rng.sample(g.significant, rng.int(1, 3)),
      ...rng.sample(g.peripheral, rng.int(0, 1)),
    ];
    b.event('intelligence_report', `${rng.pick(MEETINGS)} ${base}`, cal.date(rng), attendees);
  }
  for (let arrest = rng.int(1, 3); arrest > 0; arrest--) {
    // Runners take the arrests; peripheral members now and then.
    const arrested = rng.sample(
      rng.chance(0.8) || g.peripheral.length === 0 ? g.runners : [...g.runners, ...g.peripheral],
      rng.int(1, 2),
    );
    const date = cal.date(rng);
    const withSolicitor = rng.chance(0.75) ? [g.solicitor] : [];
    b.event(
      'arrest',
      rng.pick([
        'Arrest: possession with intent to supply',
        'Arrest: possession of an offensive weapon',
        'Arrest: money laundering',
      ]),
      date,
      [...arrested, ...withSolicitor],
    );
    if (arrested.length === 2)
      b.relate('co_offender', arrested[0]!, arrested[1]!, 'pnc', 1, { first_seen: date, last_seen: date });
  }
  for (let incident = rng.int(0, 2); incident > 0; incident--) {
    const lieutenant = rng.int(0, g.lieutenants.length - 1);
    const crew = g.crews[lieutenant]!;
    b.event(
      'incident',
      rng.pick([
        'Incident: disorder outside premises',
        'Incident: assault, suspects left in vehicle',
        'Incident: threats to a debtor',
      ]),
      cal.date(rng),
      [g.lieutenants[lieutenant]!, ...rng.sample(crew, rng.int(0, 2))],
    );
  }
}

/**
 * Hidden members: at least two associates in the group (one a lieutenant),
 * calls to a member's phone and one event with members. That is the trace a
 * real unmapped member leaves, and the minimum community detection needs.
 */
function wireHidden(b: TownBuilder, g: OcgGroup): void {
  const { rng, cal } = b;
  for (const person of g.hidden) {
    const lieutenant = rng.pick(g.lieutenants);
    b.relate('associate', person, lieutenant, 'intel', rng.int(1, 6));
    const others = [...g.significant, ...g.peripheral, ...g.lieutenants.filter((l) => l !== lieutenant)];
    for (const other of rng.sample(others, rng.int(1, 3)))
      b.relate('associate', person, other, rng.chance(0.7) ? 'intel' : 'chis', rng.int(1, 4));
    // An unmapped significant member is often the principal's trusted, "clean" contact.
    if (b.truthOf(person).role === 'significant' && rng.chance(0.5))
      b.relate('associate', person, g.principal, 'chis', rng.int(1, 3));
    b.contact(b.phoneOf(person), b.phoneOf(lieutenant), rng.int(5, 80));
    if (rng.chance(0.5)) b.contact(b.phoneOf(lieutenant), b.phoneOf(person), rng.int(2, 30));
    const vehicle = g.vehicleOf.get(lieutenant);
    const date = cal.date(rng);
    if (vehicle !== undefined && rng.chance(0.6))
      b.event('stop', 'Vehicle stop: occupants searched', date, [lieutenant, person], [vehicle]);
    else
      b.event('intelligence_report', 'Intel report: seen with group members', date, [
        person,
        lieutenant,
        ...rng.sample(others, 1),
      ]);
    if (rng.chance(0.4)) b.link('uses_address', person, g.base, cal.span(rng, 30), 'intel');
  }
}

/** A few graded attributes that partners may or may not be allowed to see. */
function wireIntelligence(b: TownBuilder, g: OcgGroup): void {
  const { rng } = b;
  if (rng.chance(0.4)) b.attribute(b.get(g.principal), 'firearms_access', true, 'chis');
  if (rng.chance(0.6))
    b.attribute(
      b.get(g.principal),
      'lifestyle',
      'High-value vehicles and cash purchases; no declared income',
      'financial',
    );
  for (const runner of g.youngRunners) {
    if (rng.chance(0.6)) b.attribute(b.get(runner), 'missing_episodes', rng.int(1, 9), 'childrens_services');
  }
}
