/**
 * Command-line flags for the person projection, shared by every command that
 * projects (stats now; analyse and disrupt later), so they never drift apart.
 */
import { Command, Option } from 'commander';
import { CHANNELS, type ProjectionOptionsInput } from '@ocgnet/graph';
import { UsageError } from './errors.js';

export interface ProjectionFlags {
  from?: string;
  to?: string;
  halfLife?: string;
  referenceDate?: string;
  weight?: string[];
  sourceWeight?: string[];
  legacyWeight?: string;
  excludeAssessment?: string;
  coPresence?: boolean;
  maxHub?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Adds the projection flags to a command. */
export function addProjectionFlags(command: Command): Command {
  return command
    .option('--from <date>', 'use only links that overlap this date or later (YYYY-MM-DD)')
    .option('--to <date>', 'use only links that overlap this date or earlier (YYYY-MM-DD)')
    .option('--half-life <days>', 'weight links by recency with this half-life in days')
    .option('--reference-date <date>', 'date recency is measured to (default: the latest date in the data)')
    .option(
      '--weight <channel=w>',
      `weight of an association channel, repeatable (channels: ${CHANNELS.join(', ')})`,
      collect,
    )
    .option('--source-weight <eval=w>', 'weight by source evaluation, repeatable, e.g. 3=0.5', collect)
    .option('--legacy-weight <w>', 'weight of legacy 5x5x5 links')
    .addOption(
      new Option(
        '--exclude-assessment <grades>',
        'intelligence assessments not to use, e.g. DE (default E; "none" to use all)',
      ),
    )
    .option('--no-co-presence', 'associate people at a shared place or phone even when their dates do not overlap')
    .option('--max-hub <n>', 'do not expand entities linked to more persons than this (default 100)');
}

function number(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0)
    throw new UsageError(`${flag} needs a non-negative number, not ${JSON.stringify(text)}`);
  return value;
}

function pairs(values: string[] | undefined, flag: string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const value of values ?? []) {
    const [key, weight] = value.split('=');
    if (!key || weight === undefined) throw new UsageError(`${flag} takes name=weight, not ${JSON.stringify(value)}`);
    result[key] = number(weight, flag);
  }
  return result;
}

/** Turns the flags into projection options; @ocgnet/graph validates the values themselves. */
export function projectionOptionsFromFlags(flags: ProjectionFlags): ProjectionOptionsInput {
  const options: ProjectionOptionsInput = {};
  const channelWeights = pairs(flags.weight, '--weight');
  if (Object.keys(channelWeights).length > 0) options.channelWeights = channelWeights;
  const grading: NonNullable<ProjectionOptionsInput['grading']> = {};
  const sourceWeights = pairs(flags.sourceWeight, '--source-weight');
  if (Object.keys(sourceWeights).length > 0) grading.sourceWeights = sourceWeights;
  if (flags.legacyWeight !== undefined) grading.legacyWeight = number(flags.legacyWeight, '--legacy-weight');
  if (flags.excludeAssessment !== undefined) {
    grading.excludeAssessments = (
      flags.excludeAssessment === 'none' ? [] : flags.excludeAssessment.toUpperCase().split('')
    ) as never;
  }
  if (Object.keys(grading).length > 0) options.grading = grading;
  if (flags.halfLife !== undefined || flags.referenceDate !== undefined) {
    options.recency = {
      ...(flags.halfLife !== undefined ? { halfLifeDays: number(flags.halfLife, '--half-life') } : {}),
      ...(flags.referenceDate !== undefined ? { referenceDate: flags.referenceDate } : {}),
    };
  }
  if (flags.from !== undefined || flags.to !== undefined) {
    options.window = {
      ...(flags.from !== undefined ? { from: flags.from } : {}),
      ...(flags.to !== undefined ? { to: flags.to } : {}),
    };
  }
  if (flags.coPresence === false) options.requireCoPresence = false;
  if (flags.maxHub !== undefined) options.maxSharedEntityDegree = number(flags.maxHub, '--max-hub');
  return options;
}
