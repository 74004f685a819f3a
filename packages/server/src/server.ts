/**
 * `ocgnet serve`: the built viewer plus an HTTP API over a store.
 *
 * - **Authentication.** Users and token hashes come from a config file
 *   (users.ts). `POST /api/login` exchanges a user name and token for a
 *   session cookie (32 random bytes, HttpOnly, SameSite=Strict); scripted
 *   clients send `Authorization: Bearer <token>` instead. Nothing under
 *   `/api/` returns data without one of them (401).
 * - **Redaction on the server.** Each user's audience is fixed in the config.
 *   Records are read from the store under that user as actor, reduced with
 *   `recordsForAudience`, and only then projected, analysed and planned: the
 *   browser never receives what its audience may not see.
 * - **Audit.** Every consultation (`/api/bundle`, `/api/profile`) appends one
 *   event (`consult` / `profile`) to the store's audit chain, after the
 *   response is built and before it is sent: no audit event, no data.
 * - **Headers.** Helmet, with the CSP {@link CONTENT_SECURITY_POLICY} (no inline
 *   script); profile HTML gets a stricter CSP of its own (no script at all,
 *   sandboxed); other `/api/profile` answers (errors) may be framed by the
 *   viewer's own origin ({@link PROFILE_ERROR_CSP}). `GET /api/me` says who the
 *   caller is and whether the server can make profiles (`profiles: boolean`). Bodies are limited to 64 KiB; logins to 5 a minute per IP.
 *   Binds to 127.0.0.1 unless told otherwise. No TLS: put a reverse proxy in front.
 */
import { createHash, randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { AnalyseOptions } from '@ocgnet/analysis';
import type { AuditEvent } from '@ocgnet/audit';
import type { ProjectionOptionsInput } from '@ocgnet/graph';
import { ProfileError, audiencesHash, buildProfile, defaultAudiences, recordsForAudience, renderProfile, type AudienceConfig } from '@ocgnet/profiles';
import { openStore, type Store, type StoreActor } from '@ocgnet/store';
import { buildViewerBundle, type ViewerBundle } from './bundle.js';
import { UserDirectory, type ServerUser, type UsersConfig } from './users.js';

/** The CSP directives of every response (profile HTML gets a stricter one). */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'frame-src': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'report-uri': ['/api/csp-report'],
});

/** The Content-Security-Policy header value, as sent. Static test servers should send the same. */
export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([name, values]) => `${name} ${values.join(' ')}`)
  .join('; ');

/**
 * The CSP of every `/api/profile` answer that is not profile HTML (errors: 400, 401, 404, 429…):
 * the same policy, but framable by the viewer's own origin, since the viewer shows profiles in an
 * iframe and a refused profile must show its JSON error there, not raise a frame-ancestors violation.
 */
export const PROFILE_ERROR_CSP = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors 'self'");

/** Largest request body accepted. */
export const BODY_LIMIT_BYTES = 64 * 1024;
export const SESSION_COOKIE = 'ocgnet_session';
const SESSION_IDLE_MS = 30 * 60 * 1000;
const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
const MAX_SESSIONS = 10_000;
const BUNDLE_CACHE_ENTRIES = 8;
const LOGIN_FAILED = 'login failed';
const UNAUTHORISED = 'authentication required';
const NOT_VISIBLE = 'no such subject for this audience';

export interface CreateServerOptions {
  /** Store location: an embedded store file, or neo4j://… Exactly one of `store` and `bundle`. */
  store?: string;
  /** A fixed bundle to serve instead of a store (`ocgnet view`): no profiles, no store audit. */
  bundle?: ViewerBundle;
  users: UsersConfig;
  /** Audiences config; default `defaultAudiences()`. */
  audiences?: AudienceConfig;
  /** The built viewer (apps/viewer/dist), served at `/`. */
  viewerDist?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Fastify's request log (never bodies or headers). Default false. */
  logger?: boolean;
  analysis?: Partial<AnalyseOptions>;
  projection?: ProjectionOptionsInput;
  /** Logins per minute per IP. Default 5. */
  loginRateLimit?: number;
  /** Behind a reverse proxy: take the client IP from X-Forwarded-For (for rate limits). Default false. */
  trustProxy?: boolean;
  /** Mark the session cookie Secure (set this behind a TLS proxy). Default false. */
  secureCookie?: boolean;
}

