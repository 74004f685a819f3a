/**
 * `ocgnet store …`: what a store holds, what is due for review, erasure of a
 * nominal, and the store's audit trail.
 */
import { describeAuditFault, formatRecordLine } from '@ocgnet/audit';
import { EXIT, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import type { Command } from 'commander';
import { givenFlags, type CommandContext } from '../command.js';
import { actorFromFlags, addActorFlags, withStore, type ActorFlags } from '../storeAccess.js';
import type { RecordQuery, StoreActor } from '@ocgnet/store';
import { ENTITY_KINDS, type EntityKind, type HandlingMarking } from '@ocgnet/schema';
import { graphFileHeader, recordNdjsonLines } from '@ocgnet/io';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function runStoreInfo(
  location: string,
  options: { json: boolean },
  actor: StoreActor,
  io: CliIo,
): Promise<number> {
  return withStore(
    location,
    actor,
    async (store) => {
      const counts = await store.counts();
      const contentHash = await store.contentHash();
      const audit = await store.verifyAudit();
      const analysis = await store.latestAnalysis();
      const info = {
        store: store.info,
        entities: counts.entities,
        links: counts.links,
        content_sha256: contentHash,
        audit: audit.ok
          ? { intact: true, events: audit.count, head: audit.head }
          : { intact: false, line: audit.line, reason: audit.reason },
        latest_analysis: analysis ? { run: analysis.runId, at: analysis.at, engine: analysis.engine } : null,
      };
      if (options.json) io.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
      else {
        io.stdout.write(`${store.info.kind} store ${store.info.location}\n`);
        io.stdout.write(`  ${counts.entities} entities, ${counts.links} links; content sha256 ${contentHash}\n`);
        // A fault at event 0 is the trail as a whole (no witness, no key, …): describeAuditFault says which.
        io.stdout.write(
          audit.ok
            ? `  audit chain intact: ${audit.count} event(s), head ${audit.head}\n`
            : `  audit chain BROKEN: ${describeAuditFault(audit)}\n`,
        );
        io.stdout.write(
          analysis
            ? `  latest analysis ${analysis.runId} by ${analysis.engine} at ${analysis.at}\n`
            : '  no saved analysis\n',
        );
      }
      return audit.ok ? EXIT.ok : EXIT.badInput;
    },
    { readonly: true },
  );
}

export async function runStoreReview(
  location: string,
  options: { asOf: string; json: boolean },
  actor: StoreActor,
  io: CliIo,
): Promise<number> {
  if (!DATE.test(options.asOf)) throw new UsageError(`--as-of must be YYYY-MM-DD, not ${JSON.stringify(options.asOf)}`);
  return withStore(location, actor, async (store) => {
    const due = await store.dueForReview(options.asOf);
    if (options.json) io.stdout.write(`${JSON.stringify({ as_of: options.asOf, due }, null, 2)}\n`);
    else {
      io.stdout.write(`${due.length} record(s) due for review on or before ${options.asOf}\n`);
      for (const item of due)
        io.stdout.write(
          `${item.review_date}  ${item.record.padEnd(6)} ${item.kind.padEnd(14)} ${item.handling}  ${item.id}\n`,
        );
    }
    return EXIT.ok;
  });
}

export async function runStoreErase(
  location: string,
  id: string,
  options: { justification?: string; json: boolean },
  actor: StoreActor,
  io: CliIo,
): Promise<number> {
  if (!options.justification) throw new UsageError('erasure needs --justification (it is recorded in the audit trail)');
  return withStore(location, actor, async (store) => {
    const report = await store.erase(id, { justification: options.justification! });
    if (options.json) io.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      io.stdout.write(
        `erased 1 entity, ${report.links} link(s) and ${report.analysisValues} analysis value(s); the audit trail records sha256 ${report.subjectHash}, not the id, and its earlier events now show the id as (erased)\n`,
      );
    }
    return EXIT.ok;
  });
}

/**
 * `ocgnet store audit`: verifies the trail; `--events` prints its events, ids opened where their
 * subject's key is held and `(erased)` where an erasure deleted it (`--sealed`: as stored, MACs and all).
 */
export async function runStoreAudit(
  location: string,
  options: { json: boolean; events: boolean; sealed?: boolean },
  actor: StoreActor,
  io: CliIo,
): Promise<number> {
  return withStore(
    location,
    actor,
    async (store) => {
      const result = await store.verifyAudit();
      if (options.events)
        for (const record of await store.auditTrail({ reveal: options.sealed !== true }))
          io.stdout.write(`${formatRecordLine(record)}\n`);
      else if (options.json) io.stdout.write(`${JSON.stringify(result)}\n`);
      else if (result.ok)
        io.stdout.write(`${store.info.location}: chain intact, ${result.count} event(s); head ${result.head}\n`);
      if (!result.ok) io.stderr.write(`${describeAuditFault(result)}\n`);
      return result.ok ? EXIT.ok : EXIT.badInput;
    },
    { readonly: true },
  );
}

export interface StoreQueryFlags {
  entity?: string[];
  hops?: string;
  kind?: string[];
  from?: string;
  to?: string;
  maxHandling?: string;
}

