import { formatIssue } from '@ocgnet/schema';
import { InputError } from '@ocgnet/schema';
import { EXIT } from '../errors.js';
import { loadInputs } from '../load.js';
import type { CliIo } from '../io.js';
import type { ProgressOptions } from '../progress.js';
import type { Command } from 'commander';
import { addAudiencesFlag, audiencesInForce } from '../audiences.js';
import { givenFlags, type CommandContext } from '../command.js';
import { disseminationLines, disseminationReport } from '../dissemination.js';

/** `ocgnet validate`: every problem in the inputs, or a one-line summary of what they hold. */
export async function runValidate(
  inputs: string[],
  options: { json: boolean; audiences?: string } & ProgressOptions,
  io: CliIo,
): Promise<number> {
  const audiences = await audiencesInForce(options.audiences);
  try {
    const loaded = await loadInputs(inputs, { ...options, skipInvalid: false });
    // Which worded conditions decide nothing yet: nothing is wrong, but nobody should think they share anything.
    const dissemination = loaded.model === 'records' ? disseminationReport(loaded.records, audiences) : undefined;
    const summary =
      loaded.model === 'records'
        ? {
            ok: true,
            model: loaded.model,
            entities: loaded.records.entities.length,
            links: loaded.records.links.length,
          }
        : { ok: true, model: loaded.model, nodes: loaded.graph.order, edges: loaded.graph.size };
    if (options.json)
      io.stdout.write(
        `${JSON.stringify({ ...summary, warnings: loaded.warnings, ...(dissemination !== undefined ? { dissemination } : {}) })}\n`,
      );
    else {
      for (const warning of loaded.warnings) io.stderr.write(`warning: ${formatIssue(warning)}\n`);
      if (dissemination !== undefined)
        for (const line of disseminationLines(dissemination, audiences)) io.stderr.write(`${line}\n`);
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

/** `ocgnet validate <inputs...>`. */
export function registerValidate(program: Command, { io, action, progressOf }: CommandContext): void {
  addAudiencesFlag(
    program
      .command('validate')
      .description('check record or network files and list every problem (file:line: field: reason)')
      .argument('<inputs...>', 'files or folders')
      .option('--json', 'print the result as JSON'),
    'used to report release_to ids it does not hold',
  ).action(
    action(async (inputs: string[], options: { json?: boolean; audiences?: string }, command: Command) =>
      runValidate(
        inputs,
        { json: Boolean(options.json), ...givenFlags({ audiences: options.audiences }), ...progressOf(command) },
        io,
      ),
    ),
  );
}
