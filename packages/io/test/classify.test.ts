/**
 * classifyInput: the one rule for what an input file is, which the CLI and
 * parseResearchGraph both follow.
 */
import { describe, expect, it } from 'vitest';
import { classifyInput, detectResearchFormat, parseResearchGraph, type InputClass } from '../src/index.js';
import { researchFormatOf } from '../src/classify.js';

const whole = (text: string) => ({ text, whole: true });

describe('classifyInput', () => {
  it.each<[string, string, InputClass]>([
    ['g.GraphML', '<graphml/>', { kind: 'research', research: 'graphml' }],
    ['g.paj', '*Vertices 1', { kind: 'research', research: 'pajek' }],
    ['g.dl', 'dl n=1', { kind: 'research', research: 'ucinet-dl' }],
    ['records.json', '[]', { kind: 'records-json' }],
    ['graph.ocgnet.ndjson', '{}', { kind: 'ndjson' }],
    ['records.jsonl', '{}', { kind: 'ndjson' }],
    ['entities.csv', 'id,kind,name\n', { kind: 'records-csv', table: 'entities' }],
    ['links.csv', '\uFEFF"id","type","from","to"\n', { kind: 'records-csv', table: 'links' }],
    ['edges.csv', '\n\nSource,Target,Weight\n', { kind: 'research', research: 'edgelist-csv' }],
    ['people.csv', 'id,label\n', { kind: 'research', research: 'nodelist-csv' }],
    ['pairs.csv', '1,2\n', { kind: 'plain-edge-list' }],
    ['pairs.csv', '# from SNAP\n1 2\n', { kind: 'plain-edge-list' }],
    ['pairs.txt', '1 2\n', { kind: 'plain-edge-list' }],
    ['pairs.edges', '% KONECT\n1 2\n', { kind: 'plain-edge-list' }],
    ['graph.txt', '<?xml version="1.0"?><graphml>', { kind: 'plain-edge-list', research: 'graphml' }],
    ['blank.csv', ' \r\n\uFEFF\n', { kind: 'empty' }],
    ['nothing.graphml', '', { kind: 'empty' }],
    ['nothing.txt', '', { kind: 'empty' }],
  ])('%s %j', (file, text, expected) => {
    expect(classifyInput(file, whole(text))).toEqual(expected);
  });

  it('names what it cannot read, and why', () => {
    expect(classifyInput('odd.csv', whole('name,age\n'))).toMatchObject({
      kind: 'unknown',
      reason: expect.stringMatching(/^CSV header fits no known format/),
    });
    expect(classifyInput('links.csv', whole('id,type\n'))).toMatchObject({ kind: 'unknown' });
    expect(classifyInput('notes.MD', whole('hello'))).toEqual({
      kind: 'unknown',
      reason: `unknown file type ".md"; see 'ocgnet --help' for the formats`,
    });
    expect(classifyInput('dir.v2/README', whole('hello'))).toMatchObject({
      reason: expect.stringContaining('"README"'),
    });
    // An unknown name whose content opens as a research format still says which.
    expect(classifyInput('network', whole('% c\n*Vertices 3\n'))).toMatchObject({ kind: 'unknown', research: 'pajek' });
  });

  it('needs the head only where the name does not say, and tells empty only from a whole file', () => {
    expect(classifyInput('g.gexf')).toEqual({ kind: 'research', research: 'gexf' });
    expect(classifyInput('e.csv')).toMatchObject({ kind: 'unknown' });
    expect(classifyInput('e.csv', ' \n')).toMatchObject({ kind: 'unknown' });
    expect(classifyInput('e.csv', { text: ' \n', whole: false })).toMatchObject({ kind: 'unknown' });
    expect(classifyInput('e.csv', new TextEncoder().encode('source,target\n'))).toEqual({
      kind: 'research',
      research: 'edgelist-csv',
    });
  });

  it('is what detectResearchFormat and parseResearchGraph go by', async () => {
    for (const [file, text] of [
      ['edges.csv', 'source,target\na,b\n'],
      ['entities.csv', 'id,kind\n'],
      ['graph.txt', '<graphml/>'],
      ['net', '*Vertices 2\n'],
      ['notes.md', 'hello'],
    ] as const) {
      expect(detectResearchFormat(file, text), file).toBe(researchFormatOf(classifyInput(file, text)));
    }
    const read = await parseResearchGraph('\nSource,Target\na,b\n', 'edges.csv');
    expect(read.ok && read.graph.getAttribute('format')).toBe('edgelist-csv');
    const blank = await parseResearchGraph(' \n', 'edges.csv');
    expect(blank.ok ? [] : blank.issues.map((issue) => issue.reason)).toEqual(['file is empty']);
  });

  it('takes the caller’s classification instead of classifying again', async () => {
    // By itself graph.txt opens as GraphML and would be read; the caller has found it a plain edge list,
    // so the plain edge-list reader reads it, and finds no edge line in it.
    const graphml =
      '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="undirected"><node id="a"/></graph></graphml>';
    expect((await parseResearchGraph(graphml, 'graph.txt')).ok).toBe(true);
    const refused = await parseResearchGraph(graphml, 'graph.txt', { classified: { kind: 'plain-edge-list' } });
    expect(refused.ok ? [] : refused.issues.map((issue) => issue.reason)).toEqual([
      expect.stringMatching(/^a quote inside an unquoted field/),
    ]);
  });
});
