/**
 * Builds the benchmark's bare-sigma page (bench/bare.html) into
 * .out/bench/viewer-bare; run by test/bench/viewer.ts, never by the viewer's own build.
 */
import { join } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  logLevel: 'warn',
  build: {
    outDir: join(import.meta.dirname, '..', '..', '..', '.out', 'bench', 'viewer-bare'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: join(import.meta.dirname, 'bare.html') },
  },
});
