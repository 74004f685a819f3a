/**
 * The CSV columns of `entities.csv` and `links.csv`, and how a row maps to a
 * record and back. Column names equal the JSON field names, except that a
 * grading is spread over five flat columns an analyst can fill in a
 * spreadsheet. docs/record-format.md documents every column.
 */
import { LIMITS, findForbiddenKey, jsonDepthExceeds, type Entity, type Grading, type Link } from '@ocgnet/schema';

/** Columns that hold a grading, flattened. */
export const GRADING_COLUMNS = [
  'source_eval',
  'intel_assessment',
  'handling_code',
  'handling_conditions',
  'handling_release_to',
  'legacy_grading',
  'regraded_from',
] as const;

export const ENTITY_COLUMNS = [
  'schema_version',
  'id',
  'kind',
  'label',
  'source',
  ...GRADING_COLUMNS,
  'review_date',
  'notes',
  // person
  'date_of_birth',
  'aliases',
  'vulnerable',
  'under_18',
  'exploited',
  'cuckooed',
  'iom',
  // ocg / usg
  'ocgm_band',
  'ocgm_score',
  'morile_score',
  'lro',
  'territory',
  'threat_areas',
  // location
  'premises_type',
  'area',
  'address',
  // vehicle
  'vrm',
  'make',
  'model',
  'colour',
  // phone
  'number',
  'phone_kind',
  // business
  'business_type',
  'company_number',
  'licensed',
  // event
  'event_type',
  'date',
  // graded attributes, as a JSON array
  'attributes',
] as const;

export const LINK_COLUMNS = [
  'schema_version',
  'id',
  'type',
  'from',
  'to',
  'role',
  'date',
  'first_seen',
  'last_seen',
  'source',
  'count',
  'weight',
  ...GRADING_COLUMNS,
  'review_date',
  'notes',
] as const;

const BOOLEAN_FIELDS = new Set(['vulnerable', 'under_18', 'exploited', 'cuckooed', 'iom', 'licensed']);
const NUMBER_FIELDS = new Set(['ocgm_score', 'morile_score', 'count', 'weight']);
const LIST_FIELDS = new Set(['aliases', 'threat_areas']);
/** Multi-valued cells are separated by semicolons, as spreadsheets export them. */
export const LIST_SEPARATOR = ';';

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0']);

/** Which grading field each flat column fills, so zod's paths map back to columns. */
const GRADING_FIELD_TO_COLUMN: Record<string, string> = {
  source: 'source_eval',
  intelligence: 'intel_assessment',
  handling: 'handling_code',
  conditions: 'handling_conditions',
  release_to: 'handling_release_to',
  recorded: 'legacy_grading',
  regraded_from: 'regraded_from',
  system: 'legacy_grading',
};

/** A problem found while turning cells into fields, before zod sees the record. */
export interface CellProblem {
  field: string;
  reason: string;
}

/**
 * Turns a CSV row (column name → cell text) into a candidate record object for
 * zod. Empty cells mean "not recorded". Cells are never trimmed: ids and
 * legacy codes are kept byte for byte.
 */
export function rowToRecord(row: ReadonlyMap<string, string>): {
  record: Record<string, unknown>;
  problems: CellProblem[];
} {
  const record: Record<string, unknown> = {};
  const problems: CellProblem[] = [];
  for (const [column, cell] of row) {
    if (cell === '' || column === 'schema_version' || (GRADING_COLUMNS as readonly string[]).includes(column)) continue;
    if (BOOLEAN_FIELDS.has(column)) {
      const word = cell.toLowerCase();
      if (TRUE_WORDS.has(word)) record[column] = true;
      else if (FALSE_WORDS.has(word)) record[column] = false;
      else problems.push({ field: column, reason: `must be true or false, not ${JSON.stringify(cell)}` });
    } else if (NUMBER_FIELDS.has(column)) {
      const value = Number(cell);
      if (cell.trim() === '' || !Number.isFinite(value)) {
        problems.push({ field: column, reason: `must be a number, not ${JSON.stringify(cell)}` });
      } else record[column] = value;
    } else if (LIST_FIELDS.has(column)) {
      record[column] = cell
        .split(LIST_SEPARATOR)
        .map((item) => item.trim())
        .filter((item) => item !== '');
    } else if (column === 'attributes') {
      let value: unknown;
      try {
        value = JSON.parse(cell);
      } catch {
        problems.push({ field: column, reason: 'must be a JSON array of graded attributes' });
        continue;
      }
      // The limits the JSON readers apply, before anything walks the value.
      const forbidden = jsonDepthExceeds(value, LIMITS.maxDepth) ? undefined : findForbiddenKey(value);
      if (jsonDepthExceeds(value, LIMITS.maxDepth))
        problems.push({ field: column, reason: `nested deeper than ${LIMITS.maxDepth} levels` });
      else if (forbidden) problems.push({ field: [column, ...forbidden].join('.'), reason: 'is a reserved key name' });
      else record[column] = value;
    } else {
      record[column] = cell;
    }
  }
  const grading = gradingFromCells(row, problems);
  if (grading !== undefined) record.grading = grading;
  return { record, problems };
}

