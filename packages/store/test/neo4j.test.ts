/**
 * The Neo4j store: the shared contract suite, plus what only a graph server
 * shows: constraints, staging leftovers of a dead import, retries after real
 * network faults (a Bolt-aware TCP proxy), Cypher injection, and errors.
 *
 * Needs the test server (test/neo4j). Skips only when there is none and we
 * are not in CI.
 */
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioRecords } from '@ocgnet/generator';
import { LINK_TYPES, type Entity, type Link, type RecordSet } from '@ocgnet/schema';
import { contentHashOf, sortRecordSet } from '../src/content.js';
import type { Store, StoreActor } from '../src/contract.js';
import { StoreError } from '../src/errors.js';
import { openNeo4jStore, type Neo4jStoreOptions } from '../src/neo4j/neo4jStore.js';
import { cypher, kindLabel, KIND_LABELS, LINK_REL_TYPES, relType, Token } from '../src/neo4j/cypher.js';
import { CONTRACT_ACTOR, describeStoreContract, HOSTILE_STRINGS } from './contract.js';
import { NO_NEO4J, neo4jUriOrSkip } from '../../../test/neo4j/neo4j.fixtures.js';
import { skipUnless } from '../../../test/skip.js';

const here = dirname(fileURLToPath(import.meta.url));

// ---- the server ------------------------------------------------------------------

// The shared server from test/neo4j/globalSetup.ts; undefined (skip) only without Java outside CI.
const uri = neo4jUriOrSkip();

const OCGNET_LABELS = [
  'Entity',
  'OcgnetAudit',
  'OcgnetImport',
  'OcgnetStaged',
  'OcgnetMeta',
  'OcgnetAnalysisRun',
  'OcgnetSubjectKey',
];

function testDriver(): Driver {
  return neo4j.driver(uri!, undefined, { disableLosslessIntegers: true });
}

async function query<T = Record<string, unknown>>(
  driver: Driver,
  text: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const result = await driver.executeQuery(text, params);
  return result.records.map((record) => record.toObject() as T);
}

/**
 * Deletes every ocgnet node (Entity and Ocgnet*) in batches. Only ocgnet's
 * labels: other test files may use the same server at the same time.
 */
async function wipe(driver: Driver): Promise<void> {
  const session = driver.session();
  try {
    const where = OCGNET_LABELS.map((label) => `n:${label}`).join(' OR ');
    await session.run(`MATCH (n) WHERE ${where} CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`);
  } finally {
    await session.close();
  }
}

async function dropOcgnetSchema(driver: Driver): Promise<void> {
  for (const { name } of await query<{ name: string }>(
    driver,
    "SHOW CONSTRAINTS YIELD name WHERE name STARTS WITH 'ocgnet_' RETURN name",
  )) {
    await driver.executeQuery(`DROP CONSTRAINT ${name} IF EXISTS`);
  }
  for (const { name } of await query<{ name: string }>(
    driver,
    "SHOW INDEXES YIELD name WHERE name STARTS WITH 'ocgnet_' RETURN name",
  )) {
    await driver.executeQuery(`DROP INDEX ${name} IF EXISTS`);
  }
}

/** `before` with `imported` on top: what the store holds after importing `imported` into `before` (records keyed by id). */
function merged(before: RecordSet, imported: RecordSet): RecordSet {
  const entities = new Map<string, Entity>(before.entities.map((e) => [e.id, e]));
  for (const e of imported.entities) entities.set(e.id, e);
  const links = new Map<string, Link>(before.links.map((l) => [l.id, l]));
  for (const l of imported.links) links.set(l.id, l);
  return { entities: [...entities.values()], links: [...links.values()] };
}

// ---- no server needed: the allowlist and the query texts ---------------------------

