import { extname } from 'node:path';
import {
  graphFileHeader,
  recordNdjsonLines,
  researchGraphFileLines,
  writeResearchGraph,
} from '@ocgnet/io';
import { formatIssue } from '@ocgnet/schema';
import { EXIT, UsageError } from '../errors.js';
import { loadInputs } from '../load.js';
import { writeFileAtomically } from '../output.js';
import type { CliIo } from '../main.js';
import type { ProgressOptions } from '../progress.js';

export interface ImportOptions extends ProgressOptions {
  out: string;
  skipInvalid: boolean;
  rejects?: string;
}

const RESEARCH_OUTPUTS: Record<string, string> = { '.graphml': 'graphml', '.gexf': 'gexf', '.net': 'pajek', '.dl': 'dl', '.csv': 'edgelist' };

/**
 * `ocgnet import`: validates everything first and writes the graph file only
 * if the import stands, so a failed import leaves no output behind.
 */
export async function runImport(inputs: string[], options: ImportOptions, io: CliIo): Promise<number> {
  const extension = extname(options.out).toLowerCase();
  const isGraphFile = options.out.endsWith('.ndjson') || options.out.endsWith('.jsonl');
  if (!isGraphFile && !(extension in RESEARCH_OUTPUTS)) {
    throw new UsageError(`--out ${options.out}: use a .ocgnet.ndjson graph file, or .graphml .gexf .net .dl .csv for a research network`);
  }
  const loaded = await loadInputs(inputs, options);
  for (const warning of loaded.warnings) io.stderr.write(`warning: ${formatIssue(warning)}\n`);

  if (loaded.model === 'records') {
    if (!isGraphFile) throw new UsageError('intelligence records are written as an ocgnet graph file (.ocgnet.ndjson)');
    const { records, rejects } = loaded;
    if (rejects.length > 0) {
      const rejectsPath = options.rejects ?? `${options.out}.rejects.ndjson`;
      await writeFileAtomically(rejectsPath, (function* () {
        for (const reject of rejects) yield `${JSON.stringify(reject)}\n`;
      })());
      io.stderr.write(`ocgnet: ${rejects.length} invalid record(s) set aside in ${rejectsPath}\n`);
    }
    const header = graphFileHeader({ model: 'records', inputs: loaded.inputs, rejected: rejects.length });
    await writeFileAtomically(options.out, recordNdjsonLines(records, header));
    io.stdout.write(`imported ${records.entities.length} entities and ${records.links.length} links into ${options.out}${rejects.length ? ` (${rejects.length} rejected)` : ''}\n`);
    return EXIT.ok;
  }

  const { graph } = loaded;
  if (isGraphFile) {
    const header = graphFileHeader({ model: 'research', inputs: loaded.inputs, source_format: loaded.format });
    await writeFileAtomically(options.out, researchGraphFileLines(graph, header));
  } else {
    await writeFileAtomically(options.out, [writeResearchGraph(graph, RESEARCH_OUTPUTS[extension]!)]);
  }
  io.stdout.write(`imported ${graph.order} nodes and ${graph.size} edges into ${options.out}\n`);
  return EXIT.ok;
}
