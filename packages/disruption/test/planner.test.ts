import { createReadStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildNetwork, projectPersons, type NetworkGraph, type PersonGraph } from '@ocgnet/graph';
import { RecordCollector, readRecordCsv } from '@ocgnet/io';
import {
  isSafeguardingSubject,
  type Entity,
  type Grading,
  type Link,
  type Person,
  type RecordSet,
} from '@ocgnet/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { PARTNERS } from '../src/levers.js';
import { PlanError, formatPlan, planDisruption, plainLabel, type DisruptionPlan } from '../src/planner.js';

const SMALL_FIXTURE = fileURLToPath(new URL('../../../fixtures/small/', import.meta.url));

interface TruthRow {
  nominal: string;
  group: string;
  role: string;
  hidden: boolean;
}

/** truth.csv has no quoted fields, so a plain split reads it. */
function readTruth(): TruthRow[] {
  const [header, ...rows] = readFileSync(`${SMALL_FIXTURE}truth.csv`, 'utf8').trim().split(/\r?\n/);
  const columns = header!.split(',');
  return rows.map((line) => {
    const cells = line.split(',');
    const at = (name: string) => cells[columns.indexOf(name)] ?? '';
    return { nominal: at('nominal_id'), group: at('group_id'), role: at('role'), hidden: at('hidden') === 'true' };
  });
}

async function loadRecords(): Promise<RecordSet> {
  const collector = new RecordCollector();
  for (const file of ['entities.csv', 'links.csv'])
    await readRecordCsv(createReadStream(`${SMALL_FIXTURE}${file}`), file, collector);
  const outcome = collector.finish();
  if (!outcome.ok) throw new Error(`small fixture: ${JSON.stringify(outcome.issues.slice(0, 3))}`);
  return outcome.records;
}

