/**
 * `ocgnet anonymise` and `ocgnet reproduce` end to end, on the small fixture,
 * on a hand-made scenario with CHIS intelligence, and on the public caviar
 * network: refusal writes nothing (no export, no key, no ledger entry) and
 * names the attack, the number singled out and remedies it has checked; a
 * perturbed export is written with its key and ledger apart, leaves no
 * nominal singled out by the attack suite, reproduces, and stops reproducing
 * when a file is altered; a second release under one key is refused unless
 * asked for; keys link or separate exports; no condition text or handling
 * code reaches an export; bad input gets one clear line and an exit code.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { anonymisePersons, parseKeyFile, Pseudonymiser, readExportedGraph, type DateMode } from '@ocgnet/research';
import { attackRelease } from '../../packages/research/test/attacks.js';
import { CHIS_CONDITION, recordsIn, writeChisScenario } from '../../packages/research/test/research.fixtures.js';
import {
  DATASETS,
  SMALL_FIXTURE,
  expectSourceRevision,
  runCli,
  runCliProcess,
  temporaryFolder,
} from './cli.fixtures.js';

const CAVIAR = join(DATASETS, 'caviar');
const EXPORT_FILES = [
  'edges.csv',
  'graph.dl',
  'graph.gexf',
  'graph.graphml',
  'graph.net',
  'manifest.json',
  'nodes.csv',
];

function pseudonymsIn(folder: string): Set<string> {
  return new Set(
    [...readFileSync(join(folder, 'graph.graphml'), 'utf8').matchAll(/[PN]-[0-9a-f]{16}/g)].map((m) => m[0]),
  );
}

/**
 * The attack suite on a written export of records: the attacker's original is
 * the records anonymised as the manifest says (with the export's own key, so
 * that the attacks can score themselves); the release is read back from the
 * GraphML. Every attack must single out nobody.
 */
async function expectNoNominalSingledOut(records: string, out: string, keyFile: string): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  const { network, persons } = await recordsIn(records);
  const settings = manifest.parameters.anonymise;
  const original = anonymisePersons(persons, network, new Pseudonymiser(parseKeyFile(readFileSync(keyFile))), {
    dates: settings.dates as DateMode,
    weights: settings.weights,
    channels: settings.channels,
    keep: settings.keep,
    minK: manifest.parameters.minK,
  }).graph;
  const parsed = await readExportedGraph('graphml', (name) => readFileSync(join(out, name), 'utf8'), false);
  if (!parsed.ok) throw new Error('the export does not read back');
  const perturbation = manifest.perturbation;
  const results = attackRelease(original, parsed.graph, {
    perturbed: perturbation !== null,
    weightWildcard: perturbation?.weightsSuppressedToOne === true,
  });
  expect(results.length).toBeGreaterThan(4);
  for (const result of results) expect(result.singledOut, result.attack).toBe(0);
}

