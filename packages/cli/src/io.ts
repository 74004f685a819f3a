/** Where a command writes: results on stdout; progress, warnings and errors on stderr. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}
