/**
 * What the fuzzer runs: one target per input format, each with valid seed
 * inputs from fixtures/ (the small synthetic town, and the smallest public
 * networks), a dictionary of tokens that matter to the format, and the reader
 * run on a set of (mutated) files fed as chunks.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { InputIssue } from '@ocgnet/schema';
import {
  RecordCollector,
  entitiesCsvLines,
  graphFileHeader,
  linksCsvLines,
  parseEdgeListFast,
  parseResearchGraph,
  readRecordCsv,
  readRecordJson,
  readRecordNdjson,
  recordNdjsonLines,
  researchGraphFileLines,
  writeDl,
} from '../../src/index.js';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..', '..');
const NETWORKS = join(REPO_ROOT, 'fixtures', 'networks');
const SMALL = join(REPO_ROOT, 'fixtures', 'small');

/** One input file of a case. */
export interface InputFile {
  name: string;
  bytes: Uint8Array;
}

/** What a reader made of a case: accepted (with what it kept, as text) or rejected with its issues. */
export interface Outcome {
  accepted: boolean;
  issues: InputIssue[];
  /** What was accepted (records, or the graph), as JSON text: checked for what must never get in. */
  kept: string;
}

/** Where the XML targets point their external entities: a file holding the canary, and a local HTTP server. */
export interface Canary {
  file: string;
  token: string;
  url: string;
}

export interface Target {
  name: string;
  /** Valid inputs: each a set of files (e.g. entities.csv with its links.csv). */
  seeds: InputFile[][];
  /** Tokens the mutations insert: structure of the format, names it reserves, hostile values. */
  dictionary: Uint8Array[];
  /** Is the format XML (so a DOCTYPE with external entities is worth inserting)? */
  xml: boolean;
  /** Runs the reader on the files, each fed as the given chunks. */
  run(files: { name: string; chunks: Uint8Array[] }[]): Promise<Outcome>;
}

const encoder = new TextEncoder();
const bytesOf = (text: string): Uint8Array => encoder.encode(text);
const file = (name: string, text: string | Uint8Array): InputFile => ({
  name,
  bytes: typeof text === 'string' ? bytesOf(text) : text,
});
const read = (...path: string[]): Uint8Array => new Uint8Array(readFileSync(join(...path)));

/** The networks whose files seed the research targets: small, and between them every feature the readers handle. */
const SEED_NETWORKS = ['florentine-families', 'togo', 'karate-club', 'siren'];

/** Tokens that matter to every format: breaks, quotes, numbers at the edges, reserved names, bytes that are not UTF-8. */
const COMMON_TOKENS: (string | number[])[] = [
  '"',
  '""',
  ',',
  '\n',
  '\r\n',
  '\r',
  '\t',
  ' ',
  '\u0000',
  '\\',
  '\uFEFF',
  'é',
  '😀',
  '\u2028',
  '-1',
  '0',
  '-0',
  '1e309',
  '-1e309',
  '1e-400',
  'NaN',
  'Infinity',
  '123456789012345678901234567890',
  '0x10',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  [0xff],
  [0xe9],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0xf4, 0x90, 0x80, 0x80],
  [0xef, 0xbb, 0xbf],
];

const CSV_TOKENS = [
  'id',
  'kind',
  'label',
  'type',
  'from',
  'to',
  'source',
  'target',
  'weight',
  'schema_version',
  'attributes',
  'person',
  'ocg',
  'member_of',
  'associate',
  'principal',
  '3x5x2',
  'C',
  'P',
  'B24',
  '2024-02-30',
  '"a,b"',
  '"x""y"',
  '"\n"',
  ',,,,',
  'true',
  'maybe',
];
const JSON_TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ':',
  '"__proto__":{"polluted":true},',
  '"constructor":{"prototype":{"polluted":true}},',
  '{"entity":',
  '{"link":',
  '"schema_version":2,',
  '\\ud800',
  '\\u0000',
  '"attributes":[{"name":"__proto__","value":1,"grading":{"system":"5x5x5","recorded":"A1"}}],',
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
  'null',
  '1e400',
  '"\\uDC80"',
];
const XML_TOKENS = [
  '<',
  '>',
  '/>',
  '</',
  '<![CDATA[x]]>',
  '<!--',
  '-->',
  '&amp;',
  '&#0;',
  '&#xD800;',
  '&lt;',
  '&undefined;',
  '<node id="n"/>',
  '<edge source="a" target="b"/>',
  '<data key="weight">1e309</data>',
  '<key id="d0" for="node" attr.name="__proto__"/>',
  '<attvalue for="0" value="constructor"/>',
  'xmlns:x="urn:x"',
  '<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>',
  '<?xml version="1.0" encoding="ISO-8859-1"?>',
];
const PAJEK_TOKENS = [
  '*Vertices 999999999',
  '*Vertices 3',
  '*Vertices 2 1',
  '*Arcs',
  '*Edges',
  '*Arcslist',
  '*Edgeslist',
  '*Network x',
  '*Partition',
  '*Arcs :2 "r"',
  '1 2 1e309',
  '0 1',
  '"unterminated',
];
const DL_TOKENS = [
  'dl n=999999999',
  'dl n=3',
  'format=fullmatrix',
  'format=edgelist1',
  'labels:',
  'labels embedded:',
  'data:',
  'diagonal=absent',
  'nm=2',
  'row labels:',
  'col labels:',
  'nr=2 nc=3',
  'matrix labels:',
];

