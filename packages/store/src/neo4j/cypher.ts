/**
 * Every Cypher text the Neo4j store runs, and the allowlist of the only
 * tokens that are ever put into one.
 *
 * Values always travel as parameters. Labels and relationship types cannot
 * be parameters in Cypher, so they come from the two allowlist maps below,
 * and only through {@link cypher}: a template tag that accepts nothing but
 * {@link Token}s, which only {@link kindLabel} and {@link relType} make, and
 * which they make only for a key of their map (anything else throws). A
 * query is a {@link Cypher} value, a branded string that only this module
 * creates, so the store cannot hand the driver a text built anywhere else.
 */
import { ENTITY_KINDS, LINK_TYPES, type EntityKind, type LinkType } from '@ocgnet/schema';
import { StoreError } from '../errors.js';

/** Entity kind → node label (besides `:Entity`). */
export const KIND_LABELS: Readonly<Record<EntityKind, string>> = Object.freeze({
  person: 'Person',
  ocg: 'Ocg',
  usg: 'Usg',
  location: 'Location',
  vehicle: 'Vehicle',
  phone: 'Phone',
  business: 'Business',
  event: 'Event',
});

/** Link type → relationship type. */
export const LINK_REL_TYPES: Readonly<Record<LinkType, string>> = Object.freeze({
  member_of: 'MEMBER_OF',
  associate: 'ASSOCIATE',
  family: 'FAMILY',
  co_offender: 'CO_OFFENDER',
  lives_at: 'LIVES_AT',
  uses_address: 'USES_ADDRESS',
  uses_phone: 'USES_PHONE',
  phone_contact: 'PHONE_CONTACT',
  uses_vehicle: 'USES_VEHICLE',
  owns: 'OWNS',
  works_at: 'WORKS_AT',
  financial: 'FINANCIAL',
  attended: 'ATTENDED',
});

/** A label or relationship type taken from the allowlist: the only thing a query text may interpolate. */
export class Token {
  static readonly #issued = new WeakSet<Token>();
  private constructor(readonly text: string) {}
  /** @internal Only the allowlist functions below call this. */
  static issue(text: string): Token {
    // Belt and braces: even an allowlist entry must be a plain identifier.
    if (!/^[A-Z][A-Za-z_]*$/.test(text))
      throw new StoreError('USAGE', `not an allowed Cypher token: ${JSON.stringify(text)}`);
    const token = new Token(text);
    Token.#issued.add(token);
    return token;
  }
  static isIssued(value: unknown): value is Token {
    return value instanceof Token && Token.#issued.has(value);
  }
}

const TOKENS = new Map<string, Token>();
function allowed(map: Readonly<Record<string, string>>, key: unknown, what: string): Token {
  if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(map, key)) {
    throw new StoreError('USAGE', `not an allowed ${what}: ${JSON.stringify(String(key)).slice(0, 80)}`);
  }
  const text = map[key]!;
  let token = TOKENS.get(text);
  if (token === undefined) {
    token = Token.issue(text);
    TOKENS.set(text, token);
  }
  return token;
}

/** The node label of an entity kind; throws StoreError('USAGE') for anything else. */
export function kindLabel(kind: unknown): Token {
  return allowed(KIND_LABELS, kind, 'entity kind');
}

/** The relationship type of a link type; throws StoreError('USAGE') for anything else. */
export function relType(type: unknown): Token {
  return allowed(LINK_REL_TYPES, type, 'link type');
}

/** Relationship types of every link type, for `MATCH ()-[r:A|B|…]->()` (a list of tokens joins with `|`). */
export function allRelTypes(): Token[] {
  return LINK_TYPES.map((type) => relType(type));
}

declare const cypherBrand: unique symbol;
/** A query text made in this module. */
export type Cypher = string & { readonly [cypherBrand]: true };

/**
 * The only way to make a query text. Interpolations must be allowlist tokens;
 * a string, number or any other value throws.
 */
