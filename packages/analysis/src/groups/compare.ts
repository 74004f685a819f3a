/**
 * Communities compared with the groups police have mapped.
 *
 * - {@link nmi}: normalised mutual information, arithmetic-mean normalisation
 *   (Strehl & Ghosh 2002; Vinh, Epps & Bailey 2010), equal to scikit-learn's
 *   `normalized_mutual_info_score` with its default `average_method`;
 * - {@link ari}: adjusted Rand index (Hubert & Arabie 1985), equal to
 *   scikit-learn's `adjusted_rand_score`;
 * - {@link mappingFromNetwork}: the mapped groups, read from `member_of` links;
 * - {@link compareWithMapping}: how each mapped group sits in the communities,
 *   which mapped members sit outside their group's community, and which
 *   unmapped nominals sit inside it (likely hidden members).
 */
import type { AbstractGraph } from 'graphology-types';
import { compareIds, isSafeguardingSubject, type MemberRole, type Person } from '@ocgnet/schema';
import { csrOf } from '../csr.js';
import type { Partition } from './partition.js';

export type { Partition } from './partition.js';

interface Contingency {
  n: number;
  /** Counts of each joint (a, b) label pair present. */
  joint: number[];
  /** Sizes of a's classes and b's classes. */
  sizesA: number[];
  sizesB: number[];
  /** For each joint entry, its a-class and b-class index. */
  jointA: number[];
  jointB: number[];
}

/** The contingency table over nodes labelled in both partitions, in a's key order. */
function contingency(a: Partition, b: Partition): Contingency {
  const classA = new Map<string | number, number>();
  const classB = new Map<string | number, number>();
  const cell = new Map<number, number>();
  const sizesA: number[] = [];
  const sizesB: number[] = [];
  const joint: number[] = [];
  const jointA: number[] = [];
  const jointB: number[] = [];
  const pending: [number, number][] = [];
  let n = 0;
  for (const node of Object.keys(a)) {
    const lb = b[node];
    if (lb === undefined) continue;
    const la = a[node]!;
    let i = classA.get(la);
    if (i === undefined) classA.set(la, (i = sizesA.push(0) - 1));
    let j = classB.get(lb);
    if (j === undefined) classB.set(lb, (j = sizesB.push(0) - 1));
    sizesA[i]!++;
    sizesB[j]!++;
    pending.push([i, j]);
    n++;
  }
  const width = sizesB.length;
  for (const [i, j] of pending) {
    const key = i * width + j;
    let k = cell.get(key);
    if (k === undefined) {
      cell.set(key, (k = joint.push(0) - 1));
      jointA.push(i);
      jointB.push(j);
    }
    joint[k]!++;
  }
  return { n, joint, sizesA, sizesB, jointA, jointB };
}

function entropy(sizes: number[], n: number): number {
  if (sizes.length <= 1) return 0;
  let h = 0;
  for (const size of sizes) h -= (size / n) * (Math.log(size) - Math.log(n));
  return h;
}

/**
 * Normalised mutual information of two labellings, over the nodes labelled in
 * both: I(a; b) / ((H(a) + H(b)) / 2), natural logarithms. As scikit-learn:
 * 1 when both put every node in one class, 0 when the mutual information is 0.
 * NaN when no node is labelled in both.
 */
export function nmi(a: Partition, b: Partition): number {
  const t = contingency(a, b);
  if (t.n === 0) return Number.NaN;
  if (t.sizesA.length === 1 && t.sizesB.length === 1) return 1;
  if (t.sizesA.length === 1 || t.sizesB.length === 1) return 0;
  // Term by term as scikit-learn's mutual_info_score, so results agree to rounding.
  let mi = 0;
  const logN = Math.log(t.n);
  for (let k = 0; k < t.joint.length; k++) {
    const nij = t.joint[k]!;
    const p = nij / t.n;
    const term =
      p * (Math.log(nij) - logN) + p * (-Math.log(t.sizesA[t.jointA[k]!]! * t.sizesB[t.jointB[k]!]!) + logN + logN);
    if (Math.abs(term) >= Number.EPSILON) mi += term;
  }
  if (mi <= 0) return 0;
  return mi / ((entropy(t.sizesA, t.n) + entropy(t.sizesB, t.n)) / 2);
}

/**
 * Adjusted Rand index of two labellings, over the nodes labelled in both:
 * the Rand index corrected for chance, 1 for identical partitions, about 0
 * for independent ones, possibly negative. Pair counts are exact (BigInt).
 * 1 when no pair disagrees (including fewer than two nodes), as scikit-learn.
 */
