import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { markingOfGrading, type Grading, type RecordSet } from '@ocgnet/schema';
import { audienceById, defaultAudiences, mayView, partnerAgencyAudience, recordsForAudience } from '../src/audience.js';
import { buildProfile, ProfileError, type Profile } from '../src/profile.js';
import { csvCell, escapeMarkdown, renderProfile } from '../src/render.js';
import { SMALL, escapeRegExp, loadSmall } from './profiles.fixtures.js';

const config = defaultAudiences();
const analyst = audienceById(config, 'police-analyst');
const housing = partnerAgencyAudience(config, 'Housing');
const FORMATS = ['json', 'markdown', 'html', 'csv'] as const;

function truth(): { id: string; group: string; role: string }[] {
  const [, ...lines] = readFileSync(join(SMALL, 'truth.csv'), 'utf8').trim().split(/\r?\n/);
  return lines.map((line) => {
    const cells = line.split(',');
    return { id: cells[0]!, group: cells[2]!, role: cells[4]! };
  });
}

const gradingsOf = (records: RecordSet): Grading[] => [
  ...records.entities.flatMap((e) => [
    ...(e.grading ? [e.grading] : []),
    ...(e.attributes ?? []).map((a) => a.grading),
  ]),
  ...records.links.flatMap((l) => (l.grading ? [l.grading] : [])),
];

/** A condition worded against Housing, released to nobody (it is in the small fixture). */
const POLICE_ONLY = 'NOT to be shared with Housing or any other partner agency';

/**
 * The small fixture with one person, a member of OCG02 who is not its
 * principal, graded C under a condition Housing may not receive: everything
 * else is unchanged, and the input is not mutated.
 */
function withPersonHiddenFromHousing(source: RecordSet): { records: RecordSet; personId: string } {
  const grading: Grading = { system: '3x5x2', source: '2', intelligence: 'B', handling: 'C', conditions: POLICE_ONLY };
  expect(mayView(housing, markingOfGrading(grading))).toBe(false);
  const principal = truth().find((row) => row.group === 'OCG02' && row.role === 'principal')!.id;
  const members = source.links
    .filter((l) => l.type === 'member_of' && l.to === 'OCG02' && l.from !== principal)
    .map((l) => l.from);
  const personId = [...new Set(members)].sort()[0]!;
  expect(personId).toBeDefined();
  return {
    records: { entities: source.entities.map((e) => (e.id === personId ? { ...e, grading } : e)), links: source.links },
    personId,
  };
}

/** What `run` threw, as name, code and message; fails the test when it throws nothing or something else. */
function refusal(run: () => unknown): { name: string; code: string; message: string } {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ProfileError);
  const error = caught as ProfileError;
  return { name: error.name, code: error.code, message: error.message };
}

let records: RecordSet;
beforeAll(async () => {
  records = await loadSmall();
});

