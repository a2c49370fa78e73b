// `npm run bench:events`: what writing every change as an event (the outbox triggers, migrations
// 140–150) costs a bulk-load batch and a single write, on a real PostgreSQL. Alternates runs with
// the event triggers on and off (switched off only in this throwaway database, for the
// measurement) so drift on the shared machine falls on both sides, and prints the medians.
import { parseArgs } from 'node:util';
import { benchDatabase } from './bench-db.ts';
import { openStore } from '../src/store/open.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { seed, seedPlan } from '../src/seed/load.ts';
import { runLoad } from '../src/store/bulk-load.ts';
import { createCustomer, updateCustomer } from '../src/store/customers-repo.ts';
import type { Db } from '../src/store/db.ts';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, batch: { type: 'string', default: '10000' }, writes: { type: 'string', default: '300' } } });
const ROUNDS = Number(args.rounds);
const BATCH = Number(args.batch);
const WRITES = Number(args.writes);

const bench = await benchDatabase('roster_events', ['shared_buffers=1GB', 'max_wal_size=8GB']);
const url = new URL(bench.url);

const EVENT_TRIGGERS = ['customers', 'product_accounts', 'users'].flatMap((t) => ['inserted', 'updated', 'deleted'].map((op) => [t, `${t}_events_${op}`]));
const switchEvents = async (db: Db, on: boolean) => {
  for (const [table, trigger] of EVENT_TRIGGERS) await db.exec(`ALTER TABLE ${table} ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`);
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const db = await openStore({ databaseUrl: url.toString() });
  // A million-row table is not needed to see the difference: the cost is per row written.
  const warm = await createAccount(db, 'Warm', 'test');
  await seed(db, { accountId: warm.account_id, customers: BATCH, users: 0, seed: 9, batchSize: BATCH });
  const load: Record<'on' | 'off', number[]> = { on: [], off: [] };
  const create: Record<'on' | 'off', number[]> = { on: [], off: [] };
  const update: Record<'on' | 'off', number[]> = { on: [], off: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of ['on', 'off'] as const) {
      await switchEvents(db, side === 'on');
      const account = await createAccount(db, `Bench ${round} ${side}`, 'test');
      const t0 = performance.now();
      // The load alone (one batch, one transaction), without the vacuum a seed ends with.
      await runLoad(db, seedPlan({ accountId: account.account_id, customers: BATCH, users: 0, seed: round + 1, batchSize: BATCH }));
      load[side].push(performance.now() - t0);
      for (let i = 0; i < WRITES; i++) {
        const t1 = performance.now();
        const c = await createCustomer(db, account.account_id, { name: `Write ${i}`, type: 'business', external_id: `w-${i}` });
        const t2 = performance.now();
        await updateCustomer(db, account.account_id, { by: 'id', value: c.id }, { kyb_status: 'active', name: `Write ${i} renamed` });
        create[side].push(t2 - t1);
        update[side].push(performance.now() - t2);
      }
    }
  }
  await switchEvents(db, true);
  // The triggers' own time, as PostgreSQL accounts it: a statement that writes a batch's worth of
  // customers (copies of the warm-up account's, under new ids) and one that writes one.
  const breakdown = async (rows: number) => {
    const account = await createAccount(db, `Explain ${rows}`, 'test');
    const [plan] = await db.transaction(async (tx) =>
      tx.query<Record<string, any>>(
        `EXPLAIN (ANALYZE, FORMAT JSON) INSERT INTO customers (account_id, id, number, uuid, type, name, email, external_id, country, kyb_status, addresses, metadata, attributes)
       SELECT $1, 'x' || number, number, gen_random_uuid(), type, name, email, external_id, country, kyb_status, addresses, metadata, attributes
         FROM customers WHERE account_id = $2 ORDER BY number LIMIT ${rows}`,
        [account.account_id, warm.account_id],
      ),
    );
    const p = plan['QUERY PLAN'][0];
    const triggers = Object.fromEntries((p.Triggers as { 'Trigger Name': string; Time: number }[]).map((t) => [t['Trigger Name'], t.Time]));
    const events = triggers.customers_events_inserted ?? 0;
    console.log(
      `one INSERT of ${rows} customer${rows === 1 ? '' : 's'}: ${p['Execution Time'].toFixed(2)} ms, of which the event trigger ${events.toFixed(2)} ms (${((events / (p['Execution Time'] - events)) * 100).toFixed(1)}% on top); triggers ${JSON.stringify(triggers)}`,
    );
  };
  await breakdown(BATCH);
  await breakdown(1);
  const [{ n }] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM events`);
  await db.close();
  const line = (name: string, xs: Record<'on' | 'off', number[]>, unit: string, f = (v: number) => v.toFixed(2)) =>
    console.log(`${name}: events on ${f(median(xs.on))} ${unit}, off ${f(median(xs.off))} ${unit}, cost ${((median(xs.on) / median(xs.off) - 1) * 100).toFixed(1)}%`);
  console.log(`${ROUNDS} rounds; ${n} events written`);
  line(`seed batch of ${BATCH} customers`, load, 'ms', (v) => v.toFixed(0));
  line('create one customer', create, 'ms');
  line('update one customer (kyb_status and name)', update, 'ms');
}

try {
  await main();
} finally {
  await bench.close();
}
