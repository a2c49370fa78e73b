// `npm run bench:scale-out`: Roster on PostgreSQL topologies beyond one server process, on one
// machine: a throwaway cluster with a streaming standby (pg_basebackup -R) and PgBouncer in
// transaction mode in front of it. Seeds an account, then drives the same read mix with
// autocannon, in one run, through one Roster process and through several (autocannon spreads
// its connections over them, as a load balancer would), each on the primary directly, through
// PgBouncer, and with the standby for reads; every figure is also given as a ratio to one
// process on the primary. Then a mixed load (one account writing, others reading) to see where
// reads go and how far the standby lags. Prints the figures and appends them to BENCHMARKS.md.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { startCluster } from '../scripts/pg-cluster.js';
import { pgbouncerBin, startPgBouncer } from '../scripts/pgbouncer.js';
import { seed } from '../src/seed/load.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { openStore } from '../src/store/open.ts';
import { sample } from '../test/support/prometheus.ts';
import { ROSTER_BENCH_ENV } from './roster-env.ts';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '8' },
    connections: { type: 'string', default: '12' },
    processes: { type: 'string', default: '3' },
    out: { type: 'string', default: 'BENCHMARKS.md' },
  },
});
const N = Number(args.customers);
const DURATION = Number(args.duration);
const PROCESSES = Number(args.processes);
// A multiple of the process count, so that each process gets as many connections.
const CONNECTIONS = Math.ceil(Number(args.connections) / PROCESSES) * PROCESSES;

const cluster = await startCluster(['shared_buffers=512MB', 'max_wal_size=4GB']);
const children: ChildProcess[] = [];
let bouncer: Awaited<ReturnType<typeof startPgBouncer>> | undefined;

function startRoster(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'bin', 'roster.js'), 'serve', '--port', String(port), '--no-demo'], { env: { ...process.env, ...ROSTER_BENCH_ENV, ...env } });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      if (out.includes('API reference')) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`roster exited ${code}:\n${out}`)));
  });
}

