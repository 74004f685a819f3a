/**
 * Debian's Chromium, driven by playwright-core. Test tools' own browser
 * downloads fail here, so the test setup installs the Debian package and we
 * point playwright at it. Outside CI a missing browser skips the browser
 * tests; in CI (CI=true) it fails them.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.OCGNET_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const MUST_HAVE_BROWSER = process.env.CI === 'true';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
