/**
 * `ocgnet serve`: the built viewer plus an HTTP API over a store.
 *
 * - **Authentication.** Users and token hashes come from a config file
 *   (users.ts). `POST /api/login` exchanges a user name and token for a
 *   session cookie (32 random bytes, HttpOnly, SameSite=Strict); scripted
 *   clients send `Authorization: Bearer <token>` instead. Nothing under
 *   `/api/` returns data without one of them (401).
 * - **Failed authentication is limited on every route.** Failed logins count
 *   per claimed user and client address ({@link CreateServerOptions.loginFailureLimit}),
 *   so failures from one address never lock the same user out elsewhere;
 *   failed bearer tokens and unknown session cookies count per client
 *   address ({@link CreateServerOptions.authFailureLimit}). Past either limit
 *   every attempt is refused with 429, even with the right credentials, until
 *   the minute is out. The counters are @fastify/rate-limit's, per process.
 * - **Redaction on the server.** Each user's audience is fixed in the config.
 *   Records are read from the store under that user as actor, reduced with
 *   `recordsForAudience`, and only then projected, analysed and planned: the
 *   browser never receives what its audience may not see.
 * - **Audit.** Every consultation (`/api/bundle`, `/api/profile`, and each ego
 *   or path view the viewer reports to `/api/consultation`) appends one event
 *   (`consult` / `profile`) to the store's audit chain, after the response is
 *   built and before it is sent: no audit event, no data. Its detail counts
 *   what the user received. Every event carries the justification configured
 *   for the user, and the user's own reason from the login beside it
 *   (`reason`), never instead of it. Logins (`login`), failed logins
 *   (`login-failed`) and refused requests (`refused`: 401, 403, 429) are
 *   audited too, never with a token, through {@link AccessAudit}, which bounds
 *   how many events a flood of refusals can write.
 * - **Headers.** Helmet, with the CSP {@link CONTENT_SECURITY_POLICY} (no inline
 *   script); profile HTML gets a stricter CSP of its own (no script at all,
 *   sandboxed); other `/api/profile` answers (errors) may be framed by the
 *   viewer's own origin ({@link PROFILE_ERROR_CSP}). `GET /api/me` says who the
 *   caller is and what the server offers (`profiles`, `audited`). Bodies are limited to 64 KiB.
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
import {
  ProfileError,
  audiencesHash,
  buildProfile,
  defaultAudiences,
  recordsForAudience,
  renderProfile,
  type Audience,
  type AudienceConfig,
} from '@ocgnet/profiles';
import { IdSchema, LabelSchema } from '@ocgnet/schema';
import { openStore, type Store, type StoreActor } from '@ocgnet/store';
import { ServerStore, type OpenStoreFunction } from './stores.js';
import { z } from 'zod';
import { ACCESS_CONTROL, AccessAudit, NO_AUDIENCE, UNKNOWN_USER, addressKey } from './access.js';
import { COMPACT_BUNDLE_MEDIA_TYPE, encodeCompactBundle, type ViewerBundle } from '@ocgnet/bundle';
import { buildViewerBundleAtScale } from '@ocgnet/bundle/large';
import { layoutBundle, type BundleLayoutOptions } from '@ocgnet/bundle/layout';
import {
  BundleCache,
  bundleKey,
  defaultBundleFolder,
  type BuiltBundle,
  type BundleFormat,
  type CachedBundle,
  type CacheSource,
} from './bundleCache.js';
import { coalesce } from './coalesce.js';
import { ProfileContexts, type ProfileContext } from './profileContexts.js';
import { chooseEncoding, decompressGzip } from './encodings.js';
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
/** Longest reason a user may give at login (beside the configured justification). */
export const MAX_REASON_LENGTH = 500;
const SESSION_IDLE_MS = 30 * 60 * 1000;
const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
const MAX_SESSIONS = 10_000;
const BUNDLE_CACHE_ENTRIES = 8;
/** Audiences whose visible records and analysis are kept for profiles (a few hundred MB each on a 5,000-nominal town). */
const PROFILE_CONTEXT_ENTRIES = 4;
const LOGIN_FAILED = 'login failed';
const UNAUTHORISED = 'authentication required';
const NOT_VISIBLE = 'no such subject for this audience';
const MINUTE_MS = 60_000;
/** The content type of each form of `/api/bundle`. */
const BUNDLE_MEDIA_TYPES: Record<BundleFormat, string> = {
  json: 'application/json; charset=utf-8',
  compact: `${COMPACT_BUNDLE_MEDIA_TYPE}; charset=utf-8`,
};
/** Refusals that are audited. */
const REFUSED_STATUSES = new Set([401, 403, 429]);

