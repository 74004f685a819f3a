/**
 * Canonical content: how a record is stored as text, and the hash that tells
 * whether two stores (or one store before and after a crash) hold the same
 * records.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@ocgnet/audit';
import { compareIds, type Entity, type Link, type RecordSet } from '@ocgnet/schema';

/** The text a store keeps for a record: JSON with sorted keys, no whitespace. */
export function canonicalRecordText(record: Entity | Link): string {
  return canonicalJson(record);
}

/** JavaScript string order (UTF-16 code units), which every store sorts by after reading. */
export function byId<T extends { id: string }>(a: T, b: T): number {
  return compareIds(a.id, b.id);
}

/** Sorts entities and links by id, in place, and returns the set. */
export function sortRecordSet(records: RecordSet): RecordSet {
  records.entities.sort(byId);
  records.links.sort(byId);
  return records;
}

/**
 * SHA-256 over `entity\t<canonical json>\n` for every entity in id order, then
 * `link\t<canonical json>\n` for every link in id order. Input order does not matter.
 */
export function contentHashOf(records: RecordSet): string {
  const hash = createHash('sha256');
  for (const entity of [...records.entities].sort(byId))
    hash.update(`entity\t${canonicalRecordText(entity)}\n`, 'utf8');
  for (const link of [...records.links].sort(byId)) hash.update(`link\t${canonicalRecordText(link)}\n`, 'utf8');
  return hash.digest('hex');
}

/** A stored record as a store reads it back: its id and its canonical text. */
export interface StoredText {
  id: string;
  record: string;
}

/**
 * A store's `contentHash()`, from the texts it holds (already canonical, so
 * hashed as stored): the same bytes as {@link contentHashOf}. The rows are
 * sorted here, since neither SQLite's nor Neo4j's string order is JavaScript's.
 */
export function storedContentHash(entities: StoredText[], links: StoredText[]): string {
  const hash = createHash('sha256');
  for (const [rows, tag] of [
    [entities, 'entity'],
    [links, 'link'],
  ] as const) {
    rows.sort(byId);
    for (const row of rows) hash.update(`${tag}\t${row.record}\n`, 'utf8');
  }
  return hash.digest('hex');
}
