import { InvalidArgumentError } from 'commander';
import { storeConfig, openConfigured } from './config.ts';
import { directOps, type AdminOps } from './admin-ops.ts';
import { socketOps } from './control-socket.ts';

// How an operator's command reaches the store: PostgreSQL directly when DATABASE_URL is set (any
// number of processes share it); otherwise the running server's control socket, or, with no
// server running, the embedded store itself.

export async function withOps<T>(dataDir: string | undefined, holder: string, fn: (ops: AdminOps) => Promise<T>): Promise<T> {
  const cfg = storeConfig(dataDir);
  if (!cfg.databaseUrl) {
    const remote = await socketOps(cfg.dataDir);
    if (remote) return fn(remote);
  }
  const { db, release } = await openConfigured(cfg, holder);
  try {
    return await fn(directOps(db));
  } finally {
    await db.close();
    release();
  }
}

export function fail(e: unknown): never {
  console.error(`roster: ${(e as Error).message}`);
  process.exit(1);
}

/** `30d`, `12h`, `45m` from now, or an ISO 8601 instant. */
export function parseExpiry(value: string, now = Date.now()): string {
  const m = /^(\d+)([dhm])$/.exec(value);
  if (m) return new Date(now + Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm']).toISOString();
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t)) throw new InvalidArgumentError('use a duration such as 30d, 12h or 45m, or an ISO 8601 date');
  return new Date(t).toISOString();
}

/** Prints rows as aligned columns. */
export function printTable(rows: string[][]) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows)
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
}
