/**
 * The short fuzz run of `pnpm test`: a few thousand mutated inputs through
 * the reader of every format, each accepted or rejected with issues naming
 * a file and line of the input; no exception, hang, memory blow-up,
 * prototype pollution or external entity. `pnpm fuzz` runs a million
 * (TESTING.md has its figures). And the harness itself: a fuzzer that
 * cannot fail proves nothing, so deliberately broken readers must be caught.
 */
import { describe, expect, it } from 'vitest';
import { TARGET_NAMES, formatReport, runFuzz } from './fuzz/harness.js';

/** Fixed, so a failure here replays with `pnpm fuzz --seed 20240917 --replay TARGET:CASE`. */
const SEED = 20240917;

describe('fuzzing the readers', () => {
  it('every format: 3,600 mutated inputs, each accepted or rejected with its own issues, nothing else', async () => {
    const report = await runFuzz({ cases: 3_600, seed: SEED, workers: 2, caseTimeoutMs: 20_000 });
    const summary = formatReport(report);
    expect(report.targets.map((target) => target.name)).toEqual([...TARGET_NAMES]);
    for (const target of report.targets) {
      expect(target.failures, summary).toEqual([]);
      expect(target.cases, target.name).toBe(400);
      // Mutation keeps some inputs valid and breaks most: both outcomes must occur, or the run tested little.
      expect(target.accepted, `${target.name} accepted none`).toBeGreaterThan(0);
      expect(target.rejected, `${target.name} rejected none`).toBeGreaterThan(0);
    }
    expect(report.externalRequests, summary).toEqual([]);
  });

  it('catches a reader that throws, hangs, exhausts memory, pollutes a prototype, fails later, leaks an external entity or accepts bytes that are not UTF-8', async () => {
    const broken = [
      'selftest-throw',
      'selftest-hang',
      'selftest-memory',
      'selftest-pollution',
      'selftest-uncaught',
      'selftest-entity',
      'selftest-utf8',
    ];
    const report = await runFuzz({
      cases: broken.length * 25,
      seed: SEED,
      workers: 2,
      targets: broken,
      selfTest: true,
      caseTimeoutMs: 1_500,
      memoryMb: 96,
      jobSize: 25,
    });
    const kinds = Object.fromEntries(
      report.targets.map((target) => [target.name, [...new Set(target.failures.map((failure) => failure.kind))]]),
    );
    expect(kinds).toEqual({
      'selftest-throw': ['threw'],
      'selftest-hang': ['hang'],
      'selftest-memory': ['memory'],
      'selftest-pollution': ['prototype-pollution'],
      'selftest-uncaught': ['uncaught'],
      'selftest-entity': ['external-entity'],
      'selftest-utf8': ['accepted-invalid-utf8'],
    });
    // A worker stopped for a hang or memory is replaced, and the rest of its cases still run.
    for (const target of report.targets) expect(target.cases, target.name).toBe(25);
    // The pollution was undone after it was counted: it does not leak into this process or the next case.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
