/**
 * @ocgnet/profiles: what may a partner read?
 * The audiences that decide what each reader may see, and the partnership and
 * local profiles computed only from what that audience may see.
 */

// Audiences: who may see which records, and the records one audience may see.
export {
  audienceById,
  audiencesHash,
  defaultAudiences,
  entityForAudience,
  evidenceReleaseFor,
  loadAudiences,
  mayView,
  partnerAgencyAudience,
  recordsForAudience,
  researchUseOf,
  unknownReleaseAudiences,
  unmappedConditions,
  type Audience,
  type AudienceConfig,
  type UnknownReleaseAudience,
  type UnmappedCondition,
} from './audience.js';

// Partnership profiles of a group, a nominal or a location.
export { ProfileError, buildProfile, type ProfileErrorCode } from './profile.js';
export { renderProfile } from './render.js';

// The local profile: the area-wide picture.
export { buildLocalProfile, renderLocalProfile } from './localProfile.js';
