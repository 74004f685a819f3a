import { describe, expect, it } from 'vitest';
import { buildNetwork, describeGraph, projectPersons } from '../src/index.js';
import { syntheticRecords } from './synthetic.fixtures.js';

function timed<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, performance.now() - start];
}

describe('projection speed', () => {
  it('projects a medium record set (5k persons, ~50k links) quickly', () => {
    const set = syntheticRecords(5_000);
    expect(set.links.length).toBeGreaterThan(45_000);
    const network = buildNetwork(set);
    projectPersons(network); // warm-up, so the timing measures the code and not the JIT
    const [graph, ms] = timed(() => projectPersons(network));
    const stats = graph.getAttribute('stats');
    expect(graph.order).toBe(5_000);
    expect(graph.size).toBeGreaterThan(5_000);
    expect(stats.excluded.assessment).toBeGreaterThan(0);
    expect(stats.hubsNotExpanded.map((hub) => hub.id)).toEqual(['pub']);
    // The target is well under a second; the bound leaves room for a loaded CI machine.
    expect(ms).toBeLessThan(3_000);
    console.log(`medium: ${set.links.length} links → ${graph.size} edges in ${ms.toFixed(0)} ms`);
  });

  // About a minute in all; run with OCGNET_PERF_LARGE=1 (and NODE_OPTIONS=--max-old-space-size=8000 if the heap runs short).
  it.runIf(process.env.OCGNET_PERF_LARGE === '1')('projects a large record set (100k persons, ~1M links) in under a minute', () => {
    const set = syntheticRecords(100_000);
    const [network, buildMs] = timed(() => buildNetwork(set));
    const [graph, ms] = timed(() => projectPersons(network, { recency: { halfLifeDays: 365 } }));
    const [description, describeMs] = timed(() => describeGraph(graph));
    console.log(
      `large: ${set.links.length} links; network ${buildMs.toFixed(0)} ms; ` +
        `projection ${graph.size} edges in ${ms.toFixed(0)} ms; describe ${describeMs.toFixed(0)} ms; ` +
        `${description.components} components`,
    );
    expect(ms).toBeLessThan(60_000);
  });
});
