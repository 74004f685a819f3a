import { ageOn } from '../src/dates.js';
import type { Location, Person, Phone, Business } from '@ocgnet/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRUTH_COLUMNS, plannedTowns, type ScenarioChunk } from '../src/index.js';
import { DEFAULT_END, DEFAULT_START } from '../src/scenario.js';
import { collect, linkDates, problems, tiesToGroup } from './helpers.js';

describe('small scenario', () => {
  let s: ScenarioChunk;
  const persons = () => s.entities.filter((e): e is Person => e.kind === 'person');
  const byId = () => new Map(s.entities.map((e) => [e.id, e]));

  beforeAll(() => {
    s = collect({ size: 'small', seed: 42 });
  });

  it('is one town', () => {
    expect(plannedTowns({ size: 'small' })).toBe(1);
    expect(s.town).not.toContain(',');
  });

  it('passes the schemas, with sound endpoints and unique ids', () => {
    expect(problems(s)).toEqual([]);
  });

  it('has 120–180 nominals, one truth row each', () => {
    const people = persons();
    expect(people.length).toBeGreaterThanOrEqual(120);
    expect(people.length).toBeLessThanOrEqual(180);
    expect(s.truth.map((row) => row.nominal_id).sort()).toEqual(people.map((p) => p.id).sort());
    for (const row of s.truth) expect(Object.keys(row)).toEqual([...TRUTH_COLUMNS]);
    expect(s.links.length).toBeGreaterThan(300);
    expect(s.links.length).toBeLessThan(1600);
  });

  it('has 3–6 OCGs with band, scores, LRO and threat areas, and exactly one USG', () => {
    const ocgs = s.entities.filter((e) => e.kind === 'ocg');
    expect(ocgs.length).toBeGreaterThanOrEqual(3);
    expect(ocgs.length).toBeLessThanOrEqual(6);
    for (const ocg of ocgs) {
      if (ocg.kind !== 'ocg') continue;
      expect(ocg.ocgm_band).toBeDefined();
      expect(ocg.ocgm_score).toBeGreaterThan(0);
      expect(ocg.morile_score).toBeGreaterThan(0);
      expect(ocg.lro).toMatch(/^D(S|I|CI) [A-Z]\. \S+/);
      expect(ocg.threat_areas!.length).toBeGreaterThan(0);
    }
    expect(s.entities.filter((e) => e.kind === 'usg')).toHaveLength(1);
  });

  it('has a county line: a deal_line phone used by a lieutenant and runners and called by customers', () => {
    const lines = s.entities.filter((e): e is Phone => e.kind === 'phone' && e.phone_kind === 'deal_line');
    expect(lines).toHaveLength(1);
    const line = lines[0]!.id;
    const truth = new Map(s.truth.map((row) => [row.nominal_id, row]));
    const users = s.links.filter((l) => l.type === 'uses_phone' && l.to === line).map((l) => truth.get(l.from)?.role);
    expect(users).toContain('lieutenant');
    expect(users.filter((role) => role === 'runner').length).toBeGreaterThanOrEqual(2);
    const calls = s.links.filter((l) => l.type === 'phone_contact' && l.to === line);
    expect(calls.length).toBeGreaterThanOrEqual(8);
    for (const call of calls) expect(call.count).toBeGreaterThanOrEqual(1);
  });

  it('has a cuckooed address with a vulnerable, cuckooed occupant and runners using it', () => {
    const entities = byId();
    const cuckooed = s.entities.filter((e): e is Location => e.kind === 'location' && e.cuckooed === true);
    expect(cuckooed.length).toBeGreaterThanOrEqual(1);
    for (const location of cuckooed) {
      const occupants = s.links
        .filter((l) => l.type === 'lives_at' && l.to === location.id)
        .map((l) => entities.get(l.from) as Person);
      expect(occupants.some((p) => p.vulnerable === true && p.cuckooed === true)).toBe(true);
      const truth = new Map(s.truth.map((row) => [row.nominal_id, row.role]));
      const visitors = s.links
        .filter((l) => l.type === 'uses_address' && l.to === location.id)
        .map((l) => truth.get(l.from));
      expect(visitors).toContain('runner');
    }
  });

  it('has a car wash, a nail bar and a takeaway, owned by members, staffed, at matching premises', () => {
    const entities = byId();
    const truth = new Map(s.truth.map((row) => [row.nominal_id, row]));
    for (const type of ['car_wash', 'nail_bar', 'takeaway'] as const) {
      const fronts = s.entities.filter((e): e is Business => e.kind === 'business' && e.business_type === type);
      const front = fronts.find((b) =>
        s.links.some((l) => l.type === 'owns' && l.to === b.id && truth.get(l.from)?.group_kind === 'ocg'),
      );
      expect(front, type).toBeDefined();
      expect(s.links.some((l) => l.type === 'works_at' && l.to === front!.id)).toBe(true);
      const premises = s.links
        .filter((l) => l.type === 'uses_address' && l.from === front!.id)
        .map((l) => entities.get(l.to) as Location);
      expect(premises.map((p) => p.premises_type)).toContain(type);
    }
  });

  it('has vehicles used by members and stopped with people in them', () => {
    const vehicles = new Set(s.entities.filter((e) => e.kind === 'vehicle').map((e) => e.id));
    expect(vehicles.size).toBeGreaterThan(0);
    const members = new Set(s.truth.filter((row) => row.group_kind === 'ocg').map((row) => row.nominal_id));
    expect(s.links.some((l) => l.type === 'uses_vehicle' && members.has(l.from))).toBe(true);
    const stops = new Set(s.entities.filter((e) => e.kind === 'event' && e.event_type === 'stop').map((e) => e.id));
    const stoppedVehicles = s.links.filter((l) => l.type === 'attended' && vehicles.has(l.from) && stops.has(l.to));
    expect(stoppedVehicles.length).toBeGreaterThan(0);
    for (const link of stoppedVehicles)
      expect(s.links.some((l) => l.type === 'attended' && l.to === link.to && !vehicles.has(l.from))).toBe(true);
    const types = new Set(s.entities.flatMap((e) => (e.kind === 'event' ? [e.event_type] : [])));
    for (const type of ['arrest', 'stop', 'incident', 'intelligence_report']) expect(types).toContain(type);
  });

  it('grades intelligence with C handling and conditions, and some legacy 5x5x5', () => {
    const c = s.links.filter((l) => l.grading.system === '3x5x2' && l.grading.handling === 'C');
    expect(c.length).toBeGreaterThan(0);
    for (const link of c) expect(link.grading.system === '3x5x2' && link.grading.conditions!.length > 10).toBe(true);
    expect(s.links.some((l) => l.grading.system === '5x5x5')).toBe(true);
    for (const link of s.links) expect(link.source.length).toBeGreaterThan(0);
  });

  it('keeps every date inside the window and under_18 consistent with date of birth', () => {
    for (const link of s.links) {
      const dates = linkDates(link);
      expect(dates.length, link.id).toBeGreaterThan(0);
      for (const date of dates) {
        expect(date >= DEFAULT_START && date <= DEFAULT_END, `${link.id} ${date}`).toBe(true);
      }
    }
    for (const person of persons()) {
      expect(person.date_of_birth).toBeDefined();
      expect(person.under_18).toBe(ageOn(person.date_of_birth!, DEFAULT_END) < 18);
    }
    const truth = new Map(s.truth.map((row) => [row.nominal_id, row.role]));
    const youngRunners = persons().filter((p) => truth.get(p.id) === 'runner' && p.under_18 && p.exploited);
    expect(youngRunners.length).toBeGreaterThan(0);
  });

  it('maps every non-hidden member exactly once, and hides 1–3 per OCG', () => {
    const memberOf = new Map<string, string[]>();
    for (const link of s.links)
      if (link.type === 'member_of') memberOf.set(link.from, [...(memberOf.get(link.from) ?? []), link.to]);
    for (const row of s.truth) {
      const groups = memberOf.get(row.nominal_id) ?? [];
      if (row.mapped) expect(groups, row.nominal_id).toEqual([row.group_id]);
      else expect(groups, row.nominal_id).toEqual([]);
      if (row.hidden) expect(row.group_id).not.toBe('');
      if (row.group_id === '') expect(row.mapped || row.hidden).toBe(false);
    }
    const ocgIds = s.entities.filter((e) => e.kind === 'ocg').map((e) => e.id);
    for (const id of ocgIds) {
      const hidden = s.truth.filter((row) => row.group_id === id && row.hidden).length;
      expect(hidden).toBeGreaterThanOrEqual(1);
      expect(hidden).toBeLessThanOrEqual(3);
      const roles = s.truth.filter((row) => row.group_id === id && row.mapped).map((row) => row.role);
      expect(roles.filter((r) => r === 'principal')).toHaveLength(1);
      expect(roles.filter((r) => r === 'lieutenant').length).toBeGreaterThanOrEqual(2);
      expect(roles.filter((r) => r === 'enabler')).toHaveLength(3);
    }
  });

  it('ties every hidden member to their group by at least three links or events', () => {
    const hidden = s.truth.filter((row) => row.hidden);
    expect(hidden.length).toBeGreaterThan(0);
    for (const row of hidden) expect(tiesToGroup(s, row.nominal_id, s.truth), row.nominal_id).toBeGreaterThanOrEqual(3);
  });

  it('makes principals central: linked to every lieutenant, never directly to a runner', () => {
    const truth = new Map(s.truth.map((row) => [row.nominal_id, row]));
    for (const principal of s.truth.filter((row) => row.role === 'principal')) {
      const neighbours = s.links
        .filter((l) => l.type === 'associate' && (l.from === principal.nominal_id || l.to === principal.nominal_id))
        .map((l) => truth.get(l.from === principal.nominal_id ? l.to : l.from)!);
      const lieutenants = s.truth.filter((row) => row.group_id === principal.group_id && row.role === 'lieutenant');
      for (const lieutenant of lieutenants) expect(neighbours).toContainEqual(lieutenant);
      expect(neighbours.filter((n) => n.role === 'runner')).toEqual([]);
      // Lieutenants are the ones who know the runners.
      const runners = s.truth.filter((row) => row.group_id === principal.group_id && row.role === 'runner');
      for (const runner of runners) {
        const knowsLieutenant = s.links.some(
          (l) =>
            l.type === 'associate' &&
            ((l.from === runner.nominal_id && lieutenants.some((x) => x.nominal_id === l.to)) ||
              (l.to === runner.nominal_id && lieutenants.some((x) => x.nominal_id === l.from))),
        );
        expect(knowsLieutenant, runner.nominal_id).toBe(true);
      }
    }
  });

  it('feeds one OCG from the USG: gang members associate with an OCG lieutenant', () => {
    const truth = new Map(s.truth.map((row) => [row.nominal_id, row]));
    const bridges = s.links.filter((l) => {
      if (l.type !== 'associate') return false;
      const [a, b] = [truth.get(l.from)!, truth.get(l.to)!];
      return (a.group_kind === 'usg' && b.role === 'lieutenant') || (b.group_kind === 'usg' && a.role === 'lieutenant');
    });
    expect(bridges.length).toBeGreaterThanOrEqual(1);
  });

  it('has a background population loosely linked to the groups', () => {
    const truth = new Map(s.truth.map((row) => [row.nominal_id, row]));
    const background = s.truth.filter((row) => row.role === 'background');
    expect(background.length).toBeGreaterThan(20);
    const loose = s.links.filter((l) => {
      const [a, b] = [truth.get(l.from), truth.get(l.to)];
      return (
        a &&
        b &&
        ((a.role === 'background' && b.group_kind === 'ocg') || (b.role === 'background' && a.group_kind === 'ocg'))
      );
    });
    expect(loose.length).toBeGreaterThan(0);
  });
});
