/**
 * Every package error the CLI reports reaches the user as one line,
 * `ocgnet: <userMessage>`, without the package prefix its `message` keeps
 * for logs, and with the exit code of its class and code (2 usage, 1 bad
 * input). Each expected error is raised here by calling the package itself
 * on the same input, so the test reads the message from the error class
 * rather than from a copy of its text.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { allShortestPaths, recordsGraphs } from '@ocgnet/analysis';
import { AuditLog } from '@ocgnet/audit';
import { EXIT, loadInputs } from '@ocgnet/cli';
import {
  keyPlayersNegative,
  planDisruption,
  safeguardingSubjects,
  simulateRecovery,
  simulateRemoval,
} from '@ocgnet/disruption';
import { resolveProjectionOptions } from '@ocgnet/graph';
import { writeResearchGraph } from '@ocgnet/io';
import { audienceById, buildProfile, defaultAudiences } from '@ocgnet/profiles';
import { checkManifest, parseKeyFile, parseLedger } from '@ocgnet/research';
import { OcgnetError, compareIds } from '@ocgnet/schema';
import { parseUsersConfig } from '@ocgnet/server';
import { openStore } from '@ocgnet/store';
import { beforeAll, describe, expect, it } from 'vitest';
import { SMALL_FIXTURE, runCli, temporaryFolder, type CliRun } from './cli.fixtures.js';

/** The error `act` throws (or rejects with); fails the test if it succeeds or throws something else. */
async function raised(act: () => unknown): Promise<OcgnetError> {
  try {
    await act();
  } catch (error) {
    expect(error).toBeInstanceOf(OcgnetError);
    return error as OcgnetError;
  }
  throw new Error('expected an error');
}

