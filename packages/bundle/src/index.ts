/**
 * @ocgnet/bundle: the viewer bundle contract. Everything the Sigma.js viewer
 * draws comes in one JSON document; this entry point says what that document
 * holds (format, version, types), checks one (`parseViewerBundle`) and
 * imports no node built-in and no builder, so the browser loads only this.
 * The one builder is the second entry point, `@ocgnet/bundle/build`.
 *
 * What a bundle must never hold is record content beyond what the viewer
 * shows: no `record` and no `evidence` arrays on any node or edge.
 */

// The format and version a bundle declares.
export { VIEWER_BUNDLE_FORMAT, VIEWER_BUNDLE_VERSION } from './contract.js';

// What a bundle holds, and the attributes of each kind of node and edge.
export type {
  BundleAssociationAttributes,
  BundleEntityAttributes,
  BundleLinkAttributes,
  BundlePersonAttributes,
  LargeBundleScale,
  PlanFailure,
  ViewerBundle,
  ViewerLayout,
} from './contract.js';

// Checking a bundle, and the one line for a group whose plan failed.
export { ViewerBundleError, ViewerBundleSchema, describePlanFailure, parseViewerBundle } from './contract.js';

// The compact form (columns instead of one object per node and edge), decoded back exactly.
export {
  COMPACT_BUNDLE_FORMAT,
  COMPACT_BUNDLE_MEDIA_TYPE,
  COMPACT_BUNDLE_VERSION,
  CompactBundleError,
  decodeCompactBundle,
  encodeCompactBundle,
  type CompactBundle,
} from './compact.js';
