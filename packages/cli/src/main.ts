/**
 * The `ocgnet` command: argument parsing, progress and exit codes. Each
 * subcommand lives in commands/; this file only wires them to commander.
 */
import { Command, CommanderError, Option } from 'commander';
import { OCGNET_VERSION } from './version.js';
import type { RecoveryMechanismType } from '@ocgnet/disruption';
import { EXIT, UsageError, reportError } from './errors.js';
import { runValidate } from './commands/validate.js';
import { runImport } from './commands/import.js';
import { runStats } from './commands/stats.js';
import { runGenerate } from './commands/generate.js';
import { runAnalyse } from './commands/analyse.js';
import { runEgo, runPath } from './commands/navigate.js';
import { runDisrupt } from './commands/disrupt.js';
import { runPlan } from './commands/plan.js';
import { runKeyPlayers } from './commands/keyplayers.js';
import { runAuditCheckpoint, runAuditMigrate, runAuditVerify, type AuditFileFlags } from './commands/audit.js';
import { PROFILE_FORMATS, runProfile, type ProfileCommandOptions } from './commands/profile.js';
import type { ProgressOptions } from './progress.js';
import { runStoreAudit, runStoreErase, runStoreInfo, runStoreRecords, runStoreReview, type StoreQueryFlags } from './commands/store.js';
import { actorFromFlags, type ActorFlags } from './storeAccess.js';
import { audiencesInForce } from './audiences.js';
import { runServe, runServeToken, runView } from './commands/serve.js';
import { addProjectionFlags, projectionOptionsFromFlags, type ProjectionFlags } from './projectionFlags.js';
import { droppedAttributesFromFlag, exportFormatsFromFlag, perturbMethodFromFlag, runAnonymise, type ChannelMode, type DateMode, type WeightMode } from './commands/anonymise.js';
import { runReproduce } from './commands/reproduce.js';

/** Help of every --audiences flag: the force's configuration of who may see what. */
export const AUDIENCES_HELP = "the force's audiences file (JSON, schema_version 2): who may receive what; default the shipped one. Its SHA-256 is recorded in every audit event and profile";

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

export { OCGNET_VERSION };

/** `replacement=0.5,triadic=0.1` → recovery mechanisms; @ocgnet/disruption checks the names and ranges. */
function recoveryMechanisms(spec: string | undefined): { type: RecoveryMechanismType; probability: number }[] {
  if (spec === undefined) return [];
  return spec.split(',').filter(Boolean).map((part) => {
    const [type, probability] = part.split('=');
    const value = Number(probability);
    if (!type || probability === undefined || !Number.isFinite(value)) throw new UsageError(`--recovery takes mechanism=probability, not ${JSON.stringify(part)}`);
    return { type: type as RecoveryMechanismType, probability: value };
  });
}

