import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { benchDatabase } from './bench-db.ts';
import { openStore } from '../src/store/open.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { seed } from '../src/seed/load.ts';
import { ROSTER_BENCH_ENV } from './roster-env.ts';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
  },
});
const N = Number(args.customers);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);

const bench = await benchDatabase('roster_bench_fields', ['shared_buffers=1GB', 'work_mem=32MB']);
const url = new URL(bench.url);

/** Pages, each against the one before it where the rows pair up: what `fields` and `expand` cost. */
const PAGES: [string, string][] = [
  ['full records, limit 20', 'limit=20'],
  ['fields=id,name,email, limit 20', 'limit=20&fields=id,name,email'],
  ['full records, limit 100', 'limit=100'],
  ['fields=id,name,email, limit 100', 'limit=100&fields=id,name,email'],
  ['fields=id,name,email,product_accounts, limit 100', 'limit=100&fields=id,name,email,product_accounts'],
  ['fields=id,name + expand=parent,operator, limit 100', 'limit=100&fields=id,name&expand=parent,operator'],
];

/** Counts the kept counters do not answer, each asked right after a write to the account, when
 * no cached count is current: what counting costs on an account that is being written to. */
const COUNTS: [string, string][] = [
  ['count=exact, created_at range', 'limit=20&created_at[gte]=2024-06-01T00:00:00Z&count=exact'],
  ['count=estimated, created_at range', 'limit=20&created_at[gte]=2024-06-01T00:00:00Z&count=estimated'],
  ['count=exact, country[nin]', 'limit=20&country[nin]=DK,SE&count=exact'],
  ['count=estimated, country[nin]', 'limit=20&country[nin]=DK,SE&count=estimated'],
  ['count=none, created_at range', 'limit=20&created_at[gte]=2024-06-01T00:00:00Z'],
];

/** Filters whose estimate is compared with the exact count. */
const ESTIMATES: string[] = [
  'created_at[gte]=2024-06-01T00:00:00Z',
  'created_at[lt]=2023-01-01T00:00:00Z',
  `number[lt]=${Math.floor(N / 10)}`,
  'kyb_status=active&type=business&country=DK',
  'country[nin]=DK,SE',
  'email[prefix]=a',
  'metadata[tier]=gold',
  'search=smith',
];

async function main() {
  const db = await openStore({ databaseUrl: url.toString() });
  const account = await createAccount(db, 'Bench', 'test');
  await seed(db, { accountId: account.account_id, customers: N, users: 50, seed: 1, progress: 'lines' });
  await db.query('ANALYZE');
  await db.close();

  const port = 18900 + Math.floor(Math.random() * 300);
  await bench.startChild('roster', [join(import.meta.dirname, '..', 'bin', 'roster.js'), 'serve', '--port', String(port)], { DATABASE_URL: url.toString(), ...ROSTER_BENCH_ENV }, 'API reference');
  const base = `http://127.0.0.1:${port}/v1/customers?`;
  const headers = { authorization: `Bearer ${account.api_key}` };

  console.log(`\n${N} customers, ${CONNECTIONS} connections, ${DURATION} s per row\n`);
  console.log('| page | req/s | p50 ms | p99 ms | body bytes | non-2xx |\n| --- | --- | --- | --- | --- | --- |');
  for (const [name, qs] of PAGES) {
    const check = await fetch(base + qs, { headers });
    const body = await check.text();
    if (check.status !== 200) throw new Error(`${name}: HTTP ${check.status} ${body}`);
    await autocannon({ url: base + qs, headers, connections: CONNECTIONS, duration: 2 });
    const r = await autocannon({ url: base + qs, headers, connections: CONNECTIONS, duration: DURATION });
    console.log(`| ${name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${Buffer.byteLength(body)} | ${r.non2xx} |`);
  }

  const written = (await (await fetch(`${base}limit=1`, { headers })).json()).data[0].id;
  console.log('\n| count after a write, one client | p50 ms | p90 ms | max ms |\n| --- | --- | --- | --- |');
  for (const [name, qs] of COUNTS) {
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      const patched = await fetch(`${base.replace(/\?$/, '')}/${written}`, {
        method: 'PATCH',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ metadata: { bench: String(i) } }),
      });
      if (patched.status !== 200) throw new Error(`PATCH: HTTP ${patched.status} ${await patched.text()}`);
      const t = performance.now();
      const res = await fetch(base + qs, { headers });
      if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
    console.log(`| ${name} | ${at(0.5)} | ${at(0.9)} | ${times.at(-1)!.toFixed(1)} |`);
  }

  console.log('\n| filter | exact | estimated | error | estimate says |\n| --- | --- | --- | --- | --- |');
  for (const filter of ESTIMATES) {
    const count = async (mode: string) => (await (await fetch(`${base}limit=1&count=${mode}&${filter}`, { headers })).json()) as { total_count: number; total_count_estimated?: boolean };
    // The estimate first: once an exact count is cached at the current write version, an
    // estimate is answered with it.
    const guess = await count('estimated');
    const exact = await count('exact');
    const error = exact.total_count === 0 ? '—' : `${(((guess.total_count - exact.total_count) / exact.total_count) * 100).toFixed(1)}%`;
    console.log(`| \`${filter}\` | ${exact.total_count} | ${guess.total_count} | ${error} | ${guess.total_count_estimated ? 'estimate' : 'exact'} |`);
  }
}

try {
  await main();
} finally {
  await bench.close();
}
