/**
 * A thin, mutable wrapper over pure-rand's xoroshiro128+. Every random choice
 * in the generator goes through one of these, so a seed fixes the output byte
 * for byte (no Math.random, no clock).
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** murmur3's finaliser: spreads nearby seeds (1, 2, 3 …) across the 32-bit space. */
function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * A 32-bit seed from a safe integer and optional salts (town number …). The
 * high bits of the seed are folded in, so 1 and 2**32 + 1 do not collide.
 */
export function mixSeed(seed: number, ...salts: number[]): number {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, not ${seed}`);
  const high = Math.floor(seed / 0x1_0000_0000);
  let h = fmix32((seed | 0) ^ fmix32(high + 0x9e3779b9));
  for (const salt of salts) h = fmix32(h ^ fmix32(salt + 0x7f4a7c15));
  return h;
}

export class Rng {
  private readonly generator: ReturnType<typeof xoroshiro128plus>;

  constructor(seed: number) {
    this.generator = xoroshiro128plus(seed | 0);
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    if (max <= min) return min;
    return uniformInt(this.generator, min, max);
  }

  /** A float in [0, 1); 32 bits of resolution is plenty for choosing. */
  float(): number {
    return (this.generator.next() >>> 0) / 0x1_0000_0000;
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  /** A fresh 32-bit seed for an independent child stream (one per town). */
  seed(): number {
    return this.generator.next();
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** One value from `[value, weight]` pairs, with probability proportional to weight. */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of table) total += weight;
    let roll = this.float() * total;
    for (const [value, weight] of table) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return table[table.length - 1]![0];
  }

  /** Fisher–Yates, in place; returns the same array for chaining. */
  shuffle<T>(items: T[]): T[] {
    for (let index = items.length - 1; index > 0; index--) {
      const other = this.int(0, index);
      const held = items[index] as T;
      items[index] = items[other] as T;
      items[other] = held;
    }
    return items;
  }

  /** Up to `count` distinct items, in random order. Copies: for short lists only. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    const take = Math.min(count, copy.length);
    for (let index = 0; index < take; index++) {
      const other = this.int(index, copy.length - 1);
      const held = copy[index] as T;
      copy[index] = copy[other] as T;
      copy[other] = held;
    }
    return copy.slice(0, take);
  }

  /** A small count with a long tail (calls, sightings): mostly low, sometimes high. */
  skewed(min: number, max: number): number {
    const u = this.float();
    return Math.min(max, min + Math.floor((max - min + 1) * u * u * u));
  }
}