describe('buildProfile on the small fixture (police analyst)', () => {
  it('profiles OCG02: names the planted principal, lists safeguarding, every item marked', () => {
    const profile = buildProfile({
      records,
      audience: analyst,
      subject: 'ocg:OCG02',
      createdAt: '2025-06-01',
      manifestRef: 'sha256:abc',
    });
    const principal = truth().find((row) => row.group === 'OCG02' && row.role === 'principal')!;
    expect(profile.banner).toMatchObject({
      classification: 'OFFICIAL-SENSITIVE',
      audience: 'police-analyst',
      date: '2025-06-01',
      manifestRef: 'sha256:abc',
    });
    expect(profile.summary.kind).toBe('ocg');
    expect(profile.role.find((r) => r.id === principal.id)?.mappedRole).toBe('principal');
    expect(profile.position.map((p) => p.id)).toContain(principal.id);
    // Ranks by betweenness within the group: 1..n, non-increasing betweenness.
    expect(profile.position.map((p) => p.rankInGroup)).toEqual(profile.position.map((_, i) => i + 1));
    for (let i = 1; i < profile.position.length; i++)
      expect(profile.position[i - 1]!.betweenness).toBeGreaterThanOrEqual(profile.position[i]!.betweenness);

    // Safeguarding: independently, flagged persons tied to members and cuckooed addresses linked to members.
    const members = new Set(records.links.filter((l) => l.type === 'member_of' && l.to === 'OCG02').map((l) => l.from));
    const byId = new Map(records.entities.map((e) => [e.id, e]));
    const cuckooed = records.links
      .filter(
        (l) =>
          members.has(l.from) &&
          byId.get(l.to)?.kind === 'location' &&
          (byId.get(l.to) as { cuckooed?: boolean }).cuckooed === true,
      )
      .map((l) => l.to);
    const flaggedMembers = [...members].filter((id) => {
      const p = byId.get(id) as { vulnerable?: boolean; under_18?: boolean; exploited?: boolean; cuckooed?: boolean };
      return p.vulnerable || p.under_18 || p.exploited || p.cuckooed;
    });
    const listed = new Set(profile.safeguarding.map((s) => s.id));
    for (const id of [...cuckooed, ...flaggedMembers]) expect(listed.has(id)).toBe(true);
    expect(cuckooed.length + flaggedMembers.length).toBeGreaterThan(0);
    for (const item of profile.safeguarding) expect(item.flags.length).toBeGreaterThan(0);

    // Key associates carry evidence links; every section item carries a marking.
    for (const a of profile.keyAssociates) expect(a.links.length).toBeGreaterThan(0);
    for (const section of [
      profile.position,
      profile.role,
      profile.keyAssociates,
      profile.bridges,
      profile.safeguarding,
      profile.assets,
      profile.actionPlan,
    ]) {
      for (const item of section) expect(['P', 'C', 'R']).toContain(item.marking.handling);
    }
    expect(profile.actionPlan.length).toBeGreaterThan(0);
    // The small fixture has legacy 5x5x5 records: an analyst profile is R somewhere.
    expect(profile.marking.handling).toBe('R');
    expect(profile.egoSvg.svg.startsWith('<svg')).toBe(true);
    expect(profile.egoSvg.svg).not.toMatch(/<script/i);
  });

  it('profiles a person with their mapped group, role and a plan filtered to them', () => {
    const principal = truth().find((row) => row.group === 'OCG02' && row.role === 'principal')!;
    const profile = buildProfile({
      records,
      audience: analyst,
      subject: `person:${principal.id}`,
      createdAt: '2025-06-01',
    });
    expect(profile.summary).toMatchObject({ kind: 'person', mappedGroup: 'OCG02', mappedRole: 'principal' });
    for (const row of profile.actionPlan) expect(row.target.id).toBe(principal.id);
    expect(profile.keyAssociates.length).toBeGreaterThan(0);
    for (let i = 1; i < profile.keyAssociates.length; i++)
      expect(profile.keyAssociates[i - 1]!.weight).toBeGreaterThanOrEqual(profile.keyAssociates[i]!.weight);
    expect(JSON.parse(renderProfile(profile, 'json'))).toEqual(profile);
  });

  it('throws a typed, uninformative error for a subject that is not visible or does not exist', () => {
    for (const subject of ['ocg:NOPE', 'person:OCG02', 'ocg:P000001']) {
      let caught: unknown;
      try {
        buildProfile({ records, audience: analyst, subject, createdAt: '2025-06-01' });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ProfileError);
      expect((caught as ProfileError).code).toBe('SUBJECT_NOT_VISIBLE');
      expect((caught as Error).message).toBe('no such subject for this audience');
    }
  });
});

