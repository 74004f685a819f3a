/**
 * Loads whatever the user points at: intelligence records (entities.csv and
 * links.csv, JSON, NDJSON, an ocgnet graph file) or a research network
 * (edge list with node list, GraphML, GEXF, Pajek, UCINET DL), from files or
 * from a folder that holds them. Every file is read as a stream, hashed on
 * the way through for the manifest, and counted for the progress bar.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type Graph from 'graphology';
import { UndirectedGraph } from 'graphology';
import { InputError, type InputIssue, type RecordSet } from '@ocgnet/schema';
import {
  CLASSIFY_HEAD_CHARS,
  EMPTY_FILE,
  RecordCollector,
  classifyInput,
  readRecordCsv,
  readRecordJson,
  readRecordNdjson,
  parseResearchGraph,
  parseEdgeListFast,
  isReservedNodeKey,
  parallelEdgesMerged,
  type EdgeArrays,
  type InputClass,
  type InputDigest,
  type RejectedRecord,
  type ResearchFormat,
} from '@ocgnet/io';
import { UsageError } from './errors.js';
import { actorFromFlags, withStore } from './storeAccess.js';
import { isServerLocation, type StoreActor } from '@ocgnet/store';
import { startProgress, type ProgressOptions } from './progress.js';

export type LoadedInput =
  | { model: 'records'; records: RecordSet; rejects: RejectedRecord[]; inputs: InputDigest[]; warnings: InputIssue[] }
  | { model: 'research'; graph: Graph; inputs: InputDigest[]; warnings: InputIssue[]; format: string };

export interface LoadOptions extends ProgressOptions {
  skipInvalid: boolean;
  /** Read the records from this store instead of files (the read is audited there). */
  store?: { location: string; actor: StoreActor };
  /** Files this run has already classified (by {@link largePathInput}): not read again. */
  classified?: readonly ClassifiedFile[];
}

/** An input file and what it is (classifyInput of @ocgnet/io: by extension, and a CSV by its header). */
export type ClassifiedFile = { file: string } & InputClass;

/** The names `ocgnet` gives research formats (in `LoadedInput.format` and the graph file's `source_format`). */
const FORMAT_NAMES: Record<ResearchFormat, string> = {
  graphml: 'graphml',
  gexf: 'gexf',
  pajek: 'pajek',
  'ucinet-dl': 'dl',
  'edgelist-csv': 'edgelist',
  'nodelist-csv': 'nodelist',
};

/** Expands folders: entities.csv + links.csv, or nodes.csv + edges.csv, or a single graph file. */
async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path);
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    const names = new Set(await readdir(path));
    const pick = (...candidates: string[]) =>
      candidates.filter((name) => names.has(name)).map((name) => join(path, name));
    const records = pick('entities.csv', 'links.csv');
    const research = pick('nodes.csv', 'edges.csv');
    const chosen =
      records.length > 0
        ? records
        : research.length > 0
          ? research
          : pick('graph.ocgnet.ndjson', 'records.ndjson', 'records.json');
    if (chosen.length === 0) {
      throw new UsageError(
        `${path}: folder holds none of entities.csv/links.csv, nodes.csv/edges.csv or graph.ocgnet.ndjson; name the file to read`,
      );
    }
    files.push(...chosen);
  }
  return files;
}

/** The start of a file, as much as {@link classifyInput} reads, and whether that is all of it. */
async function headOf(path: string): Promise<{ text: string; whole: boolean }> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(CLASSIFY_HEAD_CHARS), 0, CLASSIFY_HEAD_CHARS, 0);
    return {
      text: new TextDecoder('utf-8').decode(buffer.subarray(0, bytesRead)),
      whole: bytesRead < CLASSIFY_HEAD_CHARS || (await handle.stat()).size === bytesRead,
    };
  } finally {
    await handle.close();
  }
}

/** What a file is: as this run classified it already, else classified now. */
async function classifyFile(path: string, earlier: readonly ClassifiedFile[] = []): Promise<ClassifiedFile> {
  return earlier.find((entry) => entry.file === path) ?? { file: path, ...classifyInput(path, await headOf(path)) };
}

/** A file's classification, or the usage error that says why it cannot be read. */
function readable(entry: ClassifiedFile): ClassifiedFile {
  if (entry.kind === 'unknown') throw new UsageError(`${entry.file}: ${entry.reason}`);
  return entry;
}

