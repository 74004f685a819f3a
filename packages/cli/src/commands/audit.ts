/**
 * `ocgnet audit verify|checkpoint|migrate <trail>`: the audit trail of a log
 * file, an embedded store or a Neo4j store.
 *
 * `verify` checks every record under the audit key and the chain against the
 * signed checkpoints (the store's own, and the witness file), so an edit, a
 * deletion, a reordering, a rewrite with the key, or events removed from the
 * end are caught. It fails closed: a missing or empty trail, a missing key or
 * a missing witness is exit 1, never a pass. `checkpoint` starts a lost
 * witness afresh; `migrate` re-seals a trail an older ocgnet wrote as a plain
 * SHA-256 chain.
 */
import {
  AuditLog,
  describeAuditFault,
  type AuditFilesOptions,
  type AuditVerifyOptions,
  type AuditVerifyResult,
  type Checkpoint,
  type AuditMigration,
} from '@ocgnet/audit';
import { isServerLocation, openStore, type Store } from '@ocgnet/store';
import { EXIT } from '../errors.js';
import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { givenFlags, type CommandContext } from '../command.js';
import { actorFromFlags, type ActorFlags } from '../storeAccess.js';
import { isStoreLocation } from '../load.js';

/** The key and witness flags every audit subcommand takes. */
export interface AuditFileFlags {
  key?: string;
  signingKey?: string;
  publicKey?: string;
  witness?: string;
}

export interface AuditVerifyFlags extends AuditFileFlags {
  json: boolean;
  allowMissingWitness: boolean;
  allowLegacy: boolean;
}

function filesOf(flags: AuditFileFlags): AuditFilesOptions {
  return givenFlags({
    key: flags.key,
    signingKey: flags.signingKey,
    publicKey: flags.publicKey,
    witness: flags.witness,
  });
}

const short = (hex: string | undefined) => (hex ?? '').slice(0, 16);

