/**
 * Soak: frame times of the viewer on the medium scenario (about 1,500
 * nominals), in headless Chromium with software WebGL, while panning and
 * zooming and while ForceAtlas2 runs. Printed, not asserted (speed belongs in
 * benchmarks); the test asserts only that frames were drawn and the layout
 * ran. Run by `pnpm soak`, not `pnpm test`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { temporaryFolder } from '../cli/cli.fixtures.js';
import { HAVE_CHROMIUM, MUST_HAVE_BROWSER, NO_CHROMIUM, launchChromium } from './browser.js';
import {
  ARTEFACTS,
  ensureViewerBuilt,
  mediumBundle,
  openBundle,
  percentile,
  serveViewer,
  writeBundle,
  type StaticServer,
} from './viewer.fixtures.js';
import { skipUnless } from '../skip.js';

/** The page's globals as this test uses them (the root tsconfig has no DOM lib). */
interface PageGlobal {
  __ocgnet: { state: Record<string, unknown> | null };
  __frames: number[] | null;
  requestAnimationFrame(callback: (time: number) => void): void;
}

describe('viewer frame times in Chromium', skipUnless(HAVE_CHROMIUM || MUST_HAVE_BROWSER, NO_CHROMIUM), () => {
  let browser: Browser;
  let server: StaticServer;
  const folder = temporaryFolder('ocgnet-viewer-frames-');

  beforeAll(async () => {
    ensureViewerBuilt();
    mkdirSync(ARTEFACTS, { recursive: true });
    server = await serveViewer();
    browser = await launchChromium({ webgl: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('frame times on the medium scenario (printed, not asserted)', async () => {
    const bundle = mediumBundle();
    const path = writeBundle(bundle, folder, 'medium.bundle.json');
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await page.goto(server.url);
      await openBundle(page, path, bundle.graph.nodes.length);
      // Every nominal, not the community overview the viewer opens on above 2,000 persons.
      await page.locator('[data-testid="overview-toggle"]').click();
      await page.waitForFunction(
        () => ((globalThis as unknown as PageGlobal).__ocgnet.state!.view as { overview: boolean }).overview === false,
      );
      const box = (await page.locator('[data-testid="sigma"]').boundingBox())!;
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      const startFrames = () =>
        page.evaluate(() => {
          const times: number[] = [];
          (globalThis as unknown as PageGlobal).__frames = times;
          const loop = (time: number) => {
            times.push(time);
            if ((globalThis as unknown as PageGlobal).__frames === times)
              (globalThis as unknown as PageGlobal).requestAnimationFrame(loop);
          };
          (globalThis as unknown as PageGlobal).requestAnimationFrame(loop);
        });
      const stopFrames = async () => {
        const times = await page.evaluate(() => {
          const frames = (globalThis as unknown as PageGlobal).__frames ?? [];
          (globalThis as unknown as PageGlobal).__frames = null;
          return frames;
        });
        const intervals = times.slice(1).map((time, i) => time - times[i]!);
        return { frames: intervals.length, median: percentile(intervals, 0.5), p95: percentile(intervals, 0.95) };
      };
      await startFrames();
      const started = Date.now();
      await page.mouse.move(cx, cy);
      for (let i = 0; Date.now() - started < 3000; i++) {
        await page.mouse.down();
        await page.mouse.move(cx + 120 * Math.cos(i), cy + 80 * Math.sin(i), { steps: 8 });
        await page.mouse.up();
        await page.mouse.wheel(0, i % 2 === 0 ? -240 : 240);
      }
      const panZoom = await stopFrames();
      await page.locator('[data-testid="layout-toggle"]').click();
      await startFrames();
      await page.waitForTimeout(3000);
      const layout = await stopFrames();
      const iterations = await page.evaluate(
        () => ((globalThis as unknown as PageGlobal).__ocgnet.state!.layout as { iterations: number }).iterations,
      );
      await page.locator('[data-testid="layout-toggle"]').click();
      await page.screenshot({ path: join(ARTEFACTS, 'viewer-medium.png') });
      const line = (name: string, stats: { frames: number; median: number; p95: number }) =>
        `${name}: ${stats.frames} frames, median ${stats.median.toFixed(1)} ms, p95 ${stats.p95.toFixed(1)} ms`;
      console.log(
        `viewer frame times, medium scenario (${bundle.graph.nodes.length} nominals, ${bundle.graph.edges.length} associations; headless Chromium, software WebGL)\n  ${line('pan/zoom', panZoom)}\n  ${line(`ForceAtlas2 running (${iterations} iterations in 3 s)`, layout)}`,
      );
      expect(panZoom.frames).toBeGreaterThan(0);
      expect(iterations).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });
});
