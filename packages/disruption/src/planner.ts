/**
 * The partnership action planner: which of a group's nominals to act on, which
 * partner holds the lever, and what acting is expected to do to the network.
 *
 * ## Impact
 * A target's impact is the rise in Borgatti's fragmentation F (Borgatti 2006,
 * "Identifying sets of key players in a social network", eq. 4; see
 * fragmentation.ts) of the **group's network** when the target is removed.
 *
 * The group's network is the person projection restricted to the group's
 * **core** (its mapped members, plus any hidden-member candidates passed in)
 * and everyone directly associated with a core person. Members alone would
 * miss what a disruption panel cares about: a lieutenant who is the group's
 * only tie to a street gang or to a county line's customers holds the group's
 * reach together, and removing them cuts that reach off. Going further out
 * than one step would let the background population swamp the figure.
 *
 * Ties: ΔF first, then the rise in distance-weighted fragmentation dF
 * (Borgatti 2006, eq. 9), which still moves when nobody is cut off but paths
 * grow longer, then id.
 *
 * ## Who may be a target
 * - Only core persons (members and candidates) at least one partner can act
 *   on: ≥ 1 lever of the Pursue strand applies (levers.ts). Core persons with
 *   no lever are listed apart (`withoutLevers`): an intelligence gap, not a
 *   recommendation.
 * - **Never** a vulnerable, under-18, exploited or cuckooed person
 *   (`isSafeguardingSubject`, or the projection's flags). Every such person in
 *   the group's network, member or associate, is listed under `safeguarding`
 *   with the Prevent and Protect levers that apply to them instead, and their
 *   rows in the action plan carry no impact figure: safeguarding is not
 *   measured by what it does to the network.
 *
 * ## The action plan
 * One row per target and lever (every lever of the Pursue strand that applies
 * to the target), then one per safeguarding subject and Prevent/Protect lever;
 * each row carries its evidence and the strictest marking of that evidence.
 * `combined` is the impact of acting on every recommended target together.
 *
 * ## Evidence the lead agency may receive
 * With `evidenceRelease` (built by the caller from the force's audiences
 * configuration), a lever rests only on evidence its lead agency may receive:
 * car-wash ownership released to HMRC alone does not drive a Trading
 * Standards action. Evidence the agency may not receive is left out of the
 * lever; a lever left with none is not proposed, and the plan says so in
 * `evidenceWithheld` (no audience configured for the agency, or the evidence
 * is not released to it). Without `evidenceRelease` every piece counts, as
 * for a police analyst reading alone.
 *
 * The result is a plain object that JSON.stringify can write as it is;
 * {@link formatPlan} renders it as text.
 */
import { z } from 'zod';
import {
  csrOf,
  inducedCsr,
  isGraphologyGraph,
  mappingFromNetwork,
  ROLE_RANK,
  type CsrGraph,
  type GroupMapping,
} from '@ocgnet/analysis';
import {
  INTELLIGENCE_ASSESSMENTS,
  SAFEGUARDING_FLAGS,
  compareIds,
  describeMarking,
  isSafeguardingNode,
  safeguardingFlagsOf,
  strictestMarking,
  type Marking,
  type MemberRole,
  type SafeguardingFlag,
} from '@ocgnet/schema';
import type { AbstractGraph } from 'graphology-types';
import { connectivity, distanceConnectivity, type ConnectivityState } from './fragmentation.js';
import {
  defaultLeverCatalogue,
  leversFor,
  type Lever,
  type LeverCatalogue,
  type LeverEvidence,
  type LeverMatch,
  type Partner,
  type Strand,
} from './levers.js';
import { OcgnetError } from '@ocgnet/schema';

const ORIGIN = '@ocgnet/disruption/planner';

/** Defaults of {@link planDisruption}: k = 5, no candidates, evidence graded E (suspected false) left out. */
export const DEFAULT_PLAN_OPTIONS = Object.freeze({
  k: 5,
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- widens the frozen literal for callers
  candidates: Object.freeze([]) as readonly string[],
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- widens the frozen literal for callers
  excludeAssessments: Object.freeze(['E']) as readonly (typeof INTELLIGENCE_ASSESSMENTS)[number][],
});

