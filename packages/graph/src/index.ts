/**
 * @ocgnet/graph: how do records become an association graph?
 *
 * - {@link buildNetwork}: the multimodal network, every entity and link as recorded;
 * - {@link projectPersons}: the person-to-person association graph, each edge
 *   with its weight, evidence and handling marking;
 * - {@link describeGraph}: size, components, density and markings of any graph.
 */
export { GraphError, type GraphErrorCode } from './errors.js';
export {
  buildNetwork,
  type NetworkGraph,
  type NetworkNodeAttributes,
  type NetworkEdgeAttributes,
  type NetworkGraphAttributes,
} from './network.js';
export {
  CHANNELS,
  DEFAULT_PROJECTION_OPTIONS,
  projectPersons,
  resolveProjectionOptions,
  type Channel,
  type Evidence,
  type GradingOptions,
  type HubNotExpanded,
  type IntelligenceAssessment,
  type PersonEdgeAttributes,
  type PersonGraph,
  type PersonGraphAttributes,
  type PersonNodeAttributes,
  type ProjectionOptions,
  type ProjectionOptionsInput,
  type ProjectionStats,
  type RecencyOptions,
  type SourceEvaluation,
  type WindowOptions,
} from './projection.js';
export { describeGraph, type GraphDescription, type MarkingCounts } from './describe.js';
