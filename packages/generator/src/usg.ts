/**
 * The urban street gang: young, territorial, densely tied together by
 * violence and shared estates. Elders are the link upwards: a few of them
 * associate with a lieutenant of the OCG the gang feeds, which is how a gang
 * supplies runners to a county line.
 */
import type { Usg } from '@ocgnet/schema';
import type { Area, TownBuilder } from './builder.js';
import { nickname } from './names.js';
import type { OcgGroup } from './ocg.js';

export interface UsgGroup {
  id: string;
  territory: Area;
  members: string[];
  elders: string[];
  hidden: string[];
}

const FIGHTS = [
  'Incident: affray',
  'Incident: stabbing, Section 18 wounding',
  'Incident: group disorder',
  'Incident: robbery of a rival',
  'Incident: drill video threats reported',
];

export function buildUsg(
  b: TownBuilder,
  areas: readonly Area[],
  size: [number, number],
  feeds: OcgGroup,
  rivals: readonly OcgGroup[],
): UsgGroup {
  const { rng, cal } = b;
  const territory = rng.pick(areas);
  const id = `${b.idPrefix}USG01`;
  const gangName = `${territory.name.split(' ')[0]} ${rng.pick(['Boys', 'Gang', 'Crew', 'Mandem', 'Young Gunz'])}`;
  const usg: Usg = {
    id,
    kind: 'usg',
    label: gangName,
    source: 'Gang mapping',
    territory: territory.name,
    threat_areas: rng.chance(0.5) ? ['drugs', 'firearms'] : ['drugs', 'acquisitive'],
  };
  b.add(usg);
  const hangout = b.addLocation(territory, 'other');
  b.link('uses_address', id, hangout.id, cal.span(rng, 180), 'intel');

  const count = rng.int(...size);
  const hiddenCount = 1;
  const members: string[] = [];
  const elders: string[] = [];
  const hidden: string[] = [];
  for (let index = 0; index < count; index++) {
    const elder = index < Math.max(2, Math.round(count / 6));
    const isHidden = !elder && index >= count - hiddenCount;
    const person = b.addPerson({
      minAge: elder ? 19 : 14,
      maxAge: elder ? 27 : 20,
      truth: { group_id: id, group_kind: 'usg', role: 'gang_member', mapped: !isHidden, hidden: isHidden },
      sex: rng.chance(0.9) ? 'M' : 'F',
      ...(rng.chance(0.7) ? { alias: nickname(rng) } : {}),
      iom: elder && rng.chance(0.4),
    });
    // Youngers live at home on the estate; the family is somewhere in the background.
    const home = b.addLocation(rng.chance(0.8) ? territory : rng.pick(areas), 'social_housing', { source: 'Housing' });
    b.livesAt(person.id, home.id, 'housing');
    b.givePhone(person.id, 'personal');
    if (!isHidden)
      b.link('member_of', person.id, id, { first_seen: cal.date(rng, cal.first, cal.at(0.7)) }, 'mapping', {
        role: elder ? 'significant' : 'peripheral',
      });
    members.push(person.id);
    if (elder) elders.push(person.id);
    if (isHidden) hidden.push(person.id);
  }

  // Dense, cliquey ties: elders know everyone, youngers know several others.
  for (const elder of elders)
    for (const other of members)
      if (other !== elder && rng.chance(0.7)) b.relate('associate', elder, other, 'intel', rng.int(1, 8));
  for (const person of members) {
    for (const other of rng.sample(members, rng.int(2, 4))) {
      if (other === person) continue;
      b.relate('associate', person, other, rng.chance(0.8) ? 'intel' : 'pnc', rng.int(1, 6));
      if (rng.chance(0.4)) b.contact(b.phoneOf(person), b.phoneOf(other), rng.skewed(1, 60));
    }
    if (rng.chance(0.5))
      b.link('uses_address', person, hangout.id, cal.span(rng, 30), 'intel', { count: rng.int(1, 10) });
  }
  for (let fight = rng.int(3, 3 + Math.round(count / 4)); fight > 0; fight--) {
    const involved = rng.sample(members, rng.int(2, 5));
    const date = cal.date(rng);
    if (rng.chance(0.3)) {
      b.event(
        'arrest',
        rng.pick(['Arrest: affray', 'Arrest: possession of a bladed article', 'Arrest: robbery']),
        date,
        involved.slice(0, 2),
      );
      if (involved.length >= 2)
        b.relate('co_offender', involved[0]!, involved[1]!, 'pnc', 1, { first_seen: date, last_seen: date });
    } else b.event('incident', `${rng.pick(FIGHTS)}, ${rng.pick(territory.streets)}`, date, involved);
  }
  for (const person of hidden) {
    // The unmapped gang member still fights, hangs out and calls like the rest.
    for (const other of rng.sample(elders, 2)) b.relate('associate', person, other, 'intel', rng.int(1, 4));
    b.event('incident', `${rng.pick(FIGHTS)}, ${rng.pick(territory.streets)}`, cal.date(rng), [
      person,
      ...rng.sample(
        members.filter((m) => m !== person),
        2,
      ),
    ]);
  }

  // Feeding the OCG: elders deal with the line-holding lieutenant.
  const lieutenant = feeds.lieutenants[0]!;
  for (const elder of elders.slice(0, Math.min(elders.length, rng.int(2, 3)))) {
    b.relate('associate', elder, lieutenant, rng.chance(0.5) ? 'chis' : 'intel', rng.int(1, 6));
    if (rng.chance(0.6)) b.contact(b.phoneOf(elder), b.phoneOf(lieutenant), rng.int(3, 50));
  }
  // Territorial friction with another group.
  const rival = rivals.find((group) => group.id !== feeds.id);
  if (rival && rng.chance(0.7)) {
    const target = rng.pick([...rival.peripheral, ...rival.runners]);
    b.event('incident', `Incident: fight between gang and ${rival.label.split(' (')[0]} associates`, cal.date(rng), [
      ...rng.sample(members, 2),
      target,
    ]);
  }
  return { id, territory, members, elders, hidden };
}
