/**
 * Subject first: open on one node (an OCG, a nominal, a location, a search hit) and
 * show only it and its neighbours, then grow the picture one expansion at a time.
 * Each expansion lists the neighbours it brought in with the links that did (type,
 * dates, grading, handling code), and stops at a cap, saying how many more there are.
 */
import type Graph from 'graphology';
import type { Attributes } from 'graphology-types';

/** Neighbours one expansion adds at most; the rest are counted as "+N more". */
export const EXPAND_CAP = 25;

/** One link that brought a neighbour in. */
export interface Evidence {
  edge: string;
  linkTypes: string[];
  from: string | null;
  to: string | null;
  handling: string;
  conditions: string[];
  gradings: string[];
  weight: number;
}

export interface Expansion {
  node: string;
  added: { node: string; evidence: Evidence[] }[];
  /** Neighbours left out by the cap. */
  more: number;
}

export interface SubjectScope {
  subject: string;
  shown: Set<string>;
  expansions: Expansion[];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
}

/** The evidence attributes of a person association or a network link, read alike. */
export function evidenceOf(edge: string, attributes: Attributes): Evidence {
  const marking = (attributes.marking ?? {}) as { handling?: unknown; conditions?: unknown };
  return {
    edge,
    linkTypes: strings(attributes.linkTypes ?? attributes.type),
    from:
      typeof (attributes.firstSeen ?? attributes.start) === 'string'
        ? String(attributes.firstSeen ?? attributes.start)
        : null,
    to:
      typeof (attributes.lastSeen ?? attributes.end) === 'string'
        ? String(attributes.lastSeen ?? attributes.end)
        : null,
    handling: String(attributes.handling ?? marking.handling ?? 'P'),
    conditions: strings(marking.conditions),
    gradings: strings(attributes.gradings ?? attributes.grading),
    weight: typeof attributes.weight === 'number' && Number.isFinite(attributes.weight) ? attributes.weight : 1,
  };
}

/** Neighbours of `node` over shown links, each with its evidence, strongest first (then by id). */
function neighbourhood(
  graph: Graph,
  node: string,
  nodes: ReadonlySet<string>,
  edges: ReadonlySet<string>,
): { node: string; evidence: Evidence[] }[] {
  const byNeighbour = new Map<string, Evidence[]>();
  graph.forEachEdge(node, (edge, attributes, source, target) => {
    if (!edges.has(edge)) return;
    const other = source === node ? target : source;
    if (other === node || !nodes.has(other)) return;
    const list = byNeighbour.get(other) ?? [];
    list.push(evidenceOf(edge, attributes));
    byNeighbour.set(other, list);
  });
  const strength = (evidence: Evidence[]) => evidence.reduce((sum, item) => sum + item.weight, 0);
  return [...byNeighbour]
    .map(([neighbour, evidence]) => ({ node: neighbour, evidence, strength: strength(evidence) }))
    .sort((a, b) => b.strength - a.strength || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0))
    .map(({ node: neighbour, evidence }) => ({ node: neighbour, evidence }));
}

/**
 * What a subject-first view shows: the subject, then for the subject and each expanded
 * node in turn (those already shown; others wait), up to `cap` neighbours not yet shown.
 * A node listed again (the subject included) shows its next `cap` ("show more"), added to
 * its expansion. `nodes`/`edges` are what the filters leave.
 */
export function subjectScope(
  graph: Graph,
  subject: string,
  expanded: readonly string[],
  nodes: ReadonlySet<string>,
  edges: ReadonlySet<string>,
  cap = EXPAND_CAP,
): SubjectScope {
  const shown = new Set<string>([subject]);
  const expansions: Expansion[] = [];
  const expansionOf = new Map<string, Expansion>();
  for (const node of [subject, ...expanded]) {
    if (!shown.has(node)) continue;
    const fresh = neighbourhood(graph, node, nodes, edges).filter((neighbour) => !shown.has(neighbour.node));
    const added = fresh.slice(0, cap);
    for (const neighbour of added) shown.add(neighbour.node);
    const earlier = expansionOf.get(node);
    if (earlier !== undefined) {
      earlier.added.push(...added);
      earlier.more = fresh.length - added.length;
      continue;
    }
    const expansion = { node, added, more: fresh.length - added.length };
    expansions.push(expansion);
    expansionOf.set(node, expansion);
  }
  return { subject, shown, expansions };
}

/** Reads `#subject=kind:id` (or `#subject=id`) from the address: the node id, and the kind asked for. */
export function subjectFromHash(hash: string): { kind: string | null; id: string } | null {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get('subject');
  if (!value) return null;
  const colon = value.indexOf(':');
  return colon > 0 ? { kind: value.slice(0, colon), id: value.slice(colon + 1) } : { kind: null, id: value };
}
