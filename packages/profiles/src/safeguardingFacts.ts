/**
 * Which safeguarding facts an audience is told.
 *
 * Every audience is told that a person is a safeguarding subject (so that no
 * partner acts against them); only the audiences configured for it
 * (`safeguardingFacts` in the audiences file: Children's Services and Adult
 * Social Care by default) learn why, or where the person lives. A victim's
 * home (victimHome.ts of @ocgnet/disruption) is shown to the others under a
 * withheld label.
 */
import { isVictimHome } from '@ocgnet/disruption';
import { safeguardingFlagsOf, type Entity, type SafeguardingFlag } from '@ocgnet/schema';
import type { NetworkGraph } from '@ocgnet/graph';
import { safeguardingFactsFor, type Audience, type SafeguardingFact } from './audience.js';

/** The label shown instead of a victim's home to an audience not told home addresses. */
export const WITHHELD_HOME_LABEL = 'Address withheld (safeguarding)';

/** What one audience may be told about safeguarding subjects in one network. */
export interface SafeguardingDisclosure {
  /** The flags of this record the audience may be told. */
  flags(entity: Entity | undefined): SafeguardingFlag[];
  /** True when the record has flags the audience is not told. */
  withheld(entity: Entity | undefined): boolean;
  /** True when this location is a victim's home whose address the audience is not told. */
  homeWithheld(location: string): boolean;
}

/** Every safeguarding flag of a person, or `cuckooed` of a location: what protection is decided on. */
export function protectionFlagsOf(entity: Entity | undefined): SafeguardingFlag[] {
  return entity?.kind === 'person' || entity?.kind === 'location' ? safeguardingFlagsOf(entity) : [];
}

/** The disclosure rules of `audience` over the multimodal network (`buildNetwork`). */
export function safeguardingDisclosure(network: NetworkGraph, audience: Audience): SafeguardingDisclosure {
  const facts: ReadonlySet<SafeguardingFact> = safeguardingFactsFor(audience);
  const homes = new Map<string, boolean>();
  return {
    flags: (entity) => protectionFlagsOf(entity).filter((flag) => facts.has(flag)),
    withheld: (entity) => protectionFlagsOf(entity).some((flag) => !facts.has(flag)),
    homeWithheld: (location) => {
      if (facts.has('home_address')) return false;
      let home = homes.get(location);
      if (home === undefined) homes.set(location, (home = isVictimHome(network, location)));
      return home;
    },
  };
}
