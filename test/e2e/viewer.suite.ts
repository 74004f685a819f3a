/**
 * One browser and one static viewer server for a test file, and pages that record
 * every page error, dialog and console error, so the file can end by checking there
 * were none (and no CSP report).
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { ensureViewerBuilt, openBundle, serveViewer, type StaticServer } from './viewer.fixtures.js';

export interface ViewerSuite {
  browser: Browser;
  server: StaticServer;
  /** Page errors, dialogs and console errors (other than /api/ requests) of every page. */
  errors: string[];
  /** A new page at the viewer (`hash` appended to its address) with `path` opened, once sigma shows `persons`. */
  open(path: string, persons: number, hash?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startViewerSuite(): Promise<ViewerSuite> {
  ensureViewerBuilt();
  const server = await serveViewer();
  const browser = await launchChromium({ webgl: true });
  const errors: string[] = [];
  return {
    browser,
    server,
    errors,
    async open(path, persons, hash = '') {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('dialog', (dialog) => {
        errors.push(`dialog: ${dialog.message()}`);
        void dialog.dismiss();
      });
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.location().url.includes('/api/')) errors.push(message.text());
      });
      await page.goto(`${server.url}${hash}`);
      await openBundle(page, path, persons);
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
