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

export const Grading3x5x2Schema = z
  .object({
    system: z.literal('3x5x2'),
    /** 1 reliable, 2 untested, 3 not reliable. */
    source: z.enum(SOURCE_EVALUATIONS),
    /** A known directly … E suspected to be false. */
    intelligence: z.enum(INTELLIGENCE_ASSESSMENTS),
    /** P: may be shared for policing purposes; C: only under the stated conditions. */
    handling: z.enum(HANDLING_CODES),
    /** Required, non-empty, for handling code C; not allowed for P. */
    conditions: z.string().max(MAX_CONDITIONS_LENGTH).optional(),
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
  /** Union of the C conditions behind the item, sorted, without repeats. */
  conditions: string[];
}

const STRICTNESS: Record<HandlingMarking, number> = { P: 0, C: 1, R: 2 };

/** The protective marking every record carries; ocgnet treats all data as this by default. */
export const DEFAULT_CLASSIFICATION = 'OFFICIAL-SENSITIVE';

export const PUBLIC_MARKING: Readonly<Marking> = Object.freeze({ handling: 'P', conditions: [] as string[] });

/** The marking one grading imposes. Ungraded records (police system facts) are P. */
export function markingOfGrading(grading: Grading | undefined): Marking {
  if (grading === undefined) return { handling: 'P', conditions: [] };
  if (grading.system === '5x5x5') return { handling: 'R', conditions: [] };
  if (grading.handling === 'C') return { handling: 'C', conditions: [grading.conditions ?? ''] };
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
  for (const marking of markings) {
    if (STRICTNESS[marking.handling] > STRICTNESS[handling]) handling = marking.handling;
    for (const condition of marking.conditions) conditions.add(condition);
  }
  return { handling, conditions: [...conditions].sort() };
}

/** True when `a` is at least as strict as `b`. */
export function isAtLeastAsStrict(a: HandlingMarking, b: HandlingMarking): boolean {
  return STRICTNESS[a] >= STRICTNESS[b];
}

/** Short display code, e.g. "1A P", "2B C", or "5x5x5:B24". */
export function formatGrading(grading: Grading): string {
  if (grading.system === '5x5x5') return `5x5x5:${grading.recorded}`;
  return `${grading.source}${grading.intelligence} ${grading.handling}`;
}
