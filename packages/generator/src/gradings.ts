/**
 * Where each link comes from and how it is graded. Sources differ in how they
 * grade: police systems (PNC, custody, ANPR) are mostly 1A/1B P; intelligence
 * reports are mostly 2B/2C; partner data (Housing, social care) is often C with
 * the partner's own conditions. Over a town the mix comes out at mostly source
 * '2', assessment mostly B/C, about 10% handling C and about 5% legacy 5x5x5.
 */
import type { Grading } from '@ocgnet/schema';
import type { Rng } from './rng.js';

export type EvidenceKind =
  | 'intel'
  | 'chis'
  | 'pnc'
  | 'custody'
  | 'stop'
  | 'incident'
  | 'anpr'
  | 'calls'
  | 'housing'
  | 'social_care'
  | 'childrens_services'
  | 'companies'
  | 'licensing'
  | 'dvla'
  | 'financial'
  | 'mapping'
  | 'dwp'
  | 'immigration'
  | 'planning';

export interface Evidence {
  source: string;
  grading: Grading;
}

const POLICE_CONDITIONS = [
  'Not to be disseminated outside police without DI approval',
  'Sanitised: no further dissemination without reference to the originator',
  'Source protection: do not act on this without consulting the Force Intelligence Bureau',
  'NOT to be shared with Housing or any other partner agency',
] as const;
const HOUSING_CONDITIONS = [
  'May be shared with Housing for tenancy enforcement only',
  'Housing use only: tenancy management and enforcement',
] as const;
const SAFEGUARDING_CONDITIONS = [
  'Share with Adult Social Care for safeguarding purposes only',
  "Share with Children's Services for safeguarding purposes only",
  'Safeguarding only: not to be used for enforcement',
] as const;
const CALLS_CONDITIONS = [
  'Communications data: police use only under RIPA authorisation',
  'Not to be disseminated outside police without DI approval',
] as const;
const FINANCIAL_CONDITIONS = [
  'May be shared with HMRC and DWP for investigation only',
  'Financial intelligence: not to be disclosed to the subject or their representatives',
] as const;
const DWP_CONDITIONS = [
  'May be shared with DWP and council benefit fraud for investigation only',
  'DWP data: not to be disclosed to the subject or their representatives',
] as const;
const IMMIGRATION_CONDITIONS = ['Home Office data: share with Immigration Enforcement and police only'] as const;

/**
 * The structured release the originator attached to each condition: the
 * audience ids (of the shipped audiences file) the item may go to. This, not
 * the wording, decides dissemination; conditions that name no partner (or
 * name one only to forbid it) release to nobody outside police.
 */
const RELEASES: Readonly<Record<string, readonly string[]>> = {
  'May be shared with Housing for tenancy enforcement only': ['partner-agency:housing'],
  'Housing use only: tenancy management and enforcement': ['partner-agency:housing'],
  'Share with Adult Social Care for safeguarding purposes only': ['partner-agency:adult-social-care'],
  "Share with Children's Services for safeguarding purposes only": ['partner-agency:childrens-services'],
  'Safeguarding only: not to be used for enforcement': [
    'partner-agency:adult-social-care',
    'partner-agency:childrens-services',
  ],
  'May be shared with HMRC and DWP for investigation only': ['partner-agency:hmrc', 'partner-agency:dwp'],
  'May be shared with DWP and council benefit fraud for investigation only': [
    'partner-agency:dwp',
    'partner-agency:council-benefit-fraud',
  ],
  'Home Office data: share with Immigration Enforcement and police only': ['partner-agency:immigration-enforcement'],
};

/** Old 5x5x5 codes as recorded: source A–E, intelligence 1–5, handling 1–5. */
const LEGACY_CODES: readonly (readonly [string, number])[] = [
  ['B24', 6],
  ['B21', 5],
  ['C34', 4],
  ['B34', 3],
  ['A11', 2],
  ['C21', 2],
  ['B22', 2],
  ['E41', 1],
  ['C44', 1],
  ['A24', 1],
];

interface Profile {
  label: (evidence: EvidenceSerials, year: string) => string;
  /** Probability of each source evaluation '1', '2', '3'. */
  sources: readonly [number, number, number];
  handlingC: number;
  conditions: readonly string[];
  legacy: number;
}

/** Running reference numbers within one town (intel reports, custody records …). */
export interface EvidenceSerials {
  prefix: string;
  next(kind: string): number;
}

const pad = (value: number) => String(value).padStart(5, '0');

