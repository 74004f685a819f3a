/**
 * What each command's registration needs: every commands/X.ts declares its
 * own flags and turns them into its run function's options, and main.ts only
 * assembles the commands. The shared flag groups live beside what they feed:
 * projection flags in projectionFlags.ts, actor flags in storeAccess.ts,
 * `--audiences` in audiences.ts.
 */
import type { Command } from 'commander';
import { UsageError } from './errors.js';
import type { CliIo } from './io.js';
import type { ProgressOptions } from './progress.js';

/** The run a command is registered for. */
export interface CommandContext {
  io: CliIo;
  /** The arguments as the user typed them (recorded in manifests). */
  argv: readonly string[];
  /** The progress display of a command: off with the global --quiet, drawn on stderr. */
  progressOf(command: Command): ProgressOptions;
  /** An action handler that runs a command and makes its result the exit code. */
  action<Args extends unknown[]>(run: (...args: Args) => Promise<number>): (...args: Args) => Promise<void>;
}

/** Adds one command (or a group of subcommands) to the program. */
export type RegisterCommand = (program: Command, context: CommandContext) => void;

/**
 * A whole-number flag of at least `min`: `--seed must be a non-negative
 * integer, not "x"`, or the caller's wording of the bound.
 */
export function integerFlag(
  text: string,
  flag: string,
  min: 0 | 1,
  bound = min === 0 ? 'a non-negative integer' : 'a positive integer',
): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min)
    throw new UsageError(`${flag} must be ${bound}, not ${JSON.stringify(text)}`);
  return value;
}

/**
 * The given values without the flags the user left out, to spread into
 * options whose fields are optional (`exactOptionalPropertyTypes` forbids
 * an explicit `undefined` there).
 */
export function givenFlags<T extends Record<string, unknown>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
