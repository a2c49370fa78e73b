import type { Db } from '../store/db.ts';
import { applyNextDue } from './transitions.ts';

// The sandbox's clock: applies the transitions that have come due (transitions.ts), then looks
// again a moment later. Every Roster process runs one; they share the rows without applying
// any twice. A failure (the database away) is reported and the next round tries again.

const EVERY_MS = 250;

export function startSandboxWorker(db: Db, opts: { everyMs?: number; onError?: (e: unknown) => void; name?: string } = {}): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const round = async () => {
    try {
      while (!stopped && (await applyNextDue(db, opts.name))) {
        /* the next one */
      }
    } catch (e) {
      opts.onError?.(e);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().then(schedule);
    }, opts.everyMs ?? EVERY_MS);
    timer.unref();
  };
  schedule();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