export function cypher(strings: TemplateStringsArray, ...tokens: (Token | readonly Token[])[]): Cypher {
  let text = strings[0]!;
  tokens.forEach((token, index) => {
    const list = Array.isArray(token) ? (token as readonly unknown[]) : [token];
    if (list.length === 0 || !list.every((item) => Token.isIssued(item))) {
      throw new StoreError('USAGE', 'a Cypher text may only interpolate allowlisted labels and relationship types');
    }
    text += (list as Token[]).map((item) => item.text).join('|') + strings[index + 1]!;
  });
  return text as Cypher;
}

export { ENTITY_KINDS, LINK_TYPES };

// ---------------------------------------------------------------------------
// Schema

/** Constraints and indexes, created on first use. Each runs in its own schema transaction. */
export function schemaStatements(): Cypher[] {
  return [
    cypher`CREATE CONSTRAINT ocgnet_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE`,
    ...LINK_TYPES.map((type) => {
      const rel = relType(type);
      // One name per type; the name is the allowlisted type itself.
      return cypher`CREATE CONSTRAINT ocgnet_link_id_${rel} IF NOT EXISTS FOR ()-[r:${rel}]-() REQUIRE r.id IS UNIQUE`;
    }),
    cypher`CREATE CONSTRAINT ocgnet_audit_seq IF NOT EXISTS FOR (a:OcgnetAudit) REQUIRE a.seq IS UNIQUE`,
    cypher`CREATE CONSTRAINT ocgnet_import_id IF NOT EXISTS FOR (i:OcgnetImport) REQUIRE i.id IS UNIQUE`,
    cypher`CREATE CONSTRAINT ocgnet_run_id IF NOT EXISTS FOR (r:OcgnetAnalysisRun) REQUIRE r.id IS UNIQUE`,
    cypher`CREATE CONSTRAINT ocgnet_meta_version IF NOT EXISTS FOR (m:OcgnetMeta) REQUIRE m.schema_version IS UNIQUE`,
    cypher`CREATE INDEX ocgnet_audit_op IF NOT EXISTS FOR (a:OcgnetAudit) ON (a.op)`,
    cypher`CREATE INDEX ocgnet_import_state IF NOT EXISTS FOR (i:OcgnetImport) ON (i.state)`,
    cypher`CREATE INDEX ocgnet_staged_import IF NOT EXISTS FOR (s:OcgnetStaged) ON (s.import_id)`,
    cypher`CREATE INDEX ocgnet_staged_group IF NOT EXISTS FOR (s:OcgnetStaged) ON (s.import_id, s.grp)`,
    cypher`CREATE CONSTRAINT ocgnet_staged_unique_key IF NOT EXISTS FOR (s:OcgnetStaged) REQUIRE s.key IS UNIQUE`,
    cypher`CREATE INDEX ocgnet_entity_review IF NOT EXISTS FOR (n:Entity) ON (n.review_date)`,
    cypher`CREATE CONSTRAINT ocgnet_subject_key_ref IF NOT EXISTS FOR (k:OcgnetSubjectKey) REQUIRE k.ref IS UNIQUE`,
    cypher`CREATE CONSTRAINT ocgnet_subject_key_kid IF NOT EXISTS FOR (k:OcgnetSubjectKey) REQUIRE k.kid IS UNIQUE`,
  ];
}

export const AWAIT_INDEXES = cypher`CALL db.awaitIndexes(300)`;

export const META_READ = cypher`MATCH (m:OcgnetMeta) RETURN m.schema_version AS version`;
export const META_CREATE = cypher`MERGE (m:OcgnetMeta {schema_version: $version})`;

// ---------------------------------------------------------------------------
// Staging leftovers

/**
 * Imports left in staging by a process that started before `$before`, and
 * staged nodes of no live import (neither staging nor committing: a
 * committing import's staged nodes are its pending roll-forward).
 */
export const STALE_IMPORTS = cypher`
MATCH (i:OcgnetImport {state: 'staging'}) WHERE i.at < $before RETURN i.id AS id
UNION
MATCH (s:OcgnetStaged)
WHERE NOT EXISTS { MATCH (i:OcgnetImport {id: s.import_id}) WHERE i.state IN ['staging', 'committing'] }
RETURN DISTINCT s.import_id AS id`;
/** Deletes a batch of an import's staged nodes, unless the import is staging or committing (then they are still needed). */
export const DELETE_STAGED_BATCH = cypher`
OPTIONAL MATCH (i:OcgnetImport {id: $id})
WITH i WHERE i IS NULL OR NOT i.state IN ['staging', 'committing']
MATCH (s:OcgnetStaged {import_id: $id}) WITH s LIMIT $limit DELETE s RETURN count(*) AS deleted`;
/**
 * Takes the write lock on an import node (held to the end of the
 * transaction); later statements of the transaction read its latest state.
 */
