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
/** The skip reason the suite summary prints for browser tests. */
export const NO_CHROMIUM = `no Chromium at ${CHROMIUM} (apt-get install chromium, or set OCGNET_CHROMIUM)`;

/**
 * Launches Debian's Chromium headless. `webgl` allows software WebGL
 * (SwiftShader), which the viewer's Sigma canvas needs on a machine with no GPU.
 */
export async function launchChromium(options: { webgl?: boolean } = {}): Promise<Browser> {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  if (options.webgl) args.push('--enable-unsafe-swiftshader', '--use-angle=swiftshader');
  return chromium.launch({ executablePath: CHROMIUM, args });
}
