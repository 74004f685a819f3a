/**
 * Safeguarding subjects (vulnerable, under 18, exploited, cuckooed) in every
 * output: `disrupt` and `keyplayers` never remove or choose them unless
 * `--include-safeguarding` is given, and then mark them; `analyse` marks every
 * listed one. The small fixture has 19 such persons.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordCollector, readRecordCsv } from '@ocgnet/io';
import { isSafeguardingSubject, type Person } from '@ocgnet/schema';
import { SMALL_FIXTURE, runCli } from './cli.fixtures.js';

const MARK = 'SAFEGUARDING: protect, do not target';

async function run(...args: string[]) {
  const result = await runCli(...args, '-q');
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

async function json(...args: string[]) {
  return JSON.parse(await run(...args, '--json'));
}

/** The fixture's safeguarding subjects, by the schema's own test. */
async function subjects(): Promise<Set<string>> {
  const collector = new RecordCollector();
  for (const file of ['entities.csv', 'links.csv'])
    await readRecordCsv(createReadStream(join(SMALL_FIXTURE, file)), file, collector);
  const outcome = collector.finish();
  if (!outcome.ok) throw new Error('fixture does not import');
  return new Set(
    outcome.records.entities
      .filter((entity): entity is Person => entity.kind === 'person' && isSafeguardingSubject(entity))
      .map((person) => person.id),
  );
}

