/** Shared checks for generator tests: validity of a record set and hidden-member ties. */
import { EntitySchema, LinkSchema, linkEndpointProblems, type Entity, type Link } from '@ocgnet/schema';
import { generateScenario, type ScenarioChunk } from '../src/index.js';
import { type ScenarioOptions } from '../src/scenario.js';
import { type TruthRow } from '../src/builder.js';

export function collect(options: ScenarioOptions): ScenarioChunk {
  const all: ScenarioChunk = { town: '', entities: [], links: [], truth: [] };
  for (const chunk of generateScenario(options)) {
    all.town = all.town ? `${all.town},${chunk.town}` : chunk.town;
    all.entities.push(...chunk.entities);
    all.links.push(...chunk.links);
    all.truth.push(...chunk.truth);
  }
  return all;
}

/** Every schema, endpoint and uniqueness problem, as readable strings (empty when sound). */
export function problems(chunk: ScenarioChunk, limit = 20): string[] {
  const found: string[] = [];
  const byId = new Map<string, Entity>();
  for (const entity of chunk.entities) {
    const parsed = EntitySchema.safeParse(entity);
    if (!parsed.success) found.push(`entity ${entity.id}: ${parsed.error.message}`);
    if (byId.has(entity.id)) found.push(`duplicate entity id ${entity.id}`);
    byId.set(entity.id, entity);
  }
  const linkIds = new Set<string>();
  for (const link of chunk.links) {
    const parsed = LinkSchema.safeParse(link);
    if (!parsed.success) found.push(`link ${link.id}: ${parsed.error.message}`);
    if (linkIds.has(link.id) || byId.has(link.id)) found.push(`duplicate link id ${link.id}`);
    linkIds.add(link.id);
    for (const problem of linkEndpointProblems(link, (id) => byId.get(id)))
      found.push(`link ${link.id} ${problem.field}: ${problem.reason}`);
    if (found.length >= limit) break;
  }
  return found.slice(0, limit);
}

/** Dates a link or event carries. */
export function linkDates(link: Link): string[] {
  return [link.date, link.first_seen, link.last_seen].filter((date): date is string => date !== undefined);
}

/**
 * Distinct pieces of evidence tying a person to other members of their true
 * group: direct person links, shared events, calls between their phones, and
 * shared addresses.
 */
export function tiesToGroup(chunk: ScenarioChunk, person: string, truth: readonly TruthRow[]): number {
  const group = truth.find((row) => row.nominal_id === person)!.group_id;
  const others = new Set(
    truth.filter((row) => row.group_id === group && row.nominal_id !== person).map((row) => row.nominal_id),
  );
  const usersOf = new Map<string, Set<string>>();
  for (const link of chunk.links) {
    if (
      link.type === 'attended' ||
      link.type === 'uses_phone' ||
      link.type === 'lives_at' ||
      link.type === 'uses_address'
    ) {
      const set = usersOf.get(link.to) ?? new Set<string>();
      set.add(link.from);
      usersOf.set(link.to, set);
    }
  }
  let ties = 0;
  for (const link of chunk.links) {
    if ((link.from === person && others.has(link.to)) || (link.to === person && others.has(link.from))) ties++;
  }
  for (const [, users] of usersOf) {
    if (users.has(person) && [...users].some((user) => others.has(user))) ties++;
  }
  for (const link of chunk.links) {
    if (link.type !== 'phone_contact') continue;
    const a = usersOf.get(link.from) ?? new Set();
    const b = usersOf.get(link.to) ?? new Set();
    if ((a.has(person) && [...b].some((u) => others.has(u))) || (b.has(person) && [...a].some((u) => others.has(u))))
      ties++;
  }
  return ties;
}
