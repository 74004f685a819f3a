/**
 * Pajek `.net` (and the first network of a `.paj` project) read and write.
 *
 * Sections: `*Vertices n`, `*Arcs`, `*Edges`, `*Arcslist`, `*Edgeslist`
 * (names case-insensitive). Pajek numbers vertices 1..n; we key nodes by
 * label by default, since that is what analysts and the other formats share.
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
  type Attributes,
  type ResearchGraphType,
  type ResearchParseResult,
} from './common.js';

/** Options for {@link parsePajek}. */
export interface PajekOptions {
  /**
   * Node keys: the vertex label (default; duplicate labels are issues) or the
   * vertex number as a string (always unique; use for files with repeated labels).
   */
  keys?: 'label' | 'index';
}

type Token = LineToken;

const SHAPES = new Set(['ellipse', 'box', 'diamond', 'triangle', 'cross', 'empty']);
/** Sections we recognise but do not read into the graph. */
const OTHER_SECTIONS = new Set(['partition', 'vector', 'permutation', 'cluster', 'hierarchy', 'matrix']);

/** Splits a line into whitespace-separated tokens, honouring "double quotes" (Pajek has no escapes). */
function tokenize(text: string, line: number, log: IssueLog): Token[] | undefined {
  return tokenizeLine(text, line, ' \t', log);
}

/** A positive vertex number, or undefined. */
function vertexNumber(token: Token | undefined): number | undefined {
  if (!token || token.quoted || !/^\d+$/.test(token.text)) return undefined;
  const value = Number(token.text);
  return value >= 1 && Number.isSafeInteger(value) ? value : undefined;
}

interface PendingEdge {
  source: number;
  target: number;
  directed: boolean;
  weight?: number;
  extra?: string;
  relation?: string;
  line: number;
}

/**
 * Parses a Pajek network. Edges without a weight in a file where some edges
 * have one weigh 1, as in Pajek itself. Drawing parameters after the
 * coordinates are kept verbatim in a `pajek` attribute.
 */
