/**
 * Location profiles: a cuckooed address names its vulnerable occupants and
 * itself under safeguarding, lists the people linked to it, and carries the
 * levers partners hold on the premises.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RecordCollector, readRecordCsv } from '@ocgnet/io';
import type { Entity, RecordSet } from '@ocgnet/schema';
import { audienceById, defaultAudiences, recordsForAudience } from '../src/audience.js';
import { buildProfile } from '../src/profile.js';
import { renderProfile } from '../src/render.js';

const FIXTURE = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'small');
const audiences = defaultAudiences();
const analyst = audienceById(audiences, 'police-analyst');
const housing = audienceById(audiences, 'partner-agency:housing');
let records: RecordSet;

beforeAll(async () => {
  const collector = new RecordCollector();
  for (const file of ['entities.csv', 'links.csv'])
    await readRecordCsv(createReadStream(join(FIXTURE, file)), file, collector);
  const outcome = collector.finish();
  if (!outcome.ok) throw new Error('fixture does not import');
  records = outcome.records;
});

describe('street-gang profiles', () => {
  it('usg:ID profiles the gang as a group, with its mapped members', () => {
    const gang = records.entities.find((entity) => entity.kind === 'usg')!;
    const members = new Set(
      records.links.filter((link) => link.type === 'member_of' && link.to === gang.id).map((link) => link.from),
    );
    const profile = buildProfile({ records, audience: analyst, subject: `usg:${gang.id}`, createdAt: '2026-01-01' });
    expect(profile.summary).toMatchObject({ id: gang.id, kind: 'usg', members: members.size });
    expect(profile.role.map((item) => item.id).sort()).toEqual([...members].sort());
  });
});

describe('location profiles', () => {
  it('a cuckooed address: its occupants, itself under safeguarding, and its summary', () => {
    const cuckooed = records.entities.find(
      (entity): entity is Extract<Entity, { kind: 'location' }> =>
        entity.kind === 'location' && entity.cuckooed === true,
    )!;
    expect(cuckooed).toBeDefined();
    const linked = new Set(
      records.links
        .filter(
          (link) =>
            link.to === cuckooed.id && records.entities.find((entity) => entity.id === link.from)?.kind === 'person',
        )
        .map((link) => link.from),
    );
    const profile = buildProfile({
      records,
      audience: analyst,
      subject: `location:${cuckooed.id}`,
      createdAt: '2026-01-01',
    });
    expect(profile.summary).toMatchObject({ id: cuckooed.id, kind: 'location', cuckooed: true, members: linked.size });
    expect(profile.role.map((item) => item.id).sort()).toEqual([...linked].sort());
    const safeguarded = new Set(profile.safeguarding.map((item) => item.id));
    expect(safeguarded.has(cuckooed.id)).toBe(true);
    const vulnerableOccupants = [...linked].filter((id) => {
      const person = records.entities.find((entity) => entity.id === id) as Record<string, unknown>;
      return (
        person.vulnerable === true || person.cuckooed === true || person.under_18 === true || person.exploited === true
      );
    });
    expect(vulnerableOccupants.length).toBeGreaterThan(0);
    for (const id of vulnerableOccupants) expect(safeguarded.has(id), id).toBe(true);
    // No one flagged for safeguarding is ever a Pursue target in the plan rows.
    for (const row of profile.actionPlan.filter((action) => action.strand === 'pursue'))
      expect(safeguarded.has(row.target.id)).toBe(false);
    expect(renderProfile(profile, 'html')).toContain('Cuckooed');
  });

  it('the Housing view of a location equals the analyst view of the reduced records', () => {
    const location = records.entities.find(
      (entity) => entity.kind === 'location' && entity.premises_type === 'social_housing',
    )!;
    const partner = buildProfile({
      records,
      audience: housing,
      subject: `location:${location.id}`,
      createdAt: '2026-01-01',
    });
    expect(
      buildProfile({
        records: recordsForAudience(records, housing),
        audience: housing,
        subject: `location:${location.id}`,
        createdAt: '2026-01-01',
      }),
    ).toEqual(partner);
    const reduced = buildProfile({
      records: recordsForAudience(records, housing),
      audience: analyst,
      subject: `location:${location.id}`,
      createdAt: '2026-01-01',
    });
    // Housing is not told safeguarding facts; everything else is the analyst's view of the reduced records.
    const strip = (p: typeof partner) => ({
      ...p,
      banner: undefined,
      summary: { ...p.summary, cuckooed: undefined, label: undefined },
      safeguarding: p.safeguarding.map((x) => x.id),
      egoSvg: undefined,
      assets: p.assets.map(({ label: _l, ...x }) => x),
    });
    expect(strip(partner)).toEqual(strip(reduced));
  });
});
