/**
 * `ocgnet serve`: the viewer and the authenticated, audited HTTP API over a
 * store (see packages/server/README.md); `ocgnet serve token`: a new token
 * and its hash for the users config; `ocgnet view`: the viewer on one local
 * file or store, on 127.0.0.1, behind a random token printed in the URL. A
 * store is served as `ocgnet serve` serves it, to one user whose every event
 * (login, bundle, profile, ego and path view) is audited in the store under
 * the CLI's actor (--who, $OCGNET_USER or the login name).
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Graph from 'graphology';
import type { AnalysisReport } from '@ocgnet/analysis';
import { parseViewerBundle, VIEWER_BUNDLE_FORMAT, type ViewerBundle } from '@ocgnet/bundle';
import { buildResearchViewerBundle, buildViewerBundle } from '@ocgnet/bundle/build';
import { audienceById, defaultAudiences } from '@ocgnet/profiles';
import { isServerLocation, openStore, type StoreActor } from '@ocgnet/store';
import { createServer, loadUsersConfig, newToken, UsersConfigError, type RunningServer } from '@ocgnet/server';
import { addAudiencesFlag, audiencesInForce } from '../audiences.js';
import { EXIT, UsageError } from '../errors.js';
import { isStoreLocation, loadInputs } from '../load.js';
import type { CliIo } from '../io.js';
import type { Command } from 'commander';
import { startProgress, type ProgressOptions } from '../progress.js';
import { givenFlags, type CommandContext } from '../command.js';
import { actorFromFlags, addActorFlags, type ActorFlags } from '../storeAccess.js';

/** apps/viewer/dist of this checkout, when it has been built. */
export function defaultViewerDist(): string | undefined {
  const dist = fileURLToPath(new URL('../../../../apps/viewer/dist', import.meta.url));
  try {
    return statSync(join(dist, 'index.html')).isFile() ? dist : undefined;
  } catch {
    return undefined;
  }
}

function parsePort(text: string | number | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be an integer from 0 to 65535, not ${JSON.stringify(String(text))}`);
  return port;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Resolves when the process is asked to stop (SIGINT or SIGTERM). */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

/** Checks the store opens (and is one) before taking requests; a read-only open writes nothing. */
async function checkStoreOpens(location: string, actor: StoreActor): Promise<void> {
  const probe = await openStore(location, actor, { readonly: !isServerLocation(location) });
  await probe.close();
}

async function serveUntil(server: RunningServer, io: CliIo, until: Promise<unknown>): Promise<number> {
  const reason = await until;
  io.stderr.write(`ocgnet: ${typeof reason === 'string' ? `${reason}: ` : ''}stopping the server\n`);
  await server.close();
  return EXIT.ok;
}

export interface ServeCommandOptions {
  store: string;
  users: string;
  host?: string;
  port?: string | number;
  viewer?: string;
  /** Log each request (method, URL, status) on stderr. */
  log?: boolean;
  /**
   * Behind a reverse proxy: client addresses from X-Forwarded-For as set by the proxy, Secure cookie.
   * `true`: a proxy on this machine (loopback); a string: the proxies' addresses or CIDRs, comma-separated.
   */
  behindProxy?: boolean | string;
  /** The force's audiences file; default the shipped one. */
  audiences?: string;
  /** Where finished bundles are kept on disk; `false`: memory only. Default beside the store. */
  bundleCache?: string | false;
  /** Build every configured audience's bundle in the background once listening, with a progress bar. */
  warm?: boolean;
  /** Hide the warming progress bar. */
  quiet?: boolean;
  /** Tests: stop when this settles instead of on SIGINT/SIGTERM. */
  until?: Promise<unknown>;
  /** Tests: called once the server listens. */
  onListening?: (server: RunningServer) => void;
}

/** Builds every audience's bundle in the background, with a progress bar on stderr; a failure is reported, not fatal. */
function warmInBackground(server: RunningServer, io: CliIo, quiet: boolean): void {
  const progress = startProgress('warming bundles', 1, 'audiences', { quiet, stream: io.stderr });
  const started = Date.now();
  let grown = false;
  server
    .warm((done, total, audience) => {
      if (!grown) progress.grow(total - 1);
      grown = true;
      progress.update(done, audience);
    })
    .then(
      () => {
        progress.stop();
        io.stdout.write(
          `ocgnet: bundles and profile analyses ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
        );
      },
      (error: unknown) => {
        progress.stop();
        io.stderr.write(
          `ocgnet: warming the bundle cache failed (${error instanceof Error ? error.message : String(error)}); bundles are built on first request\n`,
        );
      },
    );
}

