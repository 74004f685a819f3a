/**
 * The plain edge-list reader: the dialects it accepts give the same edges as
 * the CSV reader; chunk boundaries anywhere change nothing; every bad line is
 * an issue with file, line, field and reason.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { parseEdgeListCsv, parseEdgeListFast, readEdgeListFast, type EdgeArrays } from '../../src/index.js';

/** The edges as label triples, for comparisons. */
function triples(list: EdgeArrays): [string, string, number][] {
  return Array.from(list.source, (u, k) => [
    list.ids[u]!,
    list.ids[list.target[k]!]!,
    list.weight ? list.weight[k]! : 1,
  ]);
}

async function ok(text: string | Uint8Array[]): Promise<EdgeArrays> {
  const result = await parseEdgeListFast(text, 'g.txt');
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result;
}

async function issues(text: string) {
  const result = await parseEdgeListFast(text, 'g.txt');
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues;
}

describe('parseEdgeListFast', () => {
  test('space, tab and comma separated; comments, blank lines, CRLF, BOM and a header', async () => {
    const expected: [string, string, number][] = [
      ['0', '1', 1],
      ['1', '2', 1],
      ['2', 'x', 1],
      ['007', '0', 1],
    ];
    for (const text of [
      '# igraph\n0 1\n1\t2\n\n2  x\r\n% konect\n007 0',
      '\uFEFF0,1\r\n1, 2\r2 ,x\n007,0\n',
      'Source,Target\n0,1\n1,2\n2,x\n007,0\n',
    ]) {
      const list = await ok(text);
      expect(triples(list), JSON.stringify(text)).toEqual(expected);
      expect(list.weight).toBeNull();
      expect(list.ids).toEqual(['0', '1', '2', 'x', '007']);
    }
  });

  test('weights, parallel edges and self-loops are kept as read', async () => {
    const list = await ok('a b 2.5\nb a 1e-1\nc c 3\n');
    expect(triples(list)).toEqual([
      ['a', 'b', 2.5],
      ['b', 'a', 0.1],
      ['c', 'c', 3],
    ]);
    expect(list.weight).toBeInstanceOf(Float64Array);
    expect(list.source).toBeInstanceOf(Int32Array);
  });

  test('integer labels and text labels never collide; large integers and UTF-8 labels work', async () => {
    const list = await ok('1 2\n16777216 1\n99999999999 é\nÉlise 2\n');
    expect(list.ids).toEqual(['1', '2', '16777216', '99999999999', 'é', 'Élise']);
    expect(triples(list)[3]).toEqual(['Élise', '2', 1]);
  });

  test('equals the CSV reader on the same edges, whatever the chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 9 })),
          {
            minLength: 1,
            maxLength: 60,
            selector: ([u, v]) => `${Math.min(u, v)}-${Math.max(u, v)}`,
          },
        ),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }),
        async (edges, cuts) => {
          const text = edges.map(([u, v, w]) => `${u}\t${v} ${w}\r\n`).join('');
          const bytes = new TextEncoder().encode(text);
          const chunks: Uint8Array[] = [];
          for (let at = 0, k = 0; at < bytes.length; k++) {
            const size = cuts[k % cuts.length]!;
            chunks.push(bytes.subarray(at, at + size));
            at += size;
          }
          const fast = await ok(chunks);
          const csv = await parseEdgeListCsv(
            `source,target,weight\n${edges.map((e) => e.join(',')).join('\n')}\n`,
            'g.csv',
          );
          if (!csv.ok) throw new Error('csv');
          expect(triples(fast)).toEqual(csv.graph.mapEdges((_e, a, s, t) => [s, t, a.weight]));
        },
      ),
      { numRuns: 200 },
    );
  });

  test('unweighted lines: any separator and line break, split anywhere, read the same', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.oneof(fc.integer({ min: 0, max: 999 }), fc.constantFrom(9_999_999, 10_000_000, 16_777_216, 123_456_789)),
            fc.integer({ min: 0, max: 30 }),
            fc.constantFrom(' ', '\t', ',', ', ', ' ,\t', '  '),
            fc.constantFrom('\n', '\r\n', '\r', ' \n'),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 10 }),
        async (lines, cuts) => {
          const text = lines.map(([u, v, separator, end]) => `${u}${separator}${v}${end}`).join('');
          const bytes = new TextEncoder().encode(text);
          const chunks: Uint8Array[] = [];
          for (let at = 0, k = 0; at < bytes.length; k++) {
            chunks.push(bytes.subarray(at, at + cuts[k % cuts.length]!));
            at += cuts[k % cuts.length]!;
          }
          expect(triples(await ok(chunks))).toEqual(lines.map(([u, v]) => [String(u), String(v), 1]));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('labels take ids by first appearance when simple lines and others interleave', async () => {
    // Lines 2 and 4 take the fast path, whose labels are interned only when the next other line (or the end) comes.
    const list = await ok('5 x\n3 4\n007 3\n9 5\n# done\n12 13');
    expect(list.ids).toEqual(['5', 'x', '3', '4', '007', '9', '12', '13']);
    expect(triples(list)).toEqual([
      ['5', 'x', 1],
      ['3', '4', 1],
      ['007', '3', 1],
      ['9', '5', 1],
      ['12', '13', 1],
    ]);
  });

  test('labels numbered 0, 1, 2, … in order of appearance, until they are not: ids by first appearance, split anywhere', async () => {
    // Each line: a label already seen, the next in order, or one further on (which breaks the order), and now and then a line the general reader takes.
    const step = fc.tuple(
      fc.constantFrom('seen', 'next', 'next', 'next', 'skip'),
      fc.constantFrom('seen', 'next', 'next', 'skip'),
      fc.constantFrom('', '', '', '', '# note\n', '007 1\n'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 60 }),
        fc.nat(),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 10 }),
        async (steps, seed, cuts) => {
          let next = 0;
          let pick = seed;
          const label = (kind: string) =>
            kind === 'next' || next === 0
              ? next++
              : kind === 'seen'
                ? (pick = (pick * 31 + 7) % 1000) % next
                : next + 1 + (pick++ % 5);
          const lines = steps.map(([a, b, extra]) => `${extra}${label(a)} ${label(b)}\n`);
          const text = lines.join('');
          const expected: string[] = [];
          for (const field of text
            .split('\n')
            .filter((line) => line !== '' && !line.startsWith('#'))
            .flatMap((line) => line.split(' ')))
            if (!expected.includes(field)) expected.push(field);
          const bytes = new TextEncoder().encode(text);
          const chunks: Uint8Array[] = [];
          for (let at = 0, k = 0; at < bytes.length; k++) {
            chunks.push(bytes.subarray(at, at + cuts[k % cuts.length]!));
            at += cuts[k % cuts.length]!;
          }
          const list = await ok(chunks);
          expect(list.ids).toEqual(expected);
          expect(triples(list).map(([u, v]) => `${u} ${v}`)).toEqual(
            text.split('\n').filter((line) => line !== '' && !line.startsWith('#')),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a large first chunk, and one chunk against many small ones, read the same', async () => {
    // More lines in one chunk than the initial edge buffer holds; labels from 0 to past the first 2^16 page.
    const lines = Array.from(
      { length: 150_000 },
      (_x, k) => `${(k * 7919) % 100_003}${k % 3 === 0 ? ',' : '\t'}${k}${k % 5 === 0 ? '\r\n' : '\n'}`,
    );
    const bytes = new TextEncoder().encode(lines.join(''));
    const whole = await ok([bytes]);
    const pieces: Uint8Array[] = [];
    for (let at = 0, size = 1; at < bytes.length; at += size, size = (size * 5 + 3) % 4093)
      pieces.push(bytes.subarray(at, at + size));
    const chunked = await ok(pieces);
    expect(whole.source.length).toBe(150_000);
    expect(chunked.ids).toEqual(whole.ids);
    expect(Array.from(chunked.source)).toEqual(Array.from(whole.source));
    expect(Array.from(chunked.target)).toEqual(Array.from(whole.target));
    expect(whole.ids[whole.source[149_999]!]).toBe(String((149_999 * 7919) % 100_003));
    expect(whole.ids[whole.target[149_999]!]).toBe('149999');
  });

  test('every bad line is an issue naming file, line, field and reason; reading goes on', async () => {
    const found = await issues('1 2\n3\n4 5 6 7\n8 9\n"a b\n1,,2\n1,2,\n');
    expect(found).toEqual([
      { file: 'g.txt', line: 2, field: 'target', reason: expect.stringMatching(/missing target/) },
      { file: 'g.txt', line: 3, field: '', reason: expect.stringMatching(/^expected 2 or 3 fields .*, found 4/) },
      { file: 'g.txt', line: 5, field: 'source', reason: expect.stringMatching(/^unterminated quoted field/) },
      { file: 'g.txt', line: 6, field: 'target', reason: 'empty field' },
      { file: 'g.txt', line: 7, field: 'weight', reason: 'empty field' },
    ]);
    expect(await issues('1 2 1\n2 3\n3 4 x\n4 5 0\n5 6 -1\n6 7 Infinity\n')).toEqual([
      { file: 'g.txt', line: 2, field: '', reason: 'expected 3 fields as on line 1, found 2' },
      { file: 'g.txt', line: 3, field: 'weight', reason: 'weight "x" is not a number' },
      { file: 'g.txt', line: 4, field: 'weight', reason: 'weight 0 is not positive' },
      { file: 'g.txt', line: 5, field: 'weight', reason: 'weight -1 is not positive' },
      { file: 'g.txt', line: 6, field: 'weight', reason: 'weight "Infinity" is not a number' },
    ]);
    expect(await issues('source,target,weight\n1,2\n')).toEqual([
      { file: 'g.txt', line: 2, field: '', reason: 'expected 3 fields as the header says, found 2' },
    ]);
    expect(await issues('# nothing\n\n')).toEqual([
      { file: 'g.txt', line: 0, field: 'source', reason: expect.stringMatching(/no edges/) },
    ]);
    const invalid = await parseEdgeListFast([Uint8Array.from([0x61, 0x20, 0xff, 0xfe, 0x0a])], 'g.txt');
    expect(invalid.ok ? [] : invalid.issues).toEqual([
      { file: 'g.txt', line: 1, field: 'target', reason: 'is not valid UTF-8 (byte 0xFF); save the file as UTF-8' },
    ]);
  });

  test('stops after 1,000 issues, and on a line over the limit', async () => {
    const many = await issues('x\n'.repeat(5000));
    expect(many).toHaveLength(1001);
    expect(many.at(-1)!.reason).toMatch(/stopped reading/);
    const long = await parseEdgeListFast(
      [new TextEncoder().encode('1 2\n'), new Uint8Array(3 << 20).fill(0x61)],
      'g.txt',
    );
    expect(long.ok ? [] : long.issues).toEqual([
      { file: 'g.txt', line: 2, field: '', reason: expect.stringMatching(/longer than .*stopped reading/) },
    ]);
  });

  test('readEdgeListFast throws an InputError with the issues', async () => {
    await expect(readEdgeListFast('1\n', 'g.txt')).rejects.toMatchObject({
      name: 'InputError',
      issues: [{ line: 1, field: 'target' }],
    });
    expect((await readEdgeListFast('1 2\n', 'g.txt')).ids).toEqual(['1', '2']);
  });
});
