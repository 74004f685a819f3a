/**
 * The record workflow end to end: generate, validate, import, stats; and what
 * happens on bad input: a clear message naming file, line and field, exit
 * code 1, and no output left behind.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMALL_FIXTURE, runCli, runCliProcess, temporaryFolder } from './cli.fixtures.js';

describe('generate', () => {
  it('is deterministic and reproduces the checked-in small fixture byte for byte', async () => {
    const out = temporaryFolder();
    const run = await runCli('generate', '--size', 'small', '--seed', '42', '--out', out, '-q');
    expect(run.code, run.stderr).toBe(0);
    for (const name of ['entities.csv', 'links.csv', 'truth.csv']) {
      expect(readFileSync(join(out, name), 'utf8'), name).toBe(readFileSync(join(SMALL_FIXTURE, name), 'utf8'));
    }
    const other = temporaryFolder();
    await runCli('generate', '--size', 'small', '--seed', '43', '--out', other, '-q');
    expect(readFileSync(join(other, 'links.csv'), 'utf8')).not.toBe(readFileSync(join(out, 'links.csv'), 'utf8'));
  });

  it('refuses a bad size or seed as a usage error', async () => {
    expect((await runCli('generate', '--size', 'huge', '--out', temporaryFolder())).code).toBe(2);
    expect((await runCli('generate', '--seed', 'abc', '--out', temporaryFolder())).code).toBe(2);
  });
});

describe('import and stats', () => {
  it('imports the small fixture and reports the same stats from the graph file as from the CSVs', async () => {
    const out = join(temporaryFolder(), 'graph.ocgnet.ndjson');
    const imported = await runCli('import', SMALL_FIXTURE, '--out', out, '-q');
    expect(imported.code, imported.stderr).toBe(0);
    const header = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]!);
    expect(header).toMatchObject({
      format: 'ocgnet-graph',
      schema_version: 1,
      classification: 'OFFICIAL-SENSITIVE',
      model: 'records',
    });
    expect(header.inputs.map((input: { sha256: string }) => input.sha256)).toEqual([
      expect.stringMatching(/^[0-9a-f]{64}$/),
      expect.stringMatching(/^[0-9a-f]{64}$/),
    ]);

    const fromCsv = JSON.parse((await runCli('stats', '--json', '-q', SMALL_FIXTURE)).stdout);
    const fromGraph = JSON.parse((await runCli('stats', '--json', '-q', out)).stdout);
    const { inputs: _a, ...csvStats } = fromCsv;
    const { inputs: _b, ...graphStats } = fromGraph;
    expect(graphStats).toEqual(csvStats);

    const entities = readFileSync(join(SMALL_FIXTURE, 'entities.csv'), 'utf8').trim().split('\n').length - 1;
    const links = readFileSync(join(SMALL_FIXTURE, 'links.csv'), 'utf8').trim().split('\n').length - 1;
    expect(csvStats.nodes).toBe(entities);
    expect(csvStats.edges).toBe(links);
    expect(csvStats.byKind.person).toBe(csvStats.persons.nodes);
    expect(Object.values(csvStats.byKind as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(entities);
    expect(csvStats.byMarking.C).toBeGreaterThan(0);
    expect(csvStats.byMarking.R).toBeGreaterThan(0);
  });

  it('prints a readable summary by default', async () => {
    const run = await runCli('stats', '-q', SMALL_FIXTURE);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/OFFICIAL-SENSITIVE/);
    expect(run.stdout).toMatch(/person projection/);
    expect(run.stdout).toMatch(/by kind[\s\S]*person/);
  });

  it('validate says what the files hold', async () => {
    const run = await runCli('validate', '-q', SMALL_FIXTURE);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^valid: \d+ entities, \d+ links/);
  });
});

/** A copy of the small fixture with one cell changed. */
function fixtureWithBadRow(): { folder: string; line: number } {
  const folder = temporaryFolder();
  cpSync(SMALL_FIXTURE, folder, { recursive: true });
  const path = join(folder, 'links.csv');
  const lines = readFileSync(path, 'utf8').split('\n');
  const header = lines[0]!.split(',');
  const sourceEval = header.indexOf('source_eval');
  const line = 7;
  const cells = lines[line - 1]!.split(',');
  cells[sourceEval] = '9';
  lines[line - 1] = cells.join(',');
  writeFileSync(path, lines.join('\n'));
  return { folder, line };
}

describe('bad input', () => {
  it('one bad row: exit 1, file:line: field named, and no output written', async () => {
    const { folder, line } = fixtureWithBadRow();
    const out = join(folder, 'out', 'graph.ocgnet.ndjson');
    const run = await runCli('import', folder, '--out', out, '-q');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${join(folder, 'links.csv')}:${line}: source_eval: must be one of "1", "2", "3"`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(folder, 'out')) ? readdirSync(join(folder, 'out')) : []).toEqual([]);
  });

  it('a failed import leaves an earlier output untouched', async () => {
    const { folder } = fixtureWithBadRow();
    const out = join(folder, 'graph.ocgnet.ndjson');
    writeFileSync(out, 'previous content\n');
    expect((await runCli('import', folder, '--out', out, '-q')).code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('previous content\n');
  });

  it('--skip-invalid writes the rejects file and says how many', async () => {
    const { folder, line } = fixtureWithBadRow();
    const out = join(folder, 'graph.ocgnet.ndjson');
    const run = await runCli('import', folder, '--out', out, '--skip-invalid', '-q');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/1 invalid record\(s\) set aside/);
    const rejects = readFileSync(`${out}.rejects.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text));
    expect(rejects).toEqual([
      expect.objectContaining({ line, kind: 'link', reasons: [expect.objectContaining({ field: 'source_eval' })] }),
    ]);
    const header = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]!);
    expect(header.rejected).toBe(1);
  });

  it('a missing file, a binary file and an unknown type are clear errors without a stack trace', async () => {
    const folder = temporaryFolder();
    const missing = await runCli('stats', join(folder, 'nope.csv'));
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/nope\.csv: no such file or directory/) });
    const binary = join(folder, 'garbage.csv');
    writeFileSync(binary, Buffer.from([0x00, 0xff, 0xfe, 0x22, 0x0a, 0x01, 0x02, 0x22, 0x2c]));
    const garbage = await runCli('stats', binary);
    expect([1, 2]).toContain(garbage.code);
    expect(garbage.stderr).toMatch(/garbage\.csv/);
    const unknown = join(folder, 'notes.docx');
    writeFileSync(unknown, 'hello');
    expect((await runCli('stats', unknown)).code).toBe(2);
    // A .txt file is read as a headerless edge list: one word is a bad line there, named with its field.
    const words = join(folder, 'notes.txt');
    writeFileSync(words, 'hello');
    const text = await runCli('stats', words);
    expect(text).toMatchObject({ code: 1, stderr: expect.stringMatching(/notes\.txt:1: target: missing target/) });
    for (const run of [missing, garbage, text]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('usage errors exit 2', async () => {
    expect((await runCli('frobnicate')).code).toBe(2);
    expect((await runCli('import', SMALL_FIXTURE)).code).toBe(2);
    expect((await runCli('stats')).code).toBe(2);
    expect((await runCli('--help')).code).toBe(0);
  });
});

describe('as a real process', () => {
  it('runs from the bin entry point, shows progress on stderr and sets the exit code', () => {
    const ok = runCliProcess(['stats', '--json', SMALL_FIXTURE]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).nodes).toBeGreaterThan(0);
    expect(ok.stderr).toMatch(/read \[/);
    const bad = runCliProcess(['stats', '/nonexistent/file.csv']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
