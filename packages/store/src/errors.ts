import { OcgnetError } from '@ocgnet/schema';

/** Why a store refused: every problem named by record and field, never a stack trace. */
export type StoreErrorCode =
  /** The records clash with each other or with what is stored (kind change, dangling link). */
  | 'CONFLICT'
  /** An id the caller named is not stored. */
  | 'NOT_FOUND'
  /** The store cannot be reached or opened (server down, file locked or unreadable). */
  | 'UNAVAILABLE'
  /** The store's own data fails a check (unknown schema version, broken audit chain). */
  | 'CORRUPT'
  /** The caller asked for something the contract does not allow. */
  | 'USAGE';

export interface StoreIssue {
  record: 'entity' | 'link';
  id: string;
  field: string;
  reason: string;
}

export class StoreError extends OcgnetError<StoreErrorCode> {
  override readonly name = 'StoreError';
  constructor(
    code: StoreErrorCode,
    message: string,
    readonly issues: readonly StoreIssue[] = [],
    options: { cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}

/** One line per issue, as the CLI prints it: `store: link L7: from: no entity with id "P9"`. */
export function formatStoreIssue(location: string, issue: StoreIssue): string {
  return `${location}: ${issue.record} ${JSON.stringify(issue.id)}: ${issue.field}: ${issue.reason}`;
}
