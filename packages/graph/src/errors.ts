/**
 * Typed errors of @ocgnet/graph. Every message starts with "@ocgnet/graph: "
 * so that a caller several layers up can still tell where it came from.
 */
import { OcgnetError } from '@ocgnet/schema';

/** What went wrong, for callers that branch on it rather than on the message. */
export type GraphErrorCode =
  'DUPLICATE_ENTITY' | 'DUPLICATE_LINK' | 'MISSING_ENDPOINT' | 'BAD_ENDPOINT_KIND' | 'SELF_LOOP' | 'INVALID_OPTION';

/** An error raised by @ocgnet/graph. */
export class GraphError extends OcgnetError<GraphErrorCode> {
  override readonly name = 'GraphError';

  constructor(code: GraphErrorCode, message: string) {
    super(code, message, { origin: '@ocgnet/graph' });
  }
}
