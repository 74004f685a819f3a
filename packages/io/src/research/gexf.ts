/**
 * GEXF (1.1–1.3) read and write.
 *
 * graphology-gexf 0.13's parser silently turns a graph into a multigraph on
 * a duplicate edge, picks the graph type from the first edge only and throws
 * raw errors without line numbers; its writer (via xml-writer) passes control
 * characters through into invalid XML. So we read the xmldom DOM ourselves
 * and write with the shared escaper.
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

interface AttributeSpec {
  title: string;
  type: string;
  default?: string;
  line: number;
}

const NUMERIC_TYPES = new Set(['integer', 'long', 'float', 'double', 'short', 'byte', 'bigdecimal', 'biginteger']);

/** Converts an attvalue per its declared type (lists and dates stay strings). */
function castValue(spec: AttributeSpec, raw: string, log: IssueLog, line: number): unknown {
  const type = spec.type.toLowerCase();
  if (NUMERIC_TYPES.has(type)) {
    const value = parseStrictNumber(raw);
    if (value === undefined)
      log.add(line, `attvalue[@for=${spec.title}]`, `value ${JSON.stringify(raw)} is not a number`);
    return value;
  }
  if (type === 'boolean') {
    const lower = raw.trim().toLowerCase();
    if (lower === 'true' || lower === 'false') return lower === 'true';
    log.add(line, `attvalue[@for=${spec.title}]`, `value ${JSON.stringify(raw)} is not a boolean`);
    return undefined;
  }
  return raw;
}

/** Reads `<attributes class="node|edge">` declarations into id -> spec maps. */
function readModels(
  graphElement: Element,
  log: IssueLog,
): { node: Map<string, AttributeSpec>; edge: Map<string, AttributeSpec> } {
  const models = { node: new Map<string, AttributeSpec>(), edge: new Map<string, AttributeSpec>() };
  for (const block of childElements(graphElement, 'attributes')) {
    const cls = attribute(block, 'class');
    if (cls !== 'node' && cls !== 'edge') {
      log.add(
        lineOf(block),
        'attributes/@class',
        `attribute class must be "node" or "edge", not ${JSON.stringify(cls)}`,
      );
      continue;
    }
    if (attribute(block, 'mode') === 'dynamic')
      log.warn(lineOf(block), 'attributes/@mode', 'dynamic attributes are read without their time spans');
    for (const element of childElements(block, 'attribute')) {
      const line = lineOf(element);
      const id = attribute(element, 'id') ?? '';
      const title = attribute(element, 'title') ?? id;
      if (id === '') {
        log.add(line, 'attribute/@id', 'attribute without an id');
        continue;
      }
      if (isForbiddenName(title) || isForbiddenName(id)) {
        log.add(line, 'attribute/@title', `attribute name ${JSON.stringify(title)} is not allowed`);
        continue;
      }
      if (models[cls].has(id)) {
        log.add(line, 'attribute/@id', `duplicate attribute id ${JSON.stringify(id)}`);
        continue;
      }
      const spec: AttributeSpec = { title, type: attribute(element, 'type') ?? 'string', line };
      const defaults = childElements(element, 'default');
      if (defaults[0]) spec.default = directText(defaults[0]);
      models[cls].set(id, spec);
    }
  }
  return models;
}

/** Reads `<attvalues>` plus declared defaults into an attribute bag that already holds the native ones. */
function readAttValues(
  element: Element,
  model: Map<string, AttributeSpec>,
  attributes: Attributes,
  log: IssueLog,
): void {
  const given = new Set<string>();
  for (const block of childElements(element, 'attvalues')) {
    for (const value of childElements(block, 'attvalue')) {
      const line = lineOf(value);
      const id = attribute(value, 'for') ?? attribute(value, 'id') ?? '';
      const spec = model.get(id);
      if (!spec) {
        log.add(line, 'attvalue/@for', `value for undeclared attribute ${JSON.stringify(id)}`);
        continue;
      }
      if (spec.title in attributes) {
        log.add(
          line,
          'attvalue/@for',
          `attribute ${JSON.stringify(spec.title)} given twice (or clashes with a built-in GEXF attribute)`,
        );
        continue;
      }
      const cast = castValue(spec, attribute(value, 'value') ?? '', log, line);
      if (cast !== undefined) attributes[spec.title] = cast;
      given.add(id);
    }
  }
  for (const [id, spec] of model) {
    if (given.has(id) || spec.default === undefined || spec.title in attributes) continue;
    const cast = castValue(spec, spec.default, log, spec.line);
    if (cast !== undefined) attributes[spec.title] = cast;
  }
}

