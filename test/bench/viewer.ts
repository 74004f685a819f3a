/**
 * `pnpm bench:viewer`: the viewer at force scale (issue 20), in headless
 * Debian Chromium with software WebGL (SwiftShader), on the generator's
 * medium town (seed 7) with its stored layout. One run measures:
 * - time to first view: navigation → the first frame after sigma drew the nodes (bundle served as /api/bundle);
 * - pan/zoom frame times, for the viewer and for bare sigma drawing the same graph at the same
 *   positions (apps/viewer/bench/bare.html, built here with Vite, served alongside);
 * - every click action, ≥ 12 times: from the DOM event to the first frame after the page went
 *   quiet (no DOM mutation, no sigma render for 400 ms);
 * - ForceAtlas2 iterations/s in the worker while the viewer draws, and with nothing drawn;
 * - strategy curves (3 strategies × 10 steps) to the last curve.
 * It prints a markdown table with the targets and writes it to .out/bench/viewer.md.
 * `--profile NAME` also writes a CPU profile of that action (.out/bench/viewer-NAME.cpuprofile).
 * `--large PATH` adds the large town's first view: PATH is the bundle.json of
 * `ocgnet analyse <large town> --out` (a large-path bundle), opened in a fresh context;
 * `--large-only` measures only that.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { COMPACT_BUNDLE_MEDIA_TYPE, encodeCompactBundle } from '@ocgnet/bundle';
import { layoutBundle } from '@ocgnet/bundle/layout';
import { launchChromium } from '../e2e/browser.js';
import {
  CSP,
  DIST,
  REPO_ROOT,
  VIEWER,
  ensureViewerBuilt,
  leaveOverview,
  mediumBundle,
  percentile,
} from '../e2e/viewer.fixtures.js';
import type { ViewerBundle } from '../e2e/viewer.fixtures.js';

const OUT = join(REPO_ROOT, '.out', 'bench');
const BARE = join(OUT, 'viewer-bare');
const REPETITIONS = 12;
const QUIET_MS = 400;

/** The medium town with its stored layout, cached (the layout takes a minute). */
function benchBundle(): ViewerBundle {
  const path = join(OUT, 'viewer-medium-7.bundle.json');
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as ViewerBundle;
  const bundle = mediumBundle();
  bundle.layout = layoutBundle(bundle);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path, JSON.stringify(bundle));
  return bundle;
}

/** Builds apps/viewer/bench/bare.html into BARE with the viewer's own Vite and sigma. */
function buildBare(): void {
  const run = spawnSync('pnpm', ['exec', 'vite', 'build', '--config', 'bench/vite.config.ts'], {
    cwd: VIEWER,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`bare page build failed:\n${run.stdout}\n${run.stderr}`);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * dist/ at /, the bare page at /bare/, the bundle at /api/bundle, with the served CSP. The bundle is
 * sent gzip'd when given compressed, as `ocgnet serve` sends its precompressed bundles.
 */
async function serve(
  bundleJson: string | { gzip: Buffer; compactGzip: Buffer },
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    response.setHeader('content-security-policy', CSP);
    if (url.pathname === '/api/bundle') {
      if (typeof bundleJson === 'string')
        return void response.writeHead(200, { 'content-type': 'application/json' }).end(bundleJson);
      // As `ocgnet serve` answers the viewer, which asks for the compact form.
      const compact = url.searchParams.get('format') === 'compact';
      return void response
        .writeHead(200, {
          'content-type': compact ? COMPACT_BUNDLE_MEDIA_TYPE : 'application/json',
          'content-encoding': 'gzip',
        })
        .end(compact ? bundleJson.compactGzip : bundleJson.gzip);
    }
    if (url.pathname === '/api/me')
      return void response
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"user":"bench","audience":"police-analyst","profiles":false,"audited":false}');
    if (url.pathname.startsWith('/api/')) return void response.writeHead(404).end();
    const [root, rest] = url.pathname.startsWith('/bare/') ? [BARE, url.pathname.slice(5)] : [DIST, url.pathname];
    const path = normalize(join(root, rest === '/' ? 'index.html' : decodeURIComponent(rest)));
    if (!path.startsWith(root + sep) || !existsSync(path) || statSync(path).isDirectory())
      return void response.writeHead(404).end();
    response
      .writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' })
      .end(readFileSync(path));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => server.close(() => done())) };
}