export interface CreateServerOptions {
  /** Store location: an embedded store file, or neo4j://… Exactly one of `store` and `bundle`. */
  store?: string;
  /** A fixed bundle to serve instead of a store (`ocgnet view` of a file): no profiles, no store audit. */
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
  /** Failed logins a minute per claimed user and client address; past it that user's logins from that address get 429. Default 5. */
  loginFailureLimit?: number;
  /** Failed bearer tokens or session cookies a minute per client address; past it that address gets 429 on every authenticated route. Default 10. */
  authFailureLimit?: number;
  /**
   * Behind a reverse proxy: the proxies whose `X-Forwarded-For` is believed, as addresses, CIDRs or
   * proxy-addr's names (`loopback`, `uniquelocal`); `true` means `loopback` (a proxy on this machine).
   * The client address is then the last one in the header that is not a trusted proxy, so a client
   * cannot choose its own by sending the header. Default: none; the socket's address is the client's.
   */
  trustProxy?: boolean | readonly string[];
  /** Mark the session cookie Secure (set this behind a TLS proxy). Default false. */
  secureCookie?: boolean;
  /**
   * `ocgnet view` of a store: every audit event is by this actor (the CLI's `--who`, `$OCGNET_USER` or
   * the login name, and its justification), whatever the session's user is called.
   */
  auditAs?: { who: string; justification: string };
  /** How many access events (failed logins, refusals) are written at once or counted per window; see {@link AccessAudit}. */
  accessAudit?: { immediatePerWindow?: number; countedPerWindow?: number; windowMs?: number };
  /**
   * Where finished bundles are kept on disk (0700 folder, 0600 files, checked on read); `false`
   * keeps them in memory only. Default: beside an embedded store (`<store>.bundles`), or for Neo4j
   * in the user's cache folder, one folder per URL.
   */
  bundleCache?: string | false;
  /** The layout each served bundle carries (default: `layoutBundle`'s). */
  layout?: Partial<BundleLayoutOptions>;
  /** How the server opens its stores (one, kept open until it closes; see {@link ServerStore}). Default `openStore` of @ocgnet/store. */
  openStore?: OpenStoreFunction;
}

export interface RunningServer {
  app: FastifyInstance;
  /** `http://host:port`. */
  url: string;
  /** CSP violation reports received so far. */
  readonly cspReports: number;
  /** Writes the counted refusals' summary events now (they are otherwise written each minute and at close). */
  flushAccessAudit(): Promise<void>;
  /** Builds (or finds on disk) every configured audience's bundle now, one after another. */
  warm(onProgress?: (done: number, total: number, audience: string) => void): Promise<void>;
  /** Bundles built by this process so far (a cache hit builds none). */
  readonly bundleBuilds: number;
  /** The folder bundles are kept in on disk, if any. */
  readonly bundleCacheFolder: string | undefined;
  close(): Promise<void>;
}

interface Session {
  user: ServerUser;
  /** The user's own reason, given at login; recorded beside the configured justification. */
  reason?: string;
  created: number;
  seen: number;
}