function buildProgram(io: CliIo, setExit: (code: number) => void, argv: readonly string[]): Command {
  const program = new Command('ocgnet')
    .description('Network analysis of nominals and organised crime groups.\nAll data is treated as OFFICIAL-SENSITIVE.')
    .version(OCGNET_VERSION)
    .option('-q, --quiet', 'no progress display on stderr')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showSuggestionAfterError(true);

  const progressOf = (command: Command): ProgressOptions => ({ quiet: Boolean(command.optsWithGlobals().quiet), stream: io.stderr });

  program
    .command('validate')
    .description('check record or network files and list every problem (file:line: field: reason)')
    .argument('<inputs...>', 'files or folders')
    .option('--json', 'print the result as JSON')
    .option('--audiences <file>', `${AUDIENCES_HELP}; used to report release_to ids it does not hold`)
    .action(async (inputs: string[], options: { json?: boolean; audiences?: string }, command: Command) => {
      setExit(await runValidate(inputs, { json: Boolean(options.json), ...(options.audiences !== undefined ? { audiences: options.audiences } : {}), ...progressOf(command) }, io));
    });

  program
    .command('import')
    .description('validate inputs and write one ocgnet graph file, or import them into a store (all or nothing)')
    .argument('<inputs...>', 'files or folders')
    .option('-o, --out <file>', 'graph file to write (.ocgnet.ndjson; research networks also .graphml .gexf .net .dl .csv)')
    .option('--store <store>', 'import into a store instead: a file path (embedded SQLite) or neo4j://host:port')
    .option('--skip-invalid', 'keep the valid records and write the invalid ones to a rejects file')
    .option('--rejects <file>', 'where --skip-invalid writes rejected records (default: <out>.rejects.ndjson)')
    .option('--who <name>', 'who is importing (audited in the store; default $OCGNET_USER or the login name)')
    .option('--justification <text>', 'why (audited in the store)')
    .option('--reason <text>', 'your own reason, recorded in the store beside the justification')
    .option('--replace-source', "with --store: the import is the whole truth for its records' sources; stored records of those sources that it lacks are removed (listed, audited)")
    .option('--audiences <file>', `${AUDIENCES_HELP}; used to report release_to ids it does not hold`)
    .action(async (inputs: string[], options: { out?: string; store?: string; skipInvalid?: boolean; rejects?: string; audiences?: string; replaceSource?: boolean } & ActorFlags, command: Command) => {
      const audiences = options.audiences !== undefined ? await audiencesInForce(options.audiences) : undefined;
      setExit(
        await runImport(
          inputs,
          {
            ...(options.out !== undefined ? { out: options.out } : {}),
            ...(options.store !== undefined ? { store: options.store, actor: actorFromFlags(options, undefined, audiences?.sha256) } : {}),
            ...(options.audiences !== undefined ? { audiences: options.audiences } : {}),
            skipInvalid: Boolean(options.skipInvalid),
            replaceSource: Boolean(options.replaceSource),
            ...(options.rejects !== undefined ? { rejects: options.rejects } : {}),
            ...progressOf(command),
          },
          io,
        ),
      );
    });

  addProjectionFlags(
    program
      .command('stats')
      .description('counts by kind and type, components and density, of the network and its person projection')
      .argument('<inputs...>', 'files or folders')
      .option('--json', 'print one JSON document'),
  ).action(async (inputs: string[], options: { json?: boolean } & ProjectionFlags, command: Command) => {
    setExit(await runStats(inputs, { json: Boolean(options.json), projection: projectionOptionsFromFlags(options), ...progressOf(command) }, io));
  });

  addProjectionFlags(
    program
      .command('analyse')
      .alias('analyze')
      .description('key nominals, communities against mapped OCGs, roles, brokers, cut points and bridges')
      .argument('[inputs...]', 'files or folders (or --store)')
      .option('--json', 'print one JSON document (graph, nodes, communities, bridges, manifest)')
      .option('-o, --out <dir>', 'also write an analysis bundle (analysis.json, graph.json, manifest.json)')
      .option('--weighted', 'weighted variants of every metric and of Louvain')
      .addOption(new Option('--distance <mode>', "weighted path length: 'inverse' (1/weight, strong ties are short) or 'weight' (networkx)").choices(['inverse', 'weight']).default('inverse'))
      .option('--resolution <r>', 'Louvain resolution', '1')
      .option('--seed <n>', 'Louvain seed', '1')
      .option('--top <n>', 'key nominals to list in the table', '20')
      .option('--exact-betweenness', 'betweenness from every source even above 20,000 nodes, where it is otherwise estimated from 256 seeded pivots')
      .option('--large', 'the large-graph path (typed arrays only: degree, PageRank, components, Louvain, sampled betweenness); taken anyway for a headerless edge list of more than 200,000 edges')
      .addOption(new Option('--engine <name>', 'where the computation runs: in process, or inside Neo4j with GDS (needs --store neo4j://…)').choices(['ocgnet', 'neo4j']).default('ocgnet'))
      .option('--store <store>', 'analyse the records in a store: a file path (embedded) or neo4j://host:port')
      .option('--write-back', 'save metrics and communities onto the entities in the store')
      .option('--who <name>', 'who is analysing (audited in the store)')
      .option('--justification <text>', 'why (audited in the store)'),
  ).action(
    async (
      inputs: string[],
      options: { json?: boolean; out?: string; weighted?: boolean; distance: 'inverse' | 'weight'; resolution: string; seed: string; top: string; engine: string; store?: string; writeBack?: boolean; large?: boolean; exactBetweenness?: boolean } & ProjectionFlags & ActorFlags,
      command: Command,
    ) => {
      const resolution = Number(options.resolution);
      const seed = Number(options.seed);
      const top = Number(options.top);
      if (!Number.isFinite(resolution) || resolution <= 0) throw new UsageError(`--resolution must be a positive number, not ${JSON.stringify(options.resolution)}`);
      if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, not ${JSON.stringify(options.seed)}`);
      if (!Number.isSafeInteger(top) || top < 1) throw new UsageError(`--top must be a positive integer, not ${JSON.stringify(options.top)}`);
      setExit(
        await runAnalyse(
          inputs,
          {
            json: Boolean(options.json),
            ...(options.out !== undefined ? { out: options.out } : {}),
            engine: options.engine,
            ...(options.store !== undefined ? { store: options.store, actor: actorFromFlags(options) } : {}),
            writeBack: Boolean(options.writeBack),
            large: Boolean(options.large),
            top,
            analysis: { weighted: Boolean(options.weighted), distance: options.distance, resolution, seed, betweenness: options.exactBetweenness ? 'exact' : 'auto' },
            projection: projectionOptionsFromFlags(options),
            argv,
            ...progressOf(command),
          },
          io,
        ),
      );
    },
  );

  addProjectionFlags(
    program
      .command('path')
      .description('how two nominals are connected: every shortest path, each hop with its evidence and marking')
      .argument('<input>', 'file or folder')
      .argument('<from>', 'node id')
      .argument('<to>', 'node id')
      .option('--json', 'print JSON')
      .option('-k, --k <n>', 'also list the k shortest loopless paths (Yen)', '1')
      .option('--weighted', 'path length from weights')
      .addOption(new Option('--distance <mode>', "'inverse' (1/weight) or 'weight'").choices(['inverse', 'weight']).default('inverse')),
  ).action(
    async (input: string, from: string, to: string, options: { json?: boolean; k: string; weighted?: boolean; distance: 'inverse' | 'weight' } & ProjectionFlags, command: Command) => {
      const k = Number(options.k);
      if (!Number.isSafeInteger(k) || k < 1) throw new UsageError(`--k must be a positive integer, not ${JSON.stringify(options.k)}`);
      setExit(
        await runPath([input], from, to, { json: Boolean(options.json), k, weighted: Boolean(options.weighted), distance: options.distance, projection: projectionOptionsFromFlags(options), ...progressOf(command) }, io),
      );
    },
  );

  addProjectionFlags(
    program
      .command('ego')
      .description('the ego network of a nominal at radius 1-3, with safeguarding subjects marked, under the strictest handling marking of what it shows')
      .argument('<input>', 'file or folder')
      .argument('<centre>', 'node id')
      .option('--json', 'print JSON')
      .option('-r, --radius <n>', 'radius, 1 to 3', '1'),
  ).action(async (input: string, centre: string, options: { json?: boolean; radius: string } & ProjectionFlags, command: Command) => {
    const radius = Number(options.radius);
    if (![1, 2, 3].includes(radius)) throw new UsageError(`--radius must be 1, 2 or 3, not ${JSON.stringify(options.radius)}`);
    setExit(await runEgo([input], centre, { json: Boolean(options.json), radius, projection: projectionOptionsFromFlags(options), ...progressOf(command) }, io));
  });

  addProjectionFlags(
    program
      .command('disrupt')
      .description('simulate removing targets and report the network after each removal (LCC, components, fragmentation, efficiency)')
      .argument('<inputs...>', 'files or folders')
      .option('--strategy <name>', 'degree, betweenness, pagerank, coreness, random or targets', 'betweenness')
      .addOption(new Option('--mode <mode>', 'sequential: re-rank after each removal; simultaneous: rank once ("arrest day")').choices(['sequential', 'simultaneous']).default('sequential'))
      .option('--steps <k>', 'removals to simulate (default 20, or the whole target list)')
      .option('--targets <ids>', 'comma-separated ids, in order, for --strategy targets')
      .option('--seed <n>', 'seed for random strategies', '1')
      .option('--seeds <n>', 'runs averaged for random strategies', '10')
      .option('--weighted', 'let strategies use tie weights')
      .option('--recovery <mechanisms>', 'then simulate recovery, e.g. replacement=0.5,triadic=0.1,preferential=0.2')
      .option('--recovery-rounds <n>', 'rounds of recovery', '1')
      .option('--include-safeguarding', 'let safeguarding subjects (vulnerable, under 18, exploited, cuckooed) be removed, marked; by default they are never removed')
      .option('--json', 'print { strategy, mode, removed, curve }'),
  ).action(
    async (
      inputs: string[],
      options: {
        strategy: string;
        mode: 'sequential' | 'simultaneous';
        steps?: string;
        targets?: string;
        seed: string;
        seeds: string;
        weighted?: boolean;
        recovery?: string;
        recoveryRounds: string;
        includeSafeguarding?: boolean;
        json?: boolean;
      } & ProjectionFlags,
      command: Command,
    ) => {
      const positive = (text: string, flag: string, min: number) => {
        const value = Number(text);
        if (!Number.isSafeInteger(value) || value < min) throw new UsageError(`${flag} must be an integer of at least ${min}, not ${JSON.stringify(text)}`);
        return value;
      };
      setExit(
        await runDisrupt(
          inputs,
          {
            json: Boolean(options.json),
            strategy: options.strategy,
            mode: options.mode,
            ...(options.steps !== undefined ? { steps: positive(options.steps, '--steps', 0) } : {}),
            seed: positive(options.seed, '--seed', 0),
            seeds: positive(options.seeds, '--seeds', 1),
            targets: options.targets ? options.targets.split(',').filter(Boolean) : [],
            weighted: Boolean(options.weighted),
            recovery: recoveryMechanisms(options.recovery),
            recoveryRounds: positive(options.recoveryRounds, '--recovery-rounds', 1),
            includeSafeguarding: Boolean(options.includeSafeguarding),
            projection: projectionOptionsFromFlags(options),
            ...progressOf(command),
          },
          io,
        ),
      );
    },
  );

  addProjectionFlags(
    program
      .command('keyplayers')
      .description("Borgatti's key players: the k whose removal fragments the network most, or the k who reach most others")
      .argument('<inputs...>', 'files or folders')
      .option('--k <k>', 'size of the set', '3')
      .addOption(new Option('--objective <objective>', 'fragment (KPP-Neg) or reach (KPP-Pos)').choices(['fragment', 'reach']).default('fragment'))
      .option('--distance-weighted', "distance-weighted fragmentation (fragment) or distance-weighted reach (reach)")
      .addOption(new Option('--reach-steps <m>', 'reach within this many steps').choices(['1', '2']).default('2'))
      .option('--ocg <id>', 'only within one mapped OCG')
      .option('--robust', 'also report how often each stays in the top k with 5-30% of links missing')
      .option('--seed <n>', 'seed of the search and of the robustness samples', '1')
      .option('--include-safeguarding', 'let safeguarding subjects (vulnerable, under 18, exploited, cuckooed) be players, marked; by default they are never chosen')
      .option('--json', 'print JSON'),
  ).action(
    async (
      inputs: string[],
      options: { k: string; objective: 'fragment' | 'reach'; distanceWeighted?: boolean; reachSteps: '1' | '2'; ocg?: string; robust?: boolean; seed: string; includeSafeguarding?: boolean; json?: boolean } & ProjectionFlags,
      command: Command,
    ) => {
      const k = Number(options.k);
      const seed = Number(options.seed);
      if (!Number.isSafeInteger(k) || k < 1) throw new UsageError(`--k must be a positive integer, not ${JSON.stringify(options.k)}`);
      if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, not ${JSON.stringify(options.seed)}`);
      setExit(
        await runKeyPlayers(
          inputs,
          {
            json: Boolean(options.json),
            k,
            objective: options.objective,
            distance: Boolean(options.distanceWeighted),
            steps: Number(options.reachSteps) as 1 | 2,
            ...(options.ocg !== undefined ? { ocg: options.ocg } : {}),
            robust: Boolean(options.robust),
            seed,
            includeSafeguarding: Boolean(options.includeSafeguarding),
            projection: projectionOptionsFromFlags(options),
            ...progressOf(command),
          },
          io,
        ),
      );
    },
  );

  addProjectionFlags(
    program
      .command('plan')
      .description('the Achilles-heel partnership action plan for one OCG: targets partners can act on, levers, evidence, safeguarding')
      .argument('<inputs...>', 'files or folders of intelligence records')
      .requiredOption('--ocg <id>', 'the mapped OCG to plan against')
      .option('--k <k>', 'targets to recommend', '5')
      .option('--no-hidden', 'leave out possible hidden members found by community detection')
      .option('--audiences <file>', `${AUDIENCES_HELP}; a lever rests only on evidence its lead agency's audience may receive`)
      .option('--json', 'print JSON'),
  ).action(async (inputs: string[], options: { ocg: string; k: string; hidden: boolean; json?: boolean; audiences?: string } & ProjectionFlags, command: Command) => {
    const k = Number(options.k);
    if (!Number.isSafeInteger(k) || k < 1) throw new UsageError(`--k must be a positive integer, not ${JSON.stringify(options.k)}`);
    setExit(
      await runPlan(
        inputs,
        {
          json: Boolean(options.json),
          ocg: options.ocg,
          k,
          hidden: options.hidden,
          projection: projectionOptionsFromFlags(options),
          ...(options.audiences !== undefined ? { audiences: options.audiences } : {}),
          ...progressOf(command),
        },
        io,
      ),
    );
  });

  program
    .command('profile')
    .description('a partnership profile of one subject for one audience, computed only from what that audience may see; audited')
    .argument('[inputs...]', 'files or folders of intelligence records (or --store)')
    .requiredOption('--subject <subject>', 'ocg:ID, usg:ID, person:ID, location:ID, or local for the area-wide local profile')
    .requiredOption('--audience <id>', 'police-analyst, police-partner, partner-agency:housing, partner-agency:dwp, …')
    .addOption(new Option('--format <format>', 'output format').choices([...PROFILE_FORMATS]).default('html'))
    .option('-o, --out <file>', 'write to a file (an export) instead of stdout')
    .requiredOption('--who <name>', 'who is producing the profile (audited)')
    .requiredOption('--justification <text>', 'why (audited)')
    .option('--recipients <list>', 'comma-separated recipients (audited)', '')
    .option('--audit-log <file>', 'the audit trail to append to', 'ocgnet-audit.log')
    .option('--store <store>', "read the records from a store and audit into the store's trail (not --audit-log)")
    .option('--audiences <file>', AUDIENCES_HELP)
    .action(
      async (
        inputs: string[],
        // As the command takes them, but with --recipients still one comma-separated string.
        options: Omit<ProfileCommandOptions, 'recipients' | keyof ProgressOptions> & { recipients: string },
        command: Command,
      ) => {
        setExit(
          await runProfile(
            inputs,
            {
              subject: options.subject,
              audience: options.audience,
              format: options.format,
              ...(options.out !== undefined ? { out: options.out } : {}),
              who: options.who,
              justification: options.justification,
              recipients: options.recipients.split(',').map((recipient) => recipient.trim()).filter(Boolean),
              auditLog: options.auditLog,
              ...(options.store !== undefined ? { store: options.store } : {}),
              ...(options.audiences !== undefined ? { audiences: options.audiences } : {}),
              ...progressOf(command),
            },
            io,
          ),
        );
      },
    );

  const audit = program
    .command('audit')
    .description('the audit trail of a log file, an embedded store or a Neo4j store: keyed chain, signed checkpoints (packages/audit/README.md)');
  const auditFileOptions = (command: Command) =>
    command
      .option('--key <file>', 'the audit (HMAC) key (default $OCGNET_AUDIT_KEY, else ~/.ocgnet/audit/audit.key)')
      .option('--signing-key <file>', 'the Ed25519 key that signs checkpoints (default $OCGNET_AUDIT_SIGNING_KEY, else ~/.ocgnet/audit/signing.key)')
      .option('--public-key <file>', 'the public key that checks them (default $OCGNET_AUDIT_PUBLIC_KEY, else <signing key>.pub)')
      .option('--witness <file>', 'the witness file of signed checkpoints (default $OCGNET_AUDIT_WITNESS, else <log>.witness for a log; none for a store)')
      .option('--json', 'print JSON');
  auditFileOptions(
    audit
      .command('verify')
      .description('check every event under the audit key and the chain against its signed checkpoints; exit 1 if anything was altered, removed, reordered or rewritten, or if the trail, a key or the witness is missing')
      .argument('<trail>', 'audit log file, embedded store file, or neo4j:// URI'),
  )
    .option('--allow-missing-witness', 'accept a missing or empty witness file (events removed from the end then go unseen)')
    .option('--allow-legacy', 'check a plain SHA-256 chain written by an older ocgnet, and pass it with a warning')
    .action(async (trail: string, options: AuditFileFlags & { json?: boolean; allowMissingWitness?: boolean; allowLegacy?: boolean }) => {
      setExit(
        await runAuditVerify(
          trail,
          { ...options, json: Boolean(options.json), allowMissingWitness: Boolean(options.allowMissingWitness), allowLegacy: Boolean(options.allowLegacy) },
          io,
        ),
      );
    });
  auditFileOptions(
    audit
      .command('checkpoint')
      .description('after verifying the chain, sign a checkpoint of its head into the witness: starts a lost witness afresh')
      .argument('<trail>', 'audit log file, embedded store file, or neo4j:// URI'),
  ).action(async (trail: string, options: AuditFileFlags & { json?: boolean }) => {
    setExit(await runAuditCheckpoint(trail, { ...options, json: Boolean(options.json) }, io));
  });
  auditFileOptions(
    audit
      .command('migrate')
      .description('re-seal a plain SHA-256 trail written by an older ocgnet under the audit key (audited as migrate; a log keeps its old file as <log>.legacy)')
      .argument('<trail>', 'audit log file, embedded store file, or neo4j:// URI'),
  )
    .option('--who <name>', 'who is migrating (audited; default $OCGNET_USER or the login name)')
    .requiredOption('--justification <text>', 'why (audited)')
    .action(async (trail: string, options: AuditFileFlags & ActorFlags & { json?: boolean }) => {
      setExit(await runAuditMigrate(trail, { ...options, json: Boolean(options.json) }, io));
    });

  const store = program.command('store').description('what a store holds, records due for review, erasure, and its audit trail');
  const actorOptions = (command: Command) =>
    command
      .option('--who <name>', 'who is acting (audited)')
      .option('--justification <text>', 'why (audited)')
      .option('--reason <text>', 'your own reason, recorded beside the justification (audited)');
  actorOptions(
    store
      .command('info')
      .description('counts, content hash, audit chain state and the latest saved analysis')
      .argument('<store>', 'a store file path or neo4j:// URI')
      .option('--json', 'print JSON'),
  ).action(async (location: string, options: { json?: boolean } & ActorFlags) => {
    setExit(await runStoreInfo(location, { json: Boolean(options.json) }, actorFromFlags(options), io));
  });
  const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)];
  actorOptions(
    store
      .command('records')
      .description('the stored records a query selects, as an ocgnet graph file (NDJSON) on stdout; audited')
      .argument('<store>', 'a store file path or neo4j:// URI')
      .option('--entity <ids>', 'start from these entities (repeatable, or comma-separated)', collect)
      .option('--hops <n>', 'with --entity: also everything within n links (0-10)')
      .option('--kind <kinds>', 'only these entity kinds (repeatable, or comma-separated)', collect)
      .option('--from <date>', 'only links seen on or after YYYY-MM-DD (undated links are left out)')
      .option('--to <date>', 'only links seen on or before YYYY-MM-DD')
      .option('--max-handling <code>', 'only records handled at most P, C or R'),
  ).action(async (location: string, options: StoreQueryFlags & ActorFlags) => {
    setExit(await runStoreRecords(location, options, actorFromFlags(options), io));
  });
  actorOptions(
    store
      .command('review')
      .description('records whose review date (retention) falls on or before a date')
      .argument('<store>', 'a store file path or neo4j:// URI')
      .option('--as-of <date>', 'YYYY-MM-DD (default: today)', new Date().toISOString().slice(0, 10))
      .option('--json', 'print JSON'),
  ).action(async (location: string, options: { asOf: string; json?: boolean } & ActorFlags) => {
    setExit(await runStoreReview(location, { asOf: options.asOf, json: Boolean(options.json) }, actorFromFlags(options), io));
  });
  actorOptions(
    store
      .command('erase')
      .description('erase a nominal (or any entity), its links and analysis values, and its key: the audit entry keeps a hash, not the id, and earlier events show it as (erased)')
      .argument('<store>', 'a store file path or neo4j:// URI')
      .argument('<id>', 'the entity to erase')
      .option('--json', 'print JSON'),
  ).action(async (location: string, id: string, options: { json?: boolean } & ActorFlags) => {
    setExit(await runStoreErase(location, id, { ...(options.justification !== undefined ? { justification: options.justification } : {}), json: Boolean(options.json) }, actorFromFlags(options), io));
  });
  actorOptions(
    store
      .command('audit')
      .description("verify the store's audit chain; --events prints every event")
      .argument('<store>', 'a store file path or neo4j:// URI')
      .option('--events', 'print the events, one JSON line each, ids opened (or "(erased)" once their subject was erased)')
      .option('--sealed', 'with --events: print the records exactly as stored (sealed ids, verifiable MACs)')
      .option('--json', 'print the verification as JSON'),
  ).action(async (location: string, options: { json?: boolean; events?: boolean; sealed?: boolean } & ActorFlags) => {
    setExit(await runStoreAudit(location, { json: Boolean(options.json), events: Boolean(options.events), sealed: Boolean(options.sealed) }, actorFromFlags(options), io));
  });

  const serve = program
    .command('serve')
    .description('serve the viewer and an authenticated, audited HTTP API over a store (binds to 127.0.0.1; no TLS: put a reverse proxy in front)')
    .option('--store <store>', 'the store: a file path (embedded) or neo4j://host:port')
    .option('--users <file>', 'users config: {"users":[{name, audience, token_sha256, justification}]}')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <n>', 'port (0: any free port)', '8080')
    .option('--viewer <dir>', 'the built viewer (default: apps/viewer/dist when built)')
    .option('--log', 'log each request on stderr')
    .option('--behind-proxy [proxies]', 'behind a TLS reverse proxy: client addresses from the X-Forwarded-For it sets, Secure cookie; give the proxies\' addresses or CIDRs (comma-separated) unless it runs on this machine')
    .option('--audiences <file>', AUDIENCES_HELP)
    .action(async (options: { store?: string; users?: string; host: string; port: string; viewer?: string; log?: boolean; behindProxy?: boolean | string; audiences?: string }) => {
      if (options.store === undefined || options.users === undefined) throw new UsageError('ocgnet serve needs --store and --users (or: ocgnet serve token)');
      setExit(
        await runServe(
          {
            store: options.store,
            users: options.users,
            host: options.host,
            port: options.port,
            log: Boolean(options.log),
            ...(options.behindProxy !== undefined ? { behindProxy: options.behindProxy } : {}),
            ...(options.viewer !== undefined ? { viewer: options.viewer } : {}),
            ...(options.audiences !== undefined ? { audiences: options.audiences } : {}),
          },
          io,
        ),
      );
    });
  serve
    .command('token')
    .description('print a new token (give it to its user) and its sha256 (for the users config)')
    .option('--json', 'print {token, token_sha256}')
    .action(async (options: { json?: boolean }) => {
      setExit(await runServeToken({ json: Boolean(options.json) }, io));
    });

  actorOptions(
    program
      .command('view')
      .description('open one input in the viewer: an analysis folder, .gexf, .graphml, bundle.json, records, or a store, whose every consultation is audited there (127.0.0.1, random token in the URL)')
      .argument('<input>', 'file, folder, store file or neo4j:// URI')
      .option('--port <n>', 'port (default: any free port)', '0')
      .option('--viewer <dir>', 'the built viewer (default: apps/viewer/dist when built)'),
  ).action(async (input: string, options: { port: string; viewer?: string } & ActorFlags, command: Command) => {
    const actor = { ...(options.who !== undefined ? { who: options.who } : {}), ...(options.justification !== undefined ? { justification: options.justification } : {}) };
    setExit(await runView(input, { port: options.port, ...(options.viewer !== undefined ? { viewer: options.viewer } : {}), ...actor, ...progressOf(command) }, io));
  });

  addProjectionFlags(
    program
      .command('anonymise')
      .alias('anonymize')
      .description('an anonymised research export (keyed pseudonyms, evidence permitted for research only, generalised attributes, re-identification measures, manifest); refused when any attack singles out a nominal below --min-k, or on a second release under one key')
      .argument('<input>', 'records (file or folder) or a research network')
      .requiredOption('--key-file <file>', 'pseudonym key: read if it exists, else created (32 random bytes as hex, mode 600); never inside --out. Its ledger of releases is kept beside it (<key-file>.releases.json)')
      .requiredOption('-o, --out <dir>', 'folder to write the export and manifest.json into (must be empty unless --force)')
      .option('--force', 'write into a folder that is not empty')
      .option('--min-k <k>', 'refuse unless every re-identification measure leaves each nominal among at least k candidates', '5')
      .addOption(new Option('--dates <mode>', 'link dates: month, quarter, year, shift by a keyed per-export offset, or none').choices(['shift', 'month', 'quarter', 'year', 'none']).default('month'))
      .addOption(new Option('--weights <mode>', 'tie weights: exact, bands (rounded down to a power of two) or none (all 1)').choices(['exact', 'bands', 'none']).default('exact'))
      .addOption(new Option('--channels <mode>', 'tie channels: exact, coarse (direct, shared, phone) or none').choices(['exact', 'coarse', 'none']).default('exact'))
      .option('--perturb [method]', 'add ties until every measure reaches --min-k: automorphism (default; k-automorphism, covers every measure) or degree (Liu & Terzi 2008, degree only)')
      .option('--seed <n>', 'seed of the perturbation', '1')
      .option('--allow-second-release', 'make a release although this key has made one (still refused while intersecting the releases singles anyone out)')
      .option('--formats <list>', 'comma-separated: graphml,gexf,csv,pajek,dl', 'graphml,gexf,csv,pajek,dl')
      .option('--drop <list>', 'kept attributes to leave out, comma-separated: ages,areas,channels,gradings,dates')
      .option('--audiences <file>', `${AUDIENCES_HELP}; C evidence is used only where its release_to names a researcher audience`),
  ).action(
    async (
      input: string,
      options: { keyFile: string; out: string; force?: boolean; minK: string; dates: DateMode; weights: WeightMode; channels: ChannelMode; perturb?: boolean | string; seed: string; allowSecondRelease?: boolean; formats: string; drop?: string; audiences?: string } & ProjectionFlags,
      command: Command,
    ) => {
      const minK = Number(options.minK);
      const seed = Number(options.seed);
      if (!Number.isSafeInteger(minK) || minK < 1) throw new UsageError(`--min-k must be a positive integer, not ${JSON.stringify(options.minK)}`);
      if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, not ${JSON.stringify(options.seed)}`);
      setExit(
        await runAnonymise(
          input,
          {
            keyFile: options.keyFile,
            out: options.out,
            force: Boolean(options.force),
            minK,
            dates: options.dates,
            weights: options.weights,
            channels: options.channels,
            perturb: perturbMethodFromFlag(options.perturb),
            seed,
            allowSecondRelease: Boolean(options.allowSecondRelease),
            formats: exportFormatsFromFlag(options.formats),
            drop: droppedAttributesFromFlag(options.drop),
            projection: projectionOptionsFromFlags(options),
            ...(options.audiences !== undefined ? { audiences: options.audiences } : {}),
            ...progressOf(command),
          },
          io,
        ),
      );
    },
  );

  program
    .command('reproduce')
    .description("check a research export against its manifest: file hashes, then the recorded analysis rerun on the re-imported export; exit 1 on any mismatch")
    .argument('<manifest>', 'manifest.json, or the export folder')
    .option('--json', 'print JSON')
    .action(async (manifest: string, options: { json?: boolean }, command: Command) => {
      setExit(await runReproduce(manifest, { json: Boolean(options.json), ...progressOf(command) }, io));
    });

  program
    .command('generate')
    .description('write a seeded synthetic scenario (records and ground truth)')
    .addOption(new Option('--size <size>', 'scenario size').choices(['small', 'medium', 'large']).default('small'))
    .option('--seed <n>', 'random seed', '1')
    .requiredOption('-o, --out <dir>', 'folder to write entities.csv, links.csv, truth.csv into')
    .addOption(new Option('--format <format>', 'record format').choices(['csv', 'ndjson']).default('csv'))
    .action(async (options: { size: 'small' | 'medium' | 'large'; seed: string; out: string; format: 'csv' | 'ndjson' }, command: Command) => {
      const seed = Number(options.seed);
      if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, not ${JSON.stringify(options.seed)}`);
      setExit(await runGenerate({ size: options.size, seed, out: options.out, format: options.format, ...progressOf(command) }, io));
    });

  return program;
}

/** Runs the CLI and returns its exit code; never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (exit) => (code = exit), argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; everything else commander rejects is usage.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(error, io.stderr);
  }
}
