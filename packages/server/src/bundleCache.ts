/**
 * Each audience's finished viewer bundle, built once and kept: in memory (a
 * few entries, least recently used out) and on disk (bundleFiles.ts), keyed
 * by everything that decides its content, so a restarted server does not
 * rebuild and a changed store or rule never serves an old bundle.
 *
 * The key: the store's content hash, the audience id, the SHA-256 of that
 * audience's rules, the SHA-256 of the analysis, projection and layout
 * options, and the bundle and cache format versions. One build per key at a
 * time: requests that arrive while it runs wait for it. The build itself is
 * the caller's (the server reads only the records the audience may see).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '@ocgnet/audit';
import { VIEWER_BUNDLE_VERSION } from '@ocgnet/bundle';
import type { Audience } from '@ocgnet/profiles';
import { isServerLocation } from '@ocgnet/store';
import { readBundleFile, removeBundleFile, sha256Hex, writeBundleFile, type CachedFile } from './bundleFiles.js';
import { compressBoth, type Compressed } from './encodings.js';

/** Bump when the builder's output changes for the same records and options (old files are then never read). */
export const BUNDLE_CACHE_VERSION = 1;

/** The forms a bundle is sent in: the bundle's JSON, and its compact encoding. */
export type BundleFormat = 'json' | 'compact';

/** How a request got its bundle: built for it, waited on another request's build, or found. */
export type CacheSource = 'built' | 'joined' | 'memory' | 'disk';

export interface BundleKeyParts {
  contentHash: string;
  audience: Audience;
  /** The analysis, projection and layout options the bundle is built with. */
  options: unknown;
}

/** The cache key: one line that names everything the bundle depends on. */
export function bundleKey(parts: BundleKeyParts): string {
  return canonicalJson({
    cache: BUNDLE_CACHE_VERSION,
    bundle: VIEWER_BUNDLE_VERSION,
    store: parts.contentHash,
    audience: parts.audience.id,
    rules: sha256Hex(canonicalJson(parts.audience)),
    options: sha256Hex(canonicalJson(parts.options ?? null)),
  });
}

/**
 * Where a store's bundles are kept: beside an embedded store (`town.db` →
 * `town.db.bundles/`); for a Neo4j store, in the user's cache folder, one
 * folder per URL.
 */
export function defaultBundleFolder(location: string): string {
  if (!isServerLocation(location)) return `${location}.bundles`;
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'ocgnet', 'bundles', sha256Hex(location).slice(0, 32));
}

/** What a build gives the cache. */
export interface BuiltBundle {
  /** The bundle as JSON text, as sent. */
  json: string;
  /** The bundle's other forms, by format, each made from the bundle. */
  encoded: Partial<Record<BundleFormat, string>>;
  /** Facts the audit records about every answer from this bundle. */
  meta: Record<string, unknown>;
  /** False when the store changed during the build: the bundle is sent but not kept. */
  keep: boolean;
}

export interface CachedBundle {
  meta: Record<string, unknown>;
  bodies: Map<BundleFormat, Compressed>;
}

export interface BundleCacheOptions {
  /** Disk folder; none keeps bundles in memory only. */
  folder?: string;
  maxEntries: number;
  /** A disk read or write that failed: logged by the server; the bundle is rebuilt or kept in memory only. */
  onDiskError(error: unknown): void;
}

function toFile(entry: CachedBundle): CachedFile {
  const sections = new Map<string, Buffer>();
  for (const [format, body] of entry.bodies) {
    sections.set(`${format}.gz`, body.gzip);
    sections.set(`${format}.br`, body.br);
  }
  return { meta: entry.meta, sections };
}

function fromFile(file: CachedFile): CachedBundle {
  const bodies = new Map<BundleFormat, Compressed>();
  for (const format of ['json', 'compact'] as const) {
    const gzip = file.sections.get(`${format}.gz`);
    const br = file.sections.get(`${format}.br`);
    if (gzip !== undefined && br !== undefined) bodies.set(format, { gzip, br });
  }
  return { meta: file.meta, bodies };
}

export class BundleCache {
  private readonly memory = new Map<string, CachedBundle>();
  private readonly pending = new Map<string, Promise<{ entry: CachedBundle; source: CacheSource }>>();
  /** Builds run so far (tests, and the bench, check that a hit built nothing). */
  builds = 0;

  constructor(private readonly options: BundleCacheOptions) {}

  /** The bundle for `key`: from memory, from disk (checked), or built once however many ask at once. */
  async get(key: string, build: () => Promise<BuiltBundle>): Promise<{ entry: CachedBundle; source: CacheSource }> {
    const found = this.memory.get(key);
    if (found !== undefined) {
      // Most recently used goes last.
      this.memory.delete(key);
      this.memory.set(key, found);
      return { entry: found, source: 'memory' };
    }
    const running = this.pending.get(key);
    if (running !== undefined) {
      // Waiting on a build is not a cache hit; waiting on a disk read is one.
      const { entry, source } = await running;
      return { entry, source: source === 'built' ? 'joined' : source };
    }
    const work = (async (): Promise<{ entry: CachedBundle; source: CacheSource }> => {
      const stored = await this.readDisk(key);
      if (stored !== undefined) {
        this.remember(key, stored);
        return { entry: stored, source: 'disk' };
      }
      this.builds++;
      const built = await build();
      const entry = await compressed(built);
      if (built.keep) {
        this.remember(key, entry);
        await this.writeDisk(key, entry);
      }
      return { entry, source: 'built' };
    })();
    this.pending.set(key, work);
    try {
      return await work;
    } finally {
      this.pending.delete(key);
    }
  }

  clear(): void {
    this.memory.clear();
  }

  private remember(key: string, entry: CachedBundle): void {
    if (this.memory.size >= this.options.maxEntries) this.memory.delete(this.memory.keys().next().value!);
    this.memory.set(key, entry);
  }

  private async readDisk(key: string): Promise<CachedBundle | undefined> {
    const folder = this.options.folder;
    if (folder === undefined) return undefined;
    try {
      const file = await readBundleFile(folder, key);
      return file === undefined ? undefined : fromFile(file);
    } catch (error) {
      // A file that is not exactly what was written for this key is dropped and rebuilt, never served.
      this.options.onDiskError(error);
      await removeBundleFile(folder, key).catch(() => undefined);
      return undefined;
    }
  }

  private async writeDisk(key: string, entry: CachedBundle): Promise<void> {
    if (this.options.folder === undefined) return;
    try {
      await writeBundleFile(this.options.folder, key, toFile(entry));
    } catch (error) {
      this.options.onDiskError(error);
    }
  }
}

async function compressed(built: BuiltBundle): Promise<CachedBundle> {
  const bodies = new Map<BundleFormat, Compressed>();
  bodies.set('json', await compressBoth(built.json));
  for (const [format, text] of Object.entries(built.encoded) as [BundleFormat, string][])
    bodies.set(format, await compressBoth(text));
  return { meta: built.meta, bodies };
}
