/**
 * `ocgnet plan`: the Achilles-heel action plan for one OCG: targets ranked by
 * disruption impact among those partners can act on, the levers and their
 * evidence, and the people to protect rather than target.
 */
import { formatPlan, planDisruption } from '@ocgnet/disruption';
import { compareWithMapping, communities } from '@ocgnet/analysis';
import type { ProjectionOptionsInput } from '@ocgnet/graph';
import type { AbstractGraph } from 'graphology-types';
import { DEFAULT_CLASSIFICATION } from '@ocgnet/schema';
import { EXIT, UsageError } from '../errors.js';
import { evidenceReleaseFor } from '@ocgnet/profiles';
import type { Command } from 'commander';
import { addAudiencesFlag, audiencesInForce } from '../audiences.js';
import { givenFlags, integerFlag, type CommandContext } from '../command.js';
import { addProjectionFlags, projectionOptionsFromFlags, type ProjectionFlags } from '../projectionFlags.js';
import { loadSubject } from '../subject.js';
import type { CliIo } from '../io.js';
import type { ProgressOptions } from '../progress.js';

export interface PlanCommandOptions extends ProgressOptions {
  json: boolean;
  ocg: string;
  k: number;
  hidden: boolean;
  projection: ProjectionOptionsInput;
  /** The force's audiences file; default the shipped one. */
  audiences?: string;
}

export async function runPlan(inputs: string[], options: PlanCommandOptions, io: CliIo): Promise<number> {
  // Read first: a bad audiences file is refused before any work.
  const audiences = await audiencesInForce(options.audiences);
  const subject = await loadSubject(inputs, options.projection, { ...options, skipInvalid: false }, io);
  if (subject.model !== 'records')
    throw new UsageError(
      'a plan needs intelligence records (who holds which tenancy, business, vehicle…); a research network has none',
    );
  const persons = subject.persons as unknown as AbstractGraph;
  // Possible hidden members join the ranking, so a plan does not stop at the police mapping.
  let candidates: string[] = [];
  if (options.hidden) {
    const found = communities(persons);
    candidates = compareWithMapping({
      communityOf: found.communityOf,
      mapping: subject.mapping.groupOf,
      graph: persons,
    })
      .hiddenCandidates.filter((candidate) => candidate.group === options.ocg)
      .map((candidate) => candidate.node);
  }
  // An OCG that is not mapped is a PlanError UNKNOWN_GROUP: a usage error in reportError.
  const plan = planDisruption(subject.network, persons, {
    ocg: options.ocg,
    k: options.k,
    candidates,
    mapping: subject.mapping,
    evidenceRelease: evidenceReleaseFor(audiences.config),
  });
  if (options.json)
    io.stdout.write(
      `${JSON.stringify({ classification: DEFAULT_CLASSIFICATION, audiences: audiences.sha256, ...plan }, null, 2)}\n`,
    );
  else
    io.stdout.write(
      `${DEFAULT_CLASSIFICATION}\naudiences: ${audiences.source} (sha256 ${audiences.sha256.slice(0, 12)})\n${formatPlan(plan)}`,
    );
  return EXIT.ok;
}

/** `ocgnet plan <inputs...> --ocg <id>`. */
export function registerPlan(program: Command, { io, action, progressOf }: CommandContext): void {
  addProjectionFlags(
    addAudiencesFlag(
      program
        .command('plan')
        .description(
          'the Achilles-heel partnership action plan for one OCG: targets partners can act on, levers, evidence, safeguarding',
        )
        .argument('<inputs...>', 'files or folders of intelligence records')
        .requiredOption('--ocg <id>', 'the mapped OCG to plan against')
        .option('--k <k>', 'targets to recommend', '5')
        .option('--no-hidden', 'leave out possible hidden members found by community detection'),
      "a lever rests only on evidence its lead agency's audience may receive",
    ).option('--json', 'print JSON'),
  ).action(
    action(
      async (
        inputs: string[],
        options: { ocg: string; k: string; hidden: boolean; json?: boolean; audiences?: string } & ProjectionFlags,
        command: Command,
      ) => {
        const k = integerFlag(options.k, '--k', 1);
        const plan = {
          json: Boolean(options.json),
          ocg: options.ocg,
          k,
          hidden: options.hidden,
          projection: projectionOptionsFromFlags(options),
        };
        return runPlan(
          inputs,
          { ...plan, ...givenFlags({ audiences: options.audiences }), ...progressOf(command) },
          io,
        );
      },
    ),
  );
}
