/**
 * Exit codes and the errors that map to them. The CLI turns every expected
 * failure into one clear message on stderr and a code, never a stack trace.
 */
import { InputError, formatIssue } from '@ocgnet/schema';
import { StoreError, formatStoreIssue } from '@ocgnet/store';

export const EXIT = { ok: 0, badInput: 1, usage: 2, internal: 3 } as const;

/** The command line itself is wrong: unknown flag, missing argument, bad combination. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'OCGNET_USAGE';
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
    stderr.write(`ocgnet: ${error.message}\n`);
    return error.code === 'usage' ? EXIT.usage : EXIT.badInput;
  }
  if (error instanceof UsageError) {
    stderr.write(`ocgnet: ${error.message}\nRun 'ocgnet --help' for usage.\n`);
    return EXIT.usage;
  }
  if (error instanceof OutputError) {
    stderr.write(`ocgnet: ${error.message}; nothing was written there.\n`);
    return EXIT.badInput;
  }
  if (error instanceof Error && error.name === 'ResearchWriteError') {
    // The graph is fine but the chosen format cannot hold it faithfully.
    stderr.write(`ocgnet: ${error.message}\n`);
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
