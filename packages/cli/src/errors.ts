/**
 * Exit codes and the errors that map to them. The CLI turns every expected
 * failure into one clear message on stderr and a code, never a stack trace.
 */
import { NavigationError } from '@ocgnet/analysis';
import { AuditError } from '@ocgnet/audit';
import { KeyPlayerError, PlanError, RecoveryError, SimulationError } from '@ocgnet/disruption';
import { GraphError } from '@ocgnet/graph';
import { ResearchWriteError } from '@ocgnet/io';
import { ProfileError } from '@ocgnet/profiles';
import { LedgerError, PseudonymKeyError } from '@ocgnet/research';
import { InputError, OcgnetError, formatIssue } from '@ocgnet/schema';
import { StoreError, formatStoreIssue } from '@ocgnet/store';

export const EXIT = { ok: 0, badInput: 1, usage: 2, internal: 3 } as const;

/** The command line itself is wrong: unknown flag, missing argument, bad combination. */
export class UsageError extends OcgnetError<'OCGNET_USAGE'> {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super('OCGNET_USAGE', message);
  }
}

type ErrorClass<Code extends string> = abstract new (...args: never[]) => OcgnetError<Code>;

interface UserErrorRule {
  matches(error: OcgnetError): boolean;
  exit: number;
}

/** Errors of `type` with one of `codes` (every code when none are named) exit with `exit`. */
function userError<Code extends string>(type: ErrorClass<Code>, exit: number, codes?: readonly Code[]): UserErrorRule {
  return {
    matches: (error) =>
      error instanceof type && (codes === undefined || (codes as readonly string[]).includes(error.code)),
    exit,
  };
}

/**
 * The packages' errors a user can cause, by class and code, and the exit code
 * each means: usage (2) when the command line asked for something impossible
 * (an unknown node, strategy or OCG, an option out of range), bad input (1)
 * when a file is at fault (an audit trail, a key, a ledger, a graph a format
 * cannot hold). They are reported by their `userMessage`. A code left out
 * (`NOT_A_GRAPH`: the CLI handed over something that is not a graph) is a bug,
 * reported as an internal error.
 */
const USER_ERRORS: readonly UserErrorRule[] = [
  userError(GraphError, EXIT.usage, ['INVALID_OPTION']),
  userError(NavigationError, EXIT.usage),
  userError(SimulationError, EXIT.usage, [
    'UNKNOWN_STRATEGY',
    'UNKNOWN_TARGETS',
    'PROTECTED_TARGETS',
    'INVALID_OPTION',
  ]),
  userError(RecoveryError, EXIT.usage, ['INVALID_OPTION', 'UNKNOWN_NODE']),
  userError(KeyPlayerError, EXIT.usage, ['INVALID_OPTION', 'UNKNOWN_NODE', 'TOO_MANY_SUBSETS']),
  userError(PlanError, EXIT.usage, ['UNKNOWN_GROUP', 'UNKNOWN_PERSON', 'INVALID_OPTION']),
  userError(ProfileError, EXIT.usage),
  userError(AuditError, EXIT.badInput),
  userError(PseudonymKeyError, EXIT.badInput),
  userError(LedgerError, EXIT.badInput),
  userError(ResearchWriteError, EXIT.badInput),
];

/** The exit code of a package error the user caused, or undefined for one that is a bug. */
export function userErrorExit(error: unknown): number | undefined {
  if (!(error instanceof OcgnetError)) return undefined;
  return USER_ERRORS.find((rule) => rule.matches(error))?.exit;
}

/**
 * An output the user named cannot be written (`--out`, a rejects file): the
 * path, and why in the system's words. Raised before anything appears there;
 * partial files are removed first.
 */
export class OutputError extends Error {
  override readonly name = 'OutputError';
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(`cannot write ${path}: ${reason}`, options);
    this.path = path;
    this.reason = reason;
  }
}

/**
 * The system's words for a file-system error ("no such file or directory"),
 * without the code, system call and path Node adds to its message.
 */
export function fileErrorReason(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  const message = err instanceof Error ? err.message : String(error);
  const words = /^[A-Z][A-Z0-9_]*: (.*?)(?:, [a-z_]+(?: '.*)?)?$/s.exec(message)?.[1];
  return words ?? message;
}

/** Prints an error the way a user should see it and returns the exit code. */
export function reportError(error: unknown, stderr: NodeJS.WritableStream): number {
  if (error instanceof InputError) {
    for (const issue of error.issues) stderr.write(`${formatIssue(issue)}\n`);
    stderr.write(`ocgnet: ${error.issues.length} problem(s) found; no output was written.\n`);
    return EXIT.badInput;
  }
  if (error instanceof StoreError) {
    // The store names the record and field; nothing was changed by a refused write.
    for (const issue of error.issues) stderr.write(`${formatStoreIssue('store', issue)}\n`);
    stderr.write(`ocgnet: ${error.userMessage}\n`);
    return error.code === 'USAGE' ? EXIT.usage : EXIT.badInput;
  }
  const exit = error instanceof UsageError ? EXIT.usage : userErrorExit(error);
  if (exit !== undefined) {
    const { userMessage } = error as OcgnetError;
    stderr.write(
      exit === EXIT.usage ? `ocgnet: ${userMessage}\nRun 'ocgnet --help' for usage.\n` : `ocgnet: ${userMessage}\n`,
    );
    return exit;
  }
  if (error instanceof OutputError) {
    stderr.write(`ocgnet: ${error.message}; nothing was written there.\n`);
    return EXIT.badInput;
  }
  const err = error as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && typeof err.path === 'string') {
    // File-system errors on user-named paths are bad input, not bugs.
    stderr.write(`${err.path}: ${fileErrorReason(err)}\n`);
    return EXIT.badInput;
  }
  stderr.write(`ocgnet: internal error: ${err?.message ?? String(error)}\n`);
  if (process.env.OCGNET_DEBUG) stderr.write(`${err?.stack ?? ''}\n`);
  else stderr.write('Set OCGNET_DEBUG=1 to see the stack trace, and please report it.\n');
  return EXIT.internal;
}
