/**
 * Fixtures for the viewer's browser tests: build the viewer once, serve
 * apps/viewer/dist with the served CSP (plus a report-uri that counts
 * violations), make bundles, and compute in Node, independently of the
 * viewer, the figures the tests compare with what the page shows.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import Graph from 'graphology';
import type { Page } from 'playwright-core';
import { analyseRecords } from '@ocgnet/analysis';
import { buildViewerBundle } from '@ocgnet/bundle/build';
import { audienceById, defaultAudiences, recordsForAudience } from '@ocgnet/profiles';
import {
  generatedRecords,
  makeBundle,
  readRecordFolder,
  type ViewerBundle,
} from '../../apps/viewer/scripts/make-bundle.js';

export type { ViewerBundle };

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const VIEWER = join(REPO_ROOT, 'apps', 'viewer');
export const DIST = join(VIEWER, 'dist');
export const ARTEFACTS = join(REPO_ROOT, 'test', 'artefacts');

/** The CSP `ocgnet serve` sends, with a report-uri this test server counts. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; report-uri /api/csp-report";

function newestMtime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const name of readdirSync(path))
    if (name !== 'node_modules' && name !== 'dist') newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/**
 * Builds the viewer unless dist/ is newer than its sources, and than the
 * workspace packages it bundles (a stale bundle parser would refuse what the
 * current server sends).
 */
