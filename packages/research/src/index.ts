/**
 * @ocgnet/research: what may a researcher take away? Keyed pseudonyms,
 * anonymised network exports, re-identification risk, seeded perturbation
 * and a manifest that reproduces the numbers from the export alone.
 */
export * from './pseudonyms.js';
export * from './anonymise.js';
export * from './risk.js';
export * from './perturb.js';
export * from './results.js';
export * from './formats.js';
export * from './manifest.js';
export * from './reproduce.js';
export * from './researchExport.js';
