/**
 * `ocgnet anonymise` and `ocgnet reproduce` end to end, on the small fixture
 * and on the public caviar network: refusal below k writes nothing (not even
 * the key), a perturbed export is written with its key apart, reproduces,
 * and stops reproducing when a file is altered; keys link or separate
 * exports; bad input gets one clear line and an exit code.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, SMALL_FIXTURE, expectSourceRevision, runCli, runCliProcess, temporaryFolder } from './cli.fixtures.js';

const CAVIAR = join(DATASETS, 'caviar');
const EXPORT_FILES = ['edges.csv', 'graph.dl', 'graph.gexf', 'graph.graphml', 'graph.net', 'manifest.json', 'nodes.csv'];

function pseudonymsIn(folder: string): Set<string> {
  return new Set([...readFileSync(join(folder, 'graph.graphml'), 'utf8').matchAll(/[PN]-[0-9a-f]{16}/g)].map((m) => m[0]));
}

describe('ocgnet anonymise on the small fixture', () => {
  const root = temporaryFolder('ocgnet-research-');
  const key = join(root, 'keys', 'small.key');
  const out = join(root, 'export');
  let written: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    mkdirSync(join(root, 'keys'));
    written = await runCli('anonymise', SMALL_FIXTURE, '--key-file', key, '--out', out, '--perturb', '--seed', '4', '-q');
  });

  it('refuses below k = 5 without --perturb, and writes nothing: no export, no key', async () => {
    const refusedOut = join(root, 'refused');
    const refusedKey = join(root, 'keys', 'refused.key');
    const run = await runCli('anonymise', SMALL_FIXTURE, '--key-file', refusedKey, '--out', refusedOut, '-q');
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/export refused: k-degree anonymity is 1, below the minimum of 5/);
    expect(run.stderr).toMatch(/--perturb/);
    expect(run.stderr).toMatch(/Nothing was written/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(refusedOut)).toBe(false);
    expect(existsSync(refusedKey)).toBe(false);
  });

  it('writes every format and the manifest with --perturb, and a new key apart from them (mode 600, 64 hex digits)', () => {
    expect(written.code, written.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(EXPORT_FILES);
    expect(readFileSync(key, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(written.stdout).toMatch(/k-degree anonymity: ([5-9]|\d\d+) \(minimum 5\)/);
    expect(written.stdout).toMatch(/new key written to/);
    expect(written.stderr).toMatch(/warning: the smallest group sharing \(degree, age band, area\) has 1 member/);
    expect(written.stderr).toMatch(/warning: the export rests partly on legacy 5x5x5 intelligence \(handling R\)/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.kind).toBe('ocgnet-research-export');
    expect(manifest.classification).toBe('OFFICIAL-SENSITIVE');
    expect(['P', 'C', 'R']).toContain(manifest.marking.handling);
    expect(manifest.inputs.map((input: { file: string }) => input.file)).toEqual(['entities.csv', 'links.csv']);
    expect(manifest.inputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.parameters.perturb.seed).toBe(4);
    expect(manifest.risk.kDegree).toBeGreaterThanOrEqual(5);
    expect(manifest.versions.node).toBe(process.versions.node);
    expectSourceRevision(manifest.versions.ocgnet_source);
    expect(manifest.files.map((file: { name: string }) => file.name).sort()).toEqual(EXPORT_FILES.filter((name) => name !== 'manifest.json'));
    expect(JSON.stringify(manifest)).not.toContain(readFileSync(key, 'utf8').trim());
  });

  it('--drop leaves the named attributes out of every file, and still reproduces; an unknown name is a usage error', async () => {
    const dropOut = join(root, 'dropped');
    const run = await runCli('anonymise', SMALL_FIXTURE, '--key-file', key, '--out', dropOut, '--perturb', '--seed', '4', '--drop', 'areas,channels', '-q');
    expect(run.code, run.stderr).toBe(0);
    const kept = readFileSync(join(out, 'graph.graphml'), 'utf8');
    const dropped = readFileSync(join(dropOut, 'graph.graphml'), 'utf8');
    for (const name of ['area', 'channels']) {
      expect(kept).toContain(`attr.name="${name}"`);
      expect(dropped).not.toContain(`attr.name="${name}"`);
      expect(readFileSync(join(dropOut, name === 'area' ? 'nodes.csv' : 'edges.csv'), 'utf8').split('\n')[0]).not.toContain(name);
    }
    expect(dropped).toContain('attr.name="age_band"');
    expect((await runCli('reproduce', join(dropOut, 'manifest.json'), '-q')).code).toBe(0);
    const bad = await runCli('anonymise', SMALL_FIXTURE, '--key-file', key, '--out', join(root, 'bad-drop'), '--drop', 'names', '-q');
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
    const again = await runCli('anonymise', SMALL_FIXTURE, '--key-file', key, '--out', out, '--perturb', '--seed', '4', '-q');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/is not empty/);
    const before = pseudonymsIn(out);
    const graphml = readFileSync(join(out, 'graph.graphml'), 'utf8');
    const forced = await runCli('anonymise', SMALL_FIXTURE, '--key-file', key, '--out', out, '--perturb', '--seed', '4', '--force', '-q');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/pseudonyms keyed with/);
    expect(readFileSync(join(out, 'graph.graphml'), 'utf8')).toBe(graphml);

    const other = join(root, 'other');
    const run = await runCli('anonymise', SMALL_FIXTURE, '--key-file', join(root, 'keys', 'other.key'), '--out', other, '--perturb', '--seed', '4', '-q');
    expect(run.code, run.stderr).toBe(0);
    const after = pseudonymsIn(other);
    expect(after.size).toBe(before.size);
    expect([...after].filter((pseudonym) => before.has(pseudonym))).toEqual([]);
  });

  it('refuses a key file inside the output folder, writing nothing', async () => {
    const folder = join(root, 'inside');
    const run = await runCli('anonymise', SMALL_FIXTURE, '--key-file', join(folder, 'k.key'), '--out', folder, '--perturb', '-q');
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

    const formats = await runCli('anonymise', SMALL_FIXTURE, '--key-file', join(root, 'keys', 'f.key'), '--out', join(root, 'f'), '--formats', 'graphml,xlsx', '-q');
    expect(formats.code).toBe(2);
    expect(formats.stderr).toMatch(/--formats takes a comma-separated list of graphml, gexf, csv, pajek, dl/);

    const missing = await runCli('anonymise', join(root, 'nowhere'), '--key-file', join(root, 'keys', 'm.key'), '--out', join(root, 'm'), '-q');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nowhere: no such file or directory/);

    const bad = join(root, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'entities.csv'), readFileSync(join(SMALL_FIXTURE, 'entities.csv'), 'utf8').replace(/\n1,P000002,person,/, '\n1,P000002,persn,'));
    writeFileSync(join(bad, 'links.csv'), readFileSync(join(SMALL_FIXTURE, 'links.csv')));
    const record = await runCli('anonymise', bad, '--key-file', join(root, 'keys', 'b.key'), '--out', join(root, 'b'), '-q');
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

describe('ocgnet anonymise on caviar (Morselli 2009)', () => {
  it('is refused at k = 5 as published (k-degree 1), exports with --perturb, and reproduces', async () => {
    const root = temporaryFolder('ocgnet-research-caviar-');
    const refused = await runCli('anonymise', CAVIAR, '--key-file', join(root, 'caviar.key'), '--out', join(root, 'refused'), '-q');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/k-degree anonymity: 1 \(minimum 5\)/);

    const out = join(root, 'export');
    const run = await runCli('anonymise', CAVIAR, '--key-file', join(root, 'caviar.key'), '--out', out, '--perturb', '--seed', '2', '--formats', 'gexf,dl', '-q');
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['graph.dl', 'graph.gexf', 'manifest.json']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.parameters.model).toBe('research');
    expect(manifest.marking.handling).toBe('P');
    expect(manifest.risk.kDegree).toBeGreaterThanOrEqual(5);
    expect(Object.keys(manifest.results.nodes)).toHaveLength(110);
    expect(manifest.perturbation.impact.components.after).toBe(1);
    expect(run.stdout).toMatch(/perturbation: \d+ edges added \(seed 2\); Spearman degree 0\.\d{3}/);
    // No caviar node id or label (1 … 110) survives: every node is a pseudonym.
    const gexf = readFileSync(join(out, 'graph.gexf'), 'utf8');
    expect(gexf.match(/<node id="N-[0-9a-f]{16}" label="N-[0-9a-f]{16}"/g)).toHaveLength(110);
    expect(gexf).not.toMatch(/<node id="\d+"|label="\d+"|(source|target)="\d+"/);
    const check = await runCli('reproduce', out, '-q');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/gexf re-imported \(110 nodes\)/);

    const low = await runCli('anonymise', CAVIAR, '--key-file', join(root, 'caviar.key'), '--out', join(root, 'low'), '--min-k', '1', '--dates', 'quarter', '-q');
    expect(low.code, low.stderr).toBe(0);
    expect(low.stdout).toMatch(/k-degree anonymity: 1 \(minimum 1\)/);
  });
});
