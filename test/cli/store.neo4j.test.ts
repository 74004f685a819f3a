/**
 * The CLI over the Neo4j store, on the real Neo4j 5.26 + GDS test server:
 * import, any command reading the store, analyse in process and inside the
 * database (GDS), write-back, review and erasure.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateScenario, type ScenarioChunk } from '@ocgnet/generator';
import { contentHashOf, openStore } from '@ocgnet/store';
import { NO_NEO4J, neo4jUriOrSkip, withDriver } from '../neo4j/neo4j.fixtures.js';
import { SMALL_FIXTURE, runCli, runCliProcess, temporaryFolder } from './cli.fixtures.js';
import { skipUnless } from '../skip.js';

const uri = neo4jUriOrSkip();
const small: ScenarioChunk = generateScenario({ size: 'small', seed: 42 }).next().value;
const actor = { who: 'test', audience: 'police-analyst', justification: 'cli neo4j test' };

interface Report {
  graph: { nodes: number; edges: number; components: number };
  nodes: { id: string; pagerank: number; degree: number; component: number; coreness: number; community: number }[];
  communities: { modularity: number; count: number };
  manifest: { engine: string };
  warnings: string[];
}

describe('ocgnet with --store neo4j://', skipUnless(uri !== undefined, NO_NEO4J), () => {
  beforeAll(async () => {
    await withDriver(async (driver) => {
      const session = driver.session();
      try {
        await session.run('MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
      } finally {
        await session.close();
      }
    });
    const run = await runCli(
      'import',
      '-q',
      SMALL_FIXTURE,
      '--store',
      uri!,
      '--who',
      'analyst-7',
      '--justification',
      'Op Saffron',
    );
    expect(run.code, run.stderr).toBe(0);
  }, 300_000);

  it('holds exactly the fixture records after import', async () => {
    const store = await openStore(uri!, actor);
    try {
      expect(await store.contentHash()).toBe(contentHashOf(small));
      expect((await store.auditTrail())[0]!.event).toMatchObject({ action: 'import', who: 'analyst-7' });
    } finally {
      await store.close();
    }
  });

  it('analyse --engine neo4j gives the in-process answer: the same components, degrees and coreness, PageRank and modularity close', async () => {
    const inDatabase = await runCli('analyse', '-q', '--store', uri!, '--engine', 'neo4j', '--json', '--write-back');
    expect(inDatabase.code, inDatabase.stderr).toBe(0);
    const inProcess = await runCli('analyse', '-q', SMALL_FIXTURE, '--json');
    const gds = JSON.parse(inDatabase.stdout) as Report;
    const ours = JSON.parse(inProcess.stdout) as Report;
    expect(gds.manifest.engine).toBe('neo4j');
    expect(gds.graph).toMatchObject({
      nodes: ours.graph.nodes,
      edges: ours.graph.edges,
      components: ours.graph.components,
    });
    const byId = new Map(ours.nodes.map((node) => [node.id, node]));
    for (const node of gds.nodes) {
      const mine = byId.get(node.id)!;
      expect(node.degree).toBe(mine.degree);
      expect(node.coreness).toBe(mine.coreness);
      expect(node.component).toBe(mine.component);
      // Both engines run PageRank to its fixed point (packages/gds/test/gds.neo4j.test.ts: within 1e-6).
      expect(Math.abs(node.pagerank - mine.pagerank)).toBeLessThan(1e-6);
    }
    expect(Math.abs(gds.communities.modularity - ours.communities.modularity)).toBeLessThan(0.02);
    // Eigenvector, constraint and roles are not computed in the database: said, not invented.
    expect(gds.warnings.join('\n')).toMatch(/eigenvector/i);

    const store = await openStore(uri!, actor);
    try {
      const saved = await store.latestAnalysis();
      expect(saved?.engine).toBe('neo4j');
      expect(Object.keys(saved!.metrics).length).toBe(gds.nodes.length);
      expect((await store.auditTrail()).map((record) => record.event.action)).toContain('analyse');
    } finally {
      await store.close();
    }
  }, 300_000);

  it('any command reads the store named as its input (the same stats as from the files)', async () => {
    const fromStore = await runCli('stats', '-q', uri!, '--json');
    const fromFiles = await runCli('stats', '-q', SMALL_FIXTURE, '--json');
    expect(fromStore.code, fromStore.stderr).toBe(0);
    const { inputs: _a, ...storeStats } = JSON.parse(fromStore.stdout) as Record<string, unknown>;
    const { inputs: _b, ...fileStats } = JSON.parse(fromFiles.stdout) as Record<string, unknown>;
    expect(storeStats).toEqual(fileStats);
  });

  it('store review lists the records due, and store info reports an intact audit chain', async () => {
    const review = await runCli('store', 'review', uri!, '--as-of', '2026-09-30', '--json');
    expect(review.code, review.stderr).toBe(0);
    const due = (JSON.parse(review.stdout) as { due: { id: string }[] }).due.map((item) => item.id).sort();
    const expected = [...small.entities, ...small.links]
      .filter((record) => record.review_date !== undefined && record.review_date <= '2026-09-30')
      .map((record) => record.id)
      .sort();
    expect(due).toEqual(expected);
    const info = await runCli('store', 'info', uri!, '--json');
    expect(JSON.parse(info.stdout)).toMatchObject({ entities: small.entities.length, audit: { intact: true } });
  });

  it('issue 17: a link gone from its source is reported, then removed with --replace-source; an erased id leaves no audit record', async () => {
    const folder = temporaryFolder();
    const gone = small.links.find((link) => link.source === 'PNC')!;
    const without = { entities: small.entities, links: small.links.filter((link) => link.id !== gone.id) };
    const file = join(folder, 'without.json');
    writeFileSync(file, JSON.stringify({ schema_version: 1, ...without }));
    const kept = await runCli('import', '-q', file, '--store', uri!);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toContain(
      `are in the store but absent from this import; kept (--replace-source would remove them):\n  link ${gone.id}\n`,
    );
    const replaced = await runCli(
      'import',
      '-q',
      file,
      '--store',
      uri!,
      '--replace-source',
      '--reason',
      'source purge',
    );
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain(`  link ${gone.id}\n`);
    expect(replaced.stdout).toContain('removed 0 entities and 1 link(s)');

    const person = small.entities.find(
      (entity) => entity.kind === 'person' && without.links.some((link) => link.from === entity.id),
    )!;
    expect((await runCli('store', 'records', uri!, '--entity', person.id)).code).toBe(0);
    expect((await runCli('store', 'audit', uri!, '--events')).stdout).toContain(`"subject":"${person.id}"`);
    expect((await runCli('store', 'erase', uri!, person.id, '--justification', 'erasure ordered')).code).toBe(0);
    const events = await runCli('store', 'audit', uri!, '--events');
    expect(events.code, events.stderr).toBe(0);
    expect(events.stdout).not.toContain(person.id);
    expect(events.stdout).toContain('"subject":"(erased)"');
    const raw = await withDriver(async (driver) =>
      (await driver.executeQuery('MATCH (a:OcgnetAudit) RETURN a.line AS line')).records.map(
        (record) => record.get('line') as string,
      ),
    );
    expect(raw.join('\n')).not.toContain(person.id);
    expect(raw.join('\n')).not.toContain(gone.id);
    expect((await runCli('store', 'audit', uri!)).code).toBe(0);
  }, 300_000);

  it('an unreachable server is a clear error naming it, without a stack trace', () => {
    const run = runCliProcess(['import', '-q', SMALL_FIXTURE, '--store', 'neo4j://127.0.0.1:1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('127.0.0.1:1');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
