import type postgres from 'postgres';

// Connections reserved for tenant reads. Each runs as roster_app from its first packet (the
// `role` startup parameter) and remembers which account its session is set to, so a read for
// the same account is one statement and one round trip: no BEGIN, no COMMIT, no set_config.
// A read for another account pipelines the switch ahead of the query on the same connection.

interface Conn {
  sql: postgres.ReservedSql;
  /** The account the session's roster.account_id is set to; null when unknown. */
  account: string | null;
}

export class TenantReaders {
  private readonly idle: Conn[] = [];
  private readonly waiting: ((c: Conn | null) => void)[] = [];
  private open = 0;

  constructor(private readonly pool: postgres.Sql, private readonly max: number) {}

  async query<T>(accountId: string, text: string, params: unknown[], prepare: boolean): Promise<T[]> {
    const conn = await this.acquire(accountId);
    let healthy = true;
    try {
      const switched = conn.account === accountId ? undefined : conn.sql.unsafe(`SELECT set_config('roster.account_id', $1, false)`, [accountId], { prepare: true });
      conn.account = null;
      const result = conn.sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare });
      // Settle both so neither rejection goes unobserved. If the switch failed, the query ran
      // under the previous account's policy and its own account filter: it found nothing, and
      // is discarded here.
      await Promise.allSettled([switched, result]);
      await switched;
      conn.account = accountId;
      return (await result) as unknown as T[];
    } catch (e) {
      // A server error leaves the session usable; anything else (a dropped socket) does not.
      healthy = typeof (e as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((e as { code: string }).code);
      throw e;
    } finally {
      this.release(conn, healthy);
    }
  }

  private async acquire(accountId: string): Promise<Conn> {
    // Prefer a session already set to this account.
    const i = this.idle.findLastIndex((c) => c.account === accountId);
    if (i >= 0) return this.idle.splice(i, 1)[0];
    if (this.idle.length) return this.idle.pop()!;
    if (this.open < this.max) {
      this.open++;
      try {
        return { sql: await this.pool.reserve(), account: null };
      } catch (e) {
        this.open--;
        throw e;
      }
    }
    const conn = await new Promise<Conn | null>((resolve) => this.waiting.push(resolve));
    return conn ?? this.acquire(accountId);
  }

  private release(conn: Conn, healthy: boolean) {
    if (!healthy) {
      this.open--;
      conn.sql.release();
      this.waiting.shift()?.(null);
      return;
    }
    const next = this.waiting.shift();
    if (next) next(conn);
    else this.idle.push(conn);
  }

  close() {
    for (const c of this.idle.splice(0)) c.sql.release();
  }
}
