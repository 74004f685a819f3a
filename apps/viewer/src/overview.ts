/**
 * The community overview: the person projection drawn as one node per community.
 * A community node's size is its member count, its colour the mapped OCG/USG most of
 * its members belong to (or unmapped), its position the centroid of its members'
 * stored positions, and an edge between two communities weighs the number of
 * person–person links between them. An opened community is replaced by its members,
 * at their own positions, with their own links. Safeguarding subjects stay visible as
 * such: a community holding any is marked `safeguarding` (the ring) with their count.
 */
import Graph from 'graphology';
import { isSafeguardingNode } from '@ocgnet/schema';
import { communityOf } from './communities.js';

export const COMMUNITY_PREFIX = 'community:';
/** Above this many persons the viewer opens on the overview. */
export const OVERVIEW_THRESHOLD = 2000;

export function communityKey(community: string): string {
  return `${COMMUNITY_PREFIX}${community}`;
}
export function isCommunityKey(node: string): boolean {
  return node.startsWith(COMMUNITY_PREFIX);
}
export function communityOfKey(node: string): string {
  return node.slice(COMMUNITY_PREFIX.length);
}

/** What a community node carries (the overview graph is built here, never from data, so these names are safe). */
export interface CommunityNode {
  kind: 'community';
  community: string;
  label: string;
  members: number;
  /** Members who are safeguarding subjects (vulnerable, under 18, exploited, cuckooed). */
  safeguardingCount: number;
  safeguarding: boolean;
  /** The mapped group most of its mapped members belong to; the `unmapped` name when none is mapped. */
  dominantGroup: string;
  /** Members per mapped group (the unmapped name included), largest first. */
  groups: [string, number][];
  x: number;
  y: number;
}

export interface OverviewOptions {
  /** Persons shown (filters applied); others are left out of the counts. */
  nodes: ReadonlySet<string>;
  /** Person-projection edges shown. */
  edges: ReadonlySet<string>;
  /** Communities opened into their members. */
  open: ReadonlySet<string>;
  groupOf: (person: string) => string;
  unmapped: string;
}

/**
 * The community's OCG overlap: the mapped group with most members (ties by name), or
 * `unmapped` when no member is mapped. Unmapped members are not a group: in a large town
 * most nominals are unmapped, and counting them would grey out every community.
 */
function dominant(groups: Map<string, number>, unmapped: string): [string, [string, number][]] {
  const sorted = [...groups].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return [sorted.find(([group]) => group !== unmapped)?.[0] ?? unmapped, sorted];
}

function communityNode(persons: Graph, community: string, members: string[], options: OverviewOptions): CommunityNode {
  let x = 0;
  let y = 0;
  let safeguardingCount = 0;
  const groups = new Map<string, number>();
  for (const member of members) {
    const attributes = persons.getNodeAttributes(member);
    x += Number(attributes.x) || 0;
    y += Number(attributes.y) || 0;
    if (attributes.safeguarding === true || isSafeguardingNode(attributes)) safeguardingCount += 1;
    const group = options.groupOf(member);
    groups.set(group, (groups.get(group) ?? 0) + 1);
  }
  const [dominantGroup, sorted] = dominant(groups, options.unmapped);
  const size = members.length;
  return {
    kind: 'community',
    community,
    label: `community ${community} · ${size} ${size === 1 ? 'member' : 'members'}${safeguardingCount > 0 ? ` · ${safeguardingCount} safeguarding` : ''}`,
    members: size,
    safeguardingCount,
    safeguarding: safeguardingCount > 0,
    dominantGroup,
    groups: sorted,
    x: x / size,
    y: y / size,
  };
}

/**
 * The overview graph of the shown persons: a node per closed community, the members of
 * open ones, person links inside open ones kept as they are (same keys), every other link
 * summed into one edge per pair with `weight` = the number of person–person links.
 */
export function buildOverview(persons: Graph, options: OverviewOptions): Graph {
  const overview = new Graph({ type: 'undirected' });
  const byCommunity = new Map<string, string[]>();
  for (const node of options.nodes) {
    if (!persons.hasNode(node)) continue;
    const community = communityOf(persons.getNodeAttributes(node));
    const list = byCommunity.get(community);
    if (list) list.push(node);
    else byCommunity.set(community, [node]);
  }
  const representative = new Map<string, string>();
  for (const [community, members] of byCommunity) {
    if (options.open.has(community)) {
      for (const member of members) {
        overview.addNode(member, { ...persons.getNodeAttributes(member) });
        representative.set(member, member);
      }
    } else {
      const key = communityKey(community);
      overview.addNode(key, communityNode(persons, community, members, options));
      for (const member of members) representative.set(member, key);
    }
  }
  for (const edge of options.edges) {
    if (!persons.hasEdge(edge)) continue;
    const a = representative.get(persons.source(edge));
    const b = representative.get(persons.target(edge));
    if (a === undefined || b === undefined || a === b) continue;
    if (!isCommunityKey(a) && !isCommunityKey(b)) {
      overview.addEdgeWithKey(edge, a, b, { ...persons.getEdgeAttributes(edge) });
      continue;
    }
    const existing = overview.edge(a, b);
    if (existing === undefined) overview.addEdge(a, b, { weight: 1, kind: 'between-communities' });
    else overview.updateEdgeAttribute(existing, 'weight', (weight: number) => weight + 1);
  }
  return overview;
}

const largestCache = new WeakMap<Graph, number>();

/** Largest community of an overview graph, for sizing; at least 1. */
export function largestCommunity(overview: Graph): number {
  let largest = largestCache.get(overview);
  if (largest === undefined) {
    largest = 1;
    overview.forEachNode((_node, attributes) => {
      if (attributes.kind === 'community') largest = Math.max(largest!, Number(attributes.members) || 0);
    });
    largestCache.set(overview, largest);
  }
  return largest;
}

/** Disc radius of a community of `members` when the largest has `largest`: area grows with the count. */
export function communitySize(members: number, largest: number): number {
  return 4 + 18 * Math.sqrt(Math.max(0, members) / Math.max(1, largest));
}
