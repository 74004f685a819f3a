/**
 * The commands as the READMEs document them: each command declares its own
 * flags (packages/cli/src/commands/), and every flag the command reference
 * in README.md (and the projection table in packages/cli/README.md) names
 * must be listed by `ocgnet <command> --help` and accepted by the command's
 * parser. The documentation is the independent list; the help and the parser
 * are what users meet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from '@ocgnet/cli';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './cli.fixtures.js';

type Command = ReturnType<typeof buildProgram>;

interface DocumentedRow {
  /** The row as written, for failure messages. */
  row: string;
  /** Command paths the row names (`store info|records` names two). */
  commands: string[][];
  flags: string[];
}

const FLAG = /(?<![\w-])--[a-z][a-z0-9-]*/g;

/** A program with every command, whose actions never run here. */
function program(): Command {
  const sink = { write: () => true } as unknown as NodeJS.WriteStream;
  return buildProgram({ stdout: sink, stderr: sink }, () => undefined, []);
}

function subcommand(parent: Command, name: string): Command | undefined {
  return parent.commands.find((command) => command.name() === name || command.aliases().includes(name));
}

/** The command at `path`, or undefined. */
function commandAt(path: readonly string[]): Command | undefined {
  let command: Command | undefined = program();
  for (const name of path) command = command && subcommand(command, name);
  return command;
}

/**
 * The rows of README.md's command table: the first code span names the
 * command (`ocgnet store info|records …` names each listed subcommand), and
 * every `--flag` in the row is one of its flags.
 */
function documentedRows(): DocumentedRow[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const top = program();
  const rows: DocumentedRow[] = [];
  for (const row of readme.split('\n').filter((line) => line.startsWith('| `ocgnet '))) {
    const words = /^\| `ocgnet ([^`]*)`/.exec(row)![1]!.split(' ');
    const name = words[0]!;
    const parent = subcommand(top, name);
    const children = (words[1] ?? '')
      .split('\\|')
      .filter((child) => parent !== undefined && subcommand(parent, child) !== undefined);
    rows.push({
      row,
      commands: children.length > 0 ? children.map((child) => [name, child]) : [[name]],
      flags: [...new Set(row.match(FLAG) ?? [])],
    });
  }
  return rows;
}

/** `--flag` parses without being left unknown (with a value when the option takes one). */
function accepts(path: readonly string[], flag: string): boolean {
  const command = commandAt(path);
  const option = command?.options.find((candidate) => candidate.long === flag);
  if (command === undefined || option === undefined) return false;
  const value = option.required ? [option.argChoices?.[0] ?? '1'] : [];
  return command.parseOptions([flag, ...value]).unknown.length === 0;
}

async function helpOf(path: readonly string[]): Promise<string> {
  const run = await runCli(...path, '--help');
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

function listed(help: string, flag: string): boolean {
  return new RegExp(`(?<![\\w-])${flag}(?![\\w-])`).test(help);
}

describe('the documented flags', () => {
  const rows = documentedRows();

  it('the command reference covers every command, and names only commands that exist', () => {
    const names = program()
      .commands.map((command) => command.name())
      .sort();
    expect(rows.length).toBeGreaterThan(10);
    for (const { commands, row } of rows) for (const path of commands) expect(commandAt(path), row).toBeDefined();
    expect([...new Set(rows.map((row) => row.commands[0]![0]!))].sort()).toEqual(names);
  });

  it('every flag of the command reference is in its command’s help, and the command accepts it', async () => {
    let checked = 0;
    for (const { row, commands, flags } of rows) {
      for (const flag of flags) {
        const takers: string[][] = [];
        for (const path of commands) if (listed(await helpOf(path), flag)) takers.push(path);
        expect(
          takers.length,
          `${flag} is in the help of none of ${commands.map((path) => path.join(' ')).join(', ')} (${row.slice(0, 80)}…)`,
        ).toBeGreaterThan(0);
        for (const path of takers) expect(accepts(path, flag), `ocgnet ${path.join(' ')} ${flag}`).toBe(true);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('the projection flags of packages/cli/README.md are on every projecting command', async () => {
    const readme = readFileSync(join(REPO_ROOT, 'packages', 'cli', 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('Projection flags'));
    const flags = [
      ...new Set(
        table
          .split('\n')
          .filter((line) => line.startsWith('| `--'))
          .flatMap((line) => line.split('|')[1]!.match(FLAG) ?? []),
      ),
    ];
    expect(flags).toContain('--no-co-presence');
    // "on `stats`, and on every command that projects": those whose help lists the first of them.
    const projecting: string[][] = [];
    for (const command of program().commands)
      if (listed(await helpOf([command.name()]), flags[0]!)) projecting.push([command.name()]);
    expect(projecting.map((path) => path[0])).toContain('stats');
    for (const path of projecting) {
      const help = await helpOf(path);
      for (const flag of flags) {
        expect(listed(help, flag), `ocgnet ${path.join(' ')} --help lists ${flag}`).toBe(true);
        expect(accepts(path, flag), `ocgnet ${path.join(' ')} ${flag}`).toBe(true);
      }
    }
  });

  it('a flag no command declares is refused, so the acceptance check can fail', () => {
    expect(accepts(['stats'], '--no-such-flag')).toBe(false);
    const stats = commandAt(['stats'])!;
    expect(stats.parseOptions(['--no-such-flag']).unknown).toEqual(['--no-such-flag']);
  });
});
