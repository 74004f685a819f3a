/**
 * Aliases in a bundle: a person's aliases come with the person's record, and only from
 * the audience-reduced records the builder is given, so a partner's bundle carries no
 * alias from a record hidden from that partner.
 */
import { describe, expect, it } from 'vitest';
import { scenarioRecords } from '@ocgnet/generator';
import { audienceById, defaultAudiences, recordsForAudience } from '@ocgnet/profiles';
import type { Entity, RecordSet } from '@ocgnet/schema';
import { buildViewerBundle } from '../src/build.js';

const audiences = defaultAudiences();
const analyst = audienceById(audiences, 'police-analyst');
const housing = audienceById(audiences, 'partner-agency:housing');
const HIDDEN_ALIAS = 'Zed-Hidden-Alias';

/** The small town with one aliased person's record made C, released to nobody (analysts only). */
function townWithHiddenAlias(): { records: RecordSet; hidden: string; visible: Entity } {
  const records = scenarioRecords({ size: 'small', seed: 42 });
  const aliased = records.entities.filter(
    (entity) => entity.kind === 'person' && entity.aliases !== undefined && entity.aliases.length > 0,
  );
  const [hiddenPerson, visible] = [aliased[0]!, aliased[1]!];
  const hidden = {
    ...(hiddenPerson as Extract<Entity, { kind: 'person' }>),
    aliases: [HIDDEN_ALIAS],
    grading: { system: '3x5x2', source: '2', intelligence: 'B', handling: 'C', conditions: 'analysts only' },
  } as Entity;
  return {
    records: { ...records, entities: records.entities.map((entity) => (entity === hiddenPerson ? hidden : entity)) },
    hidden: hidden.id,
    visible,
  };
}

function aliasesIn(bundle: ReturnType<typeof buildViewerBundle>): Map<string, unknown> {
  return new Map(bundle.graph.nodes.map((node) => [node.key, node.attributes?.aliases]));
}

describe('aliases in a viewer bundle', () => {
  const { records, hidden, visible } = townWithHiddenAlias();

  it("an analyst's bundle carries each person's aliases, exactly as recorded", () => {
    const bundle = buildViewerBundle(recordsForAudience(records, analyst), { audience: analyst, plans: false });
    const aliases = aliasesIn(bundle);
    expect(aliases.get(hidden)).toEqual([HIDDEN_ALIAS]);
    expect(aliases.get(visible.id)).toEqual((visible as { aliases: string[] }).aliases);
    for (const entity of records.entities)
      if (entity.kind === 'person') expect(aliases.get(entity.id)).toEqual(entity.aliases);
  });

  it("a partner's bundle carries no alias from a record hidden from it, and keeps those it may see", () => {
    const reduced = recordsForAudience(records, housing);
    expect(reduced.entities.some((entity) => entity.id === hidden)).toBe(false);
    const bundle = buildViewerBundle(reduced, { audience: housing, plans: false });
    expect(JSON.stringify(bundle)).not.toContain(HIDDEN_ALIAS);
    expect(aliasesIn(bundle).get(visible.id)).toEqual((visible as { aliases: string[] }).aliases);
  });
});