export const IMPORT_LOCK = cypher`
MATCH (i:OcgnetImport {id: $id}) SET i.lock = coalesce(i.lock, 0) + 1 RETURN i.state AS state, i.result AS result, i.grps AS grps`;
/** Abandons an import still staging; run after {@link IMPORT_LOCK}, so it cannot overwrite a commit point. */
export const ABANDON_IMPORT = cypher`
MATCH (i:OcgnetImport {id: $id}) WHERE i.state = 'staging' SET i.state = 'abandoned', i.abandoned_at = $now`;
/** Imports past their commit point whose staged records are not all applied yet (cheap: an index lookup). */
export const COMMITTING_IMPORTS = cypher`
MATCH (i:OcgnetImport {state: 'committing'}) RETURN i.id AS id ORDER BY i.committing_at, i.id`;
export const ANY_COMMITTING = cypher`
MATCH (i:OcgnetImport {state: 'committing'}) RETURN i.id AS id LIMIT 1`;

// ---------------------------------------------------------------------------
// Import

export const STORED_KINDS = cypher`
UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN e.id AS id, e.kind AS kind`;
export const IMPORT_BEGIN = cypher`
MERGE (i:OcgnetImport {id: $id}) ON CREATE SET i.state = 'staging', i.at = $at, i.entities = $entities, i.links = $links, i.grps = $grps`;
export const STAGE_BATCH = cypher`
UNWIND $rows AS row
MERGE (s:OcgnetStaged {key: row.key})
SET s += row, s.import_id = $id, s.part = $part`;

export const IMPORT_STATE = cypher`
OPTIONAL MATCH (i:OcgnetImport {id: $id})
RETURN i.state AS state, i.result AS result`;
/** The kind and type groups an import staged (null for an import that did not record them). */
export const IMPORT_STATE_GRPS = cypher`
MATCH (i:OcgnetImport {id: $id}) RETURN i.grps AS grps`;
/** The commit point: staging → committing, with the counts computed before it. Run after {@link IMPORT_LOCK}. */
export const IMPORT_COMMIT_POINT = cypher`
MATCH (i:OcgnetImport {id: $id}) WHERE i.state = 'staging'
SET i.state = 'committing', i.committing_at = $at, i.result = $result
RETURN i.id AS id`;
export const STAGED_COUNTS = cypher`
MATCH (s:OcgnetStaged {import_id: $id}) RETURN s.part AS part, count(*) AS n`;
/** Staged entities whose stored entity has another kind (a race with another import). */
export const STAGED_KIND_CLASH = cypher`
MATCH (s:OcgnetStaged {import_id: $id, part: 'entity'}) WHERE s.id IS NOT NULL
MATCH (e:Entity {id: s.id}) WHERE e.kind <> s.kind
RETURN s.id AS id, e.kind AS stored, s.kind AS kind LIMIT 20`;

// Counting (read only, inside the commit-point transaction)

/** Staged entities of one group by what they will do: added, updated or unchanged. */
export const COUNT_STAGED_ENTITIES = cypher`
MATCH (s:OcgnetStaged {import_id: $id, grp: $grp}) USING INDEX s:OcgnetStaged(import_id, grp)
OPTIONAL MATCH (e:Entity {id: s.id})
RETURN CASE WHEN e IS NULL THEN 'added' WHEN e.record = s.record THEN 'unchanged' ELSE 'updated' END AS status, count(*) AS n`;

