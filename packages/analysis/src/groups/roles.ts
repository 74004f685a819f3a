/**
 * Roles within groups: who is core, who is peripheral, and who likely leads.
 *
 * Each group (a mapped OCG or a detected community) is read on its own
 * induced subgraph, in the undirected simple view of the graph (`csrOf`):
 *
 * - coreness: k-core number within the group (Seidman 1983; computed by the
 *   Batagelj & Zaversnik 2003 bucket algorithm). The **core** is the members
 *   with the group's maximum k-core number; the rest are **periphery**. A
 *   group with no internal ties has an empty core.
 * - ranking: within-group degree (distinct neighbours in the group), then
 *   within-group betweenness (Brandes 2001, unweighted shortest paths, each
 *   unordered pair once, unnormalised: as networkx
 *   `betweenness_centrality(normalized=False)` on the induced subgraph), then
 *   within-group weighted degree, then node key.
 * - **likely principal**: the top-ranked member; **likely lieutenants**: the
 *   next `lieutenants` (default 3) members. Only members with at least one
 *   tie inside the group are named: a member nobody in the group is tied to
 *   cannot be read as leading it.
 *
 * These are structural hints for an analyst, not findings: a principal who
 * keeps their distance (and so has few recorded ties) ranks low here.
 */
import type { AbstractGraph } from 'graphology-types';
import { csrOf, inducedCsr, type CsrGraph } from '../csr.js';
import { corenessOnCsr } from '../metrics/coreness.js';
import { betweennessOnCsr } from '../metrics/betweenness.js';
import { strengthOnCsr } from '../metrics/degree.js';
import { compareIds } from '@ocgnet/schema';
import { compareGroupLabels, type Partition } from './partition.js';

export interface GroupRolesOptions {
  /** How many likely lieutenants to name after the principal. */
  lieutenants: number;
  /** Edge attribute for the weighted degree used as a tie-break, or null. */
  weightAttribute: string | null;
  /** Groups larger than this skip betweenness (O(n·m)); it is then NaN and ranking uses degree and weighted degree. */
  betweennessLimit: number;
}

export const DEFAULT_GROUP_ROLES_OPTIONS: GroupRolesOptions = {
  lieutenants: 3,
  weightAttribute: 'weight',
  betweennessLimit: 5000,
};

/** One member's position inside their group. */
export interface MemberPosition {
  node: string;
  /** 1 for the top-ranked member. */
  rank: number;
  /** Distinct neighbours inside the group. */
  degree: number;
  /** Summed weight of ties inside the group. */
  strength: number;
  /** Betweenness inside the group's induced subgraph; NaN above `betweennessLimit`. */
  betweenness: number;
  /** k-core number inside the group's induced subgraph. */
  coreness: number;
  core: boolean;
}

export interface GroupRoles {
  group: string | number;
  size: number;
  /** Ties inside the group. */
  ties: number;
  maxCoreness: number;
  /** Members with the group's maximum coreness, sorted by rank. */
  core: string[];
  /** The other members, sorted by rank. */
  periphery: string[];
  likelyPrincipal: string | null;
  likelyLieutenants: string[];
  /** Every member, by rank. */
  members: MemberPosition[];
}

/** Members of each group as CSR indices, groups in label order (numbers first, ascending; then strings). */
export function groupIndices(csr: CsrGraph, groupOf: Partition): [string | number, number[]][] {
  const byGroup = new Map<string | number, number[]>();
  for (let i = 0; i < csr.n; i++) {
    const group = groupOf[csr.ids[i]!];
    if (group === undefined) continue;
    let list = byGroup.get(group);
    if (list === undefined) byGroup.set(group, (list = []));
    list.push(i);
  }
  return [...byGroup.entries()].sort((x, y) => compareGroupLabels(x[0], y[0]));
}

/**
 * Core, periphery, likely principal and likely lieutenants of every group in
 * `groupOf` (node → group label; nodes without a label, or not in the graph,
 * are left out). Groups come in label order: numbers ascending, then strings.
 */
export function groupRoles(
  graph: AbstractGraph,
  groupOf: Partition,
  options: Partial<GroupRolesOptions> = {},
): GroupRoles[] {
  const { lieutenants, weightAttribute, betweennessLimit } = { ...DEFAULT_GROUP_ROLES_OPTIONS, ...options };
  const csr = csrOf(graph, { weightAttribute });
  const result: GroupRoles[] = [];
  for (const [group, indices] of groupIndices(csr, groupOf)) {
    // Roles are read inside the group alone: its induced subgraph.
    const inside = inducedCsr(csr, indices);
    const coreness = corenessOnCsr(inside);
    const betweenness =
      indices.length <= betweennessLimit
        ? betweennessOnCsr(inside, { normalized: false })
        : new Float64Array(indices.length).fill(Number.NaN);
    const strength = strengthOnCsr(inside);
    const ties = inside.m;
    const adjacency = { length: (k: number) => inside.offsets[k + 1]! - inside.offsets[k]! };
    let maxCoreness = 0;
    for (const c of coreness) if (c > maxCoreness) maxCoreness = c;
    const members: MemberPosition[] = indices.map((i, k) => ({
      node: csr.ids[i]!,
      rank: 0,
      degree: adjacency.length(k),
      strength: strength[k]!,
      betweenness: betweenness[k]!,
      coreness: coreness[k]!,
      core: maxCoreness > 0 && coreness[k] === maxCoreness,
    }));
    members.sort(
      (x, y) =>
        y.degree - x.degree ||
        (Number.isNaN(x.betweenness) ? 0 : y.betweenness - x.betweenness) ||
        y.strength - x.strength ||
        compareIds(x.node, y.node),
    );
    members.forEach((member, r) => (member.rank = r + 1));
    const named = members.filter((member) => member.degree > 0).map((member) => member.node);
    result.push({
      group,
      size: indices.length,
      ties,
      maxCoreness,
      core: members.filter((member) => member.core).map((member) => member.node),
      periphery: members.filter((member) => !member.core).map((member) => member.node),
      likelyPrincipal: named[0] ?? null,
      likelyLieutenants: named.slice(1, 1 + lieutenants),
      members,
    });
  }
  return result;
}
