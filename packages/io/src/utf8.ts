/**
 * Strict UTF-8 for every reader: input is rejected or kept, never changed.
 *
 * TextDecoder with `fatal: false` (and Node's Buffer#toString) turns a byte
 * that is not UTF-8 into U+FFFD, so "P\xE9" and "P\xFF" would both become
 * "P\uFFFD" and two different ids collapse into one. A fatal decoder refuses
 * but says neither where nor which byte. So the bytes are checked here, in
 * the chunks they arrive in (a character split across chunks is carried
 * over), and each byte that is not part of a well-formed sequence is passed
 * on as one *escape*: the lone surrogate U+DC80 … U+DCFF (U+DC00 + the byte),
 * which valid UTF-8 can never produce. A reader then finds the escape in the
 * cell, line or string it landed in and reports file:line:field, and the byte.
 * A byte-order mark is kept for the reader to drop.
 */
import type { ChunkSource } from './lines.js';

/** First code unit of the escapes (U+DC80 stands for byte 0x80). */
const ESCAPE_BASE = 0xdc00;

/**
 * Where a byte sequence is not UTF-8, by the WHATWG rules TextDecoder follows
 * (no overlong forms, no surrogates, nothing past U+10FFFF).
 */
export class Utf8Scanner {
  #carry: Uint8Array = new Uint8Array(0);
  readonly #fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  /**
   * Takes the next chunk. Returns the bytes ready to use (the carry from the
   * previous chunk, then this chunk, less an incomplete character at its
   * end, which waits for the next) and the indices, within them, of every
   * byte that is not UTF-8.
   */
  push(chunk: Uint8Array): { bytes: Uint8Array; invalid: number[] } {
    let bytes = chunk;
    if (this.#carry.length > 0) {
      bytes = new Uint8Array(this.#carry.length + chunk.length);
      bytes.set(this.#carry);
      bytes.set(chunk, this.#carry.length);
    }
    const cut = completeLength(bytes);
    this.#carry = cut < bytes.length ? bytes.slice(cut) : new Uint8Array(0);
    const ready = cut < bytes.length ? bytes.subarray(0, cut) : bytes;
    return { bytes: ready, invalid: this.#invalidIn(ready) };
  }

  /** The end of the input: a character still incomplete is not UTF-8. */
  end(): { bytes: Uint8Array; invalid: number[] } {
    const bytes = this.#carry;
    this.#carry = new Uint8Array(0);
    return { bytes, invalid: Array.from(bytes, (_byte, index) => index) };
  }

  #invalidIn(bytes: Uint8Array): number[] {
    // The common case costs one native pass.
    try {
      this.#fatal.decode(bytes);
      return [];
    } catch {
      return invalidBytes(bytes);
    }
  }
}

/** Length of a well-formed sequence starting with `lead`, and the range its second byte must fall in. */
function sequence(lead: number): { length: number; low: number; high: number } | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return { length: 2, low: 0x80, high: 0xbf };
  if (lead === 0xe0) return { length: 3, low: 0xa0, high: 0xbf };
  if (lead === 0xed) return { length: 3, low: 0x80, high: 0x9f };
  if (lead >= 0xe1 && lead <= 0xef) return { length: 3, low: 0x80, high: 0xbf };
  if (lead === 0xf0) return { length: 4, low: 0x90, high: 0xbf };
  if (lead === 0xf4) return { length: 4, low: 0x80, high: 0x8f };
  if (lead >= 0xf1 && lead <= 0xf3) return { length: 4, low: 0x80, high: 0xbf };
  return undefined;
}

/** How many of a sequence's bytes, from `start`, are well formed (its full length when complete). */
function wellFormed(bytes: Uint8Array, start: number): number {
  const spec = sequence(bytes[start]!);
  if (spec === undefined) return 0;
  let count = 1;
  for (; count < spec.length && start + count < bytes.length; count++) {
    const byte = bytes[start + count]!;
    const [low, high] = count === 1 ? [spec.low, spec.high] : [0x80, 0xbf];
    if (byte < low || byte > high) return count;
  }
  return count;
}

/** Length of the prefix of `bytes` that does not end inside a character still arriving. */
function completeLength(bytes: Uint8Array): number {
  // A character is at most 4 bytes: look back at most 3 for its lead byte.
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const start = bytes.length - back;
    const byte = bytes[start]!;
    if (byte < 0x80) return bytes.length;
    if (byte >= 0xc0) {
      const spec = sequence(byte);
      // Well formed so far but short: wait for the rest.
      return spec !== undefined && back < spec.length && wellFormed(bytes, start) === back ? start : bytes.length;
    }
  }
  return bytes.length;
}

/** Indices of the bytes that are not part of a well-formed UTF-8 sequence. */
function invalidBytes(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const spec = sequence(bytes[i]!);
    const good = wellFormed(bytes, i);
    if (spec !== undefined && good === spec.length) {
      i += good;
      continue;
    }
    // The bytes of a broken sequence are each reported; the byte that broke it starts afresh.
    for (let k = 0; k < Math.max(good, 1); k++) out.push(i + k);
    i += Math.max(good, 1);
  }
  return out;
}

const TEXT = new TextDecoder('utf-8', { ignoreBOM: true });

