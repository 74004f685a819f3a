/**
 * What partners can act on: the "Achilles heels" a disruption panel looks
 * for. Benefit claims (DWP, council benefit fraud), immigration status
 * (Immigration Enforcement), social-housing and HMO tenancies (Housing), a
 * pub run by a group (Licensing) and planning breaches at a group's premises
 * (Planning enforcement).
 *
 * Added last, after the rest of the town is built, and from a random stream of
 * its own (see `TownBuilder.useStream`): what came before is byte for byte
 * what it was without this module, apart from the graded attributes added to
 * existing persons and locations. New locations, businesses and links take
 * the next ids. Nothing here joins two persons who were not joined before
 * (each new place has one person linked to it), so the person projection's
 * ties are unchanged too.
 */
import { isSafeguardingSubject, type Person } from '@ocgnet/schema';
import type { Area, TownBuilder } from './builder.js';
import { shopName, surname as randomSurname } from './names.js';
import type { OcgGroup } from './ocg.js';

const BENEFITS: readonly (readonly [string, number])[] = [
  ['universal_credit', 45],
  ['housing_benefit', 25],
  ['council_tax_reduction', 15],
  ['personal_independence_payment', 15],
];

/** Statuses with which Immigration Enforcement can act. */
const ENFORCEABLE_STATUS = ['overstayer', 'visa_conditions_breach'] as const;
/** What trafficked workers are found with. */
const VICTIM_STATUS = ['no_right_to_work', 'overstayer', 'illegal_entrant'] as const;
/** Lawful statuses: on record, but no lever. */
const LAWFUL_STATUS = ['leave_to_remain', 'settled_status'] as const;

const BASE_BREACHES = [
  'Unauthorised change of use: unit used for vehicle repairs and storage',
  'Unauthorised change of use: lock-up converted to living accommodation',
  'Unauthorised structure: shipping container and security fencing',
];
const HOME_BREACHES = [
  'Unauthorised outbuilding and boundary wall',
  'Unauthorised extension; enforcement notice not complied with',
];

export function addPartnerLevers(
  b: TownBuilder,
  areas: readonly Area[],
  ocgs: readonly OcgGroup[],
  background: readonly string[],
): void {
  const { rng, cal } = b;
  const person = (id: string) => b.get(id) as Person;
  // Children and victims are protected, not enforced against: no enforcement lever is planted on them.
  const enforceable = (id: string) => !isSafeguardingSubject(person(id));
  const membersOf = (g: OcgGroup) =>
    [g.principal, ...g.lieutenants, ...g.significant, ...g.peripheral, ...g.runners, ...g.hidden].filter(enforceable);

  // Benefit claims: the principal with the lifestyle of a rich man and the claims of a poor one.
  for (const g of ocgs) {
    const eligible = membersOf(g);
    const claimants = eligible.filter((id) => rng.chance(id === g.principal ? 0.5 : 0.3));
    if (claimants.length === 0 && eligible.length > 0) claimants.push(rng.pick(eligible));
    for (const id of claimants) b.attribute(person(id), 'benefit_claim', rng.weighted(BENEFITS), 'dwp');
  }
  for (const id of background)
    if (rng.chance(0.08)) b.attribute(person(id), 'benefit_claim', rng.weighted(BENEFITS), 'dwp');
  for (const row of b.truth) {
    if (row.role === 'customer' && rng.chance(0.3))
      b.attribute(person(row.nominal_id), 'benefit_claim', rng.weighted(BENEFITS), 'dwp');
  }

  // Immigration status: trafficked workers (victims), one member per town, a few lawful residents.
  for (const row of b.truth) {
    if (row.role === 'exploited_worker' && rng.chance(0.7))
      b.attribute(person(row.nominal_id), 'immigration_status', rng.pick(VICTIM_STATUS), 'immigration');
  }
  const overstaying = rng.pick(ocgs);
  const pool = [...overstaying.significant, ...overstaying.peripheral, ...overstaying.lieutenants].filter(enforceable);
  if (pool.length > 0)
    b.attribute(person(rng.pick(pool)), 'immigration_status', rng.pick(ENFORCEABLE_STATUS), 'immigration');
  for (const id of background)
    if (rng.chance(0.03)) b.attribute(person(id), 'immigration_status', rng.pick(LAWFUL_STATUS), 'immigration');

  // Tenancies: in each group, a council flat in a senior member's name that they do not live in, or a room in an HMO.
  for (const g of ocgs) {
    const hmo = rng.chance(0.35);
    const candidates = (hmo ? [...g.peripheral, ...g.runners] : [...g.lieutenants, ...g.significant]).filter(
      enforceable,
    );
    if (candidates.length === 0) continue;
    const tenant = rng.pick(candidates);
    const home = b.addLocation(rng.chance(0.7) ? g.homeArea : rng.pick(areas), hmo ? 'hmo' : 'social_housing', {
      source: 'Housing',
    });
    const since = { first_seen: cal.date(rng, cal.first, cal.at(0.5)) };
    b.link(
      'lives_at',
      tenant,
      home.id,
      since,
      'housing',
      hmo ? {} : { notes: 'Registered tenant; believed to sublet the flat or use it as a safe house' },
    );
  }

  // A pub owned by a member of one group: the licence is the lever.
  const publican = rng.pick(ocgs);
  const owners = [...publican.significant, ...publican.lieutenants].filter(enforceable);
  if (owners.length > 0) {
    const owner = rng.pick(owners);
    const pub = b.addBusiness(shopName(rng, 'licensed_premises', randomSurname(rng)), 'licensed_premises', true);
    const premises = b.addLocation(rng.chance(0.6) ? publican.homeArea : rng.pick(areas), 'licensed_premises');
    const trading = cal.span(rng, 365);
    b.link('uses_address', pub.id, premises.id, trading, 'licensing');
    b.link('owns', owner, pub.id, trading, 'companies');
  }

  // Planning breaches: at groups' bases, now and then at a principal's home.
  let breaches = 0;
  ocgs.forEach((g, index) => {
    if (rng.chance(0.5) || (index === ocgs.length - 1 && breaches === 0)) {
      b.attribute(b.get(g.base), 'planning_breach', rng.pick(BASE_BREACHES), 'planning');
      breaches++;
    }
    const home = b.homeOf.get(g.principal);
    if (home !== undefined && rng.chance(0.25))
      b.attribute(b.get(home), 'planning_breach', rng.pick(HOME_BREACHES), 'planning');
  });
}