describe('ocgnet anonymise on the small fixture', () => {
  const root = temporaryFolder('ocgnet-research-');
  const key = join(root, 'keys', 'small.key');
  const out = join(root, 'export');
  let written: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    mkdirSync(join(root, 'keys'));
    written = await runCli(
      'anonymise',
      SMALL_FIXTURE,
      '--key-file',
      key,
      '--out',
      out,
      '--perturb',
      '--seed',
      '4',
      '-q',
    );
  });

  it('refuses below k = 5 without --perturb, naming the attack, how many it singles out and checked remedies, and writes nothing: no export, no key, no ledger', async () => {
    const refusedOut = join(root, 'refused');
    const refusedKey = join(root, 'keys', 'refused.key');
    const run = await runCli('anonymise', SMALL_FIXTURE, '--key-file', refusedKey, '--out', refusedOut, '-q');
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(
      /export refused: the strongest attack, on .* \((combined|propagated)\), singles out \d+ of \d+ nominals \(smallest candidate set 1, minimum 5\)/,
    );
    expect(run.stderr).toMatch(/^ {4}edge-attributes +singles out +\d+; smallest candidate set 1$/m);
    expect(run.stderr).toMatch(
      /suggested \(checked: the export passes with these flags\):\n {2}--perturb: \d+ ties added/,
    );
    expect(run.stderr).toMatch(/--weights bands\|none, --channels coarse\|none, --dates quarter\|year\|none/);
    expect(run.stderr).toMatch(/Nothing was written/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(refusedOut)).toBe(false);
    expect(existsSync(refusedKey)).toBe(false);
    expect(existsSync(`${refusedKey}.releases.json`)).toBe(false);
  });

  it('writes every format and the manifest with --perturb, a new key and its ledger apart from them (mode 600), and no nominal is singled out', async () => {
    expect(written.code, written.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(EXPORT_FILES);
    expect(readFileSync(key, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(statSync(`${key}.releases.json`).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(`${key}.releases.json`, 'utf8')).releases).toHaveLength(1);
    expect(written.stdout).toMatch(/release alone: k-degree anonymity ([5-9]|\d\d+)/);
    for (const measure of [
      'attributes',
      'degree',
      'neighbour-degrees',
      'edge-attributes',
      'neighbourhood',
      'combined',
      'propagated',
    ]) {
      expect(written.stdout).toMatch(
        new RegExp(`^ {4}${measure} +singles out +0; smallest candidate set ([5-9]|\\d\\d+)$`, 'm'),
      );
    }
    expect(written.stdout).toMatch(/perturbation \(automorphism\): \d+ ties added \(seed 4\)/);
    expect(written.stdout).toMatch(
      /research use: handling P, and C released to researcher; audiences as shipped, sha256 [0-9a-f]{64}; \d+ nominal\(s\) and \d+ link\(s\) not permitted were left out/,
    );
    expect(written.stdout).toMatch(/new key written to/);
    // Only P evidence by default: nothing legacy to warn about.
    expect(written.stderr).not.toMatch(/warning/);
    await expectNoNominalSingledOut(SMALL_FIXTURE, out, key);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.kind).toBe('ocgnet-research-export');
    expect(manifest.classification).toBe('OFFICIAL-SENSITIVE');
    expect(manifest.marking).toEqual({
      handling: 'P',
      conditionsApply: false,
      statement: 'handling P: made only from evidence with no handling conditions',
    });
    for (const measure of manifest.risk.measures) expect(measure.singledOut).toBe(0);
    expect(manifest.inputs.map((input: { file: string }) => input.file)).toEqual(['entities.csv', 'links.csv']);
    expect(manifest.inputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.parameters.perturb.seed).toBe(4);
    expect(manifest.risk.kDegree).toBeGreaterThanOrEqual(5);
    expect(manifest.versions.node).toBe(process.versions.node);
    expectSourceRevision(manifest.versions.ocgnet_source);
    expect(manifest.files.map((file: { name: string }) => file.name).sort()).toEqual(
      EXPORT_FILES.filter((name) => name !== 'manifest.json'),
    );
    expect(JSON.stringify(manifest)).not.toContain(readFileSync(key, 'utf8').trim());
  });

  it('a second release under the key is refused unless asked for; --drop then leaves the named attributes out of every file, and still reproduces; an unknown name is a usage error', async () => {
    const dropOut = join(root, 'dropped');
    const second = await runCli(
      'anonymise',
      SMALL_FIXTURE,
      '--key-file',
      key,
      '--out',
      dropOut,
      '--perturb',
      '--seed',
      '4',
      '--drop',
      'areas,channels',
      '-q',
    );
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      /export refused: a release was already made with this key: a second one is refused unless asked for \(--allow-second-release\); intersecting it with the 1 earlier release\(s\) under this key, an attacker who holds the original network singles out \d+ of \d+ nominals/,
    );
    expect(second.stderr).toMatch(/suggested: a new --key-file for a new release/);
    expect(existsSync(dropOut)).toBe(false);
    expect(JSON.parse(readFileSync(`${key}.releases.json`, 'utf8')).releases).toHaveLength(1);
    // The same seed on the same structure gives the same orbits: the two releases intersect to nothing more.
    const run = await runCli(
      'anonymise',
      SMALL_FIXTURE,
      '--key-file',
      key,
      '--out',
      dropOut,
      '--perturb',
      '--seed',
      '4',
      '--drop',
      'areas,channels',
      '--allow-second-release',
      '-q',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^ {4}intersection +singles out +0; smallest candidate set ([5-9]|\d\d+) \(with 1 earlier release\(s\) under this key\)$/m,
    );
    expect(JSON.parse(readFileSync(`${key}.releases.json`, 'utf8')).releases).toHaveLength(2);
    await expectNoNominalSingledOut(SMALL_FIXTURE, dropOut, key);
    const kept = readFileSync(join(out, 'graph.graphml'), 'utf8');
    const dropped = readFileSync(join(dropOut, 'graph.graphml'), 'utf8');
    for (const name of ['area', 'channels']) {
      expect(kept).toContain(`attr.name="${name}"`);
      expect(dropped).not.toContain(`attr.name="${name}"`);
      expect(
        readFileSync(join(dropOut, name === 'area' ? 'nodes.csv' : 'edges.csv'), 'utf8').split('\n')[0],
      ).not.toContain(name);
    }
    expect(dropped).toContain('attr.name="age_band"');
    expect((await runCli('reproduce', join(dropOut, 'manifest.json'), '-q')).code).toBe(0);
    const bad = await runCli(
      'anonymise',
      SMALL_FIXTURE,
      '--key-file',
      key,
      '--out',
      join(root, 'bad-drop'),
      '--drop',
      'names',
      '-q',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--drop: "names" is not one of ages, areas, channels, gradings, dates/);
  });

  it('reproduces from the export alone, and fails naming the file once one is altered', async () => {
    const copy = join(root, 'altered');
    mkdirSync(copy);
    for (const name of readdirSync(out)) writeFileSync(join(copy, name), readFileSync(join(out, name)));
    const fresh = await runCli('reproduce', join(copy, 'manifest.json'), '-q');
    expect(fresh.code, fresh.stdout + fresh.stderr).toBe(0);
    expect(fresh.stdout).toMatch(/^reproduced: 6 file\(s\) match their sha256; graphml re-imported \(156 nodes\)/);

    const edges = readFileSync(join(copy, 'edges.csv'), 'utf8').split('\n');
    edges.splice(5, 1);
    writeFileSync(join(copy, 'edges.csv'), edges.join('\n'));
    const altered = runCliProcess(['reproduce', copy, '-q']);
    expect(altered.code).toBe(1);
    expect(altered.stdout).toMatch(/^mismatch: files\.edges\.csv\.sha256: recorded [0-9a-f]{64}, found [0-9a-f]{64}$/m);
    expect(altered.stderr).toMatch(/1 mismatch\(es\)/);
    expect(altered.stderr).not.toMatch(/\n\s+at /);
    expect(altered.stderr).not.toMatch(/note: the export was made by ocgnet at/);

    // Made by other code: a mismatch then names both revisions.
    const manifest = JSON.parse(readFileSync(join(copy, 'manifest.json'), 'utf8'));
    manifest.versions.ocgnet_source = 'f'.repeat(40);
    writeFileSync(join(copy, 'manifest.json'), JSON.stringify(manifest));
    const elsewhere = runCliProcess(['reproduce', copy, '-q']);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/note: the export was made by ocgnet at f{40}; this is /);
  });

  it('refuses a non-empty --out unless --force; the same key then gives the same pseudonyms, another key none of them', async () => {
    const again = await runCli(
      'anonymise',
      SMALL_FIXTURE,
      '--key-file',
      key,
      '--out',
      out,
      '--perturb',
      '--seed',
      '4',
      '-q',
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/is not empty/);
    const before = pseudonymsIn(out);
    const graphml = readFileSync(join(out, 'graph.graphml'), 'utf8');
    const forced = await runCli(
      'anonymise',
      SMALL_FIXTURE,
      '--key-file',
      key,
      '--out',
      out,
      '--perturb',
      '--seed',
      '4',
      '--force',
      '-q',
    );
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/pseudonyms keyed with/);
    // The same data, options and key give the same release: nothing new, not a second release.
    expect(forced.stdout).toMatch(
      /identical to a release already in .*small\.key\.releases\.json: nothing new was released/,
    );
    expect(readFileSync(join(out, 'graph.graphml'), 'utf8')).toBe(graphml);

    const other = join(root, 'other');
    const run = await runCli(
      'anonymise',
      SMALL_FIXTURE,
      '--key-file',
      join(root, 'keys', 'other.key'),
      '--out',
      other,
      '--perturb',
      '--seed',
      '4',
      '-q',
    );
    expect(run.code, run.stderr).toBe(0);
    const after = pseudonymsIn(other);
    expect(after.size).toBe(before.size);
    expect([...after].filter((pseudonym) => before.has(pseudonym))).toEqual([]);
  });

  it('refuses a key file inside the output folder, writing nothing', async () => {
    const folder = join(root, 'inside');
    const run = await runCli(
      'anonymise',
      SMALL_FIXTURE,
      '--key-file',
      join(folder, 'k.key'),
      '--out',
      folder,
      '--perturb',
      '-q',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/inside the output folder/);
    expect(existsSync(folder)).toBe(false);
  });

  it('reports bad input in one line with an exit code: a short key, a bad format list, a missing input, a bad record, a broken manifest', async () => {
    const shortKey = join(root, 'keys', 'short.key');
    writeFileSync(shortKey, 'abcdef\n');
    chmodSync(shortKey, 0o600);
    const short = await runCli('anonymise', SMALL_FIXTURE, '--key-file', shortKey, '--out', join(root, 'short'), '-q');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/short\.key: key is 3 bytes; a pseudonym key must be at least 32 random bytes/);

    const formats = await runCli(
      'anonymise',
      SMALL_FIXTURE,
      '--key-file',
      join(root, 'keys', 'f.key'),
      '--out',
      join(root, 'f'),
      '--formats',
      'graphml,xlsx',
      '-q',
    );
    expect(formats.code).toBe(2);
    expect(formats.stderr).toMatch(/--formats takes a comma-separated list of graphml, gexf, csv, pajek, dl/);

    const missing = await runCli(
      'anonymise',
      join(root, 'nowhere'),
      '--key-file',
      join(root, 'keys', 'm.key'),
      '--out',
      join(root, 'm'),
      '-q',
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nowhere: no such file or directory/);

    const bad = join(root, 'bad');
    mkdirSync(bad);
    writeFileSync(
      join(bad, 'entities.csv'),
      readFileSync(join(SMALL_FIXTURE, 'entities.csv'), 'utf8').replace(/\n1,P000002,person,/, '\n1,P000002,persn,'),
    );
    writeFileSync(join(bad, 'links.csv'), readFileSync(join(SMALL_FIXTURE, 'links.csv')));
    const record = await runCli(
      'anonymise',
      bad,
      '--key-file',
      join(root, 'keys', 'b.key'),
      '--out',
      join(root, 'b'),
      '-q',
    );
    expect(record.code).toBe(1);
    expect(record.stderr).toMatch(/entities\.csv:\d+: kind: /);
    expect(existsSync(join(root, 'keys', 'b.key'))).toBe(false);

    writeFileSync(join(root, 'broken.json'), '{"kind": ');
    const broken = await runCli('reproduce', join(root, 'broken.json'), '-q');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.json: not valid JSON/);
    writeFileSync(join(root, 'other.json'), '{"kind": "something-else"}');
    const other = await runCli('reproduce', join(root, 'other.json'), '-q');
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/other\.json: kind: must be "ocgnet-research-export"/);
  });
});

