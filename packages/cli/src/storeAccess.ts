/**
 * How commands reach a store: who is acting (stamped on every audit event),
 * opening and always closing, and reading records through the store's
 * audited `records()`.
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { openStore, type Store, type StoreActor } from '@ocgnet/store';
import { defaultAudiencesInForce } from './audiences.js';

export interface ActorFlags {
  who?: string;
  justification?: string;
  /** The user's own reason, recorded beside the justification on every event. */
  reason?: string;
}

/** Adds --who, --justification and --reason: who acts on a store, and why (every one audited). */
export function addActorFlags(command: Command): Command {
  return command
    .option('--who <name>', 'who is acting (audited)')
    .option('--justification <text>', 'why (audited)')
    .option('--reason <text>', 'your own reason, recorded beside the justification (audited)');
}

/** Used when no justification is given: the audit trail says so rather than inventing one. */
export const NO_JUSTIFICATION = '(none given)';

function currentUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The actor of a CLI run: --who, else $OCGNET_USER, else the login name, with
 * --reason (the user's own words) where given. Its audit events carry the hash
 * of the audiences configuration in force (the shipped one unless the command
 * was given --audiences).
 */
export function actorFromFlags(
  flags: ActorFlags,
  audience = 'police-analyst',
  audiencesSha256 = defaultAudiencesInForce().sha256,
): StoreActor {
  const reason = flags.reason?.trim();
  return {
    who: flags.who ?? process.env.OCGNET_USER ?? currentUser(),
    audience,
    justification: flags.justification ?? process.env.OCGNET_JUSTIFICATION ?? NO_JUSTIFICATION,
    ...(reason ? { reason } : {}),
    audiences: audiencesSha256,
  };
}

/** Opens the store, runs `work`, and closes the store whatever happens. */
export async function withStore<T>(
  location: string,
  actor: StoreActor,
  work: (store: Store) => Promise<T>,
  options: { readonly?: boolean } = {},
): Promise<T> {
  const store = await openStore(location, actor, options);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
