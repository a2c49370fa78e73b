/**
 * Runs a background task now and then every `everyMs` until the returned function is called;
 * a failure goes to `onError` and the next round tries again. The timer does not keep the
 * process alive.
 */
export function repeat(task: () => Promise<unknown>, everyMs: number, onError: (e: unknown) => void): () => void {
  const run = () => task().catch(onError);
  void run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
