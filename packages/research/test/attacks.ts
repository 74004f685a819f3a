/**
 * The attack suite: literal re-identification attempts on a release, written
 * apart from the measures in src/ (no code shared with them), so that a
 * measure that under-counts is caught by an attack that does better.
 *
 * The attacker holds the original network, generalised as the manifest says
 * the release was (`original`: the anonymised graph before perturbation; the
 * attacker computes the same attributes from the raw data, and has recovered
 * a date shift by aligning the dates), and the release. Node ids are
 * pseudonyms in both, which the attacks never look at except to score
 * themselves: a nominal is **singled out** when the attack matches them to
 * exactly one released node and that node is really theirs.
 *
 * Each attack matches on a signature, two ways: equality (the bet that a
 * node was not touched by perturbation) and, for a perturbed release,
 * containment (ties may have been added, never removed); a wildcard `*` in
 * the release matches anything, and where the release says weights were
 * suppressed to 1, a weight of 1 does too.
 */
import type { AbstractGraph } from 'graphology-types';

export interface AttackOptions {
  /** The release may have gained ties. */
  perturbed: boolean;
  /** A released weight of 1 may stand for any weight. */
  weightWildcard: boolean;
}

export interface AttackResult {
  attack: string;
  /** Nominals matched to exactly one released node, their own. */
  singledOut: number;
  /** Nominals matched to exactly one released node, not their own (the attacker is misled). */
  misled: number;
}

const TIE_FIELDS = ['weight', 'channels', 'assessment', 'first_seen', 'last_seen'];

type Tie = { other: string; fields: string[]; direction: string };

interface Side {
  nodes: string[];
  attributes: Map<string, string[]>;
  ties: Map<string, Tie[]>;
  around?: Map<string, Set<string>>;
}

function sideOf(graph: AbstractGraph): Side {
  const nodes = graph.nodes();
  const attributes = new Map(
    nodes.map((node) => [node, ['age_band', 'area'].map((name) => String(graph.getNodeAttribute(node, name) ?? ''))]),
  );
  const ties = new Map<string, Tie[]>(nodes.map((node) => [node, []]));
  graph.forEachEdge((_edge, values, source, target, _s, _t, undirected) => {
    const fields = TIE_FIELDS.map((name) => String(values[name] ?? ''));
    ties.get(source)!.push({ other: target, fields, direction: undirected ? '-' : '>' });
    if (source !== target) ties.get(target)!.push({ other: source, fields, direction: undirected ? '-' : '<' });
  });
  return { nodes, attributes, ties };
}

function distinctNeighbours(side: Side, node: string): Set<string> {
  side.around ??= new Map();
  let found = side.around.get(node);
  if (found === undefined)
    side.around.set(
      node,
      (found = new Set(
        side.ties
          .get(node)!
          .map((tie) => tie.other)
          .filter((other) => other !== node),
      )),
    );
  return found;
}

function fieldFits(original: string, released: string, index: number, options: AttackOptions): boolean {
  return released === original || released === '*' || (index === 0 && options.weightWildcard && released === '1');
}

