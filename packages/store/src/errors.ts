/** Why a store refused: every problem named by record and field, never a stack trace. */
export type StoreErrorCode =
  /** The records clash with each other or with what is stored (kind change, dangling link). */
  | 'conflict'
  /** An id the caller named is not stored. */
  | 'not-found'
  /** The store cannot be reached or opened (server down, file locked or unreadable). */
  | 'unavailable'
  /** The store's own data fails a check (unknown schema version, broken audit chain). */
  | 'corrupt'
  /** The caller asked for something the contract does not allow. */
  | 'usage';

export interface StoreIssue {
  record: 'entity' | 'link';
  id: string;
  field: string;
  reason: string;
}

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly issues: readonly StoreIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One line per issue, as the CLI prints it: `store: link L7: from: no entity with id "P9"`. */
export function formatStoreIssue(location: string, issue: StoreIssue): string {
  return `${location}: ${issue.record} ${JSON.stringify(issue.id)}: ${issue.field}: ${issue.reason}`;
}
