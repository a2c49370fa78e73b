// `npm run bench:embedded`: Roster on its embedded default (PGlite, no DATABASE_URL). Starts
// `roster serve` on a fresh data directory with a demo account of N customers (100k by
// default), then times the list mix one request at a time (PGlite runs inside the server's one
// thread, so concurrency adds only queueing), and appends the figures to BENCHMARKS.md.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { nativeMix } from './native-mix.ts';
import { ROSTER_BENCH_ENV } from './roster-env.ts';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '5' },
    out: { type: 'string', default: 'BENCHMARKS.md' },
  },
});
const N = Number(args.customers);
const DURATION = Number(args.duration);
const dataDir = mkdtempSync(join(tmpdir(), 'roster-embedded-'));
const port = 18300 + Math.floor(Math.random() * 300);
let server: ChildProcess | undefined;

async function main() {
  const started = performance.now();
  server = spawn(process.execPath, [join(import.meta.dirname, '..', 'bin', 'roster.js'), 'serve', '--data-dir', dataDir, '--port', String(port), '--demo-customers', String(N)], {
    env: { ...process.env, DATABASE_URL: '', ...ROSTER_BENCH_ENV },
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      if (out.includes('API reference')) resolve();
    };
    server!.stdout!.on('data', onData);
    server!.stderr!.on('data', onData);
    server!.on('exit', (code) => reject(new Error(`roster serve exited ${code}:\n${out}`)));
  });
  const ready = (performance.now() - started) / 1000;
  console.log(`embedded store with ${N} customers ready in ${ready.toFixed(1)} s`);

  const demo = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8'));
  const base = `http://127.0.0.1:${port}`;
  const key = { 'x-api-key': demo.api_key };
  const byNumber = async (n: number) => {
    const r = await fetch(`${base}/v1/customers?number=${n}&limit=1`, { headers: key });
    return (await r.json()).data[0];
  };
  const mid = await byNumber(Math.floor(N / 2));
  const selective = (await byNumber(Math.floor(N * 0.37))).email.split('@')[0];
  const mix = [
    ...nativeMix(base, key, { depthLabel: `~${N / 2}`, depthId: mid.id, selective }),
    { name: 'dakota: first page (name)', url: `${base}/dakota/customers`, headers: key },
    { name: 'spirii: offset 10% in', url: `${base}/spirii/v2/customers?limit=20&offset=${Math.floor(N / 10)}`, headers: { authorization: `Bearer ${demo.api_key}` } },
    { name: 'investifi: first page', url: `${base}/investifi/v1/users/?per_page=20`, headers: key },
  ];
  const rows: string[] = [];
  for (const q of mix) {
    const check = await fetch(q.url, { headers: q.headers });
    if (check.status !== 200) throw new Error(`${q.name}: HTTP ${check.status} ${await check.text()}`);
    await autocannon({ url: q.url, headers: q.headers, connections: 1, duration: 1 });
    const r = await autocannon({ url: q.url, headers: q.headers, connections: 1, duration: DURATION });
    const line = `| ${q.name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} |`;
    console.log(line);
    rows.push(line);
  }
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0);

  const report = `
## Embedded store (PGlite), run of ${new Date().toISOString().slice(0, 10)}: ${N.toLocaleString('en')} customers

Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.
Command: \`npm run bench:embedded -- --customers ${N} --duration ${DURATION}\`.
\`roster serve\` on a fresh data directory, no DATABASE_URL: the first start creates the demo account and
loads its ${N.toLocaleString('en')} customers (ready in ${ready.toFixed(1)} s, ${Math.round(N / ready).toLocaleString('en')} customers/s including
start-up and migrations). Then one client, one request at a time, ${DURATION} s per query after a 1 s warm-up.
Server RSS afterwards: ${Math.round(rss / 1024)} MB.

| query | req/s | p50 ms | p99 ms | non-2xx |
| --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
  let head = '';
  try {
    head = readFileSync(args.out!, 'utf8');
  } catch {
    head = '# Benchmarks\n';
  }
  writeFileSync(args.out!, head.trimEnd() + '\n' + report);
  console.log(report);
}

try {
  await main();
} finally {
  server?.removeAllListeners('exit');
  server?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dataDir, { recursive: true, force: true });
}
