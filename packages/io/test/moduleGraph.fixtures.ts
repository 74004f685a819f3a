/**
 * A small module-graph walker, as a browser bundler resolves imports: from an
 * entry file it follows every value import, re-export, dynamic `import()` and
 * `require()` (type-only imports are erased, so they are skipped), through
 * relative paths, workspace packages (their `exports` point at src/*.ts) and
 * installed packages (`exports` with the browser conditions, else `browser`,
 * `module`, `main`), and lists the imports a browser cannot load: Node
 * built-ins and packages named in `forbidden`, each with the chain that
 * reaches it.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

/** One import a browser cannot load, and how the entry reaches it. */
export interface ForbiddenImport {
  specifier: string;
  /** Files from the entry to the importer, entry first. */
  chain: string[];
}

const CONDITIONS = ['browser', 'import', 'module', 'default'];
const BUILTINS = new Set(builtinModules);
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.js', '.mjs', '.cjs'];

/** The module specifiers a file loads at run time. */
export function runtimeImports(file: string, text: string): string[] {
  const kind = /\.tsx?$/.test(file) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            named !== undefined &&
            ts.isNamedImports(named) &&
            named.elements.length > 0 &&
            named.elements.every((element) => element.isTypeOnly)));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const typeOnly =
        node.isTypeOnly ||
        (clause !== undefined &&
          ts.isNamedExports(clause) &&
          clause.elements.length > 0 &&
          clause.elements.every((element) => element.isTypeOnly));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (isImport || isRequire) found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** A relative import as a bundler finds it: the file, a TypeScript source for a `.js` name, or an index. */
function resolveRelative(specifier: string, from: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [
    base,
    ...(/\.[cm]?js$/.test(base) ? [base.replace(/\.([cm]?)js$/, '.$1ts'), base.replace(/\.js$/, '.tsx')] : []),
    ...SOURCE_EXTENSIONS.map((extension) => base + extension),
    ...SOURCE_EXTENSIONS.map((extension) => join(base, `index${extension}`)),
  ];
  return candidates.find(isFile);
}

type Exports = string | null | Exports[] | { [key: string]: Exports };

/** Picks the target of a conditional `exports` value under the browser conditions. */
function pickCondition(value: Exports): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(pickCondition).find((target) => target !== undefined);
  for (const [condition, target] of Object.entries(value)) {
    if (CONDITIONS.includes(condition)) {
      const picked = pickCondition(target);
      if (picked !== undefined) return picked;
    }
  }
  return undefined;
}

interface PackageJson {
  exports?: Exports;
  browser?: string | Record<string, string | false>;
  module?: string;
  main?: string;
}

/** The folder of an installed package, looked up from `from` as Node and bundlers do. */
function packageFolder(name: string, from: string): string | undefined {
  for (let folder = dirname(from); ; folder = dirname(folder)) {
    const candidate = join(folder, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(folder) === folder) return undefined;
  }
}

/** An installed or workspace package's entry for `subpath` ('.' or './x'). */
function packageEntry(folder: string, subpath: string): string | undefined {
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as PackageJson;
  const { exports } = manifest;
  if (exports !== undefined) {
    const keyed =
      typeof exports === 'object' &&
      exports !== null &&
      !Array.isArray(exports) &&
      Object.keys(exports).some((key) => key.startsWith('.'));
    const target = keyed ? (exports as Record<string, Exports>)[subpath] : subpath === '.' ? exports : undefined;
    const picked = target === undefined ? undefined : pickCondition(target);
    return picked === undefined ? undefined : resolveRelative(picked, join(folder, 'package.json'));
  }
  if (subpath !== '.') return resolveRelative(subpath, join(folder, 'package.json'));
  const entry =
    (typeof manifest.browser === 'string' ? manifest.browser : undefined) ??
    manifest.module ??
    manifest.main ??
    'index.js';
  return resolveRelative(`./${entry.replace(/^\.\//, '')}`, join(folder, 'package.json'));
}

/** What `browser` in the importer's package maps a specifier to: false when it is left out of browser builds. */
function browserMapped(specifier: string, from: string): false | undefined {
  for (let folder = dirname(from); dirname(folder) !== folder; folder = dirname(folder)) {
    const manifestPath = join(folder, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const { browser } = JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageJson;
    return typeof browser === 'object' && browser[specifier] === false ? false : undefined;
  }
  return undefined;
}

/**
 * Walks the module graph from `entry` and returns every import of a Node
 * built-in or of a package in `forbidden`, and the files it read.
 */
export function forbiddenImports(
  entry: string,
  forbidden: readonly string[],
): { imports: ForbiddenImport[]; files: string[] } {
  const imports: ForbiddenImport[] = [];
  const parent = new Map<string, string | undefined>([[entry, undefined]]);
  const chainTo = (file: string): string[] => {
    const chain: string[] = [];
    for (let at: string | undefined = file; at !== undefined; at = parent.get(at)) chain.unshift(at);
    return chain;
  };
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const specifier of runtimeImports(file, readFileSync(file, 'utf8'))) {
      let target: string | undefined;
      if (specifier.startsWith('.') || specifier.startsWith('/')) target = resolveRelative(specifier, file);
      else {
        const parts = specifier.split('/');
        const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
        const subpath = ['.', ...parts.slice(specifier.startsWith('@') ? 2 : 1)].join('/');
        if (browserMapped(specifier, file) === false) continue;
        const folder = specifier.startsWith('node:') ? undefined : packageFolder(name, file);
        // A built-in name that an installed package shadows (graphology's `events`) is that package, as in a bundler.
        if (
          forbidden.includes(name) ||
          (folder === undefined && (specifier.startsWith('node:') || BUILTINS.has(name)))
        ) {
          imports.push({ specifier, chain: chainTo(file) });
          continue;
        }
        target = folder === undefined ? undefined : packageEntry(folder, subpath);
      }
      if (target === undefined) throw new Error(`${file}: cannot resolve ${JSON.stringify(specifier)}`);
      if (!parent.has(target)) {
        parent.set(target, file);
        queue.push(target);
      }
    }
  }
  return { imports, files: [...parent.keys()] };
}
