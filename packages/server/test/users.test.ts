import { describe, expect, it } from 'vitest';
import { parseViewerBundle } from '@ocgnet/bundle';
import { buildResearchViewerBundle } from '@ocgnet/bundle/build';
import { createServer } from '../src/server.js';
import { UserDirectory, newToken, parseUsersConfig, tokenSha256 } from '../src/users.js';
import Graph from 'graphology';

describe('users config', () => {
  it('newToken gives 32 random bytes as base64url, and the SHA-256 of that text', () => {
    const a = newToken();
    const b = newToken();
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.token, 'base64url')).toHaveLength(32);
    expect(a.token_sha256).toBe(tokenSha256(a.token));
    expect(a.token_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.token).not.toBe(b.token);
  });

  const entry = (name: string, audience: string, hash = newToken().token_sha256) => ({
    name,
    audience,
    token_sha256: hash,
    justification: 'panel',
  });

  it('refuses an unknown audience, duplicate users, a shared token and a malformed hash', () => {
    expect(() => parseUsersConfig({ users: [entry('a', 'partner-agency:nowhere')] })).toThrow(
      /unknown audience "partner-agency:nowhere"/,
    );
    expect(() => parseUsersConfig({ users: [entry('a', 'police-analyst'), entry('a', 'police-analyst')] })).toThrow(
      /duplicate user/,
    );
    const shared = newToken().token_sha256;
    expect(() =>
      parseUsersConfig({ users: [entry('a', 'police-analyst', shared), entry('b', 'police-analyst', shared)] }),
    ).toThrow(/same token/);
    expect(() => parseUsersConfig({ users: [entry('a', 'police-analyst', 'ABC')] })).toThrow(/token_sha256/);
    expect(() => parseUsersConfig({ users: [{ ...entry('a', 'police-analyst'), token: 'plain' }] })).toThrow(
      /users config/,
    );
    expect(() => parseUsersConfig('{not json')).toThrow(/not JSON/);
    expect(() => parseUsersConfig({ users: [] })).toThrow(/users/);
  });

  it('login needs the named user and their own token; byToken finds the holder', () => {
    const one = newToken();
    const two = newToken();
    const directory = new UserDirectory({
      users: [
        entry('one', 'police-analyst', one.token_sha256),
        entry('two', 'partner-agency:housing', two.token_sha256),
      ],
    });
    expect(directory.login('one', one.token)?.audience.id).toBe('police-analyst');
    expect(directory.login('one', two.token)).toBeUndefined();
    expect(directory.login('two', one.token)).toBeUndefined();
    expect(directory.login('nobody', one.token)).toBeUndefined();
    expect(directory.login('one', one.token.slice(0, -1))).toBeUndefined();
    expect(directory.login('one', 42)).toBeUndefined();
    expect(directory.login('one', 'x'.repeat(10_000))).toBeUndefined();
    expect(directory.byToken(two.token)?.name).toBe('two');
    expect(directory.byToken(`${two.token}x`)).toBeUndefined();
  });
});

describe('a fixed bundle and no viewer (ocgnet view of a research network)', () => {
  it('serves the bundle to its token only, and / is a 404 JSON without a viewer', async () => {
    const graph = new Graph({ type: 'undirected' });
    for (const [a, b] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
      ['c', 'd'],
    ])
      graph.mergeEdge(a!, b!);
    const bundle = buildResearchViewerBundle(graph);
    expect(bundle.graph.nodes).toHaveLength(4);
    const { token, token_sha256 } = newToken();
    const server = await createServer({
      bundle,
      users: { users: [{ name: 'local', audience: 'researcher', token_sha256, justification: 'local view' }] },
      port: 0,
    });
    try {
      const root = await server.app.inject({ method: 'GET', url: '/' });
      expect(root.statusCode).toBe(404);
      expect(root.json()).toHaveProperty('error');
      expect((await server.app.inject({ method: 'GET', url: '/api/bundle' })).statusCode).toBe(401);
      const response = await server.app.inject({
        method: 'GET',
        url: '/api/bundle',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(200);
      expect(parseViewerBundle(response.json()).graph.edges).toHaveLength(4);
      const profile = await server.app.inject({
        method: 'GET',
        url: '/api/profile?subject=person:a',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(profile.statusCode).toBe(404);
      const me = await server.app.inject({
        method: 'GET',
        url: '/api/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.json()).toEqual({ user: 'local', audience: 'researcher', profiles: false, audited: false });
    } finally {
      await server.close();
    }
  });
});