export function ari(a: Partition, b: Partition): number {
  const t = contingency(a, b);
  const n = BigInt(t.n);
  const sumSquares = t.joint.reduce((s, x) => s + BigInt(x) * BigInt(x), 0n);
  const squaresA = t.sizesA.reduce((s, x) => s + BigInt(x) * BigInt(x), 0n);
  const squaresB = t.sizesB.reduce((s, x) => s + BigInt(x) * BigInt(x), 0n);
  // scikit-learn's pair_confusion_matrix: ordered pairs of distinct nodes.
  const tp = sumSquares - n;
  const fp = squaresB - sumSquares; // same b-class, different a-class
  const fn = squaresA - sumSquares; // same a-class, different b-class
  const tn = n * n - fp - fn - sumSquares;
  if (fn === 0n && fp === 0n) return 1;
  const numerator = 2n * (tp * tn - fn * fp);
  const denominator = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
  return Number(numerator) / Number(denominator);
}

/** Member roles, highest first: the order that picks a person's primary group. */
export const ROLE_RANK: readonly MemberRole[] = [
  'principal',
  'lieutenant',
  'significant',
  'enabler',
  'runner',
  'peripheral',
];

/** The groups police have mapped, as read from the multimodal network. */
export interface GroupMapping {
  /** Person → primary group: the group of their highest-ranked role (ties: the smaller group id). */
  groupOf: Record<string, string>;
  /** Person → their role in the primary group. */
  roleOf: Record<string, MemberRole>;
  /** Person → every group they are mapped to, primary first, then by role rank, then group id. */
  groupsOf: Record<string, string[]>;
  /** Group → its mapped members, sorted (every membership, not only primary ones). */
  membersOf: Record<string, string[]>;
  /** Group → its kind. */
  kindOf: Record<string, 'ocg' | 'usg'>;
}

function rankOf(role: MemberRole | undefined): number {
  const r = role === undefined ? -1 : ROLE_RANK.indexOf(role);
  return r === -1 ? ROLE_RANK.length : r;
}

/** One `member_of` link: a person mapped to an OCG or USG, with the role if recorded. */
export interface Membership {
  person: string;
  group: string;
  kind: 'ocg' | 'usg';
  role: MemberRole | undefined;
}

/**
 * The mapping of a list of memberships, however they were read (from a
 * graphology network here, from Cypher rows in the GDS engine).
 *
 * A person mapped to several groups keeps all of them in `groupsOf`; the
 * primary group (`groupOf`, `roleOf`) is the one where they hold the
 * highest-ranked role in {@link ROLE_RANK} (principal > lieutenant >
 * significant > enabler > runner > peripheral), ties going to the smaller
 * group id. Two memberships of the same pair keep the higher role.
 */
export function mappingFromMemberships(memberships: Iterable<Membership>): GroupMapping {
  const best = new Map<string, Map<string, MemberRole | undefined>>();
  const kindOf: Record<string, 'ocg' | 'usg'> = Object.create(null);
  for (const { person, group, kind, role } of memberships) {
    kindOf[group] = kind;
    let groups = best.get(person);
    if (groups === undefined) best.set(person, (groups = new Map()));
    if (!groups.has(group) || rankOf(role) < rankOf(groups.get(group))) groups.set(group, role);
  }
  const groupOf: Record<string, string> = Object.create(null);
  const roleOf: Record<string, MemberRole> = Object.create(null);
  const groupsOf: Record<string, string[]> = Object.create(null);
  const members = new Map<string, string[]>();
  for (const person of [...best.keys()].sort(compareIds)) {
    const groups = [...best.get(person)!.entries()].sort(
      (x, y) => rankOf(x[1]) - rankOf(y[1]) || compareIds(x[0], y[0]),
    );
    const [primary, role] = groups[0]!;
    groupOf[person] = primary;
    if (role !== undefined) roleOf[person] = role;
    groupsOf[person] = groups.map(([group]) => group);
    for (const [group] of groups) {
      let list = members.get(group);
      if (list === undefined) members.set(group, (list = []));
      list.push(person);
    }
  }
  const membersOf: Record<string, string[]> = Object.create(null);
  for (const group of [...members.keys()].sort(compareIds)) membersOf[group] = members.get(group)!;
  return { groupOf, roleOf, groupsOf, membersOf, kindOf };
}

/**
 * Reads group membership from a multimodal network (as built by
 * `@ocgnet/graph`'s `buildNetwork`): every edge whose `type` attribute is
 * `member_of`, from a `person` node to an `ocg` or `usg` node, with the role
 * in the edge's `record.role`. See {@link mappingFromMemberships} for the rules.
 */
export function mappingFromNetwork(network: AbstractGraph): GroupMapping {
  const memberships: Membership[] = [];
  network.forEachEdge((_edge, attributes, source, target, sourceAttributes, targetAttributes) => {
    if (attributes.type !== 'member_of') return;
    const kind = targetAttributes.kind;
    if (sourceAttributes.kind !== 'person' || (kind !== 'ocg' && kind !== 'usg')) return;
    const role =
      (attributes.record as { role?: MemberRole } | undefined)?.role ?? (attributes.role as MemberRole | undefined);
    memberships.push({ person: source, group: target, kind, role });
  });
  return mappingFromMemberships(memberships);
}