/** Reads the viz: children we keep (position, size, colour, shape). */
function readViz(element: Element, attributes: Attributes, log: IssueLog): void {
  for (const viz of childElements(element)) {
    const name = viz.localName;
    const line = lineOf(viz);
    const number = (attr: string): number | undefined => {
      const raw = attribute(viz, attr);
      if (raw === undefined) return undefined;
      const value = parseStrictNumber(raw);
      if (value === undefined) log.add(line, `${viz.tagName}/@${attr}`, `value ${JSON.stringify(raw)} is not a number`);
      return value;
    };
    if (name === 'position') {
      for (const axis of ['x', 'y', 'z']) {
        const value = number(axis);
        if (value !== undefined) attributes[axis] = value;
      }
    } else if (name === 'size') {
      const value = number('value');
      if (value !== undefined) attributes.size = value;
    } else if (name === 'color') {
      const hex = attribute(viz, 'hex');
      const [r, g, b, a] = ['r', 'g', 'b', 'a'].map((c) => attribute(viz, c));
      attributes.color = hex ?? (a !== undefined ? `rgba(${r},${g},${b},${a})` : `rgb(${r},${g},${b})`);
    } else if (name === 'shape') {
      const value = attribute(viz, 'value');
      if (value !== undefined) attributes.shape = value;
    }
  }
}

/** Parses a GEXF document into a graph, or every issue found. */
export function parseGexf(text: string, file: string): ResearchParseResult {
  const log = new IssueLog(file);
  const fail = (): ResearchParseResult => log.failure();
  const root = xmlRoot(text, log, 'gexf');
  if (!root) return fail();
  const graphElement = childElements(root, 'graph')[0];
  if (!graphElement) {
    log.add(lineOf(root), 'gexf', 'no <graph> element');
    return fail();
  }
  const defaultType = attribute(graphElement, 'defaultedgetype') ?? 'undirected';
  if (!['directed', 'undirected', 'mutual'].includes(defaultType)) {
    log.add(lineOf(graphElement), 'graph/@defaultedgetype', `unknown edge type ${JSON.stringify(defaultType)}`);
    return fail();
  }
  if (attribute(graphElement, 'mode') === 'dynamic')
    log.warn(lineOf(graphElement), 'graph/@mode', 'dynamic graph read without its time spans');
  const models = readModels(graphElement, log);
  const nodes = childElements(graphElement, 'nodes').flatMap((block) => childElements(block, 'node'));
  const edges = childElements(graphElement, 'edges').flatMap((block) => childElements(block, 'edge'));

  // "mutual" is an undirected tie for our purposes.
  const directions = edges.map((edge) => {
    const type = attribute(edge, 'type') ?? defaultType;
    if (!['directed', 'undirected', 'mutual'].includes(type))
      log.add(lineOf(edge), 'edge/@type', `unknown edge type ${JSON.stringify(type)}`);
    return type === 'directed';
  });
  const type = graphTypeOf(directions, defaultType === 'directed' ? 'directed' : 'undirected');
  const builder = new GraphBuilder(log, type);

  for (const node of nodes) {
    const line = lineOf(node);
    if (childElements(node, 'nodes').length > 0)
      log.add(line, 'node/nodes', 'hierarchical (nested) nodes are not supported');
    const attributes = newAttributes();
    const label = attribute(node, 'label');
    if (label !== undefined) attributes.label = label;
    readAttValues(node, models.node, attributes, log);
    readViz(node, attributes, log);
    builder.addNode(attribute(node, 'id') ?? '', attributes, line, 'node/@id');
  }
  let weighted = false;
  edges.forEach((edge, index) => {
    const line = lineOf(edge);
    const attributes = newAttributes();
    const rawWeight = attribute(edge, 'weight');
    if (rawWeight !== undefined) {
      const weight = parseStrictNumber(rawWeight);
      if (weight === undefined) {
        log.add(line, 'edge/@weight', `weight ${JSON.stringify(rawWeight)} is not a number`);
        return;
      }
      attributes.weight = weight;
      weighted = true;
    }
    const label = attribute(edge, 'label');
    if (label !== undefined) attributes.label = label;
    const kind = attribute(edge, 'kind');
    if (kind !== undefined) attributes.kind = kind;
    readAttValues(edge, models.edge, attributes, log);
    readViz(edge, attributes, log);
    const fields = { source: 'edge/@source', target: 'edge/@target', key: 'edge/@id' };
    builder.addEdge(
      attribute(edge, 'source') ?? '',
      attribute(edge, 'target') ?? '',
      directions[index] as boolean,
      attributes,
      line,
      fields,
      attribute(edge, 'id'),
    );
  });
  // GEXF's weight defaults to 1.0, so in a weighted file an edge without one weighs 1.
  if (weighted && log.issues.length === 0) {
    builder.graph.forEachEdge((edge, attributes) => {
      if (attributes.weight === undefined) builder.graph.setEdgeAttribute(edge, 'weight', 1);
    });
  }
  return builder.finish('gexf', weighted);
}

