import { createSecretKey, randomBytes } from 'node:crypto';
import { ZodError } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  appendRecord,
  formatRecordLine,
  macRecordBody,
  splitLogText,
  verifyChain,
  verifyLegacyChain,
  type AuditRecord,
} from '../src/chain.js';
import { event, legacyLines, plainSha256, rechain, withKey } from './fixtures.js';

const key = createSecretKey(randomBytes(32));

function chainOf(count: number, logId?: string): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let n = 1; n <= count; n++)
    records.push(appendRecord(records.at(-1), event(n), key, n === 1 ? logId : undefined));
  return records;
}

describe('audit chain (pure)', () => {
  it('chains records from a random log id, each sealed under the key', () => {
    const [first, second] = chainOf(2);
    expect(first!.seq).toBe(1);
    expect(first!.prev).toMatch(/^[0-9a-f]{64}$/);
    expect(first!.prev).not.toBe(chainOf(1)[0]!.prev); // every log its own id
    expect(second!.prev).toBe(first!.mac);
    expect(second!.mac).toBe(macRecordBody(key, second!));
    expect(formatRecordLine(first!)).not.toMatch(/\s":|\n/);
    const result = verifyChain([first!, second!].map(formatRecordLine), key, new Set([1]));
    expect(result).toMatchObject({ ok: true, count: 2, head: second!.mac, log: first!.prev });
    expect(result.ok && result.macs.get(1)).toBe(first!.mac);
    expect(verifyChain([], key)).toMatchObject({ ok: true, count: 0, log: undefined });
  });

  it('names what broke', () => {
    const [a, b] = chainOf(2);
    const lineA = formatRecordLine(a!);
    const lineB = formatRecordLine(b!);
    expect(verifyChain([lineA, '{"seq":'], key)).toMatchObject({ ok: false, line: 2, reason: 'bad-json' });
    expect(verifyChain([lineA, lineA], key)).toMatchObject({ ok: false, line: 2, reason: 'wrong-seq' });
    const forged = appendRecord({ ...a!, mac: 'f'.repeat(64) }, event(2), key);
    expect(verifyChain([lineA, formatRecordLine(forged)], key)).toMatchObject({
      ok: false,
      line: 2,
      reason: 'prev-mismatch',
    });
    expect(verifyChain([lineA, lineB.replace('analyst-2', 'analyst-9')], key)).toMatchObject({
      ok: false,
      line: 2,
      reason: 'mac-mismatch',
    });
    expect(verifyChain([lineA, lineB.replace('{"event":{', '{"event":{"extra":1,')], key)).toMatchObject({
      ok: false,
      line: 2,
      reason: 'schema',
    });
    expect(verifyChain([JSON.stringify(a, null, 1)], key)).toMatchObject({
      ok: false,
      line: 1,
      reason: 'not-canonical',
    });
  });

  it('refuses a chain recomputed without the key, or under another key', () => {
    const lines = chainOf(4).map(formatRecordLine);
    const edit = (events: ReturnType<typeof event>[]) =>
      events.map((e, i) => (i === 2 ? { ...e, subject: 'ocg-innocent' } : e));
    // Plain SHA-256, as the old format allowed: every MAC is wrong from the first record on.
    expect(verifyChain(rechain(lines, plainSha256, edit), key)).toMatchObject({
      ok: false,
      line: 1,
      reason: 'mac-mismatch',
    });
    expect(verifyChain(rechain(lines, withKey(createSecretKey(randomBytes(32))), edit), key)).toMatchObject({
      ok: false,
      line: 1,
      reason: 'mac-mismatch',
    });
    // With the key itself the chain verifies: only checkpoints can catch that (see attacks.test.ts).
    expect(verifyChain(rechain(lines, withKey(key), edit), key)).toMatchObject({ ok: true, count: 4 });
  });

  it('fails when any single bit of any byte of a log is flipped (exhaustive)', () => {
    const bytes = Buffer.from(
      chainOf(5)
        .map((r) => formatRecordLine(r) + '\n')
        .join(''),
      'utf8',
    );
    let checked = 0;
    for (let offset = 0; offset < bytes.length; offset++) {
      for (let bit = 0; bit < 8; bit++) {
        const copy = Buffer.from(bytes);
        copy[offset]! ^= 1 << bit;
        const { lines, torn } = splitLogText(copy.toString('utf8'));
        const result = verifyChain(lines, key);
        // Dropping or tearing the last record must show too: a shorter chain is only caught by a checkpoint.
        if (result.ok && !torn && result.count === 5)
          throw new Error(`flip at offset ${offset} bit ${bit} went unnoticed`);
        checked++;
      }
    }
    expect(checked).toBe(bytes.length * 8);
  });

  it('recognises a legacy plain SHA-256 chain and never passes it as keyed', () => {
    const legacy = legacyLines([event(1), event(2), event(3)]);
    expect(verifyChain(legacy, key)).toMatchObject({ ok: false, line: 1, reason: 'legacy' });
    expect(verifyLegacyChain(legacy)).toMatchObject({ ok: true, count: 3 });
    expect(verifyLegacyChain([legacy[0]!, legacy[2]!])).toMatchObject({ ok: false, line: 2, reason: 'wrong-seq' });
    expect(verifyLegacyChain([legacy[0]!.replace('analyst-1', 'analyst-7')])).toMatchObject({
      ok: false,
      line: 1,
      reason: 'hash-mismatch',
    });
    // A legacy record appended after keyed ones (anyone can compute one) is refused.
    const keyed = chainOf(1).map(formatRecordLine);
    expect(verifyChain([...keyed, legacy[1]!], key)).toMatchObject({ ok: false, line: 2, reason: 'mixed-format' });
  });

  it('validates events before sealing them', () => {
    const bad = { ...event(1) } as Partial<ReturnType<typeof event>>;
    delete bad.who;
    expect(() => appendRecord(undefined, bad as ReturnType<typeof event>, key)).toThrow(ZodError);
    for (const invalid of [
      { ...event(1), notes: 'free' },
      { ...event(1), who: 'x'.repeat(10_000) },
      { ...event(1), at: 'yesterday' },
      { ...event(1), action: 'delete' },
      { ...event(1), recipients: [''] },
    ]) {
      expect(() => appendRecord(undefined, invalid as ReturnType<typeof event>, key)).toThrow(ZodError);
    }
  });
});
