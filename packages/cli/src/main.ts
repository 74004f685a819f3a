/**
 * The `ocgnet` command: argument parsing, progress and exit codes. Each
 * subcommand lives in commands/ and declares its own flags there; this file
 * only assembles them, in the order `ocgnet --help` lists them.
 */
import { Command, CommanderError } from 'commander';
import type { CommandContext, RegisterCommand } from './command.js';
import { EXIT, reportError } from './errors.js';
import type { CliIo } from './io.js';
import { OCGNET_VERSION } from './version.js';
import { registerAnalyse } from './commands/analyse.js';
import { registerAnonymise } from './commands/anonymise.js';
import { registerAudit } from './commands/audit.js';
import { registerDisrupt } from './commands/disrupt.js';
import { registerGenerate } from './commands/generate.js';
import { registerImport } from './commands/import.js';
import { registerKeyPlayers } from './commands/keyplayers.js';
import { registerEgo, registerPath } from './commands/navigate.js';
import { registerPlan } from './commands/plan.js';
import { registerProfile } from './commands/profile.js';
import { registerReproduce } from './commands/reproduce.js';
import { registerServe, registerView } from './commands/serve.js';
import { registerStats } from './commands/stats.js';
import { registerStore } from './commands/store.js';
import { registerValidate } from './commands/validate.js';

export { OCGNET_VERSION };

/** Every command, in help order. */
const COMMANDS: readonly RegisterCommand[] = [
  registerValidate,
  registerImport,
  registerStats,
  registerAnalyse,
  registerPath,
  registerEgo,
  registerDisrupt,
  registerKeyPlayers,
  registerPlan,
  registerProfile,
  registerAudit,
  registerStore,
  registerServe,
  registerView,
  registerAnonymise,
  registerReproduce,
  registerGenerate,
];

/**
 * The `ocgnet` program with every command registered. Its actions report
 * their exit code through `setExit`; parsing never exits the process.
 */
export function buildProgram(io: CliIo, setExit: (code: number) => void, argv: readonly string[]): Command {
  const program = new Command('ocgnet')
    .description('Network analysis of nominals and organised crime groups.\nAll data is treated as OFFICIAL-SENSITIVE.')
    .version(OCGNET_VERSION)
    .option('-q, --quiet', 'no progress display on stderr')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showSuggestionAfterError(true);
  const context: CommandContext = {
    io,
    argv,
    progressOf: (command) => ({ quiet: Boolean(command.optsWithGlobals().quiet), stream: io.stderr }),
    action:
      (run) =>
      async (...args) =>
        setExit(await run(...args)),
  };
  for (const register of COMMANDS) register(program, context);
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
