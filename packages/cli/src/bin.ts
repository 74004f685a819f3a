#!/usr/bin/env node
/**
 * Entry point of the `ocgnet` command. `pnpm ocgnet …` runs this from the
 * repository root; paths the user typed are resolved from where they typed
 * them.
 */
import { main } from './main.js';

if (process.env.INIT_CWD && process.env.INIT_CWD !== process.cwd()) process.chdir(process.env.INIT_CWD);

// A reader that stops early (`ocgnet … | head`) closes the pipe: that ends the
// output, it is not an error, and must not print a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
process.exitCode = code;
