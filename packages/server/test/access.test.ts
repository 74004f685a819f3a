/**
 * Access control of `ocgnet serve`, against a real embedded store: the
 * configured justification with the user's reason beside it, what a partner's
 * events say they received, failed authentication limited on every route (per
 * user and address at login, per address elsewhere, and behind a proxy), and
 * the audit of logins, failed logins, refusals and ego/path consultations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { AuditEvent } from '@ocgnet/audit';
import { audienceById, defaultAudiences, recordsForAudience } from '@ocgnet/profiles';
import { openStore } from '@ocgnet/store';
import { UNKNOWN_USER } from '../src/access.js';
import { createServer, type CreateServerOptions, type RunningServer } from '../src/server.js';
import { makeWorld, type TestUser, type TestWorld } from './fixture.js';

let world: TestWorld;
let server: RunningServer;
const started: RunningServer[] = [];
let ipCounter = 0;
/** An address of its own for each use, so that limits only bite where a test means them to. */
const freshIp = () => `10.7.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

async function serve(extra: Partial<CreateServerOptions> = {}): Promise<RunningServer> {
  const running = await createServer({ store: world.storePath, users: world.config, port: 0, ...extra });
  started.push(running);
  return running;
}

beforeAll(async () => {
  world = await makeWorld();
  server = await serve();
}, 120_000);

afterAll(async () => {
  for (const running of started) await running.close();
  await world?.cleanup();
});

async function events(): Promise<AuditEvent[]> {
  const store = await openStore(world.storePath, { who: 'auditor', audience: 'police-analyst', justification: 'test' });
  try {
    return (await store.auditTrail({ reveal: true })).map((record) => record.event);
  } finally {
    await store.close();
  }
}

/** The events a piece of work adds to the trail (after writing the counted refusals' summaries). */
async function eventsOf(work: () => Promise<unknown>, on: RunningServer = server): Promise<AuditEvent[]> {
  await on.flushAccessAudit();
  const before = (await events()).length;
  await work();
  await on.flushAccessAudit();
  return (await events()).slice(before);
}

function logIn(
  user: TestUser,
  remoteAddress = freshIp(),
  extra: Record<string, unknown> = {},
  on: RunningServer = server,
): Promise<LightMyRequestResponse> {
  return on.app.inject({
    method: 'POST',
    url: '/api/login',
    payload: { user: user.name, token: user.token, ...extra },
    remoteAddress,
  });
}

async function cookieOf(response: LightMyRequestResponse): Promise<string> {
  expect(response.statusCode).toBe(200);
  return `ocgnet_session=${response.cookies.find((cookie) => cookie.name === 'ocgnet_session')!.value}`;
}

function get(
  url: string,
  headers: Record<string, string> = {},
  remoteAddress = freshIp(),
  on: RunningServer = server,
): Promise<LightMyRequestResponse> {
  return on.app.inject({ method: 'GET', url, headers, remoteAddress });
}

function wrongToken(): string {
  return `wrong${String(++ipCounter).padStart(38, '0')}`;
}

describe("the configured justification, with the user's own reason beside it", () => {
  it('a login reason appears as `reason` on every event of the session; the justification stays the configured one', async () => {
    const reason = 'Panel of 12 March: tenancy enforcement review';
    const { housing } = world.users;
    const added = await eventsOf(async () => {
      const cookie = await cookieOf(await logIn(housing, freshIp(), { reason: `  ${reason} ` }));
      expect((await get('/api/bundle', { cookie })).statusCode).toBe(200);
      expect((await get('/api/profile?subject=ocg:OCG01&format=json', { cookie })).statusCode).toBe(200);
    });
    const byAction = (action: string) => added.filter((event) => event.action === action);
    expect(byAction('login')).toHaveLength(1);
    expect(byAction('consult')).toHaveLength(1);
    expect(byAction('profile')).toHaveLength(1);
    for (const event of [...byAction('login'), ...byAction('consult'), ...byAction('profile')]) {
      expect(event).toMatchObject({ who: housing.name, justification: 'test: hugh.housing', reason, outcome: 'ok' });
    }
    // The store's own read events (the bundle's and the profile's) carry the reason too.
    expect(byAction('read')).toHaveLength(2);
    for (const event of byAction('read'))
      expect(event).toMatchObject({ who: housing.name, justification: 'test: hugh.housing', reason });
    // The store's own read events carry the configured justification too (never the user's text).
    expect(added.every((event) => event.justification === 'test: hugh.housing')).toBe(true);
  });

  it('logout is audited like the login it ends, and ends the session', async () => {
    const { housing } = world.users;
    let cookie = '';
    const added = await eventsOf(async () => {
      cookie = await cookieOf(await logIn(housing, freshIp()));
      const out = await server.app.inject({ method: 'POST', url: '/api/logout', headers: { cookie } });
      expect(out.statusCode).toBe(204);
    });
    expect(added.filter((event) => event.action === 'logout')).toEqual([
      expect.objectContaining({ who: housing.name, justification: 'test: hugh.housing', subject: '/api/logout' }),
    ]);
    expect((await get('/api/bundle', { cookie })).statusCode).toBe(401);
    // A logout without a live session records nothing.
    const none = await eventsOf(async () => {
      const out = await server.app.inject({ method: 'POST', url: '/api/logout', headers: { cookie } });
      expect(out.statusCode).toBe(204);
    });
    expect(none.filter((event) => event.action === 'logout')).toEqual([]);
  });

  it('a login that tries to set the justification is refused (400, no session), and its text is recorded nowhere', async () => {
    const text = 'I can write anything here 7f3a';
    const added = await eventsOf(async () => {
      const response = await logIn(world.users.housing, freshIp(), { justification: text });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatch(/justification is fixed/);
      expect(response.cookies).toHaveLength(0);
    });
    expect(JSON.stringify(added)).not.toContain(text);
  });

  it('refuses a reason that is too long or holds control characters', async () => {
    for (const reason of ['x'.repeat(501), 'line one\u0007bell', 42]) {
      const response = await logIn(world.users.housing, freshIp(), { reason });
      expect(response.statusCode, JSON.stringify(reason).slice(0, 20)).toBe(400);
      expect(response.cookies).toHaveLength(0);
    }
    expect((await logIn(world.users.housing, freshIp(), { reason: 'x'.repeat(500) })).statusCode).toBe(200);
  });

  it('a bearer request has no reason, and the configured justification', async () => {
    const added = await eventsOf(async () => {
      expect((await get('/api/bundle', { authorization: `Bearer ${world.users.dwp.token}` })).statusCode).toBe(200);
    });
    const consult = added.find((event) => event.action === 'consult')!;
    expect(consult).toMatchObject({ who: world.users.dwp.name, justification: 'test: dee.dwp' });
    expect(consult).not.toHaveProperty('reason');
  });
});

describe('what a partner received', () => {
  const housing = () => audienceById(defaultAudiences(), 'partner-agency:housing');

  it("a partner's bundle and profile events count the records its audience may see, not the store's", async () => {
    const visible = recordsForAudience(world.town.records, housing());
    const total = world.town.records;
    expect(visible.entities.length).toBeLessThan(total.entities.length);
    expect(visible.links.length).toBeLessThan(total.links.length);
    const cookie = await cookieOf(await logIn(world.users.housing));
    // Twice: the second answer comes from the bundle cache, and its event still counts what was received.
    for (const round of [1, 2]) {
      const added = await eventsOf(() => get('/api/bundle', { cookie }));
      const consult = added.find((event) => event.action === 'consult')!;
      expect(consult.detail, `round ${round}`).toMatchObject({
        received_entities: visible.entities.length,
        received_links: visible.links.length,
      });
      if (round === 2) expect(consult.detail).toMatchObject({ cached: true });
      // The store's read (made when the bundle was built, not on a cache hit) records what Housing received, not the store's totals.
      const reads = added.filter((event) => event.action === 'read');
      if (round === 2) expect(reads).toHaveLength(0);
      for (const read of reads) {
        expect(read).toMatchObject({ audience: 'partner-agency:housing' });
        expect(read.detail).toMatchObject({
          entities: visible.entities.length,
          links: visible.links.length,
          disclosed: true,
          selected_entities: total.entities.length,
          selected_links: total.links.length,
        });
      }
    }
    const added = await eventsOf(() => get('/api/profile?subject=ocg:OCG01&format=json', { cookie }));
    expect(added.find((event) => event.action === 'profile')!.detail).toMatchObject({
      visible_entities: visible.entities.length,
      visible_links: visible.links.length,
    });
    // Profiles of one audience share one read per store content (kept for the next ones): a read, when there is one, counts what Housing may see.
    const reads = added.filter((event) => event.action === 'read');
    expect(reads.length).toBeLessThanOrEqual(1);
    for (const read of reads)
      expect(read.detail).toMatchObject({
        entities: visible.entities.length,
        links: visible.links.length,
        selected_entities: total.entities.length,
      });
    // The next profile is computed from the kept records and analysis: its event, and no read.
    const next = await eventsOf(() => get('/api/profile?subject=ocg:OCG02&format=json', { cookie }));
    expect(next.filter((event) => event.action === 'read')).toHaveLength(0);
    expect(next.find((event) => event.action === 'profile')!.detail).toMatchObject({
      visible_entities: visible.entities.length,
    });
  });

  it("the analyst's bundle event counts every record (the count follows the audience)", async () => {
    const added = await eventsOf(() => get('/api/bundle', { authorization: `Bearer ${world.users.analyst.token}` }));
    expect(added.find((event) => event.action === 'consult')!.detail).toMatchObject({
      received_entities: world.town.records.entities.length,
      received_links: world.town.records.links.length,
    });
  });
});

describe('failed authentication is limited on every route', () => {
  it('100 wrong bearer tokens on /api/me from one address: 401 up to the limit (10), then 429, even for the right token', async () => {
    const address = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const response = await get('/api/me', { authorization: `Bearer ${wrongToken()}` }, address);
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(response.json()).toEqual({ error: 'too many requests; try again later' });
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(90).fill(429));
    expect((await get('/api/me', { authorization: `Bearer ${world.users.analyst.token}` }, address)).statusCode).toBe(
      429,
    );
    // The same user from another address is not locked out.
    expect((await get('/api/me', { authorization: `Bearer ${world.users.analyst.token}` }, freshIp())).statusCode).toBe(
      200,
    );
  });

  it('failures on one route count on every other: wrong tokens and forged cookies, mixed', async () => {
    const address = freshIp();
    const attempts: [string, Record<string, string>][] = [];
    for (let i = 0; i < 5; i++) attempts.push(['/api/bundle', { authorization: `Bearer ${wrongToken()}` }]);
    for (let i = 0; i < 5; i++)
      attempts.push(['/api/profile?subject=ocg:OCG01', { cookie: `ocgnet_session=${wrongToken()}` }]);
    for (const [url, headers] of attempts) expect((await get(url, headers, address)).statusCode).toBe(401);
    const consultation = await server.app.inject({
      method: 'POST',
      url: '/api/consultation',
      payload: { view: 'ego', node: 'P0001', radius: 1 },
      headers: { authorization: `Bearer ${world.users.housing.token}` },
      remoteAddress: address,
    });
    expect(consultation.statusCode).toBe(429);
    const cookie = await cookieOf(await logIn(world.users.housing));
    expect((await get('/api/bundle', { cookie }, address)).statusCode).toBe(429);
  });

  it('requests with no credentials at all are refused but are not failed authentication', async () => {
    const address = freshIp();
    for (let i = 0; i < 30; i++) expect((await get('/api/bundle', {}, address)).statusCode).toBe(401);
    expect((await get('/api/me', { authorization: `Bearer ${world.users.dwp.token}` }, address)).statusCode).toBe(200);
  });
});

describe('the login limit is per user and address', () => {
  it('5 wrong tokens for a user from address A lock that user out at A only: not at B, and not another user at A', async () => {
    const [a, b] = [freshIp(), freshIp()];
    const { analyst, housing } = world.users;
    for (let i = 0; i < 5; i++) expect((await logIn({ ...analyst, token: wrongToken() }, a)).statusCode).toBe(401);
    const locked = await logIn(analyst, a);
    expect(locked.statusCode).toBe(429);
    expect(locked.cookies).toHaveLength(0);
    expect((await logIn(analyst, b)).statusCode).toBe(200);
    expect((await logIn(housing, a)).statusCode).toBe(200);
  });

  it('unknown user names share one count per address, and do not lock out known users there', async () => {
    const a = freshIp();
    for (let i = 0; i < 5; i++)
      expect((await logIn({ name: `nobody-${i}`, audience: '', token: wrongToken() }, a)).statusCode).toBe(401);
    expect((await logIn({ name: 'nobody-else', audience: '', token: wrongToken() }, a)).statusCode).toBe(429);
    expect((await logIn(world.users.analyst, a)).statusCode).toBe(200);
  });

  it('without a trusted proxy, X-Forwarded-For is ignored: a client cannot pick a new address for each guess', async () => {
    const a = freshIp();
    const { analyst } = world.users;
    const inject = (token: string, forwarded: string) =>
      server.app.inject({
        method: 'POST',
        url: '/api/login',
        payload: { user: analyst.name, token },
        remoteAddress: a,
        headers: { 'x-forwarded-for': forwarded },
      });
    for (let i = 0; i < 5; i++) expect((await inject(wrongToken(), `203.0.113.${i}`)).statusCode).toBe(401);
    expect((await inject(analyst.token, '203.0.113.200')).statusCode).toBe(429);
  });

  it('behind a proxy on this machine: the client address comes from X-Forwarded-For, and a client cannot spoof it', async () => {
    const proxied = await serve({ trustProxy: true });
    const { analyst } = world.users;
    const via = (token: string, forwarded: string, remoteAddress = '127.0.0.1') =>
      proxied.app.inject({
        method: 'POST',
        url: '/api/login',
        payload: { user: analyst.name, token },
        remoteAddress,
        headers: { 'x-forwarded-for': forwarded },
      });
    for (let i = 0; i < 5; i++) expect((await via(wrongToken(), '198.51.100.7')).statusCode).toBe(401);
    expect((await via(analyst.token, '198.51.100.7')).statusCode).toBe(429);
    // The same user behind the same proxy, from another client address.
    expect((await via(analyst.token, '198.51.100.8')).statusCode).toBe(200);
    // A client sending its own X-Forwarded-For: the proxy appends the real address, and that is the one used.
    expect((await via(analyst.token, '192.0.2.99, 198.51.100.7')).statusCode).toBe(429);
    // X-Forwarded-For from anything but the trusted proxy is ignored.
    const direct = freshIp();
    for (let i = 0; i < 5; i++) expect((await via(wrongToken(), `198.51.100.${50 + i}`, direct)).statusCode).toBe(401);
    expect((await via(analyst.token, '198.51.100.60', direct)).statusCode).toBe(429);
  });

  it('behind a proxy elsewhere, named by address', async () => {
    const proxied = await serve({ trustProxy: ['192.0.2.10'] });
    const { dwp } = world.users;
    const via = (token: string, forwarded: string) =>
      proxied.app.inject({
        method: 'GET',
        url: '/api/me',
        headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': forwarded },
        remoteAddress: '192.0.2.10',
      });
    for (let i = 0; i < 10; i++) expect((await via(wrongToken(), '198.51.100.20')).statusCode).toBe(401);
    expect((await via(dwp.token, '198.51.100.20')).statusCode).toBe(429);
    expect((await via(dwp.token, '198.51.100.21')).statusCode).toBe(200);
  });
});

describe('access events: logins, failed logins, refusals; never a token', () => {
  it('a login leaves one `login` event with the address and no token', async () => {
    const address = freshIp();
    const { dwp } = world.users;
    const added = await eventsOf(() => logIn(dwp, address));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      action: 'login',
      outcome: 'ok',
      who: dwp.name,
      audience: 'partner-agency:dwp',
      justification: 'test: dee.dwp',
      subject: '/api/login',
      detail: { address },
    });
    expect(JSON.stringify(added)).not.toContain(dwp.token);
  });

  it('a failed login names a known user, a placeholder for an unknown name, and never the token tried', async () => {
    const address = freshIp();
    const tried = wrongToken();
    const stranger = `mallory<script>${'m'.repeat(80)}`;
    const added = await eventsOf(async () => {
      expect((await logIn({ ...world.users.analyst, token: tried }, address)).statusCode).toBe(401);
      expect((await logIn({ name: stranger, audience: '', token: tried }, address)).statusCode).toBe(401);
    });
    expect(
      added.map((event) => [event.action, event.who, event.outcome, event.detail?.cause, event.detail?.address]),
    ).toEqual([
      ['login-failed', world.users.analyst.name, 'failed', 'wrong-token', address],
      ['login-failed', UNKNOWN_USER, 'failed', 'unknown-user', address],
    ]);
    expect(added[0]!.audience).toBe('police-analyst');
    const text = JSON.stringify(added);
    expect(text).not.toContain(tried);
    expect(text).not.toContain('mallory');
  });

  it('refused requests (401, 429) leave `refused` events with route, status, cause and address, never the token', async () => {
    const address = freshIp();
    const tried = wrongToken();
    const quiet = await serve({ authFailureLimit: 2 });
    const added = await eventsOf(async () => {
      expect((await get('/api/bundle', {}, address, quiet)).statusCode).toBe(401);
      expect((await get('/api/me', { authorization: `Bearer ${tried}` }, address, quiet)).statusCode).toBe(401);
      expect((await get('/api/me', { authorization: `Bearer ${tried}` }, address, quiet)).statusCode).toBe(401);
      expect(
        (
          await get(
            '/api/profile?subject=ocg:OCG01',
            { authorization: `Bearer ${world.users.housing.token}` },
            address,
            quiet,
          )
        ).statusCode,
      ).toBe(429);
    }, quiet);
    const summary = (event: AuditEvent) => [
      event.action,
      event.subject,
      event.detail?.status,
      event.detail?.cause,
      event.detail?.address,
      event.detail?.count,
    ];
    expect(added.map(summary)).toEqual([
      ['refused', '/api/bundle', 401, 'no-credentials', address, 1],
      ['refused', '/api/me', 401, 'bad-bearer-token', address, 1],
      ['refused', '/api/profile', 429, 'auth-failures', address, 1],
      // The repeated wrong token: counted, and written as one summary when the window is flushed.
      ['refused', '/api/me', 401, 'bad-bearer-token', address, 1],
    ]);
    expect(added[3]!.detail).toMatchObject({ summary: true });
    for (const event of added) expect(event).toMatchObject({ who: UNKNOWN_USER, outcome: 'refused' });
    expect(JSON.stringify(added)).not.toContain(tried);
    expect(JSON.stringify(added)).not.toContain(world.users.housing.token);
  });

  it('a flood of refusals writes a bounded number of events, and still counts every one', async () => {
    const flooded = await serve({ accessAudit: { immediatePerWindow: 5, countedPerWindow: 3 } });
    const added = await eventsOf(async () => {
      for (let a = 0; a < 20; a++) {
        const address = `172.16.9.${a}`;
        for (let i = 0; i < 10; i++)
          expect((await get('/api/me', { authorization: `Bearer ${wrongToken()}` }, address, flooded)).statusCode).toBe(
            401,
          );
      }
    }, flooded);
    expect(added.length).toBeLessThanOrEqual(5 + 3 + 1);
    expect(added.every((event) => event.action === 'refused')).toBe(true);
    expect(added.reduce((sum, event) => sum + Number(event.detail?.count ?? 0), 0)).toBe(200);
    expect(added.some((event) => event.who === '(various)' && event.detail?.cause === 'overflow')).toBe(true);
  });
});

describe('ego and path consultations', () => {
  const post = (payload: unknown, headers: Record<string, string>) =>
    server.app.inject({
      method: 'POST',
      url: '/api/consultation',
      payload: payload as Record<string, unknown>,
      headers,
      remoteAddress: freshIp(),
    });

  it('each ego or path view the viewer reports is one `consult` event by the session user, with the reason', async () => {
    const cookie = await cookieOf(await logIn(world.users.housing, freshIp(), { reason: 'checking links of P0001' }));
    const added = await eventsOf(async () => {
      expect((await post({ view: 'ego', node: 'P0001', kind: 'person', radius: 2 }, { cookie })).statusCode).toBe(204);
      expect((await post({ view: 'path', from: 'P0001', to: 'P0002' }, { cookie })).statusCode).toBe(204);
    });
    expect(added.map((event) => [event.action, event.subject, event.format, event.detail])).toEqual([
      ['consult', 'P0001', 'screen', { view: 'ego', radius: 2, kind: 'person' }],
      ['consult', 'P0001', 'screen', { view: 'path', to: 'P0002' }],
    ]);
    for (const event of added)
      expect(event).toMatchObject({
        who: world.users.housing.name,
        justification: 'test: hugh.housing',
        reason: 'checking links of P0001',
      });
  });

  it('refuses a malformed consultation (400) or one without a session (401), recording no consultation', async () => {
    const cookie = await cookieOf(await logIn(world.users.housing));
    const added = await eventsOf(async () => {
      for (const payload of [
        { view: 'ego', node: 'P0001', radius: 7 },
        { view: 'ego', node: 'P\u0000', radius: 1 },
        { view: 'path', from: 'P0001' },
        { view: 'what', node: 'P0001' },
        { view: 'ego', node: 'P0001', radius: 1, extra: 1 },
      ]) {
        expect((await post(payload, { cookie })).statusCode, JSON.stringify(payload)).toBe(400);
      }
      expect((await post({ view: 'ego', node: 'P0001', radius: 1 }, {})).statusCode).toBe(401);
    });
    expect(added.filter((event) => event.action === 'consult')).toEqual([]);
  });
});
