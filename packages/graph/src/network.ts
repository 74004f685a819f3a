/**
 * The multimodal network: every entity a node, every link an edge, exactly as
 * recorded. Nothing is merged or inferred here; that is the projection's job.
 *
 * - A graphology `MultiGraph` of type `mixed`, because two entities can be
 *   joined by several links (a person can live at and own the same address),
 *   and because link types are directed (`member_of`) or not (`associate`).
 * - Node key = entity id, edge key = link id, so any figure computed on the
 *   graph can be traced back to the records behind it.
 * - No self loops: the record model forbids a link from an entity to itself.
 */
import { MultiGraph } from 'graphology';
import {
  entityMarking,
  isDirectedLinkType,
  linkEndpointProblems,
  linkMarking,
  linkStrength,
  type Entity,
  type EntityKind,
  type Link,
  type LinkType,
  type Marking,
  type RecordSet,
} from '@ocgnet/schema';
import { GraphError } from './errors.js';

/** Attributes of an entity node. */
export interface NetworkNodeAttributes {
  kind: EntityKind;
  label: string;
  /** The entity as recorded. */
  record: Entity;
  /** `entityMarking(record)`: the strictest of its grading and its graded attributes. */
  marking: Marking;
}

/** Attributes of a link edge. */
export interface NetworkEdgeAttributes {
  type: LinkType;
  /** The link as recorded. */
  record: Link;
  /** `linkMarking(record)`. */
  marking: Marking;
  /** `linkStrength(record)`: weight, else count, else 1. */
  weight: number;
}

/** Attributes of the network as a whole. */
export interface NetworkGraphAttributes {
  kind: 'network';
}

/** The multimodal network built by {@link buildNetwork}. */
export type NetworkGraph = MultiGraph<NetworkNodeAttributes, NetworkEdgeAttributes, NetworkGraphAttributes>;

/**
 * Builds the multimodal network of a record set.
 *
 * Records are assumed to be validated already (by @ocgnet/schema or
 * @ocgnet/io); anything that would make the graph lie about them still throws
 * a {@link GraphError}: a duplicate entity or link id, a link to an entity that
 * does not exist or is of a kind its type cannot join, or a link from an
 * entity to itself.
 *
 * Nodes and edges are added in record order, so the same input gives the same
 * graph, iteration order included.
 */
export function buildNetwork(records: RecordSet): NetworkGraph {
  const graph: NetworkGraph = new MultiGraph<NetworkNodeAttributes, NetworkEdgeAttributes, NetworkGraphAttributes>({
    type: 'mixed',
    allowSelfLoops: false,
  });
  graph.replaceAttributes({ kind: 'network' });

  const byId = new Map<string, Entity>();
  for (const entity of records.entities) {
    if (byId.has(entity.id)) {
      throw new GraphError('DUPLICATE_ENTITY', `duplicate entity id ${JSON.stringify(entity.id)}`);
    }
    byId.set(entity.id, entity);
    graph.addNode(entity.id, {
      kind: entity.kind,
      label: entity.label,
      record: entity,
      marking: entityMarking(entity),
    });
  }

  const lookup = (id: string): Entity | undefined => byId.get(id);
  for (const link of records.links) {
    if (graph.hasEdge(link.id)) {
      throw new GraphError('DUPLICATE_LINK', `duplicate link id ${JSON.stringify(link.id)}`);
    }
    if (link.from === link.to) {
      throw new GraphError('SELF_LOOP', `link ${JSON.stringify(link.id)} joins ${JSON.stringify(link.from)} to itself`);
    }
    const problems = linkEndpointProblems(link, lookup);
    const first = problems[0];
    if (first !== undefined) {
      const missing = byId.get(link[first.field]) === undefined;
      throw new GraphError(
        missing ? 'MISSING_ENDPOINT' : 'BAD_ENDPOINT_KIND',
        `link ${JSON.stringify(link.id)} (${first.field}): ${first.reason}`,
      );
    }
    const attributes: NetworkEdgeAttributes = {
      type: link.type,
      record: link,
      marking: linkMarking(link),
      weight: linkStrength(link),
    };
    if (isDirectedLinkType(link.type)) graph.addDirectedEdgeWithKey(link.id, link.from, link.to, attributes);
    else graph.addUndirectedEdgeWithKey(link.id, link.from, link.to, attributes);
  }
  return graph;
}
