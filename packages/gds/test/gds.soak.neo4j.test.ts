/**
 * Soak (`pnpm soak`, not `pnpm test`): the neo4j engine on the medium
 * scenario (~5,000 persons, ~50,000 links; about a minute to import), against
 * the in-process engine, with timings. The analysis reads every :Entity of
 * the database, so the file wipes it; the Neo4j projects run their files one
 * at a time. gds.neo4j.test.ts holds the checks on small graphs.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse, mappingFromNetwork } from '@ocgnet/analysis';
import { scenarioRecords } from '@ocgnet/generator';
import { buildNetwork, projectPersons } from '@ocgnet/graph';
import type {} from '../../../test/neo4j/globalSetup.js';
import { NO_NEO4J, neo4jUri, neo4jUriOrSkip } from '../../../test/neo4j/neo4j.fixtures.js';
import { skipUnless } from '../../../test/skip.js';
import { analyseInDatabase } from '../src/analyseInDatabase.js';
import { projectionCypher } from '../src/projectionCypher.js';
import { loadThroughStore } from './gds.fixtures.js';

describe('analyseInDatabase: the medium scenario', skipUnless(neo4jUriOrSkip() !== undefined, NO_NEO4J), () => {
  let uri: string;
  let driver: Driver;

  beforeAll(() => {
    uri = neo4jUri();
    driver = neo4j.driver(uri, undefined, { disableLosslessIntegers: true });
  });

  afterAll(async () => {
    await driver?.close();
  }, 120_000);

  it('projects the same pairs and reports timings', async () => {
    const records = scenarioRecords({ size: 'medium', seed: 7 });
    let started = Date.now();
    await loadThroughStore(driver, uri, records);
    const importMs = Date.now() - started;
    const network = buildNetwork(records);
    started = Date.now();
    const persons = projectPersons(network);
    const reference = analyse(persons, {}, { mapping: mappingFromNetwork(network) });
    const inProcessMs = Date.now() - started;
    const { query, params } = projectionCypher({}, 'pairs');
    const pairs = (await driver.executeQuery(query, params)).records;
    expect(pairs.length).toBe(persons.size);
    const steps: string[] = [];
    started = Date.now();
    const report = await analyseInDatabase(driver, {
      onProgress: (_done, _total, step) => {
        steps.push(`${step} starts at +${Date.now() - started} ms`);
      },
    });
    const gdsMs = Date.now() - started;
    console.info(
      `[gds] medium: ${persons.order} persons, ${persons.size} pairs; import ${importMs} ms; in-process projection + analyse ${inProcessMs} ms; ` +
        `neo4j engine ${gdsMs} ms (${steps.join(', ')}); modularity ${reference.communities.modularity.toFixed(4)} vs ${report.communities.modularity.toFixed(4)}`,
    );
    expect(report.graph.edges).toBe(persons.size);
    expect(reference.communities.modularity - report.communities.modularity).toBeLessThanOrEqual(0.02);
  }, 900_000);
});
