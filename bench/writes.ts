// `npm run bench:writes`: what writes into one account cost, on a real PostgreSQL. Seeds an
// account, starts Roster in server mode, and drives with autocannon: creates (`POST
// /v1/customers`, a new external_id and email each), patches (`PATCH /v1/customers/{id}` on
// random customers among the first few thousand), the first page alone, and the first page
// while one connection creates alongside. The floor is the same transactions through pgbench:
// the statements a create and a patch send are captured from the server's log
// (`log_statement = all` for one request of each), and replayed with their unique values drawn
// by pgbench. Appends the figures to BENCHMARKS.md.
import { execFile } from 'node:child_process';
import { writeFileSync, readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { pgBin } from '../scripts/pg-cluster.js';
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
    'patch-set': { type: 'string', default: '5000' },
    out: { type: 'string', default: 'BENCHMARKS.md' },
  },
});
const N = Number(args.customers);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const PATCH_SET = Number(args['patch-set']);

const bench = await benchDatabase('roster_writes', ['shared_buffers=1GB', 'maintenance_work_mem=1GB', 'max_wal_size=8GB', 'work_mem=32MB']);
const { admin, name: dbName } = bench;
const url = new URL(bench.url);
const DATABASE_URL = url.toString();
const execFileAsync = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'roster-bench-writes-'));

