/**
 * One long-lived store per server: a real embedded store, opened through the
 * server's `openStore` hook (the real `openStore`, counted), never per request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store, type StoreActor } from '@ocgnet/store';
import { createServer, type RunningServer } from '../src/server.js';
import { ServerStores } from '../src/stores.js';
import { makeWorld, type TestUser, type TestWorld } from './fixture.js';

let world: TestWorld;
beforeAll(async () => {
  world = await makeWorld();
}, 120_000);
afterAll(async () => world?.cleanup());

/** The real `openStore`, remembering each store it opened and for whom. */
function countingOpen() {
  const opened: { actor: StoreActor; store: Store }[] = [];
  const open = async (location: string, actor: StoreActor) => {
    const store = await openStore(location, actor);
    opened.push({ actor, store });
    return store;
  };
  return { open, opened };
}

async function login(server: RunningServer, user: TestUser): Promise<string> {
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/login',
    payload: { user: user.name, token: user.token },
  });
  expect(response.statusCode).toBe(200);
  const cookie = response.cookies.find((c) => c.name === 'ocgnet_session');
  return `ocgnet_session=${cookie!.value}`;
}

describe('the server keeps its stores open', () => {
  it('opens its store at start, serves N requests of a user from one more, and closes both when it closes', async () => {
    const { open, opened } = countingOpen();
    const server = await createServer({ store: world.storePath, users: world.config, port: 0, openStore: open });
    let closed = false;
    try {
      // Opened before any request: a store that cannot open stops the server starting.
      expect(opened.map((entry) => entry.actor.who)).toEqual(['ocgnet-serve']);
      const cookie = await login(server, world.users.analyst);
      const requests = 6;
      for (let i = 0; i < requests; i++) {
        const url = i % 2 === 0 ? '/api/bundle' : '/api/profile?subject=ocg:OCG01&format=json';
        expect((await server.app.inject({ method: 'GET', url, headers: { cookie } })).statusCode).toBe(200);
      }
      // The access actor's store, and one for the analyst: not one per request.
      expect(opened.map((entry) => entry.actor.who)).toEqual(['ocgnet-serve', world.users.analyst.name]);
      // A second user gets a store of their own (the store stamps its reads with its actor), once.
      const housing = await login(server, world.users.housing);
      for (let i = 0; i < 3; i++)
        expect(
          (await server.app.inject({ method: 'GET', url: '/api/bundle', headers: { cookie: housing } })).statusCode,
        ).toBe(200);
      expect(opened).toHaveLength(3);
      // Still open between requests.
      for (const { store } of opened)
        await expect(store.counts()).resolves.toMatchObject({ entities: expect.any(Number) });
      await server.close();
      closed = true;
      for (const { store } of opened) await expect(store.counts()).rejects.toThrow(/closed/);
    } finally {
      if (!closed) await server.close();
    }
  });

  it('a store that cannot open stops the server starting', async () => {
    let attempts = 0;
    const failing = async (): Promise<Store> => {
      attempts += 1;
      throw new Error('refused at start');
    };
    await expect(
      createServer({ store: world.storePath, users: world.config, port: 0, openStore: failing }),
    ).rejects.toThrow(/refused at start/);
    expect(attempts).toBe(1);
  });
});

describe('ServerStores', () => {
  const actor = (who: string): StoreActor => ({ who, audience: 'police-analyst', justification: 'test' });

  it('keeps at most `limit` idle stores, closing the least recently used', async () => {
    const { open, opened } = countingOpen();
    const stores = new ServerStores(world.storePath, open, 2);
    try {
      for (const who of ['a', 'b', 'a', 'c']) await stores.use(actor(who), (store) => store.counts());
      expect(opened.map((entry) => entry.actor.who)).toEqual(['a', 'b', 'c']);
      expect(stores.size).toBe(2);
      // b was the least recently used: closed; a and c are open.
      await expect(opened[1]!.store.counts()).rejects.toThrow(/closed/);
      await expect(opened[0]!.store.counts()).resolves.toBeDefined();
      await expect(opened[2]!.store.counts()).resolves.toBeDefined();
    } finally {
      await stores.close();
    }
    await expect(stores.use(actor('a'), (store) => store.counts())).rejects.toThrow(/closed/);
  });
});
