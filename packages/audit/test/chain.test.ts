import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ZodError } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  appendRecord,
  formatRecordLine,
  hashRecordBody,
  verifyChain,
  verifyLogText,
  type AuditEvent,
} from '../src/chain.js';
import { AuditError, AuditLog } from '../src/logFile.js';
import { skipUnless } from '../../../test/skip.js';

function event(n: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    action: n % 3 === 0 ? 'consult' : n % 2 === 0 ? 'export' : 'profile',
    who: `analyst-${n}`,
    at: new Date(Date.UTC(2025, 0, 1, 12, 0, n)).toISOString(),
    audience: 'local-authority',
    subject: `ocg-${n % 4}`,
    justification: `Operation Kestrel partnership meeting, item ${n} — “safeguarding”`,
    recipients: n % 2 === 0 ? ['council-safeguarding', 'housing'] : [],
    format: n % 3 === 0 ? undefined : 'pdf',
    ...overrides,
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocgnet-audit-'));
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function writeLog(path: string, count: number): Promise<void> {
  const log = new AuditLog(path);
  for (let n = 1; n <= count; n++) await log.append(event(n));
}

describe('audit chain (pure)', () => {
  it('chains records from the genesis hash', () => {
    const first = appendRecord(undefined, event(1));
    const second = appendRecord(first, event(2));
    expect(first.seq).toBe(1);
    expect(first.prev).toBe(GENESIS_HASH);
    expect(second.seq).toBe(2);
    expect(second.prev).toBe(first.hash);
    expect(second.hash).toBe(hashRecordBody(second));
    expect(formatRecordLine(first)).not.toMatch(/\s":|\n/);
    expect(verifyChain([first, second].map(formatRecordLine))).toEqual({ ok: true, count: 2, head: second.hash });
    expect(verifyChain([])).toEqual({ ok: true, count: 0, head: GENESIS_HASH });
  });

  it('names what broke', () => {
    const a = appendRecord(undefined, event(1));
    const b = appendRecord(a, event(2));
    const lineA = formatRecordLine(a);
    const lineB = formatRecordLine(b);
    expect(verifyChain([lineA, '{"seq":'])).toMatchObject({ ok: false, line: 2, reason: 'bad-json' });
    expect(verifyChain([lineA, lineA])).toMatchObject({ ok: false, line: 2, reason: 'wrong-seq' });
    const forged = appendRecord({ ...a, hash: 'f'.repeat(64) }, event(2));
    expect(verifyChain([lineA, formatRecordLine(forged)])).toMatchObject({ ok: false, line: 2, reason: 'prev-mismatch' });
    const edited = lineB.replace('analyst-2', 'analyst-9');
    expect(verifyChain([lineA, edited])).toMatchObject({ ok: false, line: 2, reason: 'hash-mismatch' });
    const extra = lineB.replace('{"event":{', '{"event":{"extra":1,');
    expect(verifyChain([lineA, extra])).toMatchObject({ ok: false, line: 2, reason: 'schema' });
    expect(verifyChain([JSON.stringify(a, null, 1)])).toMatchObject({ ok: false, line: 1, reason: 'not-canonical' });
  });
});

describe('AuditLog', () => {
  it('appends 20 events that verify, each prev equal to the previous hash', async () => {
    const path = join(dir, 'audit.log');
    const log = new AuditLog(path);
    const records = [];
    for (let n = 1; n <= 20; n++) records.push(await log.append(event(n)));
    for (let i = 1; i < records.length; i++) expect(records[i]!.prev).toBe(records[i - 1]!.hash);
    expect(records[0]!.prev).toBe(GENESIS_HASH);
    expect(await log.verify()).toEqual({ ok: true, count: 20, head: records[19]!.hash });
    // A fresh instance chains on from the file.
    const next = await new AuditLog(path).append(event(21));
    expect(next).toMatchObject({ seq: 21, prev: records[19]!.hash });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('serialises concurrent appends within the process', async () => {
    const log = new AuditLog(join(dir, 'audit.log'));
    const records = await Promise.all(Array.from({ length: 25 }, (_, i) => log.append(event(i + 1))));
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(await log.verify()).toMatchObject({ ok: true, count: 25 });
  });

  it('treats a missing file as an empty log', async () => {
    expect(await new AuditLog(join(dir, 'none.log')).verify()).toEqual({ ok: true, count: 0, head: GENESIS_HASH });
  });

  describe('tampering', () => {
    let path: string;
    let bytes: Buffer;
    beforeEach(async () => {
      path = join(dir, 'audit.log');
      await writeLog(path, 5);
      bytes = await readFile(path);
      expect(verifyLogText(bytes.toString('utf8')).ok).toBe(true);
    });

    // Every bit of every byte, the trailing newline included (a flipped final
    // newline leaves a last line with no newline, or with garbage after it).
    it('fails verify when any single bit of any byte is flipped (exhaustive)', () => {
      let checked = 0;
      for (let offset = 0; offset < bytes.length; offset++) {
        for (let bit = 0; bit < 8; bit++) {
          const copy = Buffer.from(bytes);
          copy[offset]! ^= 1 << bit;
          const result = verifyLogText(copy.toString('utf8'));
          if (result.ok) throw new Error(`flip at offset ${offset} bit ${bit} went unnoticed`);
          checked++;
        }
      }
      expect(checked).toBe(bytes.length * 8);
    });

    it('fails verify on the file when a byte is flipped (property over offsets)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), async (offset, mask) => {
          const copy = Buffer.from(bytes);
          copy[offset]! ^= mask;
          await writeFile(path, copy);
          expect((await new AuditLog(path).verify()).ok).toBe(false);
        }),
        { numRuns: 100 },
      );
    });

    const lines = () => bytes.toString('utf8').split('\n').slice(0, -1);

    it('fails verify when a line is deleted', async () => {
      const kept = lines().filter((_, i) => i !== 2);
      await writeFile(path, kept.join('\n') + '\n');
      expect(await new AuditLog(path).verify()).toMatchObject({ ok: false, line: 3 });
      // Deleting the first line breaks it too.
      expect(verifyChain(lines().slice(1))).toMatchObject({ ok: false, line: 1 });
    });

    it('fails verify when two lines are swapped', async () => {
      const all = lines();
      [all[1], all[3]] = [all[3]!, all[1]!];
      await writeFile(path, all.join('\n') + '\n');
      expect(await new AuditLog(path).verify()).toMatchObject({ ok: false, line: 2, reason: 'wrong-seq' });
    });

    it('fails verify when the last line is truncated, and refuses to append after it', async () => {
      for (const cut of [1, 2, 10, 60]) {
        await writeFile(path, bytes.subarray(0, bytes.length - cut));
        expect(await new AuditLog(path).verify()).toMatchObject({ ok: false, line: 5 });
      }
      const error = await new AuditLog(path).append(event(6)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuditError);
      expect(error).toMatchObject({ code: 'AUDIT_CORRUPT' });
    });
  });

  describe('unwritable log', () => {
    async function expectUnwritable(path: string): Promise<AuditError> {
      const error = await new AuditLog(path).append(event(1)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuditError);
      const auditError = error as AuditError;
      expect(auditError.code).toBe('AUDIT_UNWRITABLE');
      expect(auditError.name).toBe('AuditError');
      expect(auditError.message).toMatch(/^@ocgnet\/profiles\/audit: /);
      return auditError;
    }

    // These fail whoever runs the tests, root included (root ignores file modes).
    it('fails with ENOTDIR when the parent is a regular file', async () => {
      const file = join(dir, 'not-a-dir');
      await writeFile(file, 'x');
      const error = await expectUnwritable(join(file, 'audit.log'));
      expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOTDIR');
    });

    it('fails when the path is a directory (EISDIR)', async () => {
      const sub = join(dir, 'sub');
      await mkdir(sub);
      await expectUnwritable(sub);
    });

    it('fails when the parent directory does not exist (ENOENT)', async () => {
      await expectUnwritable(join(dir, 'missing', 'audit.log'));
    });

    // /dev/full accepts open but fails every write with ENOSPC: a full disk.
    it('fails when the disk is full (ENOSPC, via /dev/full)', skipUnless(existsSync('/dev/full'), 'no /dev/full on this machine'), async () => {
      const error = await expectUnwritable('/dev/full');
      expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOSPC');
    });

    // File and directory modes stop only non-root users; as root these would
    // write successfully, so they run only when not root.
    const isRoot = process.getuid?.() === 0;
    it('fails for a read-only file (non-root only)', skipUnless(!isRoot, 'running as root, which file modes do not stop'), async () => {
      const path = join(dir, 'audit.log');
      await writeLog(path, 1);
      await chmod(path, 0o444);
      await expectUnwritable(path);
    });

    it('fails for a new file in a read-only directory (non-root only)', skipUnless(!isRoot, 'running as root, which file modes do not stop'), async () => {
      const ro = join(dir, 'ro');
      await mkdir(ro);
      await chmod(ro, 0o555);
      await expectUnwritable(join(ro, 'audit.log'));
    });
  });

  describe('event validation', () => {
    for (const field of ['who', 'justification'] as const) {
      it(`rejects an event without ${field} with a ZodError and writes nothing`, async () => {
        const path = join(dir, 'audit.log');
        const bad = { ...event(1) } as Partial<AuditEvent>;
        delete bad[field];
        const error = await new AuditLog(path).append(bad as AuditEvent).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ZodError);
        expect((error as ZodError).issues[0]?.path).toEqual([field]);
        expect(existsSync(path)).toBe(false);
        expect(() => appendRecord(undefined, bad as AuditEvent)).toThrow(ZodError);
      });
    }

    it('rejects unknown fields, over-long strings, bad times and bad actions', () => {
      const cases: unknown[] = [
        { ...event(1), notes: { free: 'form' } },
        { ...event(1), who: 'x'.repeat(10_000) },
        { ...event(1), at: 'yesterday' },
        { ...event(1), action: 'delete' },
        { ...event(1), recipients: [''] },
      ];
      for (const bad of cases) expect(() => appendRecord(undefined, bad as AuditEvent)).toThrow(ZodError);
    });

    it('leaves an existing log untouched when an event is invalid', async () => {
      const path = join(dir, 'audit.log');
      await writeLog(path, 2);
      const before = await readFile(path);
      await expect(new AuditLog(path).append({ ...event(3), who: '' })).rejects.toBeInstanceOf(ZodError);
      expect(await readFile(path)).toEqual(before);
    });
  });
});
