/**
 * The edge-list rule for a repeated edge (src/research/repeatedEdges.ts): the
 * CSV reader merges a repeat in either orientation into one edge, weights
 * summed (no weight when the file has none), a repeated self-loop into one,
 * and warns once with the count; the plain-list reader keeps the same lines
 * for its consumers to merge, and merged by the rule they give the CSV
 * reader's graph. (csrFromEdges.test.ts in @ocgnet/analysis checks the
 * `--large` snapshot against the same rule, test/cli/repeatedEdges.test.ts
 * the commands.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parallelEdgesMerged,
  parseEdgeListCsv,
  parseEdgeListFast,
  parseResearchGraph,
  type ResearchParseResult,
} from '../../src/index.js';
import type Graph from 'graphology';

function graphOf(result: ResearchParseResult): Graph {
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.graph;
}

/** Edges as `u–v weight` strings, endpoints in file order of the first line. */
function ties(graph: Graph): string[] {
  return graph.mapEdges(
    (_e, attributes, u, v) => `${u}–${v}${attributes.weight === undefined ? '' : ` ${attributes.weight}`}`,
  );
}

// a–b three times (both orientations), d–d twice, e–c once.
const ROWS = [
  ['a', 'b', 2],
  ['b', 'c', 1],
  ['b', 'a', 3],
  ['c', 'd', 1],
  ['a', 'b', 0.5],
  ['d', 'd', 4],
  ['d', 'd', 1],
  ['e', 'c', 2],
] as const;

describe('the edge-list rule, CSV reader', () => {
  it('merges repeats in either orientation with their weights summed, a repeated self-loop too, and warns once with the count', async () => {
    const result = await parseEdgeListCsv(
      `source,target,weight\n${ROWS.map((row) => row.join(',')).join('\n')}\n`,
      'g.csv',
    );
    const graph = graphOf(result);
    expect(ties(graph)).toEqual(['a–b 5.5', 'b–c 1', 'c–d 1', 'd–d 5', 'e–c 2']);
    expect(graph.order).toBe(5);
    expect(result.warnings).toEqual([
      { file: 'g.csv', line: 4, field: 'target', reason: '3 parallel edge(s) merged, weights summed' },
    ]);
    expect(parallelEdgesMerged(3)).toBe('3 parallel edge(s) merged, weights summed');
    expect(graph.getAttribute('weighted')).toBe(true);
  });

  it('without a weight column a repeat is one tie with no weight', async () => {
    const result = await parseEdgeListCsv(
      `Source,Target\n${ROWS.map((row) => row.slice(0, 2).join(',')).join('\n')}\n`,
      'g.csv',
    );
    const graph = graphOf(result);
    expect(ties(graph)).toEqual(['a–b', 'b–c', 'c–d', 'd–d', 'e–c']);
    expect(result.warnings).toEqual([{ file: 'g.csv', line: 4, field: 'Target', reason: parallelEdgesMerged(3) }]);
  });

  it('read as directed, only the same orientation is a repeat', async () => {
    const result = await parseEdgeListCsv('source,target,weight\na,b,1\nb,a,2\na,b,4\n', 'g.csv', { directed: true });
    expect(ties(graphOf(result))).toEqual(['a–b 5', 'b–a 2']);
    expect(result.warnings.map((w) => [w.line, w.reason])).toEqual([[4, parallelEdgesMerged(1)]]);
  });

  it('merges repeats whose other columns agree; a file without repeats has no warning', async () => {
    const agree = await parseEdgeListCsv('source,target,weight,kind\na,b,1,x\nb,a,2,x\n', 'g.csv');
    expect(graphOf(agree).getEdgeAttributes(graphOf(agree).edge('a', 'b')!)).toEqual({ weight: 3, kind: 'x' });
    const none = await parseEdgeListCsv('source,target\na,b\nb,c\n', 'g.csv');
    expect(none.warnings).toEqual([]);
  });

  it('with a node list, repeats merge and an unknown endpoint is still an issue', async () => {
    const nodes = { text: 'id\na\nb\n', file: 'n.csv' };
    expect(ties(graphOf(await parseEdgeListCsv('source,target\na,b\nb,a\n', 'g.csv', { nodes })))).toEqual(['a–b']);
    const bad = await parseEdgeListCsv('source,target\na,b\nb,z\nb,z\n', 'g.csv', { nodes });
    expect(bad.ok ? [] : bad.issues.map((issue) => issue.line)).toEqual([3, 4]);
  });

  it('parseResearchGraph reads an edges.csv by the same rule', async () => {
    const result = await parseResearchGraph('source,target,weight\n1,2,1\n2,1,1\n', 'edges.csv');
    expect(ties(graphOf(result))).toEqual(['1–2 2']);
  });
});

describe('the edge-list rule, both readers', () => {
  it('the plain-list reader keeps every line; merged by the rule, its lines give the CSV reader’s graph and count', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 })),
          { minLength: 1, maxLength: 40 },
        ),
        async (rows) => {
          const plain = await parseEdgeListFast(rows.map(([u, v, w]) => `${u} ${v} ${w}`).join('\n'), 'g.txt');
          if (!plain.ok) throw new Error(JSON.stringify(plain.issues));
          expect(plain.source.length).toBe(rows.length);
          // The rule written out: one tie per unordered pair, in order of first appearance, weights summed.
          const merged = new Map<string, [string, string, number]>();
          for (let k = 0; k < plain.source.length; k++) {
            const u = plain.ids[plain.source[k]!]!;
            const v = plain.ids[plain.target[k]!]!;
            const key = [u, v].sort().join(' ');
            const tie = merged.get(key);
            if (tie) tie[2] += plain.weight![k]!;
            else merged.set(key, [u, v, plain.weight![k]!]);
          }
          const csv = await parseEdgeListCsv(
            `source,target,weight\n${rows.map((row) => row.join(',')).join('\n')}\n`,
            'g.csv',
          );
          const graph = graphOf(csv);
          expect(graph.mapEdges((_e, attributes, u, v) => [u, v, attributes.weight])).toEqual([...merged.values()]);
          expect(graph.nodes()).toEqual(plain.ids);
          const repeats = rows.length - merged.size;
          expect(csv.warnings.map((warning) => warning.reason)).toEqual(
            repeats === 0 ? [] : [parallelEdgesMerged(repeats)],
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
