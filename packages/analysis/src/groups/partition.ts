/**
 * Partitions of nodes into groups, as the group analyses take them: a plain
 * map from node key to a label (a community number or a group id).
 */
import { compareIds } from '@ocgnet/schema';

/** A labelling of nodes: node key → label. Labels compare with `===` (1 and "1" differ). */
export type Partition = Readonly<Record<string, string | number>>;

/** Group labels in order: numbers ascending, then strings by code unit. */
export function compareGroupLabels(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return compareIds(a, b);
}
