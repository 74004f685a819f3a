/**
 * What may be used for research: the network restricted to the records whose
 * handling permits research use.
 *
 * A research export is built from this network only, so evidence that is not
 * permitted contributes to nothing exported: no nominal, tie, weight, channel,
 * date, area, reference date or count comes from it. By default only handling
 * P is permitted (`DEFAULT_RESEARCH_USE`): C evidence (CHIS product, partner
 * data under conditions) and R evidence (legacy 5x5x5, not yet re-graded) stay
 * out unless the configuration allows research use of them.
 *
 * - A link is kept when its marking is permitted and both its ends are kept.
 * - An entity is kept when the marking of its own record grading is permitted.
 *   Graded attribute values are separate evidence that no export carries, so
 *   they neither keep nor remove an entity.
 * - A nominal is kept when its record is permitted and at least one link about
 *   them is kept: a nominal whose only evidence is not permitted (a CHIS-only
 *   nominal, say) is not exported, not even as an isolated node.
 *
 * No I/O; the counts of what was left out stay in memory (the CLI tells the
 * analyst) and never reach the export, since they would themselves describe
 * the restricted evidence.
 */
import { buildNetwork, type NetworkGraph } from '@ocgnet/graph';
import { markingOfGrading, type Entity, type HandlingMarking, type Link, type Marking } from '@ocgnet/schema';

/** Decides whether evidence with this marking may be used for research. */
export type ResearchUse = (marking: Marking) => boolean;

/** The default: handling P only. */
export const DEFAULT_RESEARCH_USE: ResearchUse = (marking) => marking.handling === 'P';

const STRICTNESS: Record<HandlingMarking, number> = { P: 0, C: 1, R: 2 };

export interface PermittedNetwork {
  network: NetworkGraph;
  /** The strictest handling code of what was kept. */
  handling: HandlingMarking;
  /** Some kept evidence is handling C: conditions apply to the export (they are never quoted in it). */
  conditionsApply: boolean;
  /** Left out as not permitted; in memory only. */
  leftOut: { nominals: number; entities: number; links: number };
}

/** The network of the records that may be used for research. */
export function permittedNetwork(
  network: NetworkGraph,
  researchUse: ResearchUse = DEFAULT_RESEARCH_USE,
): PermittedNetwork {
  let handling: HandlingMarking = 'P';
  let conditionsApply = false;
  const note = (marking: Marking) => {
    if (STRICTNESS[marking.handling] > STRICTNESS[handling]) handling = marking.handling;
    if (marking.handling === 'C') conditionsApply = true;
  };
  const entityOk = new Map<string, boolean>();
  network.forEachNode((id, attributes) => entityOk.set(id, researchUse(markingOfGrading(attributes.record.grading))));
  const links: Link[] = [];
  const linked = new Set<string>();
  let linksLeftOut = 0;
  network.forEachEdge((_edge, attributes, source, target) => {
    if (entityOk.get(source) && entityOk.get(target) && researchUse(attributes.marking)) {
      links.push(attributes.record);
      linked.add(source);
      linked.add(target);
      note(attributes.marking);
    } else linksLeftOut++;
  });
  const entities: Entity[] = [];
  let nominalsLeftOut = 0;
  let entitiesLeftOut = 0;
  network.forEachNode((id, attributes) => {
    const kept = entityOk.get(id)! && (attributes.kind !== 'person' || linked.has(id));
    if (kept) {
      entities.push(attributes.record);
      note(markingOfGrading(attributes.record.grading));
    } else if (attributes.kind === 'person') nominalsLeftOut++;
    else entitiesLeftOut++;
  });
  return {
    network: buildNetwork({ entities, links }),
    handling,
    conditionsApply,
    leftOut: { nominals: nominalsLeftOut, entities: entitiesLeftOut, links: linksLeftOut },
  };
}
