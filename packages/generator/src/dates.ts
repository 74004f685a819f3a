/**
 * Calendar arithmetic on whole days (UTC), so dates never drift with the
 * machine's time zone, and the scenario window every date must fall inside.
 */
import type { Rng } from './rng.js';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for a YYYY-MM-DD date; throws on anything else. */
export function dayNumber(iso: string): number {
  const match = ISO_DATE.exec(iso);
  if (!match) throw new RangeError(`expected a date as YYYY-MM-DD, not ${JSON.stringify(iso)}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date: ${iso}`);
  }
  return Math.round(ms / DAY_MS);
}

export function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Whole years from `dob` to `on` (both YYYY-MM-DD), as a birthday count. */
export function ageOn(dob: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(dob.slice(0, 4));
  return on.slice(5) < dob.slice(5) ? years - 1 : years;
}

export interface Span {
  first_seen: string;
  last_seen: string;
}

/** The scenario window. Dates inside it are cached as strings: a large run formats millions. */
export class Calendar {
  readonly first: number;
  readonly last: number;
  private readonly cache: string[];

  constructor(
    readonly start: string,
    readonly end: string,
  ) {
    this.first = dayNumber(start);
    this.last = dayNumber(end);
    if (this.last < this.first) throw new RangeError(`end ${end} is before start ${start}`);
    this.cache = [];
    for (let day = this.first; day <= this.last; day++) this.cache.push(isoOfDay(day));
  }

  get length(): number {
    return this.last - this.first + 1;
  }

  iso(day: number): string {
    const clamped = Math.min(this.last, Math.max(this.first, day));
    return this.cache[clamped - this.first]!;
  }

  /** A day number in [from, to], clamped to the window. */
  day(rng: Rng, from = this.first, to = this.last): number {
    const low = Math.max(this.first, Math.min(from, to));
    const high = Math.min(this.last, Math.max(from, to));
    return rng.int(low, Math.max(low, high));
  }

  /** A date in [from, to] (day numbers), as YYYY-MM-DD. */
  date(rng: Rng, from = this.first, to = this.last): string {
    return this.iso(this.day(rng, from, to));
  }

  /** A day at fraction `at` (0 … 1) of the window: for "early" and "late" in plans. */
  at(fraction: number): number {
    return this.first + Math.round((this.length - 1) * Math.min(1, Math.max(0, fraction)));
  }

  /** An interval of at least `minDays` (when the window allows) inside [from, to]. */
  span(rng: Rng, minDays = 1, from = this.first, to = this.last): Span {
    const low = Math.max(this.first, from);
    const high = Math.min(this.last, Math.max(low, to));
    const length = Math.min(high - low, Math.max(0, minDays - 1));
    const a = rng.int(low, high - length);
    const b = rng.int(a + length, high);
    return { first_seen: this.iso(a), last_seen: this.iso(b) };
  }

  /** A date of birth giving an age of `minAge` … `maxAge` on the last day of the window. */
  dateOfBirth(rng: Rng, minAge: number, maxAge: number): string {
    const age = rng.int(minAge, maxAge);
    // Birthday count is exactly `age`: born between age+1 years (plus a day) and age years before the end.
    const endYear = Number(this.end.slice(0, 4));
    const latest = dayNumber(`${endYear - age}${this.end.slice(4)}`.replace(/-02-29$/, '-02-28'));
    const earliest = dayNumber(`${endYear - age - 1}${this.end.slice(4)}`.replace(/-02-29$/, '-02-28')) + 1;
    return isoOfDay(rng.int(earliest, latest));
  }

  ageAtEnd(dob: string): number {
    return ageOn(dob, this.end);
  }
}
