/**
 * Problems found in user input are values, not exceptions: each one names the
 * file, the line (1-based; 0 for the whole file), the field and the reason, so
 * an analyst can go straight to the cell that is wrong.
 */
import { OcgnetError } from './errors.js';

export interface InputIssue {
  file: string;
  line: number;
  field: string;
  reason: string;
}

/** One line, as the CLI prints it: `file:line: field: reason`. */
export function formatIssue(issue: InputIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}` : issue.file;
  return issue.field ? `${where}: ${issue.field}: ${issue.reason}` : `${where}: ${issue.reason}`;
}

/**
 * Thrown by importers when the input cannot be accepted. Carries every issue
 * found, not only the first, so one run lists all the rows to fix.
 */
export class InputError extends OcgnetError<'OCGNET_BAD_INPUT'> {
  override readonly name = 'InputError';
  constructor(
    readonly issues: InputIssue[],
    message?: string,
  ) {
    super(
      'OCGNET_BAD_INPUT',
      message ?? `${issues.length} problem(s) in input; first: ${issues[0] ? formatIssue(issues[0]) : 'unknown'}`,
      message === undefined ? { origin: 'ocgnet' } : {},
    );
  }
}