/** What the server learnt about a request, for the audit of its refusal. */
interface RequestNote {
  /** Why it was refused (a fixed word). */
  cause?: string;
  /** The user it named or authenticated as, when the config holds them. */
  user?: ServerUser;
  /** Already audited (a failed login): no `refused` event on top. */
  audited?: boolean;
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/** Ego or path views the viewer reports it showed (computed in the browser from the bundle already received). */
const ConsultationSchema = z.discriminatedUnion('view', [
  z.strictObject({
    view: z.literal('ego'),
    node: IdSchema,
    kind: z
      .string()
      .regex(/^[a-z_]{1,32}$/)
      .optional(),
    radius: z.int().min(1).max(3),
  }),
  z.strictObject({ view: z.literal('path'), from: IdSchema, to: IdSchema }),
]);
export type Consultation = z.infer<typeof ConsultationSchema>;

const ReasonSchema = LabelSchema.max(MAX_REASON_LENGTH);

/** The reason of a login body (none when absent or blank), or why the body is refused. */
function reasonOf(body: Record<string, unknown>): { reason?: string; error?: undefined } | { error: string } {
  if (body.justification !== undefined)
    return { error: 'the justification is fixed for each user in the users config; give your own words as reason' };
  if (body.reason === undefined) return {};
  if (typeof body.reason !== 'string') return { error: 'reason must be text' };
  const trimmed = body.reason.trim();
  if (trimmed === '') return {};
  return ReasonSchema.safeParse(trimmed).success
    ? { reason: trimmed }
    : { error: `reason must be at most ${MAX_REASON_LENGTH} characters, without control characters` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
  if ((options.store === undefined) === (options.bundle === undefined))
    throw new Error('createServer: give exactly one of store and bundle');
  const audiences = audienceConfigOf(options);
  // Every audit event names the rules that decided what its user saw.
  const audiencesSha256 = audiencesHash(audiences);
  const directory = new UserDirectory(options.users, audiences);
  const viewerDist = options.viewerDist === undefined ? undefined : resolve(options.viewerDist);
  if (viewerDist !== undefined) {
    const info = await stat(viewerDist).catch(() => undefined);
    if (!info?.isDirectory())
      throw new Error(
        `viewer directory ${viewerDist} does not exist (build it with: pnpm --filter @ocgnet/viewer build)`,
      );
  }
  const host = options.host ?? '127.0.0.1';
  const sessions = new Map<string, Session>();
  const notes = new WeakMap<FastifyRequest, RequestNote>();
  let cspReports = 0;

  const trustProxy =
    options.trustProxy === true
      ? ['loopback']
      : Array.isArray(options.trustProxy)
        ? [...(options.trustProxy as readonly string[])]
        : false;
  const app = Fastify({
    logger: options.logger === true,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy,
    return503OnClosing: true,
  });

  // ---- the audit chain --------------------------------------------------------

  /** The actor access events are written under (the event itself names who). */
  const accessActor: StoreActor = {
    who: 'ocgnet-serve',
    audience: 'police-analyst',
    justification: ACCESS_CONTROL,
    audiences: audiencesSha256,
  };

  // Opened once, at start (a store that cannot open fails here, not on the first request), and closed by close().
  const store =
    options.store === undefined
      ? undefined
      : await ServerStore.open(options.store, accessActor, options.openStore ?? openStore);
  async function withStoreAs<T>(actor: StoreActor, work: (store: Store) => Promise<T>): Promise<T> {
    return store!.use(actor, work);
  }

  // ---- the bundles ------------------------------------------------------------

  // The options a bundle is built with are part of its cache key.
  const buildOptions = {
    ...(options.analysis !== undefined ? { analysis: options.analysis } : {}),
    ...(options.projection !== undefined ? { projection: options.projection } : {}),
  };
  const layoutOptions = options.layout ?? {};
  const bundleFolder =
    options.store === undefined || options.bundleCache === false
      ? undefined
      : (options.bundleCache ?? defaultBundleFolder(options.store));
  const bundles = new BundleCache({
    ...(bundleFolder !== undefined ? { folder: bundleFolder } : {}),
    maxEntries: BUNDLE_CACHE_ENTRIES,
    onDiskError: (error) => app.log.warn({ err: error }, 'bundle cache file not used'),
  });
  const profileContexts = new ProfileContexts(PROFILE_CONTEXT_ENTRIES);
  /** `options.bundle`'s text in each form, made on first request. */
  const fixedBundleText: Partial<Record<keyof typeof BUNDLE_MEDIA_TYPES, string>> = {};
  // Many requests at once hash the store once or twice (the hash reads every record).
  const currentContentHash = coalesce(() => withStoreAs(accessActor, (store) => store.contentHash()));

  /**
   * Builds an audience's bundle from the records that audience may see, and nothing else (the
   * read is audited under `store`'s actor), with its layout and its compact form.
   */
  async function buildAudienceBundle(store: Store, audience: Audience, contentHash: string): Promise<BuiltBundle> {
    const visible = await store.records({}, { disclose: (selected) => recordsForAudience(selected, audience) });
    // A town's records get the full bundle; a region's (over 20,000 persons) the large-path one.
    const bundle = await buildViewerBundleAtScale(visible, { audience, ...buildOptions });
    bundle.layout = layoutBundle(bundle, layoutOptions);
    const json = toJson(bundle);
    return {
      json,
      encoded: { compact: JSON.stringify(encodeCompactBundle(JSON.parse(json) as ViewerBundle)) },
      meta: { received_entities: visible.entities.length, received_links: visible.links.length },
      // Kept only if nothing changed while we read and built.
      keep: (await currentContentHash()) === contentHash,
    };
  }

  /** The audience's bundle for the store as it is now: cached, or built from what the audience may see. */
  async function audienceBundle(
    audience: Audience,
    store: Store,
  ): Promise<{ contentHash: string; entry: CachedBundle; source: CacheSource }> {
    const contentHash = await currentContentHash();
    const key = bundleKey({ contentHash, audience, options: { ...buildOptions, layout: layoutOptions } });
    const found = await bundles.get(key, () => buildAudienceBundle(store, audience, contentHash));
    return { contentHash, ...found };
  }

  /** The records an audience may see and their analysis, for its profiles: read and analysed once per store content. */
  async function profileContextOf(audience: Audience, store: Store): Promise<ProfileContext> {
    const contentHash = await currentContentHash();
    return profileContexts.get(`${audience.id}\u0000${contentHash}`, () =>
      store.records({}, { disclose: (selected) => recordsForAudience(selected, audience) }),
    );
  }

  /**
   * Builds (or finds) every configured audience's bundle, and the analysis its profiles use, one
   * audience at a time, under the server's own actor.
   */
  async function warm(onProgress?: (done: number, total: number, audience: string) => void): Promise<void> {
    const ids = [...new Set(options.users.users.map((user) => user.audience))].sort();
    for (const [done, id] of ids.entries()) {
      onProgress?.(done, ids.length, id);
      const audience = audiences.audiences.find((candidate) => candidate.id === id)!;
      await withStoreAs({ ...accessActor, audience: id, justification: 'warming the bundle cache' }, async (store) => {
        await audienceBundle(audience, store);
        await profileContextOf(audience, store);
      });
    }
    onProgress?.(ids.length, ids.length, '');
  }

  const appendAccessEvent = async (event: AuditEvent): Promise<void> => {
    await withStoreAs(accessActor, (store) => store.appendAudit(event));
  };

  // `ocgnet view` of a file has no store: nothing to audit into.
  const accessAudit =
    options.store === undefined
      ? undefined
      : new AccessAudit({
          write: appendAccessEvent,
          onError: (error) => app.log.error({ err: error }, 'access audit event not written'),
          audiences: audiencesSha256,
          ...options.accessAudit,
        });

  /** Who the audit names for a user: the user, or for `ocgnet view` the CLI's actor. */
  function auditedUser(user: ServerUser): { who: string; audience: string; justification: string } {
    return {
      who: options.auditAs?.who ?? user.name,
      audience: user.audience.id,
      justification: options.auditAs?.justification ?? user.justification,
    };
  }

  /** The store's actor for a session: the user, with their own reason from the login, on every store event. */
  function actorOf(session: Session): StoreActor {
    return {
      ...auditedUser(session.user),
      ...(session.reason !== undefined ? { reason: session.reason } : {}),
      audiences: audiencesSha256,
    };
  }

  function withUserStore<T>(session: Session, work: (store: Store) => Promise<T>): Promise<T> {
    return withStoreAs(actorOf(session), work);
  }

  function auditEvent(
    session: Session,
    action: 'consult' | 'profile' | 'login' | 'logout',
    subject: string,
    format: string | undefined,
    detail?: AuditEvent['detail'],
  ): AuditEvent {
    const event: AuditEvent = {
      action,
      ...auditedUser(session.user),
      at: new Date().toISOString(),
      subject,
      outcome: 'ok',
      recipients: [],
      audiences: audiencesSha256,
    };
    if (session.reason !== undefined) event.reason = session.reason;
    if (format !== undefined) event.format = format;
    if (detail !== undefined) event.detail = detail;
    return event;
  }

  function noteOf(request: FastifyRequest): RequestNote {
    let note = notes.get(request);
    if (note === undefined) notes.set(request, (note = {}));
    return note;
  }

  // Helmet's own CSP writer joins directives with ';' and no space; ours is sent verbatim, on every response.
  await app.register(fastifyHelmet, { contentSecurityPolicy: false });
  app.addHook('onRequest', async (request, reply) => {
    reply.header(
      'content-security-policy',
      request.url === '/api/profile' || request.url.startsWith('/api/profile?')
        ? PROFILE_ERROR_CSP
        : CONTENT_SECURITY_POLICY,
    );
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });

  app.setErrorHandler((error: { statusCode?: number; message?: string }, request, reply) => {
    const status =
      typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600
        ? error.statusCode
        : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply
      .code(status)
      .type('application/json')
      .send({ error: status >= 500 ? 'internal error' : (STATUS_MESSAGES[status] ?? 'request refused') });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('application/json').send({ error: 'not found' }));

  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/api/')) return payload;
    // Sensitive answers are never cached by the browser or a proxy.
    reply.header('cache-control', 'no-store');
    // Every refusal leaves an event (counted, past the access audit's budget); a failed login has its own.
    const note = notes.get(request);
    if (accessAudit !== undefined && REFUSED_STATUSES.has(reply.statusCode) && note?.audited !== true) {
      // A refusal the handlers explained (cause) already knows whether its credentials were good; a rate-limited one is looked up.
      const user = note?.user ?? (note?.cause === undefined ? identify(request) : undefined);
      await accessAudit.record({
        action: 'refused',
        ...(user !== undefined ? auditedUser(user) : { who: UNKNOWN_USER, audience: NO_AUDIENCE }),
        justification: ACCESS_CONTROL,
        route: request.routeOptions.url ?? '(no route)',
        status: reply.statusCode,
        cause:
          note?.cause ??
          (reply.statusCode === 429 ? 'rate-limited' : reply.statusCode === 401 ? 'no-credentials' : 'forbidden'),
        address: addressKey(request.ip),
      });
    }
    return payload;
  });

  // CSP reports: browsers send application/csp-report (report-uri) or application/reports+json (Reporting API).
  app.addContentTypeParser(
    ['application/csp-report', 'application/reports+json'],
    { parseAs: 'string' },
    (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string) as unknown);
      } catch {
        done(null, undefined);
      }
    },
  );

  // ---- authentication -------------------------------------------------------

  function liveSession(id: unknown, touch: boolean): Session | undefined {
    if (typeof id !== 'string' || id.length === 0) return undefined;
    const session = sessions.get(id);
    if (session === undefined) return undefined;
    const now = Date.now();
    if (now - session.seen > SESSION_IDLE_MS || now - session.created > SESSION_MAX_MS) {
      sessions.delete(id);
      return undefined;
    }
    if (touch) session.seen = now;
    return session;
  }

  function bearerUser(request: FastifyRequest): ServerUser | undefined {
    const header = request.headers.authorization;
    if (typeof header !== 'string') return undefined;
    const match = /^Bearer +([A-Za-z0-9._~+/=-]{1,512})$/.exec(header);
    return match === null ? undefined : directory.byToken(match[1]);
  }

  function bearerOf(request: FastifyRequest): Session | undefined {
    const user = bearerUser(request);
    if (user === undefined) return undefined;
    const now = Date.now();
    return { user, created: now, seen: now };
  }

  /** The user a refused request came from, if its credentials are good (for the audit only: nothing is granted). */
  function identify(request: FastifyRequest): ServerUser | undefined {
    return request.headers.authorization !== undefined
      ? bearerUser(request)
      : liveSession(request.cookies[SESSION_COOKIE], false)?.user;
  }

  // Failed authentication, counted per client address on every route, and per claimed user and address at login.
  const authFailures: Limiter = app.createRateLimit({
    max: options.authFailureLimit ?? 10,
    timeWindow: MINUTE_MS,
    keyGenerator: (request) => addressKey(request.ip),
  });
  const loginFailures: Limiter = app.createRateLimit({
    max: options.loginFailureLimit ?? 5,
    timeWindow: MINUTE_MS,
    keyGenerator: (request) => loginKey(request),
  });

  /** The login limit's key: the client address and the claimed user if the config holds them (one key for every unknown name). */
  function loginKey(request: FastifyRequest): string {
    const body = isRecord(request.body) ? request.body : {};
    return `${addressKey(request.ip)}\u0000${directory.byName(body.user)?.name ?? UNKNOWN_USER}`;
  }

  /** Seconds until the limit lifts when `limit` has no failure left for this request's key; undefined otherwise. */
  async function lockedFor(limit: Limiter, request: FastifyRequest): Promise<number | undefined> {
    const state = await limit(request, { increment: false });
    return !state.isAllowed && state.remaining === 0 ? Math.max(1, state.ttlInSeconds) : undefined;
  }

  function tooMany(reply: FastifyReply, seconds: number): FastifyReply {
    return reply
      .code(429)
      .header('retry-after', String(seconds))
      .type('application/json')
      .send({ error: STATUS_MESSAGES[429] });
  }

  /**
   * The caller, or undefined after sending 401 or 429. A bad bearer token is refused even alongside
   * a good cookie. Presented credentials that fail count against the client address; past the
   * limit, credentials from that address are not even checked.
   */
  async function caller(request: FastifyRequest, reply: FastifyReply): Promise<Session | undefined> {
    const bearer = request.headers.authorization !== undefined;
    const cookie = request.cookies[SESSION_COOKIE];
    const note = noteOf(request);
    if (!bearer && (typeof cookie !== 'string' || cookie === '')) {
      note.cause = 'no-credentials';
      void reply.code(401).type('application/json').send({ error: UNAUTHORISED });
      return undefined;
    }
    const locked = await lockedFor(authFailures, request);
    if (locked !== undefined) {
      note.cause = 'auth-failures';
      void tooMany(reply, locked);
      return undefined;
    }
    const found = bearer ? bearerOf(request) : liveSession(cookie, true);
    if (found === undefined) {
      await authFailures(request);
      note.cause = bearer ? 'bad-bearer-token' : 'unknown-session';
      void reply.code(401).type('application/json').send({ error: UNAUTHORISED });
      return undefined;
    }
    note.user = found.user;
    return found;
  }

  // ---- routes ---------------------------------------------------------------

  // Every attempt, failed or not, also counts towards a looser cap per claimed user and address (sessions are a finite pool).
  const loginAttempts = { max: 30, timeWindow: '1 minute', hook: 'preHandler' as const, keyGenerator: loginKey };

  app.post('/api/login', { config: { rateLimit: loginAttempts } }, async (request, reply) => {
    const body = isRecord(request.body) ? request.body : {};
    const claimed = directory.byName(body.user);
    const note = noteOf(request);
    if (claimed !== undefined) note.user = claimed;
    const given = reasonOf(body);
    if (given.error !== undefined) return reply.code(400).send({ error: given.error });
    const locked = await lockedFor(loginFailures, request);
    if (locked !== undefined) {
      note.cause = 'login-failures';
      return tooMany(reply, locked);
    }
    const address = addressKey(request.ip);
    const user = directory.login(body.user, body.token);
    if (user === undefined) {
      await loginFailures(request);
      note.audited = true;
      await accessAudit?.record({
        action: 'login-failed',
        ...(claimed !== undefined ? auditedUser(claimed) : { who: UNKNOWN_USER, audience: NO_AUDIENCE }),
        justification: ACCESS_CONTROL,
        route: '/api/login',
        status: 401,
        cause: claimed !== undefined ? 'wrong-token' : 'unknown-user',
        address,
      });
      return reply.code(401).send({ error: LOGIN_FAILED });
    }
    if (sessions.size >= MAX_SESSIONS) {
      const now = Date.now();
      for (const [id, session] of sessions)
        if (now - session.seen > SESSION_IDLE_MS || now - session.created > SESSION_MAX_MS) sessions.delete(id);
      if (sessions.size >= MAX_SESSIONS) return reply.code(503).send({ error: 'too many sessions' });
    }
    const now = Date.now();
    const session: Session = { user, created: now, seen: now };
    if (given.reason !== undefined) session.reason = given.reason;
    // No audit event, no session.
    if (options.store !== undefined)
      await appendAccessEvent(auditEvent(session, 'login', '/api/login', undefined, { address }));
    const id = randomBytes(32).toString('base64url');
    sessions.set(id, session);
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
    const session = typeof id === 'string' ? liveSession(id, false) : undefined;
    // Audited like the login it ends; the session goes whatever the audit says.
    if (session !== undefined && options.store !== undefined) {
      await appendAccessEvent(
        auditEvent(session, 'logout', '/api/logout', undefined, { address: addressKey(request.ip) }),
      ).finally(() => sessions.delete(id!));
    }
    if (typeof id === 'string') sessions.delete(id);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/me', async (request, reply) => {
    const session = await caller(request, reply);
    if (session === undefined) return reply;
    // profiles: whether this server can make partnership profiles; audited: whether it records consultations. Both need a store.
    const stored = options.store !== undefined;
    return reply.send({
      user: session.user.name,
      audience: session.user.audience.id,
      profiles: stored,
      audited: stored,
    });
  });

  /** The format asked for: `?format=compact` or an Accept of the compact type; JSON otherwise (old clients). */
  function bundleFormatOf(request: FastifyRequest): BundleFormat | undefined {
    const query = (request.query ?? {}) as Record<string, unknown>;
    if (query.format === 'compact') return 'compact';
    if (query.format !== undefined && query.format !== 'json') return undefined;
    if (query.format === undefined && (request.headers.accept ?? '').includes(COMPACT_BUNDLE_MEDIA_TYPE))
      return 'compact';
    return 'json';
  }

  app.get('/api/bundle', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (request, reply) => {
    const session = await caller(request, reply);
    if (session === undefined) return reply;
    const format = bundleFormatOf(request);
    if (format === undefined) return reply.code(400).send({ error: 'format must be json or compact' });
    if (options.bundle !== undefined) {
      // Encoded once: a large-path bundle takes seconds to encode.
      fixedBundleText[format] ??= toJson(format === 'compact' ? encodeCompactBundle(options.bundle) : options.bundle);
      return reply.type(BUNDLE_MEDIA_TYPES[format]).send(fixedBundleText[format]);
    }
    const user = session.user;
    const answer = await withUserStore(session, async (store) => {
      const { contentHash, entry, source } = await audienceBundle(user.audience, store);
      // What this user received (the bundle carries every record its audience may see), not what the store holds.
      await store.appendAudit(
        auditEvent(session, 'consult', '*', format, {
          cached: source === 'memory' || source === 'disk',
          cache: source,
          content_hash: contentHash,
          ...entry.meta,
        }),
      );
      return entry.bodies.get(format)!;
    });
    const encoding = chooseEncoding(request.headers['accept-encoding']);
    void reply.type(BUNDLE_MEDIA_TYPES[format]).header('vary', 'accept-encoding');
    if (encoding === 'identity') return reply.send(await decompressGzip(answer.gzip));
    return reply.header('content-encoding', encoding).send(encoding === 'br' ? answer.br : answer.gzip);
  });

  app.get('/api/profile', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (request, reply) => {
    const session = await caller(request, reply);
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
      // The profile is computed from these records only: all its audience may see (the read, when one is needed, records that).
      const { visible, analysed } = await profileContextOf(audience, store);
      let text: string;
      try {
        text = renderProfile(
          buildProfile({
            records: visible,
            analysed,
            audience,
            audiences,
            subject,
            createdAt: new Date().toISOString(),
          }),
          format,
        );
      } catch (error) {
        if (error instanceof ProfileError) return undefined;
        throw error;
      }
      await store.appendAudit(
        auditEvent(session, 'profile', subject, format, {
          visible_entities: visible.entities.length,
          visible_links: visible.links.length,
        }),
      );
      return text;
    });
    if (result === undefined) return reply.code(404).send({ error: NOT_VISIBLE });
    if (format === 'json') return reply.type('application/json').send(result);
    reply.header('content-security-policy', profileHtmlCsp(result));
    reply.header('x-frame-options', 'SAMEORIGIN');
    return reply.type('text/html; charset=utf-8').send(result);
  });

  // The viewer reports each ego or path view the user asks for; the server records it (204) before the viewer shows it.
  app.post(
    '/api/consultation',
    { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const session = await caller(request, reply);
      if (session === undefined) return reply;
      const parsed = ConsultationSchema.safeParse(request.body);
      if (!parsed.success)
        return reply
          .code(400)
          .send({ error: 'a consultation is {view: "ego", node, kind?, radius: 1-3} or {view: "path", from, to}' });
      if (options.store === undefined)
        return reply.code(404).send({ error: 'no store here: consultations are not audited' });
      const view = parsed.data;
      const [subject, detail]: [string, NonNullable<AuditEvent['detail']>] =
        view.view === 'ego'
          ? [view.node, { view: 'ego', radius: view.radius, ...(view.kind !== undefined ? { kind: view.kind } : {}) }]
          : [view.from, { view: 'path', to: view.to }];
      await withUserStore(session, (store) =>
        store.appendAudit(auditEvent(session, 'consult', subject, 'screen', detail)),
      );
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/csp-report',
    { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const body = request.body;
      if (Array.isArray(body))
        cspReports += body.filter((report) => typeof report === 'object' && report !== null).length;
      else if (typeof body === 'object' && body !== null) cspReports += 1;
      return reply.code(204).send();
    },
  );

  // ---- the viewer -----------------------------------------------------------

  if (viewerDist !== undefined) {
    await app.register(fastifyStatic, {
      root: viewerDist,
      prefix: '/',
      index: 'index.html',
      dotfiles: 'deny',
      wildcard: true,
    });
  } else {
    app.get('/', async (_request, reply) =>
      reply.code(404).send({ error: 'no viewer here: start the server with --viewer <dist dir>' }),
    );
  }

  let address: string;
  try {
    address = await app.listen({ host, port: options.port ?? 8080 });
  } catch (error) {
    await store?.close();
    throw error;
  }
  const port = new URL(address).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    app,
    url,
    get cspReports() {
      return cspReports;
    },
    flushAccessAudit: async () => accessAudit?.flush(),
    warm: async (onProgress) => (options.store === undefined ? undefined : warm(onProgress)),
    get bundleBuilds() {
      return bundles.builds;
    },
    bundleCacheFolder: bundleFolder,
    close: async () => {
      sessions.clear();
      bundles.clear();
      profileContexts.clear();
      await app.close();
      await accessAudit?.close();
      await store?.close();
    },
  };
}
