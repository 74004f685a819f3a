/**
 * Outputs the user names (issue 17 §3): every command that writes fails
 * promptly on an output it cannot write, with one line naming the path and
 * the reason, exit 1 and nothing half-written; a missing output folder is
 * made and said so on stderr (not with -q); a failed `profile --out` is
 * audited as a failed export, never as an export made.
 *
 * The /proc cases run as child processes with a generous timeout: before the
 * fix, Node's recursive mkdir spun for ever on /proc/<anything>. Tests may run
 * as root, where file modes stop nothing, so the other unwritable output is a
 * path under a regular file.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS, REPO_ROOT, SMALL_FIXTURE, runCli, temporaryFolder, type CliRun } from './cli.fixtures.js';

/** Far longer than any of these commands takes on the small inputs; a run that reaches it hung. */
const HANG_MS = 90_000;

/** `ocgnet <args>` as a child process, killed if it has not exited within `HANG_MS`. */
function runCliWithin(args: string[]): Promise<CliRun & { signal: NodeJS.Signals | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'packages', 'cli', 'src', 'bin.ts'), ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, INIT_CWD: REPO_ROOT },
        timeout: HANG_MS,
        killSignal: 'SIGKILL',
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code: code ?? -1, signal, stdout, stderr }));
  });
}

/** A headerless edge list, which `analyse --large` takes. */
function edgeList(folder: string): string {
  const file = join(folder, 'edges.txt');
  writeFileSync(file, 'a b\nb c\nc d\nd a\nd e\n');
  return file;
}

const AUDIT = ['--who', 'analyst1', '--justification', 'Panel meeting'];
const CAVIAR = join(DATASETS, 'caviar');
/** A new key file for each anonymise run: a key makes one release. */
let keys = 0;

/** Every command that writes an output, as the arguments that send it to `out` (a folder or, for profile and import, a file in it). */
function writers(folder: string, out: string): Record<string, string[]> {
  return {
    analyse: ['analyse', SMALL_FIXTURE, '--out', out],
    'analyse --large': ['analyse', edgeList(folder), '--large', '--out', out],
    generate: ['generate', '--out', out],
    profile: [
      'profile',
      SMALL_FIXTURE,
      '--subject',
      'ocg:OCG02',
      '--audience',
      'police-analyst',
      ...AUDIT,
      '--audit-log',
      join(folder, 'audit.log'),
      '--out',
      join(out, 'profile.html'),
    ],
    anonymise: [
      'anonymise',
      CAVIAR,
      '--key-file',
      join(folder, `research-${++keys}.key`),
      '--min-k',
      '1',
      '--out',
      out,
    ],
    import: ['import', SMALL_FIXTURE, '--out', join(out, 'graph.ocgnet.ndjson')],
  };
}

/** The one line a failed output must give: the path named, a reason, no stack trace. */
function expectOneClearLine(run: CliRun, path: string): void {
  const lines = run.stderr.split('\n').filter((line) => line.startsWith('ocgnet: '));
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toContain(`cannot write ${path}`);
  expect(lines[0]).toMatch(/\(no such file or directory\)|is not a folder|it is a folder/);
  expect(run.stderr).not.toMatch(/\n\s+at |internal error|OCGNET_DEBUG/);
}

/** Files left in `folder` by an aborted write: partial files, and anything else not in `expected` (the audit trail's own files aside). */
function leftovers(folder: string, expected: string[]): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter(
    (name) => !expected.includes(name) && !name.startsWith('audit.log'),
  );
}

