/**
 * UCINET DL read and write: `format=edgelist1` and `format=fullmatrix`.
 *
 * DL identifies nodes by label, so node keys are labels. A file may declare
 * more nodes (`n=`) than it names; UCINET's shared datasets do this for
 * isolates. We add the unnamed nodes with generated keys (`dl-unlabelled-1`,
 * ...) and a warning, so the node count always equals `n`.
 */
import type Graph from 'graphology';
import {
  GraphBuilder,
  IssueLog,
  ResearchWriteError,
  declaredCountLimit,
  formatNumber,
  newAttributes,
  nodeLabel,
  parseStrictNumber,
  refuseEmpty,
  splitLines,
  tokenizeLine,
  type LineToken,
  type ResearchParseResult,
  type TextLine,
} from './common.js';

/** Options for {@link parseDl}. */
export interface DlOptions {
  /**
   * DL has no notion of direction. Edge lists are read as undirected unless
   * this is true; a full matrix is read as undirected when symmetric and
   * directed otherwise, unless this forces one (false + asymmetric = issue).
   */
  directed?: boolean;
}

type Token = LineToken;

/** Splits a data line on whitespace and commas, honouring "double quotes". */
function tokenize({ text, line }: TextLine, log: IssueLog): Token[] | undefined {
  return tokenizeLine(text, line, ' \t,', log);
}

type LabelTarget = 'both' | 'row' | 'col';

/** One `labels:`-style section: which dimension, and its raw lines. */
interface LabelSection {
  target: LabelTarget;
  lines: TextLine[];
  line: number;
}

/** What the header says. */
interface Header {
  n?: number;
  nr?: number;
  nc?: number;
  format: string;
  rowEmbedded: boolean;
  colEmbedded: boolean;
  diagonalAbsent: boolean;
  labelSections: LabelSection[];
  data: TextLine[];
  headerLine: number;
}

const KEYWORD = /^(?:(row|col|column|matrix)\s+)?labels(\s+embedded)?\s*(?::|$)/i;

/**
 * Splits a DL file into header settings, label sections and data lines.
 * Keywords may share a line with values (`labels: a,b,c`) and settings may
 * span several lines before `data:`.
 */
function readHeader(lines: TextLine[], log: IssueLog): Header | undefined {
  const header: Header = {
    format: 'fullmatrix',
    rowEmbedded: false,
    colEmbedded: false,
    diagonalAbsent: false,
    labelSections: [],
    data: [],
    headerLine: 0,
  };
  let index = 0;
  while (index < lines.length && (lines[index] as TextLine).text.trim() === '') index++;
  const first = lines[index];
  if (!first || !/^dl(\s|$)/i.test(first.text.trim())) {
    log.add(first?.line ?? 1, 'dl', 'a DL file must start with "dl"');
    return undefined;
  }
  header.headerLine = first.line;
  let current: LabelSection | undefined;
  let rest = first.text.trim().slice(2);
  let line = first.line;
  for (;;) {
    const trimmed = rest.trim();
    const keyword = KEYWORD.exec(trimmed);
    const dataMatch = /^data\s*(?::|$)/i.exec(trimmed);
    if (dataMatch) {
      const after = trimmed.slice(dataMatch[0].length);
      if (after.trim() !== '') header.data.push({ text: after, line });
      // Not push(...): a spread of a million lines overflows the stack.
      for (let rest = index + 1; rest < lines.length; rest++) header.data.push(lines[rest]!);
      return header;
    }
    if (keyword && !/^labels\s*=/i.test(trimmed)) {
      const which = (keyword[1] ?? '').toLowerCase();
      const target: LabelTarget = which === 'row' ? 'row' : which === 'col' || which === 'column' ? 'col' : 'both';
      if (which === 'matrix') {
        log.warn(line, 'matrix labels', 'matrix labels are not read');
        current = { target, lines: [], line };
      } else if (keyword[2]) {
        if (target !== 'col') header.rowEmbedded = true;
        if (target !== 'row') header.colEmbedded = true;
        current = undefined;
      } else {
        current = { target, lines: [], line };
        header.labelSections.push(current);
      }
      const after = trimmed.slice(keyword[0].length);
      if (after.trim() !== '') {
        if (current) current.lines.push({ text: after, line });
        else log.add(line, 'labels embedded', `unexpected text ${JSON.stringify(after.trim())}`);
      }
    } else if (current) {
      if (trimmed !== '') current.lines.push({ text: rest, line });
    } else if (trimmed !== '') {
      if (!readSettings(trimmed, line, header, log)) return undefined;
    }
    index++;
    const next = lines[index];
    if (!next) {
      log.add(line, 'data', 'no "data:" section');
      return undefined;
    }
    rest = next.text;
    line = next.line;
  }
}