// Unique values for every create, across warm-ups and runs.
let serial = 0;
const KYB = ['active', 'pending'] as const;

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function main() {
  const db = await openStore({ databaseUrl: DATABASE_URL });
  const account = await createAccount(db, 'Bench', 'test');
  const seeded = await seed(db, { accountId: account.account_id, customers: N, users: 50, seed: 1, progress: process.stderr.isTTY ? 'bar' : 'lines' });
  console.log(`seeded ${N} customers in ${seeded.seconds.toFixed(1)} s`);
  // The customers patches pick from: the first few thousand live ones by number. pgbench draws
  // a number in their range and takes the first live customer at or after it.
  const targets = await db.query<{ id: string; number: string }>(`SELECT id, number FROM customers WHERE account_id = $1 AND deleted_at IS NULL ORDER BY number LIMIT $2`, [
    account.account_id,
    PATCH_SET,
  ]);
  const ids = targets.map((t) => t.id);
  const numberRange = [Number(targets[0].number), Number(targets.at(-1)!.number)];
  await db.close();

  const port = 18900 + Math.floor(Math.random() * 300);
  await bench.startChild('roster', [join(import.meta.dirname, '..', 'bin', 'roster.js'), 'serve', '--port', String(port)], { DATABASE_URL, ...ROSTER_BENCH_ENV }, 'API reference');
  const base = `http://127.0.0.1:${port}`;
  const key = { 'x-api-key': account.api_key };
  const json = { ...key, 'content-type': 'application/json' };
  const createBody = () => {
    const i = ++serial;
    return JSON.stringify({ name: `Bench write ${i}`, external_id: `bench-ext-${i}`, email: `bench-${i}@example.com` });
  };
  const patchBody = () => {
    const i = ++serial;
    return JSON.stringify({ kyb_status: KYB[i % 2], metadata: { bench: String(i) } });
  };
  const randomId = () => ids[Math.floor(Math.random() * ids.length)];

  // Capture what one create and one patch send, from the server's log.
  const capture = await captureWrites(base, json, ids[0]);
  const scripts = floorScripts(capture, account.account_id, numberRange);
  for (const [name, script] of Object.entries(scripts)) {
    console.log(`-- pgbench script for ${name}:\n${script}`);
    await pgbench(script, 1, { transactions: 3 });
  }

  const load = (opts: autocannon.Options) => autocannon({ ...opts, duration: opts.duration ?? DURATION });
  const row = (name: string, r: autocannon.Result): Row => {
    const x = { name, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx + r.errors + r.timeouts };
    console.log(`| ${x.name} | ${x.rps} | ${x.p50} | ${x.p99} | ${x.non2xx} |`);
    return x;
  };
  const creates: autocannon.Options = {
    url: `${base}/v1/customers`,
    requests: [{ method: 'POST', path: '/v1/customers', headers: json, setupRequest: (req) => ({ ...req, body: createBody() }) }],
  };
  const patches: autocannon.Options = {
    url: base,
    requests: [{ method: 'PATCH', path: `/v1/customers/${ids[0]}`, headers: json, setupRequest: (req) => ({ ...req, path: `/v1/customers/${randomId()}`, body: patchBody() }) }],
  };
  const reads: autocannon.Options = { url: `${base}/v1/customers?limit=20`, headers: key };

  // What the database's backends for this run wait on while a load runs: sampled every 50 ms.
  const waits = new Map<string, { active: number; lock: number }>();
  const sampled = async <T>(name: string, run: Promise<T>): Promise<T> => {
    const tally = { active: 0, lock: 0 };
    waits.set(name, tally);
    let done = false;
    const sampler = (async () => {
      while (!done) {
        const [s] = await admin.unsafe<{ active: number; lock: number }[]>(
          `SELECT count(*)::int AS active, count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS lock
             FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND state <> 'idle'`,
          [dbName],
        );
        tally.active += s.active;
        tally.lock += s.lock;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      return await run;
    } finally {
      done = true;
      await sampler;
    }
  };
  const waitLine = (name: string) => {
    const w = waits.get(name)!;
    return `${name}: ${w.active ? ((w.lock / w.active) * 100).toFixed(0) : 0}% of busy backends waiting on a lock`;
  };

  const rows: Row[] = [];
  for (const [name, opts] of [
    ['create (POST /v1/customers)', creates],
    [`patch (PATCH /v1/customers/{id}, ${ids.length} ids)`, patches],
    ['first page, reads only', reads],
  ] as const) {
    await load({ ...opts, connections: CONNECTIONS, duration: 2 });
    rows.push(row(name, await sampled(name, load({ ...opts, connections: CONNECTIONS }))));
  }
  const readOnly = rows[2];
  // Reads beside writers: the same number of connections, one or three of them creating (a
  // create takes several times a page's time, so one writer makes a few percent of the
  // requests and three about a tenth). Each mix beside reads alone at its own read connections.
  const mixes: { writers: number; read: Row; write: Row; alone: Row; share: number }[] = [];
  for (const writers of [1, 3]) {
    const readers = CONNECTIONS - writers;
    await Promise.all([load({ ...reads, connections: readers, duration: 2 }), load({ ...creates, connections: writers, duration: 2 })]);
    const [r, w] = await Promise.all([load({ ...reads, connections: readers }), load({ ...creates, connections: writers })]);
    const read = row(`first page, ${readers} connections, beside ${writers} creating`, r);
    const write = row(`create, ${writers} connection${writers > 1 ? 's' : ''}, beside ${readers} reading`, w);
    const alone = row(`first page, ${readers} connections, reads only`, await load({ ...reads, connections: readers }));
    rows.push(read, write, alone);
    mixes.push({ writers, read, write, alone, share: write.rps / (write.rps + read.rps) });
  }

  // Counts stay exact right after writes.
  const counted = await (await fetch(`${base}/v1/customers?limit=1&count=exact`, { headers: key })).json();
  const exact = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  const [{ n: recount }] = await exact.unsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM customers WHERE account_id = $1 AND deleted_at IS NULL`, [account.account_id]);
  await exact.end();
  const countLine = `total_count right after the writes: ${counted.total_count}, a recount: ${recount}${counted.total_count === recount ? ' (equal)' : ' (DIFFERENT)'}`;
  console.log(countLine);

  // The floor: the captured transactions through pgbench at the same number of clients.
  // One client as well: its tps beside ten clients' shows how much of the work runs in parallel.
  const floors: ({ name: string; clients: number } & Awaited<ReturnType<typeof pgbench>>)[] = [];
  for (const [name, script] of Object.entries(scripts)) {
    for (const clients of [1, CONNECTIONS]) {
      const f = await sampled(`floor ${name}, ${clients} client${clients > 1 ? 's' : ''}`, pgbench(script, clients, { seconds: DURATION }));
      console.log(`floor ${name}, ${clients} client${clients > 1 ? 's' : ''}: ${f.tps} tps, mean ${f.mean} ms, p50 ${f.p50} ms, p99 ${f.p99} ms, ${f.failed} failed`);
      floors.push({ name, clients, ...f });
    }
  }
  const floorOf = (name: string, clients = CONNECTIONS) => floors.find((f) => f.name === name && f.clients === clients)!;

  const ratio = (a: number, b: number) => (b ? `${(a / b).toFixed(2)}×` : '–');
  const cpu = cpus()[0]?.model ?? 'unknown';
  const [pg] = await admin.unsafe('SELECT version()');
  const table = ['| load | req/s | p50 ms | p99 ms | non-2xx |', '| --- | --- | --- | --- | --- |', ...rows.map((r) => `| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.non2xx} |`)].join('\n');
  const floorTable = [
    `| transaction | floor tps, ${CONNECTIONS} clients | mean ms | p50 ms | p99 ms | floor tps, 1 client | mean ms | Roster req/s, ${CONNECTIONS} connections | p50 ms | p99 ms | Roster / floor (req/s over tps) |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...[
      ['create', rows[0]],
      ['patch', rows[1]],
    ].map(([name, r]) => {
      const f = floorOf(name as string);
      const one = floorOf(name as string, 1);
      return `| ${name} | ${f.tps} | ${f.mean} | ${f.p50} | ${f.p99} | ${one.tps} | ${one.mean} | ${(r as Row).rps} | ${(r as Row).p50} | ${(r as Row).p99} | ${ratio((r as Row).rps, f.tps)} |`;
    }),
  ].join('\n');
  const report = `
## Writes into one account, run of ${new Date().toISOString().slice(0, 10)}: ${N.toLocaleString('en')} customers

Machine: ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${String(pg.version).split(',')[0]}.
Command: \`npm run bench:writes -- --customers ${N} --duration ${DURATION} --connections ${CONNECTIONS}\`.
autocannon in the benchmark process (${DURATION} s after a 2 s warm-up), Roster one separate process in server mode,
PostgreSQL with fsync and synchronous_commit off (scripts/pg-cluster.js); everything shares the same ${cpus().length} cores.
Creates send a new external_id and email each and no Idempotency-Key (optional in the native API);
patches set kyb_status (active or pending) and metadata on a random one of the first ${ids.length} customers.

${table}

Reads beside writers (first page; the p99 ratio is over reads alone at ${CONNECTIONS} connections, and at the mix's own read connections):

| writers | readers | creates, share of requests | read req/s | read p99 ms | p99 / reads alone, ${CONNECTIONS} connections | p99 / reads alone, same readers |
| --- | --- | --- | --- | --- | --- | --- |
${mixes.map((m) => `| ${m.writers} | ${CONNECTIONS - m.writers} | ${(m.share * 100).toFixed(1)}% | ${m.read.rps} | ${m.read.p99} | ${ratio(m.read.p99, readOnly.p99)} | ${ratio(m.read.p99, m.alone.p99)} |`).join('\n')}

${countLine}.

Floor: the transaction Roster runs for one create and for one patch, captured from the server's log
(\`log_statement = all\` for one request of each) and replayed through \`pgbench -M prepared\` at ${CONNECTIONS} clients,
${DURATION} s; p50/p99 from pgbench's per-transaction log.

${floorTable}

Share of the database's busy backends found waiting on a lock (\`pg_stat_activity.wait_event_type = 'Lock'\`, sampled every 50 ms):
${[...waits.keys()].map((k) => `- ${waitLine(k)}`).join('\n')}
`;
  const head = readFileSafe(args.out!) || '# Benchmarks\n';
  writeFileSync(args.out!, head.trimEnd() + '\n' + report);
  console.log(report);
}

