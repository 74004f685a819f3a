/**
 * A partnership profile rendered as HTML opens in headless Chromium: it
 * renders with its classification banner and network picture, runs no script,
 * and a screenshot is kept in test/artefacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, SMALL_FIXTURE, runCli, temporaryFolder } from '../cli/cli.fixtures.js';
import { HAVE_CHROMIUM, MUST_HAVE_BROWSER, NO_CHROMIUM, launchChromium } from './browser.js';
import { skipUnless } from '../skip.js';

describe('profile HTML in Chromium', skipUnless(HAVE_CHROMIUM || MUST_HAVE_BROWSER, NO_CHROMIUM), () => {
  it('renders, with the banner and the ego network, and runs no script', async () => {
    const folder = temporaryFolder();
    const html = join(folder, 'profile.html');
    const run = await runCli(
      'profile',
      SMALL_FIXTURE,
      '--subject',
      'ocg:OCG02',
      '--audience',
      'partner-agency:housing',
      '--format',
      'html',
      '--out',
      html,
      '--who',
      'e2e',
      '--justification',
      'browser test',
      '--audit-log',
      join(folder, 'audit.log'),
      '-q',
    );
    expect(run.code, run.stderr).toBe(0);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(pathToFileURL(html).href);
      const text = await page.locator('body').innerText();
      expect(text).toMatch(/OFFICIAL-SENSITIVE/);
      expect(text).toMatch(/partner-agency:housing/);
      expect(await page.locator('svg').count()).toBeGreaterThan(0);
      expect(await page.locator('script').count()).toBe(0);
      expect(dialogs).toEqual([]);
      const artefacts = join(REPO_ROOT, 'test', 'artefacts');
      mkdirSync(artefacts, { recursive: true });
      await page.screenshot({ path: join(artefacts, 'profile-ocg02-housing.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
