/**
 * The person projection of `@ocgnet/graph` (`projectPersons`), computed inside
 * Neo4j by Cypher, so that a graph too large for the analyst's machine never
 * leaves the database.
 *
 * Every formula is that of packages/graph/src/projection.ts (read its header):
 * the same channels, filters, hub rule, grading and recency factors and
 * co-presence test. Here each evidence item is one Cypher row `(a, b, c)` with
 * a.id < b.id (UTF-16 code-unit order, as Java's String.compareTo) and c > 0;
 * the pair's weight is `sum(c)`. Only the summation order differs from the
 * in-process code, so weights agree to rounding (~1e-15 relative).
 *
 * Safety: option values travel only as query parameters. Labels and
 * relationship types are written into the text from the fixed allowlists
 * below, never from input. The text depends on nothing but the `mode`.
 *
 * Data model (written by the Neo4j store): entities are `(:Entity:<Kind>)`
 * nodes with `id`; links are relationships `(from)-[:<TYPE>]->(to)` carrying
 * `start`/`end` (= `linkInterval(link)`, YYYY-MM-DD, absent when undefined),
 * `strength` (= `linkStrength(link)`), `grading_system`, `source_evaluation`,
 * `intelligence_assessment`, `handling` and `record` (canonical JSON).
 */
import { CHANNELS, resolveProjectionOptions, type ProjectionOptions, type ProjectionOptionsInput } from '@ocgnet/graph';

/** Relationship types of the data model: the upper-cased link types. */
export const LINK_RELATIONSHIP_TYPES = [
  'MEMBER_OF',
  'ASSOCIATE',
  'FAMILY',
  'CO_OFFENDER',
  'LIVES_AT',
  'USES_ADDRESS',
  'USES_PHONE',
  'PHONE_CONTACT',
  'USES_VEHICLE',
  'OWNS',
  'WORKS_AT',
  'FINANCIAL',
  'ATTENDED',
] as const;

/** Person–person relationship types that are channels of their own (lower-cased, the channel's name). */
const DIRECT_TYPES = ['ASSOCIATE', 'FAMILY', 'CO_OFFENDER', 'FINANCIAL'] as const;

/** Entity labels that can be shared, and the channel of each (projection.ts SHARED_CHANNEL). */
const SHARED_LABELS = [
  ['Location', 'shared_location'],
  ['Phone', 'shared_phone'],
  ['Vehicle', 'shared_vehicle'],
  ['Business', 'shared_business'],
  ['Event', 'shared_event'],
  ['Ocg', 'shared_group'],
  ['Usg', 'shared_group'],
] as const;

const ALL_TYPES = LINK_RELATIONSHIP_TYPES.join('|');

/** What the generated query returns. */
export type ProjectionQueryMode =
  /**
   * Builds the GDS graph `$graphName`: every person a node (isolates too), one
   * undirected relationship per pair with `weight` and `distance` = 1 / weight.
   * Returns graphName, nodeCount, relationshipCount (GDS counts both
   * directions) and `strict`: per pair with any, the ids ('l:' link, 'e:'
   * entity) of evidence items that may be stricter than plain P.
   */
  | 'project'
  /** Streams the pairs: `source`, `target` (person ids, source < target), `weight`, `strict` (as above). */
  | 'pairs';

export interface ProjectionQuery {
  query: string;
  params: Record<string, unknown>;
  /** The options in force (defaults filled in; the reference date left as given, derived in the query). */
  options: ProjectionOptions;
}

/** Parameters of the query for resolved options. Infinity (no hub limit) travels as null. */
export function projectionParams(options: ProjectionOptions): Record<string, unknown> {
  const channelWeights: Record<string, number> = {};
  for (const channel of CHANNELS) channelWeights[channel] = options.channelWeights[channel];
  return {
    channelWeights,
    excludeAssessments: [...options.grading.excludeAssessments],
    sourceWeights: { ...options.grading.sourceWeights },
    legacyWeight: options.grading.legacyWeight,
    halfLifeDays: options.recency.halfLifeDays ?? null,
    referenceDate: options.recency.referenceDate ?? null,
    windowFrom: options.window.from ?? null,
    windowTo: options.window.to ?? null,
    requireCoPresence: options.requireCoPresence,
    maxSharedEntityDegree: Number.isFinite(options.maxSharedEntityDegree) ? options.maxSharedEntityDegree : null,
  };
}

