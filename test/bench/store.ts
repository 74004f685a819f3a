/**
 * The store benchmark: `ocgnet import` into each store and `ocgnet analyse`
 * in process and inside Neo4j (GDS), on one generated scenario, in one run.
 *
 *   pnpm bench:store [--size large|medium] [--seed 1] [--stores embedded,neo4j] [--in-process] [--neo4j-uri bolt://…]
 *
 * Every figure is the wall time of the real CLI as a user runs it (a child
 * process: start-up, reading and validating the files, the store's work).
 * Without --neo4j-uri the Neo4j 5.26 + GDS 2.13 test server is started (and
 * its start-up timed separately). The in-process analysis of the large
 * scenario takes far longer than GDS (exact betweenness on ~100,000 nodes),
 * so it runs only with --in-process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import neo4j from 'neo4j-driver';
import { startNeo4jServer, type Neo4jServer } from '../neo4j/server.js';
import { REPO_ROOT } from '../reference/python.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'large' },
    seed: { type: 'string', default: '1' },
    stores: { type: 'string', default: 'embedded,neo4j' },
    'in-process': { type: 'boolean', default: false },
    'neo4j-uri': { type: 'string' },
  },
});
const stores = values.stores.split(',').filter(Boolean);
const work = mkdtempSync(join(tmpdir(), 'ocgnet-bench-store-'));
// The large scenario (~1.4M records) is validated in memory before any store sees it.
const childEnv = {
  ...process.env,
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=12288`.trim(),
  OCGNET_USER: 'bench',
  OCGNET_JUSTIFICATION: 'benchmark',
};

function ocgnet(args: string[]): { seconds: number; stdout: string } {
  const start = process.hrtime.bigint();
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'packages', 'cli', 'src', 'bin.ts'), '-q', ...args],
    {
      cwd: REPO_ROOT,
      env: childEnv,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    },
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`ocgnet ${args.join(' ')} failed (${run.status}):\n${run.stderr}`);
  return { seconds, stdout: run.stdout };
}

const rows: [string, string, number][] = [];
function record(task: string, detail: string, seconds: number): void {
  rows.push([task, detail, seconds]);
  process.stderr.write(`${task}: ${seconds.toFixed(1)} s ${detail}\n`);
}

const scenario = join(work, 'scenario');
const generated = ocgnet([
  'generate',
  '--size',
  values.size,
  '--seed',
  values.seed,
  '--format',
  'ndjson',
  '--out',
  scenario,
]);
const lines = readFileSync(join(scenario, 'records.ndjson'), 'utf8').split('\n').length - 2;
record(
  'generate',
  `${values.size} seed ${values.seed}: ${lines} records, ${(statSync(join(scenario, 'records.ndjson')).size / 1e6).toFixed(0)} MB`,
  generated.seconds,
);

let server: Neo4jServer | undefined;
try {
  if (stores.includes('embedded')) {
    const file = join(work, 'bench.ocgnet.db');
    record('import → embedded store', `${lines} records`, ocgnet(['import', scenario, '--store', file]).seconds);
    record(
      'import again → embedded store (all unchanged)',
      `${lines} records`,
      ocgnet(['import', scenario, '--store', file]).seconds,
    );
    if (values['in-process'])
      record(
        'analyse in process (from the embedded store)',
        'exact betweenness',
        ocgnet(['analyse', '--store', file, '--json']).seconds,
      );
  }
  if (stores.includes('neo4j')) {
    let uri = values['neo4j-uri'];
    if (uri === undefined) {
      const start = process.hrtime.bigint();
      server = await startNeo4jServer({ heap: '8g' });
      uri = server.uri;
      record('start Neo4j 5.26 + GDS test server', '', Number(process.hrtime.bigint() - start) / 1e9);
    }
    const driver = neo4j.driver(uri);
    await driver
      .executeQuery('MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS')
      .catch(async () => {
        const session = driver.session();
        await session.run('MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
        await session.close();
      });
    await driver.close();
    record('import → neo4j store', `${lines} records`, ocgnet(['import', scenario, '--store', uri]).seconds);
    const gds = ocgnet(['analyse', '--store', uri, '--engine', 'neo4j', '--json']);
    const report = JSON.parse(gds.stdout) as {
      graph: { nodes: number; edges: number };
      communities: { count: number; modularity: number };
    };
    record(
      'analyse --engine neo4j (GDS)',
      `${report.graph.nodes} persons, ${report.graph.edges} associations, ${report.communities.count} communities, Q ${report.communities.modularity.toFixed(3)}`,
      gds.seconds,
    );
  }
} finally {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
}

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
console.log(
  `\nocgnet stores, ${values.size} scenario (seed ${values.seed}); commit ${commit}; ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}\n`,
);
console.log('| task | detail | wall s |');
console.log('|---|---|---|');
for (const [task, detail, seconds] of rows) console.log(`| ${task} | ${detail} | ${seconds.toFixed(1)} |`);
