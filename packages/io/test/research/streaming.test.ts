/** The edge-list reader streams: chunks in, graph out, no whole-file string. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseEdgeListCsv, parseResearchGraph } from '../../src/index.js';
import { expectGraph } from './helpers.js';

const ROWS = 200_000;

/** Generates an edge list 500 rows per chunk, as bytes; the whole text never exists at once. */
function generate(progress: { chunks: number }): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  return (async function* () {
    yield encoder.encode('source,target,weight,note\n');
    const rowsPerChunk = 500;
    for (let start = 0; start < ROWS; start += rowsPerChunk) {
      let text = '';
      for (let i = start; i < start + rowsPerChunk; i++) text += `n${i},n${i + 1},${(i % 7) + 1},"tie ${i}, café"\n`;
      progress.chunks++;
      yield encoder.encode(text);
    }
  })();
}

describe('streaming edge list', () => {
  it(`parses ${ROWS} rows from an async iterable of chunks`, async () => {
    const progress = { chunks: 0 };
    const graph = expectGraph(await parseEdgeListCsv(generate(progress), 'big.csv'));
    expect(progress.chunks).toBe(ROWS / 500);
    expect(graph.size).toBe(ROWS);
    expect(graph.order).toBe(ROWS + 1);
    expect(graph.getEdgeAttributes(graph.edge('n41', 'n42') as string)).toEqual({ weight: 7, note: 'tie 41, café' });
  });

  it('decodes multi-byte characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('source,target\nZAPPALÀ Giovanni,MUIÀ Francesco\n');
    const chunks = Array.from(bytes, (byte) => Uint8Array.of(byte));
    const graph = expectGraph(await parseEdgeListCsv(chunks, 'utf8.csv'));
    expect(graph.hasEdge('ZAPPALÀ Giovanni', 'MUIÀ Francesco')).toBe(true);
  });

  it('refuses invalid UTF-8 with an issue naming the line and column', async () => {
    const bytes = [...new TextEncoder().encode('source,target\na,b\n'), 0xff, 0xfe, 0x2c, 0x63, 0x0a];
    const result = await parseEdgeListCsv([Uint8Array.from(bytes)], 'bad.csv');
    expect(result.ok ? [] : result.issues).toEqual([
      { file: 'bad.csv', line: 3, field: 'source', reason: 'is not valid UTF-8 (byte 0xFF); save the file as UTF-8' },
    ]);
  });

  it('reads a Node Readable, and through the dispatcher with sniffing', async () => {
    const text = 'Source,Target,Weight\na,b,2\nb,c,3\n';
    const direct = expectGraph(await parseEdgeListCsv(Readable.from([text]), 'r.csv'));
    expect(direct.size).toBe(2);
    const sniffed = expectGraph(await parseResearchGraph(Readable.from(text.match(/.{1,5}/gs) ?? []), 'edges.csv'));
    expect(sniffed.getAttribute('format')).toBe('edgelist-csv');
    expect(sniffed.getEdgeAttribute(sniffed.edge('b', 'c') as string, 'weight')).toBe(3);
    const nodes = expectGraph(await parseResearchGraph(Readable.from(['id,label\nx,X\n']), 'people.csv'));
    expect([nodes.getAttribute('format'), nodes.order, nodes.getNodeAttribute('x', 'label')]).toEqual([
      'nodelist-csv',
      1,
      'X',
    ]);
  });
});
