/**
 * `@ocgnet/io/browser` is what the viewer bundles: nothing it reaches, in
 * this package, the workspace packages it uses or the installed ones under
 * them, may import a Node built-in or csv-parse (which needs Node's Buffer and
 * streams). The walker resolves imports as a browser bundler does
 * (moduleGraph.fixtures.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forbiddenImports, runtimeImports } from './moduleGraph.fixtures.js';

const IO = new URL('..', import.meta.url).pathname;
const VIEWER_SRC = new URL('../../../apps/viewer/src/', import.meta.url).pathname;
const FORBIDDEN = ['csv-parse'];

/** The file a package.json `exports` entry of @ocgnet/io names. */
function exported(subpath: string): string {
  const manifest = JSON.parse(readFileSync(join(IO, 'package.json'), 'utf8')) as { exports: Record<string, string> };
  const target = manifest.exports[subpath];
  if (target === undefined) throw new Error(`@ocgnet/io exports no ${subpath}`);
  return join(IO, target);
}

describe('@ocgnet/io/browser', () => {
  it('reaches no Node built-in and no csv-parse', () => {
    const { imports, files } = forbiddenImports(exported('./browser'), FORBIDDEN);
    expect(imports.map(({ specifier, chain }) => `${chain.join(' → ')} → ${specifier}`)).toEqual([]);
    // The walk went through this package, @ocgnet/schema and the installed packages under them.
    expect(files.some((file) => file.includes('/schema/src/'))).toBe(true);
    expect(files.some((file) => file.includes('@xmldom'))).toBe(true);
    expect(files.some((file) => file.includes('graphology'))).toBe(true);
  });

  it('is told apart by the walk: the Node entry reaches node:stream and csv-parse', () => {
    const specifiers = forbiddenImports(exported('.'), FORBIDDEN).imports.map((entry) => entry.specifier);
    expect(specifiers).toContain('csv-parse');
    expect(specifiers).toContain('node:stream');
  });

  it('is a part of the Node entry: every name it exports, @ocgnet/io exports as the same value', async () => {
    const browser = (await import('../src/browser.js')) as Record<string, unknown>;
    const node = (await import('../src/index.js')) as Record<string, unknown>;
    for (const name of Object.keys(browser)) expect(node[name], name).toBe(browser[name]);
    expect(Object.keys(node)).toContain('parseResearchGraph');
    expect(Object.keys(browser)).not.toContain('parseResearchGraph');
  });

  it('is the only part of @ocgnet/io the viewer imports', () => {
    const files = readdirSync(VIEWER_SRC, { recursive: true, encoding: 'utf8' }).filter((name) => /\.tsx?$/.test(name));
    const fromIo = files.flatMap((name) =>
      runtimeImports(name, readFileSync(join(VIEWER_SRC, name), 'utf8'))
        .filter((specifier) => specifier.startsWith('@ocgnet/io'))
        .map((specifier) => `${name}: ${specifier}`),
    );
    expect(fromIo.length).toBeGreaterThan(0);
    expect(fromIo.filter((entry) => !entry.endsWith(': @ocgnet/io/browser'))).toEqual([]);
  });
});

describe('runtimeImports', () => {
  it('keeps value imports, re-exports, import() and require(), and drops type-only ones', () => {
    const text = [
      "import a from 'a';",
      "import type { B } from 'b';",
      "import { type C } from 'c';",
      "import { type D, d } from 'd';",
      "export * from 'e';",
      "export type { F } from 'f';",
      "const g = await import('g');",
      "const h = require('h');",
    ].join('\n');
    expect(runtimeImports('x.ts', text)).toEqual(['a', 'd', 'e', 'g', 'h']);
  });
});
