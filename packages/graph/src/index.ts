/**
 * @ocgnet/graph: how do records become an association graph?
 *
 * - {@link buildNetwork}: the multimodal network, every entity and link as recorded;
 * - {@link projectPersons}: the person-to-person association graph, each edge
 *   with its weight, evidence and handling marking;
 * - {@link describeGraph}: size, components, density and markings of any graph.
 */

// The multimodal network of every entity and link.
export { buildNetwork, type NetworkGraph } from './network.js';

// The person projection and its options.
export {
  CHANNELS,
  projectPersons,
  resolveProjectionOptions,
  type PersonGraph,
  type ProjectionOptions,
  type ProjectionOptionsInput,
} from './projection.js';

// Statistics of any graph.
export { describeGraph } from './describe.js';

// Errors, with a stable code.
export { GraphError, type GraphErrorCode } from './errors.js';
