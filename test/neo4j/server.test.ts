/**
 * The Neo4j 5.26 + GDS test server (globalSetup.ts) really works: Bolt round trips, GDS is installed,
 * and GDS algorithms give answers that match independent computations here.
 *
 * Graph: Zachary's karate club (fixtures/networks/karate-club, 34 nodes, 78 ties) plus a triangle, a
 * pair and an isolated node, so the graph has 4 connected components and one node without ties.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETWORKS_ROOT } from '../networks.js';
import {
  deleteLabelled,
  dropGraph,
  NO_NEO4J,
  neo4jUriOrSkip,
  uniqueLabel,
  uniqueName,
  withDriver,
  withIntegers,
} from './neo4j.fixtures.js';
import { skipUnless } from '../skip.js';

const datasetsRoot = NETWORKS_ROOT;

interface Edge {
  source: number;
  target: number;
  weight: number;
}

function karateEdges(): Edge[] {
  const text = readFileSync(path.join(datasetsRoot, 'karate-club', 'edges.csv'), 'utf8');
  const [header, ...rows] = text.trim().split(/\r?\n/);
  expect(header).toBe('source,target,weight');
  return rows.map((row) => {
    const [source, target, weight] = row.split(',').map(Number);
    return { source: source!, target: target!, weight: weight! };
  });
}

/** The test graph: karate club (ids 0..33) + triangle 100-101-102 + pair 103-104 + isolate 105. */
function testGraph(): { nodes: number[]; edges: Edge[] } {
  const karate = karateEdges();
  expect(karate).toHaveLength(78);
  const extra: Edge[] = [
    { source: 100, target: 101, weight: 1 },
    { source: 101, target: 102, weight: 1 },
    { source: 102, target: 100, weight: 1 },
    { source: 103, target: 104, weight: 1 },
  ];
  const nodes = [...Array.from({ length: 34 }, (_, i) => i), 100, 101, 102, 103, 104, 105];
  return { nodes, edges: [...karate, ...extra] };
}

function adjacency(nodes: number[], edges: Edge[]): Map<number, number[]> {
  const adj = new Map<number, number[]>(nodes.map((n) => [n, []]));
  for (const { source, target } of edges) {
    adj.get(source)!.push(target);
    adj.get(target)!.push(source);
  }
  return adj;
}

/** Connected components by breadth-first search: node -> component index. */
function components(adj: Map<number, number[]>): Map<number, number> {
  const comp = new Map<number, number>();
  let next = 0;
  for (const start of adj.keys()) {
    if (comp.has(start)) continue;
    const queue = [start];
    comp.set(start, next);
    while (queue.length > 0) {
      const v = queue.shift()!;
      for (const w of adj.get(v)!) {
        if (!comp.has(w)) {
          comp.set(w, next);
          queue.push(w);
        }
      }
    }
    next += 1;
  }
  return comp;
}

/** Two labelings describe the same partition. */
function samePartition(a: Map<number, unknown>, b: Map<number, unknown>): boolean {
  const ab = new Map<unknown, unknown>();
  const ba = new Map<unknown, unknown>();
  for (const [node, x] of a) {
    const y = b.get(node);
    if (y === undefined) return false;
    if (ab.has(x) && ab.get(x) !== y) return false;
    if (ba.has(y) && ba.get(y) !== x) return false;
    ab.set(x, y);
    ba.set(y, x);
  }
  return a.size === b.size;
}

/**
 * GDS PageRank, unnormalised (scaler None): PR(v) = (1 - d) + d * sum over neighbours u of PR(u) / deg(u).
 * Power iteration to convergence.
 */
function referencePageRank(adj: Map<number, number[]>, d = 0.85): Map<number, number> {
  let score = new Map<number, number>([...adj.keys()].map((v) => [v, 1]));
  for (let iteration = 0; iteration < 10_000; iteration += 1) {
    const next = new Map<number, number>();
    let change = 0;
    for (const [v, neighbours] of adj) {
      let sum = 0;
      for (const u of neighbours) sum += score.get(u)! / adj.get(u)!.length;
      const value = 1 - d + d * sum;
      change = Math.max(change, Math.abs(value - score.get(v)!));
      next.set(v, value);
    }
    score = next;
    if (change < 1e-13) break;
  }
  return score;
}

