/**
 * The viewer at force scale (issue 20), on the generator's medium town in
 * Chromium: what the speed work changed must still be right. Filters hide
 * exactly what an independent computation from the bundle says, also after a
 * sequence of toggles; the strategy curves can be cancelled (the worker stops,
 * the panel goes idle) and run again; ForceAtlas2 still moves the nodes and
 * counts its iterations while sigma draws. Speed itself is measured by
 * `pnpm bench:viewer`, not here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { temporaryFolder } from '../cli/cli.fixtures.js';
import { HAVE_CHROMIUM, MUST_HAVE_BROWSER, NO_CHROMIUM, launchChromium } from './browser.js';
import {
  ensureViewerBuilt,
  gradingFilterItems,
  handlingCode,
  mediumBundle,
  leaveOverview,
  openBundle,
  serveViewer,
  sigmaCaughtUp,
  writeBundle,
  type StaticServer,
  type ViewerBundle,
} from './viewer.fixtures.js';
import { skipUnless } from '../skip.js';

interface PageGlobal {
  __ocgnet: {
    sigma: {
      getGraph(): { forEachNode(cb: (node: string, attributes: { x: number; y: number }) => void): void };
      on(event: string, cb: () => void): void;
    };
    state: {
      visibleNodes: number;
      visibleEdges: number;
      layout: { running: boolean; iterations: number };
      view: { hiddenHandling: string[]; hiddenGradings: string[]; hiddenLinkTypes: string[] };
    };
  };
  __renders?: number;
}

interface Filters {
  handling: Set<string>;
  gradings: Set<string>;
  linkTypes: Set<string>;
}

/** Person-view counts under the filters, computed from the bundle alone (the rules as the page states them). */
function expected(bundle: ViewerBundle, filters: Filters): { nodes: number; edges: number } {
  const nodes = new Set(
    bundle.graph.nodes
      .filter((node) => !filters.handling.has(handlingCode(node.attributes ?? {})))
      .map((node) => node.key),
  );
  const seen = new Set<string>();
  let edges = 0;
  for (const edge of bundle.graph.edges) {
    const pair = [edge.source, edge.target].sort().join('\u0000');
    if (seen.has(pair)) continue;
    seen.add(pair);
    const attributes = edge.attributes ?? {};
    if (!nodes.has(edge.source) || !nodes.has(edge.target)) continue;
    if (filters.handling.has(handlingCode(attributes))) continue;
    const gradings = Array.isArray(attributes.gradings) ? (attributes.gradings as unknown[]).map(String) : [];
    if (
      filters.gradings.size > 0 &&
      gradings.length > 0 &&
      gradings.every((grading) => gradingFilterItems(grading).some((item) => filters.gradings.has(item)))
    )
      continue;
    const types = Array.isArray(attributes.linkTypes) ? (attributes.linkTypes as unknown[]).map(String) : [];
    if (types.length > 0 && types.every((type) => filters.linkTypes.has(type))) continue;
    edges++;
  }
  return { nodes: nodes.size, edges };
}

async function shown(page: Page): Promise<{ nodes: number; edges: number }> {
  await sigmaCaughtUp(page);
  return page.evaluate(() => {
    const state = (globalThis as unknown as PageGlobal).__ocgnet.state;
    return { nodes: state.visibleNodes, edges: state.visibleEdges };
  });
}