/** Reads `key = value` settings (and a trailing `labels embedded`) from a header line. */
function readSettings(text: string, line: number, header: Header, log: IssueLog): boolean {
  let remaining = text;
  const embedded = /\blabels\s+embedded\s*:?\s*$/i.exec(remaining);
  if (embedded) {
    header.rowEmbedded = header.colEmbedded = true;
    remaining = remaining.slice(0, embedded.index);
  }
  const pattern = /([a-z]+)\s*=\s*("[^"]*"|[^\s,]+)/gi;
  let match: RegExpExecArray | null;
  let consumed = remaining;
  while ((match = pattern.exec(remaining))) {
    consumed = consumed.replace(match[0], '');
    const key = (match[1] as string).toLowerCase();
    const value = (match[2] as string).replace(/^"|"$/g, '');
    if (key === 'n' || key === 'nr' || key === 'nc' || key === 'nm') {
      if (!/^\d+$/.test(value)) {
        log.add(line, key, `${key}=${JSON.stringify(value)} is not a whole number`);
        return false;
      }
      if (key === 'nm') {
        if (value !== '1') {
          log.add(line, 'nm', 'files with more than one matrix (nm > 1) are not supported');
          return false;
        }
      } else header[key] = Number(value);
    } else if (key === 'format') header.format = value.toLowerCase();
    else if (key === 'diagonal') header.diagonalAbsent = value.toLowerCase() === 'absent';
    else log.warn(line, key, `setting ${key}=${value} is not used`);
  }
  if (consumed.trim().replace(/[,\s]+/g, '') !== '') {
    log.add(line, 'dl', `cannot read header text ${JSON.stringify(consumed.trim())}`);
    return false;
  }
  return true;
}

/**
 * Reads the labels of one section. Quoted labels or commas separate labels
 * unambiguously; a line of bare words is one label per line unless splitting
 * on spaces gives exactly the expected count (UCINET allows both styles).
 */