/** The run reported `error` as `shown` (default `ocgnet: <userMessage>`), with no package prefix and the given exit code. */
function expectReported(run: CliRun, error: OcgnetError, exit: number, shown = `ocgnet: ${error.userMessage}`): void {
  expect(error.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
  expect(run.code, run.stderr).toBe(exit);
  expect(run.stderr.split('\n')).toContain(shown);
  expect(run.stderr).not.toContain('@ocgnet/');
  expect(run.stderr).not.toMatch(/\n\s+at /);
  if (exit === EXIT.usage) expect(run.stderr).toContain("Run 'ocgnet --help' for usage.");
}

/** The message keeps its origin for logs; the user message is the same text without it. */
function expectPrefixed(error: OcgnetError): void {
  expect(error.origin).toMatch(/^@ocgnet\//);
  expect(error.message).toBe(`${error.origin}: ${error.userMessage}`);
}

const quiet = {
  quiet: true,
  stream: new Writable({ write: (_chunk, _encoding, done) => done() }) as unknown as NodeJS.WriteStream,
  skipInvalid: false,
};
let graphs: ReturnType<typeof recordsGraphs>;
let records: Extract<Awaited<ReturnType<typeof loadInputs>>, { model: 'records' }>['records'];

beforeAll(async () => {
  const loaded = await loadInputs([SMALL_FIXTURE], quiet);
  if (loaded.model !== 'records') throw new Error('the small fixture holds records');
  records = loaded.records;
  graphs = recordsGraphs(records, {});
});

describe('usage errors from the packages (exit 2)', () => {
  it('GraphError INVALID_OPTION: a projection flag the graph package rejects', async () => {
    const error = await raised(() => resolveProjectionOptions({ channelWeights: { gossip: 1 } as never }));
    expectPrefixed(error);
    expect(error.code).toBe('INVALID_OPTION');
    expectReported(await runCli('stats', '-q', SMALL_FIXTURE, '--weight', 'gossip=1'), error, EXIT.usage);
  });

  it('NavigationError: a node that is not in the graph', async () => {
    const error = await raised(() => allShortestPaths(graphs.persons, 'NOPE', 'P000002'));
    expectPrefixed(error);
    expect(error.code).toBe('UNKNOWN_NODE');
    expectReported(await runCli('path', '-q', SMALL_FIXTURE, 'NOPE', 'P000002'), error, EXIT.usage);
  });

  it('SimulationError: an unknown removal strategy', async () => {
    const error = await raised(() => simulateRemoval(graphs.persons, { strategy: 'astrology' as never }));
    expectPrefixed(error);
    expectReported(await runCli('disrupt', '-q', SMALL_FIXTURE, '--strategy', 'astrology'), error, EXIT.usage);
  });

  it('RecoveryError: an unknown recovery mechanism', async () => {
    const error = await raised(() =>
      simulateRecovery(graphs.persons, [], { mechanisms: [{ type: 'telepathy' as never, probability: 0.5 }] }),
    );
    expectPrefixed(error);
    expectReported(
      await runCli('disrupt', '-q', SMALL_FIXTURE, '--steps', '1', '--recovery', 'telepathy=0.5'),
      error,
      EXIT.usage,
    );
  });

  it('KeyPlayerError: a set larger than the network allows', async () => {
    const exclude = [...safeguardingSubjects(graphs.persons)].sort(compareIds);
    const error = await raised(() =>
      keyPlayersNegative(graphs.persons, {
        k: 100000,
        objective: 'fragmentation',
        seed: 1,
        ...(exclude.length > 0 ? { exclude } : {}),
      }),
    );
    expectPrefixed(error);
    expectReported(await runCli('keyplayers', '-q', SMALL_FIXTURE, '--k', '100000'), error, EXIT.usage);
  });

  it('PlanError UNKNOWN_GROUP: an OCG that is not mapped', async () => {
    const error = await raised(() =>
      planDisruption(graphs.network, graphs.persons, { ocg: 'NOPE', mapping: graphs.mapping }),
    );
    expectPrefixed(error);
    expect(error.code).toBe('UNKNOWN_GROUP');
    expectReported(await runCli('plan', '-q', SMALL_FIXTURE, '--ocg', 'NOPE'), error, EXIT.usage);
  });

  it('ProfileError INVALID_SUBJECT: a subject that is not kind:ID', async () => {
    const audience = audienceById(defaultAudiences(), 'police-analyst');
    const error = await raised(() =>
      buildProfile({ records, audience, subject: 'nonsense', createdAt: new Date().toISOString() }),
    );
    expect(error.code).toBe('INVALID_SUBJECT');
    const log = join(temporaryFolder(), 'audit.log');
    const run = await runCli(
      'profile',
      '-q',
      SMALL_FIXTURE,
      '--subject',
      'nonsense',
      '--audience',
      'police-analyst',
      '--who',
      't',
      '--justification',
      't',
      '--audit-log',
      log,
    );
    expectReported(run, error, EXIT.usage);
  });

  it('UsersConfigError: a users config that is not JSON, named by its file', async () => {
    const folder = temporaryFolder();
    const users = join(folder, 'users.json');
    writeFileSync(users, '{ nope');
    const error = await raised(() => parseUsersConfig(readFileSync(users, 'utf8')));
    // Any existing file passes the store's existence check; the users config is read before the store is opened.
    expectReported(
      await runCli('serve', '--store', users, '--users', users),
      error,
      EXIT.usage,
      `ocgnet: ${users}: ${error.userMessage}`,
    );
  });
});

describe('bad-input errors from the packages (exit 1)', () => {
  it('AuditError: a trail that cannot be read', async () => {
    const log = join(temporaryFolder(), 'missing.log');
    const error = await raised(() => new AuditLog(log).checkpoint());
    expectPrefixed(error);
    expectReported(await runCli('audit', 'checkpoint', log), error, EXIT.badInput);
  });

  it('PseudonymKeyError: a key file too short to be a key', async () => {
    const folder = temporaryFolder();
    const keyFile = join(folder, 'short.key');
    writeFileSync(keyFile, 'abcd\n', { mode: 0o600 });
    const error = await raised(() => parseKeyFile(readFileSync(keyFile), keyFile));
    expectReported(
      await runCli('anonymise', '-q', SMALL_FIXTURE, '--key-file', keyFile, '--out', join(folder, 'out')),
      error,
      EXIT.badInput,
    );
  });

  it("LedgerError: a key's ledger that is not JSON", async () => {
    const folder = temporaryFolder();
    const keyFile = join(folder, 'research.key');
    writeFileSync(keyFile, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
    writeFileSync(`${keyFile}.releases.json`, 'not a ledger');
    const error = await raised(() =>
      parseLedger('not a ledger', parseKeyFile(readFileSync(keyFile), keyFile), `${keyFile}.releases.json`),
    );
    expectReported(
      await runCli('anonymise', '-q', SMALL_FIXTURE, '--key-file', keyFile, '--out', join(folder, 'out')),
      error,
      EXIT.badInput,
    );
  });

  it('ResearchWriteError: a graph the chosen format cannot hold', async () => {
    const folder = temporaryFolder();
    const graphml = join(folder, 'quoted.graphml');
    writeFileSync(
      graphml,
      '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns"><key id="label" for="node" attr.name="label" attr.type="string"/>' +
        '<graph edgedefault="undirected"><node id="a"><data key="label">a"b</data></node><node id="b"/><edge source="a" target="b"/></graph></graphml>',
    );
    const loaded = await loadInputs([graphml], quiet);
    if (loaded.model !== 'research') throw new Error('a GraphML file is a research network');
    const error = await raised(() => writeResearchGraph(loaded.graph, 'dl'));
    expectReported(await runCli('import', '-q', graphml, '--out', join(folder, 'quoted.dl')), error, EXIT.badInput);
  });

  it('StoreError: a file that is not a store', async () => {
    const file = join(temporaryFolder(), 'notastore.db');
    writeFileSync(file, 'not an SQLite database');
    const error = await raised(() =>
      openStore(file, { who: 't', audience: 'police-analyst', justification: 't' }, { readonly: true }),
    );
    expect(error.code).toBe('CORRUPT');
    expectReported(await runCli('store', 'info', file), error, EXIT.badInput);
  });

  it('ManifestError: a manifest of another kind, named by its file and field', async () => {
    const manifest = join(temporaryFolder(), 'manifest.json');
    writeFileSync(manifest, '{"kind":"x"}');
    const error = await raised(() => checkManifest(JSON.parse(readFileSync(manifest, 'utf8'))));
    expectReported(
      await runCli('reproduce', '-q', manifest),
      error,
      EXIT.badInput,
      `${manifest}: ${error.userMessage}`,
    );
  });
});