/**
 * Writes a graph as GEXF 1.3. Node `label` and edge `weight`/`label` use the
 * native GEXF attributes; everything else (viz coordinates included) is
 * declared under `<attributes>` and written as `<attvalue>`s. An edge `kind`
 * too: networkx's read_gexf drops GEXF's native `kind` (the reader here takes
 * either).
 *
 * GEXF has no graph attributes: `options.description` (a document marking,
 * say) goes in `<meta>` as the description.
 *
 * @throws {ResearchWriteError} if a value holds a character XML cannot carry
 */
export function writeGexf(graph: Graph, options: { description?: string } = {}): string {
  const nativeNode = new Set(['label']);
  const nativeEdge = new Set(['weight', 'label']);
  const nodeModel = new Map<string, XmlValueType>();
  const edgeModel = new Map<string, XmlValueType>();
  graph.forEachNode((_n, attributes) => {
    for (const [name, value] of Object.entries(attributes)) {
      if (!nativeNode.has(name) && value !== undefined && value !== null)
        nodeModel.set(name, widen(nodeModel.get(name), value));
    }
  });
  graph.forEachEdge((_e, attributes) => {
    for (const [name, value] of Object.entries(attributes)) {
      // A non-numeric weight cannot go in GEXF's native weight; keep it as an ordinary attribute.
      const native = nativeEdge.has(name) && (name !== 'weight' || typeof value === 'number');
      if (!native && value !== undefined && value !== null) edgeModel.set(name, widen(edgeModel.get(name), value));
    }
  });
  const ids = (model: Map<string, XmlValueType>): Map<string, string> =>
    new Map([...model.keys()].map((name, i) => [name, String(i)]));
  const nodeIds = ids(nodeModel);
  const edgeIds = ids(edgeModel);
  const model = (cls: string, types: Map<string, XmlValueType>, idMap: Map<string, string>): string => {
    if (types.size === 0) return '';
    let text = `    <attributes class="${cls}">\n`;
    for (const [name, kind] of types) {
      text += `      <attribute id="${idMap.get(name)}" title="${escapeXml(name, `${cls} attribute name`)}" type="${kind}"/>\n`;
    }
    return `${text}    </attributes>\n`;
  };
  const attvalues = (
    attributes: Record<string, unknown>,
    idMap: Map<string, string>,
    where: string,
    isEdge: boolean,
  ): string => {
    let text = '';
    for (const [name, id] of idMap) {
      const value = attributes[name];
      if (value === undefined || value === null || (isEdge && name === 'weight' && typeof value === 'number')) continue;
      text += `          <attvalue for="${id}" value="${escapeXml(valueText(value), `${where} attribute ${name}`)}"/>\n`;
    }
    return text ? `        <attvalues>\n${text}        </attvalues>\n` : '';
  };

  const defaultType = graph.type === 'directed' ? 'directed' : 'undirected';
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<gexf xmlns="http://gexf.net/1.3" version="1.3">\n',
    '  <meta>\n    <creator>ocgnet</creator>\n',
    options.description !== undefined
      ? `    <description>${escapeXml(options.description, 'description')}</description>\n`
      : '',
    '  </meta>\n',
    `  <graph defaultedgetype="${defaultType}" mode="static">\n`,
    model('node', nodeModel, nodeIds),
    model('edge', edgeModel, edgeIds),
    '    <nodes>\n',
  ];
  graph.forEachNode((node, attributes) => {
    const label = typeof attributes.label === 'string' ? attributes.label : node;
    const head = `      <node id="${escapeXml(node, 'node id')}" label="${escapeXml(label, `node ${node} label`)}"`;
    const body = attvalues(attributes, nodeIds, `node ${node}`, false);
    out.push(body ? `${head}>\n${body}      </node>\n` : `${head}/>\n`);
  });
  out.push('    </nodes>\n    <edges>\n');
  graph.forEachEdge((edge, attributes, source, target, _sa, _ta, undirected) => {
    let head = `      <edge id="${escapeXml(edge, 'edge id')}" source="${escapeXml(source, 'edge source')}" target="${escapeXml(target, 'edge target')}"`;
    if (graph.type === 'mixed' && !undirected) head += ' type="directed"';
    if (typeof attributes.weight === 'number') head += ` weight="${attributes.weight}"`;
    if (attributes.label !== undefined)
      head += ` label="${escapeXml(valueText(attributes.label), `edge ${edge} label`)}"`;
    const body = attvalues(attributes, edgeIds, `edge ${edge}`, true);
    out.push(body ? `${head}>\n${body}      </edge>\n` : `${head}/>\n`);
  });
  out.push('    </edges>\n  </graph>\n</gexf>\n');
  return out.join('');
}
