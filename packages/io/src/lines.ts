/**
 * Splitting a stream of chunks into lines, in bounded memory.
 */
import { LIMITS } from '@ocgnet/schema';

/** A file's content as it arrives: a Node Readable, or any (async) iterable of text or bytes. */
export type ChunkSource = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/** One line of text with its 1-based number, or the number of a line over the size limit. */
export type SourceLine = { text: string; line: number } | { tooLong: number };

/** Splits a chunk stream into lines, refusing any line longer than the record limit. */
export async function* linesOf(source: ChunkSource): AsyncGenerator<SourceLine> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let pending = '';
  let line = 0;
  let skipping = false;
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      line++;
      const text = pending.slice(0, newline).replace(/\r$/, '');
      pending = pending.slice(newline + 1);
      if (skipping || text.length > LIMITS.maxRecordBytes) {
        skipping = false;
        yield { tooLong: line };
      } else yield { text, line };
    }
    if (pending.length > LIMITS.maxRecordBytes) {
      // Keep memory bounded: drop the overlong line's text, report it once.
      skipping = true;
      pending = '';
    }
  }
  pending += decoder.decode();
  if (skipping) yield { tooLong: line + 1 };
  else if (pending !== '') yield { text: pending.replace(/\r$/, ''), line: line + 1 };
}