/** Staged links of one type against stored links of the same type and id: unchanged, or updated (other content or other ends). */
export function countSameTypeLinks(type: LinkType): Cypher {
  const rel = relType(type);
  return cypher`
MATCH (s:OcgnetStaged {import_id: $id, grp: $grp}) USING INDEX s:OcgnetStaged(import_id, grp)
MATCH ()-[r:${rel} {id: s.id}]->()
RETURN CASE WHEN startNode(r).id = s.from AND endNode(r).id = s.to AND r.record = s.record THEN 'unchanged' ELSE 'updated' END AS status, count(DISTINCT s) AS n`;
}

/**
 * Staged links of type `type` not stored under it but stored under another
 * type (an amendment changing the type). One text per type (all other types),
 * so the server compiles it once.
 */
export function countRetypedLinks(type: LinkType): Cypher {
  const rel = relType(type);
  const others = LINK_TYPES.filter((other) => other !== type);
  return wrap(
    cypher`
MATCH (s:OcgnetStaged {import_id: $id, grp: $grp}) USING INDEX s:OcgnetStaged(import_id, grp)
WHERE NOT EXISTS { MATCH ()-[:${rel} {id: s.id}]->() }
CALL (s) {
  `,
    unionOfOthers(others),
    cypher`
}
RETURN count(DISTINCT s) AS n`,
  );
}

/** `MATCH ()-[r:<other> {id: s.id}]->() RETURN r` for every other type, joined by UNION ALL. */
function unionOfOthers(others: readonly LinkType[]): Cypher {
  const branches = others.map((other) => {
    const rel = relType(other);
    return cypher`MATCH ()-[r:${rel} {id: s.id}]->() RETURN r`;
  });
  let union = branches[0]!;
  for (const branch of branches.slice(1)) union = joinUnion(union, branch);
  return union;
}

// ---------------------------------------------------------------------------
// Applying a committed import (roll forward), one bounded chunk per transaction.
// Each chunk runs after IMPORT_LOCK, so appliers of the same import take turns.

/**
 * Applies up to `$limit` staged entities of one kind (MERGE on id; written
 * only when new or changed) and deletes those staged nodes.
 */
export function applyEntities(kind: EntityKind): Cypher {
  const label = kindLabel(kind);
  return cypher`
MATCH (s:OcgnetStaged {import_id: $id, grp: $grp}) USING INDEX s:OcgnetStaged(import_id, grp)
WITH s LIMIT $limit
OPTIONAL MATCH (e:Entity {id: s.id})
CALL (s, e) {
  WITH s, e WHERE e IS NULL OR e.record <> s.record
  MERGE (n:Entity {id: s.id})
  SET n:${label}, n.kind = s.kind, n.label = s.label, n.handling = s.handling, n.review_date = s.review_date, n.record = s.record
}
DELETE s
RETURN count(*) AS n`;
}

/** The keys of the next chunk of staged links of one type. */
export const STAGED_CHUNK_KEYS = cypher`
MATCH (s:OcgnetStaged {import_id: $id, grp: $grp}) USING INDEX s:OcgnetStaged(import_id, grp)
RETURN s.key AS key LIMIT $limit`;

/**
 * Of the staged links `$keys` of one type, those that would change the store:
 * every key but those whose stored link of the same type and id already has
 * the same ends and content. A link id is stored under one type only, so an
 * unchanged link needs no retype check either; a re-import of unchanged
 * records then skips the per-link union over the other types.
 */
export function changingLinkKeys(type: LinkType): Cypher {
  const rel = relType(type);
  return cypher`
UNWIND $keys AS key
MATCH (s:OcgnetStaged {key: key})
OPTIONAL MATCH ()-[r:${rel} {id: s.id}]->()
WITH s, r WHERE r IS NULL OR r.record <> s.record OR startNode(r).id <> s.from OR endNode(r).id <> s.to
RETURN s.key AS key`;
}

/**
 * For the staged links `$keys` of one type: a stored link of that type and
 * id with other ends is deleted (to be created anew); with the same ends and
 * other content it is updated in place.
 */
