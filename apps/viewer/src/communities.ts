/**
 * Who is in which community, and the colours communities and mapped groups get.
 * A person's community is its `community` attribute (from the bundle's analysis);
 * one without a number is "unassigned". Cached per graph: the bundle never changes
 * once open.
 */
import type Graph from 'graphology';
import type { Attributes } from 'graphology-types';
import { rankedColours, type RankedColours } from './palette.js';

export const UNASSIGNED = 'unassigned';
export const UNMAPPED_GROUP_COLOUR = '#b0b7bf';

export function communityOf(attributes: Attributes): string {
  const community = attributes.community;
  return typeof community === 'number' && Number.isFinite(community) ? String(community) : UNASSIGNED;
}

const membersCache = new WeakMap<Graph, Map<string, string[]>>();

/** Community → its members (persons graph node keys), in graph order. */
export function communityMembers(persons: Graph): Map<string, string[]> {
  let members = membersCache.get(persons);
  if (!members) {
    members = new Map();
    persons.forEachNode((node, attributes) => {
      const community = communityOf(attributes);
      const list = members!.get(community);
      if (list) list.push(node);
      else members!.set(community, [node]);
    });
    membersCache.set(persons, members);
  }
  return members;
}

const communityColourCache = new WeakMap<Graph, RankedColours>();

/** Community colours: the largest communities get the palette, the rest "other" grey. */
export function communityColours(persons: Graph): RankedColours {
  let colours = communityColourCache.get(persons);
  if (!colours) {
    const counts = new Map([...communityMembers(persons)].map(([community, list]) => [community, list.length]));
    colours = rankedColours(counts, new Map(counts.has(UNASSIGNED) ? [[UNASSIGNED, UNMAPPED_GROUP_COLOUR]] : []));
    communityColourCache.set(persons, colours);
  }
  return colours;
}

const groupColourCache = new WeakMap<ReadonlyMap<string, string>, RankedColours>();

/** Mapped-group colours by number of members; `unmapped` keeps the neutral grey. */
export function groupColours(groupOf: ReadonlyMap<string, string>, unmapped: string): RankedColours {
  let colours = groupColourCache.get(groupOf);
  if (!colours) {
    const counts = new Map<string, number>();
    for (const group of groupOf.values()) counts.set(group, (counts.get(group) ?? 0) + 1);
    colours = rankedColours(counts, new Map([[unmapped, UNMAPPED_GROUP_COLOUR]]));
    groupColourCache.set(groupOf, colours);
  }
  return colours;
}
