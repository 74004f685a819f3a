/**
 * Terse builders for hand-written record sets. Every set goes through the
 * schema's RecordFileSchema, so the tests run on records the real model accepts.
 */
import { RecordFileSchema, type Entity, type Grading, type Link, type LinkType, type RecordSet } from '@ocgnet/schema';

/**
 * A grading from a short code: "1A P", "3C C:cond text" (C with its
 * conditions after the colon), or "5x5x5:B24".
 */
export function grading(code: string): Grading {
  if (code.startsWith('5x5x5:')) return { system: '5x5x5', recorded: code.slice(6) };
  const match = /^([123])([A-E]) ([PC])(?::(.+))?$/.exec(code);
  if (match === null) throw new Error(`bad grading code ${code}`);
  const [, source, intelligence, handling, conditions] = match;
  return {
    system: '3x5x2',
    source: source as '1' | '2' | '3',
    intelligence: intelligence as 'A' | 'B' | 'C' | 'D' | 'E',
    handling: handling as 'P' | 'C',
    ...(conditions !== undefined ? { conditions } : {}),
  };
}

type Extra = Record<string, unknown>;

export const person = (id: string, extra: Extra = {}): Entity => ({
  id,
  kind: 'person',
  label: `Person ${id}`,
  ...extra,
});
export const location = (id: string, extra: Extra = {}): Entity => ({
  id,
  kind: 'location',
  label: `Location ${id}`,
  ...extra,
});
export const phone = (id: string, extra: Extra = {}): Entity => ({ id, kind: 'phone', label: `Phone ${id}`, ...extra });
export const vehicle = (id: string, extra: Extra = {}): Entity => ({
  id,
  kind: 'vehicle',
  label: `Vehicle ${id}`,
  ...extra,
});
export const business = (id: string, extra: Extra = {}): Entity => ({
  id,
  kind: 'business',
  label: `Business ${id}`,
  ...extra,
});
export const event = (id: string, extra: Extra = {}): Entity => ({
  id,
  kind: 'event',
  label: `Event ${id}`,
  event_type: 'incident',
  ...extra,
});
export const ocg = (id: string, extra: Extra = {}): Entity => ({ id, kind: 'ocg', label: `OCG ${id}`, ...extra });

/** A link graded 1A P from source "test" unless `extra` says otherwise; member_of gets role "significant". */
export function link(id: string, type: LinkType, from: string, to: string, extra: Extra = {}): Link {
  const { grade, ...rest } = extra as Extra & { grade?: string };
  return {
    id,
    type,
    from,
    to,
    source: 'test',
    grading: grading(grade ?? '1A P'),
    ...(type === 'member_of' ? { role: 'significant' } : {}),
    ...rest,
  };
}

/** A record set, checked by the schema. */
export function records(entities: Entity[], links: Link[]): RecordSet {
  const parsed = RecordFileSchema.parse({ schema_version: 1, entities, links });
  return { entities: parsed.entities, links: parsed.links };
}