interface Statement {
  pid: string;
  sql: string;
  params: (string | null)[];
}

/**
 * Turns on `log_statement = all` for one create and one patch, and reads back from the log the
 * transaction each ran: BEGIN to COMMIT on the connection that wrote.
 */
async function captureWrites(base: string, headers: Record<string, string>, patchId: string) {
  const [{ data_directory }] = await admin.unsafe<{ data_directory: string }[]>(`SELECT current_setting('data_directory') AS data_directory`);
  const logFile = join(data_directory, '..', 'log');
  // The server's log is where scripts/pg-cluster.js has pg_ctl write it; a server of one's own
  // (DATABASE_URL) would need its own log settings.
  const [{ size: before }] = await admin.unsafe<{ size: string | null }[]>(`SELECT (pg_stat_file($1, true)).size AS size`, [logFile]);
  if (before === null) throw new Error(`no server log at ${logFile}: the floor needs the log of the throwaway cluster (run without DATABASE_URL)`);
  await admin.unsafe(`ALTER SYSTEM SET log_statement = 'all'`);
  await admin.unsafe(`SELECT pg_reload_conf()`);
  await new Promise((r) => setTimeout(r, 500));
  let created: Record<string, any>;
  let patched: Record<string, any>;
  try {
    const c = await fetch(`${base}/v1/customers`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Capture', external_id: 'capture-ext', email: 'capture@example.com' }),
    });
    if (c.status !== 201) throw new Error(`POST: HTTP ${c.status} ${await c.text()}`);
    created = await c.json();
    const p = await fetch(`${base}/v1/customers/${patchId}`, { method: 'PATCH', headers, body: JSON.stringify({ kyb_status: 'pending', metadata: { bench: 'capture' } }) });
    if (p.status !== 200) throw new Error(`PATCH: HTTP ${p.status} ${await p.text()}`);
    patched = await p.json();
  } finally {
    await admin.unsafe(`ALTER SYSTEM RESET log_statement`);
    await admin.unsafe(`SELECT pg_reload_conf()`);
  }
  await new Promise((r) => setTimeout(r, 300));
  const [{ text }] = await admin.unsafe<{ text: string }[]>(`SELECT pg_read_file($1, $2, (pg_stat_file($1)).size - $2) AS text`, [logFile, before]);
  const statements = parseLog(text);
  const transaction = (marker: RegExp) => {
    const at = statements.findIndex((s) => marker.test(s.sql));
    if (at < 0) throw new Error(`no ${marker} in the log:\n${text}`);
    const pid = statements[at].pid;
    const mine = statements.map((s, i) => ({ s, i })).filter((x) => x.s.pid === pid);
    const start = mine.filter((x) => x.i <= at && /^begin\b/i.test(x.s.sql)).at(-1);
    const end = mine.find((x) => x.i > at && /^commit\b/i.test(x.s.sql));
    if (!start || !end) throw new Error(`no BEGIN … COMMIT around ${marker} in the log:\n${text}`);
    return mine.filter((x) => x.i >= start.i && x.i <= end.i).map((x) => x.s);
  };
  return {
    create: { statements: transaction(/\bINSERT INTO customers\b/), record: created },
    patch: { statements: transaction(/\bUPDATE customers (c )?SET\b/), record: patched },
  };
}