/** Runs `work` on the store at `location`, closing it whatever happens. */
async function withAuditStore<T>(
  location: string,
  flags: AuditFileFlags & ActorFlags,
  readonly: boolean,
  work: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await openStore(location, actorFromFlags(flags), { readonly, audit: filesOf(flags) });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export async function runAuditVerify(location: string, flags: AuditVerifyFlags, io: CliIo): Promise<number> {
  const options: AuditVerifyOptions = {
    allowMissingWitness: flags.allowMissingWitness,
    allowLegacy: flags.allowLegacy,
  };
  let result: AuditVerifyResult = (await isStoreLocation(location))
    ? await withAuditStore(location, flags, !isServerLocation(location), (store) => store.verifyAudit(options))
    : await new AuditLog(location, filesOf(flags)).verify(options);
  // A store with no events passes its own check (it is new); asked to verify it, there is nothing to vouch for.
  if (result.ok && result.count === 0)
    result = {
      ok: false,
      file: location,
      line: 0,
      reason: 'empty',
      detail: 'no audit events; an empty trail fails verification',
    };

  if (flags.json) io.stdout.write(`${JSON.stringify(result)}\n`);
  if (!result.ok) {
    if (!flags.json) io.stderr.write(`${describeAuditFault(result)}\n`);
    return EXIT.badInput;
  }
  for (const warning of result.warnings) io.stderr.write(`ocgnet: warning: ${warning}\n`);
  if (flags.json) return EXIT.ok;
  if (result.legacy) {
    io.stdout.write(
      `${location}: LEGACY chain consistent, ${result.count} event(s); head ${result.head} (plain SHA-256: proves nothing against a deliberate edit; run ocgnet audit migrate)\n`,
    );
    return EXIT.ok;
  }
  const checkpoint = result.checkpoint
    ? `; checkpoint of event ${result.checkpoint.seq} at ${result.checkpoint.at}, signed by key ${short(result.checkpoint.key)} (${result.checkpoint.source})`
    : '';
  io.stdout.write(
    `${location}: chain intact, ${result.count} event(s) of log ${short(result.log)}; head ${result.head}${checkpoint}\n`,
  );
  return EXIT.ok;
}

export async function runAuditCheckpoint(
  location: string,
  flags: AuditFileFlags & { json: boolean },
  io: CliIo,
): Promise<number> {
  const checkpoint: Checkpoint = (await isStoreLocation(location))
    ? await withAuditStore(location, flags, false, (store) => store.checkpointAudit())
    : await new AuditLog(location, filesOf(flags)).checkpoint();
  if (flags.json) io.stdout.write(`${JSON.stringify(checkpoint)}\n`);
  else {
    io.stdout.write(
      `${location}: checkpoint of event ${checkpoint.seq} (head ${checkpoint.head}) signed at ${checkpoint.at}\n`,
    );
    io.stderr.write(
      'ocgnet: warning: events removed before this checkpoint cannot be detected by it; keep the witness where the writer cannot rewrite it\n',
    );
  }
  return EXIT.ok;
}

export async function runAuditMigrate(
  location: string,
  flags: AuditFileFlags & ActorFlags & { json: boolean },
  io: CliIo,
): Promise<number> {
  const migration: AuditMigration = (await isStoreLocation(location))
    ? await withAuditStore(location, flags, false, (store) => store.migrateAudit())
    : await new AuditLog(location, filesOf(flags)).migrate(actorFromFlags(flags));
  if (flags.json) io.stdout.write(`${JSON.stringify(migration)}\n`);
  else {
    io.stdout.write(
      `${location}: re-sealed ${migration.events} legacy event(s) under the audit key as log ${short(migration.log)}, with a migrate event recording the legacy head ${migration.legacyHead}; head ${migration.head}` +
        (migration.legacyCopy ? `; the legacy log is kept as ${migration.legacyCopy}` : '') +
        '\n',
    );
  }
  return EXIT.ok;
}

const TRAIL_HELP = 'audit log file, embedded store file, or neo4j:// URI';

/** Adds the key and witness flags every audit subcommand takes, and --json. */
function addAuditFileFlags(command: Command): Command {
  return command
    .option('--key <file>', 'the audit (HMAC) key (default $OCGNET_AUDIT_KEY, else ~/.ocgnet/audit/audit.key)')
    .option(
      '--signing-key <file>',
      'the Ed25519 key that signs checkpoints (default $OCGNET_AUDIT_SIGNING_KEY, else ~/.ocgnet/audit/signing.key)',
    )
    .option(
      '--public-key <file>',
      'the public key that checks them (default $OCGNET_AUDIT_PUBLIC_KEY, else <signing key>.pub)',
    )
    .option(
      '--witness <file>',
      'the witness file of signed checkpoints (default $OCGNET_AUDIT_WITNESS, else <log>.witness for a log; none for a store)',
    )
    .option('--json', 'print JSON');
}

/** `ocgnet audit verify|checkpoint|migrate <trail>`. An AuditError (what the trail refused) is exit 1 in reportError. */
export function registerAudit(program: Command, { io, action }: CommandContext): void {
  const audit = program
    .command('audit')
    .description(
      'the audit trail of a log file, an embedded store or a Neo4j store: keyed chain, signed checkpoints (packages/audit/README.md)',
    );
  addAuditFileFlags(
    audit
      .command('verify')
      .description(
        'check every event under the audit key and the chain against its signed checkpoints; exit 1 if anything was altered, removed, reordered or rewritten, or if the trail, a key or the witness is missing',
      )
      .argument('<trail>', TRAIL_HELP),
  )
    .option(
      '--allow-missing-witness',
      'accept a missing or empty witness file (events removed from the end then go unseen)',
    )
    .option('--allow-legacy', 'check a plain SHA-256 chain written by an older ocgnet, and pass it with a warning')
    .action(
      action(
        async (
          trail: string,
          options: AuditFileFlags & { json?: boolean; allowMissingWitness?: boolean; allowLegacy?: boolean },
        ) =>
          runAuditVerify(
            trail,
            {
              ...options,
              json: Boolean(options.json),
              allowMissingWitness: Boolean(options.allowMissingWitness),
              allowLegacy: Boolean(options.allowLegacy),
            },
            io,
          ),
      ),
    );
  addAuditFileFlags(
    audit
      .command('checkpoint')
      .description(
        'after verifying the chain, sign a checkpoint of its head into the witness: starts a lost witness afresh',
      )
      .argument('<trail>', TRAIL_HELP),
  ).action(
    action(async (trail: string, options: AuditFileFlags & { json?: boolean }) =>
      runAuditCheckpoint(trail, { ...options, json: Boolean(options.json) }, io),
    ),
  );
  addAuditFileFlags(
    audit
      .command('migrate')
      .description(
        're-seal a plain SHA-256 trail written by an older ocgnet under the audit key (audited as migrate; a log keeps its old file as <log>.legacy)',
      )
      .argument('<trail>', TRAIL_HELP),
  )
    .option('--who <name>', 'who is migrating (audited; default $OCGNET_USER or the login name)')
    .requiredOption('--justification <text>', 'why (audited)')
    .action(
      action(async (trail: string, options: AuditFileFlags & ActorFlags & { json?: boolean }) =>
        runAuditMigrate(trail, { ...options, json: Boolean(options.json) }, io),
      ),
    );
}
