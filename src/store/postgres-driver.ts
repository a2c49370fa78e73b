import postgres from 'postgres';
import type { Db, Queryable, QueryOptions } from './db.ts';
import { TenantReaders } from './tenant-readers.ts';

export function openPostgres(url: string, options: { max?: number } = {}): Db {
  const settings = {
    max: options.max ?? 10,
    onnotice: () => {},
    // Timestamps come back as Date; int8 and numeric as strings (exact).
    types: {},
  };
  const sql = postgres(url, { ...settings, connection: { application_name: 'roster' } });
  // A second pool, connected as the restricted role, serves tenant reads (see TenantReaders).
  // It connects on first use, after migrations have created the role.
  const readerPool = postgres(url, { ...settings, connection: { application_name: 'roster', role: 'roster_app' } as Record<string, string> });
  const readers = new TenantReaders(readerPool, settings.max);
  const wrap = (s: postgres.Sql | postgres.TransactionSql): Queryable => ({
    async query<T>(text: string, params: unknown[] = [], opts: QueryOptions = {}) {
      return (await s.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: opts.prepare ?? false })) as unknown as T[];
    },
  });
  const root = wrap(sql);
  return {
    kind: 'postgres',
    query: root.query,
    async exec(text) {
      await sql.unsafe(text);
    },
    async transaction(fn) {
      return (await sql.begin((tx) => fn(wrap(tx)))) as never;
    },
    reader(accountId) {
      return {
        query: <T>(text: string, params: unknown[] = [], opts: QueryOptions = {}) => readers.query<T>(accountId, text, params, opts.prepare ?? false),
      };
    },
    async copyRows(table, columns, rows) {
      const stream = await sql.unsafe(`COPY ${table} (${columns.join(', ')}) FROM STDIN`).writable();
      for await (const line of rows as AsyncIterable<string>) {
        if (!stream.write(line)) await new Promise((r) => stream.once('drain', r));
      }
      await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
      // 'finish' has usually fired by the time end's callback runs; waiting for it again would hang.
      if (!stream.writableFinished) await new Promise((r) => stream.once('finish', r)).catch(() => {});
    },
    async close() {
      readers.close();
      await Promise.all([sql.end({ timeout: 5 }), readerPool.end({ timeout: 5 })]);
    },
  };
}
