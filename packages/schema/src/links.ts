/**
 * Links: typed, dated, sourced and graded relations between entities.
 * Direction follows the type: `member_of` points from the person to the group;
 * `associate` has no direction.
 */
import { z } from 'zod';
import { GradingSchema } from './grading.js';
import { DateSchema, IdSchema, LabelSchema, NoteSchema, type EntityKind } from './entities.js';

export const MEMBER_ROLES = ['principal', 'lieutenant', 'significant', 'peripheral', 'runner', 'enabler'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

interface LinkTypeRule {
  directed: boolean;
  from: readonly EntityKind[];
  to: readonly EntityKind[];
}

/** Every link type, whether it is directed, and which entity kinds it may join. */
export const LINK_TYPE_RULES = {
  member_of: { directed: true, from: ['person'], to: ['ocg', 'usg'] },
  associate: { directed: false, from: ['person'], to: ['person'] },
  family: { directed: false, from: ['person'], to: ['person'] },
  co_offender: { directed: false, from: ['person'], to: ['person'] },
  lives_at: { directed: true, from: ['person'], to: ['location'] },
  uses_address: { directed: true, from: ['person', 'business', 'ocg', 'usg'], to: ['location'] },
  uses_phone: { directed: true, from: ['person', 'business'], to: ['phone'] },
  phone_contact: { directed: true, from: ['phone'], to: ['phone'] },
  uses_vehicle: { directed: true, from: ['person', 'business'], to: ['vehicle'] },
  owns: { directed: true, from: ['person', 'business'], to: ['business', 'vehicle', 'location', 'phone'] },
  works_at: { directed: true, from: ['person'], to: ['business'] },
  financial: { directed: true, from: ['person', 'business'], to: ['person', 'business'] },
  attended: { directed: true, from: ['person', 'vehicle'], to: ['event'] },
} as const satisfies Record<string, LinkTypeRule>;

export type LinkType = keyof typeof LINK_TYPE_RULES;
export const LINK_TYPES = Object.keys(LINK_TYPE_RULES) as LinkType[];

export function isDirectedLinkType(type: LinkType): boolean {
  return LINK_TYPE_RULES[type].directed;
}

export const LinkSchema = z
  .object({
    id: IdSchema,
    type: z.enum(LINK_TYPES as [LinkType, ...LinkType[]]),
    from: IdSchema,
    to: IdSchema,
    /** Required for member_of; not allowed on other types. */
    role: z.enum(MEMBER_ROLES).optional(),
    /** A single-day link: use `date`. A link over time: `first_seen` and/or `last_seen`. */
    date: DateSchema.optional(),
    first_seen: DateSchema.optional(),
    last_seen: DateSchema.optional(),
    /** The agency or report the link comes from. */
    source: LabelSchema,
    /** How many times it was seen (calls, sightings). */
    count: z.number().int().min(1).max(1e9).optional(),
    /** A strength the source gives it; defaults to 1. */
    weight: z.number().finite().positive().max(1e9).optional(),
    grading: GradingSchema,
    notes: NoteSchema.optional(),
    review_date: z.iso.date().optional(),
  })
  .strict()
  .superRefine((link, ctx) => {
    if (link.type === 'member_of' && link.role === undefined) {
      ctx.addIssue({ code: 'custom', path: ['role'], message: 'member_of needs a role' });
    }
    if (link.type !== 'member_of' && link.role !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['role'], message: `role applies only to member_of, not ${link.type}` });
    }
    if (link.date !== undefined && (link.first_seen !== undefined || link.last_seen !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['date'],
        message: 'give either date or first_seen/last_seen, not both',
      });
    }
    if (
      link.first_seen !== undefined &&
      link.last_seen !== undefined &&
      link.first_seen.slice(0, 10) > link.last_seen.slice(0, 10)
    ) {
      ctx.addIssue({ code: 'custom', path: ['last_seen'], message: 'last_seen is before first_seen' });
    }
    if (link.from === link.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'a link cannot join an entity to itself' });
    }
  });

export type Link = z.infer<typeof LinkSchema>;

/** The interval a link covers, as ISO dates; undefined ends are open. */
export function linkInterval(link: Link): { start?: string; end?: string } {
  if (link.date !== undefined) return { start: link.date.slice(0, 10), end: link.date.slice(0, 10) };
  const interval: { start?: string; end?: string } = {};
  if (link.first_seen !== undefined) interval.start = link.first_seen.slice(0, 10);
  if (link.last_seen !== undefined) interval.end = link.last_seen.slice(0, 10);
  return interval;
}

/** True when the link carries any date at all. */
export function isDated(link: Link): boolean {
  return link.date !== undefined || link.first_seen !== undefined || link.last_seen !== undefined;
}

/** Count or weight, whichever the source gave; 1 when neither. */
export function linkStrength(link: Link): number {
  return link.weight ?? link.count ?? 1;
}
