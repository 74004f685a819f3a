/**
 * `ocgnet profile`: audited exports (one event each, none without the
 * event), and a partner audience's output free of what it may not see.
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { RecordCollector, readRecordCsv } from '@ocgnet/io';
import type { Grading } from '@ocgnet/schema';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMALL_FIXTURE, runCli, temporaryFolder } from './cli.fixtures.js';

/** Every C condition in the fixture, read with the importer. */
/** The condition texts of the small fixture that no item released to Housing carries. */
async function fixtureConditions(): Promise<string[]> {
  const collector = new RecordCollector();
  for (const file of ['entities.csv', 'links.csv'])
    await readRecordCsv(createReadStream(join(SMALL_FIXTURE, file)), file, collector);
  const outcome = collector.finish();
  if (!outcome.ok) throw new Error('fixture does not import');
  const found = new Set<string>();
  const released = new Set<string>();
  const note = (grading: Grading | undefined) => {
    if (grading?.system !== '3x5x2' || !grading.conditions) return;
    found.add(grading.conditions);
    if (grading.release_to?.includes('partner-agency:housing')) released.add(grading.conditions);
  };
  for (const entity of outcome.records.entities) {
    note(entity.grading);
    for (const attribute of entity.attributes ?? []) note(attribute.grading);
  }
  for (const link of outcome.records.links) note(link.grading);
  return [...found].filter((condition) => !released.has(condition));
}

function profileArgs(folder: string, ...extra: string[]): string[] {
  return [
    'profile',
    SMALL_FIXTURE,
    '--subject',
    'ocg:OCG02',
    '--who',
    'analyst1',
    '--justification',
    'Panel meeting',
    '--recipients',
    'Housing',
    '--audit-log',
    join(folder, 'audit.log'),
    '-q',
    ...extra,
  ];
}

describe('ocgnet profile', () => {
  it('writes exactly one audit event per export, and the chain verifies', async () => {
    const folder = temporaryFolder();
    for (const format of ['html', 'markdown', 'json', 'csv']) {
      const run = await runCli(
        ...profileArgs(
          folder,
          '--audience',
          'police-analyst',
          '--format',
          format,
          '--out',
          join(folder, `profile.${format}`),
        ),
      );
      expect(run.code, run.stderr).toBe(0);
      expect(existsSync(join(folder, `profile.${format}`))).toBe(true);
    }
    const events = readFileSync(join(folder, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).event);
    expect(events.map((event) => event.format)).toEqual(['html', 'markdown', 'json', 'csv']);
    expect(
      events.every((event) => event.action === 'export' && event.subject === 'ocg:OCG02' && event.who === 'analyst1'),
    ).toBe(true);
    expect((await runCli('audit', 'verify', join(folder, 'audit.log'))).code).toBe(0);
  });

  it('produces nothing when the audit event cannot be written', async () => {
    const folder = temporaryFolder();
    writeFileSync(join(folder, 'not-a-folder'), 'x');
    const out = join(folder, 'profile.html');
    const run = await runCli(
      'profile',
      SMALL_FIXTURE,
      '--subject',
      'ocg:OCG02',
      '--audience',
      'police-analyst',
      '--who',
      'a',
      '--justification',
      'b',
      '--audit-log',
      join(folder, 'not-a-folder', 'audit.log'),
      '--out',
      out,
      '-q',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/audit event could not be written/);
    expect(existsSync(out)).toBe(false);
  });

  it('a Housing profile contains no condition text Housing may not see, in any format', async () => {
    const folder = temporaryFolder();
    mkdirSync(folder, { recursive: true });
    // Conditions on items never released to Housing (by their release_to column, not their words).
    const hidden = await fixtureConditions();
    expect(hidden).toContain('NOT to be shared with Housing or any other partner agency');
    for (const format of ['html', 'markdown', 'json', 'csv']) {
      const run = await runCli(...profileArgs(folder, '--audience', 'partner-agency:housing', '--format', format));
      expect(run.code, run.stderr).toBe(0);
      for (const text of hidden) expect(run.stdout, `${format}: ${text}`).not.toContain(text);
      expect(run.stdout).toMatch(/OFFICIAL-SENSITIVE/);
      // Positive control: the same command for the police analyst prints every one of those conditions (in the
      // items' markings), so an output that dropped everything could not pass the check above unnoticed.
      const analyst = await runCli(...profileArgs(folder, '--audience', 'police-analyst', '--format', format));
      expect(analyst.code, analyst.stderr).toBe(0);
      for (const text of hidden) expect(analyst.stdout, `analyst ${format}: ${text}`).toContain(text);
    }
  });

  it('writes the local profile for an audience, audited like any other', async () => {
    const folder = temporaryFolder();
    const run = await runCli(
      'profile',
      SMALL_FIXTURE,
      '--subject',
      'local',
      '--audience',
      'partner-agency:housing',
      '--format',
      'json',
      '--who',
      'a',
      '--justification',
      'local profile refresh',
      '--audit-log',
      join(folder, 'audit.log'),
      '-q',
    );
    expect(run.code, run.stderr).toBe(0);
    const local = JSON.parse(run.stdout);
    expect(local.threats).toHaveLength(8);
    expect(local.banner.audience).toBe('partner-agency:housing');
    expect(readFileSync(join(folder, 'audit.log'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('refuses an unknown audience and an incomplete audit event', async () => {
    const folder = temporaryFolder();
    expect((await runCli(...profileArgs(folder, '--audience', 'journalists'))).code).toBe(2);
    expect(
      (
        await runCli(
          'profile',
          SMALL_FIXTURE,
          '--subject',
          'ocg:OCG02',
          '--audience',
          'police-analyst',
          '--who',
          '',
          '--justification',
          'x',
          '--audit-log',
          join(folder, 'a.log'),
          '-q',
        )
      ).code,
    ).toBe(2);
  });
});