/** `ocgnet store records`: the stored records a query selects, as an ocgnet graph file on stdout (audited as a read). */
export async function runStoreRecords(
  location: string,
  flags: StoreQueryFlags,
  actor: StoreActor,
  io: CliIo,
): Promise<number> {
  const query: RecordQuery = {};
  if (flags.entity?.length) query.entityIds = flags.entity;
  if (flags.hops !== undefined) {
    const hops = Number(flags.hops);
    if (!Number.isInteger(hops))
      throw new UsageError(`--hops must be a whole number, not ${JSON.stringify(flags.hops)}`);
    query.hops = hops;
  }
  if (flags.kind?.length) {
    const unknown = flags.kind.filter((kind) => !(ENTITY_KINDS as readonly string[]).includes(kind));
    if (unknown.length) throw new UsageError(`--kind ${unknown.join(', ')}: kinds are ${ENTITY_KINDS.join(', ')}`);
    query.kinds = flags.kind as EntityKind[];
  }
  if (flags.from !== undefined || flags.to !== undefined) query.window = givenFlags({ from: flags.from, to: flags.to });
  if (flags.maxHandling !== undefined) {
    if (!['P', 'C', 'R'].includes(flags.maxHandling))
      throw new UsageError(`--max-handling must be P, C or R, not ${JSON.stringify(flags.maxHandling)}`);
    query.maxHandling = flags.maxHandling as HandlingMarking;
  }
  return withStore(location, actor, async (store) => {
    const records = await store.records(query);
    const header = graphFileHeader({ model: 'records', inputs: [{ file: store.info.location, sha256: '', bytes: 0 }] });
    for (const line of recordNdjsonLines(records, header)) io.stdout.write(line);
    return EXIT.ok;
  });
}

const STORE_HELP = 'a store file path or neo4j:// URI';

/** `ocgnet store info|records|review|erase|audit <store>`: each audited under the actor flags. */
export function registerStore(program: Command, { io, action }: CommandContext): void {
  const store = program
    .command('store')
    .description('what a store holds, records due for review, erasure, and its audit trail');
  addActorFlags(
    store
      .command('info')
      .description('counts, content hash, audit chain state and the latest saved analysis')
      .argument('<store>', STORE_HELP)
      .option('--json', 'print JSON'),
  ).action(
    action(async (location: string, options: { json?: boolean } & ActorFlags) =>
      runStoreInfo(location, { json: Boolean(options.json) }, actorFromFlags(options), io),
    ),
  );
  const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)];
  addActorFlags(
    store
      .command('records')
      .description('the stored records a query selects, as an ocgnet graph file (NDJSON) on stdout; audited')
      .argument('<store>', STORE_HELP)
      .option('--entity <ids>', 'start from these entities (repeatable, or comma-separated)', collect)
      .option('--hops <n>', 'with --entity: also everything within n links (0-10)')
      .option('--kind <kinds>', 'only these entity kinds (repeatable, or comma-separated)', collect)
      .option('--from <date>', 'only links seen on or after YYYY-MM-DD (undated links are left out)')
      .option('--to <date>', 'only links seen on or before YYYY-MM-DD')
      .option('--max-handling <code>', 'only records handled at most P, C or R'),
  ).action(
    action(async (location: string, options: StoreQueryFlags & ActorFlags) =>
      runStoreRecords(location, options, actorFromFlags(options), io),
    ),
  );
  addActorFlags(
    store
      .command('review')
      .description('records whose review date (retention) falls on or before a date')
      .argument('<store>', STORE_HELP)
      .option('--as-of <date>', 'YYYY-MM-DD (default: today)', new Date().toISOString().slice(0, 10))
      .option('--json', 'print JSON'),
  ).action(
    action(async (location: string, options: { asOf: string; json?: boolean } & ActorFlags) =>
      runStoreReview(location, { asOf: options.asOf, json: Boolean(options.json) }, actorFromFlags(options), io),
    ),
  );
  addActorFlags(
    store
      .command('erase')
      .description(
        'erase a nominal (or any entity), its links and analysis values, and its key: the audit entry keeps a hash, not the id, and earlier events show it as (erased)',
      )
      .argument('<store>', STORE_HELP)
      .argument('<id>', 'the entity to erase')
      .option('--json', 'print JSON'),
  ).action(
    action(async (location: string, id: string, options: { json?: boolean } & ActorFlags) =>
      runStoreErase(
        location,
        id,
        { ...givenFlags({ justification: options.justification }), json: Boolean(options.json) },
        actorFromFlags(options),
        io,
      ),
    ),
  );
  addActorFlags(
    store
      .command('audit')
      .description("verify the store's audit chain; --events prints every event")
      .argument('<store>', STORE_HELP)
      .option(
        '--events',
        'print the events, one JSON line each, ids opened (or "(erased)" once their subject was erased)',
      )
      .option('--sealed', 'with --events: print the records exactly as stored (sealed ids, verifiable MACs)')
      .option('--json', 'print the verification as JSON'),
  ).action(
    action(async (location: string, options: { json?: boolean; events?: boolean; sealed?: boolean } & ActorFlags) =>
      runStoreAudit(
        location,
        { json: Boolean(options.json), events: Boolean(options.events), sealed: Boolean(options.sealed) },
        actorFromFlags(options),
        io,
      ),
    ),
  );
}
