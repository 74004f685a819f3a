/**
 * Splitting a stream of chunks into lines, in bounded memory.
 */
import { LIMITS } from '@ocgnet/schema';
import { escapedChunks } from './utf8.js';

/** A file's content as it arrives: a Node Readable, or any (async) iterable of text or bytes. */
export type ChunkSource = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/**
 * One line of text with its 1-based number, or the number of a line over the
 * size limit with its first `LIMITS.maxRecordBytes` characters (enough to
 * tell where the limit was passed). Bytes that are not UTF-8 arrive escaped
 * (see utf8.ts): the reader reports them.
 */
export type SourceLine = { text: string; line: number } | { tooLong: number; prefix: string };

/** The reason every reader gives for a file with nothing in it but white space. */
export const EMPTY_FILE = 'file is empty';

/** UTF-8 length of a string, counting each escaped byte as the one byte it was. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes +=
      c < 0x80
        ? 1
        : c < 0x800
          ? 2
          : c >= 0xdc80 &&
              c <= 0xdcff &&
              !(i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff)
            ? 1
            : c >= 0xd800 && c <= 0xdfff
              ? 2
              : 3;
  }
  return bytes;
}

/** Is this text longer than the record limit once written as UTF-8? */
export function overRecordLimit(text: string): boolean {
  // A UTF-16 code unit is at most 3 UTF-8 bytes, and at least 1.
  if (text.length * 3 <= LIMITS.maxRecordBytes) return false;
  return text.length > LIMITS.maxRecordBytes || utf8Length(text) > LIMITS.maxRecordBytes;
}

/** Splits a chunk stream into lines, refusing any line longer than the record limit (in UTF-8 bytes). */
export async function* linesOf(source: ChunkSource): AsyncGenerator<SourceLine> {
  // The start of the current line, in the pieces it arrived in: joined once its end arrives, since
  // joining (or searching) all of a long line again on every chunk would be quadratic in its length.
  let parts: string[] = [];
  let partsLength = 0;
  let line = 0;
  let skipping: string | undefined;
  const take = (rest: string): string => {
    const text = parts.length === 0 ? rest : parts.join('') + rest;
    parts = [];
    partsLength = 0;
    return text;
  };
  for await (const chunk of escapedChunks(source)) {
    let from = 0;
    for (let newline = chunk.indexOf('\n'); newline >= 0; newline = chunk.indexOf('\n', from)) {
      line++;
      const text = take(chunk.slice(from, newline)).replace(/\r$/, '');
      from = newline + 1;
      if (skipping !== undefined || overRecordLimit(text)) {
        yield { tooLong: line, prefix: skipping ?? text.slice(0, LIMITS.maxRecordBytes) };
        skipping = undefined;
      } else yield { text, line };
    }
    if (from < chunk.length && skipping === undefined) {
      parts.push(from === 0 ? chunk : chunk.slice(from));
      partsLength += chunk.length - from;
      if (partsLength > LIMITS.maxRecordBytes) {
        // Keep memory bounded: keep the start of the overlong line, drop the rest, report it once.
        skipping = take('').slice(0, LIMITS.maxRecordBytes);
      }
    }
  }
  const rest = take('');
  if (skipping !== undefined) yield { tooLong: line + 1, prefix: skipping };
  else if (rest !== '') {
    const text = rest.replace(/\r$/, '');
    yield overRecordLimit(text)
      ? { tooLong: line + 1, prefix: text.slice(0, LIMITS.maxRecordBytes) }
      : { text, line: line + 1 };
  }
}
