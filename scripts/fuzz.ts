/**
 * `pnpm fuzz`: the readers of every format against mutated inputs (see
 * packages/io/test/fuzz/harness.ts). Prints per-target counts of cases
 * accepted, rejected and failed, and cases per second; exits 1 if any case
 * failed. TESTING.md records the figures of a full run.
 *
 *   pnpm fuzz [--cases 1000000] [--seed 20240917] [--workers N] [--targets graphml,gexf]
 *             [--timeout-ms 10000] [--memory-mb 512]
 *   pnpm fuzz --seed S --replay TARGET:CASE [--out DIR]   runs one case here and keeps its files
 */
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TARGET_NAMES, formatReport, replayCase, runFuzz } from '../packages/io/test/fuzz/harness.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '20240917' },
    workers: { type: 'string', default: String(availableParallelism()) },
    targets: { type: 'string' },
    'timeout-ms': { type: 'string', default: '10000' },
    'memory-mb': { type: 'string', default: '512' },
    replay: { type: 'string' },
    out: { type: 'string' },
  },
});

const integer = (name: string, text: string | undefined): number => {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    process.stderr.write(`fuzz: --${name} must be a whole number, not ${JSON.stringify(text)}\n`);
    process.exit(2);
  }
  return value;
};
const seed = integer('seed', values.seed);

if (values.replay !== undefined) {
  const [target, index] = values.replay.split(':');
  const out = values.out ?? join(tmpdir(), `ocgnet-fuzz-${target}-${index}`);
  const result = await replayCase(seed, target!, integer('replay', index), out);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.exit(result.verdict.verdict === 'failure' ? 1 : 0);
}

const targets = values.targets?.split(',');
for (const target of targets ?? []) {
  if (!(TARGET_NAMES as readonly string[]).includes(target)) {
    process.stderr.write(`fuzz: unknown target ${JSON.stringify(target)}; targets: ${TARGET_NAMES.join(', ')}\n`);
    process.exit(2);
  }
}
const options = {
  cases: integer('cases', values.cases),
  seed,
  workers: Math.max(1, integer('workers', values.workers)),
  caseTimeoutMs: integer('timeout-ms', values['timeout-ms']),
  memoryMb: integer('memory-mb', values['memory-mb']),
  ...(targets ? { targets } : {}),
  log: (line: string) => process.stderr.write(`${line}\n`),
};
process.stderr.write(
  `fuzz: ${options.cases.toLocaleString('en-GB')} cases, seed ${seed}, ${options.workers} worker(s), ${options.caseTimeoutMs} ms and ${options.memoryMb} MB per case\n`,
);
const report = await runFuzz(options);
process.stdout.write(`${formatReport(report)}\n`);
const failed = report.targets.some((target) => target.failures.length > 0) || report.externalRequests.length > 0;
process.exit(failed ? 1 : 0);
