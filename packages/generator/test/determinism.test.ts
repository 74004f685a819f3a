import { describe, expect, it } from 'vitest';
import { generateScenario, plannedTowns } from '../src/index.js';
import { collect, linkDates } from './helpers.js';

describe('determinism and options', () => {
  it('gives byte-identical output for the same seed', () => {
    const a = collect({ size: 'small', seed: 7 });
    const b = collect({ size: 'small', seed: 7 });
    expect(b).toEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('gives different output for different seeds, including seeds far apart', () => {
    const a = JSON.stringify(collect({ size: 'small', seed: 7 }));
    expect(JSON.stringify(collect({ size: 'small', seed: 8 }))).not.toBe(a);
    expect(JSON.stringify(collect({ size: 'small', seed: 7 + 2 ** 32 }))).not.toBe(a);
  });

  it('keeps every date inside a window given as options', () => {
    const s = collect({ size: 'small', seed: 3, start: '2021-04-01', end: '2022-09-30' });
    for (const link of s.links)
      for (const date of linkDates(link)) expect(date >= '2021-04-01' && date <= '2022-09-30').toBe(true);
    for (const entity of s.entities)
      if (entity.kind === 'event') expect(entity.date! >= '2021-04-01' && entity.date! <= '2022-09-30').toBe(true);
  });

  it('rejects a bad size, seed or window', () => {
    // Checked at the call, before any town is generated.
    expect(() => generateScenario({ size: 'huge' as never, seed: 1 })).toThrow(RangeError);
    expect(() => generateScenario({ size: 'small', seed: 1.5 })).toThrow(RangeError);
    expect(() => generateScenario({ size: 'small', seed: 1, start: '2024-02-30' })).toThrow(RangeError);
    expect(() => generateScenario({ size: 'small', seed: 1, start: '2025-01-01', end: '2024-01-01' })).toThrow(
      RangeError,
    );
    expect(() => plannedTowns({ size: 'tiny' as never })).toThrow(RangeError);
  });
});