describe('buildProfile for partner-agency:housing', () => {
  function visibleOcg(): string {
    const reduced = recordsForAudience(records, housing);
    const ids = reduced.entities.filter((e) => e.kind === 'ocg').map((e) => e.id);
    return ids.includes('OCG02') ? 'OCG02' : ids[0]!;
  }

  it('leaks no hidden condition and no removed id in any format', () => {
    const reduced = recordsForAudience(records, housing);
    const keptEntities = new Set(reduced.entities.map((e) => e.id));
    const keptLinks = new Set(reduced.links.map((l) => l.id));
    const removedIds = [
      ...records.entities.map((e) => e.id).filter((id) => !keptEntities.has(id)),
      ...records.links.map((l) => l.id).filter((id) => !keptLinks.has(id)),
    ];
    expect(removedIds.length).toBeGreaterThan(0);
    // Condition texts never released to Housing: none may appear in a Housing profile.
    const cGradings = gradingsOf(records).filter((g) => g.system === '3x5x2' && g.handling === 'C') as Extract<
      Grading,
      { system: '3x5x2' }
    >[];
    const releasedTexts = new Set(
      cGradings.filter((g) => g.release_to?.includes(housing.id)).map((g) => g.conditions ?? ''),
    );
    const hiddenConditions = [...new Set(cGradings.map((g) => g.conditions ?? ''))].filter(
      (c) => c !== '' && !releasedTexts.has(c),
    );
    expect(hiddenConditions).toContain(POLICE_ONLY);
    const subjects = [
      `ocg:${visibleOcg()}`,
      ...reduced.entities
        .filter((e) => e.kind === 'person')
        .slice(0, 5)
        .map((e) => `person:${e.id}`),
    ];
    const removedPattern = new RegExp(`(?<![A-Za-z0-9])(${removedIds.map(escapeRegExp).join('|')})(?![A-Za-z0-9])`);
    for (const subject of subjects) {
      const profile = buildProfile({ records, audience: housing, subject, createdAt: '2025-06-01' });
      expect(profile.marking.handling).not.toBe('R');
      for (const format of FORMATS) {
        const text = renderProfile(profile, format);
        for (const condition of hiddenConditions)
          expect(text.includes(condition), `${subject} ${format}: ${condition}`).toBe(false);
        expect(removedPattern.exec(text)?.[0], `${subject} ${format}`).toBeUndefined();
      }
    }
  });

  it('refuses a removed subject with the same uninformative error', () => {
    // The small fixture hides no person from Housing, so the test derives a record set that does.
    const { records: derived, personId } = withPersonHiddenFromHousing(records);
    const reduced = new Set(recordsForAudience(derived, housing).entities.map((e) => e.id));
    const hidden = derived.entities.filter((e) => e.kind === 'person' && !reduced.has(e.id));
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.map((e) => e.id)).toContain(personId);
    // The record is there: the analyst profiles the person, so the refusal below is the audience's doing.
    expect(
      buildProfile({ records: derived, audience: analyst, subject: `person:${personId}`, createdAt: '2025-06-01' })
        .summary.id,
    ).toBe(personId);
    const neverExisted = refusal(() =>
      buildProfile({ records: derived, audience: housing, subject: 'person:NO-SUCH-PERSON', createdAt: '2025-06-01' }),
    );
    expect(neverExisted).toEqual({
      name: 'ProfileError',
      code: 'SUBJECT_NOT_VISIBLE',
      message: 'no such subject for this audience',
    });
    for (const person of hidden) {
      expect(
        refusal(() =>
          buildProfile({
            records: derived,
            audience: housing,
            subject: `person:${person.id}`,
            createdAt: '2025-06-01',
          }),
        ),
        person.id,
      ).toEqual(neverExisted);
    }
  });

  it('equals the analyst profile of the physically reduced record set (recordsForAudience is the only gate)', () => {
    const reduced = recordsForAudience(records, housing);
    for (const subject of [`ocg:${visibleOcg()}`, `person:${reduced.entities.find((e) => e.kind === 'person')!.id}`]) {
      const forHousing = buildProfile({ records, audience: housing, subject, createdAt: '2025-06-01' });
      // The hidden records change nothing at all: the profile of the reduced set is the same, byte for byte.
      expect(buildProfile({ records: reduced, audience: housing, subject, createdAt: '2025-06-01' })).toEqual(
        forHousing,
      );
      // An analyst reading the reduced set sees the same items; only the safeguarding facts Housing is not told differ.
      const viaAnalyst = buildProfile({ records: reduced, audience: analyst, subject, createdAt: '2025-06-01' });
      const ids = (p: Profile) =>
        [p.position, p.role, p.keyAssociates, p.safeguarding, p.assets].map((items) => items.map((item) => item.id));
      expect(ids(forHousing)).toEqual(ids(viaAnalyst));
      expect(forHousing.actionPlan.map((row) => [row.target.id, row.lever])).toEqual(
        viaAnalyst.actionPlan.map((row) => [row.target.id, row.lever]),
      );
      const strip = (p: Profile) => ({
        ...p,
        banner: undefined,
        safeguarding: p.safeguarding.map(({ flags: _f, withheld: _w, label: _l, ...rest }) => rest),
        assets: p.assets.map(({ label: _l, ...rest }) => rest),
        egoSvg: undefined,
      });
      expect(strip(forHousing)).toEqual(strip(viaAnalyst));
    }
  });
});

