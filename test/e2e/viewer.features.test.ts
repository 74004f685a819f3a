/**
 * The viewer's remaining features in Chromium (static copy, production CSP),
 * each checked against a figure computed here in Node, independently of the
 * viewer: undo/redo, saving and reopening the working state, PNG and SVG
 * export, ego networks of radius 1–3 (BFS), the shortest path between two
 * nominals (BFS), the planner's targets (bundle.plans) and the grading filter
 * (3x5x2 source / intelligence, legacy 5x5x5).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type Graph from 'graphology';
import { temporaryFolder } from '../cli/cli.fixtures.js';
import { HAVE_CHROMIUM, MUST_HAVE_BROWSER, NO_CHROMIUM, launchChromium } from './browser.js';
import { describePlanFailure } from '@ocgnet/bundle';
import { layoutBundle } from '@ocgnet/bundle/layout';
import {
  ARTEFACTS,
  bundleWithPlanFailure,
  ensureViewerBuilt,
  personGraph,
  serveViewer,
  smallBundle,
  writeBundle,
  type StaticServer,
  type ViewerBundle,
  sigmaCaughtUp,
} from './viewer.fixtures.js';
import { skipUnless } from '../skip.js';

interface ViewLike {
  view: string;
  hiddenLinkTypes: string[];
  hiddenGroups: string[];
  hiddenGradings: string[];
  removed: string[];
  focus: { node: string; radius: number } | null;
  path: { from: string; to: string } | null;
}
interface PageGlobal {
  __ocgnet: {
    sigma: {
      getGraph(): {
        forEachNode(cb: (node: string) => void): void;
        forEachEdge(cb: (edge: string, attributes: unknown, source: string, target: string) => void): void;
      };
      getNodeDisplayData(node: string): { hidden?: boolean } | undefined;
      getEdgeDisplayData(edge: string): { hidden?: boolean; color?: string } | undefined;
    } | null;
    state: { persons: number; visibleNodes: number; visibleEdges: number; view: ViewLike } | null;
  };
  DOMParser: new () => {
    parseFromString(
      text: string,
      type: string,
    ): { querySelectorAll(selector: string): { length: number }; documentElement: { textContent: string | null } };
  };
}

const PATH_COLOUR = '#d62728';

/** What sigma draws, once it has caught up with the state the page rendered (its reducers run on the next refresh). */
async function visible(page: Page): Promise<{ nodes: string[]; edges: number; pathEdges: [string, string][] }> {
  await sigmaCaughtUp(page);
  return page.evaluate((pathColour) => {
    const sigma = (globalThis as unknown as PageGlobal).__ocgnet.sigma!;
    const nodes: string[] = [];
    const pathEdges: [string, string][] = [];
    let edges = 0;
    sigma.getGraph().forEachNode((node) => {
      if (!sigma.getNodeDisplayData(node)?.hidden) nodes.push(node);
    });
    sigma.getGraph().forEachEdge((edge, _attributes, source, target) => {
      const display = sigma.getEdgeDisplayData(edge);
      if (display?.hidden) return;
      edges++;
      if (display?.color === pathColour) pathEdges.push([source, target]);
    });
    return { nodes: nodes.sort(), edges, pathEdges };
  }, PATH_COLOUR);
}

async function view(page: Page): Promise<ViewLike> {
  return page.evaluate(() => (globalThis as unknown as PageGlobal).__ocgnet.state!.view);
}

/** Hop distances from `start` (independent BFS over the bundle's person graph). */
function distances(graph: Graph, start: string): Map<string, number> {
  const depth = new Map([[start, 0]]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const next of graph.neighbors(node)) {
      if (depth.has(next)) continue;
      depth.set(next, depth.get(node)! + 1);
      queue.push(next);
    }
  }
  return depth;
}

/** The filter items of a grading string, restated from the rule the page states. */
function items(grading: string): string[] {
  if (grading.startsWith('5x5x5')) return ['legacy 5x5x5'];
  const match = /^([123])([A-E])\b/.exec(grading);
  return match ? [`source ${match[1]}`, `intelligence ${match[2]}`] : [];
}
const passes = (grading: string, hidden: Set<string>) => items(grading).every((item) => !hidden.has(item));