export function ensureViewerBuilt(): void {
  const index = join(DIST, 'index.html');
  const packages = join(REPO_ROOT, 'packages');
  const bundled = readdirSync(packages)
    .map((name) => join(packages, name, 'src'))
    .filter((path) => existsSync(path));
  const sources = Math.max(
    newestMtime(join(VIEWER, 'src')),
    ...bundled.map(newestMtime),
    ...['index.html', 'vite.config.ts', 'package.json'].map((name) => statSync(join(VIEWER, name)).mtimeMs),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const run = spawnSync('pnpm', ['--filter', '@ocgnet/viewer', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`viewer build failed:\n${run.stdout}\n${run.stderr}`);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface StaticServer {
  url: string;
  /** CSP violation reports received. */
  reports: string[];
  close(): Promise<void>;
}

/** Serves dist/ on 127.0.0.1 with the CSP; /api/* answers 404 except the report endpoint. */
export async function serveViewer(root = DIST): Promise<StaticServer> {
  const reports: string[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    response.setHeader('content-security-policy', CSP);
    response.setHeader('x-content-type-options', 'nosniff');
    if (url.pathname === '/api/csp-report' && request.method === 'POST') {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        reports.push(body);
        response.writeHead(204).end();
      });
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no server here"}');
      return;
    }
    const path = normalize(join(root, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname)));
    if (!path.startsWith(root + sep) || !existsSync(path) || statSync(path).isDirectory()) {
      response.writeHead(404).end('not found');
      return;
    }
    response
      .writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' })
      .end(readFileSync(path));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    reports,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

export async function smallBundle(): Promise<ViewerBundle> {
  return makeBundle(await readRecordFolder(join(REPO_ROOT, 'fixtures', 'small')));
}

/**
 * The small fixture's bundle with one group's planning failing for real: one of its members has
 * no record in the network, which the planner's levers refuse. The other groups keep their plans.
 */
export async function bundleWithPlanFailure(): Promise<ViewerBundle> {
  const audience = audienceById(defaultAudiences(), 'police-analyst');
  const records = recordsForAudience(await readRecordFolder(join(REPO_ROOT, 'fixtures', 'small')), audience);
  const computed = analyseRecords(records);
  const group = Object.keys(computed.mapping.membersOf).sort()[0]!;
  computed.network.removeNodeAttribute(computed.mapping.membersOf[group]![0]!, 'record');
  return buildViewerBundle(records, { audience, computed });
}

/** ~5,000 nominals: one generated medium town (plans left out: they add nothing to frame times). */
export function mediumBundle(): ViewerBundle {
  return makeBundle(generatedRecords('medium', 7), { plans: false });
}

export function writeBundle(bundle: ViewerBundle, folder: string, name: string): string {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(bundle));
  return path;
}

/** The person projection of a bundle as a plain graphology graph. */
export function personGraph(bundle: ViewerBundle): Graph {
  const graph = new Graph({ type: 'undirected' });
  for (const node of bundle.graph.nodes) graph.addNode(node.key, node.attributes);
  for (const edge of bundle.graph.edges)
    if (!graph.hasEdge(edge.source, edge.target)) graph.addEdge(edge.source, edge.target, edge.attributes);
  return graph;
}

/** Components of `graph` without `removed`, by breadth-first search: sizes, largest first. */
export function componentSizes(graph: Graph, removed: ReadonlySet<string> = new Set()): number[] {
  const seen = new Set<string>();
  const sizes: number[] = [];
  graph.forEachNode((start) => {
    if (removed.has(start) || seen.has(start)) return;
    seen.add(start);
    const queue = [start];
    for (let head = 0; head < queue.length; head++) {
      for (const next of graph.neighbors(queue[head]!)) {
        if (removed.has(next) || seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    sizes.push(queue.length);
  });
  return sizes.sort((a, b) => b - a);
}

const DAY = 86_400_000;
function day(date: unknown): number | undefined {
  return typeof date === 'string' ? Math.round(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY) : undefined;
}

/** Person-projection edges whose [firstSeen, lastSeen] overlaps [from, to] (days); undated edges are out. */
export function edgesOverlapping(bundle: ViewerBundle, from: number, to: number): number {
  let count = 0;
  for (const edge of bundle.graph.edges) {
    const start = day(edge.attributes?.firstSeen);
    const end = day(edge.attributes?.lastSeen);
    if (start === undefined && end === undefined) continue;
    if ((start ?? -Infinity) <= to && (end ?? Infinity) >= from) count++;
  }
  return count;
}

/** A varied list of injection payloads. */
export function xssPayloads(): string[] {
  const base = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg onload=alert(1)>',
    '<svg><script>alert(1)</script></svg>',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(document.domain)',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus='",
    '${alert(1)}',
    '`${alert(1)}`',
    '{{constructor.constructor("alert(1)")()}}',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '<body onload=alert(1)>',
    '<details open ontoggle=alert(1)>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '</textarea><script>alert(1)</script>',
    '</title><script>alert(1)</script>',
    '<style>@import "javascript:alert(1)";</style>',
    '<object data="javascript:alert(1)">',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<input onfocus=alert(1) autofocus>',
    '<video><source onerror="alert(1)"></video>',
    '<marquee onstart=alert(1)>',
    '&lt;script&gt;alert(1)&lt;/script&gt;',
    '\u003cscript\u003ealert(1)\u003c/script\u003e',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '--><script>alert(1)</script><!--',
    ']]><script>alert(1)</script>',
    '<x onclick=alert(1)>click',
  ];
  const out: string[] = [];
  for (let i = 0; out.length < 1000; i++) out.push(`${base[i % base.length]} #${i}`);
  return out;
}

/** 1,000 persons (and some locations) whose every string is a payload, with a plan that names them. */
export function xssBundle(): ViewerBundle {
  const payloads = xssPayloads();
  const p = (i: number) => payloads[i % payloads.length]!;
  const marking = (i: number) => ({ handling: i % 3 === 0 ? 'C' : 'P', conditions: i % 3 === 0 ? [p(i + 7)] : [] });
  const metrics = (i: number) => ({
    degree: (i % 7) + 1,
    strength: i % 11,
    betweenness: (i % 13) / 13,
    closeness: 0.3,
    harmonic: 2,
    eigenvector: (i % 5) / 5,
    pagerank: 0.001,
    coreness: i % 4,
    clustering: 0.1,
    constraint: 0.5,
    effectiveSize: 2,
    community: i % 9,
    component: 0,
    articulation: false,
  });
  const nodes = payloads.map((label, i) => ({
    key: `X${i}`,
    attributes: {
      label,
      kind: 'person',
      marking: marking(i),
      vulnerable: i % 17 === 0,
      under_18: i % 29 === 0,
      exploited: false,
      cuckooed: i % 31 === 0,
      safeguarding: i % 17 === 0 || i % 29 === 0 || i % 31 === 0,
      mappedGroup: `G${i % 6} ${p(i + 3)}`,
      mappedRole: p(i + 5),
      likelyRole: p(i + 9),
      ...metrics(i),
    },
  }));
  const edges = [];
  for (let i = 0; i < 1000; i++) {
    for (const j of [i + 1, i + 7]) {
      if (j >= 1000) continue;
      edges.push({
        key: `E${i}-${j}`,
        source: `X${i}`,
        target: `X${j}`,
        attributes: {
          weight: 1,
          channels: [p(i + 11)],
          count: 1,
          firstSeen: '2024-01-01',
          lastSeen: '2024-06-01',
          marking: marking(i),
          linkTypes: [p(i + 13)],
          handling: i % 3 === 0 ? 'C' : 'P',
        },
      });
    }
  }
  const networkNodes: { key: string; attributes: Record<string, unknown> }[] = nodes.map((node) => ({
    key: node.key,
    attributes: {
      kind: 'person',
      label: node.attributes.label,
      marking: node.attributes.marking,
      ...(node.attributes.vulnerable ? { vulnerable: true } : {}),
    },
  }));
  const networkEdges = [];
  for (let i = 0; i < 50; i++) {
    networkNodes.push({
      key: `L${i}`,
      attributes: {
        kind: 'location',
        label: p(i + 17),
        marking: marking(i),
        ...(i % 5 === 0 ? { cuckooed: true } : {}),
      },
    });
    networkEdges.push({
      key: `K${i}`,
      source: `X${i}`,
      target: `L${i}`,
      undirected: false,
      attributes: {
        type: p(i + 19),
        start: '2024-02-01',
        end: '2024-03-01',
        grading: p(i + 21),
        handling: 'P',
        marking: marking(i),
        weight: 1,
      },
    });
  }
  const plan = {
    group: { id: `G0 ${p(1)}`, label: p(2), kind: 'ocg' },
    options: {},
    scope: {
      description: p(3),
      persons: 10,
      associations: 9,
      members: 5,
      candidates: 0,
      associates: 5,
      missing: [],
      fragmentation: 0.2,
      lcc: 8,
      components: 2,
    },
    targets: [0, 1, 2].map((i) => ({
      rank: i + 1,
      person: `X${i}`,
      label: p(i),
      relation: 'member',
      role: 'lieutenant',
      impact: {
        deltaF: 0.1,
        fragmentationBefore: 0.2,
        fragmentationAfter: 0.3,
        deltaDistanceFragmentation: 0,
        lccBefore: 8,
        lccAfter: 6,
        lccChange: -2,
        componentsAfter: 3,
      },
      levers: [
        { id: p(i + 30), partner: p(i + 31), power: p(i + 32), strand: 'pursue', evidence: [], marking: marking(0) },
      ],
    })),
    combined: {
      deltaF: 0.3,
      fragmentationBefore: 0.2,
      fragmentationAfter: 0.5,
      deltaDistanceFragmentation: 0,
      lccBefore: 8,
      lccAfter: 3,
      lccChange: -5,
      componentsAfter: 5,
      targets: ['X0', 'X1', 'X2'],
    },
    withoutLevers: [],
    safeguarding: [
      {
        person: 'X17',
        label: p(17),
        relation: 'associate',
        flags: ['vulnerable'],
        linkedTo: [{ id: 'X0', label: p(0) }],
        levers: [],
      },
    ],
    actionPlan: [],
    marking: marking(0),
  };
  return {
    format: 'ocgnet-viewer-bundle',
    version: 1,
    classification: `OFFICIAL-SENSITIVE ${p(0)}`,
    marking: { handling: 'C', conditions: [p(1), p(2)] },
    audience: p(4),
    graph: { attributes: {}, options: { type: 'undirected', multi: false, allowSelfLoops: false }, nodes, edges },
    network: {
      attributes: {},
      options: { type: 'mixed', multi: true, allowSelfLoops: false },
      nodes: networkNodes,
      edges: networkEdges,
    },
    plans: [plan as unknown as ViewerBundle['plans'][number]],
  };
}

export function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))]!;
}

