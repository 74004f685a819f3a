import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ZodError } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditError, AuditLog, parseCheckpointLine, type AuditEvent, type AuditRecord } from '../src/index.js';
import { skipUnless } from '../../../test/skip.js';
import { asFile, auditFilesIn, event, linesOf } from './fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocgnet-audit-'));
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const logAt = (path: string) => new AuditLog(path, auditFilesIn(dir));

async function writeLog(path: string, count: number): Promise<void> {
  const log = logAt(path);
  for (let n = 1; n <= count; n++) await log.append(event(n));
}

describe('AuditLog', () => {
  it('appends 20 events that verify, each chained to the last and each checkpointed in the witness', async () => {
    const path = join(dir, 'audit.log');
    const log = logAt(path);
    const records: AuditRecord[] = [];
    for (let n = 1; n <= 20; n++) records.push(await log.append(event(n)));
    for (let i = 1; i < records.length; i++) expect(records[i]!.prev).toBe(records[i - 1]!.mac);
    expect(await log.verify()).toMatchObject({
      ok: true,
      count: 20,
      head: records[19]!.mac,
      log: records[0]!.prev,
      unwitnessed: 0,
      checkpoint: { seq: 20, source: `${path}.witness` },
      warnings: [],
    });
    const checkpoints = linesOf(`${path}.witness`).map((line) => parseCheckpointLine(line));
    expect(checkpoints.map((c) => c.ok && c.value.checkpoint.seq)).toEqual(records.map((r) => r.seq));
    expect(checkpoints.every((c) => c.ok && c.value.checkpoint.head === records[c.value.checkpoint.seq - 1]!.mac)).toBe(
      true,
    );
    // A fresh instance chains on from the file.
    expect(await logAt(path).append(event(21))).toMatchObject({ seq: 21, prev: records[19]!.mac });
    const files = auditFilesIn(dir);
    for (const secret of [path, `${path}.witness`, files.key, files.signingKey])
      expect((await stat(secret)).mode & 0o777, secret).toBe(0o600);
  });

  it('serialises concurrent appends within the process', async () => {
    const log = logAt(join(dir, 'audit.log'));
    const records = await Promise.all(Array.from({ length: 25 }, (_, i) => log.append(event(i + 1))));
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(await log.verify()).toMatchObject({ ok: true, count: 25, unwitnessed: 0 });
  });

  describe('verification fails closed', () => {
    it('on a missing log', async () => {
      expect(await logAt(join(dir, 'none.log')).verify()).toMatchObject({
        ok: false,
        reason: 'missing',
        line: 0,
        file: join(dir, 'none.log'),
      });
    });

    it('on an empty log', async () => {
      const path = join(dir, 'audit.log');
      await writeFile(path, '');
      expect(await logAt(path).verify()).toMatchObject({ ok: false, reason: 'empty', file: path });
    });

    it('on a missing witness, unless that is explicitly accepted', async () => {
      const path = join(dir, 'audit.log');
      await writeLog(path, 3);
      await rm(`${path}.witness`);
      expect(await logAt(path).verify()).toMatchObject({ ok: false, reason: 'no-witness', file: `${path}.witness` });
      const accepted = await logAt(path).verify({ allowMissingWitness: true });
      expect(accepted).toMatchObject({ ok: true, count: 3, checkpoint: undefined });
      expect(accepted.ok && accepted.warnings.join('\n')).toMatch(/witness is missing/);
      // An empty witness is no better.
      await writeFile(`${path}.witness`, '');
      expect(await logAt(path).verify()).toMatchObject({ ok: false, reason: 'no-witness' });
    });

    it('on a missing audit key or public key, naming the file', async () => {
      const path = join(dir, 'audit.log');
      await writeLog(path, 2);
      const files = auditFilesIn(dir);
      expect(await new AuditLog(path, { ...files, key: join(dir, 'nokey') }).verify()).toMatchObject({
        ok: false,
        reason: 'key',
        file: join(dir, 'nokey'),
      });
      expect(
        await new AuditLog(path, {
          ...files,
          publicKey: join(dir, 'no.pub'),
          signingKey: join(dir, 'no.key'),
        }).verify(),
      ).toMatchObject({
        ok: false,
        reason: 'key',
        file: join(dir, 'no.pub'),
      });
    });
  });

  describe('tampering', () => {
    let path: string;
    let bytes: Buffer;
    beforeEach(async () => {
      path = join(dir, 'audit.log');
      await writeLog(path, 5);
      bytes = await readFile(path);
      expect((await logAt(path).verify()).ok).toBe(true);
    });

    it('fails verify on the file when a byte is flipped (property over offsets)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), async (offset, mask) => {
          const copy = Buffer.from(bytes);
          copy[offset]! ^= mask;
          await writeFile(path, copy);
          expect((await logAt(path).verify()).ok).toBe(false);
        }),
        { numRuns: 100 },
      );
    });

    const lines = () => bytes.toString('utf8').split('\n').slice(0, -1);

    it('fails verify when a line is deleted, from the middle or the start', async () => {
      await writeFile(path, asFile(lines().filter((_, i) => i !== 2)));
      expect(await logAt(path).verify()).toMatchObject({ ok: false, line: 3 });
      await writeFile(path, asFile(lines().slice(1)));
      expect(await logAt(path).verify()).toMatchObject({ ok: false, line: 1 });
    });

    it('fails verify when two lines are swapped', async () => {
      const all = lines();
      [all[1], all[3]] = [all[3]!, all[1]!];
      await writeFile(path, asFile(all));
      expect(await logAt(path).verify()).toMatchObject({ ok: false, line: 2, reason: 'wrong-seq' });
    });

    it('fails verify when the last line is torn, and refuses to append after it', async () => {
      for (const cut of [1, 2, 10, 60]) {
        await writeFile(path, bytes.subarray(0, bytes.length - cut));
        expect(await logAt(path).verify()).toMatchObject({ ok: false, line: 5, reason: 'missing-newline' });
      }
      const error = await logAt(path)
        .append(event(6))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuditError);
      expect(error).toMatchObject({ code: 'AUDIT_CORRUPT' });
    });
  });

  describe('unwritable log', () => {
    async function expectUnwritable(path: string): Promise<AuditError> {
      const error = await logAt(path)
        .append(event(1))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuditError);
      const auditError = error as AuditError;
      expect(auditError.code).toBe('AUDIT_UNWRITABLE');
      expect(auditError.name).toBe('AuditError');
      expect(auditError.message).toMatch(/^@ocgnet\/audit: /);
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
    it(
      'fails when the disk is full (ENOSPC, via /dev/full)',
      skipUnless(existsSync('/dev/full'), 'no /dev/full on this machine'),
      async () => {
        const error = await expectUnwritable('/dev/full');
        expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOSPC');
      },
    );

    it('fails when the witness cannot be written, after the event itself is synced', async () => {
      const path = join(dir, 'audit.log');
      const error = await new AuditLog(path, auditFilesIn(dir, join(dir, 'missing', 'witness')))
        .append(event(1))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        name: 'AuditError',
        code: 'AUDIT_UNWRITABLE',
        path: join(dir, 'missing', 'witness'),
      });
    });

    // File and directory modes stop only non-root users; as root these would
    // write successfully, so they run only when not root.
    const isRoot = process.getuid?.() === 0;
    it(
      'fails for a read-only file (non-root only)',
      skipUnless(!isRoot, 'running as root, which file modes do not stop'),
      async () => {
        const path = join(dir, 'audit.log');
        await writeLog(path, 1);
        await chmod(path, 0o444);
        await expectUnwritable(path);
      },
    );

    it(
      'fails for a new file in a read-only directory (non-root only)',
      skipUnless(!isRoot, 'running as root, which file modes do not stop'),
      async () => {
        const ro = join(dir, 'ro');
        await mkdir(ro);
        await chmod(ro, 0o555);
        await expectUnwritable(join(ro, 'audit.log'));
      },
    );
  });

  describe('event validation', () => {
    for (const field of ['who', 'justification'] as const) {
      it(`rejects an event without ${field} with a ZodError and writes nothing`, async () => {
        const path = join(dir, 'audit.log');
        const bad = { ...event(1) } as Partial<AuditEvent>;
        delete bad[field];
        const error = await logAt(path)
          .append(bad as AuditEvent)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ZodError);
        expect((error as ZodError).issues[0]?.path).toEqual([field]);
        expect(existsSync(path)).toBe(false);
        expect(existsSync(auditFilesIn(dir).key)).toBe(false);
      });
    }

    it('leaves an existing log and its witness untouched when an event is invalid', async () => {
      const path = join(dir, 'audit.log');
      await writeLog(path, 2);
      const before = [await readFile(path), await readFile(`${path}.witness`)];
      await expect(logAt(path).append({ ...event(3), who: '' })).rejects.toBeInstanceOf(ZodError);
      expect([await readFile(path), await readFile(`${path}.witness`)]).toEqual(before);
    });
  });
});