/** Brandes betweenness for an undirected, unweighted graph, counting each unordered pair once. */
function referenceBetweenness(adj: Map<number, number[]>, sources?: number[]): Map<number, number> {
  const bc = new Map<number, number>([...adj.keys()].map((v) => [v, 0]));
  for (const s of sources ?? adj.keys()) {
    const stack: number[] = [];
    const preds = new Map<number, number[]>([...adj.keys()].map((v) => [v, []]));
    const sigma = new Map<number, number>([...adj.keys()].map((v) => [v, 0]));
    const dist = new Map<number, number>();
    sigma.set(s, 1);
    dist.set(s, 0);
    const queue = [s];
    while (queue.length > 0) {
      const v = queue.shift()!;
      stack.push(v);
      for (const w of adj.get(v)!) {
        if (!dist.has(w)) {
          dist.set(w, dist.get(v)! + 1);
          queue.push(w);
        }
        if (dist.get(w) === dist.get(v)! + 1) {
          sigma.set(w, sigma.get(w)! + sigma.get(v)!);
          preds.get(w)!.push(v);
        }
      }
    }
    const delta = new Map<number, number>([...adj.keys()].map((v) => [v, 0]));
    while (stack.length > 0) {
      const w = stack.pop()!;
      for (const v of preds.get(w)!) {
        delta.set(v, delta.get(v)! + (sigma.get(v)! / sigma.get(w)!) * (1 + delta.get(w)!));
      }
      if (w !== s) bc.set(w, bc.get(w)! + delta.get(w)!);
    }
  }
  // Every unordered pair was counted from both ends.
  for (const [v, value] of bc) bc.set(v, value / 2);
  return bc;
}

/** Newman modularity of a partition of an unweighted undirected graph. */
function modularity(adj: Map<number, number[]>, community: Map<number, unknown>): number {
  let twoM = 0;
  for (const neighbours of adj.values()) twoM += neighbours.length;
  let inside = 0;
  const degreeSum = new Map<unknown, number>();
  for (const [v, neighbours] of adj) {
    const c = community.get(v);
    degreeSum.set(c, (degreeSum.get(c) ?? 0) + neighbours.length);
    for (const w of neighbours) if (community.get(w) === c) inside += 1;
  }
  let expected = 0;
  for (const sum of degreeSum.values()) expected += (sum / twoM) ** 2;
  return inside / twoM - expected;
}

type Row = Record<string, unknown>;

async function rows(driver: Driver, query: string, params: Record<string, unknown> = {}): Promise<Row[]> {
  const result = await driver.executeQuery(query, params);
  return result.records.map((record) => record.toObject());
}

/** Runs a GDS stream procedure and maps our node id -> the named result column. */
async function streamById(
  driver: Driver,
  procedure: string,
  graph: string,
  config: Record<string, unknown>,
  column: string,
): Promise<Map<number, number>> {
  const result = await rows(
    driver,
    `CALL ${procedure}($graph, $config) YIELD nodeId, ${column} ` +
      `RETURN gds.util.asNode(nodeId).id AS id, ${column} AS value`,
    { graph, config: withIntegers(config) },
  );
  const byId = new Map<number, number>();
  for (const row of result) {
    expect(byId.has(row.id as number)).toBe(false);
    byId.set(row.id as number, row.value as number);
  }
  expect(result).toHaveLength(byId.size);
  return byId;
}

const uri = neo4jUriOrSkip();

