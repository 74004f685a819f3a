/** UCINET DL: hand-written edgelist1 and fullmatrix cases. */
import { describe, expect, it } from 'vitest';
import { parseDl, writeDl } from '../../src/index.js';
import { canonicalEdges, canonicalNodes, expectGraph } from './helpers.js';

describe('DL fullmatrix', () => {
  it('reads a labels: list and a row that wraps across lines', () => {
    const text = [
      'DL N=4',
      'FORMAT = FULLMATRIX',
      'LABELS:',
      'ann,bob',
      'cy,dee',
      'DATA:',
      '0 1 0 0',
      '1 0 2',
      '  0',
      '0 2 0 1',
      '0 0 1 0',
    ].join('\n');
    const graph = expectGraph(parseDl(text, 'm.dl'));
    expect(graph.type).toBe('undirected');
    expect(graph.getAttribute('weighted')).toBe(true);
    expect(canonicalNodes(graph)).toEqual(['ann\u0000ann', 'bob\u0000bob', 'cy\u0000cy', 'dee\u0000dee']);
    expect(canonicalEdges(graph, 'label')).toEqual(['ann--bob 1', 'bob--cy 2', 'cy--dee 1']);
  });

  it('reads row and column labels given separately, columns in another order', () => {
    const text = [
      'dl nr=3 nc=3 format=fullmatrix',
      'row labels:',
      '"A" "B" "C"',
      'col labels:',
      'C',
      'B',
      'A',
      'data:',
      '0 1 0',
      '1 0 1',
      '0 1 0',
    ].join('\n');
    const graph = expectGraph(parseDl(text, 'rc.dl'));
    // Columns run C, B, A: read by label, the matrix is symmetric.
    expect(graph.type).toBe('undirected');
    expect(canonicalEdges(graph, 'label')).toEqual(['A--B ', 'B--C ']);
    expect(graph.getAttribute('weighted')).toBe(false);
  });

  it('reads embedded labels and an asymmetric matrix as directed', () => {
    const text = [
      'dl n=3 format=fullmatrix labels embedded',
      'data:',
      'x y z',
      'x 0 1 0',
      'y 0 0 1',
      'z 0 0',
      '0',
    ].join('\n');
    const graph = expectGraph(parseDl(text, 'e.dl'));
    expect(graph.type).toBe('directed');
    expect(canonicalEdges(graph, 'label')).toEqual(['x->y ', 'y->z ']);
  });

  it('reads a two-mode (nr != nc) matrix as a bipartite graph', () => {
    const text = [
      'dl nr=2 nc=3 format=fullmatrix',
      'row labels:',
      'p1 p2',
      'column labels:',
      'e1 e2 e3',
      'data:',
      '1 0 1',
      '0 1 1',
    ].join('\n');
    const graph = expectGraph(parseDl(text, 'two.dl'));
    expect(graph.order).toBe(5);
    expect(graph.getNodeAttribute('e1', 'mode')).toBe('column');
    expect(canonicalEdges(graph, 'label')).toEqual(['e1--p1 ', 'e2--p2 ', 'e3--p1 ', 'e3--p2 ']);
  });

  it('reports a short matrix, a non-numeric cell and trailing values with lines', () => {
    const short = parseDl('dl n=2 format=fullmatrix\ndata:\n0 1\n1', 's.dl');
    expect(short.ok).toBe(false);
    if (!short.ok) expect(short.issues[0]).toMatchObject({ file: 's.dl', line: 4, field: 'data' });
    const bad = parseDl('dl n=2 format=fullmatrix\ndata:\n0 x\n1 0', 'b.dl');
    if (bad.ok) expect.fail('should not parse');
    expect(bad.issues[0]).toMatchObject({ line: 3, field: 'row 1 col 2' });
    const extra = parseDl('dl n=2 format=fullmatrix\ndata:\n0 1\n1 0\n7', 'x.dl');
    if (extra.ok) expect.fail('should not parse');
    expect(extra.issues[0]).toMatchObject({ line: 5, field: 'data' });
  });

  it('refuses an asymmetric matrix forced undirected', () => {
    const result = parseDl('dl n=2 format=fullmatrix\ndata:\n0 1\n0 0', 'a.dl', { directed: false });
    expect(result.ok).toBe(false);
  });

  it('writes a directed graph that reads back directed', () => {
    const graph = expectGraph(parseDl('dl n=3 format=fullmatrix\nlabels:\na,b,c\ndata:\n0 2 0\n0 0 3\n1 0 0', 'd.dl'));
    const again = expectGraph(parseDl(writeDl(graph, { format: 'fullmatrix' }), 'out.dl'));
    expect(canonicalEdges(again, 'label')).toEqual(canonicalEdges(graph, 'label'));
    const list = expectGraph(parseDl(writeDl(graph, { format: 'edgelist1' }), 'out.dl', { directed: true }));
    expect(canonicalEdges(list, 'label')).toEqual(canonicalEdges(graph, 'label'));
  });
});