const PROFILES: Record<EvidenceKind, Profile> = {
  intel: {
    label: (s, y) => `Intel report IR-${y}-${s.prefix}${pad(s.next('IR'))}`,
    sources: [0.12, 0.74, 0.14],
    handlingC: 0.11,
    conditions: POLICE_CONDITIONS,
    legacy: 0.08,
  },
  chis: {
    label: (s, y) => `CHIS report IR-${y}-${s.prefix}${pad(s.next('IR'))}`,
    sources: [0.25, 0.6, 0.15],
    handlingC: 0.9,
    conditions: POLICE_CONDITIONS,
    legacy: 0.05,
  },
  pnc: { label: () => 'PNC', sources: [0.6, 0.4, 0], handlingC: 0.02, conditions: POLICE_CONDITIONS, legacy: 0.03 },
  custody: {
    label: (s, y) => `Custody record CU-${y}-${s.prefix}${pad(s.next('CU'))}`,
    sources: [0.55, 0.45, 0],
    handlingC: 0.03,
    conditions: POLICE_CONDITIONS,
    legacy: 0.02,
  },
  stop: {
    label: (s, y) => `Stop search record SS-${y}-${s.prefix}${pad(s.next('SS'))}`,
    sources: [0.4, 0.6, 0],
    handlingC: 0.03,
    conditions: POLICE_CONDITIONS,
    legacy: 0.02,
  },
  incident: {
    label: (s, y) => `Incident log INC-${y}-${s.prefix}${pad(s.next('INC'))}`,
    sources: [0.15, 0.75, 0.1],
    handlingC: 0.05,
    conditions: POLICE_CONDITIONS,
    legacy: 0.04,
  },
  anpr: { label: () => 'ANPR', sources: [0.9, 0.1, 0], handlingC: 0.05, conditions: POLICE_CONDITIONS, legacy: 0 },
  calls: {
    label: () => 'Call data records',
    sources: [0.2, 0.8, 0],
    handlingC: 0.12,
    conditions: CALLS_CONDITIONS,
    legacy: 0.02,
  },
  housing: {
    label: () => 'Housing',
    sources: [0.3, 0.65, 0.05],
    handlingC: 0.45,
    conditions: HOUSING_CONDITIONS,
    legacy: 0,
  },
  social_care: {
    label: () => 'Adult Social Care',
    sources: [0.2, 0.75, 0.05],
    handlingC: 0.85,
    conditions: SAFEGUARDING_CONDITIONS,
    legacy: 0,
  },
  childrens_services: {
    label: () => "Children's Services",
    sources: [0.2, 0.75, 0.05],
    handlingC: 0.85,
    conditions: SAFEGUARDING_CONDITIONS,
    legacy: 0,
  },
  companies: {
    label: () => 'Companies House',
    sources: [0.7, 0.3, 0],
    handlingC: 0,
    conditions: POLICE_CONDITIONS,
    legacy: 0,
  },
  licensing: {
    label: () => 'Licensing',
    sources: [0.4, 0.6, 0],
    handlingC: 0.05,
    conditions: POLICE_CONDITIONS,
    legacy: 0,
  },
  dvla: { label: () => 'DVLA', sources: [0.7, 0.3, 0], handlingC: 0, conditions: POLICE_CONDITIONS, legacy: 0 },
  financial: {
    label: (s, y) => `Financial intelligence FI-${y}-${s.prefix}${pad(s.next('FI'))}`,
    sources: [0.3, 0.65, 0.05],
    handlingC: 0.6,
    conditions: FINANCIAL_CONDITIONS,
    legacy: 0.02,
  },
  mapping: {
    label: () => 'OCG mapping',
    sources: [0.35, 0.65, 0],
    handlingC: 0.05,
    conditions: POLICE_CONDITIONS,
    legacy: 0,
  },
  dwp: { label: () => 'DWP', sources: [0.5, 0.5, 0], handlingC: 0.4, conditions: DWP_CONDITIONS, legacy: 0 },
  immigration: {
    label: () => 'Home Office Immigration Enforcement',
    sources: [0.6, 0.4, 0],
    handlingC: 0.3,
    conditions: IMMIGRATION_CONDITIONS,
    legacy: 0,
  },
  planning: {
    label: () => 'Planning enforcement',
    sources: [0.7, 0.3, 0],
    handlingC: 0,
    conditions: POLICE_CONDITIONS,
    legacy: 0,
  },
};

/** Assessment given source evaluation: reliable sources report what they know directly. */
const ASSESSMENTS: Record<'1' | '2' | '3', readonly (readonly ['A' | 'B' | 'C' | 'D' | 'E', number])[]> = {
  '1': [
    ['A', 35],
    ['B', 45],
    ['C', 18],
    ['D', 2],
  ],
  '2': [
    ['A', 4],
    ['B', 46],
    ['C', 38],
    ['D', 9],
    ['E', 3],
  ],
  '3': [
    ['B', 12],
    ['C', 43],
    ['D', 30],
    ['E', 15],
  ],
};

/**
 * Issues source labels and gradings for one town. Reference numbers run on
 * within the town and carry the town's number, so they never repeat across a
 * large scenario.
 */
export class EvidenceDesk implements EvidenceSerials {
  private readonly serials = new Map<string, number>();

  constructor(
    private rng: Rng,
    readonly prefix: string,
  ) {}

  /** Grades later evidence from `rng`; reference numbers run on. */
  useStream(rng: Rng): void {
    this.rng = rng;
  }

  next(kind: string): number {
    const value = (this.serials.get(kind) ?? 0) + 1;
    this.serials.set(kind, value);
    return value;
  }

  /** A source label and grading for evidence of this kind dated `date` (YYYY-MM-DD). */
  issue(kind: EvidenceKind, date: string): Evidence {
    const profile = PROFILES[kind];
    return { source: profile.label(this, date.slice(0, 4)), grading: this.grade(kind) };
  }

  grade(kind: EvidenceKind): Grading {
    const profile = PROFILES[kind];
    const rng = this.rng;
    if (rng.chance(profile.legacy)) return { system: '5x5x5', recorded: rng.weighted(LEGACY_CODES) };
    const source = rng.weighted([
      ['1', profile.sources[0]],
      ['2', profile.sources[1]],
      ['3', profile.sources[2]],
    ] as const);
    const intelligence = rng.weighted(ASSESSMENTS[source]);
    let grading: Grading;
    if (rng.chance(profile.handlingC)) {
      const conditions = rng.pick(profile.conditions);
      grading = { system: '3x5x2', source, intelligence, handling: 'C', conditions };
      const release = RELEASES[conditions];
      if (release !== undefined) grading.release_to = [...release];
    } else grading = { system: '3x5x2', source, intelligence, handling: 'P' };
    // A few records were re-graded from 5x5x5 when the force moved to 3x5x2.
    if (rng.chance(0.02)) grading.regraded_from = rng.weighted(LEGACY_CODES);
    return grading;
  }
}
