import cliProgress from 'cli-progress';
import type { CopyOptions, Db } from '../store/db.ts';
import { CUSTOMER_COLUMNS, PRODUCT_COLUMNS, USER_COLUMNS, copyLine, customerRows } from './copy-text.ts';
import { generateRaw, generateUsers } from './generate.ts';
import { dropIndexes, rebuildIndexes } from './indexes.ts';
import { sampleSearch } from '../store/search-sample.ts';
import { CHUNK_CHARS, ChunkQueue, share } from './streams.ts';

// Bulk load through COPY, rows rendered in COPY's text format.

/** From this many customers on, the load is a bulk load: see dropIndexes and POSTGRES_CONNECTIONS. */
const BULK_THRESHOLD = 50_000;
/**
 * Connections a bulk load into PostgreSQL uses at once, for COPY streams and then for index
 * builds. The server's side of COPY (parsing, generated columns, the heap) is most of the cost
 * and takes one core per stream; generating the rows takes a fraction of another. PGlite has
 * one connection.
 */
const POSTGRES_CONNECTIONS = 2;

export interface SeedOptions {
  accountId: string;
  customers: number;
  users: number;
  seed: number;
  progress?: boolean;
  /** Load as a bulk load whatever the size (by default from BULK_THRESHOLD customers on). */
  bulk?: boolean;
}

export async function seed(db: Db, opts: SeedOptions): Promise<{ customers: number; users: number; seconds: number }> {
  const started = performance.now();
  const { accountId } = opts;
  const [reserved] = await db.query<{ first: string }>(
    `UPDATE account_modes SET next_customer_number = next_customer_number + $2 WHERE account_id = $1 RETURNING next_customer_number - $2 AS first`,
    [accountId, opts.customers],
  );
  if (!reserved) throw new Error(`No account ${accountId}`);
  const first = Number(reserved.first);
  const bulk = opts.bulk ?? opts.customers >= BULK_THRESHOLD;
  const connections = bulk && db.kind === 'postgres' ? POSTGRES_CONNECTIONS : 1;
  // Foreign-key checks cost as much per product account as the rest of its insert, and the
  // generator guarantees what they check; a superuser can skip them, as pg_restore does.
  const copyOptions: CopyOptions = { asReplica: bulk && (await isSuperuser(db)) };

  const bar = opts.progress ? new cliProgress.SingleBar({ format: 'seeding {bar} {percentage}% | {value}/{total} customers | {rate} rows/s', etaBuffer: 1000 }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(opts.customers, 0, { rate: 0 });
  // Product accounts reference customers. Loaded as a replica (no foreign-key checks) they go
  // in beside the customers; otherwise they wait here, already rendered, until every customer
  // is in.
  const products = new ChunkQueue();
  let stopped: unknown;
  function* customerChunks() {
    let chunk = '';
    let productChunk = '';
    let done = 0;
    for (const raw of generateRaw({ count: opts.customers, seed: opts.seed, firstNumber: first })) {
      if (stopped) throw stopped;
      const rows = customerRows(accountId, raw);
      chunk += rows.customer;
      productChunk += rows.products;
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
      if (productChunk.length >= CHUNK_CHARS) {
        products.push(productChunk);
        productChunk = '';
      }
      if (bar && ++done % 5000 === 0) bar.update(done, { rate: Math.round(done / ((performance.now() - started) / 1000)) });
    }
    if (chunk) yield chunk;
    if (productChunk) products.push(productChunk);
    products.close();
  }

  const dropped = bulk ? await dropIndexes(db, ['customers', 'product_accounts']) : [];
  const rebuilds = new Map<string, Promise<void>>();
  const rebuild = (table: string) => {
    const indexes = dropped.filter((d) => d.relation === table);
    if (indexes.length === 0 || rebuilds.has(table)) return;
    const done = rebuildIndexes(db, indexes, { connections, onStart: (index) => opts.progress && process.stderr.write(`rebuilding ${index}\n`) });
    // Looked at below, once everything has run; until then a failure is not an unhandled one.
    done.catch(() => {});
    rebuilds.set(table, done);
  };
  const loadCustomers = async () => {
    try {
      await Promise.all(share(customerChunks(), connections).map((part) => db.copyRows('customers', CUSTOMER_COLUMNS, part, copyOptions)));
    } catch (e) {
      products.fail(e);
      throw e;
    }
    bar?.update(opts.customers);
    bar?.stop();
    // The trigram index takes longer to build than all else after the load put together, so it
    // starts as soon as the customers are in.
    rebuild('customers');
  };
  const loadProducts = () =>
    db.copyRows('product_accounts', PRODUCT_COLUMNS, products, copyOptions).catch((e) => {
      stopped = e;
      throw e;
    });
  const loaded = await Promise.allSettled(copyOptions.asReplica ? [loadCustomers(), loadProducts()] : [loadCustomers().then(loadProducts)]);
  const failure = loaded.find((r) => r.status === 'rejected');
  if (failure) {
    bar?.stop();
    // A stream may have committed its part before another failed: take it out again, so a
    // failed seed leaves no records behind. The numbers stay reserved.
    await db.query(`DELETE FROM customers WHERE account_id = $1 AND number >= $2 AND number < $3`, [accountId, first, first + opts.customers]).catch(() => {});
    // That delete took from the counters rows a replica load had never added to them.
    if (copyOptions.asReplica) await db.query(`SELECT roster_recount($1)`, [accountId]).catch(() => {});
  }
  rebuild('customers');
  rebuild('product_accounts');
  const rebuilt = await Promise.allSettled(rebuilds.values());
  if (failure) throw failure.reason;
  for (const r of rebuilt) if (r.status === 'rejected') throw r.reason;

  // The write-version and counting triggers did not fire for a load as a replica: move the
  // version on and count the account again, in one grouped pass (migration 070).
  if (copyOptions.asReplica) await db.query(`SELECT roster_recount($1)`, [accountId]);

  function* userRows() {
    for (const u of generateUsers({ count: opts.users, seed: opts.seed })) yield copyLine([accountId, u.id, u.first_name, u.last_name, u.email, u.role, u.swift_enabled, u.created_at, u.created_at]);
  }
  await db.copyRows('users', USER_COLUMNS, userRows());
  // Freshly loaded pages are not yet marked all-visible, so until autovacuum comes round an
  // index-only scan (a deep offset page's skip) reads the heap for every entry: 100k skipped
  // rows cost 80 ms instead of 22 ms at 1M. Vacuuming now marks them, and takes a second.
  await db.exec('VACUUM (ANALYZE) customers, product_accounts, users');
  await sampleSearch(db);
  return { customers: opts.customers, users: opts.users, seconds: (performance.now() - started) / 1000 };
}

async function isSuperuser(db: Db): Promise<boolean> {
  const [row] = await db.query<{ superuser: boolean }>(`SELECT current_setting('is_superuser') = 'on' AS superuser`);
  return row.superuser;
}