describe('ocgnet disrupt and safeguarding subjects', () => {
  it('--strategy degree|coreness|pagerank removes none of them by default, and lists them as protected', async () => {
    const protectedIds = await subjects();
    expect(protectedIds.size).toBeGreaterThan(0);
    for (const strategy of ['degree', 'coreness', 'pagerank']) {
      const result = await json('disrupt', SMALL_FIXTURE, '--strategy', strategy, '--steps', '30');
      expect(result.removed, strategy).toHaveLength(30);
      expect(
        result.removed.filter((id: string) => protectedIds.has(id)),
        strategy,
      ).toEqual([]);
      expect(result.includeSafeguarding).toBe(false);
      expect(new Set(result.protected.map((entry: { id: string }) => entry.id))).toEqual(protectedIds);
      for (const entry of result.protected) expect(entry.safeguarding).toBe(true);
    }
    const text = await run('disrupt', SMALL_FIXTURE, '--strategy', 'degree');
    expect(text).toContain(`${protectedIds.size} safeguarding subject(s) protected from removal`);
    for (const id of protectedIds) expect(text).toMatch(new RegExp(`${id} .*${MARK}`));
  });

  it('with --include-safeguarding they may be removed, and every one removed is marked', async () => {
    const protectedIds = await subjects();
    const result = await json(
      'disrupt',
      SMALL_FIXTURE,
      '--strategy',
      'degree',
      '--steps',
      '30',
      '--include-safeguarding',
    );
    const removedSubjects = result.removed.filter((id: string) => protectedIds.has(id));
    expect(removedSubjects.length).toBeGreaterThan(0);
    expect(result.includeSafeguarding).toBe(true);
    expect(result.protected).toEqual([]);
    for (const entry of result.removedNominals) expect(entry.safeguarding, entry.id).toBe(protectedIds.has(entry.id));
    const text = await run('disrupt', SMALL_FIXTURE, '--strategy', 'degree', '--steps', '30', '--include-safeguarding');
    const rows = text.split('\n').filter((line) => /^\s+\d+\s+\S/.test(line) && /\(P\d+\)/.test(line));
    expect(rows).toHaveLength(30);
    for (const row of rows) {
      const id = /\((P\d+)\)/.exec(row)![1]!;
      expect(row.includes(MARK), row).toBe(protectedIds.has(id));
    }
  });

  it('refuses a target list naming one unless --include-safeguarding is given', async () => {
    const [subject] = [...(await subjects())].sort();
    const refused = await runCli(
      'disrupt',
      SMALL_FIXTURE,
      '--strategy',
      'targets',
      '--targets',
      `P000002,${subject}`,
      '-q',
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(subject!);
    expect(refused.stderr).toMatch(/safeguarding/);
    const included = await json(
      'disrupt',
      SMALL_FIXTURE,
      '--strategy',
      'targets',
      '--targets',
      `P000002,${subject}`,
      '--include-safeguarding',
    );
    expect(included.removed).toEqual(['P000002', subject]);
    expect(included.removedNominals[1]).toMatchObject({ id: subject, safeguarding: true });
  });
});

describe('ocgnet keyplayers and safeguarding subjects', () => {
  it('picks none of them by default; with --include-safeguarding the ones picked are marked', async () => {
    const protectedIds = await subjects();
    const result = await json('keyplayers', SMALL_FIXTURE, '--k', '5');
    expect(result.players).toHaveLength(5);
    expect(result.players.filter((player: { id: string }) => protectedIds.has(player.id))).toEqual([]);
    expect(new Set(result.protected.map((entry: { id: string }) => entry.id))).toEqual(protectedIds);
    const text = await run('keyplayers', SMALL_FIXTURE, '--k', '5');
    expect(text).toContain(`${protectedIds.size} safeguarding subject(s) never chosen as players`);

    const included = await json('keyplayers', SMALL_FIXTURE, '--k', '5', '--include-safeguarding');
    const picked = included.players.filter((player: { id: string }) => protectedIds.has(player.id));
    expect(picked.length).toBeGreaterThan(0);
    for (const player of included.players) expect(player.safeguarding).toBe(protectedIds.has(player.id));
    const includedText = await run('keyplayers', SMALL_FIXTURE, '--k', '5', '--include-safeguarding');
    for (const player of picked) expect(includedText).toMatch(new RegExp(`${player.id} .*${MARK}`));
  });
});

describe('ocgnet analyse and safeguarding subjects', () => {
  it('marks every listed safeguarding subject: key nominals, possible hidden members, brokers, cut points', async () => {
    const protectedIds = await subjects();
    const text = await run('analyse', SMALL_FIXTURE, '--top', '160');
    const report = await json('analyse', SMALL_FIXTURE);
    // Key nominals: one row per person, the mark on exactly the subjects' rows.
    for (const node of report.nodes) {
      expect(node.safeguarding, node.id).toBe(protectedIds.has(node.id));
      const row = text.split('\n').find((line) => new RegExp(`^\\s+\\d+\\s+${node.id}\\s`).test(line));
      expect(row, node.id).toBeDefined();
      expect(row!.includes(MARK), row).toBe(protectedIds.has(node.id));
    }
    // Possible hidden members: the fixture lists cuckooed / exploited persons among them.
    const hiddenLines = text.split('\n').filter((line) => line.includes('possible hidden members:'));
    const hiddenSubjects = report.comparison.hiddenCandidates.filter((candidate: { node: string }) =>
      protectedIds.has(candidate.node),
    );
    expect(hiddenSubjects.length).toBeGreaterThan(0);
    for (const line of hiddenLines) {
      const listed = line.split('possible hidden members:')[1]!;
      for (const id of listed.match(/P\d+/g) ?? []) {
        expect(listed.includes(`${id} (${MARK})`), `${id} in ${line}`).toBe(protectedIds.has(id));
      }
    }
    for (const candidate of report.comparison.hiddenCandidates)
      expect(candidate.safeguarding).toBe(protectedIds.has(candidate.node));
    // Brokers and cut points: marked in the text, with a safeguarding field in JSON.
    for (const prefix of ['Brokers between', 'Cut points between']) {
      const line = text.split('\n').find((l) => l.startsWith(prefix));
      if (line === undefined) continue;
      for (const id of line.split(':').slice(1).join(':').match(/P\d+/g) ?? [])
        expect(line.includes(`${id} (${MARK})`), `${id} in ${line}`).toBe(protectedIds.has(id));
    }
    for (const broker of report.brokers) expect(broker.safeguarding).toBe(protectedIds.has(broker.node));
    for (const cut of report.cutPoints) expect(cut.safeguarding).toBe(protectedIds.has(cut.node));
    for (const group of report.roles)
      expect(group.safeguarding).toEqual(
        group.members.map((member: { node: string }) => member.node).filter((id: string) => protectedIds.has(id)),
      );
    expect(report.brokers.some((broker: { node: string }) => protectedIds.has(broker.node))).toBe(true);
  });
});
