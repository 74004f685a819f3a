import { buildNetwork, projectPersons } from '@ocgnet/graph';
import type { Entity, Grading, Link, Marking } from '@ocgnet/schema';
import { describe, expect, it } from 'vitest';
import type { Partner } from '../src/levers.js';
import { formatPlan, planDisruption, type EvidenceRelease } from '../src/planner.js';

const P: Grading = { system: '3x5x2', source: '2', intelligence: 'B', handling: 'P' };
const HMRC_ONLY: Grading = {
  system: '3x5x2',
  source: '1',
  intelligence: 'B',
  handling: 'C',
  conditions: 'HMRC only',
  release_to: ['hmrc'],
};
const entities: Entity[] = [
  { id: 'OCG1', kind: 'ocg', label: 'Group' },
  { id: 'P1', kind: 'person', label: 'Paul' },
  { id: 'P2', kind: 'person', label: 'Larry' },
  { id: 'B1', kind: 'business', label: 'Car wash', business_type: 'car_wash' },
];
const link = (id: string, type: Link['type'], from: string, to: string, grading: Grading = P): Link => ({
  id,
  type,
  from,
  to,
  source: 'Test',
  grading,
});
const links: Link[] = [
  link('K1', 'member_of', 'P1', 'OCG1'),
  link('K2', 'member_of', 'P2', 'OCG1'),
  link('K3', 'associate', 'P1', 'P2'),
  link('K4', 'owns', 'P2', 'B1', HMRC_ONLY),
];

/** The check a force's audiences file would give: HMRC receives what is released to it; Fire and Rescue has no audience. */
const release = (partner: Partner, marking: Marking): EvidenceRelease => {
  if (partner === 'Fire and Rescue') return 'no-audience';
  if (marking.handling === 'P') return 'released';
  return partner === 'HMRC' && (marking.releasableTo ?? []).includes('hmrc') ? 'released' : 'not-released';
};

describe('planDisruption with evidenceRelease', () => {
  const network = buildNetwork({ entities, links });
  const persons = projectPersons(network);

  it('proposes a lever only on evidence its lead agency may receive, and says which were withheld and why', () => {
    const open = planDisruption(network, persons, { ocg: 'OCG1' });
    const openLevers = open.actionPlan.filter((row) => row.target.id === 'P2').map((row) => row.lever);
    expect(openLevers).toEqual(
      expect.arrayContaining(['hmrc-business', 'trading-standards-business', 'fire-business']),
    );
    expect(open.evidenceWithheld).toEqual([]);

    const plan = planDisruption(network, persons, { ocg: 'OCG1', evidenceRelease: release });
    const levers = plan.actionPlan.filter((row) => row.target.id === 'P2').map((row) => row.lever);
    expect(levers).toContain('hmrc-business');
    expect(levers).not.toContain('trading-standards-business');
    expect(levers).not.toContain('fire-business');
    const withheld = Object.fromEntries(plan.evidenceWithheld.map((entry) => [entry.lever, entry.reason]));
    expect(withheld['trading-standards-business']).toBe('not-released');
    expect(withheld['fire-business']).toBe('no-audience');
    const text = formatPlan(plan);
    expect(text).toContain('EVIDENCE THAT CANNOT GO TO THE LEAD AGENCY');
    expect(text).toMatch(/fire-business .*no audience is configured for Fire and Rescue/);
    expect(text).toMatch(/released to hmrc/);
  });
});