/** The link `l` may be used: not of an excluded assessment, and inside the window when one is set. */
function usable(l: string): string {
  return (
    `(NOT (${l}.grading_system = '3x5x2' AND coalesce(${l}.intelligence_assessment, '') IN $excludeAssessments)) AND ` +
    `(($windowFrom IS NULL AND $windowTo IS NULL) OR ((${l}.start IS NOT NULL OR ${l}.end IS NOT NULL) AND ` +
    `($windowTo IS NULL OR ${l}.start IS NULL OR ${l}.start <= $windowTo) AND ` +
    `($windowFrom IS NULL OR ${l}.end IS NULL OR ${l}.end >= $windowFrom)))`
  );
}

/** g(l): the grading factor. */
function grading(l: string): string {
  return `(CASE WHEN ${l}.grading_system = '3x5x2' THEN toFloat($sourceWeights[${l}.source_evaluation]) ELSE toFloat($legacyWeight) END)`;
}

/** r(l): the recency factor, measured from the link's end (else start) to `refDay` (null: no decay). */
function recency(l: string): string {
  const last = `coalesce(${l}.end, ${l}.start)`;
  const age = `duration.inDays(date(${last}), refDay).days`;
  return `(CASE WHEN refDay IS NULL OR ${last} IS NULL OR ${age} <= 0 THEN 1.0 ELSE 0.5 ^ (toFloat(${age}) / $halfLifeDays) END)`;
}

/** Intervals overlap, an absent start or end being open. Works on links and on entry maps {s, e}. */
function overlap(a: { s: string; e: string }, b: { s: string; e: string }): string {
  return `((${a.s} IS NULL OR ${b.e} IS NULL OR ${a.s} <= ${b.e}) AND (${b.s} IS NULL OR ${a.e} IS NULL OR ${b.s} <= ${a.e}))`;
}

function min(...values: string[]): string {
  return values.reduce((acc, value) => `(CASE WHEN ${value} < ${acc} THEN ${value} ELSE ${acc} END)`);
}

/**
 * May the item carry a marking stricter than plain P? The store writes
 * `handling` = the entity's or link's marking handling (P, C or R); P never
 * carries conditions, so anything else (or a missing value) is reported.
 */
export const MAYBE_STRICT = (item: string) => `(${item}.handling IS NULL OR ${item}.handling <> 'P')`;

/**
 * The person links of entity `x` that can carry a shared path, as entry maps
 * {p, s, e, g, r, l}, and the number of distinct persons (for the hub rule).
 * Groups associate only through member_of.
 */
function entriesOf(x: string, entries: string, persons: string, groupsOnlyByMembership: boolean): string {
  const membership = groupsOnlyByMembership ? ` AND (NOT (${x}:Ocg OR ${x}:Usg) OR type(l) = 'MEMBER_OF')` : '';
  return (
    `CALL (${x}, refDay) {\n` +
    `      MATCH (${x})-[l:${ALL_TYPES}]-(p:Entity:Person)\n` +
    `      WHERE ${usable('l')}${membership}\n` +
    `      RETURN collect({p: p, s: l.start, e: l.end, g: ${grading('l')}, r: ${recency('l')}, l: l}) AS ${entries}, count(DISTINCT p) AS ${persons}\n` +
    `    }`
  );
}

