/**
 * GraphML read and write.
 *
 * We read the DOM ourselves rather than through graphology-graphml 0.5.2,
 * which silently upgrades to a multigraph on duplicate edges, throws raw
 * errors (duplicate node, unknown endpoint), gives no line numbers, and has no
 * writer. xmldom (its own DOM dependency) is still what parses the XML.
 */
import type Graph from 'graphology';
import type { Element } from '@xmldom/xmldom';
import {
  GraphBuilder,
  graphTypeOf,
  IssueLog,
  isForbiddenName,
  newAttributes,
  parseStrictNumber,
  type Attributes,
  type ResearchParseResult,
} from './common.js';
import {
  attribute,
  childElements,
  directText,
  escapeXml,
  lineOf,
  valueText,
  widen,
  xmlRoot,
  type XmlValueType,
} from './xml.js';

type KeyDomain = 'node' | 'edge' | 'graph' | 'all';
type KeyType = 'boolean' | 'int' | 'long' | 'float' | 'double' | 'string';

interface KeySpec {
  name: string;
  domain: KeyDomain;
  type: KeyType;
  default?: string;
  line: number;
}

const KEY_TYPES = new Set<string>(['boolean', 'int', 'long', 'float', 'double', 'string']);

/** Casts a data value per its declared type; undefined (with an issue) if it does not fit. */
function castValue(spec: KeySpec, raw: string, log: IssueLog, line: number, field: string): unknown {
  if (spec.type === 'string' && spec.name !== 'weight') return raw;
  if (spec.type === 'boolean') {
    const lower = raw.trim().toLowerCase();
    if (lower === 'true' || lower === 'false') return lower === 'true';
    log.add(line, field, `value ${JSON.stringify(raw)} is not a boolean`);
    return undefined;
  }
  // Numeric types, and `weight` whatever its declared type (the convention wants a number).
  const value = parseStrictNumber(raw);
  if (value === undefined)
    log.add(line, field, `${spec.name === 'weight' ? 'weight' : 'value'} ${JSON.stringify(raw)} is not a number`);
  else if ((spec.type === 'int' || spec.type === 'long') && !Number.isInteger(value)) {
    log.add(line, field, `value ${JSON.stringify(raw)} is not an integer`);
    return undefined;
  }
  return value;
}

/** Reads `<key>` declarations; bad or forbidden names are issues. */
function readKeys(root: Element, log: IssueLog): Map<string, KeySpec> {
  const keys = new Map<string, KeySpec>();
  for (const key of childElements(root, 'key')) {
    const line = lineOf(key);
    const id = attribute(key, 'id');
    const name = attribute(key, 'attr.name') ?? id;
    const domain = (attribute(key, 'for') ?? 'all') as KeyDomain;
    const type = attribute(key, 'attr.type') ?? 'string';
    if (id === undefined || id === '') {
      log.add(line, 'key/@id', 'key without an id');
      continue;
    }
    if (keys.has(id)) {
      log.add(line, 'key/@id', `duplicate key id ${JSON.stringify(id)}`);
      continue;
    }
    if (name === undefined || isForbiddenName(name) || isForbiddenName(id)) {
      log.add(line, 'key/@attr.name', `attribute name ${JSON.stringify(name)} is not allowed`);
      continue;
    }
    if (!['node', 'edge', 'graph', 'all'].includes(domain)) {
      // Hyperedge, port and endpoint data have no place in our graph model; say so instead of skipping.
      log.warn(line, 'key/@for', `data for ${JSON.stringify(domain)} elements is not read`);
    }
    if (!KEY_TYPES.has(type)) {
      log.add(line, 'key/@attr.type', `unknown attribute type ${JSON.stringify(type)}`);
      continue;
    }
    const defaults = childElements(key, 'default');
    const spec: KeySpec = { name, domain, type: type as KeyType, line };
    if (defaults[0]) spec.default = directText(defaults[0]);
    keys.set(id, spec);
  }
  return keys;
}

/** Collects an element's `<data>` children (with declared defaults) into attributes. */
function readData(
  element: Element,
  domain: 'node' | 'edge' | 'graph',
  keys: Map<string, KeySpec>,
  log: IssueLog,
): Attributes {
  const attributes = newAttributes();
  for (const data of childElements(element, 'data')) {
    const line = lineOf(data);
    const keyId = attribute(data, 'key') ?? '';
    const spec = keys.get(keyId);
    if (!spec) {
      log.add(line, 'data/@key', `data refers to undeclared key ${JSON.stringify(keyId)}`);
      continue;
    }
    if (spec.domain !== domain && spec.domain !== 'all') {
      log.add(line, 'data/@key', `key ${JSON.stringify(keyId)} is declared for ${spec.domain}, used on ${domain}`);
      continue;
    }
    if (childElements(data).length > 0) {
      log.warn(line, 'data', `structured data under key ${JSON.stringify(keyId)} is read as its text only`);
    }
    if (spec.name in attributes) {
      log.add(line, 'data/@key', `attribute ${JSON.stringify(spec.name)} given twice`);
      continue;
    }
    const value = castValue(spec, directText(data), log, line, `data[@key=${keyId}]`);
    if (value !== undefined) attributes[spec.name] = value;
  }
  for (const spec of keys.values()) {
    if ((spec.domain === domain || spec.domain === 'all') && spec.default !== undefined && !(spec.name in attributes)) {
      const value = castValue(spec, spec.default, log, spec.line, 'key/default');
      if (value !== undefined) attributes[spec.name] = value;
    }
  }
  return attributes;
}