/**
 * In-page probe, installed before any page script: a requestAnimationFrame loop recording frame
 * times, the time sigma first drew, the last DOM mutation or sigma render, and the first input
 * event after `arm()`. It reads `__ocgnet` (viewer) or `__bare` (baseline) for sigma.
 */
const PROBE = `(() => {
  const b = { frames: [], last: 0, t0: null, armed: false, sigmaSeen: null, firstView: null, hooked: null };
  window.__bench = b;
  const sigmaNow = () => (window.__ocgnet && window.__ocgnet.sigma) || (window.__bare && window.__bare.sigma) || null;
  const loop = () => {
    const now = performance.now();
    b.frames.push(now);
    if (b.frames.length > 50000) b.frames.splice(0, 25000);
    const sigma = sigmaNow();
    if (sigma && sigma.getGraph().order > 0) {
      if (b.sigmaSeen === null) b.sigmaSeen = now;
      else if (b.firstView === null) b.firstView = now;
    }
    if (sigma && b.hooked !== sigma) {
      b.hooked = sigma;
      sigma.on('afterRender', () => (b.last = performance.now()));
    }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  new MutationObserver(() => (b.last = performance.now())).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  for (const type of ['pointerdown', 'mousedown', 'click', 'input', 'change', 'keydown'])
    addEventListener(type, () => { if (b.armed && b.t0 === null) b.t0 = performance.now(); }, true);
  b.arm = () => { b.armed = true; b.t0 = null; b.last = 0; };
  b.quietFor = () => performance.now() - Math.max(b.last, b.t0 ?? 0);
  b.result = () => {
    const after = Math.max(b.last, b.t0);
    const frame = b.frames.find((t) => t > after) ?? performance.now();
    b.armed = false;
    return b.t0 === null ? NaN : frame - b.t0;
  };
})();`;

/** The probe as page functions see it (the root tsconfig has no DOM lib). */
interface ProbeGlobal {
  __bench: { quietFor(): number; firstView: number | null };
}

async function quiet(page: Page, ms = QUIET_MS): Promise<void> {
  await page.waitForFunction((quietMs) => (globalThis as unknown as ProbeGlobal).__bench.quietFor() > quietMs, ms, {
    timeout: 120_000,
    polling: 50,
  });
}

/** One click action: arm, act, wait until quiet, read the time from the event to the next frame. */
async function timed(page: Page, act: () => Promise<void>): Promise<number> {
  await quiet(page);
  await page.evaluate('window.__bench.arm()');
  await act();
  await quiet(page);
  const time = await page.evaluate<number>('window.__bench.result()');
  process.stderr.write(`${Math.round(time)} `);
  return time;
}

interface Stats {
  median: number;
  p95: number;
  n: number;
}
const stats = (values: number[]): Stats => ({
  median: percentile(values, 0.5),
  p95: percentile(values, 0.95),
  n: values.length,
});

