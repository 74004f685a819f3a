/**
 * The viewer in Chromium, served with the production CSP: it loads a bundle
 * from the file picker and renders every nominal; search opens a panel; a
 * what-if removal changes the fragmentation figures to what Node computes
 * independently; the time slider shows exactly the links that overlap the
 * window; 1,000 injection payloads as labels and properties raise no dialog
 * and no CSP violation. Screenshots go to test/artefacts/. The frame times on
 * the medium scenario are measured by the soak (viewer.frames.soak.test.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { temporaryFolder } from '../cli/cli.fixtures.js';
import { HAVE_CHROMIUM, MUST_HAVE_BROWSER, NO_CHROMIUM, launchChromium } from './browser.js';
import { skipUnless } from '../skip.js';
import {
  ARTEFACTS,
  componentSizes,
  edgesOverlapping,
  ensureViewerBuilt,
  openBundle,
  personGraph,
  serveViewer,
  smallBundle,
  writeBundle,
  xssBundle,
  type StaticServer,
  type ViewerBundle,
} from './viewer.fixtures.js';

interface SigmaLike {
  getGraph(): {
    order: number;
    size: number;
    forEachNode(cb: (node: string) => void): void;
    forEachEdge(cb: (edge: string) => void): void;
  };
  getNodeDisplayData(node: string): { hidden?: boolean; x: number; y: number } | undefined;
  getEdgeDisplayData(edge: string): { hidden?: boolean } | undefined;
  framedGraphToViewport(point: { x: number; y: number }): { x: number; y: number };
}
/** The page's globals as the tests use them (the root tsconfig has no DOM lib). */
interface PageGlobal {
  __ocgnet: { sigma: SigmaLike | null; graph: unknown; state: Record<string, unknown> | null };
  document: { querySelectorAll(selector: string): { length: number } };
}

/** Sigma's own view of what is drawn. */
async function sigmaCounts(page: Page): Promise<{ order: number; visibleNodes: number; visibleEdges: number }> {
  return page.evaluate(() => {
    const sigma = (globalThis as unknown as PageGlobal).__ocgnet.sigma!;
    const graph = sigma.getGraph();
    let visibleNodes = 0;
    let visibleEdges = 0;
    graph.forEachNode((node: string) => {
      if (!sigma.getNodeDisplayData(node)?.hidden) visibleNodes++;
    });
    graph.forEachEdge((edge: string) => {
      if (!sigma.getEdgeDisplayData(edge)?.hidden) visibleEdges++;
    });
    return { order: graph.order, visibleNodes, visibleEdges };
  });
}

async function metric(page: Page, name: string, which: 'before' | 'after'): Promise<number> {
  const selector = which === 'after' ? `[data-metric="${name}"]` : `[data-metric-before="${name}"]`;
  return Number(await page.locator(selector).innerText());
}