/**
 * igraph writes node ids n0, n1, … (its vertex indices, renumbered on every
 * write) and the names in a `name` attribute under key `v_name`. When a file
 * declares that key and every node has a name, none repeated, the names are
 * the node ids and the n0… ids are not kept (they carry nothing); otherwise
 * the ids stay, with a warning. Returns the map from file id to node id.
 */
function igraphNames(
  keys: Map<string, KeySpec>,
  nodes: { id: string; attributes: Attributes; line: number }[],
  log: IssueLog,
): (id: string) => string {
  const spec = keys.get(IGRAPH_NAME_KEY);
  const keep = (id: string): string => id;
  if (spec === undefined || spec.name !== 'name' || spec.domain !== 'node') return keep;
  const names = new Map<string, string>();
  const seen = new Set<string>();
  for (const { id, attributes, line } of nodes) {
    const name = attributes.name;
    const problem =
      typeof name !== 'string' || name === ''
        ? `node ${JSON.stringify(id)} has no igraph name`
        : seen.has(name)
          ? `igraph name ${JSON.stringify(name)} is given to more than one node`
          : undefined;
    if (problem !== undefined) {
      log.warn(line, `data[@key=${IGRAPH_NAME_KEY}]`, `${problem}; nodes keep their GraphML ids (n0, n1, …)`);
      return keep;
    }
    seen.add(name as string);
    names.set(id, name as string);
  }
  for (const { attributes } of nodes) delete attributes.name;
  return (id) => names.get(id) ?? id;
}

/** The key igraph's write_graphml gives its vertex `name` attribute. */
const IGRAPH_NAME_KEY = 'v_name';

/** Parses a GraphML document into a graph, or every issue found. */
export function parseGraphML(text: string, file: string): ResearchParseResult {
  const log = new IssueLog(file);
  const fail = (): ResearchParseResult => log.failure();
  const root = xmlRoot(text, log, 'graphml');
  if (!root) return fail();
  const keys = readKeys(root, log);
  const graphs = childElements(root, 'graph');
  const graphElement = graphs[0];
  if (!graphElement) {
    log.add(lineOf(root), 'graphml', 'no <graph> element');
    return fail();
  }
  for (const extra of graphs.slice(1))
    log.add(lineOf(extra), 'graph', 'more than one <graph>; only single-graph files are supported');

  // GraphML requires edgedefault; when it is missing we follow NetworkX and graphology (undirected) and say so.
  const declaredDefault = attribute(graphElement, 'edgedefault');
  if (declaredDefault === undefined)
    log.warn(lineOf(graphElement), 'graph/@edgedefault', 'edgedefault missing; edges read as undirected');
  const edgeDefault = declaredDefault ?? 'undirected';
  if (edgeDefault !== 'directed' && edgeDefault !== 'undirected') {
    log.add(
      lineOf(graphElement),
      'graph/@edgedefault',
      `edgedefault must be "directed" or "undirected", not ${JSON.stringify(edgeDefault)}`,
    );
    return fail();
  }
  const nodes = childElements(graphElement, 'node');
  const edges = childElements(graphElement, 'edge');
  for (const other of childElements(graphElement)) {
    if (!['node', 'edge', 'data', 'desc'].includes(other.localName ?? '')) {
      log.add(lineOf(other), other.localName ?? other.tagName, `<${other.tagName}> is not supported`);
    }
  }

  // Per-edge `directed` decides whether the graph is directed, undirected or mixed.
  const directions = edges.map((edge) => {
    const flag = attribute(edge, 'directed');
    if (flag === undefined) return edgeDefault === 'directed';
    if (flag !== 'true' && flag !== 'false')
      log.add(lineOf(edge), 'edge/@directed', `directed must be "true" or "false", not ${JSON.stringify(flag)}`);
    return flag === 'true';
  });
  const type = graphTypeOf(directions, edgeDefault);
  const builder = new GraphBuilder(log, type);

  const graphAttributes = readData(graphElement, 'graph', keys, log);
  const nodeData = nodes.map((node) => {
    const line = lineOf(node);
    if (childElements(node, 'graph').length > 0) log.add(line, 'node/graph', 'nested graphs are not supported');
    if (childElements(node, 'port').length > 0) log.warn(line, 'node/port', 'ports are not read');
    const attributes = readData(node, 'node', keys, log);
    if (attributes.label !== undefined && typeof attributes.label !== 'string')
      attributes.label = String(attributes.label);
    return { id: attribute(node, 'id') ?? '', attributes, line };
  });
  const idOf = igraphNames(keys, nodeData, log);
  for (const { id, attributes, line } of nodeData) builder.addNode(idOf(id), attributes, line, 'node/@id');
  let weighted = false;
  for (const spec of keys.values())
    if (spec.name === 'weight' && (spec.domain === 'edge' || spec.domain === 'all')) weighted = true;
  edges.forEach((edge, index) => {
    const attributes = readData(edge, 'edge', keys, log);
    const fields = { source: 'edge/@source', target: 'edge/@target', key: 'edge/@id' };
    builder.addEdge(
      idOf(attribute(edge, 'source') ?? ''),
      idOf(attribute(edge, 'target') ?? ''),
      directions[index] as boolean,
      attributes,
      lineOf(edge),
      fields,
      attribute(edge, 'id'),
    );
  });
  return builder.finish('graphml', weighted, graphAttributes);
}

