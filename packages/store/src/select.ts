/**
 * The reference semantics of a record query, as a pure function over a record
 * set. Stores may push filters down into their engine, but must return exactly
 * what this returns; the contract suite checks them against it.
 */
import {
  entityMarking,
  linkInterval,
  linkMarking,
  isAtLeastAsStrict,
  type Entity,
  type HandlingMarking,
  type Link,
  type RecordSet,
} from '@ocgnet/schema';
import type { RecordQuery } from './contract.js';
import { StoreError } from './errors.js';
import { sortRecordSet } from './content.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks a query's shape; throws StoreError('USAGE') naming the bad field. */
export function checkRecordQuery(query: RecordQuery): void {
  for (const end of ['from', 'to'] as const) {
    const value = query.window?.[end];
    if (
      value !== undefined &&
      (!DATE.test(value) ||
        Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ||
        new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value)
    )
      throw new StoreError('USAGE', `window.${end}: must be YYYY-MM-DD, not ${JSON.stringify(value)}`);
  }
  if (query.hops !== undefined && (!Number.isInteger(query.hops) || query.hops < 0 || query.hops > 10)) {
    throw new StoreError('USAGE', `hops: must be a whole number from 0 to 10, not ${query.hops}`);
  }
  if (query.hops !== undefined && query.hops > 0 && query.entityIds === undefined) {
    throw new StoreError('USAGE', 'hops: needs entityIds to start from');
  }
}

function visibleAt(handling: HandlingMarking, max: HandlingMarking | undefined): boolean {
  return max === undefined || isAtLeastAsStrict(max, handling);
}

/** Does the link's interval overlap the window? Undated links never do. */
export function linkInWindow(link: Link, window: RecordQuery['window']): boolean {
  if (window === undefined || (window.from === undefined && window.to === undefined)) return true;
  const { start, end } = linkInterval(link);
  if (start === undefined && end === undefined) return false;
  if (window.to !== undefined && start !== undefined && start > window.to) return false;
  if (window.from !== undefined && end !== undefined && end < window.from) return false;
  return true;
}

/**
 * Entities: the named ones and everything within `hops` of them over links
 * that pass the link filters (or every entity when none is named), of the
 * allowed handling; then the `kinds` filter (named entities exempt). Links:
 * those passing window and handling whose both ends were selected.
 * Both lists are sorted by id.
 */
export function selectRecords(records: RecordSet, query: RecordQuery = {}): RecordSet {
  checkRecordQuery(query);
  const entityById = new Map<string, Entity>(records.entities.map((entity) => [entity.id, entity]));
  const visibleEntity = (entity: Entity) => visibleAt(entityMarking(entity).handling, query.maxHandling);
  const usableLinks = records.links.filter(
    (link) => visibleAt(linkMarking(link).handling, query.maxHandling) && linkInWindow(link, query.window),
  );

  let selected: Set<string>;
  const named = new Set(query.entityIds ?? []);
  if (query.entityIds !== undefined) {
    const missing = query.entityIds.filter((id) => !entityById.has(id) || !visibleEntity(entityById.get(id)!));
    if (missing.length > 0)
      throw new StoreError('NOT_FOUND', `no entity with id ${missing.map((id) => JSON.stringify(id)).join(', ')}`);
    selected = new Set(named);
    const neighbours = new Map<string, string[]>();
    for (const link of usableLinks) {
      for (const [a, b] of [
        [link.from, link.to],
        [link.to, link.from],
      ] as const) {
        const list = neighbours.get(a);
        if (list) list.push(b);
        else neighbours.set(a, [b]);
      }
    }
    let frontier = [...named];
    for (let hop = 0; hop < (query.hops ?? 0) && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const neighbour of neighbours.get(id) ?? []) {
          if (selected.has(neighbour) || !visibleEntity(entityById.get(neighbour)!)) continue;
          selected.add(neighbour);
          next.push(neighbour);
        }
      }
      frontier = next;
    }
  } else {
    selected = new Set(records.entities.filter(visibleEntity).map((entity) => entity.id));
  }
  if (query.kinds !== undefined) {
    const kinds = new Set<string>(query.kinds);
    for (const id of selected) if (!named.has(id) && !kinds.has(entityById.get(id)!.kind)) selected.delete(id);
  }
  return sortRecordSet({
    entities: records.entities.filter((entity) => selected.has(entity.id)),
    links: usableLinks.filter((link) => selected.has(link.from) && selected.has(link.to)),
  });
}
