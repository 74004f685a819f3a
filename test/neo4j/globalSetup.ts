/**
 * Vitest global setup: starts one Neo4j 5.26 + GDS server for the whole run and hands its Bolt URI to
 * the tests as `inject('neo4jUri')` (see neo4j.fixtures.ts). Stops it when the run ends.
 *
 * Without Java 17+ and Maven: outside CI the URI is '' and the Neo4j tests skip; in CI
 * (CI=true) that is an error, because a skipped test there would hide a broken setup.
 *
 * Server logs: set OCGNET_NEO4J_VERBOSE=1 to see them on stderr.
 */
import type { TestProject } from 'vitest/node';
import { javaAvailable, startNeo4jServer } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** bolt://127.0.0.1:<port> of the shared test server, or '' when it could not be started (not in CI). */
    neo4jUri: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!javaAvailable()) {
    if (process.env.CI === 'true') {
      throw new Error(
        'Neo4j test server: Java 17+ and Maven (mvn) must be on PATH in CI (apt-get install openjdk-17-jdk-headless maven)',
      );
    }
    console.warn('[ocgnet-neo4j] Java 17+ or Maven not found: Neo4j tests will skip');
    project.provide('neo4jUri', '');
    return undefined;
  }
  const verbose = process.env.OCGNET_NEO4J_VERBOSE === '1';
  const server = await startNeo4jServer({
    onLog: verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
  });
  project.provide('neo4jUri', server.uri);
  return async () => {
    await server.stop();
  };
}
