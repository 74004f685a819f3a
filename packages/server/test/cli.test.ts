/**
 * The CLI half: `ocgnet serve`, `ocgnet serve token` and `ocgnet view`, over
 * real sockets (fetch), stopped by a promise instead of a signal.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { analyse, analysisGraphExport, mappingFromNetwork } from '@ocgnet/analysis';
import { buildNetwork, projectPersons } from '@ocgnet/graph';
import { openStore } from '@ocgnet/store';
import { runServe, runServeToken, runView, viewerBundleOf } from '../../cli/src/commands/serve.js';
import { CONTENT_SECURITY_POLICY, type RunningServer } from '../src/server.js';
import { parseViewerBundle } from '@ocgnet/bundle';
import { buildViewerBundle } from '@ocgnet/bundle/build';
import { audienceById, defaultAudiences } from '@ocgnet/profiles';
import { makeWorld, type TestWorld } from './fixture.js';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough() as unknown as NodeJS.WriteStream;
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += String(chunk)));
  (stderr as unknown as PassThrough).on('data', (chunk: Buffer) => (err += String(chunk)));
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

let world: TestWorld;
beforeAll(async () => {
  world = await makeWorld();
}, 120_000);
afterAll(async () => world?.cleanup());

describe('ocgnet serve', () => {
  it('serves on 127.0.0.1 until told to stop, then closes cleanly', async () => {
    const usersPath = join(world.dir, 'users.json');
    await writeFile(usersPath, JSON.stringify(world.config));
    const { io, out } = capture();
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    let running: RunningServer | undefined;
    const listening = new Promise<RunningServer>((resolve) => {
      void runServe(
        {
          store: world.storePath,
          users: usersPath,
          port: 0,
          viewer: world.viewerDist,
          until,
          onListening: (server) => resolve((running = server)),
        },
        io,
      ).then((code) => {
        exit = code;
      });
    });
    let exit: number | undefined;
    const server = await listening;
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(out()).toContain(server.url);
    const denied = await fetch(`${server.url}/api/me`);
    expect(denied.status).toBe(401);
    const me = await fetch(`${server.url}/api/me`, {
      headers: { authorization: `Bearer ${world.users.housing.token}` },
    });
    expect(await me.json()).toEqual({
      user: world.users.housing.name,
      audience: 'partner-agency:housing',
      profiles: true,
      audited: true,
    });
    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect.poll(() => exit).toBe(0);
    await expect(fetch(`${running!.url}/api/me`)).rejects.toThrow();
  });

  it('refuses a missing store and a users config with an unknown audience', async () => {
    const { io } = capture();
    const usersPath = join(world.dir, 'bad-users.json');
    await writeFile(
      usersPath,
      JSON.stringify({ users: [{ ...world.config.users[0], audience: 'partner-agency:nobody' }] }),
    );
    await expect(runServe({ store: join(world.dir, 'nothing.db'), users: usersPath, port: 0 }, io)).rejects.toThrow(
      /no store at/,
    );
    await expect(runServe({ store: world.storePath, users: usersPath, port: 0 }, io)).rejects.toThrow(
      /unknown audience/,
    );
  });

  it('serve token prints a token and its hash', async () => {
    const { io, out } = capture();
    expect(await runServeToken({ json: true }, io)).toBe(0);
    const printed = JSON.parse(out()) as { token: string; token_sha256: string };
    expect(printed.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(printed.token_sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('ocgnet view', () => {
  it('serves one research network on 127.0.0.1 behind the token printed in the URL fragment', async () => {
    const edges = join(world.dir, 'edges.csv');
    await writeFile(edges, 'source,target\na,b\nb,c\nc,a\nc,d\n');
    const { io, out } = capture();
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const started = new Promise<{ server: RunningServer; url: string }>((resolve) => {
      void runView(
        edges,
        {
          port: 0,
          viewer: world.viewerDist,
          quiet: true,
          stream: io.stderr,
          until,
          onListening: (server, url) => resolve({ server, url }),
        },
        io,
      );
    });
    const { server, url } = await started;
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
      expect(out()).toContain(url);
      const token = url.split('#token=')[1]!;
      expect((await fetch(`${server.url}/api/bundle`)).status).toBe(401);
      const response = await fetch(`${server.url}/api/bundle`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      const bundle = parseViewerBundle(await response.json());
      expect(bundle.graph.nodes.map((node) => node.key).sort()).toEqual(['a', 'b', 'c', 'd']);
      // No store behind `ocgnet view`: /api/me says there are no profiles, and /api/profile has none.
      const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).toEqual({ user: 'local', audience: expect.any(String), profiles: false, audited: false });
      const profile = await fetch(`${server.url}/api/profile?subject=person:a`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(profile.status).toBe(404);
    } finally {
      stop();
    }
  });

  it('serves a records folder (fixtures/small) as its holder sees it', async () => {
    const recordsPath = fileURLToPath(new URL('../../../fixtures/small', import.meta.url));
    const { io } = capture();
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const started = new Promise<{ server: RunningServer; url: string }>((resolve, reject) => {
      runView(
        recordsPath,
        {
          port: 0,
          viewer: world.viewerDist,
          quiet: true,
          stream: io.stderr,
          until,
          onListening: (server, url) => resolve({ server, url }),
        },
        io,
      ).catch(reject);
    });
    const { server, url } = await started;
    try {
      const response = await fetch(`${server.url}/api/bundle`, {
        headers: { authorization: `Bearer ${url.split('#token=')[1]}` },
      });
      const bundle = parseViewerBundle(await response.json());
      expect(bundle.graph.nodes).toHaveLength(
        world.town.records.entities.filter((entity) => entity.kind === 'person').length,
      );
      expect(bundle.audience).toBe('police-analyst');
      expect(bundle.plans.length).toBeGreaterThan(0);
      expect(JSON.stringify([bundle.graph, bundle.network])).not.toMatch(/"(record|evidence)":/);
    } finally {
      stop();
    }
  });
});

describe('ocgnet view of a store', () => {
  it('serves the store live: every consultation (bundle, profile, ego view) and the login is audited there, by the CLI actor', async () => {
    const storeEvents = async () => {
      const store = await openStore(world.storePath, {
        who: 'auditor',
        audience: 'police-analyst',
        justification: 'test',
      });
      try {
        return (await store.auditTrail()).map((record) => record.event);
      } finally {
        await store.close();
      }
    };
    const before = (await storeEvents()).length;
    const { io, out } = capture();
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const started = new Promise<{ server: RunningServer; url: string }>((resolve, reject) => {
      runView(
        world.storePath,
        {
          port: 0,
          viewer: world.viewerDist,
          who: 'vera.viewer',
          justification: 'case 42 review',
          quiet: true,
          stream: io.stderr,
          until,
          onListening: (server, url) => resolve({ server, url }),
        },
        io,
      ).catch(reject);
    });
    const { server, url } = await started;
    try {
      expect(out()).toContain('audited in the store, by vera.viewer');
      // Nothing is read at start-up: the store is read when the viewer asks.
      expect((await storeEvents()).length).toBe(before);
      const login = await fetch(`${server.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'local', token: url.split('#token=')[1] }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const me = await (await fetch(`${server.url}/api/me`, { headers: { cookie } })).json();
      expect(me).toMatchObject({ profiles: true, audited: true });
      for (let i = 0; i < 2; i++)
        expect((await fetch(`${server.url}/api/bundle`, { headers: { cookie } })).status).toBe(200);
      expect((await fetch(`${server.url}/api/profile?subject=ocg:OCG01`, { headers: { cookie } })).status).toBe(200);
      const ego = await fetch(`${server.url}/api/consultation`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ view: 'ego', node: 'P0001', kind: 'person', radius: 1 }),
      });
      expect(ego.status).toBe(204);
    } finally {
      stop();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const added = (await storeEvents()).slice(before);
    expect(added.filter((event) => event.action === 'login')).toHaveLength(1);
    expect(added.filter((event) => event.action === 'consult' && event.subject === '*')).toHaveLength(2);
    expect(added.filter((event) => event.action === 'profile')).toHaveLength(1);
    expect(added.filter((event) => event.action === 'consult' && event.detail?.view === 'ego')).toHaveLength(1);
    for (const event of added)
      expect(event).toMatchObject({ who: 'vera.viewer', justification: 'case 42 review', audience: 'police-analyst' });
  });
});

describe('ocgnet view of an analysis folder (ocgnet analyse --out)', () => {
  it('becomes a bundle without record or evidence arrays', async () => {
    const network = buildNetwork(world.town.records);
    const persons = projectPersons(network);
    const report = analyse(persons, {}, { mapping: mappingFromNetwork(network) });
    const dir = join(world.dir, 'analysis');
    await mkdir(dir);
    await writeFile(join(dir, 'analysis.json'), JSON.stringify({ ...report, manifest: { tool: 'ocgnet' } }));
    await writeFile(join(dir, 'graph.json'), JSON.stringify(analysisGraphExport(persons, report)));
    await writeFile(join(dir, 'manifest.json'), '{}');
    const bundle = await viewerBundleOf(dir, { quiet: true, stream: process.stderr });
    expect(bundle.graph.nodes).toHaveLength(persons.order);
    expect(bundle.graph.edges).toHaveLength(persons.size);
    expect(bundle.manifest).toEqual({ tool: 'ocgnet' });
    expect(JSON.stringify(bundle.graph)).not.toMatch(/"(record|evidence)":/);
    expect(bundle.graph.edges[0]!.attributes).toHaveProperty('handling');
    // Rebuilt by the one builder's allow-list: the persons' markings travel with them.
    for (const node of bundle.graph.nodes)
      expect(node.attributes!.marking, node.key).toEqual(persons.getNodeAttribute(node.key, 'marking'));
    for (const edge of bundle.graph.edges) {
      const kept = persons.getEdgeAttributes(edge.source, edge.target);
      expect(edge.attributes, edge.key).toMatchObject({
        count: kept.count,
        channels: [...kept.channels].sort(),
        marking: kept.marking,
      });
    }
    expect(bundle.marking.handling).toBe('R');
  });

  it("prefers the folder's bundle.json (network and plans included) when analyse wrote one", async () => {
    const dir = join(world.dir, 'analysis-with-bundle');
    await mkdir(dir);
    const written = buildViewerBundle(world.town.records, {
      audience: audienceById(defaultAudiences(), 'police-analyst'),
    });
    await writeFile(join(dir, 'analysis.json'), JSON.stringify({ ...written.analysis, manifest: {} }));
    await writeFile(join(dir, 'graph.json'), '{"nodes":[],"edges":[]}');
    await writeFile(join(dir, 'bundle.json'), JSON.stringify(written));
    const bundle = await viewerBundleOf(dir, { quiet: true, stream: process.stderr });
    expect(bundle.plans.map((plan) => plan.group.id)).toEqual(written.plans.map((plan) => plan.group.id));
    expect(bundle.plans.length).toBeGreaterThan(0);
    expect(bundle.network.nodes).toHaveLength(world.town.records.entities.length);
  });
});
