/**
 * The audiences configuration in force for a command: the force's own file
 * (`--audiences FILE`) or the shipped defaults, and its hash, which goes into
 * every audit event and every profile so a reader can tell which rules
 * decided what an audience saw.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { audiencesHash, defaultAudiences, loadAudiences, type AudienceConfig } from '@ocgnet/profiles';
import { UsageError } from './errors.js';

export interface AudiencesInForce {
  config: AudienceConfig;
  /** SHA-256 of the configuration's canonical JSON (`audiencesHash`). */
  sha256: string;
  /** The file it came from, or `(default)`. */
  source: string;
}

/** Help of every --audiences flag: the force's configuration of who may see what. */
export const AUDIENCES_HELP =
  "the force's audiences file (JSON, schema_version 2): who may receive what; default the shipped one. Its SHA-256 is recorded in every audit event and profile";

/** Adds `--audiences <file>`; `use` says what this command does with it. */
export function addAudiencesFlag(command: Command, use?: string): Command {
  return command.option('--audiences <file>', use === undefined ? AUDIENCES_HELP : `${AUDIENCES_HELP}; ${use}`);
}

let defaults: AudiencesInForce | undefined;

/** The shipped audiences. */
export function defaultAudiencesInForce(): AudiencesInForce {
  if (defaults === undefined) {
    const config = defaultAudiences();
    defaults = { config, sha256: audiencesHash(config), source: '(default)' };
  }
  return defaults;
}

const MAX_ISSUES_SHOWN = 10;

/**
 * Reads and validates `--audiences FILE`, or returns the defaults when no file
 * is named. Every problem names the file, the field and the reason.
 * @throws {UsageError} for a file that cannot be read, is not JSON, or breaks the schema.
 */
export async function audiencesInForce(path: string | undefined): Promise<AudiencesInForce> {
  if (path === undefined) return defaultAudiencesInForce();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--audiences ${path}: cannot be read (${code === 'ENOENT' ? 'no such file' : (code ?? String(error))})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--audiences ${path}: not JSON (${(error as Error).message})`);
  }
  let config: AudienceConfig;
  try {
    config = loadAudiences(value);
  } catch (error) {
    const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    if (!Array.isArray(issues)) throw error;
    const shown = issues
      .slice(0, MAX_ISSUES_SHOWN)
      .map((issue) => `  ${path}: ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
    const more = issues.length > shown.length ? `\n  … and ${issues.length - shown.length} more` : '';
    throw new UsageError(`--audiences ${path} is not a valid audiences file:\n${shown.join('\n')}${more}`);
  }
  return { config, sha256: audiencesHash(config), source: path };
}

/** The audience with this id in the configuration, or a usage error listing the ids there are. */
export function audienceOrUsage(inForce: AudiencesInForce, id: string): AudienceConfig['audiences'][number] {
  const audience = inForce.config.audiences.find((entry) => entry.id === id);
  if (audience !== undefined) return audience;
  const known = inForce.config.audiences.map((entry) => entry.id).join(', ');
  throw new UsageError(`unknown audience ${JSON.stringify(id)} in ${inForce.source} (audiences: ${known})`);
}
