/**
 * A deterministic synthetic record set for timing the projection, shaped
 * roughly like a force's holdings: most links are phone contacts and
 * addresses, a few are direct associations. Built as plain objects (no zod
 * pass) so that building the fixture does not dominate the timing.
 */
import type { Entity, Grading, Link, LinkType, RecordSet } from '@ocgnet/schema';

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** About ten links per person: persons = 5,000 gives ~50k links, 100,000 gives ~1M. */
export function syntheticRecords(persons: number, seed = 1): RecordSet {
  const random = mulberry32(seed);
  const pick = (n: number): number => Math.floor(random() * n);
  const entities: Entity[] = [];
  const links: Link[] = [];
  const gradings: Grading[] = [
    { system: '3x5x2', source: '1', intelligence: 'A', handling: 'P' },
    { system: '3x5x2', source: '2', intelligence: 'B', handling: 'P' },
    { system: '3x5x2', source: '3', intelligence: 'C', handling: 'C', conditions: 'police only' },
    { system: '3x5x2', source: '2', intelligence: 'E', handling: 'P' },
    { system: '5x5x5', recorded: 'B24' },
  ];
  const day = (): string => {
    const date = new Date(Date.UTC(2015, 0, 1) + pick(3650) * 86_400_000);
    return date.toISOString().slice(0, 10);
  };
  const add = (type: LinkType, from: string, to: string, extra: Partial<Link> = {}): void => {
    const dated = random();
    const dates: Partial<Link> = {};
    if (dated < 0.4) dates.date = day();
    else if (dated < 0.9) {
      const [a, b] = [day(), day()].sort();
      dates.first_seen = a!;
      dates.last_seen = b!;
    }
    links.push({
      id: `l${links.length}`,
      type,
      from,
      to,
      source: 'synthetic',
      grading: gradings[random() < 0.8 ? 0 : 1 + pick(4)]!,
      ...dates,
      ...extra,
    } as Link);
  };

  const counts = {
    location: Math.ceil(persons / 2),
    phone: Math.ceil(persons * 1.2),
    event: Math.ceil(persons * 0.6),
    vehicle: Math.ceil(persons / 5),
    business: Math.ceil(persons / 15),
    ocg: Math.ceil(persons / 50),
  };
  for (let i = 0; i < persons; i++) entities.push({ id: `p${i}`, kind: 'person', label: `Person ${i}` });
  for (let i = 0; i < counts.location; i++) entities.push({ id: `loc${i}`, kind: 'location', label: `Location ${i}` });
  for (let i = 0; i < counts.phone; i++) entities.push({ id: `ph${i}`, kind: 'phone', label: `Phone ${i}` });
  for (let i = 0; i < counts.event; i++) entities.push({ id: `ev${i}`, kind: 'event', label: `Event ${i}`, event_type: 'stop' });
  for (let i = 0; i < counts.vehicle; i++) entities.push({ id: `veh${i}`, kind: 'vehicle', label: `Vehicle ${i}` });
  for (let i = 0; i < counts.business; i++) entities.push({ id: `bus${i}`, kind: 'business', label: `Business ${i}` });
  for (let i = 0; i < counts.ocg; i++) entities.push({ id: `ocg${i}`, kind: 'ocg', label: `OCG ${i}` });
  // One busy pub every fictional force has.
  entities.push({ id: 'pub', kind: 'location', label: 'The Busy Pub' });

  for (let i = 0; i < persons; i++) {
    const p = `p${i}`;
    add('lives_at', p, `loc${pick(counts.location)}`);
    if (random() < 0.5) add('uses_address', p, `loc${pick(counts.location)}`);
    if (random() < 0.05) add('uses_address', p, 'pub');
    add('uses_phone', p, `ph${pick(counts.phone)}`);
    if (random() < 0.5) add('uses_phone', p, `ph${pick(counts.phone)}`);
    if (random() < 0.4) add('uses_vehicle', p, `veh${pick(counts.vehicle)}`);
    if (random() < 0.3) add('works_at', p, `bus${pick(counts.business)}`);
    if (random() < 0.2) add('member_of', p, `ocg${pick(counts.ocg)}`, { role: 'peripheral' });
    const direct: LinkType[] = ['associate', 'family', 'co_offender', 'financial'];
    if (random() < 0.6) {
      const other = pick(persons);
      if (other !== i) add(direct[pick(4)]!, p, `p${other}`, { count: 1 + pick(5) });
    }
  }
  for (let i = 0; i < counts.event; i++) {
    const attendees = 1 + pick(3);
    for (let j = 0; j < attendees; j++) add('attended', `p${pick(persons)}`, `ev${i}`);
  }
  const contacts = persons * 4;
  for (let i = 0; i < contacts; i++) {
    const a = pick(counts.phone);
    const b = pick(counts.phone);
    if (a !== b) add('phone_contact', `ph${a}`, `ph${b}`, { count: 1 + pick(20) });
  }
  return { entities, links };
}