/** How one mapped group sits among the communities. */
export interface GroupFit {
  group: string;
  /** Mapped members present in the partition. */
  size: number;
  /** Mapped members absent from the partition (not in the graph); left out of every figure. */
  missing: string[];
  /** Communities holding its members, most members first (ties: lower community number). */
  spans: { community: number; count: number }[];
  /** The community with the highest Jaccard index with the group; null when no member is present. */
  best: number | null;
  /** Size of the best community (all its nodes, mapped or not). */
  communitySize: number;
  /** Members in the best community. */
  overlap: number;
  /** overlap / communitySize: how much of the community is this group's mapped members. */
  precision: number;
  /** overlap / size: how much of the group the community holds. */
  recall: number;
  /** overlap / |group ∪ community|. */
  jaccard: number;
}

/** A mapped member who is not in their group's best community: a possible wrong assignment. */
export interface OutsideMember {
  node: string;
  group: string;
  /** The member's community. */
  community: number;
  /** Their group's best community. */
  best: number;
  /** Mapped groups whose best community is the member's community: where they may belong instead. */
  fitsGroups: string[];
}

/** An unmapped nominal inside a group's best community: a possible hidden member. */
export interface HiddenCandidate {
  node: string;
  group: string;
  community: number;
  /** Sum of edge weights to the group's mapped members. */
  strength: number;
  /** Number of the group's mapped members they are tied to. */
  ties: number;
  /** Flagged vulnerable, under 18, exploited or cuckooed: to be protected rather than targeted. */
  safeguarding: boolean;
}

/** Agreement of the communities with the mapping, over a set of nodes. */
export interface Agreement {
  nodes: number;
  nmi: number;
  ari: number;
}

export interface MappingComparison {
  /** One entry per mapped group, sorted by group id. */
  groups: GroupFit[];
  /** Over mapped nodes only: group against community. */
  mapped: Agreement;
  /** Over every node of the partition, each unmapped node a group of its own. */
  all: Agreement;
  /** Sorted by group, then node. */
  outsideMembers: OutsideMember[];
  /** Strongest first (strength, then ties, descending), then by group and node. */
  hiddenCandidates: HiddenCandidate[];
}

export interface CompareOptions {
  /** Edge attribute for tie strength, or null to count ties as 1 each. */
  weightAttribute: string | null;
  /** Fewest ties to the group's mapped members for an unmapped nominal to be a candidate. */
  minTies: number;
}

export const DEFAULT_COMPARE_OPTIONS: CompareOptions = { weightAttribute: 'weight', minTies: 1 };

export interface CompareInput {
  /** Node → community, e.g. `communities(graph).communityOf`. */
  communityOf: Readonly<Record<string, number>>;
  /** Person → mapped group, e.g. `mappingFromNetwork(network).groupOf`. */
  mapping: Readonly<Record<string, string>>;
  /** The graph the communities were found on (for tie strengths and node records). */
  graph: AbstractGraph;
}

/** A node is a nominal unless its attributes say it is another kind of entity. */
function nominalRecord(graph: AbstractGraph, node: string): { nominal: boolean; person?: Person } {
  const attributes = graph.getNodeAttributes(node);
  const record = attributes.record as { kind?: unknown } | undefined;
  const kind = attributes.kind ?? record?.kind;
  if (kind !== undefined && kind !== 'person') return { nominal: false };
  return record?.kind === 'person' ? { nominal: true, person: record as Person } : { nominal: true };
}

/**
 * Compares a partition into communities with the groups police have mapped.
 *
 * Each mapped group's best community is the one with the highest Jaccard
 * index between the group's mapped members and the whole community (ties:
 * more members, then lower community number). Precision and Jaccard count
 * every node of the community, mapped or not, so a community padded with
 * unmapped nominals scores lower even when those are hidden members.
 *
 * NMI and ARI are given twice: over mapped nodes only (does the partition
 * separate the mapped groups?), and over every node with each unmapped node a
 * group of its own (does it also keep unmapped nominals apart from groups?).
 * The first is the usual figure; the second punishes hidden members found
 * inside communities, so read it with the candidates list.
 *
 * Hidden candidates: unmapped nominals (nodes not in `mapping` whose kind, if
 * recorded, is person) in a group's best community with at least `minTies`
 * ties to that group's mapped members, ranked by the summed weight of those
 * ties. A nominal can be a candidate for several groups sharing a community.
 */
