/**
 * The manifest that travels with every analysis: what went in (file hashes),
 * every parameter and seed, the versions of ocgnet and of the libraries that
 * computed the numbers, and when. Enough to reproduce a figure from scratch.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_CLASSIFICATION } from '@ocgnet/schema';
import type { InputDigest } from '@ocgnet/io';
import { OCGNET_VERSION } from './version.js';

export interface Manifest {
  tool: 'ocgnet';
  ocgnet: string;
  classification: string;
  created: string;
  command: string[];
  engine: string;
  seed: number;
  parameters: Record<string, unknown>;
  inputs: InputDigest[];
  versions: Record<string, string>;
}

/** Libraries whose behaviour shapes the numbers. */
const TRACKED = [
  'graphology',
  'graphology-communities-louvain',
  'graphology-metrics',
  'zod',
  'csv-parse',
  '@xmldom/xmldom',
];

/**
 * A package's version, found from its entry point: packages whose exports
 * map hides package.json (graphology, csv-parse) are found by walking up
 * from the resolved entry to the package.json that names them.
 */
function versionOf(name: string, from: string): string {
  let entry: string;
  try {
    entry = createRequire(from).resolve(name);
  } catch {
    return 'unknown';
  }
  for (let folder = dirname(entry); folder !== dirname(folder); folder = dirname(folder)) {
    const candidate = join(folder, 'package.json');
    if (!existsSync(candidate)) continue;
    const json = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
    if (json.name === name && json.version) return json.version;
  }
  return 'unknown';
}

/** Versions of Node, ocgnet and the tracked libraries, resolved where ocgnet's packages resolve them. */
export function dependencyVersions(): Record<string, string> {
  const requireHere = createRequire(import.meta.url);
  const anchors = ['@ocgnet/analysis', '@ocgnet/io', '@ocgnet/schema'].map((name) => {
    try {
      return `${dirname(requireHere.resolve(`${name}/package.json`))}/`;
    } catch {
      return import.meta.url;
    }
  });
  const versions: Record<string, string> = { node: process.versions.node, ocgnet: OCGNET_VERSION };
  const revision = sourceRevision();
  if (revision !== undefined) versions.ocgnet_source = revision;
  for (const name of TRACKED) {
    versions[name] =
      anchors.map((anchor) => versionOf(name, anchor)).find((version) => version !== 'unknown') ?? 'unknown';
  }
  return versions;
}

let revisionMemo: { value: string | undefined } | undefined;

/**
 * The git commit ocgnet runs from, with " (modified)" when its packages
 * differ from it; undefined outside a git checkout. The version number
 * alone does not change when an algorithm does, and a manifest must say
 * which code produced its numbers.
 */
export function sourceRevision(): string | undefined {
  if (revisionMemo) return revisionMemo.value;
  const here = dirname(new URL(import.meta.url).pathname);
  let value: string | undefined;
  try {
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', here, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 5_000,
      }).trim();
    const commit = git('rev-parse', 'HEAD');
    const root = git('rev-parse', '--show-toplevel');
    const modified = git('status', '--porcelain', '--untracked-files=no', '--', join(root, 'packages')) !== '';
    value = /^[0-9a-f]{40}$/.test(commit) ? `${commit}${modified ? ' (modified)' : ''}` : undefined;
  } catch {
    value = undefined;
  }
  revisionMemo = { value };
  return value;
}

export function buildManifest(
  fields: Pick<Manifest, 'command' | 'engine' | 'seed' | 'parameters' | 'inputs'>,
): Manifest {
  return {
    tool: 'ocgnet',
    ocgnet: OCGNET_VERSION,
    classification: DEFAULT_CLASSIFICATION,
    created: new Date().toISOString(),
    ...fields,
    versions: dependencyVersions(),
  };
}
