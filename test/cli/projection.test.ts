/**
 * The projection flags reach the projection: a window, a recency half-life
 * and channel weights change the person graph the way their definitions say.
 */
import { describe, expect, it } from 'vitest';
import { SMALL_FIXTURE, runCli } from './cli.fixtures.js';

async function personStats(...flags: string[]) {
  const run = await runCli('stats', '--json', '-q', SMALL_FIXTURE, ...flags);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout).persons;
}

describe('projection flags', () => {
  it('a time window keeps only links that overlap it and reports what it left out', async () => {
    const all = await personStats();
    const windowed = await personStats('--from', '2025-01-01', '--to', '2025-03-31');
    expect(windowed.nodes).toBe(all.nodes);
    expect(windowed.edges).toBeLessThan(all.edges);
    expect(windowed.projection.excluded.window).toBeGreaterThan(0);
    expect(all.projection.excluded.window).toBe(0);
  });

  it('turning every channel off leaves only isolates; the group channel adds associations', async () => {
    const channels = [
      'associate',
      'co_offender',
      'family',
      'financial',
      'phone_contact',
      'shared_business',
      'shared_event',
      'shared_location',
      'shared_phone',
      'shared_vehicle',
    ];
    const none = await personStats(...channels.flatMap((channel) => ['--weight', `${channel}=0`]));
    expect(none.edges).toBe(0);
    expect(none.isolates).toBe(none.nodes);
    const withGroups = await personStats('--weight', 'shared_group=1');
    const without = await personStats();
    expect(withGroups.edges).toBeGreaterThan(without.edges);
  });

  it('excluding no assessments uses more links than the default, which drops E', async () => {
    const all = await personStats('--exclude-assessment', 'none');
    const defaults = await personStats();
    expect(all.projection.excluded.assessment).toBe(0);
    expect(defaults.projection.excluded.assessment).toBeGreaterThan(0);
    expect(all.projection.linksUsed).toBeGreaterThan(defaults.projection.linksUsed);
  });

  it('refuses bad option values as usage errors', async () => {
    expect((await runCli('stats', '-q', SMALL_FIXTURE, '--weight', 'gossip=1')).code).toBe(2);
    expect((await runCli('stats', '-q', SMALL_FIXTURE, '--half-life', '-3')).code).toBe(2);
    expect((await runCli('stats', '-q', SMALL_FIXTURE, '--from', '2025-02-30')).code).toBe(2);
    expect((await runCli('stats', '-q', SMALL_FIXTURE, '--from', '2025-06-01', '--to', '2025-01-01')).code).toBe(2);
  });
});
