/**
 * Markings on everything that leaves the viewer's screen, and what the
 * viewer lets an analyst do to whom (issue 16, §4 and §3), in Chromium with
 * the production CSP:
 * - the PNG export, read back with OCR (tesseract), and the SVG export, read
 *   as text and laid out by Chromium, each carry the full marking (the
 *   classification, the handling code and every condition, a long one
 *   included) in a legible banner at the top and the bottom: wrapped, never
 *   squeezed or cut; the on-screen banners show all of it too;
 * - the handling-code filter hides marked entities, not only links: with
 *   only P ticked, a C-graded CHIS event (and its P link) is not drawn;
 * - the strategy comparison never removes safeguarding subjects unless the
 *   analyst includes them, and then marks each one it removes.
 * Expected figures are computed here from the bundle, not by the viewer.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { temporaryFolder } from '../cli/cli.fixtures.js';
import { HAVE_CHROMIUM, MUST_HAVE_BROWSER, NO_CHROMIUM, launchChromium } from './browser.js';
import { HAVE_TESSERACT, NO_TESSERACT, bannerCrops, missingInOrder, ocr, words } from './ocr.js';
import {
  ARTEFACTS,
  ensureViewerBuilt,
  openBundle,
  serveViewer,
  smallBundle,
  writeBundle,
  type StaticServer,
  type ViewerBundle,
  sigmaCaughtUp,
} from './viewer.fixtures.js';
import { skipUnless } from '../skip.js';

/** A marking long enough that a one-line banner cannot hold it at any legible size: one condition alone is ~330 characters. */
const LONG_CONDITION =
  'Source protection: this intelligence derives from a covert human intelligence source tasked under authorisation CHIS-2024-0417; ' +
  'do not act on it, record it in any partner system, or disclose its existence to the subject, their representatives or any third party ' +
  'without the written approval of the Force Intelligence Bureau duty inspector';
const MARKING = {
  handling: 'C' as const,
  conditions: [
    'May be shared with Housing for tenancy enforcement only',
    'Police use only; not for disclosure to partners',
    LONG_CONDITION,
  ],
};
/** The banner as the viewer states it: classification, handling code, every condition. */
const EXPECTED_BANNER = `OFFICIAL-SENSITIVE — handling C (conditions: ${MARKING.conditions.join('; ')})`;

/** The CHIS event added to the small town: C-graded ("police use only"), linked to one nominal by a P-graded link. */
const CHIS_EVENT = 'E-CHIS-TEST';
const CHIS_LINK = 'K-CHIS-TEST';

const FLAGS = ['vulnerable', 'under_18', 'exploited', 'cuckooed'] as const;
const MARK = 'SAFEGUARDING: protect, do not target';

interface SigmaLike {
  getGraph(): { forEachNode(cb: (node: string) => void): void; forEachEdge(cb: (edge: string) => void): void };
  getNodeDisplayData(node: string): { hidden?: boolean } | undefined;
  getEdgeDisplayData(edge: string): { hidden?: boolean } | undefined;
}
interface ElementLike {
  scrollWidth: number;
  clientWidth: number;
  scrollHeight: number;
  clientHeight: number;
  innerText: string;
  getBoundingClientRect(): { left: number; right: number; top: number; bottom: number };
  getAttribute(name: string): string | null;
  querySelector(selector: string): ElementLike | null;
  querySelectorAll(selector: string): ArrayLike<ElementLike>;
  getBBox(): { x: number; y: number; width: number; height: number };
  textContent: string | null;
}
interface PageGlobal {
  __ocgnet: {
    sigma: SigmaLike | null;
    state: { visibleNodes: number; visibleEdges: number; view: { view: string; hiddenHandling: string[] } } | null;
  };
  document: {
    querySelector(selector: string): ElementLike | null;
    querySelectorAll(selector: string): ArrayLike<ElementLike>;
    documentElement: ElementLike;
  };
  innerWidth: number;
}

/** What sigma draws once it has caught up with the page's state: the visible node keys and edge keys. */
async function drawn(page: Page): Promise<{ nodes: string[]; edges: string[] }> {
  await sigmaCaughtUp(page);
  return page.evaluate(() => {
    const sigma = (globalThis as unknown as PageGlobal).__ocgnet.sigma!;
    const nodes: string[] = [];
    const edges: string[] = [];
    sigma.getGraph().forEachNode((node) => {
      if (!sigma.getNodeDisplayData(node)?.hidden) nodes.push(node);
    });
    sigma.getGraph().forEachEdge((edge) => {
      if (!sigma.getEdgeDisplayData(edge)?.hidden) edges.push(edge);
    });
    return { nodes: nodes.sort(), edges: edges.sort() };
  });
}