describe('neo4j store: Cypher is parameterised', () => {
  it('maps every kind and link type, and rejects anything else', () => {
    for (const [kind, label] of Object.entries(KIND_LABELS)) expect(kindLabel(kind).text).toBe(label);
    for (const type of LINK_TYPES) expect(relType(type).text).toBe(LINK_REL_TYPES[type]);
    const hostile = [
      'person` SET n.pwned = true //',
      'MEMBER_OF]->() DETACH DELETE n //',
      'Person',
      'MEMBER_OF',
      '__proto__',
      'constructor',
      'toString',
      '',
      'member_of ',
      ...HOSTILE_STRINGS,
      undefined,
      null,
      42,
      { toString: () => 'person' },
    ];
    for (const value of hostile) {
      expect(() => kindLabel(value), String(value)).toThrow(StoreError);
      expect(() => relType(value), String(value)).toThrow(StoreError);
    }
  });

  it('lets the cypher tag interpolate nothing but issued tokens', () => {
    expect(cypher`MATCH (n:${kindLabel('ocg')}) RETURN n`).toBe('MATCH (n:Ocg) RETURN n');
    expect(cypher`MATCH ()-[r:${[relType('owns'), relType('family')]}]->() RETURN r`).toBe(
      'MATCH ()-[r:OWNS|FAMILY]->() RETURN r',
    );
    const tag = cypher as unknown as (strings: TemplateStringsArray, ...values: unknown[]) => string;
    expect(() => tag`MATCH (n:${'Person` SET n.pwned = true //'}) RETURN n`).toThrow(StoreError);
    expect(() => tag`MATCH (n:${{ text: 'Person' }}) RETURN n`).toThrow(StoreError);
    expect(() => tag`MATCH (n:${Object.create(Token.prototype, { text: { value: 'X` //' } })}) RETURN n`).toThrow(
      StoreError,
    );
    expect(() => tag`MATCH (n:${[]}) RETURN n`).toThrow(StoreError);
    expect(() => Token.issue('Person` //')).toThrow(StoreError);
  });

  it('has no query text built from anything but allowlisted tokens (source scan)', () => {
    const dir = join(here, '../src/neo4j');
    const files = readdirSync(dir).filter((file) => file.endsWith('.ts'));
    expect(files).toContain('cypher.ts');
    expect(files).toContain('neo4jStore.ts');
    const cypherSource = readFileSync(join(dir, 'cypher.ts'), 'utf8');
    // Every template literal with an interpolation in cypher.ts is tagged `cypher`, and interpolates only
    // `label`, `rel` or `rels`, which are only ever assigned from the allowlist functions.
    const templates = [...cypherSource.matchAll(/(new StoreError\('USAGE', )?(\w*)`((?:[^`\\]|\\.)*)`/g)];
    let interpolating = 0;
    for (const [, message, tag, body] of templates) {
      const holes = [...body!.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[1]!.trim());
      if (holes.length === 0 || message !== undefined) continue; // an error message, not a query
      interpolating++;
      expect(tag, body).toBe('cypher');
      for (const hole of holes) expect(['label', 'rel', 'rels'], body).toContain(hole);
    }
    expect(interpolating).toBeGreaterThan(5);
    for (const match of cypherSource.matchAll(/const (label|rel|rels) = ([^;]+);/g)) {
      expect(match[2]).toMatch(/^(kindLabel\(\w+\)|relType\(\w+\)|allRelTypes\(\))$/);
    }
    // No string concatenation into a query text.
    expect(cypherSource).not.toMatch(/cypher`[^`]*`\s*\+/);

    // The store hands the driver only texts from cypher.ts (Q.*), never a literal or a built string.
    for (const file of files.filter((name) => name !== 'cypher.ts')) {
      const source = readFileSync(join(dir, file), 'utf8');
      let calls = 0;
      for (const match of source.matchAll(/\.run\(\s*(Q\.\w+\([^)]*\)|[^,)]+)/g)) {
        calls++;
        expect(match[1]!.trim(), `${file}: ${match[0]}`).toMatch(/^(Q\.\w+(\([\w, ]*\))?|query|statement)$/);
      }
      for (const match of source.matchAll(/column<[^>]+>\(tx,\s*(Q\.\w+\([^)]*\)|[^,]+),/g)) {
        calls++;
        expect(match[1]!.trim(), `${file}: ${match[0]}`).toMatch(/^Q\.\w+(\([\w, ]*\))?$/);
      }
      if (file === 'neo4jStore.ts') expect(calls).toBeGreaterThan(30);
      // `query` and `statement` variables only ever hold Q.* texts.
      for (const match of source.matchAll(/\[\[(Q\.[^\]]+)\]/g)) expect(match[1]).toMatch(/^Q\.\w+(\(\))?,/);
      expect(source).not.toMatch(/\brun\(\s*`/);
      expect(source).not.toMatch(/\brun\(\s*['"]/);
    }
  });
});

// ---- the contract, and what only Neo4j shows ---------------------------------------

describe('neo4j store', skipUnless(uri !== undefined, NO_NEO4J), () => {
  let admin: Driver;
  beforeAll(async () => {
    admin = testDriver();
  });
  afterAll(async () => {
    await admin?.close();
  });

  const open = (actor: StoreActor = CONTRACT_ACTOR): Promise<Store> => openNeo4jStore(uri!, actor, { batchSize: 500 });

  describeStoreContract('neo4j store contract', {
    open,
    reset: () => wipe(admin),
    reopen: () => open(),
    rawAuditLines: async () =>
      (await query<{ line: string }>(admin, 'MATCH (a:OcgnetAudit) RETURN a.line AS line ORDER BY a.seq')).map(
        (row) => row.line,
      ),
  });

  it('creates its constraints and indexes on first open', async () => {
    await wipe(admin);
    await dropOcgnetSchema(admin);
    const store = await open();
    await store.close();
    const constraints = await query<{
      name: string;
      type: string;
      entityType: string;
      labelsOrTypes: string[];
      properties: string[];
    }>(
      admin,
      "SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties WHERE name STARTS WITH 'ocgnet_' RETURN name, type, entityType, labelsOrTypes, properties",
    );
    const has = (entityType: string, label: string, property: string) =>
      constraints.some(
        (c) =>
          c.type.endsWith('UNIQUENESS') &&
          c.entityType === entityType &&
          c.labelsOrTypes[0] === label &&
          c.properties.join() === property,
      );
    expect(has('NODE', 'Entity', 'id')).toBe(true);
    expect(has('NODE', 'OcgnetAudit', 'seq')).toBe(true);
    expect(has('NODE', 'OcgnetImport', 'id')).toBe(true);
    for (const type of Object.values(LINK_REL_TYPES)) expect(has('RELATIONSHIP', type, 'id'), type).toBe(true);
    const indexes = await query<{ labelsOrTypes: string[]; properties: string[]; state: string }>(
      admin,
      "SHOW INDEXES YIELD name, labelsOrTypes, properties, state WHERE name STARTS WITH 'ocgnet_' RETURN labelsOrTypes, properties, state",
    );
    expect(indexes.some((i) => i.labelsOrTypes[0] === 'OcgnetStaged' && i.properties.join() === 'import_id')).toBe(
      true,
    );
    expect(indexes.some((i) => i.labelsOrTypes[0] === 'OcgnetStaged' && i.properties.join() === 'import_id,grp')).toBe(
      true,
    );
    expect(has('NODE', 'OcgnetStaged', 'key')).toBe(true);
    expect(indexes.every((i) => i.state === 'ONLINE')).toBe(true);
    // A second open finds them and changes nothing.
    await (await open()).close();
    expect(
      (await query(admin, "SHOW CONSTRAINTS YIELD name WHERE name STARTS WITH 'ocgnet_' RETURN name")).length,
    ).toBe(constraints.length);
  });

  it('writes the graph model GDS runs on', async () => {
    await wipe(admin);
    const store = await open();
    try {
      const records = scenarioRecords({ size: 'small', seed: 11 });
      await store.importRecords(records);
      const labelled = await query<{ kind: string; labels: string[]; n: number }>(
        admin,
        'MATCH (e:Entity) RETURN e.kind AS kind, labels(e) AS labels, count(*) AS n ORDER BY kind, n',
      );
      for (const row of labelled)
        expect([...row.labels].sort()).toEqual(['Entity', KIND_LABELS[row.kind as keyof typeof KIND_LABELS]].sort());
      const link = records.links.find((l) => l.type === 'member_of' && l.grading.system === '3x5x2')!;
      const [rel] = await query<{ type: string; from: string; to: string; props: Record<string, unknown> }>(
        admin,
        'MATCH (a:Entity)-[r:MEMBER_OF {id: $id}]->(b:Entity) RETURN type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props',
        { id: link.id },
      );
      expect(rel).toMatchObject({ type: 'MEMBER_OF', from: link.from, to: link.to });
      expect(rel!.props).toMatchObject({
        id: link.id,
        type: 'member_of',
        grading_system: '3x5x2',
        record: JSON.stringify(JSON.parse(rel!.props.record as string)),
      });
      expect(typeof rel!.props.strength).toBe('number');
      // Every link is a relationship of its own type, between its own ends.
      const [{ n }] = (await query<{ n: number }>(
        admin,
        'MATCH ()-[r]->() WHERE r.type IS NOT NULL AND type(r) <> toUpper(r.type) RETURN count(r) AS n',
      )) as [{ n: number }];
      expect(n).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('hides staging left by a dead import and clears it on the next open', async () => {
    await wipe(admin);
    const records = scenarioRecords({ size: 'small', seed: 3 });
    let store = await open();
    await store.importRecords(records);
    const hash = await store.contentHash();
    const counts = await store.counts();
    const audit = (await store.auditTrail()).length;
    await store.close();

    // What a client killed between staging batches leaves: an import in 'staging' state, started
    // before this process, and staged nodes (new records and an amendment of a stored one).
    const deadId = 'dead-import-1';
    const amended = records.entities[0]!;
    await admin.executeQuery(
      `CREATE (:OcgnetImport {id: $id, state: 'staging', at: '2000-01-01T00:00:00.000Z', entities: 2, links: 0})
       WITH 1 AS one UNWIND $rows AS row CREATE (s:OcgnetStaged) SET s = row, s.import_id = $id`,
      {
        id: deadId,
        rows: [
          {
            part: 'entity',
            id: 'GHOST-1',
            kind: 'person',
            label: 'Ghost',
            handling: 'P',
            record: '{"id":"GHOST-1","kind":"person","label":"Ghost"}',
          },
          { part: 'entity', id: amended.id, kind: amended.kind, label: 'Amended', handling: 'P', record: '{}' },
        ],
      },
    );
    // Staged nodes whose import record never got written (orphans) go too.
    await admin.executeQuery(`CREATE (:OcgnetStaged {import_id: 'orphan', part: 'link', id: 'GHOST-L'})`);

    store = await openNeo4jStore(uri!, CONTRACT_ACTOR);
    try {
      expect(await store.contentHash()).toBe(hash);
      expect(await store.counts()).toEqual(counts);
      const all = await store.records();
      expect(all).toEqual(sortRecordSet({ entities: [...records.entities], links: [...records.links] }));
      await expect(store.records({ entityIds: ['GHOST-1'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const [{ staged }] = (await query<{ staged: number }>(
        admin,
        'MATCH (s:OcgnetStaged) RETURN count(s) AS staged',
      )) as [{ staged: number }];
      expect(staged).toBe(0);
      const [state] = await query<{ state: string }>(
        admin,
        'MATCH (i:OcgnetImport {id: $id}) RETURN i.state AS state',
        { id: deadId },
      );
      expect(state?.state).toBe('abandoned');
      expect((await store.auditTrail()).length).toBe(audit + 1); // the one successful read
      expect(await store.verifyAudit()).toMatchObject({ ok: true });
    } finally {
      await store.close();
    }
  });

  it('keeps hostile text out of the query: no pwned property, no lost nodes', async () => {
    await wipe(admin);
    const store = await open();
    try {
      const records = scenarioRecords({ size: 'small', seed: 5 });
      await store.importRecords(records);
      const nodes = async () =>
        (
          await query<{ n: number }>(
            admin,
            'MATCH (n) WHERE n:Entity OR n:OcgnetAudit OR n:OcgnetImport OR n:OcgnetMeta RETURN count(n) AS n',
          )
        )[0]!.n;
      const before = await nodes();
      const hostile = hostileEverywhere();
      const result = await store.importRecords(hostile);
      expect(result.entities.added).toBe(hostile.entities.length);
      expect(result.links.added).toBe(hostile.links.length);
      // Exactly the new entities, one import node and one audit node more.
      expect(await nodes()).toBe(before + hostile.entities.length + 2);
      for (const id of HOSTILE_STRINGS)
        expect((await store.records({ entityIds: [id], hops: 1 })).entities.length).toBeGreaterThan(0);
      await store.saveAnalysis({
        runId: HOSTILE_STRINGS.join(' '),
        at: '2025-01-01T00:00:00Z',
        engine: 'x` SET n.pwned = true //',
        marking: { handling: 'C', conditions: [...HOSTILE_STRINGS] },
        metrics: Object.fromEntries(HOSTILE_STRINGS.map((id) => [id, { degree: 1, 'x` SET n.pwned = true //': 2 }])),
        communities: {},
      });
      await store.dueForReview('2030-01-01');
      await store.erase(HOSTILE_STRINGS[17]!, { justification: ') DETACH DELETE n //' });
      const [pwned] = await query<{ nodes: number; rels: number }>(
        admin,
        'CALL () { MATCH (n) WHERE n.pwned IS NOT NULL RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() WHERE r.pwned IS NOT NULL RETURN count(r) AS rels } RETURN nodes, rels',
      );
      expect(pwned).toEqual({ nodes: 0, rels: 0 });
      const keys = (
        await query<{ propertyKey: string }>(admin, 'CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey')
      ).map((row) => row.propertyKey);
      expect(keys).not.toContain('pwned');
      const labels = (await query<{ label: string }>(admin, 'CALL db.labels() YIELD label RETURN label')).map(
        (row) => row.label,
      );
      for (const label of labels) expect(label).toMatch(/^[A-Za-z_0-9]+$/);
      const [after] = await query<{ entities: number; audit: number }>(
        admin,
        'CALL () { MATCH (e:Entity) RETURN count(e) AS entities } CALL () { MATCH (a:OcgnetAudit) RETURN count(a) AS audit } RETURN entities, audit',
      );
      expect(after).toEqual({
        entities: records.entities.length + hostile.entities.length - 1,
        audit: (await store.auditTrail()).length,
      });
      const all: RecordSet = {
        entities: [...records.entities, ...hostile.entities].filter((e) => e.id !== HOSTILE_STRINGS[17]),
        links: [...records.links, ...hostile.links].filter(
          (l) => l.from !== HOSTILE_STRINGS[17] && l.to !== HOSTILE_STRINGS[17],
        ),
      };
      expect(await store.contentHash()).toBe(contentHashOf(all));
      expect(await store.verifyAudit()).toMatchObject({ ok: true });
    } finally {
      await store.close();
    }
  });

  it('reports an unreachable server as unavailable, with the URI but never the password', async () => {
    const closed = await freePort();
    const error = await openNeo4jStore(`bolt://ocgnet:s3cret-pw@127.0.0.1:${closed}`, CONTRACT_ACTOR, {
      driverConfig: { connectionTimeout: 2000, maxTransactionRetryTime: 1000 },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('UNAVAILABLE');
    expect((error as StoreError).message).toContain(`127.0.0.1:${closed}`);
    expect((error as StoreError).message).not.toContain('s3cret-pw');
    expect((error as StoreError).message).not.toMatch(/\n\s+at /);
    const store = await openNeo4jStore(uri!.replace('bolt://', 'bolt://someone:hunter2@'), CONTRACT_ACTOR);
    try {
      expect(store.info).toEqual({ kind: 'neo4j', location: uri });
    } finally {
      await store.close();
    }
  });

  it('reports refused credentials as unavailable with a hint', async () => {
    // The test server runs without auth; a proxy answering every HELLO/LOGON with an auth failure stands in.
    const fake = await fakeAuthFailureServer();
    try {
      const error = await openNeo4jStore(`bolt://127.0.0.1:${fake.port}`, CONTRACT_ACTOR, {
        user: 'neo4j',
        password: 'wrong-pw',
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe('UNAVAILABLE');
      expect((error as StoreError).message).toMatch(/NEO4J_PASSWORD/);
      expect((error as StoreError).message).not.toContain('wrong-pw');
    } finally {
      fake.close();
    }
  });

  describe('commit point and roll-forward', () => {
    // Seed 32 reuses the ids of seed 31 with other content: amendments of entities, links with other
    // content, other ends and other types, plus new records. Every path of the roll-forward runs.
    const before = scenarioRecords({ size: 'small', seed: 31 });
    const imported = scenarioRecords({ size: 'small', seed: 32 });
    const beforeHash = contentHashOf(before);
    const afterHash = contentHashOf(merged(before, imported));
    const openWith = (options: Neo4jStoreOptions) =>
      openNeo4jStore(uri!, CONTRACT_ACTOR, { batchSize: 500, ...options });

    async function seeded(): Promise<void> {
      await wipe(admin);
      const store = await open();
      try {
        await store.importRecords(before);
        expect(await store.contentHash()).toBe(beforeHash);
      } finally {
        await store.close();
      }
    }
    const stagedCount = async () =>
      (await query<{ n: number }>(admin, 'MATCH (s:OcgnetStaged) RETURN count(s) AS n'))[0]!.n;
    const importState = async (id: string) =>
      (await query<{ state: string }>(admin, 'MATCH (i:OcgnetImport {id: $id}) RETURN i.state AS state', { id }))[0]
        ?.state;
    async function checkNoDuplicates(): Promise<void> {
      const [dupes] = await query<{ entities: number; links: number; audit: number }>(
        admin,
        `CALL () { MATCH (e:Entity) WITH e.id AS id, count(*) AS n WHERE n > 1 RETURN count(id) AS entities }
         CALL () { MATCH ()-[r]->() WHERE r.id IS NOT NULL WITH r.id AS id, count(*) AS n WHERE n > 1 RETURN count(id) AS links }
         CALL () { MATCH (a:OcgnetAudit) WITH a.seq AS seq, count(*) AS n WHERE n > 1 RETURN count(seq) AS audit }
         RETURN entities, links, audit`,
      );
      expect(dupes).toEqual({ entities: 0, links: 0, audit: 0 });
    }

    it('applies an import of many chunks (commitChunkSize 50) with the counts of the commit point', async () => {
      await seeded();
      let chunks = 0;
      const store = await openWith({ commitChunkSize: 50, testHooks: { afterChunk: () => void chunks++ } });
      try {
        const result = await store.importRecords(imported);
        expect(chunks).toBeGreaterThanOrEqual(Math.floor((imported.entities.length + imported.links.length) / 50));
        expect(await store.contentHash()).toBe(afterHash);
        // The expected counts, from the records themselves.
        const textOf = (part: 'entities' | 'links', record: Entity | Link) =>
          contentHashOf(
            part === 'entities'
              ? { entities: [record as Entity], links: [] }
              : { entities: [], links: [record as Link] },
          );
        const expected = {
          entities: { added: 0, updated: 0, unchanged: 0 },
          links: { added: 0, updated: 0, unchanged: 0 },
        };
        for (const part of ['entities', 'links'] as const) {
          const stored = new Map<string, string>(
            (before[part] as (Entity | Link)[]).map((record) => [record.id, textOf(part, record)]),
          );
          for (const record of imported[part] as (Entity | Link)[]) {
            const old = stored.get(record.id);
            expected[part][old === undefined ? 'added' : old === textOf(part, record) ? 'unchanged' : 'updated']++;
          }
        }
        expect(result.entities).toEqual(expected.entities);
        expect(result.links).toEqual(expected.links);
        expect(result.links.updated).toBeGreaterThan(0);
        expect(await stagedCount()).toBe(0);
        expect(await importState(result.importId)).toBe('committed');
        await checkNoDuplicates();
        // Applied again (all unchanged), in chunks too.
        const again = await store.importRecords(imported);
        expect(again.entities.unchanged + again.links.unchanged).toBe(imported.entities.length + imported.links.length);
        expect(await store.contentHash()).toBe(afterHash);
        const trail = await store.auditTrail();
        expect(trail.filter((r) => r.event.action === 'import').map((r) => r.event.detail?.import_id)).toEqual([
          expect.any(String),
          result.importId,
          again.importId,
        ]);
        expect(await store.verifyAudit()).toMatchObject({ ok: true });
      } finally {
        await store.close();
      }
    });

    it('reports its phases in order, each at the boundary it names (onPhase, with the sizes of the import options)', async () => {
      await seeded();
      const store = await open(); // the import options' sizes override the store's
      try {
        const seen: string[] = [];
        const result = await store.importRecords(imported, {
          batchSize: 400,
          commitChunkSize: 300,
          // Awaited at each boundary: what the server holds there is what a kill there would leave.
          onPhase: async (phase) => {
            // Noted in call order (staging workers run on while this one waits for its query).
            const at =
              seen.push(
                `${phase.phase}${'chunk' in phase ? ` ${phase.chunk}` : ''}${'chunks' in phase ? `/${phase.chunks}` : ''}`,
              ) - 1;
            const states = await query<{ state: string }>(
              admin,
              "MATCH (i:OcgnetImport) WHERE i.state <> 'committed' RETURN i.state AS state",
            );
            seen[at] += ` ${states.map((row) => row.state).join(',') || '-'}`;
          },
        });
        const total = imported.entities.length + imported.links.length;
        const batches = Math.ceil(imported.entities.length / 400) + Math.ceil(imported.links.length / 400);
        const staging = seen.filter((line) => line.startsWith('staging'));
        expect(staging).toEqual(
          Array.from({ length: batches }, (_, index) => `staging ${index + 1}/${batches} staging`),
        );
        const rest = seen.slice(batches);
        expect(rest[0]).toBe('commit-point committing');
        const chunks = rest.slice(1, -1);
        expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(total / 300));
        expect(chunks).toEqual(chunks.map((_, index) => `roll-forward ${index + 1} committing`));
        expect(rest.at(-1)).toBe('done -');
        expect(await importState(result.importId)).toBe('committed');
        expect(await store.contentHash()).toBe(afterHash);
      } finally {
        await store.close();
      }
    });

    it('refuses a commitChunkSize that is not a whole number of at least 1, changing nothing', async () => {
      await seeded();
      const store = await open();
      try {
        for (const commitChunkSize of [0, 1.5, -3]) {
          await expect(store.importRecords(imported, { commitChunkSize })).rejects.toMatchObject({ code: 'USAGE' });
        }
        expect(await store.contentHash()).toBe(beforeHash);
      } finally {
        await store.close();
      }
    });

    it('finishes an import killed after its commit point: on open, and before any act of a store already open', async () => {
      await seeded();
      const observer = await open(); // opened before the crash: it must roll forward before it reads
      const crashing = await openWith({
        commitChunkSize: 50,
        testHooks: {
          afterChunk: (n) => {
            if (n === 2) throw new Error('simulated crash after the second chunk');
          },
        },
      });
      const error = await crashing
        .importRecords(imported, { sourceDescription: 'crash test' })
        .catch((caught: unknown) => caught);
      await crashing.close();
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).message).toMatch(/committed but not yet fully applied/);
      // What the crash left: the import committing, part applied, the rest staged, one audit event.
      const [row] = await query<{ id: string; state: string }>(
        admin,
        "MATCH (i:OcgnetImport {state: 'committing'}) RETURN i.id AS id, i.state AS state",
      );
      expect(row).toBeDefined();
      const staged = await stagedCount();
      expect(staged).toBeGreaterThan(0);
      expect(staged).toBeLessThan(imported.entities.length + imported.links.length);

      // Two stores opened at once both roll the same import forward: they take turns, chunk by chunk.
      const [a, b] = await Promise.all([openWith({ commitChunkSize: 40 }), openWith({ commitChunkSize: 70 })]);
      try {
        expect(await importState(row!.id)).toBe('committed');
        expect(await stagedCount()).toBe(0);
        expect(await a.contentHash()).toBe(afterHash);
        expect(await b.contentHash()).toBe(afterHash);
        await checkNoDuplicates();
        const trail = await a.auditTrail();
        expect(trail.filter((r) => r.event.action === 'import' && r.event.detail?.import_id === row!.id)).toHaveLength(
          1,
        );
        expect(trail.filter((r) => r.event.action === 'import')).toHaveLength(2);
        expect(await a.verifyAudit()).toMatchObject({ ok: true });
      } finally {
        await a.close();
        await b.close();
      }

      // A store open all along: hand-write the same situation again (committing, part applied) and read.
      await seeded();
      const crashing2 = await openWith({
        commitChunkSize: 50,
        testHooks: {
          afterChunk: (n) => {
            if (n === 3) throw new Error('crash');
          },
        },
      });
      await expect(crashing2.importRecords(imported)).rejects.toBeInstanceOf(StoreError);
      await crashing2.close();
      expect(await stagedCount()).toBeGreaterThan(0);
      try {
        expect(await observer.contentHash()).toBe(afterHash); // rolled forward before reading
        expect(await stagedCount()).toBe(0);
        expect(await observer.records()).toEqual(sortRecordSet(merged(before, imported)));
      } finally {
        await observer.close();
      }
    });

    it('leaves the before state for an import killed before its commit point', async () => {
      await seeded();
      const crashing = await openWith({
        testHooks: {
          beforeCommitPoint: () => {
            throw new Error('simulated crash before the commit point');
          },
        },
      });
      await expect(crashing.importRecords(imported)).rejects.toThrow(/simulated crash/);
      await crashing.close();
      const [row] = await query<{ id: string }>(admin, "MATCH (i:OcgnetImport {state: 'staging'}) RETURN i.id AS id");
      expect(row).toBeDefined();
      // Partial staging, as if the client died between batches.
      await admin.executeQuery('MATCH (s:OcgnetStaged) WITH s LIMIT 700 DELETE s');
      expect(await stagedCount()).toBeGreaterThan(0);
      // A reader of this (live) process sees the before state; the staging stays, it may still be committed.
      let store = await open();
      expect(await store.contentHash()).toBe(beforeHash);
      await store.close();
      expect(await stagedCount()).toBeGreaterThan(0);
      // Once it belongs to a dead process (it began before this one), the next open drops it.
      await admin.executeQuery("MATCH (i:OcgnetImport {id: $id}) SET i.at = '2000-01-01T00:00:00.000Z'", {
        id: row!.id,
      });
      store = await open();
      try {
        expect(await store.contentHash()).toBe(beforeHash);
        expect(await stagedCount()).toBe(0);
        expect(await importState(row!.id)).toBe('abandoned');
        expect((await store.auditTrail()).filter((r) => r.event.action === 'import')).toHaveLength(1);
      } finally {
        await store.close();
      }
    });

    it('shows concurrent readers the before or the after state, never a part', async () => {
      await seeded();
      const writer = await openWith({ commitChunkSize: 20 });
      const reader = await open();
      try {
        let finished = false;
        const importing = writer.importRecords(imported).finally(() => {
          finished = true;
        });
        const seen = new Set<string>();
        let reads = 0;
        while (!finished) {
          const [hash, counts] = await Promise.all([reader.contentHash(), reader.counts()]);
          seen.add(hash);
          expect([beforeHash, afterHash]).toContain(hash);
          expect(counts.entities).toBeGreaterThanOrEqual(before.entities.length);
          reads++;
        }
        await importing;
        expect(reads).toBeGreaterThan(0);
        expect(await reader.contentHash()).toBe(afterHash);
        await checkNoDuplicates();
      } finally {
        await writer.close();
        await reader.close();
      }
    });
  });

  describe('retries after network faults, without duplicates', () => {
    const records = scenarioRecords({ size: 'small', seed: 21 });
    const reference = contentHashOf(records);

    async function checkNoDuplicates(store: Store, imports: number): Promise<void> {
      const [dupes] = await query<{ entities: number; links: number; audit: number }>(
        admin,
        `CALL () { MATCH (e:Entity) WITH e.id AS id, count(*) AS n WHERE n > 1 RETURN count(id) AS entities }
         CALL () { MATCH ()-[r]->() WHERE r.id IS NOT NULL WITH r.id AS id, count(*) AS n WHERE n > 1 RETURN count(id) AS links }
         CALL () { MATCH (a:OcgnetAudit) WITH a.seq AS seq, count(*) AS n WHERE n > 1 RETURN count(seq) AS audit }
         RETURN entities, links, audit`,
      );
      expect(dupes).toEqual({ entities: 0, links: 0, audit: 0 });
      expect(await store.counts()).toEqual({ entities: records.entities.length, links: records.links.length });
      expect(await store.contentHash()).toBe(reference);
      const trail = await store.auditTrail();
      expect(trail.filter((r) => r.event.action === 'import')).toHaveLength(imports);
      expect(await store.verifyAudit()).toMatchObject({ ok: true, count: trail.length });
      const [{ staged }] = (await query<{ staged: number }>(
        admin,
        'MATCH (s:OcgnetStaged) RETURN count(s) AS staged',
      )) as [{ staged: number }];
      expect(staged).toBe(0);
    }

    it('loses the acknowledgement of each transaction’s first commit: committed, then retried (open, import, erase)', async () => {
      await wipe(admin);
      // Each lost acknowledgement costs the driver's retry back-off (1 s or more), so a budget of
      // them in each phase: 2 while the store opens, 6 in the import, 3 in the erase and re-import.
      let toDrop = 2;
      let dropNext = true;
      const dropCommitAck = () => {
        if (toDrop === 0) return false;
        const drop = dropNext;
        dropNext = !dropNext; // the retry of a dropped commit goes through
        if (drop) toDrop--;
        return drop;
      };
      const proxy = await BoltProxy.start(uri!, { dropCommitAck });
      const store = await openNeo4jStore(proxy.uri, CONTRACT_ACTOR, { batchSize: 400 });
      try {
        expect(proxy.droppedAcks).toBe(2);
        toDrop = 6;
        dropNext = true;
        const result = await store.importRecords(records);
        expect(result.entities.added).toBe(records.entities.length);
        expect(result.links.added).toBe(records.links.length);
        expect(proxy.droppedAcks).toBe(8);
        const read = await store.records({ entityIds: [records.entities[0]!.id], hops: 1 });
        expect(read.entities.length).toBeGreaterThan(0);
        toDrop = 3;
        dropNext = true;
        await store.erase(records.entities.at(-1)!.id, { justification: 'fault test' }).then(() =>
          store.importRecords({
            entities: [records.entities.at(-1)!],
            links: records.links.filter(
              (l) => l.from === records.entities.at(-1)!.id || l.to === records.entities.at(-1)!.id,
            ),
          }),
        );
        expect(proxy.droppedAcks).toBe(11);
        proxy.policy.dropCommitAck = undefined;
        await checkNoDuplicates(store, 2);
        const actions = (await store.auditTrail()).map((r) => r.event.action);
        expect(actions).toEqual(['import', 'read', 'erase', 'import']);
      } finally {
        await store.close();
        proxy.close();
      }
    });

    it('survives connections cut at random points in staging and commit', async () => {
      await wipe(admin);
      const proxy = await BoltProxy.start(uri!, { cutChance: 0.08, maxFaults: 10, seed: 7 });
      const store = await openNeo4jStore(proxy.uri, CONTRACT_ACTOR, { batchSize: 150, commitChunkSize: 200 });
      try {
        await store.importRecords(records);
        await store.importRecords(records); // all unchanged, under faults too
        expect(proxy.faults).toBeGreaterThan(3);
        proxy.policy.cutChance = undefined;
        await checkNoDuplicates(store, 2);
      } finally {
        await store.close();
        proxy.close();
      }
    });
  });
});

// ---- helpers ------------------------------------------------------------------------

/** Hostile strings in every field a record has: ids, labels, notes, sources, conditions, attribute values, aliases. */
function hostileEverywhere(): RecordSet {
  const entities: Entity[] = HOSTILE_STRINGS.map((text, index) => ({
    id: text,
    kind: 'person',
    label: text,
    notes: text,
    aliases: [text, `${text}\`) SET n.pwned = true //`],
    source: text,
    ...(index % 2 === 0
      ? { grading: { system: '3x5x2', source: '2', intelligence: 'B', handling: 'C', conditions: text } }
      : { grading: { system: '5x5x5', recorded: text } }),
    attributes: [
      {
        name: 'remark',
        value: text,
        grading: { system: '3x5x2', source: '1', intelligence: 'A', handling: 'P' },
        source: text,
      },
    ],
  }));
  const links: Link[] = HOSTILE_STRINGS.slice(1).map((text, index) => ({
    id: `${text} :: ${index}`,
    type: 'associate',
    from: HOSTILE_STRINGS[index]!,
    to: text,
    source: text,
    notes: text,
    grading:
      index % 2 === 0
        ? { system: '3x5x2', source: '3', intelligence: 'E', handling: 'C', conditions: text }
        : { system: '5x5x5', recorded: text },
    first_seen: '2024-01-01',
  }));
  return { entities, links };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A tiny seeded generator (mulberry32), so a failing fault schedule can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Bolt COMMIT message as the driver writes it: one 2-byte chunk `B0 12`, then the end marker. */
const COMMIT_MESSAGE = Buffer.from([0x00, 0x02, 0xb0, 0x12, 0x00, 0x00]);

interface ProxyPolicy {
  /** Called for every COMMIT a client sends (numbered from 1): true lets the server commit, then drops its answer and cuts the connection. */
  dropCommitAck?: ((n: number) => boolean) | undefined;
  /** Chance per data event (either direction) of forwarding a random prefix and then cutting the connection. */
  cutChance?: number | undefined;
  maxFaults?: number;
  seed?: number;
}

/**
 * A TCP proxy between the driver and the server that injects real network
 * faults. It recognises Bolt COMMIT messages in the client's stream, so it can
 * let a commit reach the server and then lose the server's acknowledgement
 * (the driver sees a dead connection after the server committed: the case a
 * retry must not duplicate). It can also cut connections at random byte
 * positions, in the middle of any message in either direction.
 */
class BoltProxy {
  faults = 0;
  droppedAcks = 0;
  private commits = 0;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly uri: string,
    readonly policy: ProxyPolicy,
  ) {}

  static async start(target: string, policy: ProxyPolicy): Promise<BoltProxy> {
    const { hostname, port } = new URL(target);
    const random = seededRandom(policy.seed ?? 1);
    let proxy!: BoltProxy;
    const server = net.createServer((client) => {
      const upstream = net.connect(Number(port), hostname);
      proxy.sockets.add(client);
      proxy.sockets.add(upstream);
      let awaitingAck = false;
      let dropAck = false;
      const cut = () => {
        client.destroy();
        upstream.destroy();
      };
      const maybeCut = (data: Buffer, to: net.Socket): boolean => {
        if (
          policy.cutChance === undefined ||
          proxy.faults >= (policy.maxFaults ?? Infinity) ||
          random() >= policy.cutChance
        )
          return false;
        proxy.faults++;
        const prefix = Math.floor(random() * data.length);
        if (prefix > 0) to.write(data.subarray(0, prefix));
        setImmediate(cut);
        return true;
      };
      client.on('data', (data: Buffer) => {
        if (maybeCut(data, upstream)) return;
        if (
          policy.dropCommitAck !== undefined &&
          data.length >= COMMIT_MESSAGE.length &&
          data.subarray(data.length - COMMIT_MESSAGE.length).equals(COMMIT_MESSAGE)
        ) {
          proxy.commits++;
          if (policy.dropCommitAck(proxy.commits)) {
            awaitingAck = true;
            dropAck = true;
          }
        }
        upstream.write(data);
      });
      upstream.on('data', (data: Buffer) => {
        if (awaitingAck && dropAck) {
          // The server has answered the COMMIT, so it committed; the client never hears of it.
          proxy.droppedAcks++;
          proxy.faults++;
          awaitingAck = false;
          dropAck = false;
          cut();
          return;
        }
        if (maybeCut(data, client)) return;
        client.write(data);
      });
      for (const socket of [client, upstream]) {
        socket.on('error', cut);
        socket.on('close', () => {
          proxy.sockets.delete(socket);
          cut();
        });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port: own } = server.address() as net.AddressInfo;
    proxy = new BoltProxy(server, `bolt://127.0.0.1:${own}`, policy);
    return proxy;
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
  }
}

/**
 * Speaks just enough Bolt to refuse a login: agrees to the client's first
 * offered version, then answers every message with FAILURE
 * Neo.ClientError.Security.Unauthorized.
 */
async function fakeAuthFailureServer(): Promise<{ port: number; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    let handshaken = false;
    let buffer = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      if (!handshaken) {
        if (buffer.length < 20) return;
        // Pick 5.0 (the oldest Bolt 5): every current driver offers it.
        socket.write(Buffer.from([0, 0, 0, 5]));
        handshaken = true;
        buffer = buffer.subarray(20);
      }
      // Answer each complete message (ends with 00 00) with a FAILURE.
      while (buffer.length >= 2) {
        const end = findMessageEnd(buffer);
        if (end < 0) break;
        buffer = buffer.subarray(end);
        socket.write(
          failureMessage(
            'Neo.ClientError.Security.Unauthorized',
            'The client is unauthorized due to authentication failure.',
          ),
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

function findMessageEnd(buffer: Buffer): number {
  let offset = 0;
  while (offset + 2 <= buffer.length) {
    const size = buffer.readUInt16BE(offset);
    offset += 2;
    if (size === 0) return offset;
    offset += size;
  }
  return -1;
}

function packString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length < 16) return Buffer.concat([Buffer.from([0x80 + bytes.length]), bytes]);
  if (bytes.length < 256) return Buffer.concat([Buffer.from([0xd0, bytes.length]), bytes]);
  return Buffer.concat([Buffer.from([0xd1, bytes.length >> 8, bytes.length & 0xff]), bytes]);
}

function failureMessage(code: string, message: string): Buffer {
  const body = Buffer.concat([
    Buffer.from([0xb1, 0x7f, 0xa2]),
    packString('code'),
    packString(code),
    packString('message'),
    packString(message),
  ]);
  const header = Buffer.alloc(2);
  header.writeUInt16BE(body.length);
  return Buffer.concat([header, body, Buffer.from([0, 0])]);
}
