/**
 * Research exports carry no intelligence text and nothing whose only evidence
 * is not permitted for research: on a hand-made scenario with a CHIS-only
 * nominal, C and R links and a C-graded record (research.fixtures.ts), every
 * expectation below is worked out by hand from the records, for the default
 * (handling P only) and for configurations that permit more. On the town,
 * the P-only export is compared with a projection of the P records made
 * here, apart from the anonymiser.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildNetwork, projectPersons } from '@ocgnet/graph';
import type { Marking } from '@ocgnet/schema';
import { anonymisePersons, manifestJson, Pseudonymiser } from '../src/index.js';
import {
  CHIS_CONDITION,
  CONTEXT,
  exportAndAttack,
  recordsIn,
  TEST_KEY,
  town,
  writeChisScenario,
} from './research.fixtures.js';

const folder = mkdtempSync(join(tmpdir(), 'ocgnet-research-use-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
writeChisScenario(folder);

const ALL = () => true;
const NOT_LEGACY = (marking: Marking) => marking.handling !== 'R';

describe('what may be used for research', () => {
  it('by default (handling P only): no CHIS-only nominal, no C-graded record, no tie, weight, channel, date, area or reference date from C or R evidence', async () => {
    const { network, persons } = await recordsIn(folder);
    const anonymised = anonymisePersons(persons, network, new Pseudonymiser(TEST_KEY), { minK: 1 });
    expect([...anonymised.pseudonymOf.keys()].sort()).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6']);
    const name = (id: string) => anonymised.pseudonymOf.get(id)!;
    const { graph } = anonymised;
    // The ring only: P4–P6 rests on legacy intelligence alone.
    expect(graph.size).toBe(6);
    expect(graph.hasEdge(name('P4'), name('P6'))).toBe(false);
    const tie = graph.getEdgeAttributes(graph.edge(name('P1'), name('P2'))!);
    expect(tie).toMatchObject({ weight: 1, channels: 'associate', first_seen: '2024-01', last_seen: '2024-01' });
    // Home from the P address; ages at the latest P date (2024-06-30): P1 is 34.
    expect(graph.getNodeAttributes(name('P1'))).toEqual({ age_band: '25-34', area: 'Northgate' });
    expect(anonymised.referenceDate).toBe('2024-06');
    expect(anonymised).toMatchObject({ handling: 'P', conditionsApply: false, leftOut: { nominals: 2 } });
  });

  it('when everything is permitted: PX and PY come in, the C tie adds its weight, channel and date, the R address and dates count', async () => {
    const { network, persons } = await recordsIn(folder);
    const anonymised = anonymisePersons(persons, network, new Pseudonymiser(TEST_KEY), { minK: 1, researchUse: ALL });
    expect([...anonymised.pseudonymOf.keys()].sort()).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'PX', 'PY']);
    const name = (id: string) => anonymised.pseudonymOf.get(id)!;
    const { graph } = anonymised;
    expect(graph.size).toBe(6 + 2 + 1 + 1);
    expect(graph.getEdgeAttributes(graph.edge(name('P1'), name('P2'))!)).toMatchObject({
      weight: 6,
      channels: 'associate;co_offender',
      first_seen: '2024-01',
      last_seen: '2025-03',
    });
    // The latest date is now the C link's (2025-03-02): P1 is 35.
    expect(graph.getNodeAttributes(name('P1'))).toEqual({ age_band: '35-44', area: 'Southside' });
    expect(anonymised).toMatchObject({ handling: 'R', conditionsApply: true, leftOut: { nominals: 0, links: 0 } });
  });

  it('when C is permitted but not R: the CHIS ties come in, the legacy ones stay out', async () => {
    const { network, persons } = await recordsIn(folder);
    const anonymised = anonymisePersons(persons, network, new Pseudonymiser(TEST_KEY), {
      minK: 1,
      researchUse: NOT_LEGACY,
    });
    const name = (id: string) => anonymised.pseudonymOf.get(id)!;
    expect(anonymised.pseudonymOf.has('PX')).toBe(true);
    expect(anonymised.graph.hasEdge(name('P4'), name('P6'))).toBe(false);
    expect(anonymised.graph.getNodeAttribute(name('P1'), 'area')).toBe('Northgate');
    expect(anonymised.handling).toBe('C');
  });

  it('no export file and no manifest quotes a condition, or carries a per-item handling code, whatever is permitted', async () => {
    const { network, persons } = await recordsIn(folder);
    for (const researchUse of [undefined, NOT_LEGACY, ALL]) {
      const exported = exportAndAttack(
        { model: 'records', network, persons },
        TEST_KEY,
        { minK: 2, perturb: true, ...(researchUse ? { researchUse } : {}) },
        CONTEXT,
      );
      expect(exported.ok, exported.ok ? '' : exported.reason).toBe(true);
      if (!exported.ok) return;
      const texts = [...exported.files.values(), manifestJson(exported.manifest)];
      for (const text of texts) {
        expect(text).not.toContain('CHIS');
        expect(text).not.toContain('IR-2024-0042');
        expect(text).not.toContain(CHIS_CONDITION.slice(0, 20));
      }
      expect(exported.files.get('edges.csv')!.split('\n')[0]).toBe(
        'source,target,weight,channels,assessment,first_seen,last_seen',
      );
      expect(exported.files.get('nodes.csv')!.split('\n')[0]).toBe('id,label,age_band,area');
      expect(exported.files.get('graph.graphml')).not.toContain('attr.name="handling"');
      const { marking } = exported.manifest;
      expect(Object.keys(marking).sort()).toEqual(['conditionsApply', 'handling', 'statement']);
      expect(marking.handling).toBe(researchUse === undefined ? 'P' : researchUse === ALL ? 'R' : 'C');
      expect(marking.conditionsApply).toBe(researchUse !== undefined);
      if (marking.conditionsApply && marking.handling === 'C')
        expect(marking.statement).toMatch(/conditions apply .* the data controller holds them/);
      // Nothing in the manifest counts what was left out.
      expect(manifestJson(exported.manifest)).not.toMatch(/leftOut|left_out/);
    }
  });
});

describe('the P-only export of the town', () => {
  it('has exactly the ties and weights of a projection of the P records alone, made apart from the anonymiser', async () => {
    const { records, persons, network } = await town();
    const isP = (grading: { system: string; handling?: string } | undefined) =>
      grading === undefined || (grading.system === '3x5x2' && grading.handling === 'P');
    const entities = records.entities.filter((entity) => isP(entity.grading));
    const kept = new Set(entities.map((entity) => entity.id));
    const links = records.links.filter((link) => isP(link.grading) && kept.has(link.from) && kept.has(link.to));
    const linked = new Set(links.flatMap((link) => [link.from, link.to]));
    const onlyP = projectPersons(
      buildNetwork({ entities: entities.filter((entity) => entity.kind !== 'person' || linked.has(entity.id)), links }),
    );
    const anonymised = anonymisePersons(persons, network, new Pseudonymiser(TEST_KEY), { minK: 1 });
    expect(records.links.length - links.length).toBeGreaterThan(100);
    expect(anonymised.graph.order).toBe(onlyP.order);
    expect(anonymised.graph.size).toBe(onlyP.size);
    onlyP.forEachEdge((_edge, attributes, source, target) => {
      const edge = anonymised.graph.edge(anonymised.pseudonymOf.get(source)!, anonymised.pseudonymOf.get(target)!);
      expect(edge, `${source} ${target}`).toBeDefined();
      expect(anonymised.graph.getEdgeAttribute(edge!, 'weight')).toBe(attributes.weight);
      expect(anonymised.graph.getEdgeAttribute(edge!, 'channels')).toBe(attributes.channels.join(';'));
    });
  });
});