/** The three evidence branches; each row is one evidence item: persons a, b (a.id < b.id), contribution c > 0, and `strict`. */
function branches(): string {
  // Ids of the evidence's links ('l:' + id) and intermediate entities ('e:' + id) that may not be plain P.
  const items = (links: string[], via: string[]) =>
    `, [i IN [${links.join(', ')}] WHERE ${MAYBE_STRICT('i')} | 'l:' + i.id]` +
    (via.length > 0 ? ` + [i IN [${via.join(', ')}] WHERE ${MAYBE_STRICT('i')} | 'e:' + i.id]` : '') +
    ' AS strict';
  const carry = (names: string[]) => `, ${names.join(', ')}`;
  const direct =
    `    MATCH (a:Entity:Person)-[l:${DIRECT_TYPES.join('|')}]-(b:Entity:Person)\n` +
    `    WHERE a.id < b.id AND ${usable('l')}\n` +
    `    WITH a, b, l, toFloat($channelWeights[toLower(type(l))]) * toFloat(l.strength) * ${grading('l')} * ${recency('l')} AS c\n` +
    `    WHERE c > 0\n` +
    `    RETURN a, b, c${items(['l'], [])}\n`;
  const channelOf = `CASE ${SHARED_LABELS.map(([label, channel]) => `WHEN x:${label} THEN '${channel}'`).join(' ')} END`;
  const shared =
    `    MATCH (x:Entity)\n` +
    `    WHERE ${SHARED_LABELS.map(([label]) => `x:${label}`).join(' OR ')}\n` +
    `    WITH x, toFloat($channelWeights[${channelOf}]) AS cw\n` +
    `    WHERE cw > 0\n` +
    `    ${entriesOf('x', 'entries', 'persons', true)}\n` +
    `    WITH x, cw, entries, persons\n` +
    `    WHERE size(entries) > 1 AND ($maxSharedEntityDegree IS NULL OR persons <= $maxSharedEntityDegree)\n` +
    `    UNWIND range(0, size(entries) - 2) AS i\n` +
    `    UNWIND range(i + 1, size(entries) - 1) AS j\n` +
    `    WITH x, cw, entries[i] AS u, entries[j] AS v\n` +
    `    WHERE u.p <> v.p AND (NOT $requireCoPresence OR ${overlap({ s: 'u.s', e: 'u.e' }, { s: 'v.s', e: 'v.e' })})\n` +
    `    WITH x, u, v, cw * ${min('u.g', 'v.g')} * ${min('u.r', 'v.r')} AS c\n` +
    `    WHERE c > 0\n` +
    `    WITH CASE WHEN u.p.id < v.p.id THEN u.p ELSE v.p END AS a, CASE WHEN u.p.id < v.p.id THEN v.p ELSE u.p END AS b, c` +
    `${carry(['u.l AS la', 'v.l AS lb', 'x'])}\n` +
    `    RETURN a, b, c${items(['la', 'lb'], ['x'])}\n`;
  const phone =
    `    MATCH (x:Entity:Phone)-[k:PHONE_CONTACT]->(y:Entity:Phone)\n` +
    `    WHERE toFloat($channelWeights.phone_contact) > 0 AND ${usable('k')}\n` +
    `    ${entriesOf('x', 'ux', 'nx', false)}\n` +
    `    ${entriesOf('y', 'uy', 'ny', false)}\n` +
    `    WITH x, y, k, ux, uy, nx, ny\n` +
    `    WHERE $maxSharedEntityDegree IS NULL OR (nx <= $maxSharedEntityDegree AND ny <= $maxSharedEntityDegree)\n` +
    `    WITH x, y, k, ux, uy, toFloat($channelWeights.phone_contact) * toFloat(k.strength) AS strength, ${grading('k')} AS kg, ${recency('k')} AS kr\n` +
    `    UNWIND ux AS u\n` +
    `    WITH x, y, k, uy, strength, kg, kr, u\n` +
    `    WHERE NOT $requireCoPresence OR ${overlap({ s: 'u.s', e: 'u.e' }, { s: 'k.start', e: 'k.end' })}\n` +
    `    UNWIND uy AS v\n` +
    `    WITH x, y, k, strength, kg, kr, u, v\n` +
    `    WHERE u.p <> v.p AND (NOT $requireCoPresence OR ${overlap({ s: 'v.s', e: 'v.e' }, { s: 'k.start', e: 'k.end' })})\n` +
    `    WITH x, y, k, u, v, strength * ${min('u.g', 'kg', 'v.g')} * ${min('u.r', 'kr', 'v.r')} AS c\n` +
    `    WHERE c > 0\n` +
    `    WITH CASE WHEN u.p.id < v.p.id THEN u.p ELSE v.p END AS a, CASE WHEN u.p.id < v.p.id THEN v.p ELSE u.p END AS b, c` +
    `${carry(['u.l AS la', 'k', 'v.l AS lb', 'x', 'y'])}\n` +
    `    RETURN a, b, c${items(['la', 'k', 'lb'], ['x', 'y'])}\n`;
  return `${direct}    UNION ALL\n${shared}    UNION ALL\n${phone}`;
}

