/**
 * `--audiences FILE`: the force's own configuration of who may receive what,
 * on every command that filters or reports dissemination. A bad file is
 * refused with the file, field and reason; the configuration's hash goes into
 * every audit event and profile; a lever rests only on evidence its lead
 * agency may receive; and `validate` says which worded conditions decide nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import defaultAudiencesJson from '../../packages/profiles/audiences/default.json' with { type: 'json' };
import { SMALL_FIXTURE, runCli, temporaryFolder } from './cli.fixtures.js';

const folder = temporaryFolder('ocgnet-audiences-');
const writeJson = (name: string, value: unknown): string => {
  const path = join(folder, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return path;
};
/** The shipped file without one audience: what a force that has not agreed terms with that partner would hold. */
const without = (id: string) => ({
  ...defaultAudiencesJson,
  audiences: defaultAudiencesJson.audiences.filter((audience) => audience.id !== id),
});

async function ok(...args: string[]) {
  const result = await runCli(...args, '-q');
  expect(result.code, result.stderr).toBe(0);
  return result;
}

describe('a bad audiences file', () => {
  it('is refused with the file, the field and the reason, and no stack trace', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['not-json.json', '{ "schema_version": 2,', /not-json\.json: not JSON/],
      [
        'no-agency.json',
        { schema_version: 2, audiences: [{ id: 'x', kind: 'partner-agency' }] },
        /no-agency\.json: audiences\.0\.agency: /,
      ],
      [
        'bad-fact.json',
        {
          schema_version: 2,
          audiences: [{ id: 'x', kind: 'partner-agency', agency: 'HMRC', safeguardingFacts: ['shoe_size'] }],
        },
        /audiences\.0\.safeguardingFacts\.0/,
      ],
      [
        'v1.json',
        {
          schema_version: 1,
          audiences: [
            { id: 'x', kind: 'partner-agency', agency: 'Housing', permittedConditions: [{ keyword: 'Housing' }] },
          ],
        },
        /schema_version: version 1 .*release_to/,
      ],
    ];
    for (const [name, content, message] of cases) {
      const path = writeJson(name, content);
      for (const args of [
        [
          'profile',
          SMALL_FIXTURE,
          '--subject',
          'ocg:OCG01',
          '--audience',
          'police-analyst',
          '--who',
          'a',
          '--justification',
          'test',
          '--audit-log',
          join(folder, 'never.log'),
        ],
        ['plan', SMALL_FIXTURE, '--ocg', 'OCG01'],
        ['validate', SMALL_FIXTURE],
      ]) {
        const result = await runCli(...args, '--audiences', path, '-q');
        expect(result.code, `${args[0]} ${name}`).toBe(2);
        expect(result.stderr, `${args[0]} ${name}`).toMatch(message);
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
    }
    expect(() => readFileSync(join(folder, 'never.log'))).toThrow();
  });
});

describe('the hash of the rules in force', () => {
  it('is recorded in the audit event and the profile, and differs when the rules do', async () => {
    const log = join(folder, 'audit.log');
    const custom = writeJson('custom.json', without('partner-agency:dwp'));
    const profile = async (extra: string[]) => {
      const result = await ok(
        'profile',
        SMALL_FIXTURE,
        '--subject',
        'ocg:OCG01',
        '--audience',
        'partner-agency:housing',
        '--format',
        'json',
        '--who',
        'a',
        '--justification',
        'test',
        '--audit-log',
        log,
        ...extra,
      );
      return JSON.parse(result.stdout) as { banner: { audiences: string } };
    };
    const shipped = await profile([]);
    const own = await profile(['--audiences', custom]);
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).event as { audiences?: string });
    expect(events.map((event) => event.audiences)).toEqual([shipped.banner.audiences, own.banner.audiences]);
    expect(own.banner.audiences).not.toBe(shipped.banner.audiences);
    // Layout does not matter: the same rules written compactly hash the same.
    const compact = writeJson('compact.json', JSON.stringify(without('partner-agency:dwp')));
    expect((await profile(['--audiences', compact])).banner.audiences).toBe(own.banner.audiences);
  });

  it('is recorded in the store audit trail of an import', async () => {
    const store = join(folder, 'store.sqlite');
    const custom = writeJson('custom-store.json', without('partner-agency:licensing'));
    await ok('import', SMALL_FIXTURE, '--store', store, '--audiences', custom, '--who', 'a', '--justification', 'test');
    const plan = JSON.parse(
      (await ok('plan', SMALL_FIXTURE, '--ocg', 'OCG01', '--json', '--audiences', custom)).stdout,
    ) as { audiences: string };
    const events = (await ok('store', 'audit', store, '--events')).stdout
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { event?: { action: string; audiences?: string }; action?: string; audiences?: string },
      );
    const imported = events.map((entry) => entry.event ?? entry).find((event) => event.action === 'import')!;
    expect(imported.audiences).toBe(plan.audiences);
  });
});

