// `npm run bench`: one machine, one run. Seeds an account in a real PostgreSQL, starts Roster in
// server mode and a bare Fastify + postgres.js handler, drives a fixed query mix per dialect with
// autocannon from this (separate) process, measures the database floor with pgbench, puts the
// same questions to the peers users would pick instead (bench/peers), and writes the figures to
// BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { pgBin } from '../scripts/pg-cluster.js';
import { benchDatabase } from './bench-db.ts';
import { openStore } from '../src/store/open.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { seed } from '../src/seed/load.ts';
import { compileList } from '../src/store/compiler/compile-list.ts';
import { scopeQuery } from '../src/core/scope.ts';
import { listQuery, type ListQuery } from '../src/core/list-query.ts';
import { customerListQuery as spiriiListQuery } from '../src/dialects/spirii/list-params.ts';
import { nativeMix } from './native-mix.ts';
import { ROSTER_BENCH_ENV } from './roster-env.ts';
import { startPeers, comparisons, type Comparison, type Peer } from './peers/index.ts';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    out: { type: 'string', default: 'BENCHMARKS.md' },
    // Leaves out the peers (bench/peers) and the comparison with them: Roster's rows and floors only.
    'skip-peers': { type: 'boolean', default: false },
    // Deletes the events the seed's load writes (one per record) while it runs, so a 10M store
    // fits the disk: the outbox would be a third of it, and no query in the mix reads it.
    'prune-events': { type: 'boolean', default: false },
  },
});
const N = Number(args.customers);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);

const bench = await benchDatabase('roster_bench', ['shared_buffers=1GB', 'maintenance_work_mem=1GB', 'max_wal_size=8GB', 'work_mem=32MB']);
const { admin, name: dbName } = bench;
const url = new URL(bench.url);
const DATABASE_URL = url.toString();

/** Deletes the account's events every 15 s until stopped, vacuuming so the outbox's pages are reused. */
function pruneEvents(accountId: string) {
  const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  let stopping = false;
  // Stopping ends the pause at once rather than after its 15 s.
  let wake = () => {};
  const once = async () => {
    await sql`DELETE FROM events WHERE account_id = ${accountId}`;
    await sql`VACUUM events`;
  };
  const loop = (async () => {
    while (!stopping) {
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 15_000);
        wake = () => {
          clearTimeout(timer);
          r();
        };
      });
      if (!stopping) await once();
    }
  })();
  return {
    async stop() {
      stopping = true;
      wake();
      await loop;
      await once();
      await sql.end();
    },
  };
}