/** The parameters of {@link planDisruption}, with their defaults; the CLI and viewer forms read this. */
export const PlanOptionsSchema = z
  .object({
    /** The group (OCG or USG) id in the network. */
    ocg: z.string().min(1),
    /** Number of Pursue targets to recommend. */
    k: z.number().int().min(1).max(10_000).default(DEFAULT_PLAN_OPTIONS.k),
    /** Hidden-member candidates to rank with the mapped members (person ids). */
    candidates: z.array(z.string().min(1)).default(() => [...DEFAULT_PLAN_OPTIONS.candidates]),
    /** Intelligence assessments whose evidence no lever may rest on. */
    excludeAssessments: z
      .array(z.enum(INTELLIGENCE_ASSESSMENTS))
      .default(() => [...DEFAULT_PLAN_OPTIONS.excludeAssessments]),
  })
  .strict();

export type PlanOptions = z.infer<typeof PlanOptionsSchema>;

/** Whether a lead agency may receive a piece of evidence with this marking. */
export type EvidenceRelease = 'released' | 'not-released' | 'no-audience';
/** Decided by the caller from its audiences configuration (`evidenceReleaseFor` in @ocgnet/profiles). */
export type EvidenceReleaseCheck = (partner: Partner, marking: Marking) => EvidenceRelease;

/** What callers pass: `ocg` and any of the rest, plus an optional lever catalogue and release check. */
export type PlanOptionsInput = z.input<typeof PlanOptionsSchema> & {
  /** Default: the shipped catalogue (`defaultLeverCatalogue()`). */
  catalogue?: LeverCatalogue;
  /** Default: every piece of evidence may go to every lead agency. */
  evidenceRelease?: EvidenceReleaseCheck;
  /** The network's mapping, when the caller has it (`analyseRecords` does); read from `network` otherwise. */
  mapping?: GroupMapping;
};

export type PlanErrorCode = 'NOT_A_GRAPH' | 'UNKNOWN_GROUP' | 'UNKNOWN_PERSON' | 'INVALID_OPTION';

/** Misuse of the planner. The message starts with "@ocgnet/disruption/planner: ". */
export class PlanError extends OcgnetError<PlanErrorCode> {
  override readonly name: string = 'PlanError';
  constructor(code: PlanErrorCode, message: string) {
    super(code, message, { origin: ORIGIN });
  }
}

/** What removing a person (or several) is expected to do to the group's network. */
export interface ExpectedImpact {
  /** fragmentationAfter − fragmentationBefore: the ranking figure. */
  deltaF: number;
  fragmentationBefore: number;
  fragmentationAfter: number;
  /** Rise in distance-weighted fragmentation dF: the tie-break. */
  deltaDistanceFragmentation: number;
  lccBefore: number;
  lccAfter: number;
  /** lccAfter − lccBefore (≤ 0). */
  lccChange: number;
  componentsAfter: number;
}

/** How a person stands to the group. */
export type PlanRelation = 'member' | 'candidate' | 'associate';

/** A lever as it appears in the plan: the lever's fields, its evidence and marking. */
export interface PlannedLever {
  id: string;
  partner: Partner;
  power: string;
  basis?: string;
  strand: Strand;
  evidence: LeverEvidence[];
  marking: Marking;
}

/** A lever that applied but whose evidence cannot go to its lead agency, so is not proposed. */
export interface WithheldLever {
  person: string;
  label: string;
  lever: string;
  partner: Partner;
  strand: Strand;
  /** `no-audience`: the force has configured no audience for the agency; `not-released`: the evidence is not released to it. */
  reason: Exclude<EvidenceRelease, 'released'>;
  /** How many pieces of evidence were withheld. */
  evidence: number;
}

/** A recommended Pursue target. */
export interface PursueTarget {
  /** 1 = highest impact. */
  rank: number;
  person: string;
  label: string;
  relation: 'member' | 'candidate';
  /** Mapped role in this group; absent for candidates. */
  role?: MemberRole;
  impact: ExpectedImpact;
  /** Pursue levers that apply (≥ 1). */
  levers: PlannedLever[];
}

