/**
 * Input is rejected or kept, never changed, through the ocgnet command: a
 * byte that is not UTF-8, a field over the size limit, an unbalanced quote
 * and an empty file each give one clear problem naming file, line and field,
 * exit code 1 (bad input), no stack trace, and no change to an output or a
 * store.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMALL_FIXTURE, runCli, runCliProcess, temporaryFolder } from './cli.fixtures.js';

/** A copy of the small fixture whose entities.csv is changed by `edit` (bytes in, bytes out). */
function fixtureWith(edit: (entities: Buffer) => Buffer): string {
  const folder = temporaryFolder();
  writeFileSync(join(folder, 'entities.csv'), edit(readFileSync(join(SMALL_FIXTURE, 'entities.csv'))));
  copyFileSync(join(SMALL_FIXTURE, 'links.csv'), join(folder, 'links.csv'));
  return folder;
}

/** Replaces the first occurrence of `from` in the bytes. */
function replaceBytes(bytes: Buffer, from: string, to: Buffer): Buffer {
  const at = bytes.indexOf(from);
  if (at < 0) throw new Error(`fixture lacks ${from}`);
  return Buffer.concat([bytes.subarray(0, at), to, bytes.subarray(at + Buffer.byteLength(from))]);
}

/** Problem lines on stderr (not the notes on conditions, nor the summary). */
function problems(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '' && !line.startsWith('note:') && !line.startsWith('ocgnet:'));
}

const FIRST_PERSON = ',P000001,person,Tracey Taylor,';
const SECOND_PERSON_LINE = 3;

describe('a byte that is not UTF-8', () => {
  it('two ids differing only in that byte are refused with file:line:id, not merged into one record', async () => {
    const folder = fixtureWith((bytes) => {
      // Two new people whose ids differ only in one Latin-1 byte: U+FFFD would make them one.
      const rest = ','.repeat(bytes.toString('latin1').split('\n')[0]!.split(',').length - 4);
      const row = (byte: number, label: string) =>
        Buffer.concat([Buffer.from('1,PX'), Buffer.of(byte), Buffer.from(`,person,${label}${rest}\n`)]);
      return Buffer.concat([bytes, row(0xe9, 'One'), row(0xe8, 'Two')]);
    });
    const rows = readFileSync(join(folder, 'entities.csv'), 'latin1').trimEnd().split('\n').length;
    const run = await runCli('validate', '-q', folder);
    expect(run.code).toBe(1);
    expect(problems(run.stderr)).toEqual([
      `${join(folder, 'entities.csv')}:${rows - 1}: id: is not valid UTF-8 (byte 0xE9); save the file as UTF-8`,
      `${join(folder, 'entities.csv')}:${rows}: id: is not valid UTF-8 (byte 0xE8); save the file as UTF-8`,
    ]);
  });

  it('an import into a store is refused and changes nothing (it was "1 updated")', async () => {
    const folder = temporaryFolder();
    const store = join(folder, 'ocgnet.db');
    expect((await runCli('import', '-q', SMALL_FIXTURE, '--store', store)).code).toBe(0);
    const before = JSON.parse((await runCli('store', 'info', store, '--json')).stdout).content_sha256;
    const bad = fixtureWith((bytes) =>
      replaceBytes(
        bytes,
        'Tracey Taylor',
        Buffer.concat([Buffer.from('Tracey Tayl'), Buffer.of(0xf6), Buffer.from('r')]),
      ),
    );
    const run = await runCli('import', '-q', bad, '--store', store);
    expect(run.code).toBe(1);
    expect(problems(run.stderr)[0]).toBe(
      `${join(bad, 'entities.csv')}:${SECOND_PERSON_LINE}: label: is not valid UTF-8 (byte 0xF6); save the file as UTF-8`,
    );
    expect(run.stdout).not.toMatch(/updated/);
    expect(JSON.parse((await runCli('store', 'info', store, '--json')).stdout).content_sha256).toBe(before);
  });

  it('a research network that is not UTF-8 is refused at its line', async () => {
    const folder = temporaryFolder();
    const file = join(folder, 'g.graphml');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('<graphml>\n<graph edgedefault="undirected">\n<node id="Caf'),
        Buffer.of(0xe9),
        Buffer.from('"/>\n</graph>\n</graphml>\n'),
      ]),
    );
    const run = await runCli('validate', '-q', file);
    expect(run.code).toBe(1);
    expect(problems(run.stderr)).toEqual([`${file}:3: is not valid UTF-8 (byte 0xE9); save the file as UTF-8`]);
  });
});

describe('a field over the size limit', () => {
  it('is a clean error naming file:line:field with the exit code of bad input, not a stack trace', () => {
    const folder = fixtureWith((bytes) =>
      replaceBytes(bytes, FIRST_PERSON, Buffer.from(`,P000001,person,Tracey ${'x'.repeat(2_000_000)},`)),
    );
    const out = join(folder, 'out.ocgnet.ndjson');
    // A real process: the crash was an unhandled error event, which kills the process whatever main() returns.
    const run = runCliProcess(['import', '-q', folder, '--out', out]);
    expect(run.code).toBe(1);
    expect(problems(run.stderr)).toEqual([
      `${join(folder, 'entities.csv')}:${SECOND_PERSON_LINE}: label: record longer than 1000000 bytes (the limit); stopped reading`,
    ]);
    expect(run.stderr).not.toMatch(/ERR_CRYPTO|\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});

describe('a file that failed to parse', () => {
  it('an unbalanced quote gives one parse error, and no cascade of "no entity with id"', async () => {
    const folder = fixtureWith((bytes) =>
      replaceBytes(bytes, FIRST_PERSON, Buffer.from(',P000001,person,"Tracey Taylor,')),
    );
    const run = await runCli('validate', '-q', folder);
    expect(run.code).toBe(1);
    expect(problems(run.stderr)).toHaveLength(1);
    expect(problems(run.stderr)).toEqual([
      `${join(folder, 'entities.csv')}:${SECOND_PERSON_LINE}: label: malformed CSV: text after the closing quote of a quoted cell; stopped reading`,
    ]);
    expect(run.stderr).not.toMatch(/no entity with id/);
  });
});

describe('an empty file', () => {
  it('says that it is empty, for records and research files alike, with the exit code of bad input', async () => {
    const folder = temporaryFolder();
    for (const name of ['entities.csv', 'links.csv', 'records.json', 'records.ndjson', 'g.graphml', 'g.net', 'g.txt']) {
      const file = join(folder, name);
      writeFileSync(file, '');
      const run = await runCli('validate', '-q', file);
      expect(run.code, name).toBe(1);
      expect(problems(run.stderr), name).toEqual([`${file}: file is empty`]);
    }
    // Beside a good links.csv, the empty entities.csv is the one problem: its links are not "missing" entities.
    const records = fixtureWith(() => Buffer.alloc(0));
    const run = await runCli('validate', '-q', records);
    expect(problems(run.stderr)).toEqual([`${join(records, 'entities.csv')}: file is empty`]);
  });

  it('with --json, validate lists the same problem', async () => {
    const file = join(temporaryFolder(), 'entities.csv');
    writeFileSync(file, '\n\n');
    const run = await runCli('validate', '-q', '--json', file);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: false,
      issues: [{ file, line: 0, field: '', reason: 'file is empty' }],
    });
  });
});