describe('viewer in Chromium', skipUnless(HAVE_CHROMIUM || MUST_HAVE_BROWSER, NO_CHROMIUM), () => {
  let browser: Browser;
  let server: StaticServer;
  let small: ViewerBundle;
  let smallPath: string;
  const folder = temporaryFolder('ocgnet-viewer-');

  beforeAll(async () => {
    ensureViewerBuilt();
    mkdirSync(ARTEFACTS, { recursive: true });
    server = await serveViewer();
    small = await smallBundle();
    smallPath = writeBundle(small, folder, 'small.bundle.json');
    // Software WebGL: headless Chromium without a GPU needs SwiftShader allowed explicitly.
    browser = await launchChromium({ webgl: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  describe('small fixture', () => {
    let page: Page;
    const errors: string[] = [];
    beforeAll(async () => {
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        // A static copy of the viewer has no /api/bundle: that 404 is expected.
        if (message.type() === 'error' && !message.location().url.includes('/api/bundle')) errors.push(message.text());
      });
      await page.goto(server.url);
      await openBundle(page, smallPath, small.graph.nodes.length);
    });
    afterAll(async () => page?.close());

    it('loads the bundle from the file picker and renders every nominal', async () => {
      const counts = await sigmaCounts(page);
      expect(counts.order).toBe(small.graph.nodes.length);
      expect(counts.visibleNodes).toBe(small.graph.nodes.length);
      expect(counts.visibleEdges).toBe(small.graph.edges.length);
      expect(await page.locator('[data-testid="banner-top"]').innerText()).toContain('OFFICIAL-SENSITIVE');
      expect(await page.locator('[data-testid="banner-bottom"]').innerText()).toContain('OFFICIAL-SENSITIVE');
      expect(await page.locator('[data-testid="legend-safeguarding"]').innerText()).toMatch(/safeguarding/);
      await page.screenshot({ path: join(ARTEFACTS, 'viewer-loaded.png') });
      expect(errors).toEqual([]);
    });

    it('finds a nominal by name and opens their panel', async () => {
      const target =
        small.graph.nodes.find((node) => node.attributes?.mappedRole === 'principal') ?? small.graph.nodes[0]!;
      const label = String(target.attributes!.label);
      await page.locator('[data-testid="search"]').fill(label);
      await page.locator(`[data-testid="search-results"] button[data-node="${target.key}"]`).click();
      await expect.poll(() => page.locator('[data-testid="details-label"]').innerText()).toBe(label);
      expect(await page.locator('[data-testid="details-id"]').innerText()).toBe(target.key);
      expect(await page.locator('[data-testid="details-table"]').innerText()).toContain(
        String(target.attributes!.mappedGroup),
      );
      await page.waitForTimeout(600);
      await page.screenshot({ path: join(ARTEFACTS, 'viewer-search-panel.png') });
    });

    it('removing a cut point changes the fragmentation figures to what Node computes', async () => {
      const graph = personGraph(small);
      const sizes = componentSizes(graph);
      // The articulation point whose removal cuts the largest component most.
      let best: { id: string; lcc: number; components: number } | null = null;
      for (const node of small.graph.nodes) {
        if (node.attributes?.articulation !== true) continue;
        const after = componentSizes(graph, new Set([node.key]));
        if (best === null || after[0]! < best.lcc) best = { id: node.key, lcc: after[0]!, components: after.length };
      }
      expect(best).not.toBeNull();
      await page.locator('[data-testid="search"]').fill(best!.id);
      await page.locator(`[data-testid="search-results"] button[data-node="${best!.id}"]`).click();
      await page.locator('[data-testid="remove-node"]').click();
      await page.locator('[data-testid="tab-disruption"]').click();
      const lccBefore = await metric(page, 'lcc', 'before');
      const lccAfter = await metric(page, 'lcc', 'after');
      expect(lccBefore).toBe(sizes[0]);
      expect(lccAfter).not.toBe(lccBefore);
      expect(lccAfter).toBe(best!.lcc);
      expect(await metric(page, 'components', 'after')).toBe(best!.components);
      expect(await metric(page, 'remaining', 'after')).toBe(small.graph.nodes.length - 1);
      const n = small.graph.nodes.length - 1;
      const connected = componentSizes(graph, new Set([best!.id])).reduce((sum, s) => sum + s * (s - 1), 0);
      expect(await metric(page, 'fragmentation', 'after')).toBeCloseTo(1 - connected / (n * (n - 1)), 3);
      // The removed node's links are no longer drawn.
      const counts = await sigmaCounts(page);
      expect(counts.visibleEdges).toBe(small.graph.edges.length - graph.degree(best!.id));
      await page.screenshot({ path: join(ARTEFACTS, 'viewer-removal.png') });
      await page.locator('[data-testid="clear-removed"]').click();
      await expect.poll(async () => (await sigmaCounts(page)).visibleEdges).toBe(small.graph.edges.length);
    });

    it('the time slider shows exactly the links overlapping the window', async () => {
      const before = await sigmaCounts(page);
      const from = page.locator('[data-testid="window-from-slider"]');
      const to = page.locator('[data-testid="window-to-slider"]');
      await from.focus();
      for (let i = 0; i < 4; i++) await page.keyboard.press('PageUp');
      await to.focus();
      for (let i = 0; i < 3; i++) await page.keyboard.press('PageDown');
      await page.waitForFunction(() =>
        Array.isArray(((globalThis as unknown as PageGlobal).__ocgnet.state!.view as { window: unknown }).window),
      );
      const window_ = await page.evaluate(
        () => ((globalThis as unknown as PageGlobal).__ocgnet.state!.view as { window: [number, number] }).window,
      );
      const expected = edgesOverlapping(small, window_[0], window_[1]);
      const after = await sigmaCounts(page);
      expect(after.visibleEdges).not.toBe(before.visibleEdges);
      expect(after.visibleEdges).toBe(expected);
      expect(await page.locator('[data-testid="visible-edges"]').innerText()).toBe(String(expected));
      expect(await page.locator('[data-testid="undated-rule"]').innerText()).toMatch(
        /Undated links are shown only when the window covers the full range/,
      );
      await page.screenshot({ path: join(ARTEFACTS, 'viewer-time-window.png') });
    });
  });

  it('opens a GEXF research network as a graph-only bundle', async () => {
    const gexf = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph defaultedgetype="undirected">',
      '<nodes>' + ['a', 'b', 'c', 'd', 'e'].map((id) => `<node id="${id}" label="N ${id}"/>`).join('') + '</nodes>',
      '<edges><edge id="0" source="a" target="b"/><edge id="1" source="b" target="c"/><edge id="2" source="c" target="a"/><edge id="3" source="d" target="e"/></edges>',
      '</graph></gexf>',
    ].join('\n');
    const path = join(folder, 'tiny.gexf');
    writeFileSync(path, gexf);
    const page = await browser.newPage();
    try {
      await page.goto(server.url);
      await openBundle(page, path, 5);
      const counts = await sigmaCounts(page);
      expect(counts).toEqual({ order: 5, visibleNodes: 5, visibleEdges: 4 });
      expect(await page.locator('[data-testid="source"]').innerText()).toContain('tiny.gexf');
    } finally {
      await page.close();
    }
  });

  it('renders 1,000 injection payloads as text: no dialog, no CSP violation', async () => {
    const bundle = xssBundle();
    const path = writeBundle(bundle, folder, 'xss.bundle.json');
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const dialogs: string[] = [];
    const violations: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(`pageerror: ${error.message}`));
    try {
      await page.goto(server.url);
      await openBundle(page, path, 1000);
      expect((await sigmaCounts(page)).order).toBe(1000);
      for (const query of [
        '<script',
        'onerror',
        'javascript:',
        '<svg',
        '${',
        '" onmouseover',
        '<iframe',
        '{{constructor',
      ]) {
        await page.locator('[data-testid="search"]').fill(query);
        const hit = page.locator('[data-testid="search-results"] button').first();
        await hit.click();
        await expect
          .poll(() => page.locator('[data-testid="details-label"]').innerText())
          .toContain(query.replace(/^"/, '"'));
      }
      // Hover over drawn nodes (sigma draws the hover label on canvas).
      const points = await page.evaluate(() => {
        const sigma = (globalThis as unknown as PageGlobal).__ocgnet.sigma!;
        const out: { x: number; y: number }[] = [];
        sigma.getGraph().forEachNode((node: string) => {
          const display = sigma.getNodeDisplayData(node);
          if (display && !display.hidden && out.length < 40) out.push(sigma.framedGraphToViewport(display));
        });
        return out;
      });
      const box = (await page.locator('[data-testid="sigma"]').boundingBox())!;
      for (const point of points) await page.mouse.move(box.x + point.x, box.y + point.y);
      await page.mouse.click(box.x + points[0]!.x, box.y + points[0]!.y);
      // Every other surface that shows data: the multimodal view, colour by group, the plans, the what-if tab.
      await page.locator('[data-testid="view-network"]').check();
      await page.locator('[data-testid="colour-by"]').selectOption('group');
      await page.locator('[data-testid="tab-plans"]').click();
      await page.locator('[data-testid="plans"] button').first().click();
      await page.locator('[data-testid="tab-disruption"]').click();
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(ARTEFACTS, 'viewer-xss.png') });
      const injected = await page.evaluate(() => ({
        scripts: (globalThis as unknown as PageGlobal).document.querySelectorAll('script').length,
        images: (globalThis as unknown as PageGlobal).document.querySelectorAll(
          'img, iframe:not([data-testid="profile-frame"]), object, embed, svg[onload], [onerror], [onload], [onmouseover], [onclick], [onfocus]',
        ).length,
      }));
      expect(injected).toEqual({ scripts: 1, images: 0 });
      await page.waitForTimeout(500);
      expect(dialogs).toEqual([]);
      expect(violations).toEqual([]);
      expect(server.reports).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