async function main() {
  // Seed.
  const db = await openStore({ databaseUrl: DATABASE_URL });
  const account = await createAccount(db, 'Bench', 'test');
  const pruning = args['prune-events'] ? pruneEvents(account.account_id) : undefined;
  const seeded = await seed(db, { accountId: account.account_id, customers: N, users: 50, seed: 1, progress: process.stderr.isTTY ? 'bar' : 'lines' });
  await pruning?.stop();
  const ingest = Math.round(N / seeded.seconds);
  console.log(`seeded ${N} customers in ${seeded.seconds.toFixed(1)} s (${ingest} rows/s)`);
  const at = async (q: string, p: unknown[] = []) => (await db.query<Record<string, any>>(q, p))[0];
  const mid = await at(`SELECT id FROM customers WHERE account_id = $1 AND deleted_at IS NULL ORDER BY created_at, id OFFSET $2 LIMIT 1`, [account.account_id, Math.floor(N / 2)]);
  const late = await at(`SELECT updated_at FROM customers WHERE account_id = $1 ORDER BY updated_at DESC OFFSET $2 LIMIT 1`, [account.account_id, Math.min(N - 1, 2000)]);
  const selective = (await at(`SELECT email FROM customers WHERE account_id = $1 AND number = $2`, [account.account_id, Math.floor(N * 0.37)])).email.split('@')[0];
  await db.close();

  // Servers.
  const port = 18600 + Math.floor(Math.random() * 300);
  const roster = await bench.startChild('roster', [join(import.meta.dirname, '..', 'bin', 'roster.js'), 'serve', '--port', String(port)], { DATABASE_URL, ...ROSTER_BENCH_ENV }, 'API reference');
  const barePort = port + 1;
  const bare = join(import.meta.dirname, 'bare-handler.ts');
  await bench.startChild('bare', ['--import', 'tsx', bare], { DATABASE_URL, PORT: String(barePort), BENCH_ACCOUNT: account.account_id }, 'bare handler ready');
  const base = `http://127.0.0.1:${port}`;
  const key = { 'x-api-key': account.api_key };
  const native = nativeMix(base, key, { depthLabel: String(N / 2), depthId: mid.id, selective });
  // The same page statement Roster sends for `GET /v1/customers?limit=20` (cached count aside),
  // served by the bare handler twice: as the superuser, and as `roster_app` under row security.
  const firstPage = compileList(scopeQuery(native.find((q) => q.name === 'native: first page')!.floor!, account.account_id));
  const sameSqlPort = port + 4;
  const sameAsRosterPort = port + 5;
  for (const [label, samePort, asRosterApp] of [
    ['bare-same', sameSqlPort, undefined],
    ['bare-same-rls', sameAsRosterPort, account.account_id],
  ] as const) {
    await bench.startChild(
      label,
      ['--import', 'tsx', bare],
      { DATABASE_URL, PORT: String(samePort), BENCH_SQL: firstPage.text, BENCH_PARAMS: JSON.stringify(firstPage.params), ...(asRosterApp && { BENCH_AS_ROSTER_APP: asRosterApp }) },
      'bare handler ready',
    );
  }
  const peers = args['skip-peers']
    ? []
    : await startPeers({ databaseUrl: DATABASE_URL, accountId: account.account_id, depth: Math.floor(N / 2), midId: mid.id, search: selective }, [port + 2, port + 3], bench.startChild);
  const tokenRes = await fetch(`${base}/dintero/v1/accounts/${account.account_id}/auth/token`, {
    method: 'POST',
    headers: { authorization: 'Basic ' + Buffer.from(`${account.client_id}:${account.client_secret}`).toString('base64'), 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', audience: `${base}/dintero/v1/accounts/${account.account_id}` }),
  });
  const dinteroToken = (await tokenRes.json()).access_token as string;

  const bearer = { authorization: `Bearer ${account.api_key}` };
  const since = new Date(late.updated_at).toISOString();
  const mix: { name: string; url: string; headers: Record<string, string>; floor?: ListQuery }[] = [
    { name: 'bare handler: 9-column page of 20', url: `http://127.0.0.1:${barePort}/customers`, headers: {} },
    { name: 'bare handler: the statement Roster sends for its first page', url: `http://127.0.0.1:${sameSqlPort}/customers`, headers: {} },
    { name: 'bare handler: the same statement as roster_app (row security on)', url: `http://127.0.0.1:${sameAsRosterPort}/customers`, headers: {} },
    ...native,
    { name: 'dakota: first page (name)', url: `${base}/dakota/customers`, headers: key },
    { name: 'dakota: filtered + sorted, with total_count', url: `${base}/dakota/customers?kyb_statuses=active&sort_by=created_at&sort_dir=desc`, headers: key },
    { name: 'spirii: first page', url: `${base}/spirii/v2/customers?limit=20`, headers: bearer },
    {
      name: 'spirii: offset 100000',
      url: `${base}/spirii/v2/customers?limit=20&offset=${Math.min(100_000, N - 100)}`,
      headers: bearer,
      // The very query Spirii's list sends for this page, fields included.
      floor: spiriiListQuery({ limit: '20', offset: String(Math.min(100_000, N - 100)) } as never),
    },
    {
      name: 'dintero: since_datetime page',
      url: `${base}/dintero/v1/accounts/${account.account_id}/customers/users?since_datetime=${encodeURIComponent(since)}&limit=20`,
      headers: { authorization: `Bearer ${dinteroToken}` },
    },
    { name: 'investifi: first page', url: `${base}/investifi/v1/users/?per_page=20`, headers: key },
  ];
  // The native row each peer query is compared with.
  const versus: Record<Comparison, string> = {
    'first page': 'native: first page',
    'cursor depth': `native: page at cursor depth ${N / 2}`,
    'filtered + sorted': 'native: filtered + sorted page',
    'selective search': 'native: search, selective',
    'exact count': 'native: count, unfiltered',
  };

  // The database floor: the statements Roster sends, through pgbench -M prepared: one client
  // (the statement's own latency), and as many clients as the HTTP load has connections (what
  // the database alone sustains on these cores, to set beside Roster's req/s).
  const floors: string[] = [];
  // A list that reports a count sends its page with the count left out while the cached count
  // is current (the steady state under this load); `count` puts it in, as a miss does.
  const floor = async (name: string, q: ListQuery, opts: { count?: boolean; asRosterApp?: boolean } = {}) => {
    const stmt = compileList(scopeQuery(q, account.account_id), { count: opts.count ?? false });
    // The parameters go as parameters (pgbench variables, which -M prepared sends as $n), not
    // as literals: a statement PostgreSQL plans afresh at each execution, because its generic
    // plan looks dearer than the custom ones, pays for that planning in the floor as in Roster.
    // An array parameter goes as an array literal, each element double-quoted.
    const literal = (p: unknown) => (Array.isArray(p) ? `{${p.map((x) => `"${String(x).replace(/["\\]/g, '\\$&')}"`).join(',')}}` : String(p));
    const text = stmt.text.replace(/\$(\d+)::/g, ':p$1::');
    if (/\$\d/.test(text)) throw new Error(`${name}: a parameter without a cast is left in the statement`);
    const variables = stmt.params.flatMap((p, i) => ['-D', `p${i + 1}=${literal(p)}`]);
    const file = join(mkdtempSync(join(tmpdir(), 'roster-bench-')), 'q.sql');
    writeFileSync(file, text.replace(/\n/g, ' ') + ';\n');
    const bench = (clients: number) => {
      // The account setting roster_search_ids reads, as Roster's transaction sets it.
      const out = execFileSync(pgBin('pgbench'), ['-n', '-M', 'prepared', '-c', String(clients), '-j', String(Math.min(clients, cpus().length)), '-T', '5', ...variables, '-f', file, DATABASE_URL], {
        encoding: 'utf8',
        // As roster_app, the statement runs under row-level security, as Roster's reads do. JIT
        // off, as on Roster's connections (postgres-driver.ts): at 10M a generic plan's cost
        // passes jit_above_cost, and compiling the statement took 95 ms of every execution.
        env: { ...process.env, PGOPTIONS: `${opts.asRosterApp ? '-c role=roster_app ' : ''}-c roster.account_id=${account.account_id} -c jit=off` },
      });
      return { latency: /latency average = ([\d.]+) ms/.exec(out)?.[1], tps: Math.round(Number(/tps = ([\d.]+)/.exec(out)?.[1])) };
    };
    const one = bench(1);
    const many = bench(CONNECTIONS);
    const line = `| ${name} | ${one.tps} | ${one.latency} | ${many.tps} | ${many.latency} |`;
    console.log(line);
    floors.push(line);
    return many.tps;
  };
  const rows: string[] = [];
  const perSecond = new Map<string, number>();
  const rssPeak = new Map<number, number>();
  // Roster's mix, then each peer's queries (which check their own answers before the load).
  type Load = { name: string; url: string; headers: Record<string, string>; method?: 'GET' | 'POST'; body?: string; pid: number; verify?: () => Promise<void>; floor?: ListQuery };
  // Loads set beside their floor, measured right after the load, back to back: on cores shared
  // with other tenants of the host, a floor taken minutes later can differ by more than the gap
  // it is meant to show.
  const backToBack: string[] = [];
  const cancelled: string[] = [];
  const timeouts: string[] = [];
  const loads: Load[] = [...mix.map((q) => ({ ...q, pid: roster.pid! })), ...peers.flatMap((p) => p.queries)];
  for (const q of loads) {
    if (q.verify) await q.verify();
    else {
      let check = await fetch(q.url, { headers: q.headers });
      if (check.status === 408) {
        // A 408 closes its connection and may be retried (RFC 9110 §15.5.9); it is printed,
        // with Roster's own log line about it above, rather than stopping the run.
        console.log(`  (HTTP 408 on the check before "${q.name}": ${await check.text()}; retried)`);
        timeouts.push(`before "${q.name}"`);
        check = await fetch(q.url, { headers: q.headers });
      }
      if (check.status !== 200) throw new Error(`${q.name}: HTTP ${check.status} ${await check.text()}`);
    }
    const request = { url: q.url, headers: q.headers, ...(q.method && { method: q.method }), ...(q.body && { body: q.body }) };
    await autocannon({ ...request, connections: CONNECTIONS, duration: 2 });
    const r = await autocannon({ ...request, connections: CONNECTIONS, duration: DURATION });
    rssPeak.set(q.pid, Math.max(rssPeak.get(q.pid) ?? 0, rssOf(q.pid)));
    perSecond.set(q.name, Math.round(r.requests.average));
    const line = `| ${q.name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} |`;
    console.log(line);
    rows.push(line);
    // A statement whose client gave up (a peer's count of 10M rows outlasts autocannon's
    // timeout) keeps a core busy long after its load: stop it, so it cannot slow what comes next.
    // Requests in flight when the load stopped get two seconds to finish first.
    const active = `FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND state = 'active'`;
    for (let i = 0; i < 20 && (await admin.unsafe<{ n: number }[]>(`SELECT count(*)::int AS n ${active}`, [dbName]))[0].n > 0; i++) await new Promise((r) => setTimeout(r, 100));
    const left = await admin.unsafe<{ ms: number; query: string; cancelled: boolean }[]>(
      `SELECT round(extract(epoch FROM now() - query_start) * 1000)::int AS ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query, pg_cancel_backend(pid) AS cancelled ${active}`,
      [dbName],
    );
    if (left.length) {
      console.log(`  (cancelled ${left.length} statements still running after "${q.name}": ${left.map((l) => `${l.ms} ms in: ${l.query}`).join(' | ')})`);
      cancelled.push(`${left.length} after "${q.name}"`);
    }
    if (q.floor) {
      const floorTps = await floor(`${q.name}, right after its load`, q.floor);
      const asRosterTps = await floor(`${q.name}, right after its load, as roster_app (row security on)`, q.floor, { asRosterApp: true });
      const roster = Math.round(r.requests.average);
      backToBack.push(
        `${q.name}, back to back: Roster ${roster} req/s, its statement through pgbench at ${CONNECTIONS} clients ${floorTps} tps right after: ${(floorTps / roster).toFixed(2)}× the floor's time; ` +
          `as roster_app, under the row-level security Roster's reads run with, ${asRosterTps} tps: ${(asRosterTps / roster).toFixed(2)}×.\n\n`,
      );
    }
  }
  const rssMax = rssPeak.get(roster.pid!)!;

  // Latency targets, measured without queueing: one client, one request at a time. At ten
  // connections on two cores, a request's latency is mostly its wait behind the other nine.
  const latencyRows: string[] = [];
  const LATENCY = [
    'native: first page',
    `native: page at cursor depth ${N / 2}`,
    'native: search, selective',
    'native: search, common name token',
    'native: count, unfiltered',
    'native: count, one filter',
  ];
  for (const q of mix.filter((m) => LATENCY.includes(m.name))) {
    const r = await autocannon({ url: q.url, headers: q.headers, connections: 1, duration: Math.max(3, Math.round(DURATION / 2)) });
    const line = `| ${q.name} | ${r.latency.p50} | ${r.latency.p99} | ${r.latency.max} |`;
    console.log(line);
    latencyRows.push(line);
  }
  // A count right after a write to the account: the cached count is no longer current, so this
  // is what a count costs on an account that is being written to.
  const written = (await (await fetch(`${base}/v1/customers?limit=1&sort=-created_at`, { headers: key })).json()).data[0];
  // Each is read from the counters kept on write (pairs, and the combinations of every counted
  // field for three or more), in the page's snapshot, so the write just made is counted.
  for (const [name, qs] of [
    ['unfiltered', 'count=true&limit=1'],
    ['one filter', 'count=true&kyb_status=active&limit=1'],
    ['two filters', 'count=true&kyb_status=active&type=business&limit=1'],
    ['three filters', 'count=true&kyb_status=active&type=business&country=DK&limit=1'],
    ['four filters, two in-lists', 'count=true&kyb_status=active&type[in]=business,individual&country[in]=DK,SE&kyc_status=approved&limit=1'],
  ]) {
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      const patched = await fetch(`${base}/v1/customers/${written.id}`, {
        method: 'PATCH',
        headers: { ...key, 'content-type': 'application/json' },
        body: JSON.stringify({ metadata: { bench: String(i) } }),
      });
      if (patched.status !== 200) throw new Error(`PATCH: HTTP ${patched.status} ${await patched.text()}`);
      const t = performance.now();
      const r = await fetch(`${base}/v1/customers?${qs}`, { headers: key });
      await r.arrayBuffer();
      times.push(performance.now() - t);
    }
    times.sort((x, y) => x - y);
    const line = `| native: count, ${name}, right after a write | ${times[20].toFixed(1)} | ${times[Math.floor(times.length * 0.99)].toFixed(1)} | ${times.at(-1)!.toFixed(1)} |`;
    console.log(line);
    latencyRows.push(line);
  }
  const against = peerTable(peers, versus, perSecond);

  await floor('exact count, unfiltered, uncached', listQuery({ resource: 'customers', count: true, page: { kind: 'keyset', limit: 1 } }), { count: true });

  const cpu = cpus()[0]?.model ?? 'unknown';
  const ratioTo = (name: string) => ((perSecond.get('native: first page') ?? 0) / (perSecond.get(name) ?? Number.NaN)).toFixed(2);
  const againstBare =
    `First page against a bare handler sending the same statement: ${ratioTo('bare handler: the statement Roster sends for its first page')}× its req/s; ` +
    `against the same handler connected as roster_app, under the row-level security Roster's reads run with: ${ratioTo('bare handler: the same statement as roster_app (row security on)')}×.\n\n`;
  const report = `
## Run of ${new Date().toISOString().slice(0, 10)}: ${N.toLocaleString('en')} customers

Machine: ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${(await pgVersion()).trim()}.
Command: \`npm run bench -- --customers ${N} --duration ${DURATION} --connections ${CONNECTIONS}${args['skip-peers'] ? ' --skip-peers' : ''}${args['prune-events'] ? ' --prune-events' : ''}\`.
Load from autocannon in the benchmark process (${CONNECTIONS} connections, ${DURATION} s after a 2 s warm-up); Roster is one
separate process in server mode; everything shares the same ${cpus().length} cores.

Ingest (COPY in batches of one transaction each, every index and constraint in force): ${ingest.toLocaleString('en')} customers/s${args['prune-events'] ? "; the load's events were deleted as it went (--prune-events)" : ''}.
Roster's peak RSS under load: ${Math.round(rssMax / 1024)} MB.
Peers (bench/peers, same database, same load): ${peers.map((p) => `${p.name} ${p.version} on Node ${p.node.slice(1)}, ready in ${(p.startupMs / 1000).toFixed(1)} s, peak RSS under load ${Math.round(rssPeak.get(p.pid)! / 1024)} MB`).join('; ')}.

| query | req/s | p50 ms | p99 ms | non-2xx |
| --- | --- | --- | --- | --- |
${rows.join('\n')}
${cancelled.length ? `\nStatements left running when a load ended, cancelled before the next: ${cancelled.join('; ')}.\n` : ''}${timeouts.length ? `\nHTTP 408 on a check request, retried: ${timeouts.join('; ')}.\n` : ''}
Latency at one client (one request at a time; a count after a write: 40 rounds of PATCH then count):

| query | p50 ms | p99 ms | max ms |
| --- | --- | --- | --- |
${latencyRows.join('\n')}

${peers.length ? `Roster against peers (req/s; the ratio is Roster's throughput over the peer's):\n\n${against}\n` : 'Peers left out (--skip-peers).\n'}
${againstBare}${backToBack.join('')}Database floor (pgbench -M prepared, the statement Roster sends):

| statement | tps, 1 client | mean ms, 1 client | tps, ${CONNECTIONS} clients | mean ms, ${CONNECTIONS} clients |
| --- | --- | --- | --- | --- |
${floors.join('\n')}
`;
  const head = readFileSafe(args.out!) || '# Benchmarks\n\nProduced by `npm run bench`; see the runs below, newest last.\n';
  writeFileSync(args.out!, head.trimEnd() + '\n' + report);
  console.log(report);
}