describe('an output that cannot be written', () => {
  it(
    'fails promptly under /proc, for every command that writes, with one line naming the path',
    async () => {
      const folder = temporaryFolder('ocgnet-outputs-proc-');
      const cases = Object.entries(writers(folder, `/proc/ocgnet-test-${process.pid}`));
      const runs = await Promise.all(cases.map(([, args]) => runCliWithin([...args, '-q'])));
      for (const [index, [command, args]] of cases.entries()) {
        const run = runs[index]!;
        // Killed by the timeout: it hung.
        expect(run.signal, `${command} did not exit`).toBeNull();
        expect(run.code, `${command}: ${run.stderr}`).toBe(1);
        expectOneClearLine(run, args[args.indexOf('--out') + 1]!);
      }
      expect(existsSync(`/proc/ocgnet-test-${process.pid}`)).toBe(false);
      // No research key was kept for the export not made; the profile's audit log holds its failure (read below).
      expect(leftovers(folder, ['edges.txt'])).toEqual([]);
    },
    HANG_MS + 60_000,
  );

  it('fails on a path under a regular file, leaving nothing behind', async () => {
    const folder = temporaryFolder('ocgnet-outputs-file-');
    writeFileSync(join(folder, 'file.txt'), 'x');
    for (const [command, args] of Object.entries(writers(folder, join(folder, 'file.txt', 'sub')))) {
      const run = await runCli(...args, '-q');
      expect(run.code, `${command}: ${run.stderr}`).toBe(1);
      expectOneClearLine(run, args[args.indexOf('--out') + 1]!);
      expect(run.stderr, command).toContain(`${join(folder, 'file.txt')} is not a folder`);
    }
    expect(leftovers(folder, ['file.txt', 'edges.txt'])).toEqual([]);
  });

  it('refuses to replace a folder with a file, and writes none of the other files', async () => {
    const folder = temporaryFolder('ocgnet-outputs-clash-');
    const out = join(folder, 'bundle');
    mkdirSync(join(out, 'graph.json'), { recursive: true });
    const run = await runCli('analyse', SMALL_FIXTURE, '--out', out, '-q');
    expect(run.code).toBe(1);
    expectOneClearLine(run, join(out, 'graph.json'));
    // analysis.json would have been written before graph.json; none of the bundle appears, and no partial file is left.
    expect(leftovers(out, ['graph.json'])).toEqual([]);
  });

  it('refuses to replace what is not a regular file (a named pipe) with an export', async () => {
    const folder = temporaryFolder('ocgnet-outputs-fifo-');
    // Not /dev/null: run as root against a writer that renamed over it, this test would replace the device.
    const pipe = join(folder, 'profile.html');
    execFileSync('mkfifo', [pipe]);
    const run = await runCli(
      'profile',
      SMALL_FIXTURE,
      '--subject',
      'ocg:OCG02',
      '--audience',
      'police-analyst',
      ...AUDIT,
      '--audit-log',
      join(folder, 'audit.log'),
      '--out',
      pipe,
      '-q',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^ocgnet: cannot write ${pipe}: it is not a regular file`, 'm'));
    expect(statSync(pipe).isFIFO()).toBe(true);
    expect(leftovers(folder, ['profile.html'])).toEqual([]);
  });
});

describe('a missing output folder', () => {
  it('is made, and said so on stderr once, by every command that writes; not with -q', async () => {
    const folder = temporaryFolder('ocgnet-outputs-made-');
    for (const [command, args] of Object.entries(writers(folder, join(folder, 'said', 'new')))) {
      const out = join(folder, 'said', command.replace(/\W+/g, '-'), 'new');
      const run = await runCli(...args.map((arg) => arg.replace(join(folder, 'said', 'new'), out)));
      expect(run.code, `${command}: ${run.stderr}`).toBe(0);
      expect(run.stderr.match(/^ocgnet: created folder .*$/gm), command).toEqual([`ocgnet: created folder ${out}`]);
      expect(readdirSync(out).length, command).toBeGreaterThan(0);
    }
    for (const [command, args] of Object.entries(writers(folder, join(folder, 'quiet', 'new')))) {
      const out = join(folder, 'quiet', command.replace(/\W+/g, '-'), 'new');
      const run = await runCli(...args.map((arg) => arg.replace(join(folder, 'quiet', 'new'), out)), '-q');
      expect(run.code, `${command}: ${run.stderr}`).toBe(0);
      expect(run.stderr, command).not.toMatch(/created folder/);
      expect(existsSync(out), command).toBe(true);
    }
  }, 180_000);

  it('is not announced when it already exists, and is removed again when the run fails', async () => {
    const folder = temporaryFolder('ocgnet-outputs-kept-');
    const existing = await runCli('analyse', SMALL_FIXTURE, '--out', folder);
    expect(existing.code, existing.stderr).toBe(0);
    expect(existing.stderr).not.toMatch(/created folder/);
    const failed = await runCli('analyse', join(folder, 'nope.csv'), '--out', join(folder, 'made', 'for', 'nothing'));
    expect(failed.code).toBe(1);
    expect(failed.stderr).not.toMatch(/created folder/);
    expect(existsSync(join(folder, 'made'))).toBe(false);
  });
});

describe('a failed profile export', () => {
  function events(log: string): Record<string, unknown>[] {
    return readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).event);
  }

  it(
    'is audited as failed, with the reason, and never as an export made',
    async () => {
      const folder = temporaryFolder('ocgnet-outputs-profile-');
      writeFileSync(join(folder, 'file.txt'), 'x');
      const log = join(folder, 'audit.log');
      const profile = (out: string) => [
        'profile',
        SMALL_FIXTURE,
        '--subject',
        'ocg:OCG02',
        '--audience',
        'police-analyst',
        ...AUDIT,
        '--audit-log',
        log,
        '--out',
        out,
        '-q',
      ];
      const proc = await runCliWithin(profile(`/proc/ocgnet-test-${process.pid}/profile.html`));
      expect(proc.signal).toBeNull();
      expect(proc.code, proc.stderr).toBe(1);
      const underFile = await runCli(...profile(join(folder, 'file.txt', 'profile.html')));
      expect(underFile.code).toBe(1);

      const recorded = events(log);
      expect(recorded).toHaveLength(2);
      for (const event of recorded) {
        expect(event).toMatchObject({
          action: 'export',
          outcome: 'failed',
          who: 'analyst1',
          subject: 'ocg:OCG02',
          format: 'html',
        });
        expect(event.detail).toEqual({ reason: expect.stringMatching(/^cannot write .*profile\.html: /) });
      }
      expect(recorded[0]!.detail).toEqual({ reason: expect.stringContaining(`/proc/ocgnet-test-${process.pid}`) });
      expect(recorded.filter((event) => event.outcome !== 'failed')).toEqual([]);
      expect((await runCli('audit', 'verify', log)).code).toBe(0);

      // A written export is recorded as made.
      const written = await runCli(...profile(join(folder, 'profile.html')));
      expect(written.code, written.stderr).toBe(0);
      expect(events(log).at(-1)).toMatchObject({ action: 'export', outcome: 'ok' });
    },
    HANG_MS + 60_000,
  );
});
