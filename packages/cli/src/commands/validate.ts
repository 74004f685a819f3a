import { formatIssue } from '@ocgnet/schema';
import { InputError } from '@ocgnet/schema';
import { EXIT } from '../errors.js';
import { loadInputs } from '../load.js';
import type { CliIo } from '../main.js';
import type { ProgressOptions } from '../progress.js';

/** `ocgnet validate`: every problem in the inputs, or a one-line summary of what they hold. */
export async function runValidate(inputs: string[], options: { json: boolean } & ProgressOptions, io: CliIo): Promise<number> {
  try {
    const loaded = await loadInputs(inputs, { ...options, skipInvalid: false });
    const summary =
      loaded.model === 'records'
        ? { ok: true, model: loaded.model, entities: loaded.records.entities.length, links: loaded.records.links.length }
        : { ok: true, model: loaded.model, nodes: loaded.graph.order, edges: loaded.graph.size };
    if (options.json) io.stdout.write(`${JSON.stringify({ ...summary, warnings: loaded.warnings })}\n`);
    else {
      for (const warning of loaded.warnings) io.stderr.write(`warning: ${formatIssue(warning)}\n`);
      io.stdout.write(
        'entities' in summary
          ? `valid: ${summary.entities} entities, ${summary.links} links\n`
          : `valid: ${summary.nodes} nodes, ${summary.edges} edges\n`,
      );
    }
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof InputError) || !options.json) throw error;
    io.stdout.write(`${JSON.stringify({ ok: false, issues: error.issues })}\n`);
    return EXIT.badInput;
  }
}
