/** @ocgnet/cli: the ocgnet command, usable in-process by tests and scripts. */

// Running the command in process, and the exit codes it returns.
export { buildProgram, main } from './main.js';
export { EXIT } from './errors.js';

// Reading the inputs as the command does.
export { loadInputs } from './load.js';