export function applySameTypeLinks(type: LinkType): Cypher {
  const rel = relType(type);
  return cypher`
UNWIND $keys AS key
MATCH (s:OcgnetStaged {key: key})
MATCH ()-[r:${rel} {id: s.id}]->()
WITH s, r, startNode(r).id = s.from AND endNode(r).id = s.to AS sameEnds
CALL (r, sameEnds) {
  WITH r, sameEnds WHERE NOT sameEnds
  DELETE r
}
CALL (s, r, sameEnds) {
  WITH s, r, sameEnds WHERE sameEnds AND r.record <> s.record
  SET r.handling = s.handling, r.start = s.start, r.end = s.end, r.review_date = s.review_date, r.strength = s.strength,
      r.grading_system = s.grading_system, r.source_evaluation = s.source_evaluation,
      r.intelligence_assessment = s.intelligence_assessment, r.record = s.record
}
RETURN count(*) AS n`;
}

/** For the staged links `$keys` of type `type`: a stored link with the same id under another type is deleted. */
export function deleteRetypedLinks(type: LinkType): Cypher {
  const others = LINK_TYPES.filter((other) => other !== type);
  return wrap(
    cypher`
UNWIND $keys AS key
MATCH (s:OcgnetStaged {key: key})
CALL (s) {
  `,
    unionOfOthers(others),
    cypher`
}
DELETE r
RETURN count(*) AS n`,
  );
}

/** Creates the staged links `$keys` of one type that are not stored under their id. */
export function applyLinks(type: LinkType): Cypher {
  const rel = relType(type);
  return cypher`
UNWIND $keys AS key
MATCH (s:OcgnetStaged {key: key})
WHERE NOT EXISTS { MATCH ()-[:${rel} {id: s.id}]->() }
MATCH (a:Entity {id: s.from})
MATCH (b:Entity {id: s.to})
MERGE (a)-[r:${rel} {id: s.id}]->(b)
SET r.type = s.type, r.handling = s.handling, r.start = s.start, r.end = s.end, r.review_date = s.review_date,
    r.strength = s.strength, r.grading_system = s.grading_system, r.source_evaluation = s.source_evaluation,
    r.intelligence_assessment = s.intelligence_assessment, r.record = s.record
RETURN count(*) AS n`;
}

/** Deletes the staged nodes `$keys` (applied in the same transaction). */
export const DELETE_STAGED_KEYS = cypher`
UNWIND $keys AS key
MATCH (s:OcgnetStaged {key: key}) DELETE s RETURN count(*) AS n`;

/** Does the import still have staged nodes? */
export const STAGED_LEFT = cypher`
MATCH (s:OcgnetStaged {import_id: $id}) RETURN s.key AS key LIMIT 1`;

/** `a UNION ALL b`: two texts made here. */
function joinUnion(a: Cypher, b: Cypher): Cypher {
  return (a + '\n  UNION ALL\n  ' + b) as Cypher;
}
/** `head body tail`: three texts made here. */
function wrap(head: Cypher, body: Cypher, tail: Cypher): Cypher {
  return (head + body + tail) as Cypher;
}

/** Of the link ends `$ids` that the import does not stage itself, those no longer stored at the commit point (erased meanwhile). */
export const ENDS_MISSING = cypher`
UNWIND $ids AS id WITH id WHERE NOT EXISTS { MATCH (:Entity {id: id}) }
RETURN id LIMIT 20`;
/** The end of the roll-forward; run after {@link IMPORT_LOCK} and once no staged node is left. */
export const IMPORT_COMMITTED = cypher`
MATCH (i:OcgnetImport {id: $id}) WHERE i.state = 'committing' SET i.state = 'committed', i.committed_at = $at`;

// ---------------------------------------------------------------------------
// Audit

