/**
 * Helpers for tests that talk to the shared Neo4j + GDS test server started by globalSetup.ts.
 *
 *   const uri = neo4jUriOrSkip();
 *   describe('my Neo4j feature', skipUnless(uri !== undefined, NO_NEO4J), () => {
 *     it('works', () => withDriver(async (driver) => { ... }));
 *   });
 *
 * Isolation. Community edition has one user database ("neo4j"), and vitest runs test files in
 * parallel against the same server. So a test file should tag its data with its own label
 * (`uniqueLabel()`), use its own GDS graph names (`uniqueName()`), and clean up with
 * `deleteLabelled()` / `dropGraph()`. `clearDatabase()` wipes everything and is only safe when no other
 * test file uses the server at the same time.
 */
import { randomUUID } from 'node:crypto';
import neo4j, { type Config, type Driver } from 'neo4j-driver';
import { inject } from 'vitest';

/**
 * The Bolt URI of the shared test server, or undefined when Java/Maven are missing on a developer's
 * machine (use with `skipUnless(uri !== undefined, NO_NEO4J)`). In CI a missing server throws, so the file fails instead
 * of skipping.
 */
/** The skip reason the suite summary prints for Neo4j tests. */
export const NO_NEO4J = 'no Neo4j test server (it needs Java 17 and Maven; see TESTING.md)';

export function neo4jUriOrSkip(): string | undefined {
  const uri = inject('neo4jUri');
  if (uri) return uri;
  if (process.env.CI === 'true') {
    throw new Error(
      uri === undefined
        ? "Neo4j test server: 'neo4jUri' was not provided; is test/neo4j/globalSetup.ts in vitest.config.ts globalSetup?"
        : 'Neo4j test server is not available in CI',
    );
  }
  return undefined;
}

/** The URI, failing (not skipping) when there is none. For use inside tests already guarded by skipUnless. */
export function neo4jUri(): string {
  const uri = neo4jUriOrSkip();
  if (!uri) throw new Error('Neo4j test server is not available');
  return uri;
}

/**
 * Runs fn with a driver connected to the test server (auth is disabled) and closes the driver after.
 * By default integers come back as JS numbers (`disableLosslessIntegers: true`); pass config to change.
 */
export async function withDriver<T>(fn: (driver: Driver) => Promise<T>, config: Config = {}): Promise<T> {
  const driver = neo4j.driver(neo4jUri(), undefined, { disableLosslessIntegers: true, ...config });
  try {
    return await fn(driver);
  } finally {
    await driver.close();
  }
}

/**
 * Deep-copies a parameter value, turning every integer-valued JS number into a Neo4j Integer.
 *
 * The driver sends every JS number as a Cypher Float, and GDS rejects floats where it wants integers
 * ("The value of `maxIterations` must be of type `Integer` but was `Double`", same for concurrency,
 * samplingSize, samplingSeed, ...). Integer node ids stored from plain numbers also end up as floats.
 * Note the flip side: 1.0 becomes an Integer too; use toFloat() in Cypher where a float must stay one.
 */
export function withIntegers<T>(value: T): T {
  if (typeof value === 'number') {
    return (Number.isSafeInteger(value) ? neo4j.int(value) : value) as T;
  }
  if (Array.isArray(value)) return value.map((item) => withIntegers(item)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withIntegers(item)])) as T;
  }
  return value;
}

/** A label no other test uses, e.g. `T_3f9c…`. Safe to interpolate into Cypher (letters, digits, _). */
export function uniqueLabel(prefix = 'T'): string {
  return `${prefix}_${randomUUID().replace(/-/g, '')}`;
}

/** A GDS graph (or any other) name no other test uses. */
export function uniqueName(prefix = 'g'): string {
  return `${prefix}_${randomUUID().replace(/-/g, '')}`;
}

function assertIdentifier(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a plain Cypher identifier: ${name}`);
}

/** Deletes every node with this label and its relationships, in batches. */
export async function deleteLabelled(driver: Driver, label: string): Promise<void> {
  assertIdentifier(label);
  const session = driver.session();
  try {
    // CALL ... IN TRANSACTIONS needs an implicit (auto-commit) transaction: session.run, not executeQuery.
    await session.run(`MATCH (n:\`${label}\`) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`);
  } finally {
    await session.close();
  }
}

/** Drops a GDS graph from the catalog if it exists. */
export async function dropGraph(driver: Driver, graphName: string): Promise<void> {
  await driver.executeQuery('CALL gds.graph.drop($graphName, false) YIELD graphName RETURN graphName', {
    graphName,
  });
}

/**
 * Wipes the database: every GDS graph, every node and relationship (in batches), every constraint and
 * index except the built-in token lookup indexes. Only safe when no other test file is using the
 * server at the same time (see the note at the top of this file).
 */
export async function clearDatabase(driver: Driver): Promise<void> {
  await driver.executeQuery(
    'CALL gds.graph.list() YIELD graphName WITH collect(graphName) AS names ' +
      'UNWIND names AS name CALL gds.graph.drop(name, false) YIELD graphName RETURN count(graphName) AS dropped',
  );
  const session = driver.session();
  try {
    await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
    const constraints = await session.run('SHOW CONSTRAINTS YIELD name RETURN name');
    for (const record of constraints.records) {
      await session.run(`DROP CONSTRAINT \`${String(record.get('name')).replace(/`/g, '``')}\` IF EXISTS`);
    }
    const indexes = await session.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name");
    for (const record of indexes.records) {
      await session.run(`DROP INDEX \`${String(record.get('name')).replace(/`/g, '``')}\` IF EXISTS`);
    }
  } finally {
    await session.close();
  }
}
