/**
 * The shape every ocgnet package's errors share, so that a caller several
 * layers up (the CLI, the server) branches on `code` and shows `userMessage`
 * instead of parsing `message`.
 *
 * `message` keeps the origin for logs ("@ocgnet/graph: …", sigma's habit);
 * `userMessage` is the same text without it, for a person.
 *
 * Codes are SCREAMING_SNAKE_CASE (`UNKNOWN_GROUP`, `NOT_FOUND`). When the
 * packages' codes were unified, 31 of 44 were already written so (disruption,
 * analysis metrics, profiles, audit, the CLI's own `OCGNET_USAGE`) against 13
 * in lower case (graph, navigation, store), and it is the casing of Node's own
 * codes (`ERR_INVALID_ARG_TYPE`, `ENOENT`) that callers already compare with.
 */
export class OcgnetError<Code extends string = string> extends Error {
  /** What went wrong, for code that branches on it: stable across releases. */
  readonly code: Code;
  /** What went wrong, for a person: `message` without its origin. */
  readonly userMessage: string;
  /** Where it was raised ("@ocgnet/graph"), when `message` names it. */
  readonly origin: string | undefined;

  constructor(code: Code, userMessage: string, options: { origin?: string; cause?: unknown } = {}) {
    super(
      options.origin === undefined ? userMessage : `${options.origin}: ${userMessage}`,
      'cause' in options ? { cause: options.cause } : undefined,
    );
    this.code = code;
    this.userMessage = userMessage;
    this.origin = options.origin;
  }
}
