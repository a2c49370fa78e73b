import cliProgress from 'cli-progress';
import type { Db } from '../store/db.ts';
import { generateCustomers, generateUsers } from './generate.ts';

// Bulk load through COPY: one stream per table, rows rendered in COPY's text format.

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
/** Marks a JS array as a Postgres text[] (other arrays are written as JSON). */
export class PgArray {
  constructor(readonly items: string[]) {}
}
export function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (v instanceof Date) return v.toISOString();
  if (v instanceof PgArray) return esc(`{${v.items.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
  if (typeof v === 'object') return esc(JSON.stringify(v));
  return esc(String(v));
}
const line = (values: unknown[]) => values.map(copyField).join('\t') + '\n';

const CUSTOMER_COLS = ['account_id', 'id', 'number', 'uuid', 'external_id', 'type', 'name', 'first_name', 'last_name', 'email', 'phone_number', 'country', 'kyb_status', 'kyc_links', 'application', 'provider_statuses', 'attributes', 'metadata', 'parent_id', 'parent_name', 'ancestors', 'operator_id', 'operator_name', 'is_sub_client', 'created_at', 'updated_at', 'deleted_at', 'created_by'];
const PRODUCT_COLS = ['account_id', 'customer_id', 'product', 'kyc_status', 'kyc_approved_at', 'current_market_value', 'created_at', 'updated_at'];
const USER_COLS = ['account_id', 'id', 'first_name', 'last_name', 'email', 'role', 'swift_enabled', 'created_at', 'updated_at'];

/** Past this many rows, indexes are dropped and rebuilt around the load: maintaining GIN
 * (trigram) indexes row by row is several times slower than building them once. */
const BULK_THRESHOLD = 50_000;

/** Drops the indexes that no constraint needs and returns the statements that recreate them. */
async function dropSecondaryIndexes(db: Db, tables: string[]): Promise<string[]> {
  const rows = await db.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [tables],
  );
  for (const r of rows) await db.exec(`DROP INDEX ${r.name}`);
  return rows.map((r) => r.def);
}

export interface SeedOptions {
  accountId: string;
  customers: number;
  users: number;
  seed: number;
  progress?: boolean;
}

export async function seed(db: Db, opts: SeedOptions): Promise<{ customers: number; users: number; seconds: number }> {
  const started = performance.now();
  const [reserved] = await db.query<{ first: string }>(
    `UPDATE account_modes SET next_customer_number = next_customer_number + $2 WHERE account_id = $1 RETURNING next_customer_number - $2 AS first`,
    [opts.accountId, opts.customers],
  );
  if (!reserved) throw new Error(`No account ${opts.accountId}`);
  const bar = opts.progress ? new cliProgress.SingleBar({ format: 'seeding {bar} {percentage}% | {value}/{total} customers | {rate} rows/s', etaBuffer: 1000 }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(opts.customers, 0, { rate: 0 });
  const products: string[] = [];
  const accountId = opts.accountId;
  let done = 0;
  function* customerLines() {
    for (const c of generateCustomers({ count: opts.customers, seed: opts.seed, firstNumber: Number(reserved.first) })) {
      for (const p of c.product_accounts) products.push(line([accountId, c.id, p.product, p.kyc_status, p.kyc_approved_at, p.current_market_value, c.created_at, c.updated_at]));
      done++;
      if (bar && done % 5000 === 0) bar.update(done, { rate: Math.round(done / ((performance.now() - started) / 1000)) });
      yield line([accountId, c.id, c.number, c.uuid, c.external_id, c.type, c.name, c.first_name, c.last_name, c.email, c.phone_number, c.country, c.kyb_status, c.kyc_links, c.application, c.provider_statuses, c.attributes, c.metadata, c.parent_id, c.parent_name, new PgArray(c.ancestors), c.operator_id, c.operator_name, c.is_sub_client, c.created_at, c.updated_at, c.deleted_at, 'seed']);
    }
  }
  const rebuild = opts.customers >= BULK_THRESHOLD ? await dropSecondaryIndexes(db, ['customers', 'product_accounts']) : [];
  try {
    await db.copyRows('customers', CUSTOMER_COLS, customerLines());
    await db.copyRows('product_accounts', PRODUCT_COLS, products);
  } finally {
    if (bar && rebuild.length) bar.stop();
    for (const def of rebuild) {
      if (opts.progress) process.stderr.write(`rebuilding ${/INDEX (\S+)/.exec(def)?.[1]}\n`);
      await db.exec(def);
    }
  }
  function* userLines() {
    for (const u of generateUsers({ count: opts.users, seed: opts.seed })) yield line([accountId, u.id, u.first_name, u.last_name, u.email, u.role, u.swift_enabled, u.created_at, u.created_at]);
  }
  await db.copyRows('users', USER_COLS, userLines());
  bar?.update(opts.customers, { rate: Math.round(opts.customers / ((performance.now() - started) / 1000)) });
  bar?.stop();
  await db.exec('ANALYZE customers; ANALYZE product_accounts; ANALYZE users');
  return { customers: opts.customers, users: opts.users, seconds: (performance.now() - started) / 1000 };
}
