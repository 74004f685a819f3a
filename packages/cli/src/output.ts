/**
 * Writing results so that nothing partial is ever left behind: text goes to a
 * temporary file beside the target, which is renamed over it only when
 * complete. A crash or an error leaves the old file (or no file) in place.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { once } from 'node:events';

function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.partial`);
}

/** Streams lines to `path` atomically. */
export async function writeFileAtomically(path: string, lines: Iterable<string> | AsyncIterable<string>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = temporaryPath(path);
  const stream = createWriteStream(partial, { encoding: 'utf8' });
  try {
    for await (const line of lines) {
      if (!stream.write(line)) await once(stream, 'drain');
    }
    stream.end();
    await once(stream, 'finish');
    await rename(partial, path);
  } catch (error) {
    stream.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}

/** Files being written side by side, to appear together on `commit()` or not at all. */
export interface AtomicFiles {
  write(name: string, text: string): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Opens several files in `folder` for writing in any interleaving (a
 * generator that emits entities, links and truth town by town, say). Each is
 * written to a partial file; `commit` renames them all only after every write
 * has finished, and `abort` removes the partials.
 */
export async function openAtomicFiles(folder: string, names: readonly string[]): Promise<AtomicFiles> {
  await mkdir(folder, { recursive: true });
  const files = new Map(
    names.map((name) => {
      const target = join(folder, name);
      const partial = temporaryPath(target);
      return [name, { target, partial, stream: createWriteStream(partial, { encoding: 'utf8' }) }] as const;
    }),
  );
  const abort = async () => {
    for (const file of files.values()) {
      file.stream.destroy();
      await rm(file.partial, { force: true });
    }
  };
  return {
    async write(name, text) {
      const file = files.get(name);
      if (!file) throw new Error(`openAtomicFiles: ${name} was not opened`);
      if (!file.stream.write(text)) await once(file.stream, 'drain');
    },
    async commit() {
      try {
        for (const file of files.values()) {
          file.stream.end();
          await once(file.stream, 'finish');
        }
        for (const file of files.values()) await rename(file.partial, file.target);
      } catch (error) {
        await abort();
        throw error;
      }
    },
    abort,
  };
}
