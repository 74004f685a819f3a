import { describe, expect, it } from 'vitest';
import { generateScenario, type ScenarioChunk } from '../src/index.js';
import { INTELLIGENCE_REVIEW_YEARS } from '../src/town.js';

describe('review dates', () => {
  const { links, entities }: ScenarioChunk = generateScenario({ size: 'small', seed: 42 }).next().value;

  it('intelligence reports and financial intelligence fall due a fixed number of years after their latest date', () => {
    const intelligence = links.filter((link) => /^(Intel report|Financial intelligence)/.test(link.source));
    expect(intelligence.length).toBeGreaterThan(100);
    for (const link of intelligence) {
      const latest = (link.last_seen ?? link.date ?? link.first_seen)!.slice(0, 10);
      const due = new Date(`${link.review_date}T00:00:00Z`);
      const from = new Date(`${latest}T00:00:00Z`);
      expect(due.getUTCFullYear() - from.getUTCFullYear()).toBe(INTELLIGENCE_REVIEW_YEARS);
      // Same day of the year, except 29 February in a year without one.
      expect(link.review_date!.slice(5)).toBe(
        latest.slice(5) === '02-29' ? link.review_date!.slice(5) : latest.slice(5),
      );
    }
  });

  it('records from police systems and registers carry no review date', () => {
    const others = links.filter((link) => !/^(Intel report|Financial intelligence)/.test(link.source));
    expect(others.length).toBeGreaterThan(100);
    expect(others.every((link) => link.review_date === undefined)).toBe(true);
    expect(entities.every((entity) => entity.review_date === undefined)).toBe(true);
  });
});
