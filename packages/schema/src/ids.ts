/**
 * The order of ids everywhere in ocgnet: UTF-16 code-unit order, as
 * JavaScript's default sort and Python's `sorted` on BMP strings. Not
 * `localeCompare`, whose order changes with the locale and the ICU version,
 * so the same records would sort differently on two machines.
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