describe('ocgnet anonymise on records with CHIS intelligence', () => {
  it('exports no CHIS-only nominal, no condition and no handling code; the marking states the handling; a ledger of another key is refused', async () => {
    const root = temporaryFolder('ocgnet-research-chis-');
    const records = join(root, 'records');
    writeChisScenario(records);
    const key = join(root, 'chis.key');
    const out = join(root, 'export');
    const run = await runCli('anonymise', records, '--key-file', key, '--out', out, '--min-k', '2', '--perturb', '-q');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /marking: OFFICIAL-SENSITIVE, handling P: made only from evidence with no handling conditions/,
    );
    expect(run.stdout).toMatch(/2 nominal\(s\) and \d+ link\(s\) not permitted were left out/);
    for (const name of readdirSync(out)) {
      const text = readFileSync(join(out, name), 'utf8');
      expect(text, name).not.toContain('CHIS');
      expect(text, name).not.toContain(CHIS_CONDITION.slice(0, 20));
      expect(text, name).not.toMatch(/"handling_?conditions"|attr\.name="handling"|for="handling"/);
    }
    expect(run.stdout + run.stderr).not.toContain(CHIS_CONDITION.slice(0, 20));
    expect(readFileSync(join(out, 'nodes.csv'), 'utf8').split('\n').filter(Boolean)).toHaveLength(1 + 6);
    expect(readFileSync(join(out, 'edges.csv'), 'utf8').split('\n')[0]).toBe(
      'source,target,weight,channels,assessment,first_seen,last_seen',
    );
    await expectNoNominalSingledOut(records, out, key);

    // A new key beside another key's ledger: refused before anything is written.
    writeFileSync(join(root, 'fresh.key.releases.json'), readFileSync(`${key}.releases.json`));
    const stale = await runCli(
      'anonymise',
      records,
      '--key-file',
      join(root, 'fresh.key'),
      '--out',
      join(root, 'stale'),
      '--min-k',
      '2',
      '--perturb',
      '-q',
    );
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/fresh\.key\.releases\.json: this ledger records the releases of another key/);
    expect(existsSync(join(root, 'stale'))).toBe(false);
    expect(existsSync(join(root, 'fresh.key'))).toBe(false);
  });
});

