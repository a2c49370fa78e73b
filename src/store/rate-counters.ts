import type { Db } from './db.ts';

// Fixed one-minute windows of request counts, shared by every Roster process on one database
// (table rate_limit_windows, migration 122).
//
// A check costs no statement: each process counts in memory and, every FLUSH_MS while it has
// counts in the current window, runs one statement that adds its increments up in the table and
// reads back every process's totals for the buckets it counted. Decisions use that total plus
// what this process counted since, so they are exact in one process (and on the embedded store,
// which only one process can open) and, across N processes, may let through at most what the
// others served in the last FLUSH_MS. One upsert per request would be exact everywhere, but
// measured on this 2-core machine (PostgreSQL 15, four clients, other work running) an upsert of
// one hot counter row took 200–235 µs against 176 µs for a keyset page of 20: it would about
// double the database work of every list request, and serialise each key's requests on its
// row lock, to tighten a bound that a per-minute limit does not need.

export const WINDOW_MS = 60_000;
const FLUSH_MS = 250;
/** Windows older than this are deleted, at most once a minute. */
const KEEP_WINDOWS = 2;

interface Entry {
  window: number;
  /** Hits every process had flushed, as of this process's last flush. */
  shared: number;
  /** Hits this process counted and has not flushed yet. */
  pending: number;
  /** Hits being flushed right now: counted until the flush's totals include them. */
  sending: number;
}

const key = (bucket: string, window: number) => `${window}\u0001${bucket}`;

export class RateCounters {
  private entries = new Map<string, Entry & { bucket: string }>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private lastSweep = 0;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** The current window's number (minutes since the epoch). */
  window(): number {
    return Math.floor(this.now() / WINDOW_MS);
  }

  /** Counts a hit on `bucket` in the current window; returns the window and the hits counted in it so far. */
  hit(bucket: string, n = 1): { window: number; count: number } {
    const window = this.window();
    const k = key(bucket, window);
    let e = this.entries.get(k);
    if (!e) {
      e = { bucket, window, shared: 0, pending: 0, sending: 0 };
      this.entries.set(k, e);
    }
    e.pending += n;
    this.schedule();
    return { window, count: e.shared + e.sending + e.pending };
  }

  /** Hits counted on `bucket` in the current window, without counting one. */
  peek(bucket: string): { window: number; count: number } {
    const window = this.window();
    const e = this.entries.get(key(bucket, window));
    return { window, count: e ? e.shared + e.sending + e.pending : 0 };
  }

  private schedule() {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, FLUSH_MS);
    this.timer.unref();
  }

  /** Sends the pending increments in one statement and reads back the shared totals. */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async flushOnce() {
    const current = this.window();
    for (const [k, e] of this.entries) if (e.window < current - 1) this.entries.delete(k);
    const live = [...this.entries.values()].filter((e) => e.window === current || e.pending > 0);
    if (live.length === 0) return;
    // Sorted, so two processes flushing the same buckets lock their rows in the same order.
    const batch = live.filter((e) => e.pending > 0).sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : a.window - b.window));
    const idle = live.filter((e) => e.pending === 0);
    const sent = batch.map((e) => e.pending);
    batch.forEach((e) => {
      e.sending = e.pending;
      e.pending = 0;
    });
    try {
      // One statement: this process's increments added up, and the totals of the buckets it
      // counted on this window read back (other processes' hits included) even when it has
      // nothing new to add to them.
      const rows = await this.db.query<{ bucket: string; window_start: string; hits: number }>(
        `WITH added AS (
           INSERT INTO rate_limit_windows AS w (bucket, window_start, hits)
           SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[])
           ON CONFLICT (bucket, window_start) DO UPDATE SET hits = w.hits + excluded.hits
           RETURNING bucket, window_start, hits)
         SELECT bucket, window_start, hits FROM added
         UNION ALL
         SELECT w.bucket, w.window_start, w.hits FROM rate_limit_windows w
           JOIN unnest($4::text[], $5::bigint[]) AS r(bucket, window_start) ON w.bucket = r.bucket AND w.window_start = r.window_start`,
        [batch.map((e) => e.bucket), batch.map((e) => e.window), sent, idle.map((e) => e.bucket), idle.map((e) => e.window)],
      );
      for (const r of rows) {
        const e = this.entries.get(key(r.bucket, Number(r.window_start)));
        if (e) e.shared = Math.max(e.shared, Number(r.hits));
      }
      for (const e of batch) e.sending = 0;
      if (this.now() - this.lastSweep > WINDOW_MS) {
        this.lastSweep = this.now();
        await this.db.query(`DELETE FROM rate_limit_windows WHERE window_start < $1`, [current - KEEP_WINDOWS]);
      }
    } catch {
      // The database is away: keep counting here, and send these hits with the next flush.
      batch.forEach((e) => {
        e.pending += e.sending;
        e.sending = 0;
      });
    }
    // While this window has counts, keep reading the others' totals back.
    this.schedule();
  }

  /** Stops the timer after one last flush (server shutdown). */
  async close() {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush().catch(() => {});
  }
}