export interface RunningServer {
  app: FastifyInstance;
  /** `http://host:port`. */
  url: string;
  /** CSP violation reports received so far. */
  readonly cspReports: number;
  close(): Promise<void>;
}

interface Session {
  user: ServerUser;
  justification: string;
  created: number;
  seen: number;
}

/** JSON cannot carry NaN or Infinity (the constraint of an isolate): they travel as null. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, field) => (typeof field === 'number' && !Number.isFinite(field) ? null : field));
}

const STATUS_MESSAGES: Record<number, string> = {
  400: 'bad request',
  401: UNAUTHORISED,
  403: 'forbidden',
  404: 'not found',
  405: 'method not allowed',
  406: 'not acceptable',
  413: 'request body too large',
  415: 'unsupported media type',
  429: 'too many requests; try again later',
};

/** A CSP for profile HTML: no script at all, only its own inline style (by hash), sandboxed, framable by the viewer only. */
export function profileHtmlCsp(html: string): string {
  const hashes = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    (match) => `'sha256-${createHash('sha256').update(match[1]!, 'utf8').digest('base64')}'`,
  );
  return [
    "default-src 'none'",
    `style-src ${hashes.length > 0 ? hashes.join(' ') : "'none'"}`,
    'img-src data:',
    "script-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    'sandbox',
  ].join('; ');
}

function audienceConfigOf(options: CreateServerOptions): AudienceConfig {
  return options.audiences ?? defaultAudiences();
}