describe('DL edgelist1', () => {
  it('adds unnamed isolates up to n with a warning', () => {
    const result = parseDl('dl n=4 format=edgelist1\nlabels embedded:\ndata:\n"a b" c 2\nc d\n', 'iso.dl');
    if (!result.ok) expect.fail(JSON.stringify(result.issues));
    expect(result.graph.order).toBe(4);
    expect(result.graph.hasNode('dl-unlabelled-1')).toBe(true);
    expect(result.warnings[0]).toMatchObject({ file: 'iso.dl', line: 1, field: 'n' });
    // UCINET reads a missing value as 1 once any line has one.
    expect(canonicalEdges(result.graph, 'label')).toEqual(['a b--c 2', 'c--d 1']);
  });

  it('reads vertex numbers against a labels: section', () => {
    const graph = expectGraph(parseDl('dl n=3\nformat=el1\nlabels:\nann, bob, cy\ndata:\n1 2\n2 3\n', 'n.dl'));
    expect(canonicalEdges(graph, 'label')).toEqual(['ann--bob ', 'bob--cy ']);
  });

  it('reports more labels than n, a bad vertex number and an unknown format', () => {
    const many = parseDl('dl n=1 format=edgelist1\nlabels embedded:\ndata:\na b\n', 'm.dl');
    if (many.ok) expect.fail('should not parse');
    expect(many.issues[0]).toMatchObject({ line: 1, field: 'n' });
    const number = parseDl('dl n=2 format=edgelist1\ndata:\n1 3\n', 'v.dl');
    if (number.ok) expect.fail('should not parse');
    expect(number.issues[0]).toMatchObject({ line: 3, field: 'to' });
    const format = parseDl('dl n=2 format=nodelist1\ndata:\n1 2\n', 'f.dl');
    if (format.ok) expect.fail('should not parse');
    expect(format.issues[0]).toMatchObject({ line: 1, field: 'format' });
  });

  it('reports a duplicate edge, including its reverse in an undirected file', () => {
    const result = parseDl('dl n=2 format=edgelist1\nlabels embedded:\ndata:\na b\nb a\n', 'dup.dl');
    if (result.ok) expect.fail('should not parse');
    expect(result.issues).toEqual([{ file: 'dup.dl', line: 5, field: 'to', reason: 'duplicate edge "b" -- "a"' }]);
  });

  it('refuses to write labels DL cannot hold', async () => {
    const graph = expectGraph(parseDl('dl n=2 format=edgelist1\nlabels embedded:\ndata:\na b\n', 'q.dl'));
    graph.setNodeAttribute('a', 'label', 'say "hi"');
    expect(() => writeDl(graph, { format: 'edgelist1' })).toThrow(/double quotes/);
    graph.setNodeAttribute('a', 'label', 'b');
    expect(() => writeDl(graph, { format: 'fullmatrix' })).toThrow(/more than one node/);
  });
});
