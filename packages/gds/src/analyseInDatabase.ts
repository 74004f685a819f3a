/**
 * `ocgnet analyse --engine neo4j`: the analysis of `@ocgnet/analysis`'s
 * `analyse()` run inside Neo4j by the Graph Data Science library (OpenGDS
 * 2.13), for person graphs too large to load on the analyst's machine.
 *
 * 1. The person projection is computed by Cypher in the database
 *    (projectionCypher.ts) and aggregated straight into a GDS in-memory graph
 *    with a unique name; the graph is dropped in a `finally`.
 * 2. The algorithms run in `mutate` mode: their results go to the in-memory
 *    graph only (never to the database) and are read back with one
 *    `gds.graph.nodeProperties.stream`. `mutate` rather than `stream` because
 *    only `mutate`/`stats` report PageRank's and eigenvector's convergence and
 *    the community search's modularity.
 * 3. Every value is converted to ocgnet's definitions (networkx conventions);
 *    see README.md in this directory for each conversion and tolerance.
 *
 * What GDS cannot compute in ocgnet's sense (Burt's constraint and effective
 * size, roles, brokers, cut points; weighted closeness, harmonic and
 * clustering) is reported as NaN (null in JSON) or empty, with a warning.
 */
import { randomUUID } from 'node:crypto';
import neo4j, { type Driver, type Session } from 'neo4j-driver';
import {
  DEFAULT_ANALYSE_OPTIONS,
  mappingFromMemberships,
  compareWithMapping,
  renumberPartition,
  type AnalyseOptions,
  type AnalysisReport,
  type NodeMetrics,
} from '@ocgnet/analysis';
import type { ProjectionOptionsInput } from '@ocgnet/graph';
import {
  DEFAULT_CLASSIFICATION,
  SAFEGUARDING_FLAGS,
  compareIds,
  entityMarking,
  isSafeguardingSubject,
  linkMarking,
  strictestMarking,
  type Entity,
  type Link,
  type Marking,
  type MemberRole,
  type Person,
} from '@ocgnet/schema';
import { LINK_RELATIONSHIP_TYPES, MAYBE_STRICT, projectionCypher } from './projectionCypher.js';

export interface AnalyseInDatabaseOptions {
  /** Neo4j database; the server's default when unset. */
  database?: string;
  /** As `analyse()`. With Louvain `resolution` must be 1: GDS 2.13's Louvain has no resolution parameter. */
  analysis?: Partial<AnalyseOptions>;
  /** As `projectPersons()`; every option is computed in the database. */
  projection?: ProjectionOptionsInput;
  /** Called as each step starts: done steps, total steps, the step's name. */
  onProgress?: (done: number, total: number, step: string) => void;
  /**
   * Source nodes sampled for betweenness. Default: every node (exact) when
   * n ≤ {@link EXACT_BETWEENNESS_LIMIT}, else that many. Sampled values are
   * scaled by n / samplingSize (as networkx's `k`) to estimate the exact ones.
   */
  samplingSize?: number;
  /** Seed of the betweenness sample. Default: `analysis.seed`. */
  samplingSeed?: number;
}

/** Up to this many persons betweenness is exact by default; above, this many sources are sampled. */
export const EXACT_BETWEENNESS_LIMIT = 5000;

/** PageRank run to its fixed point, as analyse() does by default (convergence: 'converged'). */
const PAGERANK_CONFIG = { dampingFactor: 0.85, tolerance: 1e-10, maxIterations: 10_000 };

/** GDS wants Cypher integers where JavaScript numbers would travel as floats. */
const int = (value: number) => neo4j.int(value);

const STEPS = [
  'projection',
  'degree',
  'betweenness',
  'closeness',
  'eigenvector',
  'pagerank',
  'coreness and clustering',
  'components',
  'communities',
  'groups',
  'markings',
] as const;

const PUBLIC: Marking = { handling: 'P', conditions: [] };