export function parsePajek(text: string, file: string, options: PajekOptions = {}): ResearchParseResult {
  const log = new IssueLog(file);
  if (refuseEmpty(text, log)) return log.failure();
  const lines = splitLines(text, log);
  let count: number | undefined;
  let verticesLine = 0;
  const vertices = new Map<number, { label?: string | undefined; attributes: Attributes; line: number }>();
  const edges: PendingEdge[] = [];
  let section: 'none' | 'vertices' | 'arcs' | 'edges' | 'arcslist' | 'edgeslist' | 'skip' = 'none';
  let relation: string | undefined;
  let sawArcs = false;
  let sawNetwork = false;

  for (const { text: raw, line } of lines) {
    if (log.full) break;
    const content = raw.trim();
    if (content === '' || content.startsWith('%')) continue;
    if (content.startsWith('*')) {
      const [head = '', ...rest] = content.slice(1).split(/\s+/);
      const name = head.toLowerCase();
      relation = undefined;
      if (name === 'network') {
        if (sawNetwork || count !== undefined) {
          log.warn(line, '*network', 'only the first network of a project file is read');
          break;
        }
        sawNetwork = true;
        section = 'none';
      } else if (name === 'vertices') {
        if (count !== undefined) {
          log.add(line, '*vertices', 'a second *Vertices section');
          section = 'skip';
          continue;
        }
        const n = rest[0] !== undefined && /^\d+$/.test(rest[0]) ? Number(rest[0]) : undefined;
        if (n === undefined) {
          log.add(line, '*vertices', 'the vertex count is missing or not a whole number');
          return log.failure();
        }
        if (n > declaredCountLimit(text.length)) {
          log.add(line, '*vertices', `${n} vertices declared in a file of ${text.length} characters`);
          return log.failure();
        }
        if (rest[1] !== undefined)
          log.warn(line, '*vertices', 'two-mode network: both modes are read as one set of nodes');
        count = n;
        verticesLine = line;
        section = 'vertices';
      } else if (name === 'arcs' || name === 'edges' || name === 'arcslist' || name === 'edgeslist') {
        if (count === undefined) {
          log.add(line, `*${name}`, `*${head} before *Vertices`);
          return log.failure();
        }
        section = name;
        // Multi-relational files label a section `*Arcs :2 "name"`; keep the name on each edge.
        const match = /:\s*\d+\s*(?:"([^"]*)"|(\S+))?/.exec(content);
        if (match) relation = match[1] ?? match[2] ?? content.slice(content.indexOf(':') + 1).trim();
      } else if (OTHER_SECTIONS.has(name)) {
        log.warn(line, `*${name}`, `*${head} section is not read`);
        section = 'skip';
      } else {
        log.add(line, `*${head}`, `unknown section *${head}`);
        section = 'skip';
      }
      continue;
    }
    if (section === 'skip') continue;
    if (section === 'none') {
      log.add(line, '', 'data before any *Vertices/*Arcs/*Edges section');
      continue;
    }
    const tokens = tokenize(content, line, log);
    if (!tokens) continue;
    if (section === 'vertices') {
      const index = vertexNumber(tokens[0]);
      if (index === undefined || index > (count as number)) {
        log.add(
          line,
          'vertex',
          tokens[0] === undefined
            ? 'the vertex number is missing'
            : `vertex number ${JSON.stringify(tokens[0].text)} is not between 1 and ${count}`,
        );
        continue;
      }
      if (vertices.has(index)) {
        log.add(line, 'vertex', `vertex ${index} listed twice`);
        continue;
      }
      const attributes = newAttributes();
      const label = tokens[1]?.text;
      let position = 2;
      for (const axis of ['x', 'y', 'z']) {
        const token = tokens[position];
        const value = token && !token.quoted ? parseStrictNumber(token.text) : undefined;
        if (value === undefined) break;
        attributes[axis] = value;
        position++;
      }
      const shape = tokens[position];
      if (shape && !shape.quoted && SHAPES.has(shape.text)) {
        attributes.shape = shape.text;
        position++;
      }
      if (position < tokens.length) attributes.pajek = rawRest(tokens, position);
      vertices.set(index, { label, attributes, line });
      continue;
    }
    const directed = section === 'arcs' || section === 'arcslist';
    if (directed) sawArcs = true;
    const source = vertexNumber(tokens[0]);
    if (source === undefined || source > (count as number)) {
      log.add(
        line,
        'source',
        tokens[0] === undefined
          ? 'the vertex number is missing'
          : `vertex number ${JSON.stringify(tokens[0].text)} is not between 1 and ${count}`,
      );
      continue;
    }
    if (section === 'arcslist' || section === 'edgeslist') {
      for (const token of tokens.slice(1)) {
        const target = vertexNumber(token);
        if (target === undefined || target > (count as number))
          log.add(line, 'target', `vertex number ${JSON.stringify(token.text)} is not between 1 and ${count}`);
        else edges.push({ source, target, directed, line, ...(relation !== undefined ? { relation } : {}) });
      }
      continue;
    }
    const target = vertexNumber(tokens[1]);
    if (target === undefined || target > (count as number)) {
      log.add(
        line,
        'target',
        tokens[1] === undefined
          ? 'the target vertex number is missing'
          : `vertex number ${JSON.stringify(tokens[1].text)} is not between 1 and ${count}`,
      );
      continue;
    }
    const edge: PendingEdge = { source, target, directed, line };
    if (relation !== undefined) edge.relation = relation;
    if (tokens[2]) {
      const weight = tokens[2].quoted ? undefined : parseStrictNumber(tokens[2].text);
      if (weight === undefined) {
        log.add(line, 'weight', `weight ${JSON.stringify(tokens[2].text)} is not a number`);
        continue;
      }
      edge.weight = weight;
      if (tokens.length > 3) edge.extra = rawRest(tokens, 3);
    }
    edges.push(edge);
  }
  if (count === undefined) {
    log.add(0, '*vertices', 'no *Vertices section');
    return log.failure();
  }

  const anyDirected = edges.some((e) => e.directed);
  const anyUndirected = edges.some((e) => !e.directed);
  const type: ResearchGraphType =
    anyDirected && anyUndirected ? 'mixed' : anyDirected || (edges.length === 0 && sawArcs) ? 'directed' : 'undirected';
  const builder = new GraphBuilder(log, type);
  const keyOf: string[] = [];
  const byIndex = options.keys === 'index';
  for (let index = 1; index <= count; index++) {
    const vertex = vertices.get(index);
    const label = vertex?.label ?? String(index);
    const key = byIndex ? String(index) : label;
    const attributes = vertex?.attributes ?? newAttributes();
    attributes.label = label;
    const before = log.issues.length;
    builder.addNode(key, attributes, vertex?.line ?? verticesLine, 'label');
    if (log.issues.length > before && !byIndex && builder.hasNode(key)) {
      const last = log.issues[log.issues.length - 1];
      if (last) last.reason += ` (vertex ${index}); read with keys: 'index' to keep repeated labels apart`;
    }
    keyOf[index] = key;
  }
  const weighted = edges.some((e) => e.weight !== undefined);
  for (const edge of edges) {
    const attributes = newAttributes();
    if (weighted) attributes.weight = edge.weight ?? 1;
    if (edge.extra !== undefined) attributes.pajek = edge.extra;
    if (edge.relation !== undefined) attributes.relation = edge.relation;
    builder.addEdge(keyOf[edge.source] as string, keyOf[edge.target] as string, edge.directed, attributes, edge.line, {
      source: 'source',
      target: 'target',
    });
  }
  return builder.finish('pajek', weighted);
}

