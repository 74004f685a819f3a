/**
 * @ocgnet/research: what may a researcher take away? Keyed pseudonyms,
 * anonymised network exports made only from evidence permitted for research,
 * re-identification measures against an attacker who holds the original
 * network, seeded structural perturbation, a ledger of the releases made
 * with each key, and a manifest that reproduces the numbers from the export
 * alone.
 */
export * from './pseudonyms.js';
export * from './permitted.js';
export * from './anonymise.js';
export * from './view.js';
export * from './candidates.js';
export * from './egoMatch.js';
export * from './measureAttributes.js';
export * from './measureDegree.js';
export * from './measureNeighbourDegrees.js';
export * from './measureEdgeAttributes.js';
export * from './measureNeighbourhood.js';
export * from './measureCombined.js';
export * from './measurePropagated.js';
export * from './reidentification.js';
export * from './risk.js';
export * from './perturb.js';
export * from './automorphism.js';
export * from './ledger.js';
export * from './results.js';
export * from './formats.js';
export * from './manifest.js';
export * from './reproduce.js';
export * from './researchExport.js';