async function panZoom(page: Page, selector: string, ms = 5000): Promise<Stats> {
  const box = (await page.locator(selector).boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await quiet(page);
  const from = await page.evaluate<number>('performance.now()');
  const started = Date.now();
  for (let i = 0; Date.now() - started < ms; i++) {
    await page.mouse.down();
    await page.mouse.move(cx + 120 * Math.cos(i), cy + 80 * Math.sin(i), { steps: 8 });
    await page.mouse.up();
    await page.mouse.wheel(0, i % 2 === 0 ? -240 : 240);
  }
  const times = await page.evaluate<number[]>(`window.__bench.frames.filter((t) => t >= ${from})`);
  return stats(times.slice(1).map((time, i) => time - times[i]!));
}

/** Viewport points of the largest visible persons, for clicking them on the canvas. */
async function nodePoints(page: Page, count: number): Promise<{ node: string; x: number; y: number }[]> {
  const box = (await page.locator('[data-testid="sigma"]').boundingBox())!;
  const points = await page.evaluate<{ node: string; x: number; y: number }[]>(`(() => {
    const sigma = window.__ocgnet.sigma;
    const { width, height } = sigma.getDimensions();
    const out = [];
    sigma.getGraph().forEachNode((node) => {
      const data = sigma.getNodeDisplayData(node);
      if (!data || data.hidden) return;
      const at = sigma.framedGraphToViewport(data);
      if (at.x > 40 && at.y > 40 && at.x < width - 40 && at.y < height - 40) out.push({ node, x: at.x, y: at.y, size: data.size });
    });
    out.sort((a, b) => b.size - a.size);
    const chosen = [];
    for (const point of out) {
      if (chosen.every((c) => Math.hypot(c.x - point.x, c.y - point.y) > 30)) chosen.push(point);
      if (chosen.length >= ${count}) break;
    }
    return chosen;
  })()`);
  return points.map((point) => ({ node: point.node, x: box.x + point.x, y: box.y + point.y }));
}

async function selectOnCanvas(page: Page, point: { x: number; y: number }): Promise<void> {
  await page.mouse.move(point.x, point.y);
  await quiet(page);
  await page.mouse.click(point.x, point.y);
}

const viewState = (page: Page, expression: string) =>
  page.evaluate(`(() => { const s = window.__ocgnet.state; return ${expression}; })()`);

/** Toggles one checkbox of a filter list REPETITIONS times (hide, show, …). */
async function toggleTimes(page: Page, list: string): Promise<number[]> {
  const box = page.locator(`[data-testid="${list}"] input`).first();
  const times: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) times.push(await timed(page, () => box.click()));
  return times;
}

async function clickActions(page: Page): Promise<Record<string, number[]>> {
  const results: Record<string, number[]> = {};
  await page.evaluate('window.__ocgnet.sigma.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 })');
  await quiet(page);
  const points = await nodePoints(page, REPETITIONS * 2 + 2);
  if (points.length < REPETITIONS + 1) throw new Error(`only ${points.length} clickable nodes in view`);
  await page.locator('[data-testid="tab-details"]').click();

  results['select → details'] = [];
  for (const point of points.slice(0, REPETITIONS)) {
    await page.mouse.move(point.x, point.y);
    results['select → details'].push(await timed(page, () => page.mouse.click(point.x, point.y)));
  }
  results['handling filter'] = await toggleTimes(page, 'filter-handling');
  results['grading filter'] = await toggleTimes(page, 'filter-gradings');
  results['link-type filter'] = await toggleTimes(page, 'filter-link-types');

  results['time window'] = [];
  const from = page.locator('[data-testid="window-from"]');
  const first = await from.inputValue();
  const later = `${Number(first.slice(0, 4)) + 1}${first.slice(4)}`;
  for (let i = 0; i < REPETITIONS; i++)
    results['time window'].push(await timed(page, () => from.fill(i % 2 === 0 ? later : first)));
  const fullRange = page.locator('[data-testid="window-label"] + button');
  if (await fullRange.isEnabled()) await fullRange.click();

  results['ego (radius 1)'] = [];
  results['what-if removal'] = [];
  results.path = [];
  for (let i = 0; i < REPETITIONS; i++) {
    await selectOnCanvas(page, points[i]!);
    results['ego (radius 1)'].push(await timed(page, () => page.locator('[data-testid="focus-ego"]').click()));
    await quiet(page);
    await page.locator('[data-testid="status"] button').first().click();
    results['what-if removal'].push(await timed(page, () => page.locator('[data-testid="remove-node"]').click()));
    results['what-if removal'].push(await timed(page, () => page.locator('[data-testid="remove-node"]').click()));
    await page.locator('[data-testid="path-from"]').click();
    await selectOnCanvas(page, points[i + 1]!);
    results.path.push(await timed(page, () => page.locator('[data-testid="path-to"]').click()));
    await quiet(page);
    await page.locator('[data-testid="status"] button').first().click();
  }
  return results;
}