async function stopRoster(child: ChildProcess) {
  child.removeAllListeners('exit');
  await new Promise<void>((resolve) => {
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const metrics = async (base: string) => (await fetch(`${base}/metrics`)).text();

async function main() {
  const db = await openStore({ databaseUrl: cluster.url });
  const big = await createAccount(db, 'Big', 'test');
  await seed(db, { accountId: big.account_id, customers: N, users: 50, seed: 1, progress: 'lines' });
  const writer = await createAccount(db, 'Writer', 'test');
  const readers = await Promise.all(Array.from({ length: 5 }, (_, i) => createAccount(db, `Reader ${i}`, 'test')));
  for (const r of readers) await seed(db, { accountId: r.account_id, customers: 2000, users: 5, seed: 2 });
  await db.close();
  const standby = await cluster.startStandby();
  bouncer = await startPgBouncer(cluster.port, { poolMode: 'transaction', poolSize: 20 });

  const key = { 'x-api-key': big.api_key };
  const mix = (bases: string[]) => [
    { name: 'first page', urls: bases.map((b) => `${b}/v1/customers?limit=20`), headers: key },
    { name: 'filtered + sorted, count', urls: bases.map((b) => `${b}/v1/customers?kyb_status=active&type=business&sort=-created_at&limit=20&count=true`), headers: key },
    { name: 'search', urls: bases.map((b) => `${b}/v1/customers?search=smith&limit=20`), headers: key },
  ];
  const topologies: { name: string; env: Record<string, string> }[] = [
    { name: 'primary, direct', env: { DATABASE_URL: cluster.url } },
    { name: 'through PgBouncer (transaction mode)', env: { DATABASE_URL: bouncer.url('postgres'), ROSTER_PG_POOLER: 'transaction' } },
    { name: 'primary + standby for reads', env: { DATABASE_URL: cluster.url, DATABASE_REPLICA_URLS: standby.url } },
  ];
  const rows: string[] = [];
  const baseline = new Map<string, number>();
  const port = 18900 + Math.floor(Math.random() * 50);
  for (const t of topologies) {
    for (const n of [1, PROCESSES]) {
      const setup = `${n} process${n > 1 ? 'es' : ''}, ${t.name}`;
      const procs = await Promise.all(Array.from({ length: n }, (_, i) => startRoster(port + i, t.env)));
      const bases = procs.map((_, i) => `http://127.0.0.1:${port + i}`);
      await new Promise((r) => setTimeout(r, 2000)); // the standby monitor's first answers
      for (const q of mix(bases)) {
        // autocannon takes several URLs (documented) and spreads its connections over them in turn.
        const url = (q.urls.length === 1 ? q.urls[0] : q.urls) as string;
        await autocannon({ url, headers: q.headers, connections: CONNECTIONS, duration: 2 });
        const r = await autocannon({ url, headers: q.headers, connections: CONNECTIONS, duration: DURATION });
        if (r.non2xx || r.errors) throw new Error(`${setup} / ${q.name}: ${r.non2xx} answers not 2xx, ${r.errors} errors`);
        const rps = r.requests.average;
        if (!baseline.has(q.name)) baseline.set(q.name, rps);
        const ratio = rps / baseline.get(q.name)!;
        rows.push(`| ${setup} | ${q.name} | ${Math.round(rps)} | ${ratio.toFixed(2)}× | ${r.latency.p50} | ${r.latency.p99} |`);
        console.log(rows.at(-1));
      }
      let replica: number | undefined;
      for (const b of bases) {
        const v = sample(await metrics(b), 'roster_db_reads_total', { target: 'replica' });
        if (v !== undefined) replica = (replica ?? 0) + v;
      }
      if (replica !== undefined) rows.push(`| ${setup} | (reads served by the standby during the mix, warm-ups included) | ${replica} | | | |`);
      for (const p of procs) await stopRoster(p);
    }
  }

  // Mixed load with the standby: one account writes continuously; it and five others read.
  const child = await startRoster(port, { DATABASE_URL: cluster.url, DATABASE_REPLICA_URLS: standby.url });
  const base = `http://127.0.0.1:${port}`;
  await new Promise((r) => setTimeout(r, 2000));
  const primary = postgres(cluster.url, { max: 1, onnotice: () => {} });
  const lags: number[] = [];
  let running = true;
  const lagWatch = (async () => {
    while (running) {
      const [row] = await primary`SELECT extract(epoch FROM replay_lag)::float8 * 1000 AS ms FROM pg_stat_replication LIMIT 1`;
      if (row?.ms != null) lags.push(row.ms);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const before = await metrics(base);
  const writes = autocannon({
    url: `${base}/v1/customers`,
    method: 'POST',
    headers: { 'x-api-key': writer.api_key, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Written under load', type: 'business' }),
    connections: 2,
    duration: DURATION,
  });
  const writerReads = autocannon({ url: `${base}/v1/customers?limit=20&count=true`, headers: { 'x-api-key': writer.api_key }, connections: 2, duration: DURATION });
  const otherReads = Promise.all(readers.map((r) => autocannon({ url: `${base}/v1/customers?limit=20&sort=name`, headers: { 'x-api-key': r.api_key }, connections: 2, duration: DURATION })));
  const [w, wr, ors] = await Promise.all([writes, writerReads, otherReads]);
  for (const r of [w, wr, ...ors]) if (r.non2xx || r.errors) throw new Error(`mixed load: ${r.non2xx} answers not 2xx, ${r.errors} errors`);
  running = false;
  await lagWatch;
  const after = await metrics(base);
  const delta = (target: string, reason: string) => (sample(after, 'roster_db_reads_total', { target, reason }) ?? 0) - (sample(before, 'roster_db_reads_total', { target, reason }) ?? 0);
  lags.sort((a, b) => a - b);
  const pct = (p: number) => (lags.length ? lags[Math.min(lags.length - 1, Math.floor(p * lags.length))].toFixed(1) : 'n/a');
  const mixed = [
    `writes: ${Math.round(w.requests.average)}/s (p99 ${w.latency.p99} ms); the writer's own reads: ${Math.round(wr.requests.average)}/s; five other accounts' reads: ${Math.round(ors.reduce((n, r) => n + r.requests.average, 0))}/s`,
    `reads by where they ran: standby ${delta('replica', 'standby')}, primary because the account's last write was not yet replayed (fence) ${delta('primary', 'fence')}, primary with no standby in bounds ${delta('primary', 'no_standby')}, after a standby error ${delta('primary', 'standby_error')}`,
    `standby replay lag (pg_stat_replication.replay_lag, sampled every 100 ms): p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${pct(1)} ms`,
  ];
  for (const line of mixed) console.log(line);
  await primary.end();
  await stopRoster(child);

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const section = [
    `\n## Scale-out on one machine: ${new Date().toISOString().slice(0, 10)}, ${N} customers`,
    '',
    `\`npm run bench:scale-out -- --customers ${N} --duration ${DURATION} --connections ${CONNECTIONS} --processes ${PROCESSES}\`: ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB; PostgreSQL, its standby, ${spawnSync(pgbouncerBin(), ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]}, Roster and autocannon all on this machine, so the figures compare set-ups rather than measure capacity.`,
    '',
    `${CONNECTIONS} connections for ${DURATION} s per row (after 2 s of warm-up), spread evenly over the processes; the ratio is to one process on the primary, directly, for the same request.`,
    '',
    '| set-up | request | req/s | ratio | p50 ms | p99 ms |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    'Mixed load with the standby for reads:',
    '',
    ...mixed.map((l) => `- ${l}`),
    '',
  ].join('\n');
  const file = args.out;
  writeFileSync(file, readFileSync(file, 'utf8') + section);
  console.log(`appended to ${file}`);
}

try {
  await main();
} finally {
  for (const c of children) c.kill('SIGTERM');
  bouncer?.stop();
  cluster.stop();
}
