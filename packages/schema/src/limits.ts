/**
 * Limits on hostile or accidental input. A record beyond them is reported as an
 * issue, never allowed to exhaust memory or the stack.
 */
export const LIMITS = {
  /** Longest id of an entity or link. */
  maxIdLength: 256,
  /** Longest label or short text field. */
  maxLabelLength: 1000,
  /** Longest free-text note. */
  maxNoteLength: 20_000,
  /** Largest single record (one CSV row, one NDJSON line, one JSON array item), in bytes. */
  maxRecordBytes: 1_000_000,
  /** Deepest nesting of a JSON value. */
  maxDepth: 16,
  /** Most graded attributes on one entity. */
  maxAttributes: 500,
  /** Most items in one list field (threat areas, aliases). */
  maxListItems: 100,
} as const;

/** Keys that would reach Object.prototype if assigned onto a plain object. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Depth of a parsed JSON value, stopping early once `limit` is passed so that a
 * deeply nested bomb costs no more than `limit` steps per branch.
 */
export function jsonDepthExceeds(value: unknown, limit: number, depth = 0): boolean {
  if (depth > limit) return true;
  if (value === null || typeof value !== 'object') return false;
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.some((child) => jsonDepthExceeds(child, limit, depth + 1));
}

/** The first forbidden key anywhere in a parsed JSON value, with its path, if any. */
export function findForbiddenKey(value: unknown, path: string[] = []): string[] | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findForbiddenKey(value[index], [...path, String(index)]);
      if (found) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return [...path, key];
    const found = findForbiddenKey((value as Record<string, unknown>)[key], [...path, key]);
    if (found) return found;
  }
  return undefined;
}
