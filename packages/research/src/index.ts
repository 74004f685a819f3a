/**
 * @ocgnet/research: what may a researcher take away? Keyed pseudonyms,
 * anonymised network exports made only from evidence permitted for research,
 * re-identification measures against an attacker who holds the original
 * network, seeded structural perturbation, a ledger of the releases made
 * with each key, and a manifest that reproduces the numbers from the export
 * alone.
 */

// Keyed pseudonyms and the key file.
export {
  PseudonymKeyError,
  Pseudonymiser,
  assertKeyOutsideOutput,
  formatKeyFile,
  newPseudonymKey,
  parseKeyFile,
} from './pseudonyms.js';

// The research export: anonymisation, perturbation and the risk report.
export { PERTURB_METHODS, prepareResearchExport, suggestRemedies, type PerturbMethod } from './researchExport.js';
export {
  anonymisePersons,
  type ChannelMode,
  type DateMode,
  type KeptAttributes,
  type WeightMode,
} from './anonymise.js';
export type { RiskReport } from './risk.js';

// The export's file formats.
export { EXPORT_FORMATS, readExportedGraph, type ExportFormat } from './formats.js';

// The ledger of the releases made with each key.
export {
  LedgerError,
  ledgerFileFor,
  ledgerJson,
  newLedger,
  parseLedger,
  priorReleases,
  recordRelease,
  type Ledger,
} from './ledger.js';

// The manifest, and reproducing the numbers from the export alone.
export { MANIFEST_FILE, manifestJson } from './manifest.js';
export { ManifestError, checkManifest, reproduce } from './reproduce.js';