async function layoutRate(page: Page, ms = 5000): Promise<number> {
  const toggle = page.locator('[data-testid="layout-toggle"]');
  await toggle.click();
  await page.waitForTimeout(1000);
  const start = (await viewState(page, 's.layout.iterations')) as number;
  await page.waitForTimeout(ms);
  const end = (await viewState(page, 's.layout.iterations')) as number;
  await toggle.click();
  return ((end - start) * 1000) / ms;
}

async function strategies(page: Page): Promise<{ ms: number; cancellable: boolean }> {
  await page.locator('[data-testid="tab-disruption"]').click();
  const started = Date.now();
  await page.locator('[data-testid="run-strategies"]').click();
  const cancellable = await page
    .locator('[data-testid="cancel-strategies"]')
    .isVisible()
    .catch(() => false);
  await page.locator('[data-testid="strategy-removed"]').nth(2).waitFor({ state: 'attached', timeout: 600_000 });
  return { ms: Date.now() - started, cancellable };
}

async function profiled<T>(page: Page, name: string, wanted: string | undefined, run: () => Promise<T>): Promise<T> {
  if (wanted !== name) return run();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const result = await run();
  const { profile } = await cdp.send('Profiler.stop');
  writeFileSync(join(OUT, `viewer-${name}.cpuprofile`), JSON.stringify(profile));
  return result;
}

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : '—');
const pass = (ok: boolean) => (ok ? 'pass' : 'FAIL');

/**
 * The large town's first view: a fresh browser context (nothing cached) loads a large-path bundle
 * (`ocgnet analyse <large town> --out`), sent gzip'd, and opens on its community overview.
 */
