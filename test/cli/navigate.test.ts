/**
 * `ocgnet path` and `ocgnet ego` on the small fixture: paths carry the
 * evidence behind every hop, and their marking is the strictest of the hops;
 * an ego network is marked, in text and JSON, with the strictest marking of
 * what it shows (a nominal reached only through C intelligence makes it C).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMALL_FIXTURE, runCli, temporaryFolder } from './cli.fixtures.js';

const linkIds = new Set(
  readFileSync(join(SMALL_FIXTURE, 'links.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[1]),
);
const order = ['P', 'C', 'R'];

describe('ocgnet path', () => {
  it('lists shortest paths whose hops cite real link records, marked with the strictest hop', async () => {
    const run = await runCli('path', '-q', '--json', '-k', '3', SMALL_FIXTURE, 'P000002', 'P000042');
    expect(run.code, run.stderr).toBe(0);
    const { classification, marking, shortest, kShortest } = JSON.parse(run.stdout);
    expect(classification).toBe('OFFICIAL-SENSITIVE');
    expect(shortest.count).toBeGreaterThan(0);
    // The output's marking: the strictest of every path it shows.
    const shown = [...shortest.paths, ...kShortest] as { marking: { handling: string; conditions: string[] } }[];
    expect(order.indexOf(marking.handling)).toBe(
      Math.max(...shown.map((path) => order.indexOf(path.marking.handling))),
    );
    expect(marking.conditions).toEqual([...new Set(shown.flatMap((path) => path.marking.conditions))].sort());
    expect(kShortest).toHaveLength(3);
    expect(kShortest[0].length).toBe(shortest.paths[0].length);
    for (const path of [...shortest.paths, ...kShortest]) {
      expect(path.nodes[0]).toBe('P000002');
      expect(path.nodes.at(-1)).toBe('P000042');
      const strictest = Math.max(
        ...path.hops.map((hop: { marking: { handling: string } }) => order.indexOf(hop.marking.handling)),
      );
      expect(order.indexOf(path.marking.handling)).toBe(strictest);
      for (const hop of path.hops)
        for (const item of hop.evidence) for (const link of item.links) expect(linkIds).toContain(link);
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
      expect(
        members
          .filter((member: { safeguarding: boolean }) => member.safeguarding)
          .map((member: { id: string }) => member.id)
          .sort(),
      ).toEqual(summary.safeguardingAlters);
    }
    expect(sizes[0]).toBeLessThan(sizes[1]);
    expect(sizes[1]).toBeLessThanOrEqual(sizes[2]);
    expect((await runCli('ego', '-q', '-r', '4', SMALL_FIXTURE, 'P000002')).code).toBe(2);
  });

  it('carries the strictest marking of what it shows: a nominal reached only through a C link makes it C, in text and JSON', async () => {
    // A1 —P— B2 —C— C3: every entity is ungraded (P); only the link to C3 carries conditions.
    const folder = temporaryFolder('ocgnet-ego-marking-');
    try {
      const condition = 'Police use only; not for disclosure to partners';
      writeFileSync(
        join(folder, 'entities.csv'),
        [
          'schema_version,id,kind,label,source',
          '1,A1,person,Alan Archer,PNC',
          '1,B2,person,Beth Baker,PNC',
          '1,C3,person,Carl Cole,PNC',
        ].join('\n') + '\n',
      );
      writeFileSync(
        join(folder, 'links.csv'),
        [
          'schema_version,id,type,from,to,date,source,source_eval,intel_assessment,handling_code,handling_conditions',
          '1,K1,associate,A1,B2,2024-01-01,PNC,1,A,P,',
          `1,K2,associate,B2,C3,2024-02-01,CHIS report IR-1,2,B,C,"${condition}"`,
        ].join('\n') + '\n',
      );
      const near = await runCli('ego', '-q', '--json', '-r', '1', folder, 'A1');
      expect(near.code, near.stderr).toBe(0);
      const nearJson = JSON.parse(near.stdout);
      expect(nearJson.members.map((member: { id: string }) => member.id).sort()).toEqual(['A1', 'B2']);
      expect(nearJson).toMatchObject({
        classification: 'OFFICIAL-SENSITIVE',
        marking: { handling: 'P', conditions: [] },
      });

      const far = await runCli('ego', '-q', '--json', '-r', '2', folder, 'A1');
      expect(far.code, far.stderr).toBe(0);
      const farJson = JSON.parse(far.stdout);
      expect(farJson.members.map((member: { id: string }) => member.id).sort()).toEqual(['A1', 'B2', 'C3']);
      expect(farJson.classification).toBe('OFFICIAL-SENSITIVE');
      expect(farJson.marking.handling).toBe('C');
      expect(farJson.marking.conditions).toEqual([condition]);

      const nearText = await runCli('ego', '-q', '-r', '1', folder, 'A1');
      expect(nearText.stdout.split('\n')[0]).toBe('OFFICIAL-SENSITIVE   handling: P');
      const farText = await runCli('ego', '-q', '-r', '2', folder, 'A1');
      expect(farText.code, farText.stderr).toBe(0);
      expect(farText.stdout.split('\n')[0]).toBe(
        `OFFICIAL-SENSITIVE   handling: C (conditions: ${condition}; police analysts only)`,
      );
      expect(farText.stdout).toMatch(/C3 +Carl Cole/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('on the small fixture, the text and the JSON state the same marking, with every condition', async () => {
    const json = JSON.parse((await runCli('ego', '-q', '--json', '-r', '2', SMALL_FIXTURE, 'P000002')).stdout);
    expect(order).toContain(json.marking.handling);
    expect(json.marking.handling).not.toBe('P');
    expect(json.marking.conditions.length).toBeGreaterThan(0);
    const first = (await runCli('ego', '-q', '-r', '2', SMALL_FIXTURE, 'P000002')).stdout.split('\n')[0]!;
    expect(first).toMatch(new RegExp(`^OFFICIAL-SENSITIVE +handling: ${json.marking.handling}\\b`));
    for (const condition of json.marking.conditions) expect(first).toContain(condition);
  });
});
