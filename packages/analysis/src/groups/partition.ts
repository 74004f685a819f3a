/**
 * Partitions of nodes into groups, as the group analyses take them: a plain
 * map from node key to a label (a community number or a group id).
 */

/** A labelling of nodes: node key → label. Labels compare with `===` (1 and "1" differ). */
export type Partition = Readonly<Record<string, string | number>>;

/** Node keys in UTF-16 code-unit order, as everywhere in ocgnet. */
export function compareNodeKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Group labels in order: numbers ascending, then strings by code unit. */
export function compareGroupLabels(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return compareNodeKeys(a, b);
}