async function largeFirstView(path: string): Promise<string[]> {
  const text = readFileSync(path, 'utf8');
  const bundle = JSON.parse(text) as ViewerBundle;
  const gzip = gzipSync(text, { level: 6 });
  const compactGzip = gzipSync(JSON.stringify(encodeCompactBundle(bundle)), { level: 6 });
  const server = await serve({ gzip, compactGzip });
  const browser = await launchChromium({ webgl: true });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(PROBE);
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => (globalThis as unknown as ProbeGlobal).__bench.firstView !== null, undefined, {
      timeout: 600_000,
    });
    const firstView = await page.evaluate<number>('window.__bench.firstView');
    const overview = (await viewState(page, 's.view.overview')) as boolean;
    const drawn = (await viewState(page, 's.visibleNodes')) as number;
    return [
      `| first view, large town (${bundle.graph.nodes.length} nominals, ${bundle.graph.edges.length} associations; ${(text.length / 1e6).toFixed(0)} MB JSON; sent compact, ${(compactGzip.length / 1e6).toFixed(0)} MB gzip'd)${overview ? `: the overview, ${drawn} communities` : ''} | ${ms(firstView)} | | 1 | ≤ 10,000 ms | ${pass(overview && firstView <= 10_000)} |`,
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { profile: { type: 'string' }, large: { type: 'string' }, 'large-only': { type: 'boolean' } },
  });
  if (values['large-only']) {
    if (values.large === undefined) throw new Error('--large-only needs --large PATH');
    console.log((await largeFirstView(values.large)).join('\n'));
    return;
  }
  mkdirSync(OUT, { recursive: true });
  ensureViewerBuilt();
  buildBare();
  const bundle = benchBundle();
  const server = await serve(JSON.stringify(bundle));
  const browser = await launchChromium({ webgl: true });
  const lines: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(PROBE);

    const bare = await context.newPage();
    await bare.goto(`${server.url}bare/bare.html`);
    await bare.waitForFunction(() => (globalThis as unknown as ProbeGlobal).__bench.firstView !== null, undefined, {
      timeout: 120_000,
    });
    const bareFirst = await bare.evaluate<number>('window.__bench.firstView');
    const barePan = await panZoom(bare, '#stage');
    const idleRate = await bare.evaluate<number>("window.__bare.layoutRate(5000, 'viewer')");
    const graphologyRate = await bare.evaluate<number>("window.__bare.layoutRate(5000, 'graphology')");
    await bare.close();

    const page = await context.newPage();
    page.on('console', (message) => message.text().startsWith('bench') && console.log(message.text()));
    await page.goto(server.url);
    await page.waitForFunction(() => (globalThis as unknown as ProbeGlobal).__bench.firstView !== null, undefined, {
      timeout: 120_000,
    });
    const firstView = await page.evaluate<number>('window.__bench.firstView');
    const persons = (await viewState(page, 's.persons')) as number;
    // The medium town opens on its community overview; pan, clicks and layout are measured on the persons.
    const overviewFirst = (await viewState(page, 's.view.overview')) as boolean;
    await leaveOverview(page);
    const pan = await profiled(page, 'pan', values.profile, () => panZoom(page, '[data-testid="sigma"]'));
    const actions = await profiled(page, 'actions', values.profile, () => clickActions(page));
    const drawingRate = await profiled(page, 'layout', values.profile, () => layoutRate(page));
    const curves = await profiled(page, 'strategies', values.profile, () => strategies(page));

    lines.push(
      `Viewer benchmark: medium town (seed 7; ${persons} nominals, ${bundle.graph.edges.length} associations; network ${bundle.network.nodes.length} nodes, ${bundle.network.edges.length} links), stored layout.`,
      `Headless Debian Chromium ${browser.version()}, software WebGL (SwiftShader, no GPU), viewport 1400×900.`,
      '',
      '| measure | median | p95 | n | target | result |',
      '|---|---|---|---|---|---|',
      `| first view (navigation → sigma drew the nodes${overviewFirst ? ': the community overview' : ''}) | ${ms(firstView)} | | 1 | (bare sigma: ${ms(bareFirst)}) | |`,
      `| pan/zoom frame, viewer (persons) | ${ms(pan.median)} | ${ms(pan.p95)} | ${pan.n} | p95 ≤ 1.5 × bare = ${ms(1.5 * barePan.p95)} | ${pass(pan.p95 <= 1.5 * barePan.p95)} |`,
      `| pan/zoom frame, bare sigma | ${ms(barePan.median)} | ${ms(barePan.p95)} | ${barePan.n} | | |`,
    );
    for (const [name, times] of Object.entries(actions)) {
      const s = stats(times);
      lines.push(
        `| ${name} | ${ms(s.median)} | ${ms(s.p95)} | ${s.n} | ≤ 200 ms | ${pass(s.median <= 200 && s.p95 <= 200)} |`,
      );
    }
    lines.push(
      `| ForceAtlas2 iterations/s, viewer drawing | ${drawingRate.toFixed(1)} | | | ≥ 0.8 × not drawn = ${(0.8 * idleRate).toFixed(1)} | ${pass(drawingRate >= 0.8 * idleRate)} |`,
      `| ForceAtlas2 iterations/s, the viewer's worker, nothing drawn | ${idleRate.toFixed(1)} | | | | |`,
      `| ForceAtlas2 iterations/s, graphology's worker, nothing drawn | ${graphologyRate.toFixed(1)} | | | | |`,
      `| strategy curves (degree, betweenness, random × 10 steps) | ${ms(curves.ms)} | | 1 | in a worker, with progress, cancellable | ${pass(curves.cancellable)} |`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
  if (values.large !== undefined) lines.push(...(await largeFirstView(values.large)));
  const table = lines.join('\n');
  console.log(table);
  writeFileSync(join(OUT, 'viewer.md'), `${table}\n`);
}

await main();
