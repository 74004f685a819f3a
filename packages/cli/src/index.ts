/** @ocgnet/cli: the ocgnet command, usable in-process by tests and scripts. */
export { main, OCGNET_VERSION, type CliIo } from './main.js';
export { EXIT, UsageError } from './errors.js';
export { loadInputs, type LoadedInput } from './load.js';