async function download(page: Page, testid: string, path: string): Promise<Buffer> {
  const downloading = page.waitForEvent('download');
  await page.locator(`[data-testid="${testid}"]`).click();
  await (await downloading).saveAs(path);
  return readFileSync(path);
}

describe(
  'viewer markings and safeguarding in Chromium',
  skipUnless(HAVE_CHROMIUM || MUST_HAVE_BROWSER, NO_CHROMIUM),
  () => {
    let browser: Browser;
    let server: StaticServer;
    let small: ViewerBundle;
    let marked: ViewerBundle;
    let markedPath: string;
    const folder = temporaryFolder('ocgnet-viewer-markings-');
    const errors: string[] = [];

    async function freshPage(
      bundle: ViewerBundle,
      path: string,
      viewport = { width: 1400, height: 900 },
    ): Promise<Page> {
      const page = await browser.newPage({ viewport, acceptDownloads: true });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.location().url.includes('/api/bundle')) errors.push(message.text());
      });
      await page.goto(server.url);
      await openBundle(page, path, bundle.graph.nodes.length);
      return page;
    }

    /** A blank page showing one exported SVG at its own size (no script in it: the export has none). */
    async function svgPage(svg: string): Promise<Page> {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
      await page.setContent(
        `<!doctype html><html><body style="margin:0">${svg.replace(/^<\?xml[^>]*>\s*/, '')}</body></html>`,
      );
      return page;
    }

    beforeAll(async () => {
      ensureViewerBuilt();
      mkdirSync(ARTEFACTS, { recursive: true });
      server = await serveViewer();
      small = await smallBundle();
      // The small town under a long marking, with a CHIS event graded C and linked by a P link.
      marked = JSON.parse(JSON.stringify(small)) as ViewerBundle;
      marked.classification = 'OFFICIAL-SENSITIVE';
      marked.marking = { handling: MARKING.handling, conditions: [...MARKING.conditions] };
      const attendee = marked.network.nodes.find(
        (node) =>
          node.attributes?.kind === 'person' && (node.attributes.marking as { handling: string }).handling === 'P',
      )!.key;
      marked.network.nodes.push({
        key: CHIS_EVENT,
        attributes: {
          kind: 'event',
          label: 'CHIS: cash handover at 13 Manor Terrace (IR-2024-09999)',
          marking: { handling: 'C', conditions: ['Police use only; not for disclosure to partners'] },
        },
      });
      marked.network.edges.push({
        key: CHIS_LINK,
        source: attendee,
        target: CHIS_EVENT,
        attributes: {
          type: 'attended',
          grading: '2B P',
          handling: 'P',
          marking: { handling: 'P', conditions: [] },
          weight: 1,
          start: '2024-05-01',
          end: '2024-05-01',
        },
      });
      markedPath = writeBundle(marked, folder, 'marked.bundle.json');
      browser = await launchChromium({ webgl: true });
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      rmSync(folder, { recursive: true, force: true });
      expect(errors).toEqual([]);
      expect(server.reports).toEqual([]);
    });

    it('the on-screen banners show the whole marking, wrapped, with nothing cut off', async () => {
      const page = await freshPage(marked, markedPath);
      try {
        for (const position of ['top', 'bottom']) {
          const banner = await page.evaluate((testid) => {
            const g = globalThis as unknown as PageGlobal;
            const element = g.document.querySelector(`[data-testid="${testid}"]`)!;
            const box = element.getBoundingClientRect();
            return {
              text: element.innerText,
              scrollWidth: element.scrollWidth,
              clientWidth: element.clientWidth,
              scrollHeight: element.scrollHeight,
              clientHeight: element.clientHeight,
              left: box.left,
              right: box.right,
              top: box.top,
              bottom: box.bottom,
              height: box.bottom - box.top,
              viewport: g.innerWidth,
            };
          }, `banner-${position}`);
          expect(banner.text.replace(/\s+/g, ' ').trim(), position).toBe(EXPECTED_BANNER);
          // Nothing overflows (no ellipsis, no clipping), and the banner spans several lines inside the window.
          expect(banner.scrollWidth, position).toBeLessThanOrEqual(banner.clientWidth);
          expect(banner.scrollHeight, position).toBeLessThanOrEqual(banner.clientHeight);
          expect(banner.left).toBeGreaterThanOrEqual(0);
          expect(banner.right).toBeLessThanOrEqual(banner.viewport);
          expect(banner.height, position).toBeGreaterThan(30);
        }
        await page.screenshot({ path: join(ARTEFACTS, 'viewer-marking-banners.png') });
      } finally {
        await page.close();
      }
    });

    it('the SVG export carries the full marking, top and bottom, every line inside the drawing', async () => {
      const page = await freshPage(marked, markedPath);
      try {
        const svgPath = join(folder, 'marked.svg');
        const text = (await download(page, 'export-svg', svgPath)).toString('utf8');
        // Laid out by Chromium, alone on a page.
        const viewer = await svgPage(text);
        try {
          const layout = await viewer.evaluate(() => {
            const g = globalThis as unknown as PageGlobal;
            const root = g.document.querySelector('svg')!;
            const width = Number(root.getAttribute('width'));
            const height = Number(root.getAttribute('height'));
            const banners = Array.from(g.document.querySelectorAll('g.marking')).map((group) => {
              const box = (element: ElementLike) => {
                const { x, y, width, height } = element.getBBox();
                return { x, y, width, height };
              };
              const rect = box(group.querySelector('rect')!);
              const lines = Array.from(group.querySelectorAll('text')).map((line) => ({
                text: line.textContent ?? '',
                box: box(line),
              }));
              return { position: group.getAttribute('data-position'), rect, lines };
            });
            return { width, height, banners };
          });
          expect(layout.banners.map((banner) => banner.position)).toEqual(['top', 'bottom']);
          const [top, bottom] = layout.banners;
          expect(top!.rect.y).toBe(0);
          expect(bottom!.rect.y + bottom!.rect.height).toBeCloseTo(layout.height, 0);
          for (const banner of layout.banners) {
            // Read as text: the lines, in order, are the whole marking.
            expect(banner.lines.map((line) => line.text).join(' '), banner.position!).toBe(EXPECTED_BANNER);
            expect(banner.lines.length, banner.position!).toBeGreaterThan(1);
            // Laid out: every line within the drawing's width and inside its red banner, at a legible size.
            for (const { text: line, box } of banner.lines) {
              expect(box.x, line).toBeGreaterThanOrEqual(0);
              expect(box.x + box.width, line).toBeLessThanOrEqual(layout.width);
              expect(box.y, line).toBeGreaterThanOrEqual(banner.rect.y);
              expect(box.y + box.height, line).toBeLessThanOrEqual(banner.rect.y + banner.rect.height + 0.5);
              expect(box.height, line).toBeGreaterThanOrEqual(14);
            }
          }
          expect(text).toContain('CHIS-2024-0417');
        } finally {
          await viewer.close();
        }
      } finally {
        await page.close();
      }
    });

    describe('OCR of the exports', skipUnless(HAVE_TESSERACT || MUST_HAVE_BROWSER, NO_TESSERACT), () => {
      const expected = words(EXPECTED_BANNER);

      async function readBanners(
        png: Buffer,
        name: string,
      ): Promise<{ bands: { top: number; bottom: number }[]; height: number; readings: string[] }> {
        const { bands, height, crops } = await bannerCrops(browser, png);
        const readings = crops.map((crop, i) => ocr(crop, ARTEFACTS, `${name}-banner-${i}`));
        return { bands, height, readings };
      }

      it('the PNG export, read back with OCR, states the full marking at the top and at the bottom', async () => {
        const page = await freshPage(marked, markedPath);
        try {
          const png = await download(page, 'export-png', join(ARTEFACTS, 'viewer-marking-export.png'));
          expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
          const { bands, height, readings } = await readBanners(png, 'viewer-marking-png');
          // Two banners: one from the first row, one to the last.
          expect(bands).toHaveLength(2);
          expect(bands[0]!.top).toBe(0);
          expect(bands[1]!.bottom).toBe(height);
          for (const [i, reading] of readings.entries()) {
            expect(missingInOrder(expected, words(reading)), `banner ${i} read as:\n${reading}`).toEqual([]);
          }
        } finally {
          await page.close();
        }
      });

      it('the SVG export, rendered by Chromium and read back with OCR, states the full marking', async () => {
        const page = await freshPage(marked, markedPath);
        const svgPath = join(folder, 'ocr.svg');
        try {
          await download(page, 'export-svg', svgPath);
        } finally {
          await page.close();
        }
        const viewer = await svgPage(readFileSync(svgPath, 'utf8'));
        try {
          const png = await viewer
            .locator('svg')
            .first()
            .screenshot({ path: join(ARTEFACTS, 'viewer-marking-export.svg.png') });
          const { bands, readings } = await readBanners(png, 'viewer-marking-svg');
          expect(bands).toHaveLength(2);
          for (const [i, reading] of readings.entries()) {
            expect(missingInOrder(expected, words(reading)), `banner ${i} read as:\n${reading}`).toEqual([]);
          }
        } finally {
          await viewer.close();
        }
      });
    });

    it('the working state saved to a file carries the classification and the marking', async () => {
      const page = await freshPage(marked, markedPath);
      try {
        const saved = JSON.parse((await download(page, 'save-state', join(folder, 'state.json'))).toString('utf8'));
        expect(saved.classification).toBe('OFFICIAL-SENSITIVE');
        expect(saved.marking.handling).toBe(MARKING.handling);
        expect(saved.marking.conditions).toEqual(MARKING.conditions);
      } finally {
        await page.close();
      }
    });

    it('the handling filter hides marked entities too: with only P ticked a C-graded CHIS event is not drawn, nor its P link; with C ticked it is', async () => {
      const page = await freshPage(marked, markedPath);
      try {
        await page.locator('[data-testid="view-network"]').check();
        await expect
          .poll(async () => page.evaluate(() => (globalThis as unknown as PageGlobal).__ocgnet.state!.view.view))
          .toBe('network');
        const handlingOf = (attributes: Record<string, unknown> | undefined) =>
          String(attributes?.handling ?? (attributes?.marking as { handling?: string } | undefined)?.handling ?? 'P');
        const nodeCode = new Map(marked.network.nodes.map((node) => [node.key, handlingOf(node.attributes)]));
        // Independently: the entities whose code is ticked, and the links whose code is ticked between two of them.
        const expectedFor = (ticked: Set<string>) => {
          const nodes = marked.network.nodes
            .filter((node) => ticked.has(nodeCode.get(node.key)!))
            .map((node) => node.key);
          const shown = new Set(nodes);
          const edges = marked.network.edges
            .filter(
              (edge) => ticked.has(handlingOf(edge.attributes)) && shown.has(edge.source) && shown.has(edge.target),
            )
            .map((edge) => edge.key!);
          return { nodes: nodes.sort(), edges: edges.sort() };
        };
        const offered = await page
          .locator('[data-testid="filter-handling"] input')
          .evaluateAll((inputs) =>
            inputs.map((input) => (input as unknown as { dataset: { value: string } }).dataset.value),
          );
        expect(offered.sort()).toEqual(['C', 'P', 'R']);

        const all = await drawn(page);
        expect(all.nodes).toContain(CHIS_EVENT);
        expect(all.edges).toContain(CHIS_LINK);

        // Only P ticked.
        for (const code of ['C', 'R'])
          await page.locator(`[data-testid="filter-handling"] input[data-value="${code}"]`).click();
        await expect
          .poll(async () =>
            page.evaluate(() => (globalThis as unknown as PageGlobal).__ocgnet.state!.view.hiddenHandling),
          )
          .toEqual(['C', 'R']);
        const onlyP = await drawn(page);
        expect(onlyP.nodes).not.toContain(CHIS_EVENT);
        expect(onlyP.edges).not.toContain(CHIS_LINK);
        expect(onlyP).toEqual(expectedFor(new Set(['P'])));
        // Every C-graded entity of the town is off screen, not only the one added.
        const cEntities = marked.network.nodes.filter((node) => nodeCode.get(node.key) === 'C').map((node) => node.key);
        expect(cEntities.length).toBeGreaterThan(1);
        for (const node of cEntities) expect(onlyP.nodes).not.toContain(node);
        await page.screenshot({ path: join(ARTEFACTS, 'viewer-handling-only-p.png') });

        // C ticked again: the event and its link are back.
        await page.locator('[data-testid="filter-handling"] input[data-value="C"]').click();
        await expect
          .poll(async () =>
            page.evaluate(() => (globalThis as unknown as PageGlobal).__ocgnet.state!.view.hiddenHandling),
          )
          .toEqual(['R']);
        const pc = await drawn(page);
        expect(pc.nodes).toContain(CHIS_EVENT);
        expect(pc.edges).toContain(CHIS_LINK);
        expect(pc).toEqual(expectedFor(new Set(['P', 'C'])));

        // The person view: C-marked nominals go too.
        await page.locator('[data-testid="filter-handling"] input[data-value="C"]').click();
        await page.locator('[data-testid="view-persons"]').check();
        const persons = await drawn(page);
        const personCode = new Map(marked.graph.nodes.map((node) => [node.key, handlingOf(node.attributes)]));
        const expectedPersons = marked.graph.nodes
          .filter((node) => personCode.get(node.key) === 'P')
          .map((node) => node.key)
          .sort();
        expect(expectedPersons.length).toBeLessThan(marked.graph.nodes.length);
        expect(persons.nodes).toEqual(expectedPersons);
        expect(persons.edges).toEqual(
          marked.graph.edges
            .filter(
              (edge) =>
                handlingOf(edge.attributes) === 'P' &&
                personCode.get(edge.source) === 'P' &&
                personCode.get(edge.target) === 'P',
            )
            .map((edge) => edge.key!)
            .sort(),
        );
      } finally {
        await page.close();
      }
    });

    it('strategies never remove safeguarding subjects by default and list them as protected; included, each one removed is marked', async () => {
      const page = await freshPage(small, writeBundle(small, folder, 'small.bundle.json'));
      try {
        // Safeguarding subjects, from the bundle's own flags.
        const subjects = new Set(
          small.graph.nodes
            .filter((node) => FLAGS.some((flag) => node.attributes?.[flag] === true))
            .map((node) => node.key),
        );
        expect(subjects.size).toBeGreaterThan(0);
        await page.locator('[data-testid="tab-disruption"]').click();
        for (const strategy of ['betweenness', 'random'])
          await page.locator(`[data-testid="strategies"] input[data-strategy="${strategy}"]`).uncheck();
        await page.locator('[data-testid="strategies"] input[data-strategy="degree"]').check();
        await page.locator('[data-testid="strategy-steps"]').fill('30');
        await page.locator('[data-testid="strategy-steps"]').dispatchEvent('change');
        const include = page.locator('[data-testid="include-safeguarding"]');
        expect(await include.isVisible()).toBe(true);
        expect(await include.isChecked()).toBe(false);

        const listing = async () => {
          const list = page.locator('[data-testid="strategy-removed"][data-strategy="degree"] li');
          await list.first().waitFor();
          return list.evaluateAll((items) =>
            items.map((item) => {
              const element = item as unknown as ElementLike;
              return {
                id: element.getAttribute('data-node')!,
                marked: element.getAttribute('data-safeguarding') === 'true',
                text: element.textContent ?? '',
              };
            }),
          );
        };

        await page.locator('[data-testid="run-strategies"]').click();
        const protectedRun = await listing();
        expect(protectedRun).toHaveLength(30);
        expect(protectedRun.filter((entry) => subjects.has(entry.id))).toEqual([]);
        const listed = await page
          .locator('[data-testid="strategies-protected"] [data-node]')
          .evaluateAll((items) => items.map((item) => (item as unknown as ElementLike).getAttribute('data-node')!));
        expect(new Set(listed)).toEqual(subjects);
        expect(await page.locator('[data-testid="strategies-protected"]').innerText()).toContain(
          `${subjects.size} safeguarding subject(s) protected from removal`,
        );

        await include.check();
        await page.locator('[data-testid="run-strategies"]').click();
        await page.locator('[data-testid="safeguarding-included"]').waitFor();
        const includedRun = await listing();
        expect(includedRun).toHaveLength(30);
        const removedSubjects = includedRun.filter((entry) => subjects.has(entry.id));
        expect(removedSubjects.length).toBeGreaterThan(0);
        for (const entry of includedRun) {
          expect(entry.marked, entry.id).toBe(subjects.has(entry.id));
          if (subjects.has(entry.id)) expect(entry.text).toContain(MARK);
          else expect(entry.text).not.toContain(MARK);
        }
        expect(await page.locator('[data-testid="strategies-protected"]').count()).toBe(0);
        await page.screenshot({ path: join(ARTEFACTS, 'viewer-strategies-safeguarding.png') });
      } finally {
        await page.close();
      }
    });
  },
);