const dictionary = (...lists: (string | number[])[][]): Uint8Array[] =>
  lists.flat().map((token) => (typeof token === 'string' ? bytesOf(token) : Uint8Array.from(token)));

/** Feeds chunks to a reader as an async iterable, as a file stream would. */
async function* stream(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

/** A subset of the small synthetic town: a few entities of every kind and the links among them. */
async function townRecords(): Promise<{ entities: unknown[]; links: unknown[] }> {
  const collector = new RecordCollector();
  for (const name of ['entities.csv', 'links.csv']) await readRecordCsv([read(SMALL, name)], name, collector);
  const outcome = collector.finish();
  if (!outcome.ok) throw new Error('the small fixture does not import');
  const byKind = new Map<string, number>();
  const entities = outcome.records.entities.filter((entity) => {
    const seen = byKind.get(entity.kind) ?? 0;
    byKind.set(entity.kind, seen + 1);
    return seen < (entity.kind === 'person' ? 3 : 1);
  });
  const ids = new Set(entities.map((entity) => entity.id));
  const links = outcome.records.links.filter((link) => ids.has(link.from) && ids.has(link.to)).slice(0, 6);
  return { entities, links };
}

/** Outcome of the record readers. */
function recordOutcome(collector: RecordCollector, graph?: { export(): unknown }): Outcome {
  const outcome = collector.finish();
  if (!outcome.ok) return { accepted: false, issues: outcome.issues, kept: '' };
  return { accepted: true, issues: [], kept: JSON.stringify(graph ? graph.export() : outcome.records) };
}

/** Builds every target. */
export async function buildTargets(): Promise<Target[]> {
  const town = await townRecords();
  type R = Parameters<typeof entitiesCsvLines>[0];
  const entitiesCsv = [...entitiesCsvLines(town.entities as R)].join('');
  const linksCsv = [...linksCsvLines(town.links as Parameters<typeof linksCsvLines>[0])].join('');
  const ndjson = [...recordNdjsonLines(town as { entities: R; links: Parameters<typeof linksCsvLines>[0] })].join('');
  const json = JSON.stringify({ schema_version: 1, entities: town.entities, links: town.links }, null, 1);
  const networks = await Promise.all(
    SEED_NETWORKS.map(async (name) => {
      const result = await parseResearchGraph([read(NETWORKS, name, 'graph.graphml')], 'graph.graphml');
      if (!result.ok) throw new Error(`${name} does not read`);
      return { name, graph: result.graph };
    }),
  );
  // graphology keys edges added without a key at random: number them, so the seeds (and so every case) are the same on every run.
  const graphFile = networks.slice(0, 2).map(({ graph }) => {
    let edges = 0;
    return [...researchGraphFileLines(graph, graphFileHeader({ model: 'research', inputs: [] }))]
      .map((line) => {
        const value = JSON.parse(line) as { edge?: { id: string } };
        if (value.edge === undefined) return line;
        value.edge.id = `e${edges++}`;
        return `${JSON.stringify(value)}\n`;
      })
      .join('');
  });
  const researchSeeds = (fileName: string): InputFile[][] =>
    SEED_NETWORKS.map((name) => [file(fileName, read(NETWORKS, name, fileName))]);

  const research = (name: string, fileName: string, format: string, tokens: string[], xml = false): Target => ({
    name,
    seeds: researchSeeds(fileName),
    dictionary: dictionary(COMMON_TOKENS, tokens),
    xml,
    async run([input]) {
      const result = await parseResearchGraph(stream(input!.chunks), input!.name, { format });
      return result.ok
        ? { accepted: true, issues: [], kept: JSON.stringify(result.graph.export()) }
        : { accepted: false, issues: result.issues, kept: '' };
    },
  });

  return [
    {
      name: 'records-csv',
      seeds: [[file('entities.csv', entitiesCsv), file('links.csv', linksCsv)]],
      dictionary: dictionary(COMMON_TOKENS, CSV_TOKENS),
      xml: false,
      async run(files) {
        const collector = new RecordCollector();
        for (const input of files) await readRecordCsv(stream(input.chunks), input.name, collector);
        return recordOutcome(collector);
      },
    },
    {
      name: 'records-json',
      seeds: [[file('records.json', json)]],
      dictionary: dictionary(COMMON_TOKENS, JSON_TOKENS),
      xml: false,
      async run([input]) {
        const collector = new RecordCollector();
        await readRecordJson(stream(input!.chunks), input!.name, collector);
        return recordOutcome(collector);
      },
    },
    {
      name: 'records-ndjson',
      // Records, and an ocgnet graph file of a research network (the same reader).
      seeds: [[file('records.ndjson', ndjson)], ...graphFile.map((text) => [file('graph.ocgnet.ndjson', text)])],
      dictionary: dictionary(COMMON_TOKENS, JSON_TOKENS),
      xml: false,
      async run([input]) {
        const collector = new RecordCollector();
        const content = await readRecordNdjson(stream(input!.chunks), input!.name, collector);
        return recordOutcome(collector, content.model === 'research' ? content.graph : undefined);
      },
    },
    {
      name: 'edgelist-csv',
      seeds: SEED_NETWORKS.map((name) => [
        file('edges.csv', read(NETWORKS, name, 'edges.csv')),
        file('nodes.csv', read(NETWORKS, name, 'nodes.csv')),
      ]),
      dictionary: dictionary(COMMON_TOKENS, CSV_TOKENS),
      xml: false,
      async run([edges, nodes]) {
        const result = await parseResearchGraph(stream(edges!.chunks), edges!.name, {
          format: 'edgelist',
          nodes: { input: stream(nodes!.chunks), file: nodes!.name },
        });
        return result.ok
          ? { accepted: true, issues: [], kept: JSON.stringify(result.graph.export()) }
          : { accepted: false, issues: result.issues, kept: '' };
      },
    },
    {
      name: 'edgelist-plain',
      // Plain lists: "u v w" lines and the same networks' source,target[,weight] CSV, and
      // networkx's {...} data column with quoted labels (edgeLine.ts).
      seeds: [
        ...SEED_NETWORKS.map((name) => {
          const text = new TextDecoder().decode(read(NETWORKS, name, 'edges.csv'));
          return [
            file(
              'edges.txt',
              name === 'karate-club' ? text.split('\n').slice(1).join('\n').replaceAll(',', ' ') : text,
            ),
          ];
        }),
        [
          file(
            'edges.edgelist',
            `1 2 {'weight': 81}\n"Jon Smyth" "Ann ""Lee""" {'weight': 2.5, 'kind': 'call', 'ok': True, 'n': None}\nZoë 王伟 {"note": 'it\\'s \\xe9\\u4e2d'}\n`,
          ),
        ],
      ],
      dictionary: dictionary(COMMON_TOKENS, [
        '#',
        '%',
        'source,target,weight',
        '1 2',
        '16777216 1',
        '0 01',
        '"',
        '{',
        '}',
        "{'weight': ",
        "'kind': 'x', ",
        'True',
        'None',
        '\\x',
        '\\u',
      ]),
      xml: false,
      async run([input]) {
        const result = await parseEdgeListFast(stream(input!.chunks), input!.name);
        return result.ok
          ? {
              accepted: true,
              issues: [],
              kept: JSON.stringify({ ids: result.ids, source: [...result.source], target: [...result.target] }),
            }
          : { accepted: false, issues: result.issues, kept: '' };
      },
    },
    research('graphml', 'graph.graphml', 'graphml', XML_TOKENS, true),
    research('gexf', 'graph.gexf', 'gexf', XML_TOKENS, true),
    research('pajek', 'graph.net', 'pajek', PAJEK_TOKENS),
    {
      ...research('dl', 'graph.dl', 'dl', DL_TOKENS),
      // Both DL layouts: the fixtures' edgelist1, and a full matrix written from one of them.
      seeds: [...researchSeeds('graph.dl'), [file('graph.dl', writeDl(networks[0]!.graph, { format: 'fullmatrix' }))]],
    },
  ];
}
