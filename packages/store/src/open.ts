/**
 * Opens the store a location names: a neo4j:// or bolt:// URI is the Neo4j
 * store, anything else is the path of an embedded store file.
 */
import type { AuditFilesOptions } from '@ocgnet/audit';
import type { Store, StoreActor } from './contract.js';
import { openEmbeddedStore } from './embedded/sqliteStore.js';
import { openNeo4jStore } from './neo4j/neo4jStore.js';

const SERVER_SCHEMES = /^(neo4j|bolt)(\+s|\+ssc)?:\/\//i;

export function isServerLocation(location: string): boolean {
  return SERVER_SCHEMES.test(location);
}

export interface OpenStoreOptions {
  /** Open an embedded store read-only. */
  readonly?: boolean;
  /** The audit key, signing key, public key, witness and mirror files, where not their defaults (see @ocgnet/audit `keys.ts`). */
  audit?: AuditFilesOptions;
}

export async function openStore(location: string, actor: StoreActor, options: OpenStoreOptions = {}): Promise<Store> {
  if (isServerLocation(location)) {
    return openNeo4jStore(location, actor, { audit: options.audit });
  }
  return openEmbeddedStore(location, actor, { readonly: options.readonly === true, audit: options.audit });
}