/** `ocgnet serve --store S --users users.json [--host] [--port] [--viewer]`. */
export async function runServe(options: ServeCommandOptions, io: CliIo): Promise<number> {
  const host = options.host ?? '127.0.0.1';
  const port = parsePort(options.port, 8080);
  if (!isServerLocation(options.store) && !existsSync(options.store)) {
    throw new UsageError(
      `no store at ${options.store} (create one with: ocgnet import <files> --store ${options.store})`,
    );
  }
  const audiences = await audiencesInForce(options.audiences);
  let users;
  try {
    users = await loadUsersConfig(options.users, audiences.config);
  } catch (error) {
    if (error instanceof UsersConfigError) throw new UsageError(`${options.users}: ${error.userMessage}`);
    throw error;
  }
  await checkStoreOpens(options.store, {
    who: 'ocgnet-serve',
    audience: 'police-analyst',
    justification: 'server start-up check',
    audiences: audiences.sha256,
  });
  const proxies =
    typeof options.behindProxy === 'string'
      ? options.behindProxy
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean)
      : [];
  if (typeof options.behindProxy === 'string' && proxies.length === 0)
    throw new UsageError(
      '--behind-proxy takes the proxy addresses, comma-separated (or nothing, for a proxy on this machine)',
    );
  const viewerDist = options.viewer ?? defaultViewerDist();
  if (viewerDist === undefined)
    io.stderr.write(
      'ocgnet: no viewer found (build it with: pnpm --filter @ocgnet/viewer build, or give --viewer <dist>); serving the API only\n',
    );
  if (!LOOPBACK.has(host))
    io.stderr.write(
      `ocgnet: listening on ${host}, beyond this machine. There is no TLS here: put a TLS reverse proxy in front.\n`,
    );
  const server = await createServer({
    store: options.store,
    users,
    audiences: audiences.config,
    ...(viewerDist !== undefined ? { viewerDist } : {}),
    host,
    port,
    logger: options.log === true,
    trustProxy: proxies.length > 0 ? proxies : options.behindProxy === true,
    secureCookie: options.behindProxy !== undefined && options.behindProxy !== false,
    ...(options.bundleCache !== undefined ? { bundleCache: options.bundleCache } : {}),
  });
  io.stdout.write(
    `ocgnet: serving ${options.store} for ${users.users.length} user(s) at ${server.url}/ (Ctrl-C to stop); audiences ${audiences.source} (sha256 ${audiences.sha256.slice(0, 12)}); bundles kept ${server.bundleCacheFolder === undefined ? 'in memory only' : `in ${server.bundleCacheFolder}`}\n`,
  );
  if (options.warm === true) warmInBackground(server, io, options.quiet === true);
  options.onListening?.(server);
  return serveUntil(server, io, options.until ?? untilSignal());
}

