/** @ocgnet/cli: the ocgnet command, usable in-process by tests and scripts. */
export { main, buildProgram, OCGNET_VERSION } from './main.js';
export type { CliIo } from './io.js';
export { EXIT, UsageError } from './errors.js';
export { loadInputs, type LoadedInput } from './load.js';