/** Takes the audit lock (a write lock on the meta node, held to the end of the transaction). */
export const AUDIT_LOCK = cypher`
MATCH (m:OcgnetMeta) SET m.audit_lock = coalesce(m.audit_lock, 0) + 1 RETURN m.schema_version AS version`;
export const AUDIT_BY_OP = cypher`
MATCH (a:OcgnetAudit {op: $op}) RETURN a.line AS line LIMIT 1`;
export const AUDIT_HEAD = cypher`
MATCH (a:OcgnetAudit) WHERE a.seq IS NOT NULL RETURN a.line AS line ORDER BY a.seq DESC LIMIT 1`;
export const AUDIT_APPEND = cypher`
CREATE (:OcgnetAudit {seq: $seq, line: $line, op: $op})`;
export const AUDIT_ALL = cypher`
MATCH (a:OcgnetAudit) RETURN a.seq AS seq, a.line AS line ORDER BY a.seq`;
export const AUDIT_FIRST = cypher`
MATCH (a:OcgnetAudit {seq: 1}) RETURN a.line AS line`;
/** The signed checkpoint of the trail's head, kept on the meta node and replaced with every audit record. */
export const AUDIT_CHECKPOINT = cypher`
MATCH (m:OcgnetMeta) RETURN m.audit_checkpoint AS line`;
export const AUDIT_KEEP_CHECKPOINT = cypher`
MATCH (m:OcgnetMeta) SET m.audit_checkpoint = $line`;
/** The subject keys of sealed audit ids (`subjects.ts`): found by `ref` (SHA-256 of the id), named in tokens by `kid`. */
export const SUBJECT_KEYS_CREATE = cypher`
UNWIND $rows AS row MERGE (k:OcgnetSubjectKey {ref: row.ref}) ON CREATE SET k.kid = row.kid, k.key = row.key RETURN k.ref AS ref, k.kid AS kid, k.key AS key`;
export const SUBJECT_KEYS_BY_KID = cypher`
UNWIND $kids AS kid MATCH (k:OcgnetSubjectKey {kid: kid}) RETURN k.kid AS kid, k.key AS key`;
/** Crypto-shredding: the key of an erased subject goes, in the erasure's transaction. */
export const SUBJECT_KEY_DELETE = cypher`
MATCH (k:OcgnetSubjectKey {ref: $ref}) DELETE k`;
/** For re-sealing a legacy trail, in the transaction that writes it anew. */
export const AUDIT_DELETE_ALL = cypher`
MATCH (a:OcgnetAudit) DELETE a`;

// ---------------------------------------------------------------------------
// Reads

export const ALL_ENTITIES = cypher`
MATCH (e:Entity) WHERE e.handling IN $handlings AND ($kinds IS NULL OR e.kind IN $kinds)
RETURN e.record AS record`;
export function allLinks(): Cypher {
  const rels = allRelTypes();
  return cypher`
MATCH (a:Entity)-[r:${rels}]->(b:Entity)
WHERE r.handling IN $handlings AND a.handling IN $handlings AND b.handling IN $handlings
  AND ($kinds IS NULL OR (a.kind IN $kinds AND b.kind IN $kinds))
RETURN r.record AS record`;
}
export const ENTITIES_BY_ID = cypher`
UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN e.record AS record`;
/** One hop of the breadth-first expansion, over links that pass handling and window. */
export function expandHop(): Cypher {
  const rels = allRelTypes();
  return cypher`
UNWIND $frontier AS id
MATCH (a:Entity {id: id})-[r:${rels}]-(b:Entity)
WHERE r.handling IN $handlings AND b.handling IN $handlings
  AND (($from IS NULL AND $to IS NULL)
    OR ((r.start IS NOT NULL OR r.end IS NOT NULL)
      AND ($to IS NULL OR r.start IS NULL OR r.start <= $to)
      AND ($from IS NULL OR r.end IS NULL OR r.end >= $from)))
RETURN DISTINCT b.id AS id`;
}
export function linksAmong(): Cypher {
  const rels = allRelTypes();
  return cypher`
UNWIND $ids AS id
MATCH (a:Entity {id: id})-[r:${rels}]->(b:Entity)
WHERE b.id IN $ids AND r.handling IN $handlings
RETURN r.record AS record`;
}

export const COUNT_ENTITIES = cypher`MATCH (e:Entity) RETURN count(e) AS n`;
export function countLinks(): Cypher {
  const rels = allRelTypes();
  return cypher`MATCH ()-[r:${rels}]->() RETURN count(r) AS n`;
}
export function countLinksOf(type: LinkType): Cypher {
  const rel = relType(type);
  return cypher`MATCH ()-[r:${rel}]->() RETURN count(r) AS n`;
}
export const CONTENT_ENTITIES = cypher`MATCH (e:Entity) RETURN e.id AS id, e.record AS record`;
export function contentLinks(): Cypher {
  const rels = allRelTypes();
  return cypher`MATCH ()-[r:${rels}]->() RETURN r.id AS id, r.record AS record`;
}

