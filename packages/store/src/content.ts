/**
 * Canonical content: how a record is stored as text, and the hash that tells
 * whether two stores (or one store before and after a crash) hold the same
 * records.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@ocgnet/audit';
import type { Entity, Link, RecordSet } from '@ocgnet/schema';

/** The text a store keeps for a record: JSON with sorted keys, no whitespace. */
export function canonicalRecordText(record: Entity | Link): string {
  return canonicalJson(record);
}

/** JavaScript string order (UTF-16 code units), which every store sorts by after reading. */
export function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
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
  for (const entity of [...records.entities].sort(byId)) hash.update(`entity\t${canonicalRecordText(entity)}\n`, 'utf8');
  for (const link of [...records.links].sort(byId)) hash.update(`link\t${canonicalRecordText(link)}\n`, 'utf8');
  return hash.digest('hex');
}