/** Items of `a` each taken by a distinct item of `b` that fits (augmenting paths). */
function injects<A, B>(a: A[], b: B[], fits: (x: A, y: B) => boolean): boolean {
  if (a.length > b.length) return false;
  const holder: number[] = new Array(b.length).fill(-1);
  const tryItem = (i: number, visited: boolean[]): boolean => {
    for (let j = 0; j < b.length; j++) {
      if (visited[j] || !fits(a[i]!, b[j]!)) continue;
      visited[j] = true;
      if (holder[j] === -1 || tryItem(holder[j]!, visited)) {
        holder[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < a.length; i++) if (!tryItem(i, new Array(b.length).fill(false))) return false;
  return true;
}

/** Scores a candidate relation: unique matches, right and wrong. */
function score(
  attack: string,
  original: Side,
  release: Side,
  consistent: (v: string, u: string) => boolean,
): AttackResult {
  let singledOut = 0;
  let misled = 0;
  const released = new Set(release.nodes);
  for (const v of original.nodes) {
    const matches = release.nodes.filter((u) => consistent(v, u));
    if (matches.length !== 1) continue;
    if (matches[0] === v && released.has(v)) singledOut++;
    else misled++;
  }
  return { attack, singledOut, misled };
}

/** A signature attack: equality always; containment too when the release was perturbed. */
function signatureAttack(
  attack: string,
  original: Side,
  release: Side,
  options: AttackOptions,
  equal: (v: string, u: string) => boolean,
  contained: (v: string, u: string) => boolean,
): AttackResult {
  const byEquality = score(attack, original, release, equal);
  if (!options.perturbed) return byEquality;
  const byContainment = score(attack, original, release, contained);
  // A nominal counts once: singled out by either reading.
  let singledOut = 0;
  for (const v of original.nodes) {
    const one = (consistent: (v: string, u: string) => boolean) => {
      const matches = release.nodes.filter((u) => consistent(v, u));
      return matches.length === 1 && matches[0] === v;
    };
    if (one(equal) || one(contained)) singledOut++;
  }
  return { attack, singledOut, misled: byEquality.misled + byContainment.misled };
}

function tiesFit(original: Tie, released: Tie, options: AttackOptions, fields: number[]): boolean {
  return (
    original.direction === released.direction &&
    fields.every((index) => fieldFits(original.fields[index]!, released.fields[index]!, index, options))
  );
}

function tieText(tie: Tie, fields: number[]): string {
  return `${tie.direction}${fields.map((index) => tie.fields[index]).join('|')}`;
}

/** Matches nominals on the multiset of the chosen attributes of their ties. */
export function tieAttack(
  attack: string,
  originalGraph: AbstractGraph,
  releaseGraph: AbstractGraph,
  options: AttackOptions,
  fields = [0, 1, 2, 3, 4],
): AttackResult {
  const original = sideOf(originalGraph);
  const release = sideOf(releaseGraph);
  const text = (side: Side, node: string) =>
    side.ties
      .get(node)!
      .map((tie) => tieText(tie, fields))
      .sort()
      .join('\n');
  const texts = new Map(release.nodes.map((u) => [u, text(release, u)]));
  const originalTexts = new Map(original.nodes.map((v) => [v, text(original, v)]));
  const anyWildcard =
    releaseGraph.someEdge((_e, values) => Object.values(values).includes('*')) || options.weightWildcard;
  return signatureAttack(
    attack,
    original,
    release,
    options,
    (v, u) =>
      anyWildcard
        ? original.ties.get(v)!.length === release.ties.get(u)!.length &&
          injects(original.ties.get(v)!, release.ties.get(u)!, (a, b) => tiesFit(a, b, options, fields))
        : originalTexts.get(v) === texts.get(u),
    (v, u) => injects(original.ties.get(v)!, release.ties.get(u)!, (a, b) => tiesFit(a, b, options, fields)),
  );
}

/** The attack on shifted dates: weight, channels and the length of each tie's interval. */
export function intervalAttack(
  originalGraph: AbstractGraph,
  releaseGraph: AbstractGraph,
  options: AttackOptions,
): AttackResult {
  const withLength = (graph: AbstractGraph) => {
    const copy = graph.copy();
    copy.forEachEdge((edge, values) => {
      const first = Date.parse(String(values.first_seen ?? ''));
      const last = Date.parse(String(values.last_seen ?? ''));
      copy.replaceEdgeAttributes(edge, {
        weight: values.weight,
        channels: values.channels,
        assessment:
          Number.isFinite(first) && Number.isFinite(last)
            ? String((last - first) / 86_400_000)
            : values.first_seen === '*' || values.last_seen === '*'
              ? '*'
              : '',
      });
    });
    return copy;
  };
  return tieAttack('interval length', withLength(originalGraph), withLength(releaseGraph), options, [0, 1, 2]);
}

/** Matches nominals on (degree, sorted degrees of the neighbours). */
export function neighbourDegreeAttack(
  originalGraph: AbstractGraph,
  releaseGraph: AbstractGraph,
  options: AttackOptions,
): AttackResult {
  const original = sideOf(originalGraph);
  const release = sideOf(releaseGraph);
  const degreesOf = (side: Side) => new Map(side.nodes.map((node) => [node, distinctNeighbours(side, node).size]));
  const originalDegree = degreesOf(original);
  const releaseDegree = degreesOf(release);
  const around = (side: Side, degrees: Map<string, number>, node: string) =>
    [...distinctNeighbours(side, node)].map((other) => degrees.get(other)!).sort((a, b) => b - a);
  const o = new Map(original.nodes.map((v) => [v, around(original, originalDegree, v)]));
  const r = new Map(release.nodes.map((u) => [u, around(release, releaseDegree, u)]));
  return signatureAttack(
    'neighbour degrees',
    original,
    release,
    options,
    (v, u) => o.get(v)!.join(',') === r.get(u)!.join(','),
    (v, u) => o.get(v)!.length <= r.get(u)!.length && o.get(v)!.every((degree, i) => r.get(u)![i]! >= degree),
  );
}

/** Matches nominals on (degree, age band, area). */
export function degreeAttributesAttack(
  originalGraph: AbstractGraph,
  releaseGraph: AbstractGraph,
  options: AttackOptions,
): AttackResult {
  const original = sideOf(originalGraph);
  const release = sideOf(releaseGraph);
  const attributesFit = (v: string, u: string) =>
    release.attributes.get(u)!.every((value, i) => value === '*' || value === original.attributes.get(v)![i]);
  return signatureAttack(
    'degree, age band, area',
    original,
    release,
    options,
    (v, u) => attributesFit(v, u) && distinctNeighbours(original, v).size === distinctNeighbours(release, u).size,
    (v, u) => attributesFit(v, u) && distinctNeighbours(original, v).size <= distinctNeighbours(release, u).size,
  );
}

/**
 * Seed and extend: start from (attributes, degree), then repeatedly drop a
 * candidate u of v when v's neighbours cannot each take a distinct neighbour
 * of u among their own candidates, until nothing changes.
 */
export function propagationAttack(
  originalGraph: AbstractGraph,
  releaseGraph: AbstractGraph,
  options: AttackOptions,
): AttackResult {
  const original = sideOf(originalGraph);
  const release = sideOf(releaseGraph);
  const run = (exact: boolean) => {
    const candidates = new Map<string, Set<string>>();
    for (const v of original.nodes) {
      const dv = distinctNeighbours(original, v).size;
      candidates.set(
        v,
        new Set(
          release.nodes.filter((u) => {
            const du = distinctNeighbours(release, u).size;
            return (
              (exact ? du === dv : du >= dv) &&
              release.attributes.get(u)!.every((value, i) => value === '*' || value === original.attributes.get(v)![i])
            );
          }),
        ),
      );
    }
    for (let changed = true; changed;) {
      changed = false;
      for (const v of original.nodes) {
        const mine = [...distinctNeighbours(original, v)];
        for (const u of [...candidates.get(v)!]) {
          if (!exact && u === v) continue; // the truth is always consistent when ties were only added
          const theirs = [...distinctNeighbours(release, u)];
          if (!injects(mine, theirs, (w, x) => candidates.get(w)!.has(x))) {
            candidates.get(v)!.delete(u);
            changed = true;
          }
        }
      }
    }
    return candidates;
  };
  const exact = run(true);
  const grown = options.perturbed ? run(false) : exact;
  return signatureAttack(
    'propagation',
    original,
    release,
    options,
    (v, u) => exact.get(v)!.has(u),
    (v, u) => grown.get(v)!.has(u),
  );
}

/**
 * Two releases under one key: the same pseudonym is the same nominal, so the
 * ties present in both are kept (an added tie seldom is added twice), the
 * node attributes are taken where either release states them, and nominals
 * are matched on (degree, sorted neighbour degrees, age band, area) in that
 * intersection against the original.
 */
export function intersectionAttack(
  originalGraph: AbstractGraph,
  first: AbstractGraph,
  second: AbstractGraph,
): AttackResult {
  const original = sideOf(originalGraph);
  const a = sideOf(first);
  const b = sideOf(second);
  const both = new Set(a.nodes.filter((node) => b.attributes.has(node)));
  const neighbours = new Map(
    [...both].map((node) => [
      node,
      new Set([...distinctNeighbours(a, node)].filter((other) => distinctNeighbours(b, node).has(other))),
    ]),
  );
  const attributes = new Map(
    [...both].map((node) => [
      node,
      a.attributes.get(node)!.map((value, i) => (value === '*' ? b.attributes.get(node)![i]! : value)),
    ]),
  );
  const degreeO = new Map(original.nodes.map((v) => [v, distinctNeighbours(original, v).size]));
  const signatureO = (v: string) =>
    `${degreeO.get(v)}|${[...distinctNeighbours(original, v)]
      .map((w) => degreeO.get(w))
      .sort((x, y) => x! - y!)
      .join(',')}`;
  const signatureR = (u: string) =>
    `${neighbours.get(u)!.size}|${[...neighbours.get(u)!]
      .map((w) => neighbours.get(w)!.size)
      .sort((x, y) => x - y)
      .join(',')}`;
  const r = new Map([...both].map((u) => [u, signatureR(u)]));
  const o = new Map(original.nodes.map((v) => [v, signatureO(v)]));
  const intersection: Side = { nodes: [...both], attributes, ties: new Map() };
  return score(
    'intersection of two releases',
    original,
    intersection,
    (v, u) =>
      o.get(v) === r.get(u) &&
      attributes.get(u)!.every((value, i) => value === '*' || value === original.attributes.get(v)![i]),
  );
}

/** Every single-release attack. */
export function attackRelease(original: AbstractGraph, release: AbstractGraph, options: AttackOptions): AttackResult[] {
  return [
    tieAttack('tie attributes', original, release, options),
    intervalAttack(original, release, options),
    tieAttack('weights', original, release, options, [0]),
    neighbourDegreeAttack(original, release, options),
    degreeAttributesAttack(original, release, options),
    propagationAttack(original, release, options),
  ];
}

/** The measure each attack must not out-do (the measure's signature is at least as fine). */
export const MEASURE_OF_ATTACK: Record<string, string> = {
  'tie attributes': 'edge-attributes',
  'interval length': 'edge-attributes',
  weights: 'edge-attributes',
  'neighbour degrees': 'neighbour-degrees',
  'degree, age band, area': 'combined',
  propagation: 'propagated',
};
