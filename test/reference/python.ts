/**
 * The Python reference environment: a venv at `.venv/` in the repository,
 * created on first use with pip from test/reference/requirements.txt, so a
 * fresh clone needs nothing installed by hand. Reused while the requirements
 * file is unchanged.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const VENV = join(REPO_ROOT, '.venv');
const REQUIREMENTS = join(REPO_ROOT, 'test', 'reference', 'requirements.txt');
const STAMP = join(VENV, '.ocgnet-requirements.sha256');

/** Path to the venv's python, creating or updating the venv if needed. */
export function referencePython(): string {
  const python = join(VENV, 'bin', 'python');
  const wanted = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  if (existsSync(python) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted) return python;
  const system = process.env.OCGNET_PYTHON ?? 'python3';
  if (!existsSync(python)) execFileSync(system, ['-m', 'venv', VENV], { stdio: 'inherit' });
  execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS], {
    stdio: 'inherit',
  });
  writeFileSync(STAMP, wanted);
  return python;
}

/** Runs a reference script with JSON on stdin and returns its JSON stdout. */
export function runReference<T>(script: string, input: unknown): T {
  const output = execFileSync(referencePython(), [join(REPO_ROOT, 'test', 'reference', script)], {
    input: JSON.stringify(input),
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  return JSON.parse(output) as T;
}