/**
 * The reference date, as projection.ts derives it: the latest link end (else
 * start) in the whole network, filtered links included; only when a half-life
 * is set and no date is given. `refDay` is null when there is no decay.
 */
const PRELUDE =
  `CALL () {\n` +
  `  WITH 1 AS go WHERE $halfLifeDays IS NOT NULL AND $referenceDate IS NULL\n` +
  `  MATCH (:Entity)-[l:${ALL_TYPES}]->(:Entity)\n` +
  `  RETURN max(coalesce(l.end, l.start)) AS latest\n` +
  `}\n` +
  `WITH CASE WHEN $halfLifeDays IS NULL THEN NULL ELSE date(coalesce($referenceDate, latest)) END AS refDay\n`;

/** Only the reference date in force (null when no half-life is set or the data has no dates). */
export function referenceDateQuery(input: ProjectionOptionsInput = {}): ProjectionQuery {
  const options = resolveProjectionOptions(input);
  return { query: `${PRELUDE}RETURN toString(refDay) AS referenceDate`, params: projectionParams(options), options };
}

/**
 * One parameterised Cypher query computing the person projection for
 * `input` (see {@link ProjectionQueryMode}). Options are resolved and checked
 * by `resolveProjectionOptions`, so a bad value throws the same GraphError
 * as in process. `graphName` is needed by 'project' only.
 */
export function projectionCypher(
  input: ProjectionOptionsInput = {},
  mode: ProjectionQueryMode = 'project',
  graphName?: string,
): ProjectionQuery {
  const options = resolveProjectionOptions(input);
  const params = projectionParams(options);
  let query: string;
  if (mode === 'project') {
    if (graphName === undefined || graphName === '')
      throw new Error('projectionCypher: mode "project" needs a graph name');
    params.graphName = graphName;
    query =
      PRELUDE +
      `CALL (refDay) {\n` +
      `  MATCH (p:Entity:Person)\n` +
      `  RETURN p AS source, NULL AS target, NULL AS weight, [] AS strict\n` +
      `  UNION ALL\n` +
      `  CALL (refDay) {\n${branches()}  }\n` +
      `  WITH a, b, sum(c) AS w, collect(strict) AS strict\n` +
      `  RETURN a AS source, b AS target, w AS weight, reduce(acc = [], s IN strict | acc + s) AS strict\n` +
      `}\n` +
      `WITH gds.graph.project($graphName, source, target, ` +
      `{relationshipProperties: CASE WHEN target IS NULL THEN {} ELSE {weight: weight, distance: 1.0 / weight} END}, ` +
      `{undirectedRelationshipTypes: ['*']}) AS g, ` +
      `collect(CASE WHEN size(strict) > 0 THEN strict END) AS strict\n` +
      `RETURN g.graphName AS graphName, g.nodeCount AS nodeCount, g.relationshipCount AS relationshipCount, strict`;
  } else {
    query =
      PRELUDE +
      `CALL (refDay) {\n${branches()}}\n` +
      `WITH a, b, sum(c) AS w, collect(strict) AS strict\n` +
      `RETURN a.id AS source, b.id AS target, w AS weight, reduce(acc = [], s IN strict | acc + s) AS strict\n` +
      `ORDER BY source, target`;
  }
  return { query, params, options };
}
