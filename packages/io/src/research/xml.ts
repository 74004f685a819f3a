/**
 * XML helpers shared by the GraphML and GEXF modules: a guarded parse (size
 * and depth checked before the DOM is built, parser errors turned into
 * issues, line numbers kept) and escaping for the writers.
 */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { IssueLog, MAX_LINE_CHARS, MAX_XML_DEPTH, ResearchWriteError, refuseEmpty } from './common.js';

/** 1-based line of a position in text, counted incrementally by the scanner. */
class LineCounter {
  private position = 0;
  private line = 1;
  constructor(private readonly text: string) {}
  at(index: number): number {
    for (; this.position < index; this.position++) if (this.text.charCodeAt(this.position) === 10) this.line++;
    return this.line;
  }
}

/**
 * Scans the raw text for nesting deeper than MAX_XML_DEPTH and for a single
 * tag or text run longer than MAX_LINE_CHARS. Done before xmldom builds a DOM
 * so a nesting bomb costs one linear pass and no recursion.
 */
function prescan(text: string, log: IssueLog): boolean {
  const lines = new LineCounter(text);
  let depth = 0;
  let index = 0;
  let previousEnd = 0;
  const tooLong = (start: number, end: number, what: string): boolean => {
    if (end - start <= MAX_LINE_CHARS) return false;
    log.add(lines.at(start), 'xml', `${what} is longer than ${MAX_LINE_CHARS} characters`);
    return true;
  };
  while (index < text.length) {
    const open = text.indexOf('<', index);
    if (open < 0) break;
    if (tooLong(previousEnd, open, 'text')) return false;
    let end: number;
    if (text.startsWith('<!--', open)) end = text.indexOf('-->', open + 4) + 3;
    else if (text.startsWith('<![CDATA[', open)) end = text.indexOf(']]>', open + 9) + 3;
    else if (text.startsWith('<?', open)) end = text.indexOf('?>', open + 2) + 2;
    else if (text.startsWith('<!', open)) {
      // DOCTYPE, possibly with an internal subset in brackets.
      const bracket = text.indexOf('[', open);
      const close = text.indexOf('>', open);
      end = bracket >= 0 && bracket < close ? text.indexOf(']>', bracket) + 2 : close + 1;
      if (end <= 1) end = 0;
    } else {
      // xmldom reports a '<' that starts no tag and carries on, once per '<': a megabyte of them takes it
      // seconds per file. One is malformed XML already; say so here, once.
      const next = text.charCodeAt(open + 1);
      if (!(
        next === 47 ||
        next === 95 ||
        next === 58 ||
        (next >= 65 && next <= 90) ||
        (next >= 97 && next <= 122) ||
        next >= 0x80
      )) {
        log.add(lines.at(open), 'xml', `malformed XML: "<" is not followed by a tag name`);
        return false;
      }
      // A start or end tag: find the closing '>' outside quoted attribute values.
      let quote = 0;
      end = 0;
      for (let i = open + 1; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (quote) {
          if (c === quote) quote = 0;
        } else if (c === 34 || c === 39) quote = c;
        else if (c === 62) {
          end = i + 1;
          break;
        } else if (c === 60) {
          // Not allowed in a tag outside a quoted value; xmldom would report it once per '<' (see above).
          log.add(lines.at(i), 'xml', 'malformed XML: "<" inside a tag');
          return false;
        }
        if (i - open > MAX_LINE_CHARS) break;
      }
      if (end > 0) {
        if (text.charCodeAt(open + 1) === 47) {
          if (--depth < 0) {
            // xmldom meets this with a TypeError of its own.
            log.add(lines.at(open), 'xml', 'malformed XML: an end tag with no element open');
            return false;
          }
        } else if (text.charCodeAt(end - 2) !== 47) {
          depth++;
          if (depth > MAX_XML_DEPTH) {
            log.add(lines.at(open), 'xml', `elements nested deeper than ${MAX_XML_DEPTH} levels`);
            return false;
          }
        }
      }
    }
    if (end <= open) {
      // Unterminated construct: let the XML parser report it, unless it is huge.
      return !tooLong(open, text.length, 'tag');
    }
    if (tooLong(open, end, 'tag')) return false;
    index = end;
    previousEnd = end;
  }
  return !tooLong(previousEnd, text.length, 'text');
}

/**
 * xmldom's message, first line only, and without an exception of its own
 * that it passes on as a parse error ("element parse error: TypeError: …"):
 * the input is malformed there, but the person reading it needs no stack trace words.
 */
