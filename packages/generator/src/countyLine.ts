/**
 * The county line: one deal phone, held by a lieutenant and carried by
 * runners (children among them), called by many customers, and worked out of
 * cuckooed homes whose vulnerable occupants are victims, not members.
 */
import type { Area, TownBuilder } from './builder.js';
import { lineName } from './names.js';
import type { OcgGroup } from './ocg.js';
import type { UsgGroup } from './usg.js';

export interface CountyLine {
  phone: string;
  customers: string[];
  occupants: string[];
  cuckooed: string[];
}

export interface LineSizes {
  customers: [number, number];
  cuckooed: [number, number];
}

export function buildCountyLine(
  b: TownBuilder,
  areas: readonly Area[],
  sizes: LineSizes,
  ocg: OcgGroup,
  usg: UsgGroup,
): CountyLine {
  const { rng, cal } = b;
  const name = lineName(rng);
  // The line opens early in the window and is still running at the end.
  const opened = cal.day(rng, cal.first, cal.at(0.3));
  const active = { first_seen: cal.iso(opened), last_seen: cal.iso(cal.day(rng, cal.at(0.9), cal.last)) };
  const within = (minDays: number) => cal.span(rng, minDays, opened, cal.last);
  const phone = b.addPhone('deal_line', `"${name}" line`, b.issue('chis', active.first_seen)).id;

  const holder = ocg.lieutenants[0]!;
  b.link('uses_phone', holder, phone, active, 'intel', { count: rng.int(5, 30) });
  const carriers = [...ocg.runners];
  for (const runner of carriers)
    b.link('uses_phone', runner, phone, within(14), rng.chance(0.5) ? 'intel' : 'custody', { count: rng.int(1, 12) });
  // A gang younger carries the phone for a while: the USG feeding the line.
  const younger = usg.members.find((member) => !usg.elders.includes(member) && !usg.hidden.includes(member));
  if (younger !== undefined) b.link('uses_phone', younger, phone, within(7), 'intel', { count: rng.int(1, 4) });

  // Customers call the line; the count is the number of calls seen in call data.
  const customers: string[] = [];
  for (let index = rng.int(...sizes.customers); index > 0; index--) {
    const vulnerable = rng.chance(0.25);
    const person = b.addPerson({
      minAge: 19,
      maxAge: 64,
      truth: { group_id: '', group_kind: '', role: 'customer', mapped: false, hidden: false },
      ...(vulnerable ? { vulnerable: true } : {}),
      iom: rng.chance(0.1),
    });
    const area = rng.pick(areas);
    const home = b.addLocation(
      area,
      rng.weighted([
        ['residential', 4],
        ['social_housing', 4],
        ['hmo', 2],
      ] as const),
    );
    b.livesAt(person.id, home.id, rng.chance(0.5) ? 'pnc' : 'housing');
    const own = b.givePhone(person.id, 'personal');
    b.contact(own, phone, rng.skewed(1, 150), within(3));
    customers.push(person.id);
  }
  // Users know each other; a few are seen buying from runners.
  for (const customer of customers)
    if (rng.chance(0.3)) b.relate('associate', customer, rng.pick(customers), 'intel', 1);
  for (let deal = Math.max(1, Math.round(customers.length / 6)); deal > 0; deal--) {
    const date = cal.date(rng, opened);
    b.event('stop', 'Stop and search: suspected drug deal', date, [rng.pick(carriers), rng.pick(customers)]);
  }

  // Cuckooed homes: the occupant is vulnerable; runners use the address as a base.
  const occupants: string[] = [];
  const cuckooed: string[] = [];
  for (let index = rng.int(...sizes.cuckooed); index > 0; index--) {
    const taken = cal.day(rng, opened, cal.at(0.85));
    const area = rng.chance(0.6) ? ocg.homeArea : rng.pick(areas);
    const housing = b.issue('housing', cal.iso(taken));
    const location = b.addLocation(area, rng.chance(0.7) ? 'social_housing' : 'residential', {
      cuckooed: true,
      grading: housing.grading,
      source: housing.source,
    });
    const occupant = b.addPerson({
      minAge: 35,
      maxAge: 78,
      truth: { group_id: '', group_kind: '', role: 'vulnerable', mapped: false, hidden: false },
      vulnerable: true,
      cuckooed: true,
    });
    b.livesAt(occupant.id, location.id, 'housing', { first_seen: cal.iso(cal.first), last_seen: cal.iso(cal.last) });
    b.attribute(
      occupant,
      'safeguarding_concern',
      rng.pick([
        'Learning disability; lives alone',
        'Alcohol dependent; known to Adult Social Care',
        'Mental health concerns; isolated',
        'Class A user; in debt to dealers',
      ]),
      'social_care',
    );
    // Many occupants are users themselves, which is how the line found them.
    if (rng.chance(0.5)) b.contact(b.phoneOf(occupant.id), phone, rng.skewed(1, 40), within(3));
    const staying = rng.sample(carriers, rng.int(1, Math.min(3, carriers.length)));
    for (const runner of staying) {
      b.link(
        'uses_address',
        runner,
        location.id,
        cal.span(rng, 7, taken, cal.last),
        rng.chance(0.5) ? 'intel' : 'housing',
        { count: rng.int(1, 15) },
      );
    }
    if (rng.chance(0.6)) b.link('uses_address', holder, location.id, cal.span(rng, 1, taken, cal.last), 'intel');
    b.event('incident', `Welfare check: ${location.label}`, cal.date(rng, taken), [
      occupant.id,
      ...staying.slice(0, 2),
    ]);
    b.event('intelligence_report', `Intel report: address believed cuckooed, ${location.label}`, cal.date(rng, taken), [
      occupant.id,
      rng.pick(staying),
    ]);
    occupants.push(occupant.id);
    cuckooed.push(location.id);
  }
  return { phone, customers, occupants, cuckooed };
}