/** Starts the server and resolves once it listens. */
export async function createServer(options: CreateServerOptions): Promise<RunningServer> {
  if ((options.store === undefined) === (options.bundle === undefined)) throw new Error('createServer: give exactly one of store and bundle');
  const audiences = audienceConfigOf(options);
  // Every audit event names the rules that decided what its user saw.
  const audiencesSha256 = audiencesHash(audiences);
  const directory = new UserDirectory(options.users, audiences);
  const viewerDist = options.viewerDist === undefined ? undefined : resolve(options.viewerDist);
  if (viewerDist !== undefined) {
    const info = await stat(viewerDist).catch(() => undefined);
    if (!info?.isDirectory()) throw new Error(`viewer directory ${viewerDist} does not exist (build it with: pnpm --filter @ocgnet/viewer build)`);
  }
  const host = options.host ?? '127.0.0.1';
  const sessions = new Map<string, Session>();
  const bundleCache = new Map<string, string>();
  let cspReports = 0;

  const app = Fastify({
    logger: options.logger === true,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: options.trustProxy === true,
    return503OnClosing: true,
  });

  // Helmet's own CSP writer joins directives with ';' and no space; ours is sent verbatim, on every response.
  await app.register(fastifyHelmet, { contentSecurityPolicy: false });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('content-security-policy', request.url === '/api/profile' || request.url.startsWith('/api/profile?') ? PROFILE_ERROR_CSP : CONTENT_SECURITY_POLICY);
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });

  app.setErrorHandler((error: { statusCode?: number; message?: string }, request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(status).type('application/json').send({ error: status >= 500 ? 'internal error' : (STATUS_MESSAGES[status] ?? 'request refused') });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('application/json').send({ error: 'not found' }));

  // Sensitive answers are never cached by the browser or a proxy.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  // CSP reports: browsers send application/csp-report (report-uri) or application/reports+json (Reporting API).
  app.addContentTypeParser(['application/csp-report', 'application/reports+json'], { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string) as unknown);
    } catch {
      done(null, undefined);
    }
  });

  // ---- authentication -------------------------------------------------------

  function sessionOf(request: FastifyRequest): Session | undefined {
    const id = request.cookies[SESSION_COOKIE];
    if (typeof id !== 'string' || id.length === 0) return undefined;
    const session = sessions.get(id);
    if (session === undefined) return undefined;
    const now = Date.now();
    if (now - session.seen > SESSION_IDLE_MS || now - session.created > SESSION_MAX_MS) {
      sessions.delete(id);
      return undefined;
    }
    session.seen = now;
    return session;
  }

  function bearerOf(request: FastifyRequest): Session | undefined {
    const header = request.headers.authorization;
    if (typeof header !== 'string') return undefined;
    const match = /^Bearer +([A-Za-z0-9._~+/=-]{1,512})$/.exec(header);
    if (match === null) return undefined;
    const user = directory.byToken(match[1]);
    if (user === undefined) return undefined;
    const now = Date.now();
    return { user, justification: user.justification, created: now, seen: now };
  }

  /** The caller, or undefined after sending 401. A bad bearer token is refused even alongside a good cookie. */
  function caller(request: FastifyRequest, reply: FastifyReply): Session | undefined {
    const found = request.headers.authorization !== undefined ? bearerOf(request) : sessionOf(request);
    if (found === undefined) {
      void reply.code(401).type('application/json').send({ error: UNAUTHORISED });
      return undefined;
    }
    return found;
  }

  function actorOf(session: Session): StoreActor {
    return { who: session.user.name, audience: session.user.audience.id, justification: session.justification, audiences: audiencesSha256 };
  }

  async function withUserStore<T>(session: Session, work: (store: Store) => Promise<T>): Promise<T> {
    const store = await openStore(options.store!, actorOf(session));
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  }

  function auditEvent(session: Session, action: 'consult' | 'profile', subject: string, format: string, detail?: AuditEvent['detail']): AuditEvent {
    const event: AuditEvent = {
      action,
      who: session.user.name,
      at: new Date().toISOString(),
      audience: session.user.audience.id,
      subject,
      justification: session.justification,
      recipients: [],
      format,
      audiences: audiencesSha256,
    };
    if (detail !== undefined) event.detail = detail;
    return event;
  }

  // ---- routes ---------------------------------------------------------------

  const loginLimit = { max: options.loginRateLimit ?? 5, timeWindow: '1 minute' };

  app.post('/api/login', { config: { rateLimit: loginLimit } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const user = typeof body === 'object' && body !== null ? directory.login(body.user, body.token) : undefined;
    if (user === undefined) return reply.code(401).send({ error: LOGIN_FAILED });
    let justification = user.justification;
    if (typeof body.justification === 'string' && body.justification.trim() !== '' && body.justification.length <= 500) justification = body.justification.trim();
    if (sessions.size >= MAX_SESSIONS) {
      const now = Date.now();
      for (const [id, session] of sessions) if (now - session.seen > SESSION_IDLE_MS || now - session.created > SESSION_MAX_MS) sessions.delete(id);
      if (sessions.size >= MAX_SESSIONS) return reply.code(503).send({ error: 'too many sessions' });
    }
    const id = randomBytes(32).toString('base64url');
    const now = Date.now();
    sessions.set(id, { user, justification, created: now, seen: now });
    void reply.setCookie(SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: options.secureCookie === true,
      maxAge: SESSION_MAX_MS / 1000,
    });
    return reply.send({ user: user.name, audience: user.audience.id });
  });

  app.post('/api/logout', async (request, reply) => {
    const id = request.cookies[SESSION_COOKIE];
    if (typeof id === 'string') sessions.delete(id);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/me', async (request, reply) => {
    const session = caller(request, reply);
    if (session === undefined) return reply;
    // profiles: whether this server can make partnership profiles (it has a store; `ocgnet view` has none).
    return reply.send({ user: session.user.name, audience: session.user.audience.id, profiles: options.store !== undefined });
  });

  app.get('/api/bundle', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (request, reply) => {
    const session = caller(request, reply);
    if (session === undefined) return reply;
    const audience = session.user.audience;
    if (options.bundle !== undefined) return reply.type('application/json').send(toJson(options.bundle));
    const text = await withUserStore(session, async (store) => {
      const before = await store.contentHash();
      const key = `${audience.id}\u0000${before}`;
      let body = bundleCache.get(key);
      const cached = body !== undefined;
      if (body === undefined) {
        const visible = recordsForAudience(await store.records(), audience);
        const bundle = buildViewerBundle(visible, {
          audience,
          ...(options.analysis !== undefined ? { analysis: options.analysis } : {}),
          ...(options.projection !== undefined ? { projection: options.projection } : {}),
        });
        body = toJson(bundle);
        // Cache only if nothing changed while we read and built.
        if ((await store.contentHash()) === before) {
          if (bundleCache.size >= BUNDLE_CACHE_ENTRIES) bundleCache.delete(bundleCache.keys().next().value!);
          bundleCache.set(key, body);
        }
      }
      await store.appendAudit(auditEvent(session, 'consult', '*', 'json', { cached, content_hash: before }));
      return body;
    });
    return reply.type('application/json').send(text);
  });

  app.get('/api/profile', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (request, reply) => {
    const session = caller(request, reply);
    if (session === undefined) return reply;
    const query = (request.query ?? {}) as Record<string, unknown>;
    const subject = query.subject;
    const format = query.format ?? 'html';
    if (typeof subject !== 'string' || !/^(ocg|usg|person|location):[^\s]{1,200}$/.test(subject)) {
      return reply.code(400).send({ error: 'subject must be person:ID, ocg:ID, usg:ID or location:ID' });
    }
    if (format !== 'html' && format !== 'json') return reply.code(400).send({ error: 'format must be html or json' });
    if (options.store === undefined) return reply.code(404).send({ error: 'profiles need a store' });
    const audience = session.user.audience;
    const result = await withUserStore(session, async (store) => {
      const records = await store.records();
      let text: string;
      try {
        text = renderProfile(buildProfile({ records, audience, audiences, subject, createdAt: new Date().toISOString() }), format);
      } catch (error) {
        if (error instanceof ProfileError) return undefined;
        throw error;
      }
      await store.appendAudit(auditEvent(session, 'profile', subject, format));
      return text;
    });
    if (result === undefined) return reply.code(404).send({ error: NOT_VISIBLE });
    if (format === 'json') return reply.type('application/json').send(result);
    reply.header('content-security-policy', profileHtmlCsp(result));
    reply.header('x-frame-options', 'SAMEORIGIN');
    return reply.type('text/html; charset=utf-8').send(result);
  });

  app.post('/api/csp-report', { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = request.body;
    if (Array.isArray(body)) cspReports += body.filter((report) => typeof report === 'object' && report !== null).length;
    else if (typeof body === 'object' && body !== null) cspReports += 1;
    return reply.code(204).send();
  });

  // ---- the viewer -----------------------------------------------------------

  if (viewerDist !== undefined) {
    await app.register(fastifyStatic, { root: viewerDist, prefix: '/', index: 'index.html', dotfiles: 'deny', wildcard: true });
  } else {
    app.get('/', async (_request, reply) => reply.code(404).send({ error: 'no viewer here: start the server with --viewer <dist dir>' }));
  }

  const address = await app.listen({ host, port: options.port ?? 8080 });
  const port = new URL(address).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    app,
    url,
    get cspReports() {
      return cspReports;
    },
    close: async () => {
      sessions.clear();
      bundleCache.clear();
      await app.close();
    },
  };
}