/** The issue for an empty input file. */
function emptyFileIssue(file: string): InputIssue {
  return { file, line: 0, field: '', reason: EMPTY_FILE };
}

/**
 * A file as a stream of bytes that updates a digest and a byte counter as it
 * goes. A reader may stop early (a malformed file, a record over the size
 * limit) and a stream may still be reading ahead when it does: once the digest
 * is asked for, the stream hashes nothing more, and the digest reads whatever
 * the reader left from the file itself, so it always covers the whole file and
 * never meets a hash already finished.
 */
function trackedStream(
  path: string,
  onBytes: (count: number) => void,
): { chunks: AsyncIterable<Buffer>; digest: () => Promise<InputDigest> } {
  const hash = createHash('sha256');
  let bytes = 0;
  let open = true;
  async function* chunks() {
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    try {
      for await (const chunk of stream) {
        if (!open) return;
        const buffer = chunk as Buffer;
        hash.update(buffer);
        bytes += buffer.length;
        onBytes(buffer.length);
        yield buffer;
      }
    } finally {
      stream.destroy();
    }
  }
  let digest: Promise<InputDigest> | undefined;
  const finish = async (): Promise<InputDigest> => {
    open = false;
    const size = (await stat(path)).size;
    if (bytes < size) for await (const chunk of createReadStream(path, { start: bytes })) hash.update(chunk as Buffer);
    return { file: path, sha256: hash.digest('hex'), bytes: size };
  };
  return { chunks: chunks(), digest: () => (digest ??= finish()) };
}

/**
 * Loads the inputs, or throws an InputError listing every problem (with
 * `skipInvalid`, bad records come back as rejects instead).
 */
export async function loadInputs(paths: readonly string[], options: LoadOptions): Promise<LoadedInput> {
  if (options.store !== undefined) {
    if (paths.length > 0) throw new UsageError('give input files or --store, not both');
    return loadFromStore(options.store.location, options.store.actor);
  }
  if (paths.length === 0) throw new UsageError('name at least one input file or folder, or --store');
  // A store named as the input (a neo4j:// URI, or an embedded store file) is read like --store.
  if (paths.length === 1 && (await isStoreLocation(paths[0]!))) {
    return loadFromStore(paths[0]!, actorFromFlags({}));
  }
  const files = await expandPaths(paths);
  const roles = await Promise.all(files.map(async (file) => readable(await classifyFile(file, options.classified))));
  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  const progress = startProgress(
    'read',
    sizes.reduce((sum, size) => sum + size, 0),
    'bytes',
    options,
  );
  let done = 0;
  const onBytes = (count: number) => progress.update((done += count));
  try {
    const researchRoles = roles.filter((entry) => entry.kind === 'research' || entry.kind === 'plain-edge-list');
    const empty = roles.filter((entry) => entry.kind === 'empty');
    if (researchRoles.length > 0) {
      if (researchRoles.length + empty.length !== roles.length)
        throw new UsageError('cannot mix intelligence records and a research network in one run');
      if (empty.length > 0) throw new InputError(empty.map((entry) => emptyFileIssue(entry.file)));
      return await loadResearch(roles, onBytes);
    }
    return await loadRecords(roles, options, onBytes);
  } finally {
    progress.stop();
  }
}

async function loadRecords(
  roles: ClassifiedFile[],
  options: LoadOptions,
  onBytes: (count: number) => void,
): Promise<LoadedInput> {
  const collector = new RecordCollector({ skipInvalid: options.skipInvalid });
  const inputs: InputDigest[] = [];
  let research: Graph | undefined;
  for (const entry of roles) {
    if (entry.kind === 'empty') {
      // Its records are unknown: links are not reported as missing the entities it may have been meant to hold.
      collector.addFileIssue(emptyFileIssue(entry.file), { incomplete: true });
      continue;
    }
    const { chunks, digest } = trackedStream(entry.file, onBytes);
    if (entry.kind === 'records-csv') await readRecordCsv(chunks, entry.file, collector);
    else if (entry.kind === 'records-json') await readRecordJson(chunks, entry.file, collector);
    else {
      const content = await readRecordNdjson(chunks, entry.file, collector);
      if (content.model === 'research') {
        if (roles.length > 1) throw new UsageError(`${entry.file}: a research graph file must be read on its own`);
        research = content.graph;
      }
    }
    inputs.push(await digest());
  }
  const outcome = collector.finish();
  if (!outcome.ok) throw new InputError(outcome.issues);
  if (research !== undefined)
    return { model: 'research', graph: research, inputs, warnings: [], format: 'ocgnet-graph' };
  return { model: 'records', records: outcome.records, rejects: outcome.rejects, inputs, warnings: [] };
}

