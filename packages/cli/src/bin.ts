#!/usr/bin/env node
/**
 * Entry point of the `ocgnet` command. `pnpm ocgnet …` runs this from the
 * repository root; paths the user typed are resolved from where they typed
 * them.
 */
import { main } from './main.js';

if (process.env.INIT_CWD && process.env.INIT_CWD !== process.cwd()) process.chdir(process.env.INIT_CWD);

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
process.exitCode = code;