/** Text of bytes with the given invalid indices, each invalid byte as its escape. */
export function escapedText(bytes: Uint8Array, invalid: readonly number[]): string {
  if (invalid.length === 0) return TEXT.decode(bytes);
  let text = '';
  let from = 0;
  for (const index of invalid) {
    if (index > from) text += TEXT.decode(bytes.subarray(from, index));
    text += String.fromCharCode(ESCAPE_BASE + bytes[index]!);
    from = index + 1;
  }
  if (from < bytes.length) text += TEXT.decode(bytes.subarray(from));
  return text;
}

/**
 * The text of a chunk source, with every byte that is not UTF-8 escaped (see
 * the module comment) and a byte-order mark at the start dropped. Strings
 * pass through as they are: they were decoded by whoever made them.
 */
export async function* escapedChunks(source: ChunkSource | string): AsyncGenerator<string> {
  let first = true;
  const emit = (text: string): string => {
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) return text.slice(1);
    }
    return text;
  };
  if (typeof source === 'string') {
    yield emit(source);
    return;
  }
  const scanner = new Utf8Scanner();
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    if (typeof chunk === 'string') {
      // A character cannot continue from bytes into text: what was carried over is not UTF-8.
      const carried = scanner.end();
      if (carried.bytes.length > 0) yield emit(escapedText(carried.bytes, carried.invalid));
      if (chunk.length > 0) yield emit(chunk);
      continue;
    }
    const { bytes, invalid } = scanner.push(chunk);
    if (bytes.length > 0) yield emit(escapedText(bytes, invalid));
  }
  const { bytes, invalid } = scanner.end();
  if (bytes.length > 0) yield emit(escapedText(bytes, invalid));
}

/** Matches an escape: a low surrogate U+DC80 … U+DCFF that no high surrogate precedes. */
const ESCAPE = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;

/** The byte behind the first escape in `text`, or undefined when the text came from valid UTF-8. */
export function invalidUtf8Byte(text: string): number | undefined {
  const match = ESCAPE.exec(text);
  return match === null ? undefined : match[0].charCodeAt(0) - ESCAPE_BASE;
}

/** Does the text hold an escaped byte? */
export function hasInvalidUtf8(text: string): boolean {
  return ESCAPE.test(text);
}

/** The reason every reader gives for a byte that is not UTF-8. */
export function notUtf8Reason(byte: number | undefined): string {
  const which = byte === undefined ? '' : ` (byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')})`;
  return `is not valid UTF-8${which}; save the file as UTF-8`;
}

/** The 1-based lines of `text` that hold an escaped byte, with the first such byte of each. */
export function linesWithInvalidUtf8(text: string, limit = Infinity): { line: number; byte: number }[] {
  const out: { line: number; byte: number }[] = [];
  const pattern = new RegExp(ESCAPE.source, 'g');
  let line = 1;
  let counted = 0;
  let lastLine = 0;
  for (let match = pattern.exec(text); match !== null && out.length < limit; match = pattern.exec(text)) {
    for (; counted < match.index; counted++) {
      const c = text.charCodeAt(counted);
      if (c === 10 || (c === 13 && text.charCodeAt(counted + 1) !== 10)) line++;
    }
    if (line !== lastLine) out.push({ line, byte: match[0].charCodeAt(0) - ESCAPE_BASE });
    lastLine = line;
  }
  return out;
}

/** Text with each escaped byte shown as \xHH, for naming a key or label that is not UTF-8. */
export function showInvalidUtf8(text: string): string {
  return text.replace(
    new RegExp(ESCAPE.source, 'g'),
    (escape) => `\\x${(escape.charCodeAt(0) - ESCAPE_BASE).toString(16).toUpperCase()}`,
  );
}

/** The first byte of a complete byte string that is not UTF-8 (an unfinished character at the end included), if any. */
export function firstInvalidByte(bytes: Uint8Array): number | undefined {
  const scanner = new Utf8Scanner();
  const { bytes: ready, invalid } = scanner.push(bytes);
  if (invalid.length > 0) return ready[invalid[0]!];
  const rest = scanner.end();
  return rest.invalid.length > 0 ? rest.bytes[rest.invalid[0]!] : undefined;
}

/** Text of a complete byte string, each byte that is not UTF-8 escaped, with the first such byte (if any). */
export function escapedBytes(bytes: Uint8Array): { text: string; invalidByte?: number } {
  const invalid = invalidBytes(bytes);
  const text = escapedText(bytes, invalid);
  return invalid.length > 0 ? { text, invalidByte: bytes[invalid[0]!]! } : { text };
}

/** Any lone surrogate in issue text: an escaped byte, or half of a character some message cut in two. */
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text safe to print in an issue: an escaped byte as \xHH, any other lone
 * surrogate (half a character, cut by a message that quotes the input) as
 * \uHHHH. Everything else is left as it is.
 */
export function printable(text: string): string {
  if (!LONE.test(text)) return text;
  LONE.lastIndex = 0;
  return text.replace(LONE, (unit) => {
    const code = unit.charCodeAt(0);
    return code >= 0xdc80 && code <= 0xdcff
      ? `\\x${(code - ESCAPE_BASE).toString(16).toUpperCase()}`
      : `\\u${code.toString(16).toUpperCase()}`;
  });
}
