/**
 * The one store a server works on: opened when the server starts (a store
 * that cannot open stops the start, not the first request) and closed when it
 * closes, instead of one store, and for Neo4j one driver, per request.
 *
 * Every act on a store is audited as the store's actor, and the audit must
 * name the user who read, so each request runs on a view of the one store
 * (`store.as(actor)`): the same connection, acting for that user.
 */
import type { Store, StoreActor } from '@ocgnet/store';

/** How the server opens its store: `openStore` of @ocgnet/store, or a wrapper of it (tests count opens). */
export type OpenStoreFunction = (location: string, actor: StoreActor) => Promise<Store>;

export class ServerStore {
  private closed = false;

  private constructor(private readonly store: Store) {}

  /** Opens the store under the server's own actor. */
  static async open(location: string, actor: StoreActor, openStore: OpenStoreFunction): Promise<ServerStore> {
    return new ServerStore(await openStore(location, actor));
  }

  /** Runs `work` on the store, acting for `actor`. */
  async use<T>(actor: StoreActor, work: (store: Store) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error(`@ocgnet/server: the server's store ${this.store.info.location} is closed`);
    return work(this.store.as(actor));
  }

  /** Closes the store (once the server has stopped taking requests). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.store.close();
  }
}
