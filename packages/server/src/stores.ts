/**
 * The stores a server works on, opened once and kept open until the server
 * closes, instead of one store (and for Neo4j one driver) per request.
 *
 * The store contract stamps every act (a read, an appended event) with the
 * actor the store was opened under, and the audit must name the user who
 * read, so there is one open store per actor: the server's access-control
 * actor, opened at start, and one per signed-in user (and their reason).
 * Idle ones beyond `limit` are closed, least recently used first.
 */
import type { Store, StoreActor } from '@ocgnet/store';

/** How the server opens a store: `openStore` of @ocgnet/store, or a wrapper of it (tests count opens). */
export type OpenStoreFunction = (location: string, actor: StoreActor) => Promise<Store>;

/** Open stores kept at most, beyond those in use. */
export const DEFAULT_OPEN_STORES = 16;

interface Entry {
  store: Promise<Store>;
  inUse: number;
}

function actorKey(actor: StoreActor): string {
  return JSON.stringify([
    actor.who,
    actor.audience,
    actor.justification,
    actor.reason ?? null,
    actor.audiences ?? null,
  ]);
}

export class ServerStores {
  /** In least-recently-used order: a Map keeps insertion order, and each use re-inserts. */
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  constructor(
    private readonly location: string,
    private readonly openStore: OpenStoreFunction,
    private readonly limit = DEFAULT_OPEN_STORES,
    /** An idle store that failed to close when it was let go: reported here, never on the request that let it go. */
    private readonly onCloseError: (error: unknown) => void = () => undefined,
  ) {}

  /** Runs `work` on the store opened under `actor`, opening it on first use. */
  async use<T>(actor: StoreActor, work: (store: Store) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error(`@ocgnet/server: the server's store ${this.location} is closed`);
    const key = actorKey(actor);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { store: this.openStore(this.location, actor), inUse: 0 };
      // A failed open is not kept: the next request tries again.
      const opening = entry;
      void opening.store.catch(() => {
        if (this.entries.get(key) === opening) this.entries.delete(key);
      });
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    entry.inUse += 1;
    try {
      return await work(await entry.store);
    } finally {
      entry.inUse -= 1;
      await this.closeIdleBeyondLimit();
    }
  }

  /** How many stores are open now. */
  get size(): number {
    return this.entries.size;
  }

  private async closeIdleBeyondLimit(): Promise<void> {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.limit) return;
      if (entry.inUse > 0) continue;
      this.entries.delete(key);
      await closeOpened(entry).catch(this.onCloseError);
    }
  }

  /** Closes every store (once the server has stopped taking requests). */
  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map(closeOpened));
  }
}

async function closeOpened(entry: Entry): Promise<void> {
  const store = await entry.store.catch(() => undefined);
  await store?.close();
}