// ---------------------------------------------------------------------------
// Analysis

export const EXISTING_IDS = cypher`
UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN e.id AS id`;
/** Removes every analysis property of earlier runs (`$clear` maps each property name to null). */
export const ANALYSIS_CLEAR = cypher`
MATCH (e:Entity) WHERE e.ocgnet_run IS NOT NULL SET e += $clear`;
export const ANALYSIS_WRITE = cypher`
UNWIND $rows AS row MATCH (e:Entity {id: row.id}) SET e += row.props RETURN count(e) AS n`;
export const ANALYSIS_RUN_SAVE = cypher`
MATCH (m:OcgnetMeta)
MERGE (r:OcgnetAnalysisRun {id: $id})
SET r.at = $at, r.engine = $engine, r.marking = $marking, r.metric_names = $metricNames
FOREACH (_ IN CASE WHEN $latest THEN [1] ELSE [] END | SET m.latest_run = $id)`;
export const ANALYSIS_RUN_NAMES = cypher`
MATCH (r:OcgnetAnalysisRun) RETURN r.metric_names AS names`;
export const ANALYSIS_LATEST = cypher`
MATCH (m:OcgnetMeta) MATCH (r:OcgnetAnalysisRun {id: m.latest_run})
RETURN r.id AS id, r.at AS at, r.engine AS engine, r.marking AS marking, r.metric_names AS metricNames`;
export const ANALYSIS_VALUES = cypher`
MATCH (e:Entity {ocgnet_run: $id}) RETURN e.id AS id, properties(e) AS props`;

// ---------------------------------------------------------------------------
// Erasure and review

export function eraseEntity(): Cypher {
  const rels = allRelTypes();
  return cypher`
MATCH (e:Entity {id: $id})
OPTIONAL MATCH (e)-[r:${rels}]-()
WITH e, count(DISTINCT r) AS links,
  size(coalesce(e.ocgnet_metrics, [])) + CASE WHEN e.ocgnet_community IS NULL THEN 0 ELSE 1 END AS values
DETACH DELETE e
RETURN links, values`;
}
export const REVIEW_ENTITIES = cypher`
MATCH (e:Entity) WHERE e.review_date <= $asOf
RETURN e.id AS id, e.kind AS kind, e.review_date AS review_date, e.handling AS handling`;
export function reviewLinks(): Cypher {
  const rels = allRelTypes();
  return cypher`
MATCH ()-[r:${rels}]->() WHERE r.review_date <= $asOf
RETURN r.id AS id, r.type AS kind, r.review_date AS review_date, r.handling AS handling`;
}

// ---------------------------------------------------------------------------
// Records of an import's sources that it does not hold

/** Stored entities whose record names one of `$sources` and whose id is not in `$ids` (the source is read from the stored record text). */
export const ABSENT_ENTITIES = cypher`
MATCH (e:Entity) WHERE NOT e.id IN $ids AND e.record CONTAINS '"source":'
RETURN e.id AS id, e.record AS record`;
export function absentLinks(): Cypher {
  const rels = allRelTypes();
  return cypher`
MATCH ()-[r:${rels}]->() WHERE NOT r.id IN $ids
RETURN r.id AS id, r.record AS record`;
}
/** Removes the links `$ids` (of any type). */
export function removeLinks(): Cypher {
  const rels = allRelTypes();
  return cypher`
UNWIND $ids AS id MATCH ()-[r:${rels} {id: id}]->() DELETE r RETURN count(*) AS n`;
}
/** Links still touching the entities `$ids` (which a replacing import would remove). */
export function linksTouching(): Cypher {
  const rels = allRelTypes();
  return cypher`
UNWIND $ids AS id MATCH (e:Entity {id: id})-[r:${rels}]-() RETURN DISTINCT r.id AS id, startNode(r).id AS from, endNode(r).id AS to`;
}
/** Removes the entities `$ids` (their links are gone already). */
export const REMOVE_ENTITIES = cypher`
UNWIND $ids AS id MATCH (e:Entity {id: id}) DELETE e RETURN count(*) AS n`;
