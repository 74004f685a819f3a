/**
 * The Neo4j store's audit trail under attack (auditAttacks.ts), on the real
 * Neo4j test server, with the server's own driver as the attacker's tool.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe } from 'vitest';
import { openNeo4jStore } from '../src/neo4j/neo4jStore.js';
import { describeStoreAuditAttacks } from './auditAttacks.js';
import { CONTRACT_ACTOR } from './contract.js';
import { NO_NEO4J, neo4jUriOrSkip } from '../../../test/neo4j/neo4j.fixtures.js';
import { skipUnless } from '../../../test/skip.js';

const uri = neo4jUriOrSkip();

describe('neo4j store audit', skipUnless(uri !== undefined, NO_NEO4J), () => {
  let admin: Driver;
  beforeAll(() => {
    admin = neo4j.driver(uri!, undefined, { disableLosslessIntegers: true });
  });
  afterAll(async () => {
    await admin?.close();
  });
  const run = async (text: string, params: Record<string, unknown> = {}) =>
    (await admin.executeQuery(text, params)).records;

  describeStoreAuditAttacks('neo4j store', {
    async reset() {
      // The neo4j project runs one file at a time, so this file may clear every ocgnet node.
      await run(
        'MATCH (n) WHERE n:Entity OR n:OcgnetAudit OR n:OcgnetImport OR n:OcgnetStaged OR n:OcgnetMeta OR n:OcgnetAnalysisRun DETACH DELETE n',
      );
    },
    open: (audit) => openNeo4jStore(uri!, CONTRACT_ACTOR, { audit }),
    lines: async () =>
      (await run('MATCH (a:OcgnetAudit) RETURN a.line AS line ORDER BY a.seq')).map(
        (record) => record.get('line') as string,
      ),
    async setLines(lines) {
      await run('MATCH (a:OcgnetAudit) DELETE a');
      await run(
        'UNWIND range(1, size($lines)) AS seq CREATE (:OcgnetAudit {seq: seq, line: $lines[seq - 1], op: "forged:" + seq})',
        { lines: [...lines] },
      );
    },
    checkpoint: async () =>
      ((await run('MATCH (m:OcgnetMeta) RETURN m.audit_checkpoint AS line'))[0]?.get('line') as string | null) ??
      undefined,
    async setCheckpoint(line) {
      await run('MATCH (m:OcgnetMeta) SET m.audit_checkpoint = $line', { line: line ?? null });
    },
  });
});