/** `ocgnet serve token`: a new token, and the hash that goes into the users config. */
export async function runServeToken(options: { json?: boolean }, io: CliIo): Promise<number> {
  const { token, token_sha256 } = newToken();
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ token, token_sha256 })}\n`);
    return EXIT.ok;
  }
  io.stdout.write(`token:        ${token}\ntoken_sha256: ${token_sha256}\n`);
  io.stderr.write(
    'Give the token to its user once, over a secure channel. Put only token_sha256 in the users config.\n',
  );
  return EXIT.ok;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An `ocgnet analyse --out` folder without bundle.json (a research network's, or one written
 * before analyse wrote bundles): its graph.json rebuilt by the one bundle builder, attribute by
 * attribute, with the analysis the folder already holds.
 */
async function bundleOfAnalysisFolder(dir: string): Promise<ViewerBundle> {
  const analysis = JSON.parse(await readFile(join(dir, 'analysis.json'), 'utf8')) as AnalysisReport & {
    manifest?: unknown;
  };
  const exported = JSON.parse(await readFile(join(dir, 'graph.json'), 'utf8')) as unknown;
  if (
    !isObject(analysis) ||
    !Array.isArray(analysis.nodes) ||
    !isObject(exported) ||
    !Array.isArray(exported.nodes) ||
    !Array.isArray(exported.edges)
  ) {
    throw new UsageError(`${dir}: not an analysis bundle (analysis.json, graph.json)`);
  }
  let graph: Graph;
  try {
    graph = Graph.from(exported as Parameters<typeof Graph.from>[0]);
  } catch (error) {
    throw new UsageError(
      `${dir}/graph.json: not a graph export (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const { manifest, ...report } = analysis;
  const bundle = buildResearchViewerBundle(graph, {
    computed: report,
    audience: 'police-analyst',
    ...(manifest !== undefined ? { manifest } : {}),
  });
  return parseViewerBundle(JSON.parse(JSON.stringify(bundle)));
}

/** Whatever `ocgnet view` is pointed at, as a viewer bundle. */
export async function viewerBundleOf(input: string, progress: ProgressOptions): Promise<ViewerBundle> {
  const info = await stat(input);
  if (info.isDirectory()) {
    const names = new Set(await readdir(input));
    // bundle.json, when analyse wrote one (records), is the folder's full bundle: network and plans included.
    if (names.has('bundle.json')) return viewerBundleOf(join(input, 'bundle.json'), progress);
    if (names.has('analysis.json') && names.has('graph.json')) return bundleOfAnalysisFolder(input);
  } else if (extname(input).toLowerCase() === '.json') {
    const value: unknown = JSON.parse(await readFile(input, 'utf8'));
    if (isObject(value) && value.format === VIEWER_BUNDLE_FORMAT) return parseViewerBundle(value);
  }
  const loaded = await loadInputs([input], { ...progress, skipInvalid: false });
  if (loaded.model === 'research') return buildResearchViewerBundle(loaded.graph);
  // The user's own records file: shown as it is, to its holder.
  return buildViewerBundle(loaded.records, { audience: audienceById(defaultAudiences(), 'police-analyst') });
}

export interface ViewCommandOptions extends ProgressOptions, ActorFlags {
  port?: string | number;
  viewer?: string;
  until?: Promise<unknown>;
  onListening?: (server: RunningServer, url: string) => void;
}

/**
 * `ocgnet view <analysis folder | .gexf | .graphml | bundle.json | records | store>`: the viewer on
 * one input, on 127.0.0.1. A store is served live and audited there, every event by the CLI's actor.
 */
export async function runView(input: string, options: ViewCommandOptions, io: CliIo): Promise<number> {
  const port = parsePort(options.port, 0);
  const viewerDist = options.viewer ?? defaultViewerDist();
  if (viewerDist === undefined)
    throw new UsageError(
      'no viewer found: build it with `pnpm --filter @ocgnet/viewer build`, or give --viewer <dist dir>',
    );
  const { token, token_sha256 } = newToken();
  const common = { viewerDist, host: '127.0.0.1', port };
  let server: RunningServer;
  let note: string;
  if (await isStoreLocation(input)) {
    const actor = actorFromFlags(options);
    await checkStoreOpens(input, actor);
    // The session's user is "local" (the name in the URL); the audit names the CLI's actor instead.
    const local = { name: 'local', audience: actor.audience, token_sha256, justification: 'ocgnet view of a store' };
    server = await createServer({
      ...common,
      store: input,
      users: { users: [local] },
      auditAs: { who: actor.who, justification: actor.justification },
    });
    note = `every consultation is audited in the store, by ${actor.who}`;
  } else {
    const bundle = await viewerBundleOf(input, options);
    const audiences = defaultAudiences();
    const audience = audiences.audiences.some((entry) => entry.id === bundle.audience)
      ? bundle.audience
      : 'police-analyst';
    server = await createServer({
      ...common,
      bundle,
      users: {
        users: [{ name: 'local', audience, token_sha256, justification: `ocgnet view ${input}`.slice(0, 500) }],
      },
    });
    note = 'a file, not audited';
  }
  // The token travels in the fragment, which browsers never send to a server or put in a Referer.
  const url = `${server.url}/#token=${token}`;
  io.stdout.write(
    `ocgnet: viewing ${input} at\n  ${url}\n(this machine only; ${note}; the token lasts until the server stops; Ctrl-C to stop)\n`,
  );
  options.onListening?.(server, url);
  return serveUntil(server, io, options.until ?? untilSignal());
}