export function compareWithMapping(input: CompareInput, options: Partial<CompareOptions> = {}): MappingComparison {
  const { weightAttribute, minTies } = { ...DEFAULT_COMPARE_OPTIONS, ...options };
  const { communityOf, mapping, graph } = input;

  const communitySize = new Map<number, number>();
  const communityMembers = new Map<number, string[]>();
  for (const node of Object.keys(communityOf)) {
    const c = communityOf[node]!;
    communitySize.set(c, (communitySize.get(c) ?? 0) + 1);
    let list = communityMembers.get(c);
    if (list === undefined) communityMembers.set(c, (list = []));
    list.push(node);
  }

  const groupMembers = new Map<string, string[]>();
  for (const node of Object.keys(mapping).sort(compareIds)) {
    const group = mapping[node]!;
    let list = groupMembers.get(group);
    if (list === undefined) groupMembers.set(group, (list = []));
    list.push(node);
  }

  const groups: GroupFit[] = [];
  const bestOf = new Map<string, number>();
  for (const group of [...groupMembers.keys()].sort(compareIds)) {
    const present: string[] = [];
    const missing: string[] = [];
    const counts = new Map<number, number>();
    for (const node of groupMembers.get(group)!) {
      const c = communityOf[node];
      if (c === undefined) {
        missing.push(node);
        continue;
      }
      present.push(node);
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const spans = [...counts.entries()]
      .map(([community, count]) => ({ community, count }))
      .sort((x, y) => y.count - x.count || x.community - y.community);
    const fit: GroupFit = {
      group,
      size: present.length,
      missing,
      spans,
      best: null,
      communitySize: 0,
      overlap: 0,
      precision: 0,
      recall: 0,
      jaccard: 0,
    };
    for (const { community, count } of spans) {
      const size = communitySize.get(community)!;
      const jaccard = count / (present.length + size - count);
      // spans is sorted by count then community, so strict > keeps the documented tie-breaks.
      if (fit.best === null || jaccard > fit.jaccard) {
        Object.assign(fit, {
          best: community,
          communitySize: size,
          overlap: count,
          precision: count / size,
          recall: count / present.length,
          jaccard,
        });
      }
    }
    if (fit.best !== null) bestOf.set(group, fit.best);
    groups.push(fit);
  }

  const groupsWithBest = new Map<number, string[]>();
  for (const [group, c] of bestOf) {
    let list = groupsWithBest.get(c);
    if (list === undefined) groupsWithBest.set(c, (list = []));
    list.push(group);
  }

  const outsideMembers: OutsideMember[] = [];
  for (const fit of groups) {
    if (fit.best === null) continue;
    for (const node of groupMembers.get(fit.group)!) {
      const c = communityOf[node];
      if (c === undefined || c === fit.best) continue;
      outsideMembers.push({
        node,
        group: fit.group,
        community: c,
        best: fit.best,
        fitsGroups: groupsWithBest.get(c) ?? [],
      });
    }
  }

  const hiddenCandidates: HiddenCandidate[] = [];
  const csr = csrOf(graph, { weightAttribute });
  for (const fit of groups) {
    if (fit.best === null) continue;
    for (const node of communityMembers.get(fit.best)!) {
      if (mapping[node] !== undefined) continue;
      const i = csr.index.get(node);
      if (i === undefined) continue;
      const { nominal, person } = nominalRecord(graph, node);
      if (!nominal) continue;
      let strength = 0;
      let ties = 0;
      for (let s = csr.offsets[i]!; s < csr.offsets[i + 1]!; s++) {
        if (mapping[csr.ids[csr.targets[s]!]!] === fit.group) {
          strength += csr.weights[s]!;
          ties++;
        }
      }
      if (ties < minTies) continue;
      hiddenCandidates.push({
        node,
        group: fit.group,
        community: fit.best,
        strength,
        ties,
        safeguarding: person !== undefined && isSafeguardingSubject(person),
      });
    }
  }
  hiddenCandidates.sort(
    (x, y) => y.strength - x.strength || y.ties - x.ties || compareIds(x.group, y.group) || compareIds(x.node, y.node),
  );

  const mappedTruth: Record<string, string> = Object.create(null);
  const allTruth: Record<string, string> = Object.create(null);
  for (const node of Object.keys(communityOf)) {
    const group = mapping[node];
    if (group !== undefined) mappedTruth[node] = group;
    // Prefixes keep a group id and an unmapped node's own label apart.
    allTruth[node] = group === undefined ? `node:${node}` : `group:${group}`;
  }
  const mappedNodes = Object.keys(mappedTruth).length;
  return {
    groups,
    mapped: { nodes: mappedNodes, nmi: nmi(mappedTruth, communityOf), ari: ari(mappedTruth, communityOf) },
    all: { nodes: Object.keys(allTruth).length, nmi: nmi(allTruth, communityOf), ari: ari(allTruth, communityOf) },
    outsideMembers,
    hiddenCandidates,
  };
}
