/**
 * A large-path bundle in the viewer (`ocgnet analyse <records> --large
 * --out`, what a force's or a region's records give): it opens, draws every
 * person, says what the large path left out, offers no multimodal view (the
 * bundle has none), shows — for the metrics not computed and the computed
 * ones as the bundle holds them, and its communities open as an overview.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { parseViewerBundle, type BundlePersonAttributes, type ViewerBundle } from '@ocgnet/bundle';
import { SMALL_FIXTURE, runCli, temporaryFolder } from '../cli/cli.fixtures.js';
import { HAVE_CHROMIUM, MUST_HAVE_BROWSER, NO_CHROMIUM, launchChromium } from './browser.js';
import { skipUnless } from '../skip.js';
import { ensureViewerBuilt, openBundle, serveViewer, sigmaCaughtUp, type StaticServer } from './viewer.fixtures.js';

interface PageGlobal {
  __ocgnet: { state: { visibleNodes: number; view: { overview: boolean } } | null };
}

describe('a large-path bundle in Chromium', skipUnless(HAVE_CHROMIUM || MUST_HAVE_BROWSER, NO_CHROMIUM), () => {
  let browser: Browser;
  let server: StaticServer;
  let page: Page;
  let bundle: ViewerBundle;
  const folder = temporaryFolder('ocgnet-viewer-large-');

  beforeAll(async () => {
    ensureViewerBuilt();
    const out = join(folder, 'out');
    const run = await runCli('analyse', SMALL_FIXTURE, '--large', '-q', '--out', out);
    expect(run.code, run.stderr).toBe(0);
    const path = join(out, 'bundle.json');
    bundle = parseViewerBundle(JSON.parse(readFileSync(path, 'utf8')));
    server = await serveViewer();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    await openBundle(page, path, bundle.graph.nodes.length);
    await sigmaCaughtUp(page);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws every person, says what the large path left out, and offers no multimodal view', async () => {
    const visible = await page.evaluate(() => (globalThis as unknown as PageGlobal).__ocgnet.state!.visibleNodes);
    expect(visible).toBe(bundle.graph.nodes.length);
    const note = await page.locator('[data-testid="scale-note"]').textContent();
    expect(note).toContain(`${bundle.scale!.networkOmitted.entities.toLocaleString('en-GB')} entities`);
    expect(note).toContain('pagerank');
    expect(await page.locator('[data-testid="view-network"]').isDisabled()).toBe(true);
  });

  it('shows the computed metrics as the bundle holds them and — for the rest', async () => {
    const [key, person] = bundle.graph.nodes
      .map((node) => [node.key, node.attributes as unknown as BundlePersonAttributes] as const)
      .sort((a, b) => b[1].degree - a[1].degree)[0]!;
    await page.locator('[data-testid="search"]').fill(person.label);
    await page.locator(`[data-testid="search-results"] button[data-node="${key}"]`).click();
    const details = page.locator('[data-testid="details"]');
    await expect.poll(() => details.textContent()).toContain(person.label);
    const rows = await details
      .locator('tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td,th')].map((cell) => cell.textContent ?? '')));
    const value = (name: string) => rows.find((row) => row[0] === name)?.[1];
    expect(value('degree')).toBe(String(person.degree));
    expect(value('closeness')).toBe('—');
    expect(value('eigenvector')).toBe('—');
  });

  it('opens its communities as an overview', async () => {
    await page.locator('[data-testid="overview-toggle"]').click();
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as PageGlobal).__ocgnet.state!.view.overview))
      .toBe(true);
    await sigmaCaughtUp(page);
    const communities = new Set(
      bundle.graph.nodes.map((node) => (node.attributes as unknown as BundlePersonAttributes).community),
    );
    const visible = await page.evaluate(() => (globalThis as unknown as PageGlobal).__ocgnet.state!.visibleNodes);
    expect(visible).toBe(communities.size);
  });
});