async function loadResearch(roles: ClassifiedFile[], onBytes: (count: number) => void): Promise<LoadedInput> {
  const plain = roles.filter((entry) => entry.kind === 'plain-edge-list');
  if (plain.length > 0) {
    if (roles.length > 1) throw new UsageError('a headerless edge list is read on its own');
    const { edges, input, warnings } = await readPlainEdgeList(plain[0]!.file, onBytes);
    return {
      model: 'research',
      ...graphFromEdgeArrays(edges, plain[0]!.file, warnings),
      inputs: [input],
      format: 'edgelist-plain',
    };
  }
  const research = roles.filter((entry) => entry.kind === 'research');
  const edgeLists = research.filter((entry) => entry.research === 'edgelist-csv');
  const nodeLists = research.filter((entry) => entry.research === 'nodelist-csv');
  const others = research.filter((entry) => entry.research !== 'edgelist-csv' && entry.research !== 'nodelist-csv');
  if (
    others.length > 1 ||
    (others.length === 1 && roles.length > 1) ||
    edgeLists.length > 1 ||
    nodeLists.length > 1 ||
    (nodeLists.length === 1 && edgeLists.length === 0)
  ) {
    throw new UsageError('a research network is one graph file, or one edge list with at most one node list');
  }
  const inputs: InputDigest[] = [];
  const main = others[0] ?? edgeLists[0]!;
  const format = FORMAT_NAMES[main.research];
  const nodeList = nodeLists[0] ? trackedStream(nodeLists[0].file, onBytes) : undefined;
  const { chunks, digest } = trackedStream(main.file, onBytes);
  const result = await parseResearchGraph(chunks, main.file, {
    format,
    ...(nodeList && nodeLists[0] ? { nodes: { input: nodeList.chunks, file: nodeLists[0].file } } : {}),
  });
  if (nodeList) inputs.push(await nodeList.digest());
  inputs.push(await digest());
  if (!result.ok) throw new InputError(result.issues);
  return { model: 'research', graph: result.graph, inputs, warnings: result.warnings, format };
}

/** Reads a plain edge list into typed arrays, or throws an InputError listing every problem. */
async function readPlainEdgeList(
  path: string,
  onBytes: (count: number) => void,
): Promise<{ edges: EdgeArrays; input: InputDigest; warnings: InputIssue[] }> {
  const { chunks, digest } = trackedStream(path, onBytes);
  const result = await parseEdgeListFast(chunks, path);
  if (!result.ok) throw new InputError(result.issues);
  const { ok: _ok, warnings, ...edges } = result;
  return { edges, input: await digest(), warnings };
}

/**
 * A graphology graph of a plain edge list, for the ordinary (small) path:
 * undirected, parallel edges merged with their weights summed, self-loops
 * kept, as the analysis snapshot reads them anyway. Labels graphology cannot
 * hold (Object.prototype member names) are an input error.
 */
/**
 * The graph of a headerless edge list, by the repeated-edge rule of @ocgnet/io
 * (repeatedEdges.ts): a repeat is one tie with its weights summed, and the
 * merge is reported as a warning on the file, never silent.
 */