/** Statements and their parameters from a PostgreSQL log with the default `%m [%p] ` prefix. */
function parseLog(text: string): Statement[] {
  const entries: { pid: string; level: string; body: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\w+):\s+(.*)$/.exec(line);
    if (m) entries.push({ pid: m[1], level: m[2], body: m[3] });
    else if (entries.length) entries.at(-1)!.body += '\n' + line;
  }
  const out: Statement[] = [];
  for (const e of entries) {
    const stmt = /^(?:statement|execute [^:]+): ([\s\S]*)$/.exec(e.body);
    if (e.level === 'LOG' && stmt) out.push({ pid: e.pid, sql: stmt[1].trim(), params: [] });
    else if (e.level === 'DETAIL' && e.body.startsWith('parameters: ')) {
      const last = out.findLast((s) => s.pid === e.pid);
      if (!last) continue;
      for (const p of e.body.slice('parameters: '.length).matchAll(/\$(\d+) = (NULL|'((?:[^']|'')*)')/g)) last.params[Number(p[1]) - 1] = p[2] === 'NULL' ? null : p[3].replace(/''/g, "'");
    }
  }
  return out;
}

/**
 * pgbench scripts for the captured transactions. Every parameter becomes a literal, except the
 * values that must differ per transaction: the new customer's id, uuid, external_id and email
 * (drawn from pgbench's `:r`), its number and time (read back with `\gset` from the
 * account_modes update that hands them out, as Roster reads them), and for a patch the customer
 * (a random one among the patch set) and its new kyb_status and metadata.
 */
