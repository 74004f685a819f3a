/**
 * Where a streaming JSON read is: the path (keys and array indices) to the
 * value being read, kept from the tokens as they pass. It lets a reader name
 * the field of a problem found between tokens (a byte that is not UTF-8, a
 * record over the size limit) without holding the record.
 */
import { Tokenizer, TokenType } from '@streamparser/json';

type Frame = { kind: 'object'; key: string | undefined; afterColon: boolean } | { kind: 'array'; index: number };

export class JsonPathTracker {
  readonly #frames: Frame[] = [];

  /** Nesting depth: 0 at the top level, 1 inside the root object or array, … */
  get depth(): number {
    return this.#frames.length;
  }

  /**
   * Takes one token, in order. Returns, for a string, whether it was a key
   * (the tracker has then moved onto it) or a value.
   */
  token(type: TokenType, value: unknown): 'key' | 'value' | undefined {
    const top = this.#frames.at(-1);
    switch (type) {
      case TokenType.LEFT_BRACE:
        this.#frames.push({ kind: 'object', key: undefined, afterColon: false });
        return undefined;
      case TokenType.LEFT_BRACKET:
        this.#frames.push({ kind: 'array', index: 0 });
        return undefined;
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET:
        this.#frames.pop();
        return undefined;
      case TokenType.COLON:
        if (top?.kind === 'object') top.afterColon = true;
        return undefined;
      case TokenType.COMMA:
        if (top?.kind === 'array') top.index++;
        else if (top?.kind === 'object') {
          top.afterColon = false;
          top.key = undefined;
        }
        return undefined;
      case TokenType.STRING:
        if (top?.kind === 'object' && !top.afterColon) {
          top.key = String(value);
          return 'key';
        }
        return 'value';
      default:
        return undefined;
    }
  }

  /** True while a key (not a value) is being read in the innermost object. */
  get inKey(): boolean {
    const top = this.#frames.at(-1);
    return top?.kind === 'object' && !top.afterColon;
  }

  /**
   * The path to the value being read: one segment per enclosing object key or
   * array index, outermost first. A key being read is not in it yet.
   */
  path(): (string | number)[] {
    const out: (string | number)[] = [];
    for (const frame of this.#frames) {
      if (frame.kind === 'array') out.push(frame.index);
      else if (frame.key !== undefined && frame.afterColon) out.push(frame.key);
    }
    return out;
  }
}

/**
 * The path at the end of a JSON text that stops part-way (say, the first
 * megabyte of an overlong NDJSON line): where the reader was when it stopped.
 */
export function jsonPathAtEnd(text: string): (string | number)[] {
  const tracker = new JsonPathTracker();
  const tokenizer = new Tokenizer();
  tokenizer.onToken = ({ token, value }) => void tracker.token(token, value);
  try {
    tokenizer.write(text);
  } catch {
    // Malformed before the cut: the path so far is the best there is.
  }
  return tracker.path();
}