/** Node properties written to the in-memory graph by the mutate steps. */
const P = {
  degree: 'ocgnet_degree',
  strength: 'ocgnet_strength',
  betweenness: 'ocgnet_betweenness',
  closeness: 'ocgnet_closeness',
  harmonic: 'ocgnet_harmonic',
  eigenvector: 'ocgnet_eigenvector',
  pagerank: 'ocgnet_pagerank',
  coreness: 'ocgnet_coreness',
  clustering: 'ocgnet_clustering',
  component: 'ocgnet_component',
  community: 'ocgnet_community',
} as const;

function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (neo4j.isInt(value)) return (value as { toNumber(): number }).toNumber();
  if (typeof value === 'bigint') return Number(value);
  return Number(value);
}

function checkOptions(parameters: AnalyseOptions, options: AnalyseInDatabaseOptions): void {
  if (parameters.communityAlgorithm !== 'leiden' && parameters.communityAlgorithm !== 'louvain') {
    throw new RangeError(
      `analysis.communityAlgorithm must be 'leiden' or 'louvain', not ${JSON.stringify(parameters.communityAlgorithm)}`,
    );
  }
  if (!(parameters.resolution > 0) || !Number.isFinite(parameters.resolution)) {
    throw new RangeError(`analysis.resolution must be a positive number, not ${parameters.resolution}`);
  }
  if (parameters.communityAlgorithm === 'louvain' && parameters.resolution !== 1) {
    throw new RangeError(
      `analysis.resolution = ${parameters.resolution}: GDS 2.13's Louvain has no resolution parameter; use Leiden (GDS's gamma), resolution 1, or the ocgnet engine`,
    );
  }
  if (parameters.distance !== 'inverse' && parameters.distance !== 'weight') {
    throw new RangeError(`analysis.distance must be 'inverse' or 'weight', not ${JSON.stringify(parameters.distance)}`);
  }
  if (typeof parameters.weighted !== 'boolean') throw new RangeError('analysis.weighted must be true or false');
  if (!Number.isSafeInteger(parameters.seed))
    throw new RangeError(`analysis.seed must be an integer, not ${String(parameters.seed)}`);
  if (options.samplingSize !== undefined && !(Number.isInteger(options.samplingSize) && options.samplingSize >= 1)) {
    throw new RangeError(`samplingSize must be a whole number ≥ 1, not ${String(options.samplingSize)}`);
  }
  if (options.samplingSeed !== undefined && !Number.isSafeInteger(options.samplingSeed)) {
    throw new RangeError(`samplingSeed must be an integer, not ${String(options.samplingSeed)}`);
  }
}

/**
 * The smallest graph `compareWithMapping` needs: the unmapped persons of
 * communities holding mapped members, the mapped members, and the projected
 * ties between the two (for hidden candidates' strength and ties). Duck-typed
 * as a graphology graph: compareWithMapping reads nodes, edges with their
 * `weight`, and node attributes (`kind`, `record`), nothing else.
 */
function comparisonGraph(
  nodes: string[],
  edges: { source: string; target: string; weight: number }[],
  recordOf: (id: string) => Person | undefined,
): Parameters<typeof compareWithMapping>[0]['graph'] {
  const graph = {
    type: 'undirected',
    order: nodes.length,
    size: edges.length,
    nodes: () => [...nodes],
    forEachEdge: (callback: (edge: string, attributes: { weight: number }, source: string, target: string) => void) => {
      edges.forEach((edge, index) => callback(String(index), { weight: edge.weight }, edge.source, edge.target));
    },
    getNodeAttributes: (node: string) => {
      const record = recordOf(node);
      return record === undefined ? { kind: 'person' } : { kind: 'person', record };
    },
    on: () => graph,
  };
  return graph as unknown as Parameters<typeof compareWithMapping>[0]['graph'];
}

/** Runs one query in the session and returns its records as plain objects. */
async function run(
  session: Session,
  query: string,
  params: Record<string, unknown> = {},
): Promise<Record<string, unknown>[]> {
  const result = await session.run(query, params);
  return result.records.map((record) => record.toObject() as Record<string, unknown>);
}

/**
 * Projects the persons of the Neo4j store, analyses them with GDS and returns
 * the same `AnalysisReport` as `analyse(projectPersons(buildNetwork(records)))`
 * with the police mapping, within the tolerances of README.md.
 */