function gradingFromCells(row: ReadonlyMap<string, string>, problems: CellProblem[]): unknown {
  const cell = (name: string) => row.get(name) ?? '';
  const legacy = cell('legacy_grading');
  const has3x5x2 = [
    'source_eval',
    'intel_assessment',
    'handling_code',
    'handling_conditions',
    'handling_release_to',
  ].some((name) => cell(name) !== '');
  if (legacy !== '' && has3x5x2) {
    problems.push({
      field: 'legacy_grading',
      reason: 'give either legacy_grading or the 3x5x2 columns; record a re-grade in regraded_from',
    });
    return undefined;
  }
  if (legacy !== '') return { system: '5x5x5', recorded: legacy };
  if (!has3x5x2) return undefined;
  const grading: Record<string, string | string[]> = {
    system: '3x5x2',
    source: cell('source_eval'),
    intelligence: cell('intel_assessment'),
    handling: cell('handling_code'),
  };
  if (cell('handling_conditions') !== '') grading.conditions = cell('handling_conditions');
  // Audience ids never hold ';', so one cell lists them as spreadsheets do; repeats are left for zod to name.
  if (cell('handling_release_to') !== '')
    grading.release_to = cell('handling_release_to')
      .split(LIST_SEPARATOR)
      .map((item) => item.trim());
  if (cell('regraded_from') !== '') grading.regraded_from = cell('regraded_from');
  return grading;
}

/** Maps a zod issue path on a CSV-born record back to the column the analyst wrote. */
export function columnForPath(path: PropertyKey[]): string {
  const [head, second] = path.map(String);
  if (head === 'grading') {
    if (second === undefined) return 'source_eval/intel_assessment/handling_code or legacy_grading';
    return GRADING_FIELD_TO_COLUMN[second] ?? `grading.${second}`;
  }
  if (head === 'attributes') return path.map(String).join('.');
  return head ?? '';
}

function gradingToCells(grading: Grading | undefined): Record<string, string> {
  if (grading === undefined) return {};
  if (grading.system === '5x5x5') return { legacy_grading: grading.recorded };
  const cells: Record<string, string> = {
    source_eval: grading.source,
    intel_assessment: grading.intelligence,
    handling_code: grading.handling,
  };
  if (grading.conditions !== undefined) cells.handling_conditions = grading.conditions;
  if (grading.release_to !== undefined) cells.handling_release_to = grading.release_to.join(LIST_SEPARATOR);
  if (grading.regraded_from !== undefined) cells.regraded_from = grading.regraded_from;
  return cells;
}

function fieldToCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(LIST_SEPARATOR);
  return String(value);
}

/** One entity as CSV cells in `ENTITY_COLUMNS` order. */
export function entityToCells(entity: Entity, schemaVersion: number): string[] {
  const cells: Record<string, string> = { ...gradingToCells(entity.grading), schema_version: String(schemaVersion) };
  for (const [field, value] of Object.entries(entity)) {
    if (field === 'grading') continue;
    cells[field] = field === 'attributes' ? JSON.stringify(value) : fieldToCell(value);
  }
  return ENTITY_COLUMNS.map((column) => cells[column] ?? '');
}

/** One link as CSV cells in `LINK_COLUMNS` order. */
export function linkToCells(link: Link, schemaVersion: number): string[] {
  const cells: Record<string, string> = { ...gradingToCells(link.grading), schema_version: String(schemaVersion) };
  for (const [field, value] of Object.entries(link)) {
    if (field !== 'grading') cells[field] = fieldToCell(value);
  }
  return LINK_COLUMNS.map((column) => cells[column] ?? '');
}

/** Which record file a CSV header belongs to. */
export type RecordCsvKind = 'entities' | 'links';

/** Tells entities.csv from links.csv by its header; undefined for other CSVs. */
export function recordCsvKind(header: readonly string[]): RecordCsvKind | undefined {
  if (header.includes('kind') && header.includes('id')) return 'entities';
  if (header.includes('type') && header.includes('from') && header.includes('to')) return 'links';
  return undefined;
}
