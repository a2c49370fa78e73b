// `npm run bench:import`: how fast `roster import` loads customers into a real PostgreSQL that
// already holds many customers in another account, against the floor: a plain COPY of the very
// rows the import wrote (customers and their product accounts, in one transaction) into the
// same table, with the same indexes and triggers, in the same run. Also measured, to say where
// the time goes: the same COPY with the event triggers off, into a copy of the table with no
// index at all, and the import's own work in Node alone (reading, validating, building rows).
// Appends the figures to BENCHMARKS.md.
import { appendFileSync, chmodSync, createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { benchDatabase } from './bench-db.ts';
import { openStore } from '../src/store/open.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { seed } from '../src/seed/load.ts';
import { exportCustomers } from '../src/export/export-customers.ts';
import { customerListQuery } from '../src/dialects/native/list-params.ts';
import { DEFAULT_BATCH, runImport } from '../src/import/run-import.ts';
import { IMPORT_COLUMNS } from '../src/import/write-batch.ts';
import { readLines } from '../src/import/read-lines.ts';
import { scan } from '../src/import/scan.ts';

const { values: args } = parseArgs({
  options: {
    existing: { type: 'string', default: '1000000' },
    rows: { type: 'string', default: '200000' },
    // How the import writes: records per batch and batches side by side.
    'batch-size': { type: 'string', default: String(DEFAULT_BATCH) },
    connections: { type: 'string', default: '2' },
    out: { type: 'string', default: 'BENCHMARKS.md' },
  },
});
const EXISTING = Number(args.existing);
const ROWS = Number(args.rows);

const bench = await benchDatabase('roster_import_bench', ['shared_buffers=1GB', 'maintenance_work_mem=1GB', 'max_wal_size=8GB', 'work_mem=32MB']);
const { cluster } = bench;
const url = new URL(bench.url);
const work = mkdtempSync(join(tmpdir(), 'roster-import-bench-'));
const log = (s: string) => process.stderr.write(`${s}\n`);
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.once(sig, () => {
    cluster?.stop();
    process.exit(1);
  });
const rate = (n: number, s: number) => Math.round(n / s);

// The columns the import writes (but the account, which each COPY below puts first itself).
const CUSTOMER_COLUMNS = IMPORT_COLUMNS.slice(1).join(', ');
const PRODUCT_COLUMNS = 'customer_id, product, kyc_status, kyc_approved_at, current_market_value, created_at, updated_at';

async function main() {
  const db = await openStore({ databaseUrl: url.toString() });
  const sql = postgres(url.toString(), { max: 2, onnotice: () => {} });
  const t0 = performance.now();
  // The other account, already large; and the source of the file (a realistic export).
  const other = await createAccount(db, 'Existing', 'test');
  await seed(db, { accountId: other.account_id, customers: EXISTING, users: 0, seed: 1, progress: 'lines' });
  log(`seeded ${EXISTING} customers in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const source = await createAccount(db, 'Source', 'test');
  await seed(db, { accountId: source.account_id, customers: Math.ceil(ROWS * 1.04), users: 0, seed: 2, progress: 'lines' });
  // The seed leaves a few live customers below deleted ones, which an import refuses: detached here.
  await db.query(
    `UPDATE customers c SET parent_id = NULL, ancestors = '{}', parent_name = NULL, parent_number = NULL, operator_id = NULL, operator_name = NULL, operator_number = NULL
    FROM customers p WHERE c.account_id = $1 AND p.account_id = c.account_id AND p.id = c.parent_id AND p.deleted_at IS NOT NULL AND c.deleted_at IS NULL`,
    [source.account_id],
  );
  const file = join(work, 'customers.ndjson');
  const out = createWriteStream(file);
  const query = customerListQuery({ limit: 20, sort: 'number', number: undefined } as never);
  let exported = 0;
  await exportCustomers(db, { accountId: source.account_id, query, format: 'ndjson', shape: 'native', pageSize: 2000 }, async (chunk) => {
    if (exported >= ROWS) return;
    const lines = chunk
      .split('\n')
      .filter(Boolean)
      .slice(0, ROWS - exported);
    exported += lines.length;
    if (!out.write(lines.join('\n') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  });
  out.end();
  await new Promise<void>((r) => out.once('finish', () => r()));
  log(`file: ${exported} customers, ${(readFileSync(file).length / 1e6).toFixed(0)} MB`);

  // Node alone: the first pass, and reading every line through its shape's validator.
  let t = performance.now();
  await scan(file, 'ndjson', 'native');
  const scanSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  let n = 0;
  for await (const l of readLines(file, 'ndjson', 'native')) if (l.row) n++;
  const readSeconds = (performance.now() - t) / 1000;

  await db.query('CHECKPOINT');
  // The import.
  const target = await createAccount(db, 'Imported', 'test');
  t = performance.now();
  const r = await runImport(db, {
    accountId: target.account_id,
    file,
    format: 'ndjson',
    shape: 'native',
    batchSize: Number(args['batch-size']),
    connections: Number(args.connections),
    onProgress: (done, total) => log(`importing: ${done}/${total}`),
  });
  const importSeconds = (performance.now() - t) / 1000;
  log(`imported ${r.created} created, ${r.failed} failed in ${importSeconds.toFixed(1)} s`);
  const [{ products }] = await sql`SELECT count(*)::int AS products FROM product_accounts WHERE account_id = ${target.account_id}`;

  // The floor: the rows the import wrote, as COPY text, into the same table again (another account).
  log('rows of the import as COPY text…');
  const rowsFile = join(work, 'rows.copy');
  const productsFile = join(work, 'products.copy');
  // Written by the server (the bench's own cluster, on this machine), read back by this process.
  chmodSync(work, 0o777);
  await sql.unsafe(`COPY (SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE account_id = '${target.account_id}' ORDER BY number) TO '${rowsFile}'`);
  await sql.unsafe(`COPY (SELECT ${PRODUCT_COLUMNS} FROM product_accounts WHERE account_id = '${target.account_id}') TO '${productsFile}'`);
  const copyInto = async (table: string, productsTable: string | undefined) => {
    const account = await createAccount(db, `Floor ${table}`, 'test');
    await sql`CHECKPOINT`;
    const started = performance.now();
    await sql.begin(async (tx) => {
      // Each row gets the new account's id in front: the same bytes otherwise.
      const w = await tx.unsafe(`COPY ${table} (account_id, ${CUSTOMER_COLUMNS}) FROM STDIN`).writable();
      await pipeline(createReadStream(rowsFile, 'utf8'), prefixLines(account.account_id), w);
      if (productsTable) {
        const p = await tx.unsafe(`COPY ${productsTable} (account_id, ${PRODUCT_COLUMNS}) FROM STDIN`).writable();
        await pipeline(createReadStream(productsFile, 'utf8'), prefixLines(account.account_id), p);
      }
    });
    return (performance.now() - started) / 1000;
  };
  log('the floor…');
  const floor1 = await copyInto('customers', 'product_accounts');
  log(`floor: ${floor1.toFixed(1)} s`);
  await sql.unsafe(`ALTER TABLE customers DISABLE TRIGGER customers_events_inserted; ALTER TABLE product_accounts DISABLE TRIGGER product_accounts_events_inserted`);
  const noEvents = await copyInto('customers', 'product_accounts');
  await sql.unsafe(`ALTER TABLE customers ENABLE TRIGGER customers_events_inserted; ALTER TABLE product_accounts ENABLE TRIGGER product_accounts_events_inserted`);
  await sql.unsafe(`CREATE TABLE bench_bare (LIKE customers INCLUDING DEFAULTS INCLUDING GENERATED)`);
  const bare = await copyInto('bench_bare', undefined);
  await sql.unsafe(`DROP TABLE bench_bare`);
  const floor2 = await copyInto('customers', 'product_accounts');
  const floor = (floor1 + floor2) / 2;
  await sql.end();
  await db.close();

  const rows = r.created;
  const date = new Date().toISOString().slice(0, 10);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const report = `
## Import, run of ${date}: ${rows.toLocaleString('en')} customers into a store holding ${EXISTING.toLocaleString('en')}

\`npm run bench:import -- --existing ${EXISTING} --rows ${ROWS} --batch-size ${args['batch-size']} --connections ${args.connections}\` on ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, PostgreSQL
in a throwaway cluster. The file is an export (Roster's shape, NDJSON, ${(readFileSync(file).length / 1e6).toFixed(0)} MB) of a seeded account, hierarchy included;
it is imported into an empty account while another holds ${EXISTING.toLocaleString('en')} customers. The floor is a plain \`COPY\` of the very rows the import
wrote (${rows.toLocaleString('en')} customers and their ${products.toLocaleString('en')} product accounts, one transaction) into the same table, every index and
trigger in force, measured before and after the other COPYs.

| what | seconds | customers/s | against the floor |
| --- | --- | --- | --- |
| \`roster import\` (${r.created.toLocaleString('en')} created, ${r.failed} failed; ${args.connections} connection${args.connections === '1' ? '' : 's'}, batches of ${Number(args['batch-size']).toLocaleString('en')}) | ${importSeconds.toFixed(1)} | ${rate(rows, importSeconds).toLocaleString('en')} | **${(floor / importSeconds).toFixed(2)}×** |
| floor: plain COPY, same table, every index and trigger (mean of ${floor1.toFixed(1)} and ${floor2.toFixed(1)} s) | ${floor.toFixed(1)} | ${rate(rows, floor).toLocaleString('en')} | 1.00× |
| the same COPY with the event triggers off (what the outbox costs) | ${noEvents.toFixed(1)} | ${rate(rows, noEvents).toLocaleString('en')} | ${(floor / noEvents).toFixed(2)}× |
| COPY of the customers alone into a copy of the table with no index, no trigger | ${bare.toFixed(1)} | ${rate(rows, bare).toLocaleString('en')} | ${(floor / bare).toFixed(2)}× |
| Node alone: the first pass over the file (parse, keys, hierarchy) | ${scanSeconds.toFixed(1)} | ${rate(rows, scanSeconds).toLocaleString('en')} | |
| Node alone: every line read and validated as the API validates | ${readSeconds.toFixed(1)} | ${rate(n, readSeconds).toLocaleString('en')} | |
`;
  console.log(report);
  appendFileSync(args.out, report);
}

/** Puts the account id in front of every COPY line. */
function prefixLines(accountId: string) {
  let rest = '';
  return async function* (source: AsyncIterable<string>) {
    for await (const chunk of source) {
      const text = rest + chunk;
      const end = text.lastIndexOf('\n');
      rest = text.slice(end + 1);
      if (end >= 0)
        yield text
          .slice(0, end)
          .split('\n')
          .map((l) => `${accountId}\t${l}\n`)
          .join('');
    }
    if (rest) yield `${accountId}\t${rest}`;
  };
}

try {
  await main();
} finally {
  await bench.close();
  rmSync(work, { recursive: true, force: true });
}