function graphFromEdgeArrays(
  edges: EdgeArrays,
  file: string,
  warnings: readonly InputIssue[],
): { graph: Graph; warnings: InputIssue[] } {
  const graph = new UndirectedGraph({ allowSelfLoops: true });
  const reserved = edges.ids.find((id) => isReservedNodeKey(id));
  if (reserved !== undefined)
    throw new InputError([
      {
        file,
        line: 0,
        field: 'source',
        reason: `node id ${JSON.stringify(reserved)} is reserved (a JavaScript object member name)`,
      },
    ]);
  for (const id of edges.ids) graph.addNode(id, { label: id });
  let merged = 0;
  for (let k = 0; k < edges.source.length; k++) {
    const [u, v] = [edges.ids[edges.source[k]!]!, edges.ids[edges.target[k]!]!];
    const weight = edges.weight ? edges.weight[k]! : 1;
    const existing = graph.edge(u, v);
    if (existing === undefined) graph.addEdge(u, v, edges.weight ? { weight } : {});
    else {
      merged++;
      if (edges.weight) graph.updateEdgeAttribute(existing, 'weight', (w: number | undefined) => (w ?? 0) + weight);
    }
  }
  graph.setAttribute('format', 'edgelist-plain');
  graph.setAttribute('weighted', edges.weight !== null);
  graph.setAttribute('directed', false);
  const merges: InputIssue[] =
    merged > 0 ? [{ file, line: 0, field: 'edge', reason: parallelEdgesMerged(merged) }] : [];
  return { graph: graph, warnings: [...warnings, ...merges] };
}

/** Edges (before merging) above which `ocgnet analyse` takes the large-graph path for a plain edge list. */
export const LARGE_PATH_EDGES = 200_000;

/**
 * Whether the inputs take the large-graph path: `path` is the file to read
 * there (one headerless edge list, or with `large`, also one
 * `source,target[,weight]` CSV without a node list), undefined when the
 * ordinary path applies; `classified` is what was learnt about the input, for
 * {@link loadInputs} (`LoadOptions.classified`), so no file is classified twice.
 */
export async function largePathInput(
  paths: readonly string[],
  large: boolean,
): Promise<{ path: string | undefined; classified: ClassifiedFile[] }> {
  // Records (several files, a folder, a store) take their own large path once loaded.
  if (paths.length !== 1 || isServerLocation(paths[0]!)) return { path: undefined, classified: [] };
  const path = paths[0]!;
  const info = await stat(path);
  const input = info.isDirectory() ? undefined : await classifyFile(path).catch(() => undefined);
  if (input?.kind === 'plain-edge-list' || (large && input?.kind === 'research' && input.research === 'edgelist-csv'))
    return { path, classified: [input] };
  if (large && input?.kind === 'research')
    throw new UsageError(
      `--large reads records or one edge-list file (u v or u,v[,w] lines, or a source,target[,weight] CSV); ${path} is a ${input.research} file`,
    );
  return { path: undefined, classified: input !== undefined ? [input] : [] };
}

/** Reads the large path's edge list as typed arrays, with a progress bar on bytes. */
export async function loadEdgeArrays(
  path: string,
  options: ProgressOptions,
): Promise<{ edges: EdgeArrays; input: InputDigest; warnings: InputIssue[] }> {
  const progress = startProgress('read', (await stat(path)).size, 'bytes', options);
  let done = 0;
  try {
    return await readPlainEdgeList(path, (count) => progress.update((done += count)));
  } finally {
    progress.stop();
  }
}

/** The graph of an edge list read as typed arrays, for the ordinary path. */
export function researchInputFromEdgeArrays(
  loaded: { edges: EdgeArrays; input: InputDigest; warnings: InputIssue[] },
  file: string,
): Extract<LoadedInput, { model: 'research' }> {
  return {
    model: 'research',
    ...graphFromEdgeArrays(loaded.edges, file, loaded.warnings),
    inputs: [loaded.input],
    format: 'edgelist-plain',
  };
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** A neo4j:// URI, or a file that starts with SQLite's header (an embedded store). */
export async function isStoreLocation(path: string): Promise<boolean> {
  return isServerLocation(path) || isEmbeddedStoreFile(path);
}

async function isEmbeddedStoreFile(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(16), 0, 16, 0);
      return bytesRead === 16 && buffer.toString('latin1') === SQLITE_MAGIC;
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

/**
 * Records from a store. The manifest's input is the store itself, identified
 * by its content hash, so a result can be traced to exactly what was stored.
 */
async function loadFromStore(location: string, actor: StoreActor): Promise<LoadedInput> {
  return withStore(location, actor, async (store) => {
    const records = await store.records();
    const sha256 = await store.contentHash();
    return {
      model: 'records',
      records,
      rejects: [],
      inputs: [{ file: store.info.location, sha256, bytes: 0 }],
      warnings: [],
    };
  });
}