describe('rendering', () => {
  it('escapes a hostile label in HTML, keeps banners top and bottom, and has no script', () => {
    const hostile = records.entities.map((e) =>
      e.id === 'OCG02' ? { ...e, label: `<script>alert(1)</script> & "Co" 'x'` } : e,
    );
    const profile = buildProfile({
      records: { entities: hostile, links: records.links },
      audience: analyst,
      subject: 'ocg:OCG02',
      createdAt: '2025-06-01',
    });
    profile.keyAssociates[0]!.label = '<img src=x onerror=alert(1)>';
    const html = renderProfile(profile, 'html');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot; &#39;x&#39;');
    expect(html.match(/class="banner"/g)?.length).toBe(2);
    expect(html.indexOf('OFFICIAL-SENSITIVE')).toBeLessThan(html.indexOf('<h1>'));
    expect(html.lastIndexOf('OFFICIAL-SENSITIVE')).toBeGreaterThan(html.lastIndexOf('</table>'));
    expect(html).toContain('<svg');
    expect(html).toMatch(/<style>/);
    expect(html).not.toMatch(/<link|src="http/);
    const md = renderProfile(profile, 'markdown');
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>');
    expect(escapeMarkdown('*a_[b]`<c>')).toBe('\\*a\\_\\[b\\]\\`\\<c\\>');
  });

  it('neutralises CSV formula injection, including after leading spaces, with RFC 4180 quoting', () => {
    expect(csvCell(`=cmd|' /C calc'!A0`)).toBe(`'=cmd|' /C calc'!A0`);
    expect(csvCell('  +1')).toBe("'  +1");
    for (const bad of ['-1', '@SUM(A1)', '\tx', '\rx', '\u0000x', ' =1'])
      expect(csvCell(bad).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell('plain')).toBe('plain');

    const profile = buildProfile({ records, audience: analyst, subject: 'ocg:OCG02', createdAt: '2025-06-01' });
    profile.keyAssociates[0]!.label = `=cmd|' /C calc'!A0`;
    profile.keyAssociates[1]!.label = '  +1';
    const csv = renderProfile(profile, 'csv');
    expect(csv).toContain(`,'=cmd|' /C calc'!A0,`);
    expect(csv).toContain(",'  +1,");
    for (const line of csv.split('\r\n').filter(Boolean)) {
      for (const cell of line.split(',')) expect(cell).not.toMatch(/^"?\s*[=+@]/);
    }
    expect(csv.split('\r\n')[0]).toMatch(/^classification,OFFICIAL-SENSITIVE,audience,/);
    expect(csv.split('\r\n')[1]).toContain('section,id,label');
  });
});
