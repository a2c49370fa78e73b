import type postgres from 'postgres';
import { Counter, Gauge } from 'prom-client';
import { registry } from '../ops/metrics.ts';
import { isUnavailable } from './faults.ts';
import type { PoolUse, Read, ReadPath, ReadResult } from './read-path.ts';

// Tenant reads (lists and gets) spread over streaming standbys of the primary, never older than
// what the reader's account has written: read-your-writes, across any number of Roster
// processes, with nothing to remember between requests.
//
// Every write to an account's records bumps its write version in the same transaction
// (migration 003), so the version is a per-account clock that commits in WAL order. A read on a
// standby first reads the account's version there, pipelined with the read itself (one round
// trip), while the primary is asked the account's current version at the same moment (a
// primary-key lookup). A client's write committed before its read was sent, so the primary
// answers at least that write's version; if the standby's version is as high, the standby had
// replayed that commit before the read's snapshot was taken, and its answer is used. If not,
// the read runs on the primary. Accounts that nobody wrote to lately are read from a standby
// even while it lags a little; the account that was just written is read from wherever it is
// already visible.
//
// A monitor asks each standby every second how far behind the primary it is. A standby more
// than `maxLag` seconds behind, or unreachable, or no longer in recovery (promoted), is left out
// until it is back within bounds; a read that fails on a standby runs on the primary.

export interface Standby {
  /** `replica0`, `replica1`…: in metrics and logs, never the URL (it may hold a password). */
  name: string;
  reads: ReadPath;
  /** A small pool for the monitor's questions. */
  probe: postgres.Sql;
}

interface State {
  up: boolean;
  lagSeconds: number;
  /** When the monitor first saw it behind the primary, for a standby that has replayed no transaction yet. */
  behindSince?: number;
}

const reads = new Counter({
  name: 'roster_db_reads_total',
  help: 'Tenant reads by where they ran (primary or replica) and why: standby (served by a standby), no_standby (none within bounds), fence (the standby had not yet replayed the account’s last write), standby_error (it failed there)',
  labelNames: ['target', 'reason'] as const,
  registers: [registry],
});

const monitors = new Set<ReplicaReads>();
new Gauge({
  name: 'roster_db_replica_lag_seconds',
  help: 'How far each standby is behind the primary, as its monitor last measured',
  labelNames: ['replica'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const m of monitors) for (const [name, s] of m.states()) this.set({ replica: name }, s.lagSeconds);
  },
});
new Gauge({
  name: 'roster_db_replica_up',
  help: 'Whether each standby answers and is in recovery (1) or not (0)',
  labelNames: ['replica'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const m of monitors) for (const [name, s] of m.states()) this.set({ replica: name }, s.up ? 1 : 0);
  },
});

const POLL_MS = 1_000;

export class ReplicaReads implements ReadPath {
  private readonly state = new Map<Standby, State>();
  private next = 0;
  private timer: NodeJS.Timeout;
  private polling?: Promise<void>;

  constructor(
    private readonly primary: ReadPath,
    /** The account's write version on the primary. */
    private readonly primaryVersion: (accountId: string) => Promise<bigint>,
    /** The primary's current WAL position. */
    private readonly primaryLsn: () => Promise<string>,
    private readonly standbys: Standby[],
    private readonly maxLagSeconds: number,
  ) {
    // Until the first poll has answered, a standby is not used.
    for (const s of standbys) this.state.set(s, { up: false, lagSeconds: Number.POSITIVE_INFINITY });
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
    void this.poll();
    monitors.add(this);
  }

  /** Asks every standby where it is, once; the monitor calls it every second. */
  poll(): Promise<void> {
    this.polling ??= this.measure().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private async measure() {
    let lsn: string;
    try {
      lsn = await this.primaryLsn();
    } catch {
      return; // the primary is away: reads fail there too; keep what is known of the standbys
    }
    await Promise.all(
      this.standbys.map(async (s) => {
        const state = this.state.get(s)!;
        try {
          const [row] = await s.probe.unsafe<{ recovery: boolean; behind: string | null; since: number | null }[]>(
            `SELECT pg_is_in_recovery() AS recovery, pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())::text AS behind,
                    extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS since`,
            [lsn],
          );
          const behind = Number(row.behind ?? 0) > 0;
          if (!behind) state.behindSince = undefined;
          else state.behindSince ??= Date.now();
          state.up = row.recovery;
          state.lagSeconds = !behind ? 0 : (row.since ?? (Date.now() - state.behindSince!) / 1000);
        } catch {
          state.up = false;
        }
      }),
    );
  }

  /** Standbys in bounds, taken in turn. */
  private pick(): Standby | undefined {
    for (let i = 0; i < this.standbys.length; i++) {
      const s = this.standbys[(this.next + i) % this.standbys.length];
      const state = this.state.get(s)!;
      if (state.up && state.lagSeconds <= this.maxLagSeconds) {
        this.next = (this.next + i + 1) % this.standbys.length;
        return s;
      }
    }
    return undefined;
  }

  async read<T>(r: Read): Promise<ReadResult<T>> {
    const standby = this.pick();
    if (!standby) {
      reads.inc({ target: 'primary', reason: 'no_standby' });
      return this.primary.read(r);
    }
    const needed = this.primaryVersion(r.accountId);
    const there = standby.reads.read<T>({ ...r, withVersion: true });
    const [need, got] = await Promise.allSettled([needed, there]);
    // Without the primary's answer a standby's cannot be vouched for; the primary's error is
    // the read's (a database that went away is a 503).
    if (need.status === 'rejected') throw need.reason;
    if (got.status === 'rejected') {
      if (isUnavailable(got.reason)) this.state.get(standby)!.up = false;
      reads.inc({ target: 'primary', reason: 'standby_error' });
      return this.primary.read(r);
    }
    if (got.value.version! < need.value) {
      reads.inc({ target: 'primary', reason: 'fence' });
      return this.primary.read(r);
    }
    reads.inc({ target: 'replica', reason: 'standby' });
    return r.withVersion ? got.value : { rows: got.value.rows };
  }

  /** Each standby's last measured state, by name. */
  states(): [string, State][] {
    return this.standbys.map((s) => [s.name, this.state.get(s)!]);
  }

  use(): PoolUse {
    return this.primary.use();
  }

  /** The standbys' pools, for /metrics. */
  standbyUse(): [string, PoolUse][] {
    return this.standbys.map((s) => [s.name, s.reads.use()]);
  }

  async close() {
    clearInterval(this.timer);
    monitors.delete(this);
    await this.polling?.catch(() => {});
    await Promise.all([this.primary.close(), ...this.standbys.flatMap((s) => [s.reads.close(), s.probe.end({ timeout: 5 })])]);
  }
}