/** Borgatti's F of the persons graph induced by `nodes`, by breadth-first search: independent of fragmentation.ts. */
function borgattiF(persons: PersonGraph, nodes: ReadonlySet<string>): number {
  const seen = new Set<string>();
  let connectedPairs = 0;
  for (const start of nodes) {
    if (seen.has(start)) continue;
    const queue = [start];
    seen.add(start);
    for (let head = 0; head < queue.length; head++) {
      for (const next of persons.neighbors(queue[head]!)) {
        if (nodes.has(next) && !seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    connectedPairs += queue.length * (queue.length - 1);
  }
  const n = nodes.size;
  return n < 2 ? 1 : 1 - connectedPairs / (n * (n - 1));
}

const without = (nodes: ReadonlySet<string>, removed: readonly string[]) =>
  new Set([...nodes].filter((node) => !removed.includes(node)));

describe('planDisruption on the small fixture', () => {
  let records: RecordSet;
  let network: NetworkGraph;
  let persons: PersonGraph;
  let truth: TruthRow[];
  let byId: Map<string, Entity>;
  let ocgs: string[];
  const plans = new Map<string, DisruptionPlan>();

  /** The group's network, worked out here from the records: members by member_of, plus their neighbours. */
  const scopeOf = (group: string) => {
    const members = new Set(
      records.links.filter((link) => link.type === 'member_of' && link.to === group).map((link) => link.from),
    );
    const scope = new Set(members);
    for (const member of members) for (const neighbour of persons.neighbors(member)) scope.add(neighbour);
    return { members, scope };
  };
  const isProtected = (id: string) => isSafeguardingSubject(byId.get(id) as Person);

  beforeAll(async () => {
    records = await loadRecords();
    network = buildNetwork(records);
    persons = projectPersons(network);
    truth = readTruth();
    byId = new Map(records.entities.map((entity) => [entity.id, entity]));
    ocgs = records.entities.filter((entity) => entity.kind === 'ocg').map((entity) => entity.id);
    for (const ocg of ocgs) plans.set(ocg, planDisruption(network, persons, { ocg }));
  });

  it('recommends up to k = 5 Pursue targets for every OCG, each with a lever whose evidence exists', () => {
    expect(ocgs.length).toBeGreaterThanOrEqual(3);
    for (const ocg of ocgs) {
      const plan = plans.get(ocg)!;
      expect(plan.group.id).toBe(ocg);
      expect(plan.targets.length, ocg).toBeGreaterThanOrEqual(1);
      expect(plan.targets.length).toBeLessThanOrEqual(5);
      for (const target of plan.targets) {
        expect(target.levers.length, target.person).toBeGreaterThanOrEqual(1);
        for (const lever of target.levers) {
          expect(lever.strand).toBe('pursue');
          expect(PARTNERS).toContain(lever.partner);
          expect(lever.evidence.length).toBeGreaterThanOrEqual(1);
          for (const evidence of lever.evidence) {
            expect(evidence.entities[0]).toBe(target.person);
            for (const entity of [evidence.entity, ...evidence.entities]) expect(byId.has(entity), entity).toBe(true);
            for (const link of evidence.links) {
              const record = records.links.find((item) => item.id === link);
              expect(record, link).toBeDefined();
              expect([record!.from, record!.to]).toContain(target.person);
            }
            for (const attribute of evidence.attributes) {
              expect(
                byId
                  .get(attribute.entity)!
                  .attributes!.some((item) => item.name === attribute.name && item.value === attribute.value),
              ).toBe(true);
            }
            expect(['P', 'C', 'R']).toContain(evidence.marking.handling);
          }
        }
      }
    }
  });

  it('never recommends a vulnerable, under-18, exploited or cuckooed person as a Pursue target', () => {
    const roleOf = new Map(truth.map((row) => [row.nominal, row.role]));
    for (const plan of plans.values()) {
      for (const target of plan.targets) {
        const person = byId.get(target.person) as Person;
        expect(person.kind).toBe('person');
        expect(isSafeguardingSubject(person), target.person).toBe(false);
        expect(roleOf.get(target.person)).not.toBe('vulnerable');
      }
      for (const row of plan.actionPlan)
        if (row.strand === 'pursue') expect(isProtected(row.target.id), row.target.id).toBe(false);
    }
  });

  it('lists every safeguarding subject in the group’s network under Prevent and safeguarding, with Protect or Prevent levers', () => {
    for (const ocg of ocgs) {
      const plan = plans.get(ocg)!;
      const { members, scope } = scopeOf(ocg);
      const listed = new Map(plan.safeguarding.map((entry) => [entry.person, entry]));
      for (const person of scope) {
        if (!isProtected(person)) continue;
        const entry = listed.get(person);
        expect(entry, `${ocg} ${person}`).toBeDefined();
        expect(entry!.relation).toBe(members.has(person) ? 'member' : 'associate');
        expect(entry!.levers.length).toBeGreaterThanOrEqual(1);
        for (const lever of entry!.levers) expect(['prevent', 'protect']).toContain(lever.strand);
        if (!members.has(person))
          for (const linked of entry!.linkedTo)
            expect(persons.hasEdge(person, linked.id) && members.has(linked.id)).toBe(true);
      }
      expect([...listed.keys()].every((person) => scope.has(person) && isProtected(person))).toBe(true);
    }
    // The county line's cuckooed occupants (truth role "vulnerable") stand out in some plan.
    const occupants = truth.filter((row) => row.role === 'vulnerable').map((row) => row.nominal);
    expect(occupants.length).toBeGreaterThan(0);
    const safeguarded = new Set([...plans.values()].flatMap((plan) => plan.safeguarding.map((entry) => entry.person)));
    for (const occupant of occupants) expect(safeguarded.has(occupant), occupant).toBe(true);
  });

  it('orders targets by impact, and the top target’s ΔF matches an independent count and is the largest among actionable members', () => {
    for (const ocg of ocgs) {
      const plan = plans.get(ocg)!;
      const { members, scope } = scopeOf(ocg);
      expect(plan.scope.persons).toBe(scope.size);
      expect(plan.scope.members).toBe(members.size);
      const before = borgattiF(persons, scope);
      expect(plan.scope.fragmentation).toBeCloseTo(before, 12);
      for (let i = 1; i < plan.targets.length; i++)
        expect(plan.targets[i - 1]!.impact.deltaF).toBeGreaterThanOrEqual(plan.targets[i]!.impact.deltaF);
      expect(plan.targets.map((target) => target.rank)).toEqual(plan.targets.map((_, index) => index + 1));

      const top = plan.targets[0]!;
      const deltaF = (removed: readonly string[]) => borgattiF(persons, without(scope, removed)) - before;
      expect(top.impact.deltaF).toBeCloseTo(deltaF([top.person]), 12);
      // Members a partner can act on: neither protected nor listed without a lever.
      const actionable = [...members].filter(
        (person) => !isProtected(person) && !plan.withoutLevers.some((entry) => entry.person === person),
      );
      expect(actionable).toContain(top.person);
      for (const person of actionable) expect(deltaF([person]), person).toBeLessThanOrEqual(top.impact.deltaF + 1e-12);
      // The combined figure is the removal of every target at once.
      expect(plan.combined.targets).toEqual(plan.targets.map((target) => target.person));
      expect(plan.combined.deltaF).toBeCloseTo(deltaF(plan.combined.targets), 12);
      expect(plan.combined.lccChange).toBeLessThanOrEqual(top.impact.lccChange);
    }
  });

  it('keeps members no partner can act on out of the targets, and lists them apart', () => {
    for (const plan of plans.values()) {
      const targets = new Set(plan.targets.map((target) => target.person));
      for (const entry of plan.withoutLevers) {
        expect(targets.has(entry.person)).toBe(false);
        expect(isProtected(entry.person)).toBe(false);
      }
    }
  });

  it('drafts the action plan: one row per target and lever, then safeguarding rows without an impact figure', () => {
    for (const plan of plans.values()) {
      const pursue = plan.actionPlan.filter((row) => row.strand === 'pursue');
      expect(pursue.length).toBe(plan.targets.reduce((sum, target) => sum + target.levers.length, 0));
      for (const row of pursue) {
        const target = plan.targets.find((item) => item.person === row.target.id)!;
        expect(row.expectedImpact).toEqual(target.impact);
        expect(row.leadAgency).toBe(target.levers.find((lever) => lever.id === row.lever)!.partner);
        expect(row.evidence.length).toBeGreaterThan(0);
      }
      for (const row of plan.actionPlan.filter((item) => item.strand !== 'pursue')) {
        expect(row.expectedImpact).toBeNull();
        expect(plan.safeguarding.some((entry) => entry.person === row.target.id)).toBe(true);
      }
      // A plain object: JSON keeps all of it.
      expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    }
  });

  it('ranks hidden-member candidates when passed in, never a protected one', () => {
    const ocg = ocgs[0]!;
    const hidden = truth.filter((row) => row.group === ocg && row.hidden).map((row) => row.nominal);
    expect(hidden.length).toBeGreaterThan(0);
    const occupant = truth.find((row) => row.role === 'vulnerable')!.nominal;
    const plan = planDisruption(network, persons, { ocg, k: 50, candidates: [...hidden, occupant] });
    expect(plan.scope.candidates).toBe(hidden.length + 1);
    const ranked = [...plan.targets, ...plan.withoutLevers];
    for (const person of hidden)
      expect(ranked.find((entry) => entry.person === person)?.relation, person).toBe('candidate');
    expect(ranked.some((entry) => entry.person === occupant)).toBe(false);
    expect(plan.safeguarding.find((entry) => entry.person === occupant)?.relation).toBe('candidate');
  });

  it('writes a readable text plan naming targets, partners and the safeguarding section', () => {
    const plan = plans.get(ocgs[0]!)!;
    const text = formatPlan(plan);
    expect(text).toContain(plan.group.label);
    for (const target of plan.targets) {
      expect(text).toContain(target.label);
      for (const lever of target.levers) expect(text).toContain(lever.partner);
    }
    for (const entry of plan.safeguarding) expect(text).toContain(entry.label);
    expect(text).toContain('PREVENT AND SAFEGUARDING');
    expect(text).toMatch(/Acting on all \d+ together: ΔF \+/);
    expect(text).not.toMatch(/[<>]/);
  });
});

describe('planDisruption on a hand-made group', () => {
  const P: Grading = { system: '3x5x2', source: '2', intelligence: 'B', handling: 'P' };
  const link = (id: string, type: Link['type'], from: string, to: string, extra: Partial<Link> = {}): Link => ({
    id,
    type,
    from,
    to,
    source: 'Test',
    grading: P,
    ...extra,
  });
  /**
   * boss — lieutenant — runner — peripheral — friend: the vulnerable runner
   * is the cut point with the largest impact, and holds a council tenancy.
   */
  const records = (): RecordSet => ({
    entities: [
      { id: 'G1', kind: 'ocg', label: 'Test <OCG> & Co' },
      { id: 'A', kind: 'person', label: '<img src=x onerror=alert(1)> "Boss" Smith' },
      { id: 'B', kind: 'person', label: 'Lee Lieutenant' },
      { id: 'V', kind: 'person', label: 'Robin Runner', vulnerable: true },
      { id: 'C', kind: 'person', label: 'Pat Peripheral' },
      { id: 'D', kind: 'person', label: 'Fred Friend' },
      { id: 'L1', kind: 'location', label: 'Flat 1 <Council> Row', premises_type: 'social_housing' },
      { id: 'L2', kind: 'location', label: 'Flat 2, Council Row', premises_type: 'social_housing' },
      { id: 'V1', kind: 'vehicle', label: 'AB12 CDE' },
    ],
    links: [
      link('M1', 'member_of', 'A', 'G1', { role: 'principal' }),
      link('M2', 'member_of', 'B', 'G1', { role: 'lieutenant' }),
      link('M3', 'member_of', 'V', 'G1', { role: 'runner' }),
      link('M4', 'member_of', 'C', 'G1', { role: 'peripheral' }),
      link('K1', 'associate', 'A', 'B'),
      link('K2', 'associate', 'B', 'V'),
      link('K3', 'associate', 'V', 'C'),
      link('K4', 'associate', 'C', 'D'),
      link('K5', 'uses_vehicle', 'A', 'V1'),
      link('K6', 'lives_at', 'B', 'L1'),
      link('K7', 'lives_at', 'V', 'L2'),
    ],
  });

  it('puts the vulnerable cut point under safeguarding, not among the targets', () => {
    const network = buildNetwork(records());
    const persons = projectPersons(network);
    const plan = planDisruption(network, persons, { ocg: 'G1' });
    expect(plan.targets.map((target) => target.person)).toEqual(['B', 'A']);
    expect(plan.targets[0]!.impact).toMatchObject({ lccBefore: 5, lccAfter: 3, lccChange: -2, componentsAfter: 2 });
    // B cuts A off from V, C and D: 1 − (3·2)/(4·3) = 0.5.
    expect(plan.targets[0]!.impact.deltaF).toBeCloseTo(0.5, 12);
    expect(plan.targets[0]!.levers.map((lever) => lever.id)).toEqual(['housing-tenancy']);
    expect(plan.withoutLevers.map((entry) => entry.person)).toEqual(['C']);
    expect(plan.safeguarding).toHaveLength(1);
    expect(plan.safeguarding[0]).toMatchObject({
      person: 'V',
      relation: 'member',
      role: 'runner',
      flags: ['vulnerable'],
    });
    expect(plan.safeguarding[0]!.levers.map((lever) => lever.id)).toEqual(['asc-safeguarding']);
    expect(plan.actionPlan.some((row) => row.target.id === 'V' && row.strand === 'pursue')).toBe(false);
    expect(plan.combined).toMatchObject({ targets: ['B', 'A'], lccAfter: 3 });
  });

  it('takes the mapping the caller already read instead of reading it again', () => {
    const network = buildNetwork(records());
    const persons = projectPersons(network);
    const whole = planDisruption(network, persons, { ocg: 'G1' });
    // A mapping that maps only A and B to G1: the plan's core follows it, so it was used, not recomputed.
    const mapping = {
      groupOf: { A: 'G1', B: 'G1' },
      roleOf: {},
      groupsOf: { A: ['G1'], B: ['G1'] },
      membersOf: { G1: ['A', 'B'] },
      kindOf: { G1: 'ocg' as const },
    };
    const narrowed = planDisruption(network, persons, { ocg: 'G1', mapping });
    expect(whole.scope.members).toBeGreaterThan(2);
    expect(narrowed.scope.members).toBe(2);
  });

  it('formats labels as inert text', () => {
    const network = buildNetwork(records());
    const plan = planDisruption(network, projectPersons(network), { ocg: 'G1', k: 1 });
    const text = formatPlan(plan);
    expect(text).toContain('Lee Lieutenant');
    expect(text).toContain('Housing');
    expect(text).toContain('Robin Runner');
    expect(text).toContain('Flat 1 ‹Council› Row');
    expect(text).not.toMatch(/[<>]/);
    expect(plainLabel('<img src=x onerror=alert(1)> "Boss" Smith')).toBe('‹img src=x onerror=alert(1)› "Boss" Smith');
    expect(plainLabel('Red\u001b[31m alert\u202eevil\nline')).toBe('Red\ufffd[31m alert\ufffdevil line');
  });

  it('reports misuse with typed errors', () => {
    const network = buildNetwork(records());
    const persons = projectPersons(network);
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(PlanError);
        expect((error as Error).message).toMatch(/^@ocgnet\/disruption\/planner: /);
        return (error as PlanError).code;
      }
      return 'no error';
    };
    expect(code(() => planDisruption(network, persons, { ocg: 'G404' }))).toBe('UNKNOWN_GROUP');
    expect(code(() => planDisruption(network, persons, { ocg: 'A' }))).toBe('UNKNOWN_GROUP');
    expect(code(() => planDisruption(network, persons, { ocg: 'G1', candidates: ['nobody'] }))).toBe('UNKNOWN_PERSON');
    expect(code(() => planDisruption(network, persons, { ocg: 'G1', k: 0 }))).toBe('INVALID_OPTION');
    expect(code(() => planDisruption(network, persons, { ocg: 'G1', k: 2.5 }))).toBe('INVALID_OPTION');
    expect(code(() => planDisruption({} as never, persons, { ocg: 'G1' }))).toBe('NOT_A_GRAPH');
  });
});
