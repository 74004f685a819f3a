/**
 * One long-lived store per server: a real embedded store, opened through the
 * server's `openStore` hook (the real `openStore`, counted), never per request
 * or per user; each user acts through a view of it (`store.as`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store, type StoreActor } from '@ocgnet/store';
import { createServer, type RunningServer } from '../src/server.js';
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

describe('the server keeps one store open', () => {
  it('opens one store at start, serves every user and request through it, audits each as its user, and closes it when it closes', async () => {
    const { open, opened } = countingOpen();
    const server = await createServer({ store: world.storePath, users: world.config, port: 0, openStore: open });
    let closed = false;
    try {
      // Opened before any request: a store that cannot open stops the server starting.
      expect(opened.map((entry) => entry.actor.who)).toEqual(['ocgnet-serve']);
      const store = opened[0]!.store;
      const eventsBefore = await eventsOf(store);
      const analyst = await login(server, world.users.analyst);
      for (let i = 0; i < 6; i++) {
        const url = i % 2 === 0 ? '/api/bundle' : '/api/profile?subject=ocg:OCG01&format=json';
        expect((await server.app.inject({ method: 'GET', url, headers: { cookie: analyst } })).statusCode).toBe(200);
      }
      const housing = await login(server, world.users.housing);
      for (let i = 0; i < 3; i++) {
        const response = await server.app.inject({ method: 'GET', url: '/api/bundle', headers: { cookie: housing } });
        expect(response.statusCode).toBe(200);
      }
      // Still the one store, for two users and nine requests.
      expect(opened).toHaveLength(1);
      // Each act is audited as the user who made it, not as the server: the store reads, and every consultation.
      const events = (await eventsOf(store)).slice(eventsBefore.length);
      const count = (who: string, action: string) =>
        events.filter((event) => event.who === who && event.action === action).length;
      const [ana, hugh] = [world.users.analyst.name, world.users.housing.name];
      expect(count(ana, 'read')).toBeGreaterThanOrEqual(1);
      expect(count(hugh, 'read')).toBeGreaterThanOrEqual(1);
      expect([count(ana, 'consult'), count(ana, 'profile'), count(hugh, 'consult')]).toEqual([3, 3, 3]);
      expect(events.every((event) => event.who === ana || event.who === hugh)).toBe(true);
      await server.close();
      closed = true;
      await expect(store.counts()).rejects.toThrow(/closed/);
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

/** Who did what, for every audited act, in order. */
async function eventsOf(store: Store): Promise<{ who: string; action: string }[]> {
  return (await store.auditTrail()).map((record) => ({ who: record.event.who, action: record.event.action }));
}