/** A core person no partner can act on. */
export interface UnactionablePerson {
  person: string;
  label: string;
  relation: 'member' | 'candidate';
  role?: MemberRole;
  impact: ExpectedImpact;
}

/** Someone to protect, not to target. */
export interface SafeguardingEntry {
  person: string;
  label: string;
  relation: PlanRelation;
  role?: MemberRole;
  /** Which flags are set. */
  flags: SafeguardingFlag[];
  /** Core persons (members, candidates) they are directly associated with in the projection, by id. */
  linkedTo: { id: string; label: string }[];
  /** Prevent and Protect levers that apply. */
  levers: PlannedLever[];
}

/** One row of the partnership action plan. */
export interface ActionRow {
  target: { id: string; label: string };
  lever: string;
  power: string;
  leadAgency: Partner;
  strand: Strand;
  /** The target's own impact; null for Prevent and Protect rows. */
  expectedImpact: ExpectedImpact | null;
  evidence: LeverEvidence[];
  marking: Marking;
}

/** The plan: JSON-able. */
export interface DisruptionPlan {
  group: { id: string; label: string; kind: string };
  options: PlanOptions;
  /** The group's network the impacts are measured on. */
  scope: {
    description: string;
    persons: number;
    associations: number;
    members: number;
    candidates: number;
    associates: number;
    /** Mapped members absent from the person projection (left out of every figure). */
    missing: string[];
    fragmentation: number;
    lcc: number;
    components: number;
  };
  /** At most k, by impact. */
  targets: PursueTarget[];
  /** Acting on every target together. */
  combined: ExpectedImpact & { targets: string[] };
  /** Core persons (not safeguarding subjects) with no Pursue lever, by impact. */
  withoutLevers: UnactionablePerson[];
  safeguarding: SafeguardingEntry[];
  actionPlan: ActionRow[];
  /** Levers not proposed because none of their evidence may go to the lead agency. */
  evidenceWithheld: WithheldLever[];
  /** Strictest marking of every row: what sharing the whole plan requires. */
  marking: Marking;
}

const SCOPE_DESCRIPTION =
  "person projection restricted to the group's mapped members and candidates plus their direct associates; impact is the rise in Borgatti's fragmentation F when a person is removed";

/**
 * Drafts a partnership action plan against one group.
 *
 * @param network the multimodal network (`buildNetwork`), for membership, records and levers.
 * @param persons its person projection (`projectPersons`), for impacts.
 * @example
 * const plan = planDisruption(network, projectPersons(network), { ocg: 'OCG01', k: 5 });
 * console.log(formatPlan(plan));
 * @throws {PlanError} for a graph that is not one, an unknown group or candidate, or a bad option.
 */