describe('ocgnet plan: evidence the lead agency may receive', () => {
  type Plan = {
    actionPlan: { target: { id: string }; lever: string; leadAgency: string }[];
    evidenceWithheld: { person: string; lever: string; partner: string; reason: string }[];
  };
  const plan = async (...extra: string[]): Promise<Plan> =>
    JSON.parse((await ok('plan', SMALL_FIXTURE, '--ocg', 'OCG01', '--json', ...extra)).stdout) as Plan;

  it('withholds levers whose evidence is not released to their lead agency, and proposes none of them', async () => {
    const shipped = await plan();
    expect(shipped.evidenceWithheld.length).toBeGreaterThan(0);
    for (const entry of shipped.evidenceWithheld) {
      expect(entry.reason).toBe('not-released');
      expect(shipped.actionPlan.some((row) => row.target.id === entry.person && row.lever === entry.lever)).toBe(false);
    }
  });

  it('says the evidence cannot go to an agency the force has no audience for', async () => {
    const shipped = await plan();
    const rows = shipped.actionPlan.filter((row) => row.leadAgency === 'Trading Standards');
    expect(rows.length).toBeGreaterThan(0);
    const noTradingStandards = await plan(
      '--audiences',
      writeJson('no-ts.json', without('partner-agency:trading-standards')),
    );
    expect(noTradingStandards.actionPlan.filter((row) => row.leadAgency === 'Trading Standards')).toEqual([]);
    for (const row of rows) {
      expect(noTradingStandards.evidenceWithheld).toContainEqual(
        expect.objectContaining({
          person: row.target.id,
          lever: row.lever,
          partner: 'Trading Standards',
          reason: 'no-audience',
        }),
      );
    }
    const text = (await ok('plan', SMALL_FIXTURE, '--ocg', 'OCG01', '--audiences', join(folder, 'no-ts.json'))).stdout;
    expect(text).toContain('no audience is configured for Trading Standards');
  });
});

describe('ocgnet validate: the dissemination report', () => {
  it('names each worded condition that decides nothing, and release_to ids the file does not hold', async () => {
    const result = await ok('validate', SMALL_FIXTURE);
    expect(result.stderr).toMatch(
      /note: C condition "NOT to be shared with Housing or any other partner agency" decides nothing until mapped: \d+ item\(s\)/,
    );
    expect(result.stderr).not.toMatch(/May be shared with Housing for tenancy enforcement only/);
    const withoutHmrc = await ok(
      'validate',
      SMALL_FIXTURE,
      '--audiences',
      writeJson('no-hmrc.json', without('partner-agency:hmrc')),
    );
    expect(withoutHmrc.stderr).toMatch(
      /release_to names "partner-agency:hmrc", which is not an audience in .*no-hmrc\.json/,
    );
    const json = JSON.parse((await ok('validate', SMALL_FIXTURE, '--json')).stdout) as {
      dissemination: { unmappedConditions: { condition: string; items: string[] }[] };
    };
    expect(json.dissemination.unmappedConditions.map((entry) => entry.condition)).toContain(
      'NOT to be shared with Housing or any other partner agency',
    );
  });
});