/** Graph attributes that describe the parse, not the network; not written back. */
const DERIVED_GRAPH_ATTRIBUTES = new Set(['format', 'weighted', 'directed']);

/**
 * Writes a graph as GraphML. Every attribute gets a `<key>` typed from the
 * values seen (long/double/boolean/string; objects as JSON strings). Mixed
 * graphs use edgedefault="undirected" with directed="true" on arcs.
 *
 * @throws {ResearchWriteError} if a value holds a character XML cannot carry
 */
export function writeGraphML(graph: Graph): string {
  const domains = {
    graph: new Map<string, XmlValueType>(),
    node: new Map<string, XmlValueType>(),
    edge: new Map<string, XmlValueType>(),
  };
  const note = (map: Map<string, XmlValueType>, attributes: Record<string, unknown>, skip?: Set<string>): void => {
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || skip?.has(name)) continue;
      map.set(name, widen(map.get(name), value));
    }
  };
  note(domains.graph, graph.getAttributes(), DERIVED_GRAPH_ATTRIBUTES);
  graph.forEachNode((_n, attributes) => note(domains.node, attributes));
  graph.forEachEdge((_e, attributes) => note(domains.edge, attributes));

  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n',
  ];
  const keyIds = { graph: new Map<string, string>(), node: new Map<string, string>(), edge: new Map<string, string>() };
  for (const domain of ['graph', 'node', 'edge'] as const) {
    let index = 0;
    for (const [name, kind] of domains[domain]) {
      const id = `${domain[0]}${index++}`;
      keyIds[domain].set(name, id);
      out.push(
        `  <key id="${id}" for="${domain}" attr.name="${escapeXml(name, `${domain} attribute name`)}" attr.type="${kind}"/>\n`,
      );
    }
  }
  const dataLines = (
    domain: 'graph' | 'node' | 'edge',
    attributes: Record<string, unknown>,
    indent: string,
    where: string,
  ): string => {
    let text = '';
    for (const [name, id] of keyIds[domain]) {
      const value = attributes[name];
      if (value === undefined || value === null) continue;
      text += `${indent}<data key="${id}">${escapeXml(valueText(value), `${where} attribute ${name}`)}</data>\n`;
    }
    return text;
  };
  const edgeDefault = graph.type === 'directed' ? 'directed' : 'undirected';
  out.push(`  <graph edgedefault="${edgeDefault}">\n`);
  out.push(dataLines('graph', graph.getAttributes(), '    ', 'graph'));
  graph.forEachNode((node, attributes) => {
    const id = escapeXml(node, 'node id');
    const data = dataLines('node', attributes, '      ', `node ${node}`);
    out.push(data ? `    <node id="${id}">\n${data}    </node>\n` : `    <node id="${id}"/>\n`);
  });
  graph.forEachEdge((edge, attributes, source, target, _sa, _ta, undirected) => {
    const flag = graph.type === 'mixed' && !undirected ? ' directed="true"' : '';
    const head = `    <edge id="${escapeXml(edge, 'edge id')}" source="${escapeXml(source, 'edge source')}" target="${escapeXml(target, 'edge target')}"${flag}`;
    const data = dataLines('edge', attributes, '      ', `edge ${edge}`);
    out.push(data ? `${head}>\n${data}    </edge>\n` : `${head}/>\n`);
  });
  out.push('  </graph>\n</graphml>\n');
  return out.join('');
}