/** Opens a bundle through the viewer's file picker and waits until Sigma shows its nominals. */
export async function openBundle(page: Page, path: string, persons: number): Promise<void> {
  interface ViewerHooks {
    __ocgnet?: { sigma: unknown; state: { persons?: number } | null };
  }
  await page.locator('[data-testid="open-file"]').setInputFiles(path);
  await page.waitForFunction(
    (expected) => {
      const hooks = (globalThis as unknown as ViewerHooks).__ocgnet;
      return hooks?.state?.persons === expected && hooks.sigma !== null;
    },
    persons,
    { timeout: 120_000 },
  );
}

/**
 * Leaves the community overview (the default above 2,000 persons) for the persons themselves,
 * and waits until sigma draws them.
 */
export async function leaveOverview(page: Page): Promise<void> {
  const overview = () =>
    page.evaluate(
      () =>
        (globalThis as unknown as { __ocgnet: { state: { view: { overview: boolean } } } }).__ocgnet.state.view
          .overview,
    );
  if (await overview()) await page.locator('[data-testid="overview-toggle"]').click();
  await page.waitForFunction(
    () =>
      !(globalThis as unknown as { __ocgnet: { state: { view: { overview: boolean } } } }).__ocgnet.state.view.overview,
  );
  await sigmaCaughtUp(page);
}

