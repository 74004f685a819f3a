/**
 * Typed errors of the navigation algorithms (paths and ego networks). Every
 * message starts with "@ocgnet/analysis/navigation: " so a caller several
 * layers up can still tell where it came from.
 */

import { OcgnetError } from '@ocgnet/schema';

/** What went wrong, for callers that branch on it rather than on the message. */
export type NavigationErrorCode = 'UNKNOWN_NODE' | 'INVALID_OPTION';

/** An error raised by the navigation algorithms. */
export class NavigationError extends OcgnetError<NavigationErrorCode> {
  override readonly name = 'NavigationError';

  constructor(code: NavigationErrorCode, message: string) {
    super(code, message, { origin: '@ocgnet/analysis/navigation' });
  }
}

/** Throws `UNKNOWN_NODE` unless `graph` has a node `id`. */
export function checkNode(graph: { hasNode(node: unknown): boolean }, id: string, role: string): void {
  if (!graph.hasNode(id))
    throw new NavigationError('UNKNOWN_NODE', `${role} ${JSON.stringify(id)} is not a node of the graph`);
}

/** Throws `INVALID_OPTION` with `message`. */
export function invalidOption(message: string): NavigationError {
  return new NavigationError('INVALID_OPTION', message);
}