export async function analyseInDatabase(
  driver: Driver,
  options: AnalyseInDatabaseOptions = {},
): Promise<AnalysisReport> {
  const parameters: AnalyseOptions = { ...DEFAULT_ANALYSE_OPTIONS, ...options.analysis };
  checkOptions(parameters, options);
  const { weighted, distance } = parameters;
  const warnings: string[] = [];
  let step = 0;
  const next = (name: (typeof STEPS)[number]) => options.onProgress?.(step++, STEPS.length, name);

  // Resolves and checks the projection options before touching the server.
  const graphName = `ocgnet_${randomUUID().replace(/-/g, '')}`;
  const projection = projectionCypher(options.projection ?? {}, 'project', graphName);

  // One session, in write mode: a GDS graph lives in the memory of the
  // server that built it, so every step must reach that same server.
  const session = driver.session({
    defaultAccessMode: neo4j.session.WRITE,
    ...(options.database ? { database: options.database } : {}),
  });
  let failed = false;
  try {
    next('projection');
    const [summary] = await run(session, projection.query, projection.params);
    const n = num(summary!.nodeCount);
    // An undirected GDS graph stores each relationship in both directions.
    const m = num(summary!.relationshipCount) / 2;
    const strictItems = new Set<string>();
    for (const list of (summary!.strict as string[][] | null) ?? []) for (const item of list) strictItems.add(item);

    const algorithm = async (procedure: string, config: Record<string, unknown>): Promise<Record<string, unknown>> => {
      const [row] = await run(session, `CALL ${procedure}($graphName, $config)`, { graphName, config });
      return row ?? {};
    };
    const weightConfig = weighted ? { relationshipWeightProperty: 'weight' } : {};
    const pathWeightConfig = weighted
      ? { relationshipWeightProperty: distance === 'inverse' ? 'distance' : 'weight' }
      : {};
    const properties: string[] = [];

    if (n > 0) {
      next('degree');
      await algorithm('gds.degree.mutate', { mutateProperty: P.degree });
      await algorithm('gds.degree.mutate', { mutateProperty: P.strength, relationshipWeightProperty: 'weight' });
      properties.push(P.degree, P.strength);

      next('betweenness');
      const samplingSize = options.samplingSize ?? (n <= EXACT_BETWEENNESS_LIMIT ? n : EXACT_BETWEENNESS_LIMIT);
      const samplingSeed = options.samplingSeed ?? parameters.seed;
      const sampled = samplingSize < n;
      await algorithm('gds.betweenness.mutate', {
        mutateProperty: P.betweenness,
        ...pathWeightConfig,
        ...(sampled ? { samplingSize: int(samplingSize), samplingSeed: int(samplingSeed) } : {}),
      });
      properties.push(P.betweenness);
      if (sampled) {
        warnings.push(
          `betweenness estimated by GDS from ${samplingSize} of ${n} source nodes (seed ${samplingSeed}), scaled by n / samplingSize; pass samplingSize = ${n} for exact values`,
        );
      }
      if (weighted) {
        warnings.push(
          'weighted betweenness: GDS compares path lengths exactly, ocgnet within a relative 1e-10, so paths that tie only up to rounding may share out differently',
        );
      }

      next('closeness');
      if (weighted) {
        warnings.push(
          'closeness and harmonic centrality: GDS 2.13 computes them on hop counts only, so the weighted values are not computed (null)',
        );
      } else {
        await algorithm('gds.closeness.mutate', { mutateProperty: P.closeness, useWassermanFaust: true });
        await algorithm('gds.closeness.harmonic.mutate', { mutateProperty: P.harmonic });
        properties.push(P.closeness, P.harmonic);
      }

      next('eigenvector');
      warnings.push(
        'eigenvector centrality: not computed (null); GDS 2.13 iterates A·x where ocgnet and networkx iterate (A + I)·x, and on the small fixture it stopped 2e-4 from the converged value at its defaults and collapsed to zeros with a tighter tolerance',
      );

      next('pagerank');
      const pagerank = await algorithm('gds.pageRank.mutate', {
        mutateProperty: P.pagerank,
        ...PAGERANK_CONFIG,
        maxIterations: int(PAGERANK_CONFIG.maxIterations),
        ...weightConfig,
      });
      if (pagerank.didConverge === false) {
        warnings.push(
          `PageRank did not converge in ${PAGERANK_CONFIG.maxIterations} iterations (tolerance ${PAGERANK_CONFIG.tolerance})`,
        );
      }
      properties.push(P.pagerank);

      next('coreness and clustering');
      await algorithm('gds.kcore.mutate', { mutateProperty: P.coreness });
      properties.push(P.coreness);
      if (weighted) {
        warnings.push(
          'clustering: GDS 2.13 computes the unweighted coefficient only, so the weighted (Onnela) one is not computed (null)',
        );
      } else {
        await algorithm('gds.localClusteringCoefficient.mutate', { mutateProperty: P.clustering });
        properties.push(P.clustering);
      }

      next('components');
      await algorithm('gds.wcc.mutate', { mutateProperty: P.component });
      properties.push(P.component);
    }

    next('communities');
    let modularity = Number.NaN;
    if (n > 0) {
      const leiden = parameters.communityAlgorithm === 'leiden';
      // Single-threaded, so GDS's run is deterministic: Leiden under its seed;
      // Louvain (no seed in GDS 2.13) for a given graph.
      const found = await algorithm(leiden ? 'gds.leiden.mutate' : 'gds.louvain.mutate', {
        mutateProperty: P.community,
        concurrency: int(1),
        includeIntermediateCommunities: false,
        ...(leiden ? { randomSeed: int(parameters.seed), gamma: parameters.resolution } : {}),
        ...weightConfig,
      });
      if (m > 0) modularity = num(found.modularity);
      properties.push(P.community);
      warnings.push(
        leiden
          ? "communities: GDS Leiden (one single-threaded seeded run) rather than ocgnet's Leiden (best of 5 seeded runs); the partition may differ and modularity may be slightly lower"
          : "communities: GDS Louvain (one single-threaded run, deterministic, no seed) rather than ocgnet's best of 5 seeded runs; the partition may differ, a community need not be connected, and modularity may be slightly lower",
      );
    }

    // Everything per node in one pass, with what the report needs of each person.
    const nodeRows =
      n === 0
        ? []
        : await run(
            session,
            `CALL gds.graph.nodeProperties.stream($graphName, $properties) YIELD nodeId, nodeProperty, propertyValue\n` +
              `WITH nodeId, collect([nodeProperty, propertyValue]) AS values\n` +
              `WITH gds.util.asNode(nodeId) AS p, nodeId, values\n` +
              `RETURN nodeId, p.id AS id, p.label AS label, values,\n` +
              `  CASE WHEN ${MAYBE_STRICT('p')} OR ${SAFEGUARDING_FLAGS.map((flag) => `p.record CONTAINS '${flag}'`).join(' OR ')}\n` +
              `    THEN p.record END AS record`,
            { graphName, properties },
          );

    interface Row {
      nodeId: number;
      id: string;
      label: string;
      values: Map<string, number>;
      record?: Person;
    }
    const rows: Row[] = nodeRows.map((row) => {
      const values = new Map<string, number>();
      for (const [key, value] of row.values as [string, unknown][]) values.set(key, num(value));
      const out: Row = {
        nodeId: num(row.nodeId),
        id: String(row.id),
        label: typeof row.label === 'string' ? row.label : String(row.id),
        values,
      };
      if (typeof row.record === 'string') out.record = JSON.parse(row.record) as Person;
      return out;
    });
    rows.sort((a, b) => compareIds(a.id, b.id));
    const value = (row: Row, key: string) => row.values.get(key) ?? Number.NaN;

    // Conversions to ocgnet's definitions.
    const betweennessScale = (() => {
      if (n - 1 < 2) return 0; // every value is 0
      const samplingSize = options.samplingSize ?? (n <= EXACT_BETWEENNESS_LIMIT ? n : EXACT_BETWEENNESS_LIMIT);
      // GDS counts each unordered pair once on an undirected graph; ocgnet (networkx normalized=True) divides the ordered-pair count by (n − 1)(n − 2).
      return (2 / ((n - 1) * (n - 2))) * (samplingSize < n ? n / samplingSize : 1);
    })();
    let pagerankTotal = 0;
    for (const row of rows) pagerankTotal += value(row, P.pagerank);

    // Components: numbered by size, largest first, ties by smallest id (ocgnet's order).
    const componentMembers = new Map<number, string[]>();
    for (const row of rows) {
      const c = value(row, P.component);
      let list = componentMembers.get(c);
      if (list === undefined) componentMembers.set(c, (list = []));
      list.push(row.id);
    }
    const componentOrder = [...componentMembers.entries()].sort(
      (x, y) => y[1].length - x[1].length || compareIds(x[1][0]!, y[1][0]!),
    );
    const componentOf = new Map<number, number>();
    componentOrder.forEach(([label], rank) => componentOf.set(label, rank));

    const labels: Record<string, number> = Object.create(null);
    for (const row of rows) labels[row.id] = value(row, P.community);
    const partition = renumberPartition(labels);

    const articulation = new Set<string>();
    const bridges: [string, string][] = [];
    if (m > 0) {
      for (const row of await run(
        session,
        `CALL gds.articulationPoints.stream($graphName, {}) YIELD nodeId RETURN gds.util.asNode(nodeId).id AS id`,
        { graphName },
      )) {
        articulation.add(String(row.id));
      }
      for (const row of await run(
        session,
        `CALL gds.bridges.stream($graphName, {}) YIELD from, to RETURN gds.util.asNode(from).id AS a, gds.util.asNode(to).id AS b`,
        { graphName },
      )) {
        const [a, b] = [String(row.a), String(row.b)];
        bridges.push(a < b ? [a, b] : [b, a]);
      }
      bridges.sort((x, y) => compareIds(x[0], y[0]) || compareIds(x[1], y[1]));
    }

    next('groups');
    const memberRows = await run(
      session,
      `MATCH (p:Entity:Person)-[r:MEMBER_OF]->(g:Entity) WHERE g:Ocg OR g:Usg\n` +
        `RETURN p.id AS person, g.id AS group, CASE WHEN g:Ocg THEN 'ocg' ELSE 'usg' END AS kind, r.record AS record`,
    );
    const mapping = mappingFromMemberships(
      memberRows.map((row) => ({
        person: String(row.person),
        group: String(row.group),
        kind: row.kind as 'ocg' | 'usg',
        role:
          typeof row.record === 'string'
            ? ((JSON.parse(row.record) as { role?: MemberRole }).role ?? undefined)
            : undefined,
      })),
    );
    // Hidden candidates need the ties between unmapped persons of communities holding mapped members and the mapped members.
    const mappedCommunities = new Set<number>();
    for (const person of Object.keys(mapping.groupOf)) {
      const c = partition.communityOf[person];
      if (c !== undefined) mappedCommunities.add(c);
    }
    const candidateIds: Record<string, true> = Object.create(null);
    const mappedIds: Record<string, true> = Object.create(null);
    const inComparison: string[] = [];
    for (const row of rows) {
      const mapped = mapping.groupOf[row.id] !== undefined;
      if (mapped) mappedIds[String(row.nodeId)] = true;
      else if (mappedCommunities.has(partition.communityOf[row.id]!)) candidateIds[String(row.nodeId)] = true;
      else continue;
      inComparison.push(row.id);
    }
    const ties =
      m > 0 && inComparison.length > 0
        ? await run(
            session,
            `CALL gds.graph.relationshipProperty.stream($graphName, 'weight') YIELD sourceNodeId, targetNodeId, propertyValue\n` +
              `WITH sourceNodeId, targetNodeId, propertyValue WHERE $candidates[toString(sourceNodeId)] AND $mapped[toString(targetNodeId)]\n` +
              `RETURN gds.util.asNode(sourceNodeId).id AS source, gds.util.asNode(targetNodeId).id AS target, propertyValue AS weight`,
            { graphName, candidates: candidateIds, mapped: mappedIds },
          )
        : [];
    const recordById = new Map(rows.filter((row) => row.record !== undefined).map((row) => [row.id, row.record!]));
    const comparison = compareWithMapping({
      communityOf: partition.communityOf,
      mapping: mapping.groupOf,
      graph: comparisonGraph(
        inComparison,
        ties.map((tie) => ({ source: String(tie.source), target: String(tie.target), weight: num(tie.weight) })),
        (id) => recordById.get(id),
      ),
    });
    warnings.push(
      'group roles, brokers and cut points between groups are not computed by the neo4j engine (empty); run the ocgnet engine on a subgraph for them',
    );
    warnings.push("Burt's constraint and effective size are not computed by the neo4j engine (null)");

    next('markings');
    // The report's marking: every person, and every link and intermediate entity in the evidence.
    const markings: Marking[] = [];
    const nodes: NodeMetrics[] = rows.map((row) => {
      const marking =
        row.record !== undefined && (row.record as { kind?: string }).kind === 'person'
          ? entityMarking(row.record)
          : PUBLIC;
      markings.push(marking);
      const node: NodeMetrics = {
        id: row.id,
        label: row.label,
        degree: value(row, P.degree),
        strength: value(row, P.strength),
        betweenness: value(row, P.betweenness) * betweennessScale,
        closeness: value(row, P.closeness),
        harmonic: value(row, P.harmonic) * (n - 1),
        eigenvector: Number.NaN,
        // networkx's PageRank (teleport and dangling mass spread uniformly) is GDS's rescaled to sum to 1.
        pagerank: pagerankTotal > 0 ? value(row, P.pagerank) / pagerankTotal : Number.NaN,
        coreness: value(row, P.coreness),
        clustering: value(row, P.clustering),
        constraint: Number.NaN,
        effectiveSize: Number.NaN,
        community: partition.communityOf[row.id]!,
        component: componentOf.get(value(row, P.component))!,
        articulation: articulation.has(row.id),
        safeguarding: row.record !== undefined && isSafeguardingSubject(row.record),
        marking,
      };
      const group = mapping.groupOf[row.id];
      if (group !== undefined) {
        node.mappedGroup = group;
        const role = mapping.roleOf[row.id];
        if (role !== undefined) node.mappedRole = role;
      }
      return node;
    });
    if (strictItems.size > 0) {
      const linkIds: string[] = [];
      const entityIds: string[] = [];
      for (const item of strictItems) (item.startsWith('l:') ? linkIds : entityIds).push(item.slice(2));
      const records = await run(
        session,
        `CALL () { UNWIND $entityIds AS id MATCH (e:Entity {id: id}) RETURN 'entity' AS kind, e.record AS record\n` +
          `  UNION ALL UNWIND $linkIds AS id MATCH (:Entity)-[r:${LINK_RELATIONSHIP_TYPES.join('|')} {id: id}]->(:Entity) RETURN 'link' AS kind, r.record AS record }\n` +
          `RETURN kind, record`,
        { entityIds, linkIds },
      );
      for (const row of records) {
        const record = JSON.parse(String(row.record)) as Entity | Link;
        markings.push(row.kind === 'link' ? linkMarking(record as Link) : entityMarking(record as Entity));
      }
    }

    const isolates = nodes.reduce((count, node) => count + (node.degree === 0 ? 1 : 0), 0);
    return {
      classification: DEFAULT_CLASSIFICATION,
      marking: strictestMarking(markings),
      graph: {
        nodes: n,
        edges: m,
        density: n < 2 ? 0 : (2 * m) / (n * (n - 1)),
        components: componentOrder.length,
        largestComponent: componentOrder[0]?.[1].length ?? 0,
        isolates,
        weighted,
        directedInput: false,
        selfLoopsIgnored: 0,
      },
      nodes,
      communities: {
        count: partition.members.length,
        modularity,
        algorithm: parameters.communityAlgorithm,
        resolution: parameters.resolution,
        seed: parameters.seed,
        members: partition.members,
      },
      bridges,
      articulationPoints: [...articulation].sort(compareIds),
      groupsBy: 'mapping',
      comparison,
      roles: [],
      brokers: [],
      cutPoints: [],
      parameters,
      warnings,
    };
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    try {
      await session.run('CALL gds.graph.drop($graphName, false) YIELD graphName RETURN graphName', { graphName });
    } catch (error) {
      // A failed drop must not hide the error that brought us here.
      // eslint-disable-next-line no-unsafe-finally -- only when nothing else is being thrown
      if (!failed) throw error;
    } finally {
      await session.close();
    }
  }
}
