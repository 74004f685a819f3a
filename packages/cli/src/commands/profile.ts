/**
 * `ocgnet profile`: a partnership profile of one subject for one audience.
 * No audit event, no profile: a profile reaches stdout, or an export its
 * file, only once its event is recorded. Every export writes exactly one
 * event, with its outcome: 'ok', or 'failed' (and why) when the file could not
 * be written.
 */
import { buildLocalProfile, buildProfile, renderLocalProfile, renderProfile } from '@ocgnet/profiles';
import { Option, type Command } from 'commander';
import { addAudiencesFlag, audienceOrUsage, audiencesInForce } from '../audiences.js';
import { givenFlags, type CommandContext } from '../command.js';
import { basename } from 'node:path';
import { LIMITS } from '@ocgnet/schema';
import { EXIT, OutputError, UsageError } from '../errors.js';
import { StoreError, type StoreActor } from '@ocgnet/store';
import { AuditError, AuditLog, type AuditEvent } from '@ocgnet/audit';
import { withStore } from '../storeAccess.js';
import { loadInputs } from '../load.js';
import { openAtomicFile, type AtomicFiles } from '../output.js';
import type { CliIo } from '../io.js';
import type { ProgressOptions } from '../progress.js';

export const PROFILE_FORMATS = ['html', 'markdown', 'json', 'csv'] as const;

export interface ProfileCommandOptions extends ProgressOptions {
  subject: string;
  audience: string;
  format: (typeof PROFILE_FORMATS)[number];
  out?: string;
  who: string;
  justification: string;
  recipients: string[];
  auditLog: string;
  /** Read the records from this store and audit into its trail instead of --audit-log. */
  store?: string;
  /** The force's audiences file; default the shipped one. */
  audiences?: string;
}

export async function runProfile(inputs: string[], options: ProfileCommandOptions, io: CliIo): Promise<number> {
  const audiences = await audiencesInForce(options.audiences);
  const audience = audienceOrUsage(audiences, options.audience);
  // The store's read is audited under the profile's audience and purpose, and the rules in force.
  const actor: StoreActor = {
    who: options.who,
    audience: audience.id,
    justification: options.justification,
    audiences: audiences.sha256,
  };
  const loaded = await loadInputs(inputs, {
    quiet: options.quiet,
    stream: options.stream,
    skipInvalid: false,
    ...(options.store !== undefined ? { store: { location: options.store, actor } } : {}),
  });
  if (loaded.model !== 'records') throw new UsageError('a partnership profile needs intelligence records');
  const createdAt = new Date().toISOString();
  // "local" is the area-wide local profile; anything else names one subject. A ProfileError (a subject
  // this audience cannot see, or a malformed one) is a usage error in reportError.
  const text =
    options.subject === 'local'
      ? renderLocalProfile(
          buildLocalProfile({ records: loaded.records, audience, createdAt, audiences: audiences.config }),
          options.format,
        )
      : renderProfile(
          buildProfile({
            records: loaded.records,
            audience,
            audiences: audiences.config,
            subject: options.subject,
            createdAt,
            manifestRef: loaded.inputs.map((input) => input.sha256.slice(0, 12)).join('+'),
          }),
          options.format,
        );
  const event: AuditEvent = {
    action: options.out ? 'export' : 'profile',
    who: options.who,
    at: createdAt,
    audience: audience.id,
    subject: options.subject,
    justification: options.justification,
    recipients: options.recipients,
    format: options.format,
    audiences: audiences.sha256,
  };
  const record = (entry: AuditEvent) =>
    options.store !== undefined
      ? withStore(options.store, actor, (store) => store.appendAudit(entry))
      : new AuditLog(options.auditLog).append(entry);
  if (!options.out) {
    if (!(await audited(() => record(event), io))) return EXIT.badInput;
    io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return EXIT.ok;
  }

  // An export: the file is written and synced under a temporary name first, so
  // the event can say whether it was made. Only with its event recorded does it
  // take its name; if the event cannot be written, it is removed.
  const out = options.out;
  const failed = async (error: OutputError) => {
    // The attempt is audited as failed, never as an export made.
    const failure: AuditEvent = {
      ...event,
      outcome: 'failed',
      detail: { reason: error.message.slice(0, LIMITS.maxLabelLength) },
    };
    try {
      await record(failure);
    } catch (auditError) {
      io.stderr.write(
        `ocgnet: the failed export could not be audited either (${auditError instanceof Error ? auditError.message : String(auditError)})\n`,
      );
    }
    return error;
  };
  let files: AtomicFiles;
  try {
    files = await openAtomicFile(out, options);
    await files.write(basename(out), text);
    await files.seal();
  } catch (error) {
    throw error instanceof OutputError ? await failed(error) : error;
  }
  let recorded = false;
  try {
    recorded = await audited(() => record({ ...event, outcome: 'ok' }), io);
  } finally {
    if (!recorded) await files.abort();
  }
  if (!recorded) return EXIT.badInput;
  try {
    await files.commit();
  } catch (error) {
    throw error instanceof OutputError ? await failed(error) : error;
  }
  return EXIT.ok;
}

/**
 * Records an event before its profile is released: false (said on stderr)
 * when the trail cannot take it, in which case no profile may be produced.
 */
async function audited(append: () => Promise<unknown>, io: CliIo): Promise<boolean> {
  try {
    await append();
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ZodError')
      throw new UsageError(`the audit event is incomplete: ${error.message}`);
    if (error instanceof AuditError || error instanceof StoreError) {
      io.stderr.write(
        `ocgnet: the audit event could not be written (${error.userMessage}); no profile was produced.\n`,
      );
      return false;
    }
    throw error;
  }
}

/** `ocgnet profile [inputs...] --subject … --audience … --who … --justification …`. */
export function registerProfile(program: Command, { io, action, progressOf }: CommandContext): void {
  addAudiencesFlag(
    program
      .command('profile')
      .description(
        'a partnership profile of one subject for one audience, computed only from what that audience may see; audited',
      )
      .argument('[inputs...]', 'files or folders of intelligence records (or --store)')
      .requiredOption(
        '--subject <subject>',
        'ocg:ID, usg:ID, person:ID, location:ID, or local for the area-wide local profile',
      )
      .requiredOption(
        '--audience <id>',
        'police-analyst, police-partner, partner-agency:housing, partner-agency:dwp, …',
      )
      .addOption(new Option('--format <format>', 'output format').choices([...PROFILE_FORMATS]).default('html'))
      .option('-o, --out <file>', 'write to a file (an export) instead of stdout')
      .requiredOption('--who <name>', 'who is producing the profile (audited)')
      .requiredOption('--justification <text>', 'why (audited)')
      .option('--recipients <list>', 'comma-separated recipients (audited)', '')
      .option('--audit-log <file>', 'the audit trail to append to', 'ocgnet-audit.log')
      .option('--store <store>', "read the records from a store and audit into the store's trail (not --audit-log)"),
  ).action(
    action(
      async (
        inputs: string[],
        // As the command takes them, but with --recipients still one comma-separated string.
        options: Omit<ProfileCommandOptions, 'recipients' | keyof ProgressOptions> & { recipients: string },
        command: Command,
      ) =>
        runProfile(
          inputs,
          {
            subject: options.subject,
            audience: options.audience,
            format: options.format,
            who: options.who,
            justification: options.justification,
            recipients: options.recipients
              .split(',')
              .map((recipient) => recipient.trim())
              .filter(Boolean),
            auditLog: options.auditLog,
            ...givenFlags({ out: options.out, store: options.store, audiences: options.audiences }),
            ...progressOf(command),
          },
          io,
        ),
    ),
  );
}