describe('Neo4j 5.26 + GDS test server', skipUnless(uri !== undefined, NO_NEO4J), () => {
  it('is Neo4j 5.26 community edition, bound to 127.0.0.1', async () => {
    expect(uri).toMatch(/^bolt:\/\/127\.0\.0\.1:\d+$/);
    await withDriver(async (driver) => {
      const [component] = await rows(driver, 'CALL dbms.components() YIELD name, versions, edition RETURN *');
      expect(component!.name).toBe('Neo4j Kernel');
      expect((component!.versions as string[])[0]).toMatch(/^5\.26\./);
      expect(component!.edition).toBe('community');
    });
  });

  it('round-trips parameters through a write and a read', async () => {
    const label = uniqueLabel('RoundTrip');
    const props = {
      name: 'Ædelstein “Ed” O’Brien 🚔',
      score: 0.1 + 0.2,
      count: 9_007_199_254_740_000,
      flag: true,
      tags: ['alpha', 'beta'],
      weights: [1.5, -2.25],
    };
    await withDriver(async (driver) => {
      try {
        const created = await rows(driver, `CREATE (n:\`${label}\`) SET n = $props RETURN elementId(n) AS id`, {
          props: withIntegers(props),
        });
        expect(created).toHaveLength(1);
        const read = await rows(
          driver,
          `MATCH (n:\`${label}\`) WHERE elementId(n) = $id ` +
            'RETURN properties(n) AS p, valueType(n.count) AS countType, valueType(n.score) AS scoreType',
          { id: created[0]!.id },
        );
        expect(read).toHaveLength(1);
        expect(read[0]!.p).toEqual(props);
        expect(read[0]!.countType).toBe('INTEGER NOT NULL');
        expect(read[0]!.scoreType).toBe('FLOAT NOT NULL');
        const counted = await rows(driver, `MATCH (n:\`${label}\`) RETURN count(n) AS n`);
        expect(counted[0]!.n).toBe(1);
      } finally {
        await deleteLabelled(driver, label);
      }
    });
  });

  it('has the GDS 2.13 procedures', async () => {
    await withDriver(async (driver) => {
      const [version] = await rows(driver, 'CALL gds.version() YIELD gdsVersion RETURN gdsVersion');
      expect(version!.gdsVersion).toMatch(/^2\.13\./);
      const names = (await rows(driver, "SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'gds.' RETURN name")).map(
        (row) => row.name as string,
      );
      for (const name of [
        'gds.graph.project',
        'gds.graph.drop',
        'gds.wcc.stream',
        'gds.pageRank.stream',
        'gds.louvain.stream',
        'gds.betweenness.stream',
        'gds.leiden.stream',
      ]) {
        expect(names).toContain(name);
      }
    });
  });

  describe('GDS algorithms on karate club + small components', () => {
    const label = uniqueLabel('Karate');
    const graphName = uniqueName('karate');
    const { nodes, edges } = testGraph();
    const adj = adjacency(nodes, edges);
    let nodeCount = 0;

    beforeAll(async () => {
      await withDriver(async (driver) => {
        await driver.executeQuery(`UNWIND $nodes AS id CREATE (:\`${label}\` {id: id})`, withIntegers({ nodes }));
        await driver.executeQuery(
          `UNWIND $edges AS e MATCH (a:\`${label}\` {id: e.source}), (b:\`${label}\` {id: e.target}) ` +
            'CREATE (a)-[:TIE {weight: toFloat(e.weight)}]->(b)',
          withIntegers({ edges }),
        );
        const [projected] = await rows(
          driver,
          'CALL gds.graph.project($graphName, $label, $relationships) ' +
            'YIELD graphName, nodeCount, relationshipCount RETURN *',
          {
            graphName,
            label,
            relationships: { TIE: { type: 'TIE', orientation: 'UNDIRECTED', properties: 'weight' } },
          },
        );
        nodeCount = projected!.nodeCount as number;
        // Undirected projection stores each tie in both directions.
        expect(projected!.relationshipCount).toBe(2 * edges.length);
      });
    });

    afterAll(async () => {
      await withDriver(async (driver) => {
        await dropGraph(driver, graphName);
        await deleteLabelled(driver, label);
      });
    });

    it('projects every node', () => {
      expect(nodeCount).toBe(40);
    });

    it('gds.graph.project also works as a Cypher aggregation (Cypher projection)', async () => {
      const cypherGraph = uniqueName('karateCypher');
      await withDriver(async (driver) => {
        try {
          const [projected] = await rows(
            driver,
            `MATCH (a:\`${label}\`) OPTIONAL MATCH (a)-[:TIE]->(b:\`${label}\`) ` +
              "WITH gds.graph.project($cypherGraph, a, b, {}, {undirectedRelationshipTypes: ['*']}) AS g " +
              'RETURN g.nodeCount AS nodeCount, g.relationshipCount AS relationshipCount',
            { cypherGraph },
          );
          expect(projected!.nodeCount).toBe(40);
          expect(projected!.relationshipCount).toBe(2 * edges.length);
        } finally {
          await dropGraph(driver, cypherGraph);
        }
      });
    });

    it('gds.wcc.stream finds the connected components computed here', async () => {
      await withDriver(async (driver) => {
        const wcc = await streamById(driver, 'gds.wcc.stream', graphName, {}, 'componentId');
        expect(wcc.size).toBe(nodeCount);
        const expected = components(adj);
        expect(new Set(expected.values()).size).toBe(4);
        expect(new Set(wcc.values()).size).toBe(4);
        expect(samePartition(wcc, expected)).toBe(true);
      });
    });

    it('gds.pageRank.stream matches unnormalised PageRank computed here', async () => {
      await withDriver(async (driver) => {
        const pr = await streamById(
          driver,
          'gds.pageRank.stream',
          graphName,
          { dampingFactor: 0.85, maxIterations: 1000, tolerance: 1e-12 },
          'score',
        );
        expect(pr.size).toBe(nodeCount);
        const expected = referencePageRank(adj);
        for (const [id, score] of expected) expect(pr.get(id)).toBeCloseTo(score, 6);
        // Unnormalised: each component without dangling nodes sums to its size; the isolate keeps 1 - d.
        const sum = [...pr.values()].reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(39 + 0.15, 5);
        expect(pr.get(105)).toBeCloseTo(0.15, 9);
        // In karate club the instructor (0) and the president (33) rank highest.
        const top = [...pr.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 2)
          .map(([id]) => id);
        expect(top.sort((a, b) => a - b)).toEqual([0, 33]);

        // With the default maxIterations (20) the scores have not converged: the sum is visibly below.
        const short = await streamById(driver, 'gds.pageRank.stream', graphName, {}, 'score');
        const shortSum = [...short.values()].reduce((a, b) => a + b, 0);
        expect(shortSum).toBeLessThan(sum - 0.1);
      });
    });

    it('gds.louvain.stream finds a high-modularity partition within components', async () => {
      await withDriver(async (driver) => {
        const config = { concurrency: 1 };
        const louvain = await streamById(driver, 'gds.louvain.stream', graphName, config, 'communityId');
        expect(louvain.size).toBe(nodeCount);
        // A community never spans two connected components.
        const comp = components(adj);
        const componentOf = new Map<number, number>();
        for (const [id, community] of louvain) {
          if (componentOf.has(community)) expect(componentOf.get(community)).toBe(comp.get(id));
          componentOf.set(community, comp.get(id)!);
        }
        expect(new Set(louvain.values()).size).toBeGreaterThanOrEqual(4 + 2); // karate splits in >= 3
        const q = modularity(adj, louvain);
        expect(q).toBeGreaterThan(0.4);
        // GDS's own modularity for the same (single-threaded, deterministic) run agrees with ours.
        const [stats] = await rows(
          driver,
          'CALL gds.louvain.stats($graphName, $config) YIELD modularity RETURN modularity',
          { graphName, config: withIntegers(config) },
        );
        expect(stats!.modularity as number).toBeCloseTo(q, 6);
      });
    });

    it('gds.betweenness.stream matches Brandes computed here, exactly and with sampling', async () => {
      await withDriver(async (driver) => {
        const exact = await streamById(driver, 'gds.betweenness.stream', graphName, {}, 'score');
        expect(exact.size).toBe(nodeCount);
        const expected = referenceBetweenness(adj);
        for (const [id, score] of expected) expect(exact.get(id)).toBeCloseTo(score, 6);
        expect(exact.get(0)).toBeGreaterThan(200); // networkx: 231.07 for node 0

        // Sampling every node is exact.
        const all = await streamById(
          driver,
          'gds.betweenness.stream',
          graphName,
          { samplingSize: nodeCount, samplingSeed: 7 },
          'score',
        );
        for (const [id, score] of expected) expect(all.get(id)).toBeCloseTo(score, 6);

        // A sample: one row per node, repeatable with the same seed, different from the exact scores.
        const config = { samplingSize: 8, samplingSeed: 42, concurrency: 1 };
        const sampled = await streamById(driver, 'gds.betweenness.stream', graphName, config, 'score');
        const again = await streamById(driver, 'gds.betweenness.stream', graphName, config, 'score');
        expect(sampled.size).toBe(nodeCount);
        expect(again).toEqual(sampled);
        for (const value of sampled.values()) expect(value).toBeGreaterThanOrEqual(0);
        expect([...sampled.entries()].some(([id, value]) => Math.abs(value - expected.get(id)!) > 1e-6)).toBe(true);
      });
    });
  });
});
