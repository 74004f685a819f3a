/**
 * `ocgnet audit verify <log>`: checks the audit trail's hash chain, so any
 * edit, deletion or reordering of past entries is caught.
 */
import { AuditLog } from '@ocgnet/profiles';
import { EXIT } from '../errors.js';
import type { CliIo } from '../main.js';

export async function runAuditVerify(path: string, options: { json: boolean }, io: CliIo): Promise<number> {
  const result = await new AuditLog(path).verify();
  if (options.json) io.stdout.write(`${JSON.stringify(result)}\n`);
  else if (result.ok) io.stdout.write(`${path}: chain intact, ${result.count} event(s); head ${result.head}\n`);
  else io.stderr.write(`${path}:${result.line}: audit chain broken (${result.reason})${'detail' in result && result.detail ? `: ${result.detail}` : ''}\n`);
  return result.ok ? EXIT.ok : EXIT.badInput;
}
