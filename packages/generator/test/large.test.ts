import { describe, expect, it } from 'vitest';
import { generateScenario, plannedTowns, type ScenarioChunk } from '../src/index.js';
import { problems } from './helpers.js';

describe('large scenario', () => {
  it('plans twenty towns', () => {
    expect(plannedTowns({ size: 'large', seed: 1 })).toBe(20);
  });

  it('streams a first town of ~5,000 nominals with town-prefixed ids', () => {
    const towns = generateScenario({ size: 'large', seed: 1 });
    const first = towns.next();
    expect(first.done).toBe(false);
    const chunk: ScenarioChunk = first.value;
    expect(problems(chunk)).toEqual([]);
    const people = chunk.entities.filter((e) => e.kind === 'person').length;
    expect(people).toBeGreaterThanOrEqual(4500);
    expect(people).toBeLessThanOrEqual(5500);
    for (const entity of chunk.entities) expect(entity.id.startsWith('T01-')).toBe(true);
    for (const link of chunk.links) expect(link.id.startsWith('T01-')).toBe(true);
    for (const row of chunk.truth) expect(row.town).toBe(chunk.town);
    // About 50k links a town gives about 1M over the scenario.
    expect(chunk.links.length).toBeGreaterThan(40_000);
    expect(chunk.links.length).toBeLessThan(60_000);
    towns.return(undefined);
  });
});
