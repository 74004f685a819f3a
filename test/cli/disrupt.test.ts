/**
 * `ocgnet disrupt`, `ocgnet keyplayers` and `ocgnet plan` end to end: the
 * output contracts, reproducibility, and the planner's safeguarding rule.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS, SMALL_FIXTURE, declaredCounts, runCli } from './cli.fixtures.js';

async function json(...args: string[]) {
  const run = await runCli(...args, '--json', '-q');
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

describe('ocgnet disrupt', () => {
  it('prints { strategy, mode, removed, curve } with step 0 the intact network', async () => {
    for (const mode of ['sequential', 'simultaneous']) {
      const result = await json(
        'disrupt',
        join(DATASETS, 'caviar'),
        '--strategy',
        'degree',
        '--mode',
        mode,
        '--steps',
        '5',
      );
      expect(result).toMatchObject({ strategy: 'degree', mode });
      expect(result.removed).toHaveLength(5);
      expect(result.curve).toHaveLength(6);
      expect(result.curve[0]).toMatchObject({
        step: 0,
        removed: 0,
        lcc: declaredCounts('caviar').largestComponent,
        components: 1,
        fragmentation: 0,
      });
      for (const point of result.curve)
        for (const field of ['step', 'removed', 'lcc', 'lccFraction', 'components', 'fragmentation', 'efficiency'])
          expect(point).toHaveProperty(field);
    }
  });

  it('removes a given target list in order, and refuses unknown ids', async () => {
    const result = await json('disrupt', SMALL_FIXTURE, '--strategy', 'targets', '--targets', 'P000002,P000042');
    expect(result.removed).toEqual(['P000002', 'P000042']);
    expect(result.curve.at(-1).removed).toBe(2);
    expect(result.curve[1].groups.OCG01.members).toBe(result.curve[0].groups.OCG01.members - 1);
    expect((await runCli('disrupt', SMALL_FIXTURE, '--strategy', 'targets', '--targets', 'NOPE', '-q')).code).toBe(2);
    expect((await runCli('disrupt', SMALL_FIXTURE, '--strategy', 'astrology', '-q')).code).toBe(2);
  });

  it('recovery is reproducible for a seed and reports before, after removal and after recovery', async () => {
    const args = [
      'disrupt',
      SMALL_FIXTURE,
      '--strategy',
      'keyplayer',
      '--steps',
      '3',
      '--recovery',
      'replacement=0.5,triadic=0.2,preferential=0.3',
    ];
    const first = await json(...args, '--seed', '7');
    const second = await json(...args, '--seed', '7');
    const other = await json(...args, '--seed', '8');
    expect(second.recovery).toEqual(first.recovery);
    expect(other.recovery.addedEdges).not.toEqual(first.recovery.addedEdges);
    const { before, afterRemoval, afterRecovery } = first.recovery;
    expect(afterRemoval.efficiency).toBeLessThan(before.efficiency);
    expect(afterRecovery.efficiency).toBeGreaterThan(afterRemoval.efficiency);
    expect(first.recovery.backfired).toBe(afterRecovery.efficiency >= before.efficiency);
  });
});

describe('ocgnet keyplayers', () => {
  it('finds a fragmenting set and a reaching set', async () => {
    const negative = await json('keyplayers', SMALL_FIXTURE, '--k', '3');
    expect(negative).toMatchObject({ kind: 'negative', objective: 'fragmentation' });
    expect(negative.players).toHaveLength(3);
    expect(negative.score).toBeGreaterThan(negative.baseline);
    const positive = await json('keyplayers', SMALL_FIXTURE, '--k', '2', '--objective', 'reach', '--reach-steps', '1');
    expect(positive).toMatchObject({ kind: 'positive', objective: 'reach', steps: 1 });
  });

  it('gives robustness bands within one OCG', async () => {
    const result = await json('keyplayers', SMALL_FIXTURE, '--k', '2', '--ocg', 'OCG02', '--robust');
    expect(result.ocg).toBe('OCG02');
    for (const node of result.robustness.nodes)
      for (const frequency of node.frequency) expect(frequency).toBeGreaterThanOrEqual(0);
    const top = result.robustness.nodes.filter((node: { id: string }) =>
      result.players.some((player: { id: string }) => player.id === node.id),
    );
    expect(top).toHaveLength(2);
  });
});

describe('ocgnet plan', () => {
  const truth = readFileSync(join(SMALL_FIXTURE, 'truth.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
  const entities = readFileSync(join(SMALL_FIXTURE, 'entities.csv'), 'utf8');

  for (const ocg of ['OCG01', 'OCG02', 'OCG03', 'OCG04']) {
    it(`${ocg}: targets have levers with evidence and are never people to protect`, async () => {
      const plan = await json('plan', SMALL_FIXTURE, '--ocg', ocg);
      expect(plan.targets.length).toBeGreaterThan(0);
      const protectedPeople = new Set<string>(plan.safeguarding.map((entry: { person: string }) => entry.person));
      expect(protectedPeople.size).toBeGreaterThan(0);
      const pursue = plan.actionPlan.filter((action: { strand: string }) => action.strand === 'pursue');
      expect(pursue.length).toBeGreaterThan(0);
      const vulnerableByTruth = new Set(truth.filter((row) => row[4] === 'vulnerable').map((row) => row[0]));
      for (const row of pursue) {
        const target: string = row.target.id;
        expect(target).toMatch(/^P\d+$/);
        expect(protectedPeople.has(target), target).toBe(false);
        expect(vulnerableByTruth.has(target), target).toBe(false);
        expect(row.evidence.length).toBeGreaterThan(0);
        for (const evidence of row.evidence) expect(entities).toContain(evidence.entity);
      }
    });
  }
});
