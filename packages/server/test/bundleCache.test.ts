/**
 * Served bundles are built once and kept: in memory, and on disk for the next
 * server over the same store. Against a real embedded store holding the small
 * town (canaries in everything Housing may not see):
 *
 * - the bundle carries a layout for every node of both graphs;
 * - a second request is a memory hit, byte-identical, audited `cached: true`;
 * - a new server over the unchanged store finds it on disk and builds nothing;
 * - an import into the store changes the key: the bundle is rebuilt;
 * - partners get their own bundles, and a cache file of one audience put in
 *   another's place is refused, as is a tampered one: rebuilt, never served;
 * - files are 0600 in a 0700 folder;
 * - br, gzip and identity answers decode to the same bundle, and the compact
 *   form decodes to it exactly.
 */
import { readdir, readFile, stat, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { AuditEvent } from '@ocgnet/audit';
import { COMPACT_BUNDLE_MEDIA_TYPE, decodeCompactBundle, parseViewerBundle, type ViewerBundle } from '@ocgnet/bundle';
import { audienceById, defaultAudiences } from '@ocgnet/profiles';
import { openStore } from '@ocgnet/store';
import { bundleKey } from '../src/bundleCache.js';
import { fileOf } from '../src/bundleFiles.js';
import { createServer, type RunningServer } from '../src/server.js';
import { makeWorld, sessionCookie, type TestUser, type TestWorld } from './fixture.js';

let world: TestWorld;
let cacheDir: string;
/** The analyst's bundle as first built, which every later answer must equal. */
let analystBody: Buffer;
const servers: RunningServer[] = [];
let ipCounter = 0;
const freshIp = () => `10.9.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
// Few iterations: these tests are about caching, not the picture.
const layout = { iterations: 5 };

async function start(): Promise<RunningServer> {
  const server = await createServer({
    store: world.storePath,
    users: world.config,
    port: 0,
    bundleCache: cacheDir,
    layout,
  });
  servers.push(server);
  return server;
}

async function stop(server: RunningServer): Promise<void> {
  await server.close();
  servers.splice(servers.indexOf(server), 1);
}

function login(server: RunningServer, user: TestUser): Promise<string> {
  return sessionCookie(server, user, freshIp());
}

function getBundle(
  server: RunningServer,
  cookie: string,
  headers: Record<string, string> = {},
  query = '',
): Promise<LightMyRequestResponse> {
  return server.app.inject({
    method: 'GET',
    url: `/api/bundle${query}`,
    headers: { cookie, ...headers },
    remoteAddress: freshIp(),
  });
}

/** The body's bytes, decompressed as its content-encoding says. */
function bodyOf(response: LightMyRequestResponse): Buffer {
  const raw = response.rawPayload;
  const encoding = response.headers['content-encoding'];
  return encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
}

async function consults(): Promise<AuditEvent[]> {
  const store = await openStore(world.storePath, { who: 'auditor', audience: 'police-analyst', justification: 'test' });
  try {
    return (await store.auditTrail({ reveal: true }))
      .map((record) => record.event)
      .filter((event) => event.action === 'consult' && event.subject === '*');
  } finally {
    await store.close();
  }
}

/** The cache file of an audience's bundle of the store as it is now. */
async function cacheFileOf(audienceId: string): Promise<string> {
  const store = await openStore(world.storePath, { who: 't', audience: 'police-analyst', justification: 't' });
  const contentHash = await store.contentHash();
  await store.close();
  return fileOf(
    cacheDir,
    bundleKey({ contentHash, audience: audienceById(defaultAudiences(), audienceId), options: { layout } }),
  );
}

/** Starts a server, has the analyst load the bundle, and checks it was rebuilt (not served from a refused file). */
async function expectAnalystRebuilt(): Promise<void> {
  const server = await start();
  const response = await getBundle(server, await login(server, world.users.analyst));
  expect(bodyOf(response).equals(analystBody)).toBe(true);
  expect(await lastConsult()).toMatchObject({ detail: { cache: 'built' } });
  expect(server.bundleBuilds).toBe(1);
  await stop(server);
}

async function lastConsult(): Promise<AuditEvent> {
  return (await consults()).at(-1)!;
}

beforeAll(async () => {
  world = await makeWorld();
  cacheDir = join(world.dir, 'bundles');
}, 120_000);

afterAll(async () => {
  for (const server of [...servers]) await server.close();
  await world?.cleanup();
});

describe('served bundles', () => {
  let first: RunningServer;

  it('carry a layout for every node of both graphs', async () => {
    first = await start();
    const response = await getBundle(first, await login(first, world.users.analyst));
    expect(response.statusCode).toBe(200);
    analystBody = bodyOf(response);
    const bundle = parseViewerBundle(JSON.parse(analystBody.toString('utf8')));
    const positions = bundle.layout!.positions;
    for (const node of [...bundle.graph.nodes, ...bundle.network.nodes]) {
      expect(positions[node.key], node.key).toHaveLength(2);
      expect(positions[node.key]!.every(Number.isFinite), node.key).toBe(true);
    }
    expect(await lastConsult()).toMatchObject({ detail: { cached: false, cache: 'built' } });
    expect(first.bundleBuilds).toBe(1);
  }, 120_000);

  it('are a memory hit the second time: byte-identical, audited once as cached', async () => {
    const before = (await consults()).length;
    const response = await getBundle(first, await login(first, world.users.analyst));
    expect(bodyOf(response).equals(analystBody)).toBe(true);
    const added = (await consults()).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ who: world.users.analyst.name, detail: { cached: true, cache: 'memory' } });
    expect(first.bundleBuilds).toBe(1);
  });

  it('are kept on disk as 0600 files in a 0700 folder', async () => {
    expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
    const files = await readdir(cacheDir);
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((name) => name.endsWith('.bundle'))).toBe(true);
    for (const name of files) expect((await stat(join(cacheDir, name))).mode & 0o777).toBe(0o600);
  });

  it('are found on disk by a new server over the unchanged store, which builds nothing', async () => {
    await stop(first);
    const second = await start();
    const response = await getBundle(second, await login(second, world.users.analyst));
    expect(bodyOf(response).equals(analystBody)).toBe(true);
    expect(await lastConsult()).toMatchObject({ detail: { cached: true, cache: 'disk' } });
    expect(second.bundleBuilds).toBe(0);
    await stop(second);
  });

  it('are sent as the client accepts (br, gzip, none), each decoding to the same bundle, and compact decodes to it exactly', async () => {
    const server = await start();
    const cookie = await login(server, world.users.housing);
    const br = await getBundle(server, cookie, { 'accept-encoding': 'gzip, deflate, br' });
    const gzip = await getBundle(server, cookie, { 'accept-encoding': 'gzip;q=1, br;q=0' });
    const plain = await getBundle(server, cookie);
    expect([br, gzip, plain].map((r) => r.headers['content-encoding'])).toEqual(['br', 'gzip', undefined]);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(bodyOf(br).equals(bodyOf(plain))).toBe(true);
    expect(bodyOf(gzip).equals(bodyOf(plain))).toBe(true);
    const bundle = parseViewerBundle(JSON.parse(bodyOf(plain).toString('utf8')));
    expect(bundle.audience).toBe('partner-agency:housing');

    for (const asked of [{ query: '?format=compact' }, { headers: { accept: COMPACT_BUNDLE_MEDIA_TYPE } }]) {
      const compact = await getBundle(server, cookie, { 'accept-encoding': 'br', ...asked.headers }, asked.query ?? '');
      expect(compact.headers['content-type']).toContain(COMPACT_BUNDLE_MEDIA_TYPE);
      expect(compact.rawPayload.length).toBeLessThan(br.rawPayload.length);
      const decoded = decodeCompactBundle(JSON.parse(bodyOf(compact).toString('utf8')));
      expect(decoded).toEqual(bundle);
      expect(JSON.stringify(decoded)).toBe(JSON.stringify(bundle));
    }
    expect(await lastConsult()).toMatchObject({ format: 'compact', audience: 'partner-agency:housing' });
    expect((await getBundle(server, cookie, {}, '?format=xml')).statusCode).toBe(400);
    await stop(server);
  }, 120_000);

  it("are each audience's own: a partner's file put in another audience's place is refused and rebuilt", async () => {
    const server = await start();
    const housing = parseViewerBundle(
      JSON.parse(bodyOf(await getBundle(server, await login(server, world.users.housing))).toString('utf8')),
    );
    const analyst = parseViewerBundle(JSON.parse(analystBody.toString('utf8')));
    expect(housing.audience).toBe('partner-agency:housing');
    expect(housing.graph.nodes.length).toBeLessThan(analyst.graph.nodes.length);
    expect(analystBody.toString('utf8')).toMatch(/CANARY\d{5}Z/);
    await stop(server);

    // Housing's file copied over the analyst's: the header's key gives it away.
    await copyFile(await cacheFileOf('partner-agency:housing'), await cacheFileOf('police-analyst'));
    await expectAnalystRebuilt();
  }, 120_000);

  it('are rebuilt, never served, when a cache file was tampered with', async () => {
    const file = await cacheFileOf('police-analyst');
    const bytes = await readFile(file);
    bytes[bytes.length - 10] = bytes.at(-10)! ^ 0xff;
    await writeFile(file, bytes, { mode: 0o600 });
    await expectAnalystRebuilt();
  }, 120_000);

  it('are rebuilt when the store changes', async () => {
    const server = await start();
    const cookie = await login(server, world.users.analyst);
    await getBundle(server, cookie);
    const before = await lastConsult();
    expect(before.detail).toMatchObject({ cached: true, cache: 'disk' });
    const person = world.town.records.entities.find((entity) => entity.kind === 'person')!;
    const store = await openStore(world.storePath, {
      who: 'loader',
      audience: 'police-analyst',
      justification: 'more',
    });
    await store.importRecords({ entities: [{ ...person, id: 'P-NEW-1', label: 'Newly Recorded' }], links: [] });
    await store.close();
    const bundle = JSON.parse(bodyOf(await getBundle(server, cookie)).toString('utf8')) as ViewerBundle;
    const after = await lastConsult();
    expect(after.detail).toMatchObject({ cached: false, cache: 'built' });
    expect(after.detail!.content_hash).not.toBe(before.detail!.content_hash);
    expect(bundle.graph.nodes.some((node) => node.key === 'P-NEW-1')).toBe(true);
    expect(bundle.layout!.positions['P-NEW-1']).toHaveLength(2);
    await stop(server);
  }, 120_000);
});
