/**
 * `ocgnet plan`: the Achilles-heel action plan for one OCG: targets ranked by
 * disruption impact among those partners can act on, the levers and their
 * evidence, and the people to protect rather than target.
 */
import { PlanError, formatPlan, planDisruption } from '@ocgnet/disruption';
import { compareWithMapping, communities } from '@ocgnet/analysis';
import type { ProjectionOptionsInput } from '@ocgnet/graph';
import type { AbstractGraph } from 'graphology-types';
import { DEFAULT_CLASSIFICATION } from '@ocgnet/schema';
import { EXIT, UsageError } from '../errors.js';
import { evidenceReleaseFor } from '@ocgnet/profiles';
import { audiencesInForce } from '../audiences.js';
import { loadSubject } from '../subject.js';
import type { CliIo } from '../main.js';
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
  if (subject.model !== 'records') throw new UsageError('a plan needs intelligence records (who holds which tenancy, business, vehicle…); a research network has none');
  const persons = subject.persons as unknown as AbstractGraph;
  // Possible hidden members join the ranking, so a plan does not stop at the police mapping.
  let candidates: string[] = [];
  if (options.hidden) {
    const found = communities(persons);
    candidates = compareWithMapping({ communityOf: found.communityOf, mapping: subject.mapping.groupOf, graph: persons })
      .hiddenCandidates.filter((candidate) => candidate.group === options.ocg)
      .map((candidate) => candidate.node);
  }
  let plan;
  try {
    plan = planDisruption(subject.network, persons, { ocg: options.ocg, k: options.k, candidates, mapping: subject.mapping, evidenceRelease: evidenceReleaseFor(audiences.config) });
  } catch (error) {
    if (error instanceof PlanError && error.code !== 'NOT_A_GRAPH') throw new UsageError(error.message.replace(/^@ocgnet\/disruption[^:]*: /, ''));
    throw error;
  }
  if (options.json) io.stdout.write(`${JSON.stringify({ classification: DEFAULT_CLASSIFICATION, audiences: audiences.sha256, ...plan }, null, 2)}\n`);
  else io.stdout.write(`${DEFAULT_CLASSIFICATION}\naudiences: ${audiences.source} (sha256 ${audiences.sha256.slice(0, 12)})\n${formatPlan(plan)}`);
  return EXIT.ok;
}