describe('the viewer at force scale in Chromium', skipUnless(HAVE_CHROMIUM || MUST_HAVE_BROWSER, NO_CHROMIUM), () => {
  let browser: Browser;
  let server: StaticServer;
  let bundle: ViewerBundle;
  let path: string;
  const folder = temporaryFolder('ocgnet-viewer-scale-');
  const errors: string[] = [];

  async function freshPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    await openBundle(page, path, bundle.graph.nodes.length);
    await leaveOverview(page);
    return page;
  }

  beforeAll(async () => {
    ensureViewerBuilt();
    server = await serveViewer();
    bundle = mediumBundle();
    path = writeBundle(bundle, folder, 'medium.bundle.json');
    browser = await launchChromium({ webgl: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    expect(errors).toEqual([]);
    expect(server.reports).toEqual([]);
  });

  it('filters hide exactly what the bundle says, after every toggle of a sequence', async () => {
    const page = await freshPage();
    try {
      const filters: Filters = { handling: new Set(), gradings: new Set(), linkTypes: new Set() };
      expect(await shown(page)).toEqual(expected(bundle, filters));
      const values = async (list: string) =>
        page
          .locator(`[data-testid="${list}"] input`)
          .evaluateAll((inputs) =>
            inputs.map((input) => (input as unknown as { dataset: { value: string } }).dataset.value),
          );
      const handling = await values('filter-handling');
      const gradings = await values('filter-gradings');
      const linkTypes = await values('filter-link-types');
      expect(handling.length).toBeGreaterThan(1);
      expect(gradings.length).toBeGreaterThan(2);
      expect(linkTypes.length).toBeGreaterThan(2);
      // Hide and show again in an order where the filters overlap: each step is checked against a fresh count.
      const steps: [keyof Filters, string, string][] = [
        ['handling', 'filter-handling', handling.at(-1)!],
        ['gradings', 'filter-gradings', gradings[0]!],
        ['linkTypes', 'filter-link-types', linkTypes[0]!],
        ['gradings', 'filter-gradings', gradings[1]!],
        ['handling', 'filter-handling', handling.at(-1)!],
        ['linkTypes', 'filter-link-types', linkTypes[1]!],
        ['gradings', 'filter-gradings', gradings[0]!],
        ['handling', 'filter-handling', handling[0]!],
        ['linkTypes', 'filter-link-types', linkTypes[0]!],
      ];
      const counts: number[] = [];
      for (const [filter, list, item] of steps) {
        await page.locator(`[data-testid="${list}"] input[data-value="${item}"]`).click();
        if (filters[filter].has(item)) filters[filter].delete(item);
        else filters[filter].add(item);
        const want = expected(bundle, filters);
        await expect.poll(() => shown(page), { message: `${filter} ${item}` }).toEqual(want);
        counts.push(want.edges);
      }
      // The sequence did hide something at every step that hid a class.
      expect(new Set(counts).size).toBeGreaterThan(3);
    } finally {
      await page.close();
    }
  });

  it('cancelling the strategy curves stops the worker and leaves the panel idle; a second run completes', async () => {
    const page = await freshPage();
    try {
      await page.locator('[data-testid="tab-disruption"]').click();
      await page.locator('[data-testid="strategy-steps"]').fill('200');
      await page.locator('[data-testid="run-strategies"]').click();
      await page.locator('[data-testid="cancel-strategies"]').click();
      await expect.poll(() => page.locator('[data-testid="run-strategies"]').innerText()).toBe('Run');
      await expect(page.locator('[data-testid="strategies-cancelled"]').isVisible()).resolves.toBe(true);
      expect(await page.locator('[data-testid="strategies-progress"]').count()).toBe(0);
      expect(await page.locator('[data-testid="cancel-strategies"]').count()).toBe(0);
      const curves = await page.locator('[data-testid="strategy-removed"]').count();
      // A terminated worker posts nothing more: no progress, no curve arrives later.
      await page.waitForTimeout(3000);
      expect(await page.locator('[data-testid="strategy-removed"]').count()).toBe(curves);
      expect(await page.locator('[data-testid="strategies-progress"]').count()).toBe(0);

      for (const strategy of ['betweenness', 'random'])
        await page.locator(`[data-testid="strategies"] input[data-strategy="${strategy}"]`).uncheck();
      await page.locator('[data-testid="strategy-steps"]').fill('3');
      await page.locator('[data-testid="run-strategies"]').click();
      await expect
        .poll(() => page.locator('[data-testid="strategy-removed"][data-strategy="degree"] li').count(), {
          timeout: 60_000,
        })
        .toBe(3);
      expect(await page.locator('[data-testid="strategies-cancelled"]').count()).toBe(0);
      await expect.poll(() => page.locator('[data-testid="run-strategies"]').innerText()).toBe('Run');
    } finally {
      await page.close();
    }
  });

  it('ForceAtlas2 moves the nodes and counts its iterations while sigma draws', async () => {
    const page = await freshPage();
    try {
      const positions = () =>
        page.evaluate(() => {
          const at: Record<string, [number, number]> = {};
          (globalThis as unknown as PageGlobal).__ocgnet.sigma.getGraph().forEachNode((node, { x, y }) => {
            at[node] = [x, y];
          });
          return at;
        });
      const before = await positions();
      await page.evaluate(() => {
        const global = globalThis as unknown as PageGlobal;
        global.__renders = 0;
        global.__ocgnet.sigma.on('afterRender', () => (global.__renders! += 1));
      });
      await page.locator('[data-testid="layout-toggle"]').click();
      const iterations = () =>
        page.evaluate(() => (globalThis as unknown as PageGlobal).__ocgnet.state.layout.iterations);
      await expect.poll(iterations, { timeout: 30_000 }).toBeGreaterThan(5);
      const first = await iterations();
      await expect.poll(iterations, { timeout: 30_000 }).toBeGreaterThan(first);
      await page.locator('[data-testid="layout-toggle"]').click();
      await expect
        .poll(() => page.evaluate(() => (globalThis as unknown as PageGlobal).__ocgnet.state.layout.running))
        .toBe(false);
      const renders = await page.evaluate(() => (globalThis as unknown as PageGlobal).__renders!);
      expect(renders).toBeGreaterThan(1);
      const after = await positions();
      const moved = Object.keys(before).filter(
        (node) => before[node]![0] !== after[node]![0] || before[node]![1] !== after[node]![1],
      );
      expect(moved.length).toBeGreaterThan(bundle.graph.nodes.length / 2);
      // Stopped means stopped: no position changes afterwards.
      await page.waitForTimeout(1000);
      expect(await positions()).toEqual(after);
      expect(await page.locator('[data-testid="layout-iterations"]').innerText()).toContain(
        `${await iterations()} iterations`,
      );
    } finally {
      await page.close();
    }
  });
});
