/**
 * Front businesses: a hand car wash, a nail bar and a takeaway, each owned by
 * a member of one group, staffed partly by members and partly by exploited
 * workers housed in a house in multiple occupation, and used to launder cash
 * through the group's accountant. These are where licensing, trading
 * standards, immigration and HMRC hold levers.
 */
import type { Area, TownBuilder } from './builder.js';
import { frontName } from './names.js';
import type { OcgGroup } from './ocg.js';

export interface Front {
  business: string;
  premises: string;
  owner: string;
  group: string;
  workers: string[];
}

const FRONT_TYPES = ['car_wash', 'nail_bar', 'takeaway'] as const;

export function buildFronts(
  b: TownBuilder,
  areas: readonly Area[],
  ocgs: readonly OcgGroup[],
  exploitedPerFront: [number, number],
): Front[] {
  const { rng, cal } = b;
  const owners = rng.shuffle(ocgs.slice());
  const fronts: Front[] = [];
  FRONT_TYPES.forEach((type, index) => {
    const g = owners[index % owners.length]!;
    const business = b.addBusiness(frontName(rng, type), type, type === 'takeaway');
    const area = rng.chance(0.5) ? g.homeArea : rng.pick(areas);
    const premises = b.addLocation(area, type);
    const trading = cal.span(rng, 365);
    b.link('uses_address', business.id, premises.id, trading, type === 'takeaway' ? 'licensing' : 'companies');
    const owner = rng.chance(0.4)
      ? g.principal
      : g.significant.length > 0
        ? rng.pick(g.significant)
        : g.lieutenants[0]!;
    b.link('owns', owner, business.id, trading, 'companies');
    const landline = b.addPhone('landline', `${business.label} landline`);
    b.link('uses_phone', business.id, landline.id, trading, 'companies');
    // Takings move up to the principal; the accountant keeps the books.
    b.link('financial', business.id, g.principal, cal.span(rng, 60), 'financial', {
      weight: rng.int(10, 250),
      notes: 'Cash deposits in £k, inconsistent with turnover',
    });
    b.link('financial', g.accountant, business.id, cal.span(rng, 180), 'financial', { weight: rng.int(2, 20) });

    const workers: string[] = [];
    for (const person of rng.sample(g.peripheral.length > 0 ? g.peripheral : g.runners, rng.int(1, 2))) {
      b.link('works_at', person, business.id, cal.span(rng, 60), rng.chance(0.5) ? 'intel' : 'licensing');
      workers.push(person);
    }
    if (type !== 'takeaway') {
      // Exploited workers: victims of trafficking, housed together by the group.
      const hmo = b.addLocation(rng.pick(areas), 'hmo');
      b.link('owns', owner, hmo.id, cal.span(rng, 365), 'housing');
      const exploited: string[] = [];
      for (let count = rng.int(...exploitedPerFront); count > 0; count--) {
        const person = b.addPerson({
          minAge: 17,
          maxAge: 38,
          truth: { group_id: '', group_kind: '', role: 'exploited_worker', mapped: false, hidden: false },
          sex: type === 'nail_bar' ? 'F' : 'M',
          vulnerable: true,
          exploited: true,
        });
        b.livesAt(person.id, hmo.id, 'housing');
        b.link('works_at', person.id, business.id, cal.span(rng, 90), rng.chance(0.5) ? 'intel' : 'licensing', {
          count: rng.int(1, 6),
        });
        exploited.push(person.id);
      }
      workers.push(...exploited);
      if (exploited.length > 0) {
        b.event(
          'incident',
          `Immigration and licensing visit: ${business.label}`,
          cal.date(rng),
          [...exploited, ...workers.slice(0, 1)],
          [],
          'Workers had no documents; manager not present',
        );
      }
    }
    fronts.push({ business: business.id, premises: premises.id, owner, group: g.id, workers });
  });
  // One accountant keeps the books of another group's front too: a broker between groups.
  if (ocgs.length > 1 && rng.chance(0.6)) {
    const front = rng.pick(fronts);
    const other = rng.pick(ocgs.filter((g) => g.id !== front.group));
    b.link('financial', other.accountant, front.business, cal.span(rng, 60), 'financial', { weight: rng.int(1, 10) });
  }
  return fronts;
}
