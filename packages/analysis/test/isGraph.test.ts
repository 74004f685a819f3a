import Graph, { UndirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { isGraphologyGraph } from '../src/csr.js';
import { coreness } from '../src/metrics/coreness.js';

describe('isGraphologyGraph: the one check every function taking a graph makes', () => {
  it('accepts graphology graphs and refuses what only looks like one', () => {
    expect(isGraphologyGraph(new Graph())).toBe(true);
    expect(isGraphologyGraph(new UndirectedGraph())).toBe(true);
    for (const value of [null, undefined, {}, [], 'graph', { forEachEdge: () => undefined }, { order: 3 }]) {
      expect(isGraphologyGraph(value), JSON.stringify(value) ?? String(value)).toBe(false);
    }
  });

  it('is what the metrics refuse a non-graph by', () => {
    expect(() => coreness({ forEachEdge: () => undefined } as never)).toThrow(/expected a graphology graph/);
  });
});