/** The comparison table: each peer query beside the native Roster row it stands in for. */
function peerTable(peers: Peer[], versus: Record<Comparison, string>, perSecond: Map<string, number>): string {
  const figure = (name: string) => {
    const v = perSecond.get(name);
    if (v === undefined) throw new Error(`no figure for ${name}`);
    return v;
  };
  const lines = [
    `| query | Roster row | Roster | ${peers.map((p) => p.name).join(' | ')} | ${peers.map((p) => `Roster / ${p.name}`).join(' | ')} |`,
    `| --- | --- | --- |${peers.map(() => ' --- |').join('')}${peers.map(() => ' --- |').join('')}`,
  ];
  const notes: string[] = [];
  for (const c of comparisons) {
    const roster = figure(versus[c]);
    const cells = peers.map((p) => {
      const q = p.queries.find((q) => q.compares === c);
      if (q) return { value: String(figure(q.name)), ratio: figure(q.name) ? `${(roster / figure(q.name)).toFixed(2)}×` : '–' };
      notes.push(`${p.name}, ${c}: not expressible (${p.notExpressible[c] ?? 'no equivalent'}).`);
      return { value: 'not expressible', ratio: '–' };
    });
    lines.push(`| ${c} | ${versus[c]} | ${roster} | ${cells.map((x) => x.value).join(' | ')} | ${cells.map((x) => x.ratio).join(' | ')} |`);
  }
  return [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n');
}

function readFileSafe(path: string) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

async function pgVersion() {
  const [row] = await admin.unsafe('SELECT version()');
  return String(row.version).split(',')[0];
}

function rssOf(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

try {
  await main();
} finally {
  await bench.close();
}
