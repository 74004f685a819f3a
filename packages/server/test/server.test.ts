/**
 * `ocgnet serve` against a real embedded store holding the small town
 * (fixtures/small) with canaries planted in everything Housing may not see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { openStore } from '@ocgnet/store';
import type { AuditRecord } from '@ocgnet/audit';
import { CONTENT_SECURITY_POLICY, PROFILE_ERROR_CSP, createServer, type RunningServer } from '../src/server.js';
import { parseViewerBundle, type ViewerBundle } from '@ocgnet/bundle';
import { makeWorld, sessionCookie, type TestUser, type TestWorld } from './fixture.js';

let world: TestWorld;
let server: RunningServer;
let ipCounter = 0;
/** Every login from its own address, so the login rate limit only bites where a test means it to. */
const freshIp = () => `10.1.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

function login(user: TestUser): Promise<string> {
  return sessionCookie(server, user, freshIp());
}

/** A GET, by default from an address of its own, so failed authentication only adds up where a test means it to (access.test.ts). */
async function get(
  url: string,
  cookie?: string,
  headers: Record<string, string> = {},
  remoteAddress = freshIp(),
): Promise<LightMyRequestResponse> {
  return server.app.inject({
    method: 'GET',
    url,
    headers: { ...(cookie ? { cookie } : {}), ...headers },
    remoteAddress,
  });
}

async function trail(): Promise<AuditRecord[]> {
  const store = await openStore(world.storePath, { who: 'auditor', audience: 'police-analyst', justification: 'test' });
  try {
    return await store.auditTrail({ reveal: true });
  } finally {
    await store.close();
  }
}

function nearMiss(token: string): string {
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return token.slice(0, -1) + last;
}

beforeAll(async () => {
  world = await makeWorld();
  server = await createServer({ store: world.storePath, users: world.config, viewerDist: world.viewerDist, port: 0 });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await world?.cleanup();
});

const DATA_ROUTES = [
  '/api/me',
  '/api/bundle',
  '/api/profile?subject=ocg:OCG01&format=json',
  '/api/profile?subject=person:P0001',
];

describe('authentication', () => {
  it('binds to 127.0.0.1 by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each(DATA_ROUTES)(
    '%s: 401 without a session, with a wrong or near-miss bearer token, and with a forged cookie',
    async (url) => {
      const attempts = [
        await get(url),
        await get(url, undefined, { authorization: 'Bearer wrongwrongwrongwrongwrongwrongwrongwrongwro' }),
        await get(url, undefined, { authorization: `Bearer ${nearMiss(world.users.analyst.token)}` }),
        await get(url, undefined, { authorization: world.users.analyst.token }),
        await get(url, 'ocgnet_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
      ];
      for (const response of attempts) {
        expect(response.statusCode).toBe(401);
        expect(response.json()).toEqual({ error: 'authentication required' });
        expect(response.body).not.toMatch(/CANARY|OCG01|at .*\.ts/);
      }
    },
  );

  it('refuses a wrong token, a near-miss token and an unknown user with the same 401', async () => {
    const { analyst } = world.users;
    const bodies = [
      { user: analyst.name, token: 'x'.repeat(43) },
      { user: analyst.name, token: nearMiss(analyst.token) },
      { user: 'nobody', token: analyst.token },
      { user: world.users.housing.name, token: analyst.token },
      { user: analyst.name },
      {},
    ];
    for (const payload of bodies) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/login',
        payload,
        remoteAddress: freshIp(),
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ error: 'login failed' });
      expect(response.cookies).toHaveLength(0);
    }
  });

  it('issues an HttpOnly, SameSite=Strict, Path=/ session cookie of 32 random bytes, and /api/me reports the fixed audience', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { user: world.users.housing.name, token: world.users.housing.token },
      remoteAddress: freshIp(),
    });
    expect(response.json()).toEqual({ user: world.users.housing.name, audience: 'partner-agency:housing' });
    const cookie = response.cookies[0]!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(cookie.path).toBe('/');
    expect(Buffer.from(cookie.value, 'base64url')).toHaveLength(32);
    const me = await get('/api/me', `ocgnet_session=${cookie.value}`);
    expect(me.json()).toEqual({
      user: world.users.housing.name,
      audience: 'partner-agency:housing',
      profiles: true,
      audited: true,
    });
  });

  it('accepts Authorization: Bearer for scripted clients', async () => {
    const me = await get('/api/me', undefined, { authorization: `Bearer ${world.users.dwp.token}` });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      user: world.users.dwp.name,
      audience: 'partner-agency:dwp',
      profiles: true,
      audited: true,
    });
  });

  it('logout ends the session', async () => {
    const cookie = await login(world.users.dwp);
    expect((await get('/api/me', cookie)).statusCode).toBe(200);
    const out = await server.app.inject({ method: 'POST', url: '/api/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect((await get('/api/me', cookie)).statusCode).toBe(401);
  });
});

describe('requests and errors', () => {
  it('refuses a body over 64 KiB with 413, as JSON without a stack trace', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { user: 'x', token: 'y'.repeat(70 * 1024) },
      remoteAddress: freshIp(),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ error: 'request body too large' });
  });

  it('answers unknown routes and bad JSON with a JSON error and no stack', async () => {
    const missing = await get('/api/nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'not found' });
    const bad = await server.app.inject({
      method: 'POST',
      url: '/api/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"user":',
      remoteAddress: freshIp(),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: 'bad request' });
  });

  it('counts CSP reports of both kinds', async () => {
    const before = server.cspReports;
    const legacy = await server.app.inject({
      method: 'POST',
      url: '/api/csp-report',
      headers: { 'content-type': 'application/csp-report' },
      payload: JSON.stringify({
        'csp-report': { 'document-uri': 'http://127.0.0.1/', 'violated-directive': 'script-src' },
      }),
    });
    expect(legacy.statusCode).toBe(204);
    const modern = await server.app.inject({
      method: 'POST',
      url: '/api/csp-report',
      headers: { 'content-type': 'application/reports+json' },
      payload: JSON.stringify([
        { type: 'csp-violation', body: { effectiveDirective: 'script-src' } },
        { type: 'csp-violation', body: { effectiveDirective: 'style-src' } },
      ]),
    });
    expect(modern.statusCode).toBe(204);
    expect(server.cspReports).toBe(before + 3);
  });
});

describe('security headers', () => {
  const expectHelmet = (response: LightMyRequestResponse) => {
    expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
  };

  it('the CSP is exactly the one agreed with the viewer, with no inline script', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; report-uri /api/csp-report",
    );
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('on /, on static files, on /api/* (including 401s) and on errors', async () => {
    const index = await get('/');
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('viewer');
    expectHelmet(index);
    const asset = await get('/assets/app.js');
    expect(asset.statusCode).toBe(200);
    expectHelmet(asset);
    const denied = await get('/api/bundle');
    expectHelmet(denied);
    expect(denied.headers['cache-control']).toBe('no-store');
    const me = await get('/api/me', undefined, { authorization: `Bearer ${world.users.dwp.token}` });
    expectHelmet(me);
    expect(me.headers['cache-control']).toBe('no-store');
    expectHelmet(await get('/api/nothing-here'));
  });

  it('/api/profile errors (401, 400, 404) may be framed by the viewer itself, and nothing else is', async () => {
    expect(PROFILE_ERROR_CSP).toBe(CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors 'self'"));
    const cookie = await login(world.users.housing);
    const answers = [
      await get('/api/profile?subject=person:P0001'),
      await get('/api/profile?subject=nonsense', cookie),
      await get('/api/profile?subject=person:NO-SUCH-ID', cookie),
    ];
    expect(answers.map((response) => response.statusCode)).toEqual([401, 400, 404]);
    for (const response of answers) {
      expect(response.headers['content-security-policy']).toBe(PROFILE_ERROR_CSP);
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    }
    expect((await get('/api/bundle', cookie)).headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect((await get('/api/profileX')).headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('profile HTML gets its own CSP: no script at all, sandboxed, framable only by the viewer', async () => {
    const cookie = await login(world.users.analyst);
    const response = await get('/api/profile?subject=ocg:OCG01&format=html', cookie);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/(^|; )sandbox($|;)/);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(response.body).not.toMatch(/<script/i);
  });
});

describe('redaction: the canary', () => {
  const hasCanary = (text: string) => /CANARY\d{5}Z/.test(text);

  it('the canary is planted (some records are hidden from Housing)', () => {
    expect(world.town.canaries.length).toBeGreaterThan(20);
    expect(world.town.hiddenEntities.length).toBeGreaterThan(0);
  });

  it('Housing: no bundle or profile byte contains any canary; the analyst sees them', async () => {
    const housing = await login(world.users.housing);
    const analyst = await login(world.users.analyst);

    const housingBundle = await get('/api/bundle', housing);
    expect(housingBundle.statusCode).toBe(200);
    expect(hasCanary(housingBundle.body)).toBe(false);
    const analystBundle = await get('/api/bundle', analyst);
    expect(analystBundle.statusCode).toBe(200);
    expect(hasCanary(analystBundle.body)).toBe(true);

    const visible = parseViewerBundle(housingBundle.json());
    expect(visible.audience).toBe('partner-agency:housing');
    const groups = visible.network.nodes
      .filter((node) => node.attributes?.kind === 'ocg' || node.attributes?.kind === 'usg')
      .map((node) => node.key);
    const persons = visible.graph.nodes.map((node) => node.key);
    const locations = visible.network.nodes
      .filter((node) => node.attributes?.kind === 'location')
      .map((node) => node.key);
    const subjects = [
      ...groups.slice(0, 3).map((id) => `ocg:${id}`),
      ...persons.slice(0, 3).map((id) => `person:${id}`),
      ...locations.slice(0, 2).map((id) => `location:${id}`),
    ];
    expect(subjects.length).toBeGreaterThanOrEqual(5);
    for (const subject of subjects) {
      for (const format of ['html', 'json']) {
        const response = await get(`/api/profile?subject=${encodeURIComponent(subject)}&format=${format}`, housing);
        expect(response.statusCode, `${subject} ${format}`).toBe(200);
        expect(hasCanary(response.body), `${subject} ${format}`).toBe(false);
      }
    }
    // A hidden subject: Housing gets the same answer as for a subject that does not exist.
    const hidden = new Set(world.town.hiddenEntities);
    const hiddenSubject = world.town.records.entities.find(
      (entity) => hidden.has(entity.id) && (entity.kind === 'person' || entity.kind === 'location'),
    );
    expect(hiddenSubject).toBeDefined();
    const hiddenRef = `${hiddenSubject!.kind}:${hiddenSubject!.id}`;
    const refused = await get(`/api/profile?subject=${encodeURIComponent(hiddenRef)}&format=json`, housing);
    const absent = await get(`/api/profile?subject=${hiddenSubject!.kind}:NO-SUCH-ID&format=json`, housing);
    expect(refused.statusCode).toBe(404);
    expect(refused.body).toBe(absent.body);
    expect(hasCanary(refused.body)).toBe(false);
    // The analyst's profiles carry canaries: the canary is real and would be caught.
    const seen = await get(`/api/profile?subject=${encodeURIComponent(hiddenRef)}&format=html`, analyst);
    expect(seen.statusCode).toBe(200);
    expect(hasCanary(seen.body)).toBe(true);
    let analystHits = 0;
    for (const subject of subjects) {
      const response = await get(`/api/profile?subject=${encodeURIComponent(subject)}&format=json`, analyst);
      if (hasCanary(response.body)) analystHits++;
    }
    expect(analystHits).toBeGreaterThan(0);
  });

  it('bundles carry no record or evidence arrays', async () => {
    const analyst = await login(world.users.analyst);
    const bundle = (await get('/api/bundle', analyst)).json<ViewerBundle>();
    for (const item of [
      ...bundle.graph.nodes,
      ...bundle.graph.edges,
      ...bundle.network.nodes,
      ...bundle.network.edges,
    ]) {
      expect(item.attributes).toBeDefined();
      expect(item.attributes).not.toHaveProperty('record');
      expect(item.attributes).not.toHaveProperty('evidence');
    }
  });
});

describe('the analyst bundle', () => {
  it('has one graph node per person in the fixture, and parseViewerBundle accepts it', async () => {
    const analyst = await login(world.users.analyst);
    const response = await get('/api/bundle', analyst);
    const bundle = parseViewerBundle(JSON.parse(response.body));
    const persons = world.town.records.entities.filter((entity) => entity.kind === 'person').length;
    expect(bundle.graph.nodes).toHaveLength(persons);
    expect(bundle.network.nodes).toHaveLength(world.town.records.entities.length);
    expect(bundle.network.edges).toHaveLength(world.town.records.links.length);
    expect(bundle.analysis?.nodes).toHaveLength(persons);
    expect(bundle.classification).toBe('OFFICIAL-SENSITIVE');
    expect(bundle.marking.handling).toBe('R');
    expect(bundle.plans.length).toBeGreaterThan(0);
    const node = bundle.graph.nodes[0]!.attributes!;
    for (const key of [
      'label',
      'kind',
      'marking',
      'vulnerable',
      'under_18',
      'exploited',
      'cuckooed',
      'degree',
      'betweenness',
      'pagerank',
      'community',
      'articulation',
      'safeguarding',
    ]) {
      expect(node, key).toHaveProperty(key);
    }
    const edge = bundle.graph.edges[0]!.attributes!;
    for (const key of ['weight', 'channels', 'count', 'marking', 'linkTypes', 'gradings', 'handling'])
      expect(edge, key).toHaveProperty(key);
    // Person edges summarise the gradings of their evidence links: every one is a grading of some network link.
    const linkGradings = new Set(bundle.network.edges.map((e) => e.attributes!.grading as string));
    const edgeGradings = bundle.graph.edges.flatMap((e) => e.attributes!.gradings as string[]);
    expect(edgeGradings.length).toBeGreaterThanOrEqual(bundle.graph.edges.length);
    for (const grading of edgeGradings) expect(linkGradings.has(grading), grading).toBe(true);
    for (const e of bundle.graph.edges)
      expect(e.attributes!.gradings, e.key).toEqual([...new Set(e.attributes!.gradings as string[])].sort());
    const link = bundle.network.edges[0]!.attributes!;
    for (const key of ['type', 'grading', 'handling', 'marking', 'weight']) expect(link, key).toHaveProperty(key);
  });
});

describe('audit', () => {
  it('every consultation appends exactly one consult/profile event, by the right user and audience', async () => {
    const housing = await login(world.users.housing);
    const consultations: [string, string, string][] = [
      ['/api/bundle', 'consult', '*'],
      ['/api/bundle', 'consult', '*'], // cached the second time: still audited
      ['/api/profile?subject=ocg:OCG01&format=json', 'profile', 'ocg:OCG01'],
    ];
    for (const [url, action, subject] of consultations) {
      const before = (await trail()).length;
      const response = await get(url, housing);
      expect(response.statusCode).toBe(200);
      const added = (await trail()).slice(before).map((record) => record.event);
      const consults = added.filter((event) => event.action === 'consult' || event.action === 'profile');
      expect(consults).toHaveLength(1);
      expect(consults[0]).toMatchObject({
        action,
        subject,
        who: world.users.housing.name,
        audience: 'partner-agency:housing',
        justification: 'test: hugh.housing',
      });
      // Anything else written (the store's own audited read) is by the same user and audience.
      for (const event of added)
        expect(event).toMatchObject({ who: world.users.housing.name, audience: 'partner-agency:housing' });
      expect(added.every((event) => ['consult', 'profile', 'read'].includes(event.action))).toBe(true);
    }
    // Refused requests consult nothing: what they leave is a `refused` event (written, or counted and summarised), never the token.
    const refused = (await trail()).length;
    const wrong = nearMiss(world.users.housing.token);
    await get('/api/bundle');
    await get('/api/profile?subject=ocg:OCG01', undefined, { authorization: `Bearer ${wrong}` });
    await server.flushAccessAudit();
    const added = (await trail()).slice(refused).map((record) => record.event);
    expect(added.length).toBeGreaterThan(0);
    for (const event of added) expect(event).toMatchObject({ action: 'refused', outcome: 'refused' });
    expect(JSON.stringify(added)).not.toContain(wrong);
  });

  it('the store audit chain still verifies', async () => {
    const store = await openStore(world.storePath, {
      who: 'auditor',
      audience: 'police-analyst',
      justification: 'test',
    });
    try {
      expect((await store.verifyAudit()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });
});