/** The page hooks `sigmaCaughtUp` reads (the viewer exposes them as `globalThis.__ocgnet`). */
interface SigmaHooks {
  __ocgnet: {
    sigma: {
      getGraph(): { forEachNode(cb: (node: string) => void): void; forEachEdge(cb: (edge: string) => void): void };
      getNodeDisplayData(node: string): { hidden?: boolean } | undefined;
      getEdgeDisplayData(edge: string): { hidden?: boolean } | undefined;
    } | null;
    state: { visibleNodes: number; visibleEdges: number } | null;
  };
}

/** Waits until sigma draws what the page's state says is visible (its reducers run on the next refresh). */
export async function sigmaCaughtUp(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const hooks = (globalThis as unknown as SigmaHooks).__ocgnet;
    const sigma = hooks.sigma!;
    let nodes = 0;
    let edges = 0;
    sigma.getGraph().forEachNode((node) => {
      if (!sigma.getNodeDisplayData(node)?.hidden) nodes++;
    });
    sigma.getGraph().forEachEdge((edge) => {
      if (!sigma.getEdgeDisplayData(edge)?.hidden) edges++;
    });
    return nodes === hooks.state!.visibleNodes && edges === hooks.state!.visibleEdges;
  });
}

/** The handling code the viewer's filter reads, restated: `handling`, else the marking's, else P (unmarked research data). */
export function handlingCode(attributes: Record<string, unknown> | undefined): string {
  return String(attributes?.handling ?? (attributes?.marking as { handling?: string } | undefined)?.handling ?? 'P');
}

/** The grading filter's items of a grading string, restated from the rule the page states. */
export function gradingFilterItems(grading: string): string[] {
  if (grading.startsWith('5x5x5')) return ['legacy 5x5x5'];
  const match = /^([123])([A-E])\b/.exec(grading);
  return match ? [`source ${match[1]}`, `intelligence ${match[2]}`] : [];
}
