/**
 * Test options that skip a suite or test with a reason, which the suite
 * summary (test/reporter.ts) prints at the end of every run, so a skipped
 * test is never silent. Use as the options argument:
 *
 *   describe('viewer in Chromium', skipUnless(HAVE_CHROMIUM, 'no Chromium at /usr/bin/chromium'), () => { … });
 */
import type { TestOptions } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    /** Why this suite or test is skipped, when it is. */
    skipReason?: string;
  }
}

export function skipUnless(runnable: boolean, reason: string): TestOptions {
  return runnable ? {} : { skip: true, meta: { skipReason: reason } };
}