describe('ocgnet anonymise: research use of C evidence is decided by release_to and the audiences file', () => {
  const nodeRows = (out: string) => readFileSync(join(out, 'nodes.csv'), 'utf8').split('\n').filter(Boolean).length - 1;

  it('uses CHIS links released to the researcher audience, never their condition; not when the force configures no researcher audience; a bad file is refused naming it', async () => {
    const root = temporaryFolder('ocgnet-research-release-');
    const records = join(root, 'records');
    writeChisScenario(records, { releaseChisLinksTo: 'researcher' });

    // Shipped audiences: PX's two CHIS links name `researcher`, so PX is exported (7 nominals, not 6).
    const shipped = join(root, 'shipped');
    const used = await runCli(
      'anonymise',
      records,
      '--key-file',
      join(root, 'a.key'),
      '--out',
      shipped,
      '--min-k',
      '2',
      '--perturb',
      '-q',
    );
    expect(used.code, used.stderr).toBe(0);
    expect(nodeRows(shipped)).toBe(7);
    const manifest = JSON.parse(readFileSync(join(shipped, 'manifest.json'), 'utf8'));
    expect(manifest.parameters.anonymise.researchUse).toMatch(
      /^handling P, and C released to researcher; audiences as shipped, sha256 [0-9a-f]{64}$/,
    );
    expect(manifest.marking.handling).toBe('C');
    for (const name of readdirSync(shipped)) {
      const text = readFileSync(join(shipped, name), 'utf8');
      expect(text, name).not.toContain('CHIS');
      expect(text, name).not.toContain(CHIS_CONDITION.slice(0, 20));
    }

    // The force's file without a researcher audience: the same links are not permitted.
    const config = JSON.parse(readFileSync(join('packages', 'profiles', 'audiences', 'default.json'), 'utf8'));
    config.audiences = config.audiences.filter((audience: { kind: string }) => audience.kind !== 'researcher');
    const forceFile = join(root, 'audiences.json');
    writeFileSync(forceFile, JSON.stringify(config));
    const withheld = join(root, 'withheld');
    const notUsed = await runCli(
      'anonymise',
      records,
      '--key-file',
      join(root, 'b.key'),
      '--out',
      withheld,
      '--min-k',
      '2',
      '--perturb',
      '--audiences',
      forceFile,
      '-q',
    );
    expect(notUsed.code, notUsed.stderr).toBe(0);
    expect(nodeRows(withheld)).toBe(6);
    expect(JSON.parse(readFileSync(join(withheld, 'manifest.json'), 'utf8')).parameters.anonymise.researchUse).toMatch(
      /^handling P only \(no researcher audience\); audiences of the force, sha256 [0-9a-f]{64}$/,
    );

    // A file that breaks the schema: one clear error naming it, nothing written.
    writeFileSync(
      forceFile,
      JSON.stringify({ schema_version: 2, audiences: [{ id: 'researcher', kind: 'scientist' }] }),
    );
    const bad = await runCli(
      'anonymise',
      records,
      '--key-file',
      join(root, 'c.key'),
      '--out',
      join(root, 'bad'),
      '--audiences',
      forceFile,
      '-q',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`--audiences ${forceFile} is not a valid audiences file`);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(root, 'bad'))).toBe(false);
    expect(existsSync(join(root, 'c.key'))).toBe(false);
  });
});

