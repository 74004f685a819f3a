import { beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioChunk } from '../src/index.js';
import { collect, problems, tiesToGroup } from './helpers.js';

describe('medium scenario', () => {
  let s: ScenarioChunk;
  beforeAll(() => {
    s = collect({ size: 'medium', seed: 2024 });
  });

  it('passes the schemas, with sound endpoints and unique ids', () => {
    expect(problems(s)).toEqual([]);
  });

  it('has 4,500–5,500 nominals, mostly background, 3–6 OCGs and one USG', () => {
    const people = s.entities.filter((e) => e.kind === 'person').length;
    expect(people).toBeGreaterThanOrEqual(4500);
    expect(people).toBeLessThanOrEqual(5500);
    expect(s.truth).toHaveLength(people);
    expect(s.truth.filter((row) => row.role === 'background').length / people).toBeGreaterThan(0.8);
    const ocgs = s.entities.filter((e) => e.kind === 'ocg').length;
    expect(ocgs).toBeGreaterThanOrEqual(3);
    expect(ocgs).toBeLessThanOrEqual(6);
    expect(s.entities.filter((e) => e.kind === 'usg')).toHaveLength(1);
  });

  it('grades like real holdings: mostly source 2 and B/C, ~10% C, ~5% legacy 5x5x5', () => {
    const modern = s.links.flatMap((l) => (l.grading.system === '3x5x2' ? [l.grading] : []));
    const share = (n: number) => n / s.links.length;
    expect(share(s.links.length - modern.length)).toBeGreaterThan(0.02);
    expect(share(s.links.length - modern.length)).toBeLessThan(0.08);
    expect(modern.filter((g) => g.source === '2').length / modern.length).toBeGreaterThan(0.5);
    expect(modern.filter((g) => g.source === '3').length).toBeGreaterThan(0);
    expect(
      modern.filter((g) => g.intelligence === 'B' || g.intelligence === 'C').length / modern.length,
    ).toBeGreaterThan(0.6);
    expect(modern.filter((g) => g.intelligence === 'E').length).toBeGreaterThan(0);
    const c = share(modern.filter((g) => g.handling === 'C').length);
    expect(c).toBeGreaterThan(0.06);
    expect(c).toBeLessThan(0.15);
  });

  it('is the same for the same seed', () => {
    expect(collect({ size: 'medium', seed: 2024 })).toEqual(s);
  });

  it('ties every hidden member to their group', () => {
    for (const row of s.truth.filter((r) => r.hidden))
      expect(tiesToGroup(s, row.nominal_id, s.truth)).toBeGreaterThanOrEqual(3);
  });
});
