/**
 * Intelligence grading and the handling markings derived from it.
 *
 * UK police grade each piece of intelligence with the 3x5x2 system (College of
 * Policing APP, "Intelligence management"): source evaluation 1–3,
 * intelligence assessment A–E, handling code P or C. Older records carry the
 * legacy 5x5x5 code, which we keep exactly as recorded and treat as restricted
 * until someone re-grades it.
 */
import { z } from 'zod';

export const SOURCE_EVALUATIONS = ['1', '2', '3'] as const;
export const INTELLIGENCE_ASSESSMENTS = ['A', 'B', 'C', 'D', 'E'] as const;
export const HANDLING_CODES = ['P', 'C'] as const;

export const MAX_CONDITIONS_LENGTH = 2000;

/** Most audiences one item may be released to. */
export const MAX_RELEASE_TO = 100;

/**
 * An audience id from the force's controlled list (its audiences file): the
 * structured part of a handling condition names who may receive the item.
 */
export const AudienceIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'must be letters, digits and _ . : -');

export const Grading3x5x2Schema = z
  .object({
    system: z.literal('3x5x2'),
    /** 1 reliable, 2 untested, 3 not reliable. */
    source: z.enum(SOURCE_EVALUATIONS),
    /** A known directly … E suspected to be false. */
    intelligence: z.enum(INTELLIGENCE_ASSESSMENTS),
    /** P: may be shared for policing purposes; C: only under the stated conditions. */
    handling: z.enum(HANDLING_CODES),
    /** Required, non-empty, for handling code C; not allowed for P. Free text: shown, never decides who receives the item. */
    conditions: z.string().max(MAX_CONDITIONS_LENGTH).optional(),
    /**
     * C only: the audiences (ids from the force's audiences file) the item may
     * be released to. This, not the wording of `conditions`, decides
     * dissemination; left out, the item goes to police analysts only.
     */
    release_to: z.array(AudienceIdSchema).min(1).max(MAX_RELEASE_TO).optional(),
    /** The 5x5x5 code this grading replaced, kept for the record. */
    regraded_from: z.string().min(1).max(64).optional(),
  })
  .strict()
  .superRefine((grading, ctx) => {
    const hasConditions = grading.conditions !== undefined && grading.conditions.trim() !== '';
    if (grading.handling === 'C' && !hasConditions) {
      ctx.addIssue({
        code: 'custom',
        path: ['conditions'],
        message: 'handling code C must carry non-empty conditions',
      });
    }
    if (grading.handling === 'P' && grading.conditions !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['conditions'],
        message: 'conditions apply only to handling code C',
      });
    }
    if (grading.handling === 'P' && grading.release_to !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['release_to'],
        message: 'release_to applies only to handling code C (P may be shared for policing purposes)',
      });
    }
    const seen = new Set<string>();
    grading.release_to?.forEach((audience, index) => {
      if (seen.has(audience))
        ctx.addIssue({
          code: 'custom',
          path: ['release_to', index],
          message: `audience ${JSON.stringify(audience)} is listed twice`,
        });
      seen.add(audience);
    });
  });

export const Grading5x5x5Schema = z
  .object({
    system: z.literal('5x5x5'),
    /** The legacy code byte for byte as recorded (for example "B24"); never normalised. */
    recorded: z
      .string()
      .min(1)
      .max(64)
      .refine((code) => !/[\u0000-\u001f\u007f]/.test(code), 'control characters are not allowed'),
  })
  .strict();

export const GradingSchema = z.discriminatedUnion('system', [Grading3x5x2Schema, Grading5x5x5Schema]);

export type Grading3x5x2 = z.infer<typeof Grading3x5x2Schema>;
export type Grading5x5x5 = z.infer<typeof Grading5x5x5Schema>;
export type Grading = z.infer<typeof GradingSchema>;

/**
 * Handling marking carried by everything derived from the data.
 * - `P`: shareable for policing purposes;
 * - `C`: shareable only under `conditions`;
 * - `R`: restricted: legacy 5x5x5 intelligence not yet re-graded, shared with nobody outside police.
 */
export type HandlingMarking = 'P' | 'C' | 'R';