/** Re-joins tokens from `from` on, re-quoting the ones that were quoted. */
function rawRest(tokens: Token[], from: number): string {
  return tokens
    .slice(from)
    .map((t) => (t.quoted ? `"${t.text}"` : t.text))
    .join(' ');
}

/** Quotes a Pajek label; Pajek has no escape for a double quote or a line break. */
function quoteLabel(label: string, node: string): string {
  if (/["\r\n]/.test(label))
    throw new ResearchWriteError(
      `node ${JSON.stringify(node)}: Pajek labels cannot contain double quotes or line breaks`,
    );
  return `"${label}"`;
}

/**
 * Writes a Pajek `.net` file. Vertices are numbered in graph order and
 * labelled with their `label` attribute (default: key); undirected edges go
 * under `*Edges`, directed ones under `*Arcs`. In a weighted graph an edge
 * without a weight is written with 1.
 *
 * @throws {ResearchWriteError} for a label with a double quote or line break
 */
export function writePajek(graph: Graph): string {
  const index = new Map<string, number>();
  const out: string[] = [`*Vertices ${graph.order}\n`];
  graph.forEachNode((node, attributes) => {
    index.set(node, index.size + 1);
    let line = `${index.size} ${quoteLabel(nodeLabel(graph, node), node)}`;
    if (typeof attributes.x === 'number' && typeof attributes.y === 'number') {
      line += ` ${formatNumber(attributes.x)} ${formatNumber(attributes.y)}`;
      if (typeof attributes.z === 'number') line += ` ${formatNumber(attributes.z)}`;
    }
    if (typeof attributes.shape === 'string' && SHAPES.has(attributes.shape)) line += ` ${attributes.shape}`;
    if (typeof attributes.pajek === 'string' && attributes.pajek !== '')
      line += ` ${attributes.pajek.replace(/[\r\n]+/g, ' ')}`;
    out.push(`${line}\n`);
  });
  const weighted = graph.someEdge((_e, attributes) => typeof attributes.weight === 'number');
  const arcs: string[] = [];
  const plain: string[] = [];
  graph.forEachEdge((_edge, attributes, source, target, _sa, _ta, undirected) => {
    let line = `${index.get(source)} ${index.get(target)}`;
    const extra =
      typeof attributes.pajek === 'string' && attributes.pajek !== '' ? attributes.pajek.replace(/[\r\n]+/g, ' ') : '';
    // A weight slot must precede drawing parameters, so write 1 if the edge has none.
    if (weighted || extra) line += ` ${formatNumber(typeof attributes.weight === 'number' ? attributes.weight : 1)}`;
    if (extra) line += ` ${extra}`;
    (undirected ? plain : arcs).push(`${line}\n`);
  });
  if (graph.type !== 'undirected') out.push('*Arcs\n', ...arcs);
  if (graph.type !== 'directed') out.push('*Edges\n', ...plain);
  return out.join('');
}
