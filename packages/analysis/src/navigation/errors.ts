/**
 * Typed errors of the navigation algorithms (paths and ego networks). Every
 * message starts with "@ocgnet/analysis/navigation: " so a caller several
 * layers up can still tell where it came from.
 */

/** What went wrong, for callers that branch on it rather than on the message. */
export type NavigationErrorCode = 'unknown_node' | 'invalid_option';

/** An error raised by the navigation algorithms. */
export class NavigationError extends Error {
  override readonly name = 'NavigationError';

  constructor(
    readonly code: NavigationErrorCode,
    message: string,
  ) {
    super(`@ocgnet/analysis/navigation: ${message}`);
  }
}

/** Throws `unknown_node` unless `graph` has a node `id`. */
export function checkNode(graph: { hasNode(node: unknown): boolean }, id: string, role: string): void {
  if (!graph.hasNode(id)) throw new NavigationError('unknown_node', `${role} ${JSON.stringify(id)} is not a node of the graph`);
}

/** Throws `invalid_option` with `message`. */
export function invalidOption(message: string): NavigationError {
  return new NavigationError('invalid_option', message);
}
