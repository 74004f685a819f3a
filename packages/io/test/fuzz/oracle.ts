/**
 * What the fuzzer counts as right: every case is accepted or rejected with
 * the project's own issues naming a file it was given and a line it has;
 * nothing accepted holds a byte that is not UTF-8 or anything an external
 * entity brought in; no message is a JavaScript error leaking through.
 * Hangs, memory blow-ups, exceptions and prototype pollution are caught by
 * the worker and the harness around this.
 */
import type { InputIssue } from '@ocgnet/schema';
import type { Canary, Outcome } from './targets.js';

export type Verdict =
  { verdict: 'accepted' } | { verdict: 'rejected' } | { verdict: 'failure'; kind: FailureKind; detail: string };

export type FailureKind =
  | 'threw'
  | 'uncaught'
  | 'hang'
  | 'memory'
  | 'crash'
  | 'prototype-pollution'
  | 'external-entity'
  | 'accepted-invalid-utf8'
  | 'rejected-without-issue'
  | 'bad-issue';

const strict = new TextDecoder('utf-8', { fatal: true });

/** Physical lines of a file: LF, CRLF or CR end one. */
function lineCount(bytes: Uint8Array): number {
  let lines = 1;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) lines++;
    else if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) lines++;
  }
  return lines;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Text that is an error of the JavaScript runtime, not a reason written for a person. */
const INTERNAL =
  /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not defined|(undefined|null) is not an? |Maximum call stack|\n\s+at |\[object Object\]|ERR_[A-Z_]{4,}/;
/** A lone surrogate: a byte that is not UTF-8 shown raw instead of named. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function issueProblem(issue: InputIssue, lines: Map<string, number>): string | undefined {
  if (issue === null || typeof issue !== 'object') return 'an issue that is not an object';
  if (!lines.has(issue.file)) return `names file ${JSON.stringify(issue.file)}, not one it was given`;
  if (!Number.isInteger(issue.line) || issue.line < 0 || issue.line > lines.get(issue.file)!)
    return `line ${issue.line} is not a line of ${issue.file} (it has ${lines.get(issue.file)})`;
  if (typeof issue.field !== 'string') return 'field is not text';
  if (typeof issue.reason !== 'string' || issue.reason.trim() === '') return 'no reason';
  if (INTERNAL.test(issue.reason) || INTERNAL.test(issue.field))
    return `reason is an internal error: ${issue.reason.slice(0, 300)}`;
  if (LONE_SURROGATE.test(issue.reason) || LONE_SURROGATE.test(issue.field))
    return `unprintable text in ${JSON.stringify(issue.field)}: ${JSON.stringify(issue.reason.slice(0, 200))}`;
  return undefined;
}

/** Judges one outcome against the files it was read from. */
export function judge(files: { name: string; bytes: Uint8Array }[], outcome: Outcome, canary: Canary): Verdict {
  const leaked = (text: string) => text.includes(canary.token);
  if (outcome.accepted) {
    const bad = files.find((file) => !isUtf8(file.bytes));
    if (bad)
      return { verdict: 'failure', kind: 'accepted-invalid-utf8', detail: `${bad.name} is not UTF-8 but was accepted` };
    if (leaked(outcome.kept))
      return { verdict: 'failure', kind: 'external-entity', detail: 'the canary file was read into the graph' };
    return { verdict: 'accepted' };
  }
  if (outcome.issues.length === 0)
    return { verdict: 'failure', kind: 'rejected-without-issue', detail: 'refused with no issue' };
  const lines = new Map(files.map((file) => [file.name, lineCount(file.bytes)]));
  for (const issue of outcome.issues) {
    if (leaked(`${issue.field} ${issue.reason}`))
      return { verdict: 'failure', kind: 'external-entity', detail: 'the canary file was read into an issue' };
    const problem = issueProblem(issue, lines);
    if (problem)
      return {
        verdict: 'failure',
        kind: 'bad-issue',
        detail: `${issue.file}:${issue.line}: ${issue.field}: ${problem}`,
      };
  }
  return { verdict: 'rejected' };
}
