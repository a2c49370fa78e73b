import cliProgress from 'cli-progress';
import type { Db, Tx } from '../store/db.ts';
import { runLoad, type LoadPlan, type LoadResult } from '../store/bulk-load.ts';
import { sampleSearch } from '../store/search-sample.ts';
import { CUSTOMER_COLUMNS, PRODUCT_COLUMNS, USER_COLUMNS, copyLine, customerRows } from './copy-text.ts';
import { batchCount, batchesOf, externalIdOf, generateBatch, generateUsers, phoneOf } from './generate.ts';
import { CHUNK_CHARS } from './streams.ts';

// The seed: realistic, deterministic records loaded in bulk through COPY, as a load of batches
// (store/bulk-load.ts). Every constraint and index stays in force for every account while it
// runs; killed, it leaves whole batches, and the same command run again finishes it.

/** Connections a load into PostgreSQL uses side by side: the server's side of COPY (index
 * upkeep above all) takes one core per stream; generating rows takes a fraction of another. */
const POSTGRES_CONNECTIONS = 2;

export interface SeedOptions {
  accountId: string;
  customers: number;
  users: number;
  seed: number;
  /** A progress bar (on a terminal), or a line per batch (in a log), or nothing. */
  progress?: 'bar' | 'lines';
  /** Customers per batch (one transaction each); the default suits any size. */
  batchSize?: number;
}

interface SeedParams {
  /** The number of the load's first customer: the load's numbers are reserved at its start. */
  firstNumber: number;
  /** Users the account had when the load began; new users are numbered on from there. */
  userOffset: number;
}

export class SeedCollision extends Error {}

const shape = (opts: SeedOptions, firstNumber: number) => ({ count: opts.customers, seed: opts.seed, firstNumber, batchSize: opts.batchSize });

