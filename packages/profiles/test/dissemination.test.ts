/**
 * Who may receive what, decided by structure: a hand-built OCG with a
 * 17-year-old runner, a cuckooed victim's flat, and a car wash whose
 * ownership is released to HMRC only.
 */
import { describe, expect, it } from 'vitest';
import type { Entity, Grading, Link, RecordSet } from '@ocgnet/schema';
import { audienceById, defaultAudiences } from '../src/audience.js';
import { buildProfile } from '../src/profile.js';
import { renderProfile } from '../src/render.js';
import { WITHHELD_HOME_LABEL } from '../src/safeguardingFacts.js';

const config = defaultAudiences();
const FORMATS = ['json', 'markdown', 'html', 'csv'] as const;
const P: Grading = { system: '3x5x2', source: '2', intelligence: 'B', handling: 'P' };
const HMRC_ONLY: Grading = {
  system: '3x5x2',
  source: '1',
  intelligence: 'B',
  handling: 'C',
  conditions: 'Financial intelligence for HMRC',
  release_to: ['partner-agency:hmrc'],
};
const KID_HOME = '12 Kestrel Close';
const VICTIM_FLAT = 'Flat 3, Heron House';

const entities: Entity[] = [
  { id: 'OCG1', kind: 'ocg', label: 'Heron Street OCG', ocgm_band: '2A', threat_areas: ['drugs'] },
  { id: 'P1', kind: 'person', label: 'Paul Principal' },
  { id: 'P2', kind: 'person', label: 'Larry Lieutenant' },
  { id: 'P3', kind: 'person', label: 'Kevin Kid', under_18: true, exploited: true, vulnerable: true },
  { id: 'P4', kind: 'person', label: 'Vicky Victim', vulnerable: true },
  { id: 'L1', kind: 'location', label: KID_HOME, premises_type: 'residential' },
  { id: 'L2', kind: 'location', label: VICTIM_FLAT, premises_type: 'social_housing', cuckooed: true },
  { id: 'B1', kind: 'business', label: 'Sparkle Car Wash', business_type: 'car_wash' },
];
const link = (
  id: string,
  type: Link['type'],
  from: string,
  to: string,
  grading: Grading = P,
  extra: Partial<Link> = {},
): Link => ({ id, type, from, to, source: 'Test', date: '2025-01-01', grading, ...extra });
const links: Link[] = [
  link('K1', 'member_of', 'P1', 'OCG1', P, { role: 'principal' }),
  link('K2', 'member_of', 'P2', 'OCG1', P, { role: 'lieutenant' }),
  link('K3', 'member_of', 'P3', 'OCG1', P, { role: 'runner' }),
  link('K4', 'associate', 'P1', 'P2'),
  link('K5', 'associate', 'P2', 'P3'),
  link('K6', 'associate', 'P2', 'P4'),
  link('K7', 'lives_at', 'P3', 'L1'),
  link('K8', 'lives_at', 'P4', 'L2'),
  link('K9', 'uses_address', 'P2', 'L2'),
  link('K10', 'owns', 'P2', 'B1', HMRC_ONLY),
];
const records: RecordSet = { entities, links };
const profileFor = (audienceId: string) =>
  buildProfile({ records, audience: audienceById(config, audienceId), subject: 'ocg:OCG1', createdAt: '2026-01-01' });

describe('safeguarding facts per audience', () => {
  it('tells HMRC that the boy is protected, but not why and not where he lives', () => {
    const profile = profileFor('partner-agency:hmrc');
    const kid = profile.safeguarding.find((item) => item.id === 'P3')!;
    expect(kid).toMatchObject({ flags: [], withheld: true });
    expect(profile.position.find((item) => item.id === 'P3')?.safeguarding).toBe(true);
    for (const format of FORMATS) {
      const text = renderProfile(profile, format);
      expect(text, format).not.toMatch(/under_18|under 18|exploited|"vulnerable"/);
      expect(text.includes(KID_HOME), format).toBe(false);
      expect(text.includes(VICTIM_FLAT), format).toBe(false);
    }
    expect(profile.assets.find((item) => item.id === 'L1')?.label).toBe(WITHHELD_HOME_LABEL);
  });

  it("tells Children's Services the flags and the home address", () => {
    const profile = profileFor('partner-agency:childrens-services');
    expect(profile.safeguarding.find((item) => item.id === 'P3')).toMatchObject({
      flags: ['vulnerable', 'under_18', 'exploited'],
      withheld: false,
    });
    expect(renderProfile(profile, 'json')).toContain(KID_HOME);
    // The HMRC-only car wash is not released to Children's Services.
    expect(renderProfile(profile, 'json')).not.toContain('Sparkle Car Wash');
  });
});

describe('levers', () => {
  it('rest only on evidence the lead agency may receive: the HMRC-only car wash drives HMRC, not Trading Standards', () => {
    const profile = profileFor('police-analyst');
    const larry = profile.actionPlan.filter((row) => row.target.id === 'P2');
    expect(larry.map((row) => row.lever)).toContain('hmrc-business');
    for (const lever of ['trading-standards-business', 'environmental-health-business', 'fire-business'])
      expect(larry.map((row) => row.lever)).not.toContain(lever);
    // Without the release check the same records would drive those agencies: the rule, not the data, removed them.
    const released: RecordSet = {
      entities,
      links: links.map((item) => (item.id === 'K10' ? { ...item, grading: P } : item)),
    };
    const unrestricted = buildProfile({
      records: released,
      audience: audienceById(config, 'police-analyst'),
      subject: 'ocg:OCG1',
      createdAt: '2026-01-01',
    });
    expect(unrestricted.actionPlan.filter((row) => row.target.id === 'P2').map((row) => row.lever)).toContain(
      'trading-standards-business',
    );
  });

  it("never act on a victim's home: no tenancy lever for the lieutenant on the strength of the victim's flat", () => {
    const profile = profileFor('police-analyst');
    expect(profile.actionPlan.map((row) => row.lever)).not.toContain('housing-tenancy-fraud');
    for (const row of profile.actionPlan) expect(row.evidence.map((piece) => piece.entity)).not.toContain('L2');
    expect(profile.assets.find((item) => item.id === 'L2')?.levers).toEqual([]);
  });
});

describe('every format marks safeguarding subjects', () => {
  it('the CSV marks the victim among the key associates', () => {
    const profile = profileFor('police-analyst');
    expect(profile.keyAssociates.find((item) => item.id === 'P4')?.safeguarding).toBe(true);
    const rows = renderProfile(profile, 'csv')
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    const header = rows[1]!;
    const victim = rows.find((row) => row[0] === 'key_associate' && row[1] === 'P4')!;
    expect(victim[header.indexOf('safeguarding')]).toBe('yes');
    const other = rows.filter((row) => row[0] === 'key_associate' && row[1] !== 'P4' && row[1] !== 'P3');
    for (const row of other) expect(row[header.indexOf('safeguarding')]).toBe('');
    expect(renderProfile(profile, 'markdown')).toMatch(/Vicky Victim \(P4\) \(safeguarding\)/);
  });
});

describe('the banner names the rules in force', () => {
  it('records the audiences hash in every format', () => {
    const profile = profileFor('police-analyst');
    expect(profile.banner.audiences).toMatch(/^[0-9a-f]{64}$/);
    for (const format of FORMATS)
      expect(renderProfile(profile, format)).toContain(profile.banner.audiences.slice(0, 12));
  });
});
