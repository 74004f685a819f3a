/**
 * One run shared by every caller that asks while it is not yet started: a
 * caller gets the result of a run that began after it asked (never an older
 * one), yet many callers at once cost at most two runs. The server checks the
 * store's content hash on every bundle request this way: 50 requests at once
 * hash the store once or twice, not 50 times.
 */
export function coalesce<T>(run: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | undefined;
  let next: Promise<T> | undefined;
  const start = (): Promise<T> => {
    const started = run().finally(() => {
      if (current === started) current = undefined;
    });
    current = started;
    return started;
  };
  return () => {
    if (current === undefined) return start();
    next ??= current
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        next = undefined;
        return start();
      });
    return next;
  };
}
