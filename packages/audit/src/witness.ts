/**
 * Witness files: every signed checkpoint of one trail, one per line, appended
 * and synced. Kept apart from the trail (another disk, another host, an
 * append-only file, or a SIEM through the mirror), a witness is what shows
 * that events were removed from the end of the trail.
 *
 * Synchronous on purpose: the stores write a checkpoint right after their
 * transaction commits, and the embedded store's transactions are synchronous.
 * A line torn by a crash is left where it is (readers skip it) and the next
 * checkpoint starts on a line of its own.
 */
import {
  closeSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  writeSync,
  constants as fsConstants,
} from 'node:fs';
import { dirname } from 'node:path';
import { parseCheckpointLine, type SignedCheckpoint } from './checkpoint.js';
import { AuditError, describeIoError } from './errors.js';
import { syncDirectory } from './keys.js';

/** Enough of a witness's end to hold its last checkpoints (a line is about 400 bytes). */
const TAIL_BYTES = 64 * 1024;

/** The witness's lines, or undefined if there is no such file. A torn last line is included (it will not parse). */
export function readWitnessLines(path: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AuditError('AUDIT_WITNESS', path, `${path}: cannot read the witness (${describeIoError(error)})`, {
      cause: error,
    });
  }
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * The last whole checkpoint line of a witness: `exists` false when there is
 * no such file, `line` undefined when it holds no checkpoint.
 */
export function lastWitnessCheckpoint(path: string): { exists: boolean; line?: string; value?: SignedCheckpoint } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
    throw new AuditError('AUDIT_WITNESS', path, `${path}: cannot read the witness (${describeIoError(error)})`, {
      cause: error,
    });
  }
  try {
    const { size } = fstatSync(fd);
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, start + read);
      if (n <= 0) break;
      read += n;
    }
    const lines = buffer.subarray(0, read).toString('utf8').split('\n');
    lines.pop(); // after the last newline: empty, or a torn line
    if (start > 0) lines.shift(); // may begin mid-line
    for (let index = lines.length - 1; index >= 0; index--) {
      const parsed = parseCheckpointLine(lines[index]!);
      if (parsed.ok) return { exists: true, line: lines[index]!, value: parsed.value };
    }
    return { exists: true };
  } catch (error) {
    if (error instanceof AuditError) throw error;
    throw new AuditError('AUDIT_WITNESS', path, `${path}: cannot read the witness (${describeIoError(error)})`, {
      cause: error,
    });
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends one checkpoint line and syncs it. Also serves the mirror, which may
 * be a pipe or a terminal: only a regular file is repaired after a torn line,
 * and synced.
 */
export function appendCheckpointLine(path: string, line: string, what = 'witness'): void {
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_WRONLY | fsConstants.O_APPEND | fsConstants.O_CREAT, 0o600);
  } catch (error) {
    throw new AuditError(
      'AUDIT_UNWRITABLE',
      path,
      `${path}: cannot open the ${what} for append (${describeIoError(error)})`,
      { cause: error },
    );
  }
  try {
    const stat = fstatSync(fd);
    let text = `${line}\n`;
    if (stat.isFile() && stat.size > 0) {
      const last = Buffer.alloc(1);
      const probe = openSync(path, 'r');
      try {
        readSync(probe, last, 0, 1, stat.size - 1);
      } finally {
        closeSync(probe);
      }
      if (last[0] !== 0x0a) text = `\n${text}`;
    }
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < bytes.length) {
      const n = writeSync(fd, bytes, written, bytes.length - written);
      if (n <= 0) throw new Error('write made no progress');
      written += n;
    }
    if (stat.isFile()) {
      fsyncSync(fd);
      if (stat.size === 0) syncDirectory(dirname(path));
    }
  } catch (error) {
    throw new AuditError('AUDIT_UNWRITABLE', path, `${path}: cannot write to the ${what} (${describeIoError(error)})`, {
      cause: error,
    });
  } finally {
    closeSync(fd);
  }
}