interface ServeFlags {
  store?: string;
  users?: string;
  host: string;
  port: string;
  viewer?: string;
  log?: boolean;
  behindProxy?: boolean | string;
  audiences?: string;
  warm?: boolean;
  /** `--bundle-cache <dir>`; false from `--no-bundle-cache`; commander's true when neither is given. */
  bundleCache?: string | boolean;
}

/** `ocgnet serve --store <store> --users <file>`, and `ocgnet serve token`. */
export function registerServe(program: Command, { io, action, progressOf }: CommandContext): void {
  const serve = addAudiencesFlag(
    program
      .command('serve')
      .description(
        'serve the viewer and an authenticated, audited HTTP API over a store (binds to 127.0.0.1; no TLS: put a reverse proxy in front)',
      )
      .option('--store <store>', 'the store: a file path (embedded) or neo4j://host:port')
      .option('--users <file>', 'users config: {"users":[{name, audience, token_sha256, justification}]}')
      .option('--host <host>', 'address to bind', '127.0.0.1')
      .option('--port <n>', 'port (0: any free port)', '8080')
      .option('--viewer <dir>', 'the built viewer (default: apps/viewer/dist when built)')
      .option('--log', 'log each request on stderr')
      .option(
        '--behind-proxy [proxies]',
        "behind a TLS reverse proxy: client addresses from the X-Forwarded-For it sets, Secure cookie; give the proxies' addresses or CIDRs (comma-separated) unless it runs on this machine",
      )
      .option('--warm', "build every configured audience's bundle in the background at start (progress on stderr)")
      .option(
        '--bundle-cache <dir>',
        'where finished bundles are kept (0700 folder; default <store>.bundles beside an embedded store, the user cache folder for Neo4j)',
      )
      .option('--no-bundle-cache', 'keep finished bundles in memory only'),
  ).action(
    action(async (options: ServeFlags, command: Command) => {
      if (options.store === undefined || options.users === undefined)
        throw new UsageError('ocgnet serve needs --store and --users (or: ocgnet serve token)');
      const { store, users, host, port } = options;
      return runServe(
        {
          store,
          users,
          host,
          port,
          log: Boolean(options.log),
          warm: Boolean(options.warm),
          quiet: progressOf(command).quiet,
          ...givenFlags({
            behindProxy: options.behindProxy,
            viewer: options.viewer,
            audiences: options.audiences,
            bundleCache: options.bundleCache === true ? undefined : options.bundleCache,
          }),
        },
        io,
      );
    }),
  );
  serve
    .command('token')
    .description('print a new token (give it to its user) and its sha256 (for the users config)')
    .option('--json', 'print {token, token_sha256}')
    .action(action(async (options: { json?: boolean }) => runServeToken({ json: Boolean(options.json) }, io)));
}

/** `ocgnet view <input>`. */
export function registerView(program: Command, { io, action, progressOf }: CommandContext): void {
  addActorFlags(
    program
      .command('view')
      .description(
        'open one input in the viewer: an analysis folder, .gexf, .graphml, bundle.json, records, or a store, whose every consultation is audited there (127.0.0.1, random token in the URL)',
      )
      .argument('<input>', 'file, folder, store file or neo4j:// URI')
      .option('--port <n>', 'port (default: any free port)', '0')
      .option('--viewer <dir>', 'the built viewer (default: apps/viewer/dist when built)'),
  ).action(
    action(async (input: string, options: { port: string; viewer?: string } & ActorFlags, command: Command) =>
      runView(
        input,
        {
          port: options.port,
          ...givenFlags({ viewer: options.viewer, who: options.who, justification: options.justification }),
          ...progressOf(command),
        },
        io,
      ),
    ),
  );
}
