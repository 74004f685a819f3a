/**
 * @ocgnet/schema: what is a valid record?
 * The zod record model of ocgnet; every type is inferred from its schema.
 */

// The shape of every ocgnet error: a code and a message for the user.
export { OcgnetError } from './errors.js';

// The one rule for each domain fact: id order and who is a safeguarding subject.
export { compareIds } from './ids.js';
export {
  SAFEGUARDING_FLAGS,
  SAFEGUARDING_MARK,
  isSafeguardingNode,
  isSafeguardingSubject,
  safeguardingFlagsOf,
  type SafeguardingFlag,
} from './entities.js';

// Entities: the kinds of record, their schemas and inferred types.
export {
  ENTITY_KINDS,
  EntitySchema,
  IdSchema,
  LabelSchema,
  OCGM_BANDS,
  THREAT_AREAS,
  type Business,
  type Entity,
  type EntityKind,
  type Event,
  type GradedAttribute,
  type Location,
  type Ocg,
  type Person,
  type Phone,
  type ThreatArea,
  type Usg,
  type Vehicle,
} from './entities.js';

// Links: the link types, their rules, and the strength and interval of a link.
export {
  LINK_TYPES,
  LINK_TYPE_RULES,
  LinkSchema,
  isDirectedLinkType,
  linkInterval,
  linkStrength,
  type Link,
  type LinkType,
  type MemberRole,
} from './links.js';

// Gradings and handling markings: what each record may be shown to.
export {
  AudienceIdSchema,
  DEFAULT_CLASSIFICATION,
  GradingSchema,
  INTELLIGENCE_ASSESSMENTS,
  PUBLIC_MARKING,
  SOURCE_EVALUATIONS,
  copyMarking,
  describeMarking,
  formatGrading,
  isAtLeastAsStrict,
  markingOfGrading,
  strictestMarking,
  type Grading,
  type HandlingMarking,
  type Marking,
} from './grading.js';

// Record sets and files: the versioned container and the checks across records.
export {
  RecordFileSchema,
  SCHEMA_VERSION,
  SUPPORTED_SCHEMA_VERSIONS,
  entityMarking,
  issuesFromZod,
  linkEndpointProblems,
  linkMarking,
  type RecordSet,
} from './records.js';

// Input problems, reported as file, line, field and reason.
export { InputError, formatIssue, type InputIssue } from './issues.js';

// Limits on untrusted input.
export { FORBIDDEN_KEYS, LIMITS, findForbiddenKey, jsonDepthExceeds } from './limits.js';