function floorScripts(capture: Awaited<ReturnType<typeof captureWrites>>, accountId: string, [lo, hi]: number[]) {
  const sameTime = (v: string, t: string) => !Number.isNaN(Date.parse(v)) && /\d{4}-\d\d-\d\d/.test(v) && Date.parse(v) === Date.parse(t);
  const literal = (v: string | null) => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);
  const render = (s: Statement, swap: (v: string | null) => string | undefined) => {
    let sql = s.sql.replace(/\$(\d+)/g, (_, i) => {
      const v = s.params[Number(i) - 1];
      return swap(v) ?? literal(v);
    });
    sql = sql.replace(/\s+/g, ' ').trim();
    // The statement that hands out the number and time: its results feed the statements after it.
    if (/^UPDATE account_modes\b/.test(sql) && /\bRETURNING\b/.test(sql)) return `${sql} \\gset`;
    return `${sql};`;
  };
  const c = capture.create.record;
  const createSwap = (v: string | null) => {
    if (v === null) return undefined;
    if (v === c.id) return `('~' || :r)`;
    if (v === c.uuid) return 'gen_random_uuid()';
    if (v === String(c.number)) return ':n';
    if (v === 'capture-ext') return `('bench-ext-' || :r)`;
    if (v === 'capture@example.com') return `('bench-' || :r || '@example.com')`;
    if (sameTime(v, c.created_at)) return ':at';
    return undefined;
  };
  const p = capture.patch.record;
  const patchSwap = (v: string | null) => {
    if (v === null) return undefined;
    if (v === p.id) return ':pid';
    if (v === 'pending') return `(CASE :s::int WHEN 0 THEN 'active' ELSE 'pending' END)`;
    if (v === '{"bench":"capture"}') return `('{"bench":"' || :r || '"}')`;
    if (sameTime(v, p.updated_at)) return ':first';
    return undefined;
  };
  const create = ['\\set r random(1, 1000000000000)', ...capture.create.statements.map((s) => render(s, createSwap))].join('\n');
  const patch = [
    '\\set r random(1, 1000000000000)',
    '\\set s random(0, 1)',
    `\\set k random(${lo}, ${hi})`,
    // Not part of Roster's transaction: picks the customer, as the HTTP client picks an id.
    `SELECT id AS pid FROM customers WHERE account_id = '${accountId}' AND number >= :k AND deleted_at IS NULL ORDER BY number LIMIT 1 \\gset`,
    ...capture.patch.statements.map((s) => render(s, patchSwap)),
  ].join('\n');
  return { create, patch };
}

/** pgbench in a child process, without blocking the event loop (the lock sampler runs beside it). */
async function pgbench(script: string, clients: number, run: { seconds?: number; transactions?: number }) {
  const dir = mkdtempSync(join(work, 'pgbench-'));
  const file = join(dir, 'tx.sql');
  writeFileSync(file, script + '\n');
  const { stdout: out } = await execFileAsync(
    pgBin('pgbench'),
    [
      '-n',
      '-M',
      'prepared',
      '-c',
      String(clients),
      '-j',
      String(Math.min(clients, cpus().length)),
      ...(run.seconds ? ['-T', String(run.seconds)] : ['-t', String(run.transactions)]),
      '-l',
      `--log-prefix=${join(dir, 'tx')}`,
      '-f',
      file,
      DATABASE_URL,
    ],
    { encoding: 'utf8', cwd: dir },
  );
  const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
  if (run.transactions && failed) throw new Error(`pgbench failed:\n${out}`);
  // Per-transaction log: client, transaction, latency in µs, script, epoch s, µs.
  const latencies = readdirSync(dir)
    .filter((f) => f.startsWith('tx.'))
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .trim()
        .split('\n')
        .map((l) => Number(l.split(' ')[2]) / 1000),
    )
    .filter((x) => Number.isFinite(x))
    .sort((a, b) => a - b);
  rmSync(dir, { recursive: true, force: true });
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]?.toFixed(2);
  return { tps: Math.round(Number(/tps = ([\d.]+)/.exec(out)?.[1])), mean: /latency average = ([\d.]+) ms/.exec(out)?.[1], p50: at(0.5), p99: at(0.99), failed };
}

function readFileSafe(path: string) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

try {
  await main();
} finally {
  await bench.close();
  rmSync(work, { recursive: true, force: true });
}