export function planDisruption(
  network: AbstractGraph,
  persons: AbstractGraph,
  options: PlanOptionsInput,
): DisruptionPlan {
  for (const [name, graph] of [
    ['network', network],
    ['persons', persons],
  ] as const) {
    if (!isGraphologyGraph(graph)) throw new PlanError('NOT_A_GRAPH', `${name}: expected a graphology graph.`);
  }
  const {
    catalogue = defaultLeverCatalogue(),
    evidenceRelease,
    mapping,
    ...rest
  } = options ?? ({} as PlanOptionsInput);
  const parsed = PlanOptionsSchema.safeParse(rest);
  if (!parsed.success) {
    throw new PlanError(
      'INVALID_OPTION',
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`).join('; '),
    );
  }
  const resolved = parsed.data;
  const groupId = resolved.ocg;
  const groupKind = network.hasNode(groupId) ? (network.getNodeAttribute(groupId, 'kind') as string) : undefined;
  if (groupKind !== 'ocg' && groupKind !== 'usg') {
    throw new PlanError('UNKNOWN_GROUP', `no OCG or USG ${JSON.stringify(groupId)} in the network.`);
  }
  const leverOptions = { catalogue, excludeAssessments: resolved.excludeAssessments };

  // The core: mapped members, then candidates who are not members already.
  const mapped = (mapping ?? mappingFromNetwork(network)).membersOf[groupId] ?? [];
  const roles = rolesIn(network, groupId);
  const missing = mapped.filter((person) => !persons.hasNode(person));
  const relation = new Map<string, 'member' | 'candidate'>();
  for (const person of mapped) if (persons.hasNode(person)) relation.set(person, 'member');
  const unknown = resolved.candidates.filter((person) => !persons.hasNode(person) || !network.hasNode(person));
  if (unknown.length > 0)
    throw new PlanError(
      'UNKNOWN_PERSON',
      `candidates not in the person projection: ${unknown.map((id) => JSON.stringify(id)).join(', ')}.`,
    );
  for (const person of resolved.candidates) if (!relation.has(person)) relation.set(person, 'candidate');

  // The group's network: the core and its direct associates, in the projection's node order.
  const inScope = new Set<string>(relation.keys());
  for (const person of relation.keys()) persons.forEachNeighbor(person, (neighbour) => inScope.add(neighbour));
  const full = csrOf(persons, { weightAttribute: null });
  const scopeIndices: number[] = [];
  for (let index = 0; index < full.n; index++) if (inScope.has(full.ids[index]!)) scopeIndices.push(index);
  const csr = inducedCsr(full, scopeIndices);
  const local = new Map<string, number>();
  scopeIndices.forEach((parent, k) => local.set(full.ids[parent]!, k));

  const none = new Uint8Array(csr.n);
  const baseline = connectivity(csr, none);
  const baselineDistance = distanceConnectivity(csr, none).distanceFragmentation;
  const impactOf = (removedIds: readonly string[]): ExpectedImpact => {
    const removed = new Uint8Array(csr.n);
    for (const id of removedIds) removed[local.get(id)!] = 1;
    return impact(csr, removed, baseline, baselineDistance);
  };

  const labelOf = (id: string): string =>
    String(network.hasNode(id) ? network.getNodeAttribute(id, 'label') : persons.getNodeAttribute(id, 'label'));
  // The schema's rule, on the person's record in the network and on the projection's copy of its flags.
  const safeguardingFlags = (id: string): SafeguardingEntry['flags'] => {
    const set = new Set([
      ...safeguardingFlagsOf(
        network.hasNode(id) ? (network.getNodeAttribute(id, 'record') as object | undefined) : undefined,
      ),
      ...safeguardingFlagsOf(persons.getNodeAttributes(id)),
    ]);
    return SAFEGUARDING_FLAGS.filter((flag) => set.has(flag));
  };
  const isProtected = (id: string): boolean =>
    isSafeguardingNode(persons.getNodeAttributes(id)) ||
    (network.hasNode(id) && isSafeguardingNode(network.getNodeAttributes(id)));

  // Each lever keeps only the evidence its lead agency may receive; one left with none is withheld.
  const evidenceWithheld: WithheldLever[] = [];
  const leversOf = (person: string, strands: Strand[]): PlannedLever[] => {
    const levers: PlannedLever[] = [];
    for (const match of leversFor(network, person, { ...leverOptions, strands })) {
      if (evidenceRelease === undefined) {
        levers.push(planned(match, match.evidence));
        continue;
      }
      const verdicts = match.evidence.map((evidence) => evidenceRelease(match.lever.partner, evidence.marking));
      const kept = match.evidence.filter((_evidence, index) => verdicts[index] === 'released');
      if (kept.length > 0) {
        levers.push(planned(match, kept));
        continue;
      }
      const { id, partner, strand } = match.lever;
      const reason = verdicts.includes('no-audience') ? 'no-audience' : 'not-released';
      evidenceWithheld.push({
        person,
        label: labelOf(person),
        lever: id,
        partner,
        strand,
        reason,
        evidence: match.evidence.length,
      });
    }
    return levers;
  };

  // Rank the core persons who are not to be protected.
  const ranked: { entry: UnactionablePerson; levers: PlannedLever[] }[] = [];
  for (const [person, how] of relation) {
    if (isProtected(person)) continue;
    const levers = leversOf(person, ['pursue']);
    ranked.push({
      entry: {
        person,
        label: labelOf(person),
        relation: how,
        ...roleField(roles, person, how),
        impact: impactOf([person]),
      },
      levers,
    });
  }
  ranked.sort(
    ({ entry: a }, { entry: b }) =>
      b.impact.deltaF - a.impact.deltaF ||
      b.impact.deltaDistanceFragmentation - a.impact.deltaDistanceFragmentation ||
      compareIds(a.person, b.person),
  );
  const targets: PursueTarget[] = [];
  const withoutLevers: UnactionablePerson[] = [];
  for (const { entry, levers } of ranked) {
    if (levers.length === 0) withoutLevers.push(entry);
    else if (targets.length < resolved.k) targets.push({ rank: targets.length + 1, ...entry, levers });
  }

  // Everyone in the group's network who is to be protected.
  const safeguarding: SafeguardingEntry[] = [];
  for (const index of scopeIndices) {
    const person = full.ids[index]!;
    if (!isProtected(person)) continue;
    const flags = safeguardingFlags(person);
    const linkedTo: string[] = [];
    persons.forEachNeighbor(person, (neighbour) => {
      if (relation.has(neighbour)) linkedTo.push(neighbour);
    });
    linkedTo.sort(compareIds);
    const linked = linkedTo.map((id) => ({ id, label: labelOf(id) }));
    const how: PlanRelation = relation.get(person) ?? 'associate';
    safeguarding.push({
      person,
      label: labelOf(person),
      relation: how,
      ...(how === 'associate' ? {} : roleField(roles, person, how)),
      flags,
      linkedTo: linked,
      levers: network.hasNode(person) ? leversOf(person, ['prevent', 'protect']) : [],
    });
  }
  // Members first, then by id: the people inside the group are the most urgent.
  const relationOrder: Record<PlanRelation, number> = { member: 0, candidate: 1, associate: 2 };
  safeguarding.sort((a, b) => relationOrder[a.relation] - relationOrder[b.relation] || compareIds(a.person, b.person));

  const actionPlan: ActionRow[] = [];
  for (const target of targets) {
    for (const lever of target.levers) actionPlan.push(row(target.person, target.label, lever, target.impact));
  }
  for (const entry of safeguarding) {
    for (const lever of entry.levers) actionPlan.push(row(entry.person, entry.label, lever, null));
  }

  const chosen = targets.map((target) => target.person);
  return {
    group: { id: groupId, label: labelOf(groupId), kind: groupKind },
    options: resolved,
    scope: {
      description: SCOPE_DESCRIPTION,
      persons: csr.n,
      associations: csr.m,
      members: [...relation.values()].filter((how) => how === 'member').length,
      candidates: [...relation.values()].filter((how) => how === 'candidate').length,
      associates: csr.n - relation.size,
      missing,
      fragmentation: baseline.fragmentation,
      lcc: baseline.lcc,
      components: baseline.components,
    },
    targets,
    combined: { targets: chosen, ...impactOf(chosen) },
    withoutLevers,
    safeguarding,
    actionPlan,
    evidenceWithheld,
    marking: strictestMarking(actionPlan.map((entry) => entry.marking)),
  };
}

function impact(csr: CsrGraph, removed: Uint8Array, before: ConnectivityState, distanceBefore: number): ExpectedImpact {
  const after = connectivity(csr, removed);
  const distanceAfter = distanceConnectivity(csr, removed).distanceFragmentation;
  return {
    deltaF: after.fragmentation - before.fragmentation,
    fragmentationBefore: before.fragmentation,
    fragmentationAfter: after.fragmentation,
    deltaDistanceFragmentation: distanceAfter - distanceBefore,
    lccBefore: before.lcc,
    lccAfter: after.lcc,
    lccChange: after.lcc - before.lcc,
    componentsAfter: after.components,
  };
}

/** Each member's role in this group (the highest-ranked, when mapped twice). */
function rolesIn(network: AbstractGraph, group: string): Map<string, MemberRole> {
  const roles = new Map<string, MemberRole>();
  const rank = (role: MemberRole) => ROLE_RANK.indexOf(role);
  network.forEachInEdge(group, (_edge, attributes, source) => {
    if (attributes.type !== 'member_of') return;
    const role = (attributes.record as { role?: MemberRole } | undefined)?.role;
    if (role === undefined) return;
    const held = roles.get(source);
    if (held === undefined || rank(role) < rank(held)) roles.set(source, role);
  });
  return roles;
}

function roleField(roles: ReadonlyMap<string, MemberRole>, person: string, how: PlanRelation): { role?: MemberRole } {
  const role = how === 'member' ? roles.get(person) : undefined;
  return role === undefined ? {} : { role };
}

function planned(match: LeverMatch, evidence: LeverEvidence[]): PlannedLever {
  const lever: Lever = match.lever;
  return {
    id: lever.id,
    partner: lever.partner,
    power: lever.power,
    ...(lever.basis !== undefined ? { basis: lever.basis } : {}),
    strand: lever.strand,
    evidence,
    marking: evidence === match.evidence ? match.marking : strictestMarking(evidence.map((item) => item.marking)),
  };
}

function row(id: string, label: string, lever: PlannedLever, expectedImpact: ExpectedImpact | null): ActionRow {
  return {
    target: { id, label },
    lever: lever.id,
    power: lever.power,
    leadAgency: lever.partner,
    strand: lever.strand,
    expectedImpact,
    evidence: lever.evidence,
    marking: lever.marking,
  };
}

// ---------------------------------------------------------------------------
// Text

/**
 * Labels come from intelligence records and are shown as text, never markup.
 * So that the text stays inert wherever it is pasted (a terminal, an e-mail,
 * a web page), control and bidirectional-override characters become U+FFFD
 * and angle brackets become single guillemets (‹ ›).
 */
export function plainLabel(label: string): string {
  return label
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\ufffd')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/</g, '\u2039')
    .replace(/>/g, '\u203a');
}

function signed(value: number, digits = 3): string {
  const text = Math.abs(value).toFixed(digits);
  return `${value < 0 && Number(text) !== 0 ? '−' : '+'}${text}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function markingText(marking: Marking): string {
  return describeMarking(marking, plainLabel);
}

function impactText(impact: ExpectedImpact): string {
  return (
    `ΔF ${signed(impact.deltaF)} (F ${impact.fragmentationBefore.toFixed(3)} → ${impact.fragmentationAfter.toFixed(3)}), ` +
    `LCC ${impact.lccBefore} → ${impact.lccAfter} (${signed(impact.lccChange, 0)}), ${plural(impact.componentsAfter, 'component')}`
  );
}

function evidenceText(evidence: LeverEvidence): string {
  const parts: string[] = [];
  for (const attribute of evidence.attributes) parts.push(`${attribute.name} = ${plainLabel(String(attribute.value))}`);
  if (evidence.links.length > 0 || evidence.entities.length > 1) {
    parts.push(
      `${evidence.links.map(plainLabel).join(', ')} → ${plainLabel(evidence.label)} (${plainLabel(evidence.entity)})`,
    );
  } else if (parts.length === 0) {
    parts.push(`the record of ${plainLabel(evidence.label)} (${plainLabel(evidence.entity)})`);
  }
  return `${parts.join('; ')} [${evidence.marking.handling}]`;
}

/**
 * The plan as readable text for a disruption panel: targets with their
 * levers and evidence, the combined impact, the members no partner can act
 * on, the Prevent and safeguarding section, and the action plan table.
 * Labels are written as plain text through {@link plainLabel}.
 */
export function formatPlan(plan: DisruptionPlan): string {
  const lines: string[] = [];
  const scope = plan.scope;
  lines.push(
    `Partnership action plan: ${plainLabel(plan.group.label)} (${plainLabel(plan.group.id)}, ${plan.group.kind.toUpperCase()})`,
  );
  lines.push(`Handling: ${markingText(plan.marking)}`);
  lines.push(
    `Network: ${scope.persons} persons (${scope.members} members, ${scope.candidates} candidates, ${scope.associates} associates), ` +
      `${scope.associations} associations; F ${scope.fragmentation.toFixed(3)}, LCC ${scope.lcc}, ${plural(scope.components, 'component')}.`,
  );
  if (scope.missing.length > 0)
    lines.push(`Members not in the projection (left out): ${scope.missing.map(plainLabel).join(', ')}`);
  lines.push('');

  lines.push(`PURSUE TARGETS (by rise in fragmentation F when removed; only persons a partner can act on)`);
  if (plan.targets.length === 0) lines.push('  None: no member is both safe to target and within a partner’s powers.');
  for (const target of plan.targets) {
    const role = target.role ?? target.relation;
    lines.push(
      `${String(target.rank).padStart(3)}. ${plainLabel(target.label)} (${plainLabel(target.person)}), ${role}`,
    );
    lines.push(`     Impact: ${impactText(target.impact)}`);
    for (const lever of target.levers) {
      lines.push(
        `     - ${lever.partner}: ${plainLabel(lever.power)} [${lever.strand}; ${markingText(lever.marking)}]`,
      );
      for (const evidence of lever.evidence) lines.push(`         evidence: ${evidenceText(evidence)}`);
    }
  }
  lines.push('');
  if (plan.targets.length > 0) {
    lines.push(`Acting on all ${plan.targets.length} together: ${impactText(plan.combined)}`);
    lines.push('');
  }

  if (plan.withoutLevers.length > 0) {
    lines.push('NO PARTNER LEVER (not recommended; an intelligence gap)');
    for (const entry of plan.withoutLevers) {
      lines.push(
        `  - ${plainLabel(entry.label)} (${plainLabel(entry.person)}), ${entry.role ?? entry.relation}: ΔF ${signed(entry.impact.deltaF)}`,
      );
    }
    lines.push('');
  }

  lines.push('PREVENT AND SAFEGUARDING (protect; never a Pursue target)');
  if (plan.safeguarding.length === 0) lines.push('  None in the group’s network.');
  for (const entry of plan.safeguarding) {
    const how =
      entry.relation === 'associate'
        ? `associate of ${entry.linkedTo.map((person) => plainLabel(person.label)).join(', ')}`
        : `${entry.role ?? entry.relation}`;
    lines.push(
      `  - ${plainLabel(entry.label)} (${plainLabel(entry.person)}), ${how}; ${entry.flags.join(', ').replace(/_/g, ' ')}`,
    );
    for (const lever of entry.levers)
      lines.push(
        `      - ${lever.partner}: ${plainLabel(lever.power)} [${lever.strand}; ${markingText(lever.marking)}]`,
      );
    if (entry.levers.length === 0)
      lines.push('      - no Prevent or Protect lever in the catalogue applies: refer to the safeguarding lead');
  }
  lines.push('');

  if (plan.evidenceWithheld.length > 0) {
    lines.push('EVIDENCE THAT CANNOT GO TO THE LEAD AGENCY (lever not proposed)');
    for (const entry of plan.evidenceWithheld) {
      const why =
        entry.reason === 'no-audience'
          ? `no audience is configured for ${entry.partner}`
          : `none of it is released to ${entry.partner}`;
      lines.push(
        `  - ${plainLabel(entry.label)} (${plainLabel(entry.person)}): ${entry.lever} [${entry.strand}]: ${plural(entry.evidence, 'piece')} of evidence, ${why}`,
      );
    }
    lines.push('');
  }

  lines.push('ACTION PLAN');
  const header = ['Target', 'Lead agency', 'Lever', 'Strand', 'ΔF', 'LCC change', 'Marking'];
  const rows = plan.actionPlan.map((entry) => [
    `${plainLabel(entry.target.label)} (${plainLabel(entry.target.id)})`,
    entry.leadAgency,
    entry.lever,
    entry.strand,
    entry.expectedImpact === null ? '–' : signed(entry.expectedImpact.deltaF),
    entry.expectedImpact === null ? '–' : signed(entry.expectedImpact.lccChange, 0),
    entry.marking.handling,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((cells) => cells[column]!.length)));
  const render = (cells: string[]) =>
    `  ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`.trimEnd();
  lines.push(render(header));
  lines.push(render(widths.map((width) => '-'.repeat(width))));
  for (const cells of rows) lines.push(render(cells));
  return `${lines.join('\n')}\n`;
}
