/**
 * Finished viewer bundles on disk, so a restarted server does not rebuild
 * them. Every file holds OFFICIAL-SENSITIVE data for one audience:
 *
 * - the folder is 0700 and each file 0600, written to a temporary name and
 *   renamed, so a reader never sees half a file;
 * - a file is named by the SHA-256 of its key, and its header repeats the
 *   key: a file renamed (or copied) into another audience's name is refused;
 * - every section carries its SHA-256, checked on read: a truncated or
 *   tampered file is refused (and then rebuilt by the caller), never served.
 *
 * Layout: one JSON header line `{ magic, key, meta, sections: [{ name, length, sha256 }] }`,
 * then the sections' bytes back to back.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

const MAGIC = 'ocgnet-bundle-cache/1';
const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;

export interface CachedFile {
  /** Small facts kept with the bundle (what the audit records about it). */
  meta: Record<string, unknown>;
  sections: Map<string, Buffer>;
}

/** Why a cache file was not used. */
export class BundleFileError extends Error {
  override readonly name = 'BundleFileError';
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The folder, created 0700; an existing one is made 0700, and refused if it is not a folder we own. */
export async function ensurePrivateFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: FOLDER_MODE });
  const info = await lstat(folder);
  if (!info.isDirectory()) throw new BundleFileError(`${folder} is not a folder`);
  if (typeof process.getuid === 'function' && info.uid !== process.getuid())
    throw new BundleFileError(`${folder} belongs to another user`);
  if ((info.mode & 0o777) !== FOLDER_MODE) await chmod(folder, FOLDER_MODE);
}

export function fileOf(folder: string, key: string): string {
  return join(folder, `${sha256Hex(key)}.bundle`);
}

/** Writes the entry for `key` atomically (temporary file, 0600, then rename). */
export async function writeBundleFile(folder: string, key: string, entry: CachedFile): Promise<void> {
  await ensurePrivateFolder(folder);
  const sections = [...entry.sections];
  const header = {
    magic: MAGIC,
    key,
    meta: entry.meta,
    sections: sections.map(([name, bytes]) => ({ name, length: bytes.length, sha256: sha256Hex(bytes) })),
  };
  const target = fileOf(folder, key);
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', FILE_MODE);
  try {
    await handle.writeFile(`${JSON.stringify(header)}\n`);
    for (const [, bytes] of sections) await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function isHeader(value: unknown): value is {
  magic: string;
  key: string;
  meta: Record<string, unknown>;
  sections: { name: string; length: number; sha256: string }[];
} {
  if (typeof value !== 'object' || value === null) return false;
  const header = value as Record<string, unknown>;
  return (
    header.magic === MAGIC &&
    typeof header.key === 'string' &&
    typeof header.meta === 'object' &&
    header.meta !== null &&
    Array.isArray(header.sections) &&
    header.sections.every(
      (section: unknown) =>
        typeof section === 'object' &&
        section !== null &&
        typeof (section as Record<string, unknown>).name === 'string' &&
        Number.isSafeInteger((section as Record<string, unknown>).length) &&
        typeof (section as Record<string, unknown>).sha256 === 'string',
    )
  );
}

/**
 * The entry stored for `key`, undefined when there is none; throws
 * {@link BundleFileError} when the file is not exactly what was written for
 * this key (another key, a wrong hash, a wrong length, loose permissions).
 */
export async function readBundleFile(folder: string, key: string): Promise<CachedFile | undefined> {
  const path = fileOf(folder, key);
  let bytes: Buffer;
  try {
    const info = await lstat(path);
    if (!info.isFile()) throw new BundleFileError(`${path} is not a file`);
    if ((info.mode & 0o077) !== 0) throw new BundleFileError(`${path} is readable by others`);
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const newline = bytes.indexOf(0x0a);
  let header: unknown;
  try {
    header = newline < 0 ? undefined : JSON.parse(bytes.subarray(0, newline).toString('utf8'));
  } catch {
    header = undefined;
  }
  if (!isHeader(header)) throw new BundleFileError(`${path}: not a bundle cache file`);
  if (header.key !== key) throw new BundleFileError(`${path}: written for another key`);
  const sections = new Map<string, Buffer>();
  let offset = newline + 1;
  for (const section of header.sections) {
    const body = bytes.subarray(offset, offset + section.length);
    offset += section.length;
    if (body.length !== section.length || sha256Hex(body) !== section.sha256)
      throw new BundleFileError(`${path}: section ${section.name} does not match its sha256`);
    sections.set(section.name, body);
  }
  if (offset !== bytes.length) throw new BundleFileError(`${path}: trailing bytes`);
  return { meta: header.meta, sections };
}

/** Removes the entry for `key` (a refused file), if any. */
export async function removeBundleFile(folder: string, key: string): Promise<void> {
  await rm(fileOf(folder, key), { force: true });
}