describe('viewer features in Chromium', skipUnless(HAVE_CHROMIUM || MUST_HAVE_BROWSER, NO_CHROMIUM), () => {
  let browser: Browser;
  let server: StaticServer;
  let small: ViewerBundle;
  let smallPath: string;
  let graph: Graph;
  const folder = temporaryFolder('ocgnet-viewer-features-');
  const errors: string[] = [];

  async function freshPage(bundle: ViewerBundle = small, path = smallPath): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('dialog', (dialog) => {
      errors.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.location().url.includes('/api/bundle')) errors.push(message.text());
    });
    await page.goto(server.url);
    await page.locator('[data-testid="open-file"]').setInputFiles(path);
    await page.waitForFunction(
      (expected) => {
        const hooks = (globalThis as unknown as PageGlobal).__ocgnet;
        return hooks.state?.persons === expected && hooks.sigma !== null;
      },
      bundle.graph.nodes.length,
      { timeout: 120_000 },
    );
    return page;
  }

  async function select(page: Page, node: string): Promise<void> {
    await page.locator('[data-testid="search"]').fill(node);
    await page.locator(`[data-testid="search-results"] button[data-node="${node}"]`).click();
    await expect.poll(() => page.locator('[data-testid="details-id"]').innerText()).toBe(node);
  }

  beforeAll(async () => {
    ensureViewerBuilt();
    server = await serveViewer();
    small = await smallBundle();
    smallPath = writeBundle(small, folder, 'small.bundle.json');
    graph = personGraph(small);
    browser = await launchChromium({ webgl: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    expect(errors).toEqual([]);
    expect(server.reports).toEqual([]);
  });

  it('opens a bundle laid out where it was written at its stored positions, with no layout to run', async () => {
    const laidOut: ViewerBundle = { ...small, layout: layoutBundle(small) };
    const path = writeBundle(laidOut, folder, 'laid-out.json');
    const page = await freshPage(laidOut, path);
    const drawn = await page.evaluate(() => {
      const graph = (
        globalThis as unknown as {
          __ocgnet: { graph: { forEachNode(cb: (node: string, a: { x: number; y: number }) => void): void } };
        }
      ).__ocgnet.graph;
      const at: Record<string, [number, number]> = {};
      graph.forEachNode((node, { x, y }) => {
        at[node] = [x, y];
      });
      return at;
    });
    expect(Object.keys(drawn).sort()).toEqual(small.graph.nodes.map((node) => node.key).sort());
    for (const [node, position] of Object.entries(drawn))
      expect(position, node).toEqual(laidOut.layout!.positions[node]);
    await expect
      .poll(() => page.locator('[data-testid="layout-iterations"]').innerText())
      .toContain(`saved layout: ${laidOut.layout!.iterations} iterations`);
    expect(await page.locator('body').innerText()).not.toContain('no saved layout');
    await page.close();
  });

  it('undo and redo move the view back and forth (a filter, then a removal)', async () => {
    const page = await freshPage();
    try {
      const all = await visible(page);
      const type = String((small.graph.edges[0]!.attributes!.linkTypes as string[])[0]);
      await page.locator(`[data-testid="filter-link-types"] input[data-value="${type}"]`).click();
      await expect.poll(async () => (await view(page)).hiddenLinkTypes).toEqual([type]);
      const filtered = await visible(page);
      expect(filtered.edges).toBeLessThan(all.edges);
      const node = [...small.graph.nodes].sort((a, b) => graph.degree(b.key) - graph.degree(a.key))[0]!.key;
      await select(page, node);
      await page.locator('[data-testid="remove-node"]').click();
      await expect.poll(async () => (await view(page)).removed).toEqual([node]);
      const removed = await visible(page);
      expect(removed.edges).toBeLessThan(filtered.edges);

      await page.locator('[data-testid="undo"]').click();
      await expect.poll(async () => (await view(page)).removed).toEqual([]);
      expect((await visible(page)).edges).toBe(filtered.edges);
      await page.locator('[data-testid="undo"]').click();
      await expect.poll(async () => (await view(page)).hiddenLinkTypes).toEqual([]);
      expect((await visible(page)).edges).toBe(all.edges);
      expect(await page.locator('[data-testid="undo"]').isDisabled()).toBe(true);

      await page.locator('[data-testid="redo"]').click();
      await expect.poll(async () => (await visible(page)).edges).toBe(filtered.edges);
      // Keyboard redo (Ctrl+Shift+Z) with the focus off any input.
      await page.locator('[data-testid="sigma"]').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+Shift+Z');
      await expect.poll(async () => (await view(page)).removed).toEqual([node]);
      expect((await visible(page)).edges).toBe(removed.edges);
      expect(await page.locator('[data-testid="redo"]').isDisabled()).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('saves the working state as JSON and reopens it: same filters, same removals', async () => {
    const page = await freshPage();
    let statePath: string;
    let saved: { view: ViewLike; positions: Record<string, unknown> };
    try {
      const group = small.graph.nodes
        .map((node) => node.attributes?.mappedGroup)
        .find((value): value is string => typeof value === 'string')!;
      await page.locator(`[data-testid="filter-groups"] input[data-value="${group}"]`).click();
      const nodes = small.graph.nodes
        .filter((node) => node.attributes?.mappedGroup !== group)
        .slice(0, 2)
        .map((node) => node.key);
      for (const node of nodes) {
        await select(page, node);
        await page.locator('[data-testid="remove-node"]').click();
      }
      const before = await view(page);
      expect(before.hiddenGroups).toEqual([group]);
      expect(before.removed).toEqual(nodes);
      const counts = await visible(page);
      const downloading = page.waitForEvent('download');
      await page.locator('[data-testid="save-state"]').click();
      const download = await downloading;
      expect(download.suggestedFilename()).toBe('viewer-state.json');
      statePath = join(folder, 'viewer-state.json');
      await download.saveAs(statePath);
      saved = JSON.parse(readFileSync(statePath, 'utf8'));
      expect(saved).toMatchObject({ format: 'ocgnet-viewer-state', version: 1 });
      expect(saved.view.hiddenGroups).toEqual([group]);
      expect(Object.keys(saved.positions).length).toBeGreaterThanOrEqual(small.graph.nodes.length);

      // A fresh page: the same bundle, then the state.
      const reopened = await freshPage();
      try {
        expect((await view(reopened)).removed).toEqual([]);
        await reopened.locator('[data-testid="open-state"]').setInputFiles(statePath);
        await expect.poll(async () => (await view(reopened)).removed).toEqual(nodes);
        const after = await view(reopened);
        expect(after.hiddenGroups).toEqual([group]);
        expect(after).toEqual(before);
        expect(await visible(reopened)).toEqual(counts);
      } finally {
        await reopened.close();
      }
    } finally {
      await page.close();
    }
  });

  it('exports PNG and SVG downloads: PNG magic bytes; the SVG parses, has one circle per visible node and the classification', async () => {
    const page = await freshPage();
    try {
      const shown = await visible(page);
      const png = page.waitForEvent('download');
      await page.locator('[data-testid="export-png"]').click();
      const pngDownload = await png;
      expect(pngDownload.suggestedFilename()).toBe('ocgnet-view.png');
      const pngPath = join(folder, 'view.png');
      await pngDownload.saveAs(pngPath);
      expect([...readFileSync(pngPath).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(readFileSync(pngPath).length).toBeGreaterThan(10_000);

      const svg = page.waitForEvent('download');
      await page.locator('[data-testid="export-svg"]').click();
      const svgDownload = await svg;
      expect(svgDownload.suggestedFilename()).toBe('ocgnet-view.svg');
      const svgPath = join(folder, 'view.svg');
      await svgDownload.saveAs(svgPath);
      const text = readFileSync(svgPath, 'utf8');
      const parsed = await page.evaluate((source) => {
        const doc = new (globalThis as unknown as PageGlobal).DOMParser().parseFromString(source, 'image/svg+xml');
        return {
          errors: doc.querySelectorAll('parsererror').length,
          circles: doc.querySelectorAll('circle').length,
          lines: doc.querySelectorAll('line').length,
          text: doc.documentElement.textContent ?? '',
        };
      }, text);
      expect(parsed.errors).toBe(0);
      expect(parsed.circles).toBe(shown.nodes.length);
      expect(parsed.lines).toBe(shown.edges);
      expect(parsed.text).toContain(small.classification);
      expect(parsed.text).toContain(`handling ${small.marking.handling}`);
    } finally {
      await page.close();
    }
  });

  it('the ego network of radius 1, 2 and 3 shows exactly the nodes within that many hops', async () => {
    const page = await freshPage();
    try {
      // A nominal whose radius-3 neighbourhood is still not the whole component.
      const centre = small.graph.nodes
        .map((node) => node.key)
        .find((node) => {
          const depth = distances(graph, node);
          return graph.degree(node) >= 2 && [...depth.values()].some((d) => d > 3);
        })!;
      expect(centre).toBeDefined();
      const depth = distances(graph, centre);
      await select(page, centre);
      const sizes: number[] = [];
      for (const radius of [1, 2, 3]) {
        await page.locator('[data-testid="ego-radius"]').selectOption(String(radius));
        await page.locator('[data-testid="focus-ego"]').click();
        await expect.poll(async () => (await view(page)).focus).toEqual({ node: centre, radius });
        const expected = [...depth]
          .filter(([, d]) => d <= radius)
          .map(([node]) => node)
          .sort();
        const shown = await visible(page);
        expect(shown.nodes).toEqual(expected);
        const expectedEdges = small.graph.edges.filter(
          (edge) => (depth.get(edge.source) ?? Infinity) <= radius && (depth.get(edge.target) ?? Infinity) <= radius,
        ).length;
        expect(shown.edges).toBe(expectedEdges);
        sizes.push(expected.length);
      }
      expect(sizes[0]).toBeLessThan(sizes[2]!);
      await page.screenshot({ path: join(ARTEFACTS, 'viewer-ego.png') });
    } finally {
      await page.close();
    }
  });

  it('highlights a shortest path of the right length between two nominals', async () => {
    const page = await freshPage();
    try {
      const from = [...small.graph.nodes].sort((a, b) => graph.degree(b.key) - graph.degree(a.key))[0]!.key;
      const depth = distances(graph, from);
      const far = Math.max(...depth.values());
      const to = [...depth].find(([, d]) => d === Math.min(far, 4))![0];
      const length = depth.get(to)!;
      expect(length).toBeGreaterThanOrEqual(2);
      await select(page, from);
      await page.locator('[data-testid="path-from"]').click();
      await select(page, to);
      await page.locator('[data-testid="path-to"]').click();
      await expect.poll(async () => (await view(page)).path).toEqual({ from, to });
      // The path is coloured on sigma's next refresh, which may follow the state by a frame.
      await expect.poll(async () => (await visible(page)).pathEdges.length).toBe(length);
      const shown = await visible(page);
      // The red edges chain from `from` to `to`, each a real association.
      const steps = new Map<string, string[]>();
      for (const [a, b] of shown.pathEdges) {
        expect(graph.hasEdge(a, b)).toBe(true);
        steps.set(a, [...(steps.get(a) ?? []), b]);
        steps.set(b, [...(steps.get(b) ?? []), a]);
      }
      const walk = [from];
      while (walk.at(-1) !== to && walk.length <= length)
        walk.push(steps.get(walk.at(-1)!)!.find((next) => !walk.includes(next))!);
      expect(walk).toHaveLength(length + 1);
      expect(walk.at(-1)).toBe(to);
      expect(await page.locator('[data-testid="status"]').innerText()).toContain(`${length} hops`);
      await page.screenshot({ path: join(ARTEFACTS, 'viewer-path.png') });
    } finally {
      await page.close();
    }
  });

  it("the planner's targets list matches bundle.plans", async () => {
    const page = await freshPage();
    try {
      expect(small.plans.length).toBeGreaterThan(0);
      await page.locator('[data-testid="tab-plans"]').click();
      const shown = await page.locator('[data-testid="plans"] section.plan').evaluateAll((sections) =>
        sections.map((section) => ({
          heading: (section as unknown as { querySelector(s: string): { textContent: string } }).querySelector('h3')
            .textContent,
          targets: [
            ...(
              section as unknown as { querySelectorAll(s: string): Iterable<{ textContent: string }> }
            ).querySelectorAll('ol > li > button'),
          ].map((button) => button.textContent),
        })),
      );
      expect(shown).toHaveLength(small.plans.length);
      small.plans.forEach((plan, i) => {
        expect(shown[i]!.heading).toContain(plan.group.id);
        expect(shown[i]!.targets).toEqual(plan.targets.map((target) => target.label));
      });
    } finally {
      await page.close();
    }
  });

  it('a group whose planning failed is listed with its reason above the plans that were made', async () => {
    const failing = await bundleWithPlanFailure();
    expect(failing.planFailures).toHaveLength(1);
    const page = await freshPage(failing, writeBundle(failing, folder, 'plan-failure.bundle.json'));
    try {
      await page.locator('[data-testid="tab-plans"]').click();
      const listed = await page.locator('[data-testid="plan-failures"] li').allInnerTexts();
      expect(listed).toEqual(failing.planFailures!.map(describePlanFailure));
      // The failure removed no other group's plan.
      expect(await page.locator('[data-testid="plans"] section.plan').count()).toBe(failing.plans.length);
      expect(failing.plans.length).toBe(small.plans.length - 1);
    } finally {
      await page.close();
    }
  });

  it('filters by grading (3x5x2 source and intelligence; legacy 5x5x5): visible links equal an independent count', async () => {
    // The small town grades everything 3x5x2: every 7th network link is given a legacy 5x5x5 grading here.
    const graded: ViewerBundle = JSON.parse(JSON.stringify(small));
    graded.network.edges.forEach((edge, i) => {
      if (i % 7 === 0) edge.attributes!.grading = '5x5x5:B24';
    });
    const page = await freshPage(graded, writeBundle(graded, folder, 'graded.bundle.json'));
    try {
      const offered = await page
        .locator('[data-testid="filter-gradings"] input')
        .evaluateAll((inputs) =>
          inputs.map((input) => (input as unknown as { dataset: { value: string } }).dataset.value),
        );
      const present = new Set(graded.network.edges.flatMap((edge) => items(String(edge.attributes!.grading))));
      expect(new Set(offered)).toEqual(present);
      expect(offered).toContain('legacy 5x5x5');
      const personCount = (hidden: Set<string>) =>
        small.graph.edges.filter((edge) => {
          const gradings = (edge.attributes!.gradings as string[] | undefined) ?? [];
          return gradings.length === 0 || gradings.some((grading) => passes(grading, hidden));
        }).length;
      const networkCount = (hidden: Set<string>) =>
        graded.network.edges.filter((edge) => passes(String(edge.attributes!.grading), hidden)).length;
      expect(
        small.graph.edges.every(
          (edge) => Array.isArray(edge.attributes!.gradings) && (edge.attributes!.gradings as string[]).length > 0,
        ),
      ).toBe(true);

      // Hide the one item that removes the most person links (but not all), then a second one.
      const candidates = offered
        .filter((item) => item !== 'legacy 5x5x5')
        .map((item) => ({ item, count: personCount(new Set([item])) }))
        .filter(({ count }) => count < small.graph.edges.length)
        .sort((a, b) => a.count - b.count);
      expect(candidates.length).toBeGreaterThan(0);
      const hidden = new Set<string>();
      for (const { item } of candidates.slice(0, 2)) {
        hidden.add(item);
        await page.locator(`[data-testid="filter-gradings"] input[data-value="${item}"]`).click();
        await expect.poll(async () => (await view(page)).hiddenGradings).toEqual([...hidden]);
        const shown = await visible(page);
        expect(shown.edges).toBe(personCount(hidden));
        expect(shown.edges).toBeLessThan(small.graph.edges.length);
        expect(await page.locator('[data-testid="visible-edges"]').innerText()).toBe(String(personCount(hidden)));
      }
      // The multimodal network: each link's own grading.
      await page.locator('[data-testid="view-network"]').check();
      await expect.poll(async () => (await view(page)).view).toBe('network');
      expect((await visible(page)).edges).toBe(networkCount(hidden));
      expect(networkCount(hidden)).toBeLessThan(small.network.edges.length);
      await page.screenshot({ path: join(ARTEFACTS, 'viewer-grading-filter.png') });
      // Legacy 5x5x5 gradings are their own item.
      const before = networkCount(hidden);
      await page.locator('[data-testid="filter-gradings"] input[data-value="legacy 5x5x5"]').click();
      hidden.add('legacy 5x5x5');
      expect(networkCount(hidden)).toBeLessThan(before);
      expect((await visible(page)).edges).toBe(networkCount(hidden));
    } finally {
      await page.close();
    }
  });
});
