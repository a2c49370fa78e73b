import type postgres from 'postgres';
import { type PoolUse, type Read, type ReadPath, type ReadResult, versionOf, WRITE_VERSION } from './read-path.ts';

// Connections reserved for tenant reads. Each runs as roster_app from its first packet (the
// `role` startup parameter) and remembers which account its session is set to, so a read for
// the same account is one statement and one round trip: no BEGIN, no COMMIT, no set_config.
// A read for another account pipelines the switch ahead of the query on the same connection.
//
// Each reader is a pool of one connection of its own rather than a connection reserved from a
// shared pool: postgres.js reconnects a pool by itself after the server went away, where a
// reserved connection whose socket closed while idle stays broken: postgres.js 3.4 writes its
// next query to the closed socket from a timer, an exception no caller can catch, and the
// process dies. When a reader's socket
// closes, its session and the account set on it are gone: the next read sets it again.
//
// Session state does not survive a pooler in transaction mode: there pooled-reads.ts is used.

interface Reader {
  sql: postgres.Sql;
  /** The account the session's roster.account_id is set to; null when unknown. */
  account: string | null;
}

/** Opens one reader's pool; `onClose` runs whenever its connection closes. */
export type ReaderFactory = (onClose: () => void) => postgres.Sql;

export class TenantReaders implements ReadPath {
  private readonly idle: Reader[] = [];
  private readonly all: Reader[] = [];
  private readonly waiting: ((r: Reader) => void)[] = [];

  /** `prepareFixed`: whether Roster's own small statements (the switch, the version) are prepared. */
  constructor(
    private readonly open: ReaderFactory,
    private readonly max: number,
    private readonly prepareFixed = true,
  ) {}

  async read<T>({ accountId, text, params, prepare, withVersion }: Read): Promise<ReadResult<T>> {
    const idle = this.acquire(accountId);
    const reader = idle instanceof Promise ? await idle : idle;
    try {
      const switched = reader.account === accountId ? undefined : reader.sql.unsafe(`SELECT set_config('roster.account_id', $1, false)`, [accountId], { prepare: this.prepareFixed });
      reader.account = null;
      const version = withVersion ? reader.sql.unsafe(WRITE_VERSION, [accountId], { prepare: this.prepareFixed }) : undefined;
      const result = reader.sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare });
      // Settle all so no rejection goes unobserved. If the switch failed, the query ran under
      // the previous account's policy and its own account filter: it found nothing, and is
      // discarded here. A read alone (the usual case) has nothing else to settle.
      if (switched || version) await Promise.allSettled([switched, version, result]);
      await switched;
      const rows = (await result) as unknown as T[];
      reader.account = accountId;
      return { rows, version: version && versionOf((await version) as unknown as { v: string }[]) };
    } finally {
      this.release(reader);
    }
  }

  /** An idle reader at once (one set to this account if any), else a promise of the next one. */
  private acquire(accountId: string): Reader | Promise<Reader> {
    // Prefer a session already set to this account.
    const i = this.idle.findLastIndex((r) => r.account === accountId);
    if (i >= 0) return this.idle.splice(i, 1)[0];
    if (this.idle.length) return this.idle.pop()!;
    if (this.all.length < this.max) {
      const reader: Reader = { sql: undefined as unknown as postgres.Sql, account: null };
      reader.sql = this.open(() => {
        reader.account = null;
      });
      this.all.push(reader);
      return reader;
    }
    return new Promise<Reader>((resolve) => this.waiting.push(resolve));
  }

  private release(reader: Reader) {
    const next = this.waiting.shift();
    if (next) next(reader);
    else this.idle.push(reader);
  }

  use(): PoolUse {
    return { size: this.max, inUse: this.all.length - this.idle.length, waiting: this.waiting.length };
  }

  async close() {
    await Promise.all(this.all.splice(0).map((r) => r.sql.end({ timeout: 5 })));
  }
}
