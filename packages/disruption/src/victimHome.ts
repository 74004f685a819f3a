/**
 * A victim's home: a location no lever may act on.
 *
 * A tenancy, licence or premises power used against an address where a
 * safeguarding subject lives punishes the victim, not the group that exploits
 * them (a cuckooed flat, a child's family home). So a location is a victim's
 * home when it is cuckooed, or when a safeguarding subject (vulnerable, under
 * 18, exploited or cuckooed; the schema's `isSafeguardingSubject`) lives at it.
 */
import { isSafeguardingSubject, type Entity } from '@ocgnet/schema';
import type { AbstractGraph } from 'graphology-types';

/** True when `location` in the multimodal network (`buildNetwork`) is a victim's home. */
export function isVictimHome(network: AbstractGraph, location: string): boolean {
  if (!network.hasNode(location)) return false;
  const record = network.getNodeAttribute(location, 'record') as Entity | undefined;
  if (record?.kind !== 'location') return false;
  if (record.cuckooed === true) return true;
  let home = false;
  network.forEachEdge(location, (_edge, attributes, source, target) => {
    if (home || (attributes.record as { type?: string } | undefined)?.type !== 'lives_at') return;
    const other = source === location ? target : source;
    const resident = network.getNodeAttribute(other, 'record') as Entity | undefined;
    if (resident?.kind === 'person' && isSafeguardingSubject(resident)) home = true;
  });
  return home;
}
