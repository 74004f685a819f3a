/**
 * Shared by the GDS tests (gds.neo4j.test.ts and its soak): a clean database
 * with the given records imported through the Neo4j store, as a user's would be.
 */
import type { Driver } from 'neo4j-driver';
import type { RecordSet } from '@ocgnet/schema';
import { openNeo4jStore } from '@ocgnet/store';

export const GDS_ACTOR = {
  who: 'gds-test',
  audience: 'police-analyst',
  justification: 'automated test of in-database analysis',
};

/** Drops every GDS graph and deletes every node: the GDS tests own the database while they run. */
export async function wipeGraphDatabase(driver: Driver): Promise<void> {
  const session = driver.session();
  try {
    await session.run(
      'CALL gds.graph.list() YIELD graphName WITH collect(graphName) AS names UNWIND names AS name CALL gds.graph.drop(name, false) YIELD graphName RETURN count(*)',
    );
    await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
  } finally {
    await session.close();
  }
}

/** Wipes the database, then imports `records` through the store. */
export async function loadThroughStore(driver: Driver, uri: string, records: RecordSet): Promise<void> {
  await wipeGraphDatabase(driver);
  const store = await openNeo4jStore(uri, GDS_ACTOR);
  try {
    await store.importRecords(records);
  } finally {
    await store.close();
  }
}
