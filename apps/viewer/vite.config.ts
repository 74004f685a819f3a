/**
 * The viewer builds to dist/: one HTML file that loads its script and CSS
 * from same-origin files (no inline script or style, so the served CSP
 * `script-src 'self'; style-src 'self'` holds), and workers emitted as
 * files of their own. The viewer imports `@ocgnet/io/browser`, which reaches
 * no Node built-in and no csv-parse, so nothing needs a stub.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  // Preact through oxc's automatic JSX runtime: no Babel preset needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Never inline assets as data: URLs into scripts or CSS; keep the module preload polyfill out of the HTML.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
  },
  worker: { format: 'es' },
});
