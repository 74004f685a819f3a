/**
 * The viewer builds to dist/: one HTML file that loads its script and CSS
 * from same-origin files (no inline script or style, so the served CSP
 * `script-src 'self'; style-src 'self'` holds), and workers emitted as
 * files of their own.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  // Preact through oxc's automatic JSX runtime: no Babel preset needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    alias: [
      // @ocgnet/io's CSV readers import node:stream and csv-parse (which needs Buffer); the viewer
      // only uses its XML parsers, so both are replaced by stubs that say so if ever called.
      { find: /^(node:)?stream$/, replacement: fileURLToPath(new URL('./src/nodeStream.ts', import.meta.url)) },
      { find: /^csv-parse$/, replacement: fileURLToPath(new URL('./src/csvParseStub.ts', import.meta.url)) },
    ],
  },
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