function readLabels(section: LabelSection, expected: number | undefined, log: IssueLog): string[] {
  const byLine: string[] = [];
  const byWord: string[] = [];
  for (const entry of section.lines) {
    if (/[",]/.test(entry.text)) {
      const tokens = tokenize(entry, log) ?? [];
      for (const t of tokens) {
        byLine.push(t.text);
        byWord.push(t.text);
      }
    } else {
      byLine.push(entry.text.trim());
      for (const word of entry.text.trim().split(/\s+/)) byWord.push(word);
    }
  }
  return expected !== undefined && byLine.length !== expected && byWord.length === expected ? byWord : byLine;
}

/** A key not used yet, for a node the file counts but never names. */
function generatedKey(taken: (key: string) => boolean, counter: { next: number }): string {
  let key: string;
  do key = `dl-unlabelled-${counter.next++}`;
  while (taken(key));
  return key;
}

/** Parses a UCINET DL file (edgelist1 or fullmatrix). */
export function parseDl(text: string, file: string, options: DlOptions = {}): ResearchParseResult {
  const log = new IssueLog(file);
  if (refuseEmpty(text, log)) return log.failure();
  const header = readHeader(splitLines(text, log), log);
  if (!header) return log.failure();
  for (const key of ['n', 'nr', 'nc'] as const) {
    const count = header[key];
    if (count !== undefined && count > declaredCountLimit(text.length)) {
      log.add(header.headerLine, key, `${key}=${count} declared in a file of ${text.length} characters`);
      return log.failure();
    }
  }
  const format = header.format;
  if (format === 'edgelist1' || format === 'el1') return parseEdgelist1(header, log, options);
  if (format === 'fullmatrix' || format === 'fm') return parseFullMatrix(header, log, options);
  log.add(
    header.headerLine,
    'format',
    `format ${JSON.stringify(format)} is not supported (edgelist1 and fullmatrix are)`,
  );
  return log.failure();
}

function parseEdgelist1(header: Header, log: IssueLog, options: DlOptions): ResearchParseResult {
  const n = header.n ?? header.nr;
  if (n === undefined) {
    log.add(header.headerLine, 'n', 'edgelist1 needs n=');
    return log.failure();
  }
  const directed = options.directed === true;
  const builder = new GraphBuilder(log, directed ? 'directed' : 'undirected');
  const section = header.labelSections.find((s) => s.target === 'both' || s.target === 'row');
  const listed = section ? readLabels(section, n, log) : [];
  for (const label of listed) builder.addNode(label, newAttributes(), section?.line ?? 0, 'labels');
  if (listed.length > n) log.add(section?.line ?? 0, 'labels', `${listed.length} labels for n=${n}`);
  const embedded = header.rowEmbedded || header.colEmbedded;
  const counter = { next: 1 };

  // Without embedded labels, data holds vertex numbers 1..n; number i is the i-th label if any.
  const keyOfIndex = (i: number): string => {
    const label = listed[i - 1];
    if (label !== undefined) return label;
    const key = listed.length === 0 ? String(i) : `dl-unlabelled-${i}`;
    if (!builder.hasNode(key)) builder.addNode(key, newAttributes(), header.headerLine, 'n');
    return key;
  };
  let weighted = false;
  const pending: { source: string; target: string; weight?: number; line: number }[] = [];
  for (const entry of header.data) {
    if (log.full) break;
    const tokens = tokenize(entry, log);
    if (!tokens || tokens.length === 0) continue;
    if (tokens.length < 2 || tokens.length > 3) {
      log.add(entry.line, '', `expected "from to [value]", found ${tokens.length} item(s)`);
      continue;
    }
    const ends: string[] = [];
    for (const [position, token] of tokens.slice(0, 2).entries()) {
      const field = position === 0 ? 'from' : 'to';
      if (embedded) {
        // With a labels list the list is the node set; otherwise labels create nodes as they appear.
        if (!section && !builder.hasNode(token.text) && token.text !== '')
          builder.addNode(token.text, newAttributes(), entry.line, field);
        ends.push(token.text);
      } else {
        const index = /^\d+$/.test(token.text) ? Number(token.text) : NaN;
        if (!(index >= 1 && index <= n)) {
          log.add(entry.line, field, `${JSON.stringify(token.text)} is not a vertex number between 1 and ${n}`);
          ends.push('');
        } else ends.push(keyOfIndex(index));
      }
    }
    const edge: { source: string; target: string; weight?: number; line: number } = {
      source: ends[0] as string,
      target: ends[1] as string,
      line: entry.line,
    };
    if (tokens[2]) {
      const weight = tokens[2].quoted ? undefined : parseStrictNumber(tokens[2].text);
      if (weight === undefined) {
        log.add(entry.line, 'value', `value ${JSON.stringify(tokens[2].text)} is not a number`);
        continue;
      }
      edge.weight = weight;
      weighted = true;
    }
    if (edge.source === '' || edge.target === '') continue;
    pending.push(edge);
  }
  // Nodes the header counts but the file never names: isolates by UCINET convention.
  const named = builder.graph.order;
  if (named > n) log.add(header.headerLine, 'n', `n=${n} but ${named} distinct labels appear`);
  else if (named < n) {
    for (let i = named; i < n; i++)
      builder.addNode(
        generatedKey((k) => builder.hasNode(k), counter),
        newAttributes(),
        header.headerLine,
        'n',
      );
    log.warn(
      header.headerLine,
      'n',
      `n=${n} but only ${named} labels appear; added ${n - named} unlabelled isolate(s)`,
    );
  }
  for (const edge of pending) {
    const attributes = newAttributes();
    // UCINET reads a missing value as 1.
    if (weighted) attributes.weight = edge.weight ?? 1;
    builder.addEdge(edge.source, edge.target, directed, attributes, edge.line, { source: 'from', target: 'to' });
  }
  return builder.finish('ucinet-dl', weighted);
}

function parseFullMatrix(header: Header, log: IssueLog, options: DlOptions): ResearchParseResult {
  const fail = (): ResearchParseResult => log.failure();
  const nr = header.nr ?? header.n;
  const nc = header.nc ?? header.n;
  if (nr === undefined || nc === undefined) {
    log.add(header.headerLine, 'n', 'fullmatrix needs n= or nr= and nc=');
    return fail();
  }
  const tokens: Token[] = [];
  for (const entry of header.data) {
    const line = tokenize(entry, log);
    if (line) for (const token of line) tokens.push(token);
  }
  let position = 0;
  const both = header.labelSections.filter((s) => s.target === 'both');
  const rowSection = header.labelSections.find((s) => s.target === 'row') ?? both[0];
  const colSection = header.labelSections.find((s) => s.target === 'col') ?? both[0];
  let rowLabels = rowSection ? readLabels(rowSection, nr, log) : [];
  let colLabels = colSection ? readLabels(colSection, nc, log) : [];
  if (header.colEmbedded) {
    colLabels = tokens.slice(0, nc).map((t) => t.text);
    position = nc;
  }
  const embeddedRows: string[] = [];
  const values: number[][] = [];
  let short = false;
  const next = (): Token | undefined => {
    const token = tokens[position++];
    if (!token) short = true;
    return token;
  };
  for (let row = 0; row < nr && !short; row++) {
    if (header.rowEmbedded) {
      const token = next();
      if (!token) break;
      embeddedRows.push(token.text);
    }
    const cells: number[] = [];
    for (let col = 0; col < nc; col++) {
      // diagonal=absent: rows skip their own cell.
      if (header.diagonalAbsent && row === col) {
        cells.push(0);
        continue;
      }
      const token = next();
      if (!token) break;
      const value = token.quoted ? undefined : parseStrictNumber(token.text);
      if (value === undefined) {
        log.add(token.line, `row ${row + 1} col ${col + 1}`, `value ${JSON.stringify(token.text)} is not a number`);
        cells.push(0);
      } else cells.push(value);
    }
    values.push(cells);
  }
  if (short) {
    const last = tokens[tokens.length - 1];
    log.add(last?.line ?? header.headerLine, 'data', `matrix is short: expected ${nr} rows of ${nc} values`);
    return fail();
  }
  if (position < tokens.length) {
    const extra = tokens[position] as Token;
    log.add(extra.line, 'data', `unexpected value ${JSON.stringify(extra.text)} after the ${nr}x${nc} matrix`);
    return fail();
  }
  if (header.rowEmbedded) rowLabels = embeddedRows;
  const counter = { next: 1 };
  const used = new Set([...rowLabels, ...colLabels]);
  const complete = (labels: string[], count: number, what: string, line: number): string[] => {
    if (labels.length > count) log.add(line, 'labels', `${labels.length} ${what} labels for ${count} ${what}s`);
    const out = labels.slice(0, count);
    if (labels.length > 0 && out.length < count)
      log.warn(line, 'labels', `${count - out.length} ${what}(s) have no label; generated ids used`);
    while (out.length < count) {
      // With no labels at all, vertex numbers are the natural keys (as UCINET shows them).
      const key = labels.length === 0 ? String(out.length + 1) : generatedKey((k) => used.has(k), counter);
      used.add(key);
      out.push(key);
    }
    return out;
  };
  rowLabels = complete(rowLabels, nr, 'row', rowSection?.line ?? header.headerLine);
  colLabels = complete(colLabels, nc, 'column', colSection?.line ?? header.headerLine);

  const oneMode = nr === nc && new Set(rowLabels).size === nr && rowLabels.every((label) => colLabels.includes(label));
  const weighted = values.some((r) => r.some((v) => v !== 0 && v !== 1));
  if (!oneMode) {
    // Two-mode (rows and columns are different node sets): a bipartite undirected graph.
    if (options.directed === true) log.add(header.headerLine, 'nr', 'a two-mode matrix cannot be read as directed');
    const builder = new GraphBuilder(log, 'undirected');
    for (const label of rowLabels)
      builder.addNode(
        label,
        Object.assign(newAttributes(), { mode: 'row' }),
        rowSection?.line ?? header.headerLine,
        'row labels',
      );
    for (const label of colLabels)
      builder.addNode(
        label,
        Object.assign(newAttributes(), { mode: 'column' }),
        colSection?.line ?? header.headerLine,
        'col labels',
      );
    values.forEach((cells, r) =>
      cells.forEach((value, c) => {
        if (value === 0) return;
        const attributes = newAttributes();
        if (weighted) attributes.weight = value;
        builder.addEdge(rowLabels[r] as string, colLabels[c] as string, false, attributes, header.headerLine, {
          source: 'row',
          target: 'col',
        });
      }),
    );
    return builder.finish('ucinet-dl', weighted);
  }
  // Columns may list the same labels in another order; read cells by label.
  const colIndex = rowLabels.map((label) => colLabels.indexOf(label));
  const cell = (r: number, c: number): number => (values[r] as number[])[colIndex[c] as number] as number;
  let asymmetric: [number, number] | undefined;
  for (let r = 0; r < nr && !asymmetric; r++)
    for (let c = r + 1; c < nr; c++) if (cell(r, c) !== cell(c, r)) asymmetric = [r, c];
  const directed = options.directed ?? asymmetric !== undefined;
  if (!directed && asymmetric) {
    const [r, c] = asymmetric;
    log.add(header.headerLine, `row ${r + 1} col ${c + 1}`, 'matrix is not symmetric but was read as undirected');
  }
  const builder = new GraphBuilder(log, directed ? 'directed' : 'undirected');
  for (const label of rowLabels)
    builder.addNode(label, newAttributes(), rowSection?.line ?? header.headerLine, 'labels');
  for (let r = 0; r < nr; r++) {
    for (let c = directed ? 0 : r; c < nr; c++) {
      const value = cell(r, c);
      if (value === 0) continue;
      const attributes = newAttributes();
      if (weighted) attributes.weight = value;
      builder.addEdge(rowLabels[r] as string, rowLabels[c] as string, directed, attributes, header.headerLine, {
        source: 'row',
        target: 'col',
      });
    }
  }
  return builder.finish('ucinet-dl', weighted);
}

/** Options for {@link writeDl}. */
export interface DlWriteOptions {
  format: 'edgelist1' | 'fullmatrix';
}

/** Quotes a DL label; DL has no escape for a double quote or a line break. */
function quoteLabel(label: string, node: string): string {
  if (/["\r\n]/.test(label))
    throw new ResearchWriteError(`node ${JSON.stringify(node)}: DL labels cannot contain double quotes or line breaks`);
  // Quoted only where a separator needs it: igraph's Read_DL keeps the quotes as part of the name.
  return label === '' || /[\s,]/.test(label) ? `"${label}"` : label;
}

/**
 * Writes a UCINET DL file with a full `labels:` list (so isolates survive).
 * DL has no direction flag: read a directed graph back with `directed: true`.
 *
 * @throws {ResearchWriteError} for a mixed graph, repeated labels (DL keys
 *   nodes by label), a label with a quote or line break, or a zero weight in
 *   a full matrix (a 0 cell means no edge)
 */
export function writeDl(graph: Graph, options: DlWriteOptions): string {
  if (graph.type === 'mixed')
    throw new ResearchWriteError('DL cannot hold a mixed graph (directed and undirected edges)');
  const labels = new Map<string, string>();
  const seen = new Set<string>();
  graph.forEachNode((node) => {
    const label = nodeLabel(graph, node);
    if (seen.has(label))
      throw new ResearchWriteError(
        `label ${JSON.stringify(label)} is used by more than one node; DL identifies nodes by label`,
      );
    seen.add(label);
    labels.set(node, quoteLabel(label, node));
  });
  const weighted = graph.someEdge((_e, attributes) => typeof attributes.weight === 'number');
  const weightOf = (attributes: Record<string, unknown>): number =>
    typeof attributes.weight === 'number' ? attributes.weight : 1;
  // `format=` on a line of its own: igraph's Read_DL refuses it on the `dl` line.
  const out: string[] = [`dl n=${graph.order}\n`, `format=${options.format}\n`, 'labels:\n'];
  for (const label of labels.values()) out.push(`${label}\n`);

  if (options.format === 'edgelist1') {
    out.push('labels embedded:\ndata:\n');
    graph.forEachEdge((_edge, attributes, source, target) => {
      const value = weighted ? ` ${formatNumber(weightOf(attributes))}` : '';
      out.push(`${labels.get(source)} ${labels.get(target)}${value}\n`);
    });
    return out.join('');
  }

  const index = new Map<string, number>();
  graph.forEachNode((node) => index.set(node, index.size));
  const n = graph.order;
  const matrix: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  graph.forEachEdge((edge, attributes, source, target, _sa, _ta, undirected) => {
    const weight = weightOf(attributes);
    if (weight === 0)
      throw new ResearchWriteError(
        `edge ${JSON.stringify(edge)} has weight 0, which a full matrix cannot tell from no edge`,
      );
    const r = index.get(source) as number;
    const c = index.get(target) as number;
    (matrix[r] as number[])[c] = weight;
    if (undirected) (matrix[c] as number[])[r] = weight;
  });
  out.push('data:\n');
  for (const row of matrix) out.push(`${row.map(formatNumber).join(' ')}\n`);
  return out.join('');
}
