import { beforeAll, describe, expect, it } from 'vitest';
import { THREAT_AREAS, type Entity, type Marking, type RecordSet } from '@ocgnet/schema';
import { audienceById, audiencesHash, defaultAudiences, mayView, recordsForAudience } from '../src/audience.js';
import { WITHHELD_HOME_LABEL } from '../src/safeguardingFacts.js';
import { buildLocalProfile, renderLocalProfile, type LocalProfile } from '../src/localProfile.js';
import { escapeRegExp, loadSmall } from './profiles.fixtures.js';

const config = defaultAudiences();
const analyst = audienceById(config, 'police-analyst');
const housing = audienceById(config, 'partner-agency:housing');
const FORMATS = ['json', 'markdown', 'html', 'csv'] as const;
const DATE = '2025-08-01';

const idPattern = (id: string): RegExp => new RegExp(`(?<![A-Za-z0-9_.:-])${escapeRegExp(id)}(?![A-Za-z0-9_.:-])`);

function allMarkings(p: LocalProfile): Marking[] {
  return [p.marking, ...[...p.threats, ...p.ocgsByBand, ...p.topLocations, ...p.atRisk].map((x) => x.marking)];
}

let records: RecordSet;
beforeAll(async () => {
  records = await loadSmall();
});

describe('buildLocalProfile', () => {
  it('counts each threat area over the visible OCG/USG records', () => {
    for (const audience of [analyst, housing]) {
      const visible = recordsForAudience(records, audience);
      const p = buildLocalProfile({ records, audience, createdAt: DATE });
      expect(p.threats.map((t) => t.area)).toEqual([...THREAT_AREAS]);
      for (const area of THREAT_AREAS) {
        const ids = visible.entities
          .filter((e) => (e.kind === 'ocg' || e.kind === 'usg') && (e.threat_areas ?? []).includes(area))
          .map((e) => e.id)
          .sort();
        const item = p.threats.find((t) => t.area === area)!;
        expect(item.groups).toBe(ids.length);
        expect(item.ids).toEqual(ids);
      }
    }
    expect(buildLocalProfile({ records, audience: analyst, createdAt: DATE }).threats.some((t) => t.groups > 0)).toBe(
      true,
    );
  });

  it('band counts sum to the number of OCGs', () => {
    for (const audience of [analyst, housing]) {
      const visible = recordsForAudience(records, audience);
      const p = buildLocalProfile({ records, audience, createdAt: DATE });
      const ocgs = visible.entities.filter((e) => e.kind === 'ocg');
      expect(p.ocgsByBand.reduce((sum, b) => sum + b.ocgs, 0)).toBe(ocgs.length);
      for (const band of p.ocgsByBand) {
        expect(band.ids.length).toBe(band.ocgs);
        for (const id of band.ids) {
          const ocg = ocgs.find((o) => o.id === id) as Extract<Entity, { kind: 'ocg' }>;
          expect(ocg.ocgm_band ?? 'unbanded').toBe(band.band);
        }
      }
    }
  });

  it('at-risk persons are exactly the flagged persons', () => {
    for (const audience of [analyst, housing]) {
      const visible = recordsForAudience(records, audience);
      const flagged = visible.entities
        .filter((e) => e.kind === 'person' && Boolean(e.vulnerable || e.under_18 || e.exploited || e.cuckooed))
        .map((e) => e.id)
        .sort();
      const p = buildLocalProfile({ records, audience, createdAt: DATE });
      expect(p.atRisk.map((x) => x.id).sort()).toEqual(flagged);
      for (const x of p.atRisk) expect(x.ocgMembersLinked).toBe(x.memberIds.length);
    }
    expect(buildLocalProfile({ records, audience: analyst, createdAt: DATE }).atRisk.length).toBeGreaterThan(0);
  });

  it('ranks locations by distinct linked persons', () => {
    const p = buildLocalProfile({ records, audience: analyst, createdAt: DATE });
    expect(p.topLocations.length).toBeGreaterThan(0);
    for (let i = 1; i < p.topLocations.length; i += 1)
      expect(p.topLocations[i - 1]!.persons).toBeGreaterThanOrEqual(p.topLocations[i]!.persons);
    for (const x of p.topLocations) expect(new Set(x.personIds).size).toBe(x.persons);
    expect(p.banner).toEqual({
      classification: 'OFFICIAL-SENSITIVE',
      audience: 'police-analyst',
      date: DATE,
      audiences: audiencesHash(config),
    });
  });

  it('tells each audience only the safeguarding facts configured for it', () => {
    const hmrc = audienceById(config, 'partner-agency:hmrc');
    const children = audienceById(config, 'partner-agency:childrens-services');
    const forAnalyst = buildLocalProfile({ records, audience: analyst, createdAt: DATE });
    const forHmrc = buildLocalProfile({ records, audience: hmrc, createdAt: DATE });
    const forChildren = buildLocalProfile({ records, audience: children, createdAt: DATE });
    // The fixture has children at risk, and cuckooed addresses among the busiest locations.
    expect(forAnalyst.atRisk.some((x) => x.flags.includes('under_18'))).toBe(true);
    const cuckooed = forAnalyst.topLocations.filter((x) => x.cuckooed);
    expect(cuckooed.length).toBeGreaterThan(0);
    for (const x of forHmrc.atRisk) {
      expect(x.flags).toEqual([]);
      expect(x.withheld).toBe(true);
    }
    for (const x of forChildren.atRisk.filter((item) =>
      forAnalyst.atRisk.find((a) => a.id === item.id)?.flags.includes('under_18'),
    ))
      expect(x.flags).toContain('under_18');
    for (const format of FORMATS) {
      const text = renderLocalProfile(forHmrc, format);
      expect(text).not.toMatch(/under_18|exploited/);
      // The cuckooed addresses' labels (which name the flat) are withheld from HMRC.
      for (const x of cuckooed) expect(text.includes(x.label), `${format}: ${x.label}`).toBe(false);
    }
    for (const x of forHmrc.topLocations.filter((item) => cuckooed.some((c) => c.id === item.id)))
      expect(x.label).toBe(WITHHELD_HOME_LABEL);
  });

  it('housing: no removed record id and nothing R-marked appears in any format', () => {
    const visible = recordsForAudience(records, housing);
    const kept = new Set([...visible.entities.map((e) => e.id), ...visible.links.map((l) => l.id)]);
    const removed = [...records.entities.map((e) => e.id), ...records.links.map((l) => l.id)].filter(
      (id) => !kept.has(id),
    );
    expect(removed.length).toBeGreaterThan(0);
    const p = buildLocalProfile({ records, audience: housing, createdAt: DATE });
    for (const m of allMarkings(p)) expect(m.handling).not.toBe('R');
    for (const format of FORMATS) {
      const text = renderLocalProfile(p, format);
      for (const id of removed) expect(idPattern(id).test(text), `${id} in ${format}`).toBe(false);
      expect(text).not.toMatch(/"handling": "R"/);
    }
    // The analyst does see R-marked material in the fixture, so the check above is not vacuous.
    expect(
      allMarkings(buildLocalProfile({ records, audience: analyst, createdAt: DATE })).some((m) => m.handling === 'R'),
    ).toBe(true);
  });

  it('canaries: the analyst sees them in every format, Housing in none', () => {
    // Plant a canary on an at-risk person and on the busiest location (both named in every format), and
    // grade both so the real Housing rules hide them: the person C under a condition worded against Housing
    // (and released to nobody), the place legacy 5x5x5.
    const condition = 'NOT to be shared with Housing or any other partner agency';
    expect(mayView(housing, { handling: 'C', conditions: [condition] })).toBe(false);
    const before = buildLocalProfile({ records, audience: analyst, createdAt: DATE });
    const person = before.atRisk[0]!.id;
    const place = before.topLocations[0]!.id;
    const PERSON = 'CANARYPERSON0001X';
    const PLACE = 'CANARYPLACE0001X';
    const planted: RecordSet = {
      entities: records.entities.map((e) => {
        if (e.id === person)
          return {
            ...e,
            label: `Person ${PERSON}`,
            grading: { system: '3x5x2', source: '2', intelligence: 'B', handling: 'C', conditions: condition },
          };
        if (e.id === place) return { ...e, label: `Flat ${PLACE}`, grading: { system: '5x5x5', recorded: 'B24' } };
        return e;
      }),
      links: records.links,
    };
    const visibleToHousing = new Set(recordsForAudience(planted, housing).entities.map((e) => e.id));
    expect(visibleToHousing.has(person) || visibleToHousing.has(place)).toBe(false);
    const forAnalyst = buildLocalProfile({ records: planted, audience: analyst, createdAt: DATE });
    const forHousing = buildLocalProfile({ records: planted, audience: housing, createdAt: DATE });
    for (const format of FORMATS) {
      const seen = renderLocalProfile(forAnalyst, format);
      for (const canary of [PERSON, PLACE, condition])
        expect(seen.includes(canary), `analyst ${format}: ${canary}`).toBe(true);
      const text = renderLocalProfile(forHousing, format);
      for (const canary of [PERSON, PLACE, condition])
        expect(text.includes(canary), `housing ${format}: ${canary}`).toBe(false);
      for (const id of [person, place]) expect(idPattern(id).test(text), `housing ${format}: ${id}`).toBe(false);
    }
  });

  it('renders: banners, CSV classification row, escaped HTML and Markdown', () => {
    // Plant the label on an at-risk person, which every format names.
    const target = buildLocalProfile({ records, audience: analyst, createdAt: DATE }).atRisk[0]!.id;
    const planted: RecordSet = {
      entities: records.entities.map((e) =>
        e.id === target ? { ...e, label: '<script>alert(1)</script> *x* | y' } : e,
      ),
      links: records.links,
    };
    const p = buildLocalProfile({ records: planted, audience: analyst, createdAt: DATE });
    const html = renderLocalProfile(p, 'html');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.match(/class="banner"/g)?.length).toBe(2);
    expect(html.indexOf('OFFICIAL-SENSITIVE')).toBeLessThan(html.indexOf('<h1>'));
    const md = renderLocalProfile(p, 'markdown');
    expect(md).not.toContain('<script>');
    expect(md).toContain('\\<script\\>');
    expect(md).toContain('\\*x\\* \\| y');
    expect(md.trim().startsWith('**OFFICIAL-SENSITIVE**')).toBe(true);
    expect(md.trim().endsWith(md.trim().split('\n')[0]!)).toBe(true);
    const csv = renderLocalProfile(p, 'csv');
    expect(csv.split('\r\n')[0]!.startsWith('classification,OFFICIAL-SENSITIVE,audience,police-analyst')).toBe(true);
    const json = JSON.parse(renderLocalProfile(p, 'json')) as LocalProfile;
    expect(json.atRisk.length).toBe(p.atRisk.length);
  });
});
