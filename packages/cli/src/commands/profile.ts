/**
 * `ocgnet profile`: a partnership profile of one subject for one audience.
 * The audit event is written first; if it cannot be written, nothing is
 * produced. Every export writes exactly one event.
 */
import { AuditError, AuditLog, ProfileError, buildLocalProfile, buildProfile, renderLocalProfile, renderProfile } from '@ocgnet/profiles';
import { audienceOrUsage, audiencesInForce } from '../audiences.js';
import { EXIT, UsageError } from '../errors.js';
import { StoreError, type StoreActor } from '@ocgnet/store';
import type { AuditEvent } from '@ocgnet/audit';
import { withStore } from '../storeAccess.js';
import { loadInputs } from '../load.js';
import { writeFileAtomically } from '../output.js';
import type { CliIo } from '../main.js';
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
  const actor: StoreActor = { who: options.who, audience: audience.id, justification: options.justification, audiences: audiences.sha256 };
  const loaded = await loadInputs(inputs, {
    quiet: options.quiet,
    stream: options.stream,
    skipInvalid: false,
    ...(options.store !== undefined ? { store: { location: options.store, actor } } : {}),
  });
  if (loaded.model !== 'records') throw new UsageError('a partnership profile needs intelligence records');
  const createdAt = new Date().toISOString();
  let text: string;
  try {
    // "local" is the area-wide local profile; anything else names one subject.
    text =
      options.subject === 'local'
        ? renderLocalProfile(buildLocalProfile({ records: loaded.records, audience, createdAt, audiences: audiences.config }), options.format)
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
  } catch (error) {
    if (error instanceof ProfileError) throw new UsageError(error.message.replace(/^@ocgnet\/profiles[^:]*: /, ''));
    throw error;
  }
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
  try {
    if (options.store !== undefined) await withStore(options.store, actor, (store) => store.appendAudit(event));
    else await new AuditLog(options.auditLog).append(event);
  } catch (error) {
    if (error instanceof Error && error.name === 'ZodError') throw new UsageError(`the audit event is incomplete: ${error.message}`);
    if (error instanceof AuditError || error instanceof StoreError) {
      io.stderr.write(`ocgnet: the audit event could not be written (${error.message}); no profile was produced.\n`);
      return EXIT.badInput;
    }
    throw error;
  }
  if (options.out) await writeFileAtomically(options.out, [text]);
  else io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return EXIT.ok;
}
