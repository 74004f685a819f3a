/**
 * Typed errors of @ocgnet/graph. Every message starts with "@ocgnet/graph: "
 * so that a caller several layers up can still tell where it came from.
 */

/** What went wrong, for callers that branch on it rather than on the message. */
export type GraphErrorCode =
  | 'duplicate_entity'
  | 'duplicate_link'
  | 'missing_endpoint'
  | 'bad_endpoint_kind'
  | 'self_loop'
  | 'invalid_option';

/** An error raised by @ocgnet/graph. */
export class GraphError extends Error {
  override readonly name = 'GraphError';

  constructor(
    readonly code: GraphErrorCode,
    message: string,
  ) {
    super(`@ocgnet/graph: ${message}`);
  }
}
