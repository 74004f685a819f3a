/**
 * The suite summary printed after every run, below vitest's own: the ten
 * slowest test files by wall time, and every skipped test counted by the
 * reason it was skipped (from `skipUnless` or `ctx.skip(note)`), so that a
 * test skipped in CI cannot go unnoticed.
 */
import { relative } from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';

const SLOWEST = 10;

function skipReason(test: TestCase): string {
  const result = test.result();
  if (result.state === 'skipped' && result.note) return result.note;
  for (let task: TestCase | TestCase['parent'] = test; task.type !== 'module'; task = task.parent) {
    const reason = task.meta().skipReason;
    if (reason) return reason;
  }
  return test.options.mode === 'todo' ? 'todo' : 'skipped without a reason (use skipUnless from test/skip.ts)';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export default class SuiteSummaryReporter implements Reporter {
  private started = performance.now();

  onTestRunStart(): void {
    this.started = performance.now();
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const lines: string[] = [''];
    const byDuration = [...testModules].sort((a, b) => b.diagnostic().duration - a.diagnostic().duration);
    lines.push(`Slowest ${Math.min(SLOWEST, byDuration.length)} test files (wall time of each file):`);
    for (const module of byDuration.slice(0, SLOWEST)) {
      lines.push(`  ${seconds(module.diagnostic().duration).padStart(9)}  ${relative(process.cwd(), module.moduleId)}`);
    }

    const skipped = new Map<string, { count: number; files: Set<string> }>();
    let skippedTotal = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests('skipped')) {
        const reason = skipReason(test);
        const entry = skipped.get(reason) ?? { count: 0, files: new Set<string>() };
        entry.count++;
        entry.files.add(relative(process.cwd(), module.moduleId));
        skipped.set(reason, entry);
        skippedTotal++;
      }
    }
    lines.push(skippedTotal === 0 ? 'Skipped: none.' : `Skipped: ${skippedTotal} test(s).`);
    for (const [reason, { count, files }] of [...skipped].sort((a, b) => b[1].count - a[1].count)) {
      lines.push(`  ${String(count).padStart(4)}  ${reason}  (${[...files].join(', ')})`);
    }
    lines.push(`Wall time of the run: ${seconds(performance.now() - this.started)}.`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