describe('ocgnet anonymise on caviar (Morselli 2009)', () => {
  it('is refused at k = 5 as published (k-degree 1), exports with --perturb, and reproduces', async () => {
    const root = temporaryFolder('ocgnet-research-caviar-');
    const refused = await runCli(
      'anonymise',
      CAVIAR,
      '--key-file',
      join(root, 'caviar.key'),
      '--out',
      join(root, 'refused'),
      '-q',
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/release alone: k-degree anonymity 1;/);
    expect(refused.stderr).toMatch(/^ {4}degree +singles out +\d+; smallest candidate set 1$/m);

    const out = join(root, 'export');
    const run = await runCli(
      'anonymise',
      CAVIAR,
      '--key-file',
      join(root, 'caviar.key'),
      '--out',
      out,
      '--perturb',
      '--seed',
      '2',
      '--formats',
      'gexf,dl',
      '-q',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['graph.dl', 'graph.gexf', 'manifest.json']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.parameters.model).toBe('research');
    expect(manifest.marking.handling).toBe('P');
    expect(manifest.risk.kDegree).toBeGreaterThanOrEqual(5);
    for (const measure of manifest.risk.measures) expect(measure.k, measure.measure).toBeGreaterThanOrEqual(5);
    expect(Object.keys(manifest.results.nodes)).toHaveLength(110);
    expect(manifest.perturbation.impact.components.after).toBe(1);
    expect(run.stdout).toMatch(/perturbation \(automorphism\): \d+ ties added \(seed 2\); Spearman degree -?0\.\d{3}/);
    // No caviar node id or label (1 … 110) survives: every node is a pseudonym.
    const gexf = readFileSync(join(out, 'graph.gexf'), 'utf8');
    expect(gexf.match(/<node id="N-[0-9a-f]{16}" label="N-[0-9a-f]{16}"/g)).toHaveLength(110);
    expect(gexf).not.toMatch(/<node id="\d+"|label="\d+"|(source|target)="\d+"/);
    const check = await runCli('reproduce', out, '-q');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/gexf re-imported \(110 nodes\)/);

    const low = await runCli(
      'anonymise',
      CAVIAR,
      '--key-file',
      join(root, 'low.key'),
      '--out',
      join(root, 'low'),
      '--min-k',
      '1',
      '--dates',
      'quarter',
      '-q',
    );
    expect(low.code, low.stderr).toBe(0);
    expect(low.stdout).toMatch(/release alone: k-degree anonymity 1;/);
    expect(low.stdout).toMatch(/re-identification by an attacker who holds the original network \(minimum k 1\)/);
  });
});
