/**
 * The small helpers of the bundle route: one content-hash run shared by
 * callers that ask at once (never an older one), and the Accept-Encoding choice.
 */
import { describe, expect, it } from 'vitest';
import { coalesce } from '../src/coalesce.js';
import { chooseEncoding } from '../src/encodings.js';

describe('coalesce', () => {
  it('runs once for callers that ask while a run is pending, and gives each a run begun after it asked', async () => {
    let runs = 0;
    let value = 0;
    const resolvers: (() => void)[] = [];
    const next = coalesce(
      () =>
        new Promise<number>((resolve) => {
          runs++;
          const seen = value;
          resolvers.push(() => resolve(seen));
        }),
    );
    const first = next();
    value = 1; // changes after the first run began: later callers must not get the first run's answer
    const later = [next(), next(), next()];
    expect(runs).toBe(1);
    resolvers.shift()!();
    expect(await first).toBe(0);
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(runs).toBe(2);
    resolvers.shift()!();
    expect(await Promise.all(later)).toEqual([1, 1, 1]);
  });

  it('starts afresh after a failed run', async () => {
    let calls = 0;
    const next = coalesce(async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
      return calls;
    });
    await expect(next()).rejects.toThrow('boom');
    expect(await next()).toBe(2);
  });
});

describe('chooseEncoding', () => {
  it('prefers brotli, then gzip, honouring q-values and *', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip, br;q=0')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0')).toBe('identity');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('identity')).toBe('identity');
    expect(chooseEncoding(undefined)).toBe('identity');
  });
});
