import postgres from 'postgres';
import type { Db, Queryable, QueryOptions } from './db.ts';

export function openPostgres(url: string, options: { max?: number } = {}): Db {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // Timestamps come back as Date; int8 and numeric as strings (exact).
    types: {},
    connection: { application_name: 'roster' },
  });
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
      await sql.end({ timeout: 5 });
    },
  };
}
