/**
 * `ocgnet path` and `ocgnet ego` on the small fixture: paths carry the
 * evidence behind every hop, and their marking is the strictest of the hops.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMALL_FIXTURE, runCli } from './cli.fixtures.js';

const linkIds = new Set(readFileSync(join(SMALL_FIXTURE, 'links.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')[1]));
const order = ['P', 'C', 'R'];

describe('ocgnet path', () => {
  it('lists shortest paths whose hops cite real link records, marked with the strictest hop', async () => {
    const run = await runCli('path', '-q', '--json', '-k', '3', SMALL_FIXTURE, 'P000002', 'P000042');
    expect(run.code, run.stderr).toBe(0);
    const { shortest, kShortest } = JSON.parse(run.stdout);
    expect(shortest.count).toBeGreaterThan(0);
    expect(kShortest).toHaveLength(3);
    expect(kShortest[0].length).toBe(shortest.paths[0].length);
    for (const path of [...shortest.paths, ...kShortest]) {
      expect(path.nodes[0]).toBe('P000002');
      expect(path.nodes.at(-1)).toBe('P000042');
      const strictest = Math.max(...path.hops.map((hop: { marking: { handling: string } }) => order.indexOf(hop.marking.handling)));
      expect(order.indexOf(path.marking.handling)).toBe(strictest);
      for (const hop of path.hops) for (const item of hop.evidence) for (const link of item.links) expect(linkIds).toContain(link);
    }
  });

  it('an unknown nominal is a usage error naming it', async () => {
    const run = await runCli('path', '-q', SMALL_FIXTURE, 'P000002', 'NOPE');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/"NOPE"/);
  });
});

describe('ocgnet ego', () => {
  it('grows with the radius and marks safeguarding subjects', async () => {
    const sizes = [];
    for (const radius of ['1', '2', '3']) {
      const run = await runCli('ego', '-q', '--json', '-r', radius, SMALL_FIXTURE, 'P000002');
      expect(run.code, run.stderr).toBe(0);
      const { summary, members } = JSON.parse(run.stdout);
      expect(members).toHaveLength(summary.size);
      sizes.push(summary.size);
      expect(members.filter((member: { safeguarding: boolean }) => member.safeguarding).map((member: { id: string }) => member.id).sort()).toEqual(summary.safeguardingAlters);
    }
    expect(sizes[0]).toBeLessThan(sizes[1]!);
    expect(sizes[1]).toBeLessThanOrEqual(sizes[2]!);
    expect((await runCli('ego', '-q', '-r', '4', SMALL_FIXTURE, 'P000002')).code).toBe(2);
  });
});
