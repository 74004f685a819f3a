/**
 * Where the tests find the public research networks: vendored in
 * fixtures/networks/, one folder each with its SOURCE.md, so a fresh clone
 * needs nothing beside it. OCGNET_DATASETS points the tests at another copy
 * (for example a newer release of the collection); nothing depends on it.
 */
import { resolve } from 'node:path';

export const NETWORKS_ROOT = process.env.OCGNET_DATASETS ?? resolve(import.meta.dirname, '..', 'fixtures', 'networks');
