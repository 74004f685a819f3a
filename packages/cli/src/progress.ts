/**
 * Progress on stderr for long runs. A bar on a terminal; on a pipe or a log
 * file, a plain line every few seconds, so CI logs show the job is alive
 * without filling up with redraws.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Sets the amount done so far. */
  update(done: number, note?: string): void;
  /** Adds to the total amount of work. */
  grow(by: number): void;
  stop(): void;
}

export interface ProgressOptions {
  quiet: boolean;
  stream: NodeJS.WriteStream;
}

const SILENT: Progress = { update() {}, grow() {}, stop() {} };

/** Starts a progress display for `total` units of `unit` (bytes, towns, records). */
export function startProgress(title: string, total: number, unit: string, options: ProgressOptions): Progress {
  if (options.quiet) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      stream: options.stream,
      format: `${title} [{bar}] {percentage}% | {value}/{total} ${unit} | {note}`,
      hideCursor: false,
      clearOnComplete: false,
      noTTYOutput: !options.stream.isTTY,
      notTTYSchedule: 2000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(total, 1), 0, { note: '' });
  return {
    update: (done, note) => bar.update(done, { note: note ?? '' }),
    grow: (by) => bar.setTotal(bar.getTotal() + by),
    stop: () => bar.stop(),
  };
}

/** An algorithm's `onProgress(done, total, step)`, drawn on `progress`: the total is known from the first call. */
export function stepsOnto(progress: Progress): (done: number, total: number, step: string) => void {
  return (done, total, step) => {
    if (done === 0) progress.grow(total - 1);
    progress.update(done, step);
  };
}
