// `npm run bench:export-memory`: whether an export's memory stays flat however many records it
// writes. Seeds an account on a real PostgreSQL, exports it (Roster's shape, NDJSON, and a
// vendor's as CSV) through the same code GET /v1/customers/export and `roster export` use, to a
// file, and samples the process's heap (after a full collection, so `--expose-gc`) and RSS as
// it goes. Prints the figures; constant memory shows as the same most after a tenth of the rows
// as after all of them.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDatabase } from './bench-db.ts';
import { openStore } from '../src/store/open.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { seed } from '../src/seed/load.ts';
import { exportCustomers, type ExportFormat } from '../src/export/export-customers.ts';
import { customerListQuery } from '../src/dialects/native/list-params.ts';
import type { RecordShape } from '../src/dialects/record-shapes.ts';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '200000' } } });
const ROWS = Number(args.rows);
const MB = (n: number) => (n / 2 ** 20).toFixed(0);

const bench = await benchDatabase('roster_export_bench', ['shared_buffers=512MB']);
const url = new URL(bench.url);
const work = mkdtempSync(join(tmpdir(), 'roster-export-bench-'));

async function run(db: Awaited<ReturnType<typeof openStore>>, accountId: string, shape: RecordShape, format: ExportFormat) {
  const file = join(work, `export.${format}`);
  const out = createWriteStream(file);
  global.gc?.();
  const base = process.memoryUsage();
  let peakHeap = 0;
  let peakRss = 0;
  let tenthHeap = 0;
  let tenthRss = 0;
  let pages = 0;
  const started = performance.now();
  const query = customerListQuery({ limit: 20 } as never);
  const r = await exportCustomers(
    db,
    { accountId, query, format, shape },
    async (chunk) => {
      if (!out.write(chunk)) await once(out, 'drain');
    },
    ({ rows }) => {
      // Every 20 pages, what the process holds after a full collection: garbage not yet collected
      // says nothing about what an export keeps.
      if (++pages % 20) return;
      global.gc?.();
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
      if (rows <= ROWS / 10) [tenthHeap, tenthRss] = [peakHeap, peakRss];
    },
  );
  out.end();
  await once(out, 'finish');
  const seconds = (performance.now() - started) / 1000;
  return `| ${shape} ${format} | ${r.rows.toLocaleString('en')} | ${(statSync(file).size / 1e6).toFixed(0)} MB | ${seconds.toFixed(1)} | ${MB(base.heapUsed)} | ${MB(tenthHeap)} | ${MB(peakHeap)} | ${MB(base.rss)} | ${MB(tenthRss)} | ${MB(peakRss)} |`;
}

try {
  const db = await openStore({ databaseUrl: url.toString() });
  const account = await createAccount(db, 'Exported', 'test');
  await seed(db, { accountId: account.account_id, customers: ROWS, users: 0, seed: 4, progress: 'lines' });
  const lines = [
    '| export | records | file | seconds | heap MB at start | heap MB after GC, most over the first tenth | heap MB after GC, most over all | RSS MB at start | RSS MB, most over the first tenth | RSS MB, most over all |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [shape, format] of [
    ['native', 'ndjson'],
    ['spirii', 'csv'],
  ] as const)
    lines.push(await run(db, account.account_id, shape, format));
  await db.close();
  console.log(lines.join('\n'));
} finally {
  await bench.close();
  rmSync(work, { recursive: true, force: true });
}