/** The seed as a load plan: its key, its batches and what it fixes when it begins. */
export function seedPlan(opts: SeedOptions): LoadPlan<SeedParams> {
  const customerBatches = batchesOf(shape(opts, 0));
  return {
    accountId: opts.accountId,
    key: `seed customers=${opts.customers} users=${opts.users} seed=${opts.seed}${opts.batchSize ? ` batch=${opts.batchSize}` : ''}`,
    batches: customerBatches + (opts.users > 0 ? 1 : 0),
    connections: POSTGRES_CONNECTIONS,
    async begin(tx) {
      const [reserved] = await tx.query<{ first: string }>(
        `UPDATE account_modes SET next_customer_number = next_customer_number + $2 WHERE account_id = $1 RETURNING next_customer_number - $2 AS first`,
        [opts.accountId, opts.customers],
      );
      if (!reserved) throw new Error(`No account ${opts.accountId}`);
      const firstNumber = Number(reserved.first);
      const [{ n }] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE account_id = $1`, [opts.accountId]);
      const params = { firstNumber, userOffset: n };
      await refuseCollisions(tx, opts, params);
      return params;
    },
    async batch(tx, index, params) {
      if (index < customerBatches) await loadCustomers(tx, opts, params, index);
      else await loadUsers(tx, opts, params);
    },
  };
}

/**
 * The seed's external ids and phone numbers are made from the customer numbers it reserved, and
 * its users' emails are numbered on from the account's users: none can be taken by an earlier
 * seed. A record written through the API may hold one all the same; the load is refused before
 * it writes anything, rather than failing half way.
 */
async function refuseCollisions(tx: Tx, opts: SeedOptions, p: SeedParams) {
  if (opts.customers > 0) {
    const last = p.firstNumber + opts.customers - 1;
    const taken = await tx.query<{ field: string; value: string }>(
      `(SELECT 'external_id' AS field, external_id AS value FROM customers
         WHERE account_id = $1 AND deleted_at IS NULL AND external_id BETWEEN $2 AND $3 AND external_id ~ '^ext-[0-9]+$' LIMIT 1)
       UNION ALL
       (SELECT 'phone_number', phone_number FROM customers
         WHERE account_id = $1 AND deleted_at IS NULL AND phone_number BETWEEN $4 AND $5 LIMIT 1)`,
      [opts.accountId, externalIdOf(p.firstNumber), externalIdOf(last), phoneOf(p.firstNumber), phoneOf(last)],
    );
    if (taken.length)
      throw new SeedCollision(
        `The seed would give customers ${p.firstNumber}–${last} ${taken[0].field}s that account ${opts.accountId} already uses (${taken[0].field} ${taken[0].value}); nothing was written`,
      );
  }
  if (opts.users > 0) {
    const emails = [...generateUsers({ count: opts.users, seed: opts.seed, offset: p.userOffset })].map((u) => u.email);
    const [taken] = await tx.query<{ email: string }>(`SELECT email FROM users WHERE account_id = $1 AND deleted_at IS NULL AND lower(email) = ANY($2::text[]) LIMIT 1`, [opts.accountId, emails]);
    if (taken) throw new SeedCollision(`The seed would create a team user with the email ${taken.email}, which account ${opts.accountId} already uses; nothing was written. Use another --seed`);
  }
}

async function loadCustomers(tx: Tx, opts: SeedOptions, p: SeedParams, index: number) {
  // Product accounts reference their customers: they follow them, in the same transaction.
  const products: string[] = [];
  function* chunks() {
    let chunk = '';
    let productChunk = '';
    for (const raw of generateBatch(shape(opts, p.firstNumber), index)) {
      const rows = customerRows(opts.accountId, raw);
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
    }
    if (chunk) yield chunk;
    if (productChunk) products.push(productChunk);
  }
  await tx.copyRows('customers', CUSTOMER_COLUMNS, chunks());
  await tx.copyRows('product_accounts', PRODUCT_COLUMNS, products);
}

async function loadUsers(tx: Tx, opts: SeedOptions, p: SeedParams) {
  function* rows() {
    for (const u of generateUsers({ count: opts.users, seed: opts.seed, offset: p.userOffset })) {
      yield copyLine([opts.accountId, u.id, u.first_name, u.last_name, u.email, u.role, u.swift_enabled, u.created_at, u.created_at]);
    }
  }
  await tx.copyRows('users', USER_COLUMNS, rows());
}

export interface SeedResult {
  customers: number;
  users: number;
  seconds: number;
  /** Whether an unfinished run of the same seed was found and finished. */
  resumed: boolean;
}

/** Loads the seed as a resumable load of batches, then makes it fast to read. */
export async function seed(db: Db, opts: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const p = seedPlan(opts);
  const bar =
    opts.progress === 'bar'
      ? new cliProgress.SingleBar({ format: 'seeding {bar} {percentage}% | {value}/{total} customers | {rate} customers/s', etaBuffer: 10 }, cliProgress.Presets.shades_classic)
      : undefined;
  bar?.start(opts.customers, 0, { rate: 0 });
  let done = 0;
  let batches = 0;
  let result: LoadResult<unknown>;
  try {
    result = await runLoad(db, p, (index) => {
      done += batchCount(shape(opts, 0), index);
      const rate = Math.round(done / ((performance.now() - started) / 1000));
      bar?.update(done, { rate });
      if (opts.progress === 'lines') process.stderr.write(`seeding: batch ${++batches} of ${p.batches} in (${done}/${opts.customers} customers, ${rate} customers/s)\n`);
    });
  } finally {
    bar?.stop();
  }
  await settle(db);
  return { customers: opts.customers, users: opts.users, seconds: (performance.now() - started) / 1000, resumed: result.resumed };
}

/**
 * The same seed inside a transaction the caller holds, all or nothing: the demo account's data
 * commits with the account and its credentials. For loads small enough for one transaction.
 */
export async function seedIn(tx: Tx, opts: SeedOptions): Promise<void> {
  const p = seedPlan(opts);
  const params = await p.begin(tx);
  for (let index = 0; index < p.batches; index++) await p.batch(tx, index, params);
}

/**
 * After a load: freshly loaded pages are not yet marked all-visible, so until autovacuum comes
 * round an index-only scan (a deep offset page's skip) reads the heap for every entry: 100k
 * skipped rows cost 80 ms instead of 22 ms at 1M. Vacuuming marks them and updates the planner's
 * statistics; sampling the search text keeps search's rare-term shortcut current.
 *
 * Two passes: a customer whose product accounts went in with it carries its own transaction in
 * its xmax, as the locker of their foreign-key checks, and a vacuum does not mark a page
 * holding such a tuple all-visible (PostgreSQL 15). The first pass freezes them, which clears
 * that; the second marks the pages.
 */
export async function settle(db: Db): Promise<void> {
  await db.exec('VACUUM (FREEZE) customers');
  await db.exec('VACUUM (ANALYZE) customers, product_accounts, users');
  await sampleSearch(db);
}