function parserMessage(message: string): string {
  const first = message.split('\n')[0] ?? '';
  return /\b(TypeError|RangeError|ReferenceError)\b/.test(first) ? 'an element the parser cannot read' : first;
}

/** Parses XML text into a DOM, turning every parser complaint into an issue. */
export function parseXml(text: string, log: IssueLog): Document | undefined {
  if (!prescan(text, log)) return undefined;
  const before = log.issues.length;
  let document: Document | undefined;
  try {
    document = new DOMParser({
      locator: true,
      // XML 1.0's line ends only (CR, LF, CRLF). xmldom's default adds XML 1.1's U+0085, U+2028 and U+2029,
      // which turns those characters in a label into line breaks and shifts every line number after them.
      normalizeLineEndings: (input: string) => input.replace(/\r\n?/g, '\n'),
      onError: (level, message, context) => {
        const locator = (context as { locator?: { lineNumber?: number } } | undefined)?.locator;
        // Fatal errors throw a ParseError with the position; report those there.
        if (level !== 'fatalError')
          log.add(locator?.lineNumber ?? 0, 'xml', `malformed XML (${level}): ${parserMessage(message)}`);
      },
    }).parseFromString(text, 'application/xml');
  } catch (error) {
    const locator = (error as { locator?: { lineNumber?: number } }).locator;
    const message = error instanceof Error ? parserMessage(error.message) : String(error);
    log.add(locator?.lineNumber ?? 0, 'xml', `malformed XML: ${message}`);
    return undefined;
  }
  return log.issues.length > before ? undefined : document;
}

/** Line of an element as recorded by xmldom's locator (0 if unknown). */
export function lineOf(element: Element): number {
  return (element as unknown as { lineNumber?: number }).lineNumber ?? 0;
}

/** Element children of an element with the given local name (namespace ignored). */
export function childElements(parent: Element, localName?: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType !== 1) continue;
    const element = node as Element;
    if (localName === undefined || element.localName === localName) out.push(element);
  }
  return out;
}

/** Attribute value or undefined when absent (xmldom returns null). */
export function attribute(element: Element, name: string): string | undefined {
  return element.hasAttribute(name) ? (element.getAttribute(name) ?? undefined) : undefined;
}

/** Concatenated text of an element's direct text and CDATA children (no recursion). */
export function directText(element: Element): string {
  let text = '';
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 3 || node.nodeType === 4) text += node.nodeValue ?? '';
  }
  return text;
}

// Characters XML 1.0 forbids outright (C0 controls except TAB/LF/CR, U+FFFE/U+FFFF)
// plus lone surrogates.
const ILLEGAL_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Escapes text for an XML attribute value or text node. Refuses (throws
 * ResearchWriteError) characters XML 1.0 cannot carry at all rather than
 * dropping them silently. TAB/LF/CR become character references so attribute
 * normalisation does not turn them into spaces.
 */
export function escapeXml(value: string, where: string): string {
  if (ILLEGAL_XML.test(value))
    throw new ResearchWriteError(`${where}: contains a control character XML cannot represent`);
  return value.replace(/[&<>"'\t\n\r]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      case '\t':
        return '&#9;';
      case '\n':
        return '&#10;';
      default:
        return '&#13;';
    }
  });
}

/** The attribute types GraphML and GEXF both declare. */
export type XmlValueType = 'boolean' | 'long' | 'double' | 'string';

/** The narrowest declared type that holds every value seen so far for one attribute. */
export function widen(kind: XmlValueType | undefined, value: unknown): XmlValueType {
  const next: XmlValueType =
    typeof value === 'boolean'
      ? 'boolean'
      : typeof value === 'number'
        ? Number.isSafeInteger(value)
          ? 'long'
          : 'double'
        : 'string';
  if (kind === undefined || kind === next) return next;
  if ((kind === 'long' && next === 'double') || (kind === 'double' && next === 'long')) return 'double';
  return 'string';
}

/** An attribute value as XML text: strings as they are, objects as JSON. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The root element of a GraphML or GEXF text, which must be `<name>`; undefined
 * (with the issue) for an empty text, XML that does not parse, or another root.
 */
export function xmlRoot(text: string, log: IssueLog, name: string): Element | undefined {
  if (refuseEmpty(text, log)) return undefined;
  const root = parseXml(text, log)?.documentElement;
  if (!root) return undefined;
  if (root.localName !== name) {
    log.add(lineOf(root), root.tagName, `root element is not <${name}>`);
    return undefined;
  }
  return root;
}
