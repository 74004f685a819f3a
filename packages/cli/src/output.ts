/**
 * Writing results so that nothing partial is ever left behind: text goes to a
 * temporary file beside the target, which is renamed over it only when
 * complete. A crash or an error leaves the old file (or no file) in place.
 *
 * This is the one place the CLI writes an output the user named (`--out`, a
 * rejects file). It fails promptly, with an OutputError naming the path and
 * the reason, on any output that cannot be written, and says on stderr when it
 * made the folder asked for.
 */
import { mkdir, open, rename, rm, rmdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OutputError, fileErrorReason } from './errors.js';

/** Where to say that a folder was made (stderr), and whether to keep quiet (`-q`). */
export interface OutputNotice {
  quiet: boolean;
  stream: NodeJS.WritableStream;
}

/** Text is handed to the file system in blocks of about this many bytes. */
const BLOCK_BYTES = 1 << 16;

let partialCounter = 0;

function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${++partialCounter}.partial`);
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Removes folders this run made (innermost first) if they are still empty; a folder something else filled stays. */
async function removeFolders(made: readonly string[]): Promise<void> {
  for (const folder of [...made].reverse()) await rmdir(folder).catch(() => undefined);
}

/**
 * Makes `folder` and whichever of its parents are missing, one level at a
 * time, and returns those it made, outermost first.
 *
 * Not `mkdir(folder, { recursive: true })`: Node's recursive mkdir reads
 * ENOENT as "the parent is missing", makes the parent (EEXIST: fine) and
 * retries the child, forever, where a parent exists but cannot hold the child.
 * procfs answers ENOENT to mkdir /proc/anything, so `--out /proc/analysis`
 * never returned (a dangling symbolic link does the same). Here each level is
 * made once and its error is final.
 */
async function makeFolder(folder: string, named: string): Promise<string[]> {
  const missing: string[] = [];
  for (let current = folder; ;) {
    let info;
    try {
      info = await stat(current);
    } catch (error) {
      const parent = dirname(current);
      // ENOTDIR: some parent is a file; the walk up finds which and says so.
      if ((errorCode(error) !== 'ENOENT' && errorCode(error) !== 'ENOTDIR') || parent === current)
        throw new OutputError(named, `${current}: ${fileErrorReason(error)}`, { cause: error });
      missing.push(current);
      current = parent;
      continue;
    }
    if (!info.isDirectory()) throw new OutputError(named, `${current} is not a folder`);
    break;
  }
  const made: string[] = [];
  for (const path of missing.reverse()) {
    try {
      await mkdir(path);
      made.push(path);
    } catch (error) {
      // Made meanwhile by someone else: as good as made here.
      if (errorCode(error) === 'EEXIST' && (await isFolder(path))) continue;
      await removeFolders(made);
      throw new OutputError(named, `cannot create folder ${path} (${fileErrorReason(error)})`, { cause: error });
    }
  }
  return made;
}

/** Files being written side by side, to appear together on `commit()` or not at all. */
export interface AtomicFiles {
  write(name: string, text: string): Promise<void>;
  /** Writes out everything and syncs it, still under the temporary names: after this only the renames remain. */
  seal(): Promise<void>;
  /** Seals if not yet sealed, then puts every file in place. */
  commit(): Promise<void>;
  /** Removes the partial files, and the folders made for them if still empty. */
  abort(): Promise<void>;
}

/** An output folder, made if it was missing and checked writable, for files opened later. */
export interface OutputFolder {
  readonly path: string;
  open(names: readonly string[]): Promise<AtomicFiles>;
  /** Removes what this run made of the folder if nothing was put in it. */
  discard(): Promise<void>;
}

/**
 * Makes `folder` (and any missing parents) and checks that a file can be
 * created in it, so a command can fail before its work rather than after.
 * Files are opened in it with `open`. When it had to be made, the notice
 * "created folder …" goes to stderr once its files are in place (never for an
 * output that was not written). Errors name `named`: the path the user gave.
 */
export async function prepareOutputFolder(
  folder: string,
  notice?: OutputNotice,
  named = folder,
): Promise<OutputFolder> {
  const made = await makeFolder(folder, named);
  let announced = false;
  const discard = () => removeFolders(made);
  const announce = () => {
    if (made.length === 0 || announced) return;
    announced = true;
    if (notice && !notice.quiet) notice.stream.write(`ocgnet: created folder ${folder}\n`);
  };
  try {
    // Some file systems accept mkdir but refuse files (or the reverse); find out now.
    const probe = temporaryPath(join(folder, 'probe'));
    const handle = await open(probe, 'wx').catch((error: unknown) => {
      throw new OutputError(named, `cannot create a file in ${folder} (${fileErrorReason(error)})`, { cause: error });
    });
    await handle.close();
    await rm(probe, { force: true });
  } catch (error) {
    await discard();
    throw error;
  }
  return { path: folder, open: (names) => openFiles(folder, names, announce, discard), discard };
}

interface PartialFile {
  target: string;
  partial: string;
  handle: FileHandle | undefined;
  pending: string[];
  pendingBytes: number;
}

async function openFiles(
  folder: string,
  names: readonly string[],
  announce: () => void,
  discard: () => Promise<void>,
): Promise<AtomicFiles> {
  const files = new Map<string, PartialFile>();
  let sealed = false;
  let finished = false;

  const abort = async () => {
    finished = true;
    for (const file of files.values()) {
      await file.handle?.close().catch(() => undefined);
      file.handle = undefined;
      await rm(file.partial, { force: true });
    }
    await discard();
  };

  /** Runs one file-system step on `file`, turning its failure into an OutputError naming the target. */
  const onFile = async <T>(file: { target: string }, what: string, step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      if (error instanceof OutputError) throw error;
      throw new OutputError(file.target, `${what} (${fileErrorReason(error)})`, { cause: error });
    }
  };

  const flush = async (file: PartialFile) => {
    if (file.pendingBytes === 0) return;
    let bytes = Buffer.from(file.pending.join(''), 'utf8');
    file.pending = [];
    file.pendingBytes = 0;
    await onFile(file, 'writing failed', async () => {
      while (bytes.length > 0) {
        const { bytesWritten } = await file.handle!.write(bytes);
        bytes = bytes.subarray(bytesWritten);
      }
    });
  };

  try {
    for (const name of names) {
      const target = join(folder, name);
      // A folder, a device or a pipe is not replaced by a regular file.
      const existing = await stat(target).catch((error: unknown) => {
        if (errorCode(error) === 'ENOENT') return undefined;
        throw new OutputError(target, fileErrorReason(error), { cause: error });
      });
      if (existing && !existing.isFile())
        throw new OutputError(target, existing.isDirectory() ? 'it is a folder' : 'it is not a regular file');
      const partial = temporaryPath(target);
      const handle = await onFile({ target }, 'cannot create a file there', () => open(partial, 'wx'));
      files.set(name, { target, partial, handle, pending: [], pendingBytes: 0 });
    }
  } catch (error) {
    await abort();
    throw error;
  }

  const seal = async () => {
    if (sealed) return;
    try {
      for (const file of files.values()) {
        await flush(file);
        await onFile(file, 'writing failed', async () => {
          await file.handle!.sync();
          await file.handle!.close();
        });
        file.handle = undefined;
      }
      sealed = true;
    } catch (error) {
      await abort();
      throw error;
    }
  };

  return {
    async write(name, text) {
      const file = files.get(name);
      if (!file) throw new Error(`openAtomicFiles: ${name} was not opened`);
      if (finished || sealed) throw new Error(`openAtomicFiles: ${name} is already ${sealed ? 'sealed' : 'closed'}`);
      file.pending.push(text);
      file.pendingBytes += text.length; // UTF-16 units: near enough for choosing when to write
      if (file.pendingBytes >= BLOCK_BYTES) {
        try {
          await flush(file);
        } catch (error) {
          await abort();
          throw error;
        }
      }
    },
    seal,
    async commit() {
      await seal();
      try {
        for (const file of files.values())
          await onFile(file, 'cannot put it in place', () => rename(file.partial, file.target));
      } catch (error) {
        await abort();
        throw error;
      }
      finished = true;
      announce();
    },
    abort,
  };
}

/**
 * Opens several files in `folder` for writing in any interleaving (a
 * generator that emits entities, links and truth town by town, say). Each is
 * written to a partial file; `commit` renames them all only after every write
 * has finished, and `abort` removes the partials. The folder is made if
 * missing (said on `notice` once the files are in place).
 */
export async function openAtomicFiles(
  folder: string,
  names: readonly string[],
  notice?: OutputNotice,
): Promise<AtomicFiles> {
  const output = await prepareOutputFolder(folder, notice);
  return output.open(names);
}

/** One file, `path`, opened as {@link openAtomicFiles} opens several; errors name `path`. Write to it as `basename(path)`. */
export async function openAtomicFile(path: string, notice?: OutputNotice): Promise<AtomicFiles> {
  const output = await prepareOutputFolder(dirname(path), notice, path);
  return output.open([basename(path)]);
}

/** Opens `names` in `output`, lets `write` fill them, then puts all of them in place, or (on any error) none. */
export async function writeAll(
  output: OutputFolder,
  names: readonly string[],
  write: (files: AtomicFiles) => Promise<void>,
): Promise<void> {
  const files = await output.open(names);
  try {
    await write(files);
    await files.commit();
  } catch (error) {
    await files.abort();
    throw error;
  }
}

/** Streams lines to `path` atomically. */
export async function writeFileAtomically(
  path: string,
  lines: Iterable<string> | AsyncIterable<string>,
  notice?: OutputNotice,
): Promise<void> {
  const name = basename(path);
  const files = await openAtomicFile(path, notice);
  try {
    for await (const line of lines) await files.write(name, line);
    await files.commit();
  } catch (error) {
    await files.abort();
    throw error;
  }
}