export interface Marking {
  handling: HandlingMarking;
  /** Union of the C conditions behind the item, sorted, without repeats. Free text for the reader; decides nothing. */
  conditions: string[];
  /**
   * Handling C only: the audiences every piece of C evidence behind the item
   * may be released to (the intersection of their `release_to`), sorted. Left
   * out or empty: nobody outside police analysts. This decides dissemination.
   */
  releasableTo?: string[];
}

const STRICTNESS: Record<HandlingMarking, number> = { P: 0, C: 1, R: 2 };

/** The protective marking every record carries; ocgnet treats all data as this by default. */
export const DEFAULT_CLASSIFICATION = 'OFFICIAL-SENSITIVE';

export const PUBLIC_MARKING: Readonly<Marking> = Object.freeze({ handling: 'P', conditions: [] as string[] });

/** The marking one grading imposes. Ungraded records (police system facts) are P. */
export function markingOfGrading(grading: Grading | undefined): Marking {
  if (grading === undefined) return { handling: 'P', conditions: [] };
  if (grading.system === '5x5x5') return { handling: 'R', conditions: [] };
  if (grading.handling === 'C') {
    const marking: Marking = { handling: 'C', conditions: [grading.conditions ?? ''] };
    if (grading.release_to !== undefined && grading.release_to.length > 0)
      marking.releasableTo = [...new Set(grading.release_to)].sort();
    return marking;
  }
  return { handling: 'P', conditions: [] };
}

/**
 * The strictest of several markings: the highest handling level, and the union
 * of every C condition met on the way, because a derived item may be shared
 * only where all of its evidence may be.
 */
export function strictestMarking(markings: Iterable<Marking>): Marking {
  let handling: HandlingMarking = 'P';
  const conditions = new Set<string>();
  // Who may receive the derived item: those every piece of C evidence may go to.
  let releasable: Set<string> | undefined;
  for (const marking of markings) {
    if (STRICTNESS[marking.handling] > STRICTNESS[handling]) handling = marking.handling;
    for (const condition of marking.conditions) conditions.add(condition);
    if (marking.handling === 'C') {
      const allowed = marking.releasableTo ?? [];
      releasable =
        releasable === undefined ? new Set(allowed) : new Set(allowed.filter((audience) => releasable!.has(audience)));
    }
  }
  const result: Marking = { handling, conditions: [...conditions].sort() };
  if (handling === 'C' && releasable !== undefined && releasable.size > 0) result.releasableTo = [...releasable].sort();
  return result;
}

/** A deep copy of a marking (with its structured release, if any). */
export function copyMarking(marking: Marking): Marking {
  const copy: Marking = { handling: marking.handling, conditions: [...marking.conditions] };
  if (marking.releasableTo !== undefined && marking.releasableTo.length > 0)
    copy.releasableTo = [...marking.releasableTo];
  return copy;
}

/** True when the marking's structured release names this audience (P and R: never; see `mayView` for the whole rule). */
export function releasedTo(marking: Marking, audience: string): boolean {
  return marking.handling === 'C' && (marking.releasableTo ?? []).includes(audience);
}

/** True when `a` is at least as strict as `b`. */
export function isAtLeastAsStrict(a: HandlingMarking, b: HandlingMarking): boolean {
  return STRICTNESS[a] >= STRICTNESS[b];
}

/**
 * A marking as one line of text, the same in every output: `P`; `R (legacy
 * 5x5x5: police only)`; `C (conditions: …; released to …)`, or `… police
 * analysts only` when no structured release names anyone. `clean` makes the
 * free text safe for the output at hand (e.g. the planner's plainLabel).
 */
export function describeMarking(marking: Marking, clean: (text: string) => string = (text) => text): string {
  if (marking.handling === 'P') return 'P';
  const conditions = marking.conditions.length > 0 ? `conditions: ${marking.conditions.map(clean).join('; ')}; ` : '';
  if (marking.handling === 'R') return `R (${conditions}legacy 5x5x5: police only)`;
  const release =
    marking.releasableTo !== undefined && marking.releasableTo.length > 0
      ? `released to ${marking.releasableTo.map(clean).join(', ')}`
      : 'police analysts only';
  return `C (${conditions}${release})`;
}

/** Short display code, e.g. "1A P", "2B C", or "5x5x5:B24". */
export function formatGrading(grading: Grading): string {
  if (grading.system === '5x5x5') return `5x5x5:${grading.recorded}`;
  return `${grading.source}${grading.intelligence} ${grading.handling}`;
}
