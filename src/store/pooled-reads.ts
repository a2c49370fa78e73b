import type postgres from 'postgres';
import { untilClosed } from './faults.ts';
import { type PoolUse, type Read, type ReadPath, type ReadResult, versionOf, WRITE_VERSION } from './read-path.ts';

// Tenant reads through a pooler in transaction mode (PgBouncer): a server connection is lent
// for one transaction at a time, so nothing may be left on a session. Each read is its own
// transaction that sets the role, the account and jit for itself (SET LOCAL, through
// set_config(…, true)), which end with it: no `role` or `jit` startup parameter (PgBouncer
// refuses parameters it does not know), no session-level account remembered per connection.
// It costs BEGIN and COMMIT around the read, which tenant-readers.ts avoids without a pooler.

const SETUP = `SELECT set_config('role', 'roster_app', true), set_config('roster.account_id', $1, true), set_config('jit', 'off', true)`;

export class PooledReads implements ReadPath {
  private inFlight = 0;

  constructor(
    private readonly sql: postgres.Sql,
    private readonly max: number,
    private readonly prepareFixed: boolean,
  ) {}

  async read<T>({ accountId, text, params, prepare, withVersion }: Read): Promise<ReadResult<T>> {
    this.inFlight++;
    try {
      const [, version, rows] = (await this.sql.begin((tx) =>
        // Pipelined: the three statements go out together after BEGIN.
        untilClosed(
          Promise.all([
            tx.unsafe(SETUP, [accountId], { prepare: this.prepareFixed }),
            withVersion ? tx.unsafe(WRITE_VERSION, [accountId], { prepare: this.prepareFixed }) : undefined,
            tx.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare }),
          ]),
        ),
      )) as unknown as [unknown, { v: string }[] | undefined, T[]];
      return { rows, version: withVersion ? versionOf(version) : undefined };
    } finally {
      this.inFlight--;
    }
  }

  use(): PoolUse {
    return { size: this.max, inUse: Math.min(this.inFlight, this.max), waiting: Math.max(0, this.inFlight - this.max) };
  }

  async close() {
    await this.sql.end({ timeout: 5 });
  }
}
