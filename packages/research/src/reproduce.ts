/**
 * Reproduces an export's recorded results from the export alone: checks each
 * file's sha256, re-imports the primary format with @ocgnet/io's reader,
 * reruns the recorded analysis with the recorded settings and seed, and lists
 * every difference (exact for integers, 1e-9 relative for floats).
 *
 * No I/O: the caller passes a function that reads an export file by name.
 */
import { OcgnetError, formatIssue } from '@ocgnet/schema';
import { EXPORT_FORMATS, EXPORT_FILE_NAMES, readExportedGraph, type ExportFormat } from './formats.js';
import { MANIFEST_KIND, sha256Of, type ResearchManifest } from './manifest.js';
import { COMMUNITY_ALGORITHMS, CONVERGENCE_RULES } from '@ocgnet/analysis';
import { compareResults, computeResults, LEGACY_ANALYSIS_SETTINGS, type Mismatch } from './results.js';

/** The manifest is not one ocgnet can reproduce from: names the field and the reason. */
export class ManifestError extends OcgnetError<'INVALID_MANIFEST'> {
  override readonly name = 'ManifestError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super('INVALID_MANIFEST', `${field}: ${reason}`);
  }
}

export interface Reproduction {
  mismatches: Mismatch[];
  /** Files whose sha256 was checked. */
  filesChecked: number;
  /** The format re-imported and re-analysed. */
  reimported: ExportFormat;
  nodes: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks that a parsed JSON value is a research manifest, naming the first
 * field that is not.
 *
 * @throws {ManifestError}
 */
export function checkManifest(value: unknown): ResearchManifest {
  if (!isObject(value)) throw new ManifestError('(manifest)', 'is not a JSON object');
  if (value.kind !== MANIFEST_KIND)
    throw new ManifestError(
      'kind',
      `must be ${JSON.stringify(MANIFEST_KIND)}, not ${JSON.stringify(value.kind)} (is this an ocgnet anonymise manifest?)`,
    );
  if (!Array.isArray(value.files) || value.files.length === 0)
    throw new ManifestError('files', 'must list the export files');
  value.files.forEach((file, index) => {
    if (
      !isObject(file) ||
      typeof file.name !== 'string' ||
      typeof file.sha256 !== 'string' ||
      !(EXPORT_FORMATS as readonly unknown[]).includes(file.format)
    ) {
      throw new ManifestError(`files[${index}]`, 'must be {name, format, sha256, bytes} with a known format');
    }
    if (file.name.includes('/') || file.name.includes('\\') || file.name.startsWith('.'))
      throw new ManifestError(
        `files[${index}].name`,
        `must be a plain file name inside the export, not ${JSON.stringify(file.name)}`,
      );
  });
  if (!(EXPORT_FORMATS as readonly unknown[]).includes(value.primary))
    throw new ManifestError('primary', `must be one of ${EXPORT_FORMATS.join(', ')}`);
  const parameters = value.parameters;
  if (!isObject(parameters) || !isObject(parameters.analysis))
    throw new ManifestError('parameters.analysis', 'is missing');
  for (const field of ['seed', 'resolution', 'runs'] as const) {
    if (typeof parameters.analysis[field] !== 'number')
      throw new ManifestError(`parameters.analysis.${field}`, 'must be a number');
  }
  if (typeof parameters.analysis.weighted !== 'boolean')
    throw new ManifestError('parameters.analysis.weighted', 'must be true or false');
  const choices = { communityAlgorithm: COMMUNITY_ALGORITHMS, convergence: CONVERGENCE_RULES } as const;
  for (const [field, allowed] of Object.entries(choices)) {
    const given = parameters.analysis[field];
    if (given !== undefined && !(allowed as readonly unknown[]).includes(given))
      throw new ManifestError(`parameters.analysis.${field}`, `must be one of ${allowed.join(', ')}`);
  }
  if (typeof parameters.directed !== 'boolean') throw new ManifestError('parameters.directed', 'must be true or false');
  if (!isObject(value.results) || !isObject(value.results.nodes))
    throw new ManifestError('results.nodes', 'is missing');
  return value as unknown as ResearchManifest;
}

/**
 * Reproduces a manifest's results.
 *
 * @param readFile reads an export file by its name (text); throws if it is missing
 * @throws {ManifestError} for a manifest that is not a research manifest
 */
export async function reproduce(
  manifestValue: unknown,
  readFile: (name: string) => Promise<string>,
  onStep?: (step: string) => void,
): Promise<Reproduction> {
  const manifest = checkManifest(manifestValue);
  const mismatches: Mismatch[] = [];
  const texts = new Map<string, string>();
  onStep?.('hash');
  for (const file of manifest.files) {
    let text: string;
    try {
      text = await readFile(file.name);
    } catch {
      mismatches.push({ path: `files.${file.name}`, expected: 'present', actual: 'missing' });
      continue;
    }
    texts.set(file.name, text);
    const sha256 = sha256Of(text);
    if (sha256 !== file.sha256)
      mismatches.push({ path: `files.${file.name}.sha256`, expected: file.sha256, actual: sha256 });
  }
  const primary = manifest.primary;
  const needed = EXPORT_FILE_NAMES[primary];
  const missing = needed.filter((name) => !texts.has(name));
  if (missing.length > 0) return { mismatches, filesChecked: texts.size, reimported: primary, nodes: 0 };

  onStep?.('re-import');
  const parsed = await readExportedGraph(primary, (name) => texts.get(name)!, manifest.parameters.directed);
  if (!parsed.ok) {
    mismatches.push({
      path: `files.${needed[0]}`,
      expected: 'a readable graph',
      actual: parsed.issues.slice(0, 5).map(formatIssue).join('; '),
    });
    return { mismatches, filesChecked: texts.size, reimported: primary, nodes: 0 };
  }
  onStep?.('analyse');
  const results = computeResults(parsed.graph, { ...LEGACY_ANALYSIS_SETTINGS, ...manifest.parameters.analysis });
  mismatches.push(...compareResults(manifest.results, results));
  return { mismatches, filesChecked: texts.size, reimported: primary, nodes: parsed.graph.order };
}
