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

/**
 * Writes several files into `folder` so that either all of them appear or
 * none do: each is written to a partial file first, and the renames happen
 * only after every write has succeeded.
 */
export async function writeFilesAtomically(
  folder: string,
  files: { name: string; lines: () => Iterable<string> | AsyncIterable<string> }[],
): Promise<void> {
  await mkdir(folder, { recursive: true });
  const written: { partial: string; target: string }[] = [];
  try {
    for (const file of files) {
      const target = join(folder, file.name);
      const partial = temporaryPath(target);
      const stream = createWriteStream(partial, { encoding: 'utf8' });
      written.push({ partial, target });
      for await (const line of file.lines()) {
        if (!stream.write(line)) await once(stream, 'drain');
      }
      stream.end();
      await once(stream, 'finish');
    }
    for (const { partial, target } of written) await rename(partial, target);
  } catch (error) {
    for (const { partial } of written) await rm(partial, { force: true });
    throw error;
  }
}
