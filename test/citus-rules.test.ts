import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../src/http/app.ts';
import type { Db, Queryable } from '../src/store/db.ts';
import { token } from './support/dintero-client.ts';
import { call, startTestServer, type TestServer } from './support/stores.ts';

// What Citus needs to shard Roster by account (docs/scale-out.md), checked on the real schema
// and on the statements the server really sends, since Citus itself cannot be installed here.
//
// Schema: every table is placed (distributed by account_id with the tenant tables, distributed
// by another key, a reference table copied to every node, or kept on the coordinator); a table
// nobody placed fails this test, so a new table says where it goes. A distributed table's
// primary key and every unique constraint or index include its distribution column; a foreign
// key between tables distributed by account_id joins on account_id; nothing points from a
// reference table into a distributed one. The few places today's schema breaks a rule are
// listed with the change Citus needs (docs/scale-out.md, "Schema changes"); any other fails.
//
// Statements: a request workload through every surface is recorded at the store's interface
// and each statement is planned (EXPLAIN, not run): every scan of a table distributed by
// account_id must be narrowed by account_id, and no statement may name two accounts, so Citus
// routes each one to a single shard group.

const BY_ACCOUNT = [
  'account_modes',
  'customers',
  'product_accounts',
  'tags',
  'customer_tags',
  'customer_tokens',
  'users',
  'idempotency_records',
  'customer_counts',
  'user_counts',
  'onboarding_links',
  'account_rate_limits',
  'bulk_loads',
  'bulk_load_batches',
  'sandbox_transitions',
  'sandbox_log',
  'sandbox_settings',
  'events',
  'webhook_endpoints',
  'webhook_deliveries',
  'imports',
];
/** Distributed by another column, in a co-location group of its own. */
const BY_OTHER: Record<string, string> = { rate_limit_windows: 'bucket' };
/** Small, written rarely, read by every node: Citus reference tables. */
const REFERENCE = ['accounts', 'signing_keys', 'search_samples', 'search_trigrams', 'api_keys', 'oauth_clients'];
/** Kept on the coordinator: the migrator's own bookkeeping. */
const COORDINATOR = ['schema_migrations', 'schema_definitions'];

/** Where today's schema breaks a rule, and the change that a Citus deployment makes (docs/scale-out.md). */
const KNOWN_CHANGES: Record<string, string> = {
  'bulk_loads: primary key (id) lacks account_id': 'primary key (account_id, id)',
  'bulk_load_batches: no account_id column': 'add account_id, primary key (account_id, load_id, batch)',
  'bulk_load_batches: primary key (load_id, batch) lacks account_id': 'as above',
  'account_modes: unique constraint account_modes_account_number_mode_key (account_number, mode) lacks account_id':
    'dropped: account_id is the mode letter and the number, so the primary key already keeps the pair unique',
  'onboarding_links: unique index onboarding_links_token_key lacks account_id': 'unique (account_id, token_hash); a token is 43 random characters',
  'bulk_load_batches: foreign key bulk_load_batches_load_id_fkey does not join on account_id': 'references bulk_loads (account_id, id)',
  'api_keys: reference table references distributed account_modes (api_keys_account_id_fkey)': 'the reference is kept by the application (keys are created in the account transaction)',
  'sandbox_transitions: primary key (id) lacks account_id': 'primary key (account_id, id)',
  'sandbox_log: no primary key': 'an append-only log: Citus distributes it without one (a primary key would be (account_id, at, customer_id))',
  'oauth_clients: reference table references distributed account_modes (oauth_clients_account_id_fkey)': 'as for api_keys',
  'account_modes: foreign key account_modes_account_number_fkey points to reference table accounts': 'allowed (distributed to reference); listed so the exception is seen',
};

/** Statements that read across shards on purpose, and why (docs/scale-out.md, "Statements"). */
const KNOWN_CROSS_SHARD: Record<string, string> = {
  'FROM onboarding_links WHERE token_hash = $1 AND application_id = $2': 'the public onboarding page knows its token, not its account: a fan-out to every shard, on a page a person opens',
};

const ACCOUNT_ID = /^[PT][0-9]{8}$/;

interface Recorded {
  text: string;
  params: unknown[];
  tenant: boolean;
}

/** The store, recording every statement sent through it (and whether it ran for one account). */
function recording(db: Db, into: Recorded[]): Db {
  const recorder = (q: Queryable, tenant: boolean): Queryable => ({
    query(text, params = [], opts) {
      into.push({ text, params, tenant });
      return q.query(text, params, opts);
    },
  });
  return {
    ...db,
    query: recorder(db, false).query,
    transaction: (fn) => db.transaction((tx) => fn({ ...tx, query: recorder(tx, true).query })),
    reader: (accountId) => recorder(db.reader(accountId), true),
  };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  'Recheck Cond'?: string;
  Plans?: PlanNode[];
}

function* scans(node: PlanNode): Generator<PlanNode> {
  if (node['Relation Name'] && node['Node Type'] !== 'ModifyTable') yield node;
  for (const child of node.Plans ?? []) yield* scans(child);
}

/** What keeps a statement from being routed to one shard group: a scan of a sharded table not narrowed by account_id, or two accounts named. */
async function unrouted(db: Queryable, st: { text: string; params: unknown[] }): Promise<string[]> {
  const problems: string[] = [];
  const accounts = new Set(st.params.flatMap((p) => (Array.isArray(p) ? p : [p])).filter((p) => typeof p === 'string' && ACCOUNT_ID.test(p)));
  if (accounts.size > 1) problems.push(`names ${accounts.size} accounts`);
  const [{ 'QUERY PLAN': plan }] = await db.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (VERBOSE, FORMAT JSON) ${st.text}`, st.params);
  for (const scan of scans(plan[0].Plan)) {
    if (!BY_ACCOUNT.includes(scan['Relation Name']!)) continue;
    const conds = [scan['Index Cond'], scan.Filter, scan['Recheck Cond']].filter(Boolean).join(' AND ');
    if (!/account_id\s*=/.test(conds)) problems.push(`scans ${scan['Relation Name']} without account_id (${scan['Node Type']})`);
  }
  return problems;
}

describe('the rules Citus needs to shard by account (postgres)', { skip: process.env.ROSTER_TEST_DATABASE_URL ? false : 'needs PostgreSQL (npm test starts one)', timeout: 180_000 }, () => {
  let s: TestServer;
  const statements: Recorded[] = [];

  before(async () => {
    s = await startTestServer('postgres');
  });
  after(() => s?.close());

  test('every table is placed; keys and foreign keys follow the distribution', async () => {
    const tables = (await s.db.query<{ name: string }>(`SELECT relname AS name FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace = current_schema()::regnamespace ORDER BY 1`)).map(
      (r) => r.name,
    );
    const placed = new Set([...BY_ACCOUNT, ...Object.keys(BY_OTHER), ...REFERENCE, ...COORDINATOR]);
    assert.deepEqual(
      tables.filter((t) => !placed.has(t)),
      [],
      'a table nobody placed: add it to one of the lists here and to docs/scale-out.md',
    );
    assert.deepEqual(
      [...placed].filter((t) => !tables.includes(t)),
      [],
      'a placed table that no longer exists',
    );

    const distributionColumn = (t: string) => (BY_ACCOUNT.includes(t) ? 'account_id' : BY_OTHER[t]);
    const columns = await s.db.query<{ table: string; column: string }>(`SELECT table_name AS table, column_name AS column FROM information_schema.columns WHERE table_schema = current_schema()`);
    const keys = await s.db.query<{ table: string; name: string; type: string; columns: string[]; ref_table: string | null; ref_columns: string[] | null }>(`
      SELECT c.conrelid::regclass::text AS table, c.conname AS name, c.contype AS type,
             ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
             c.confrelid::regclass::text AS ref_table,
             ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS ref_columns
        FROM pg_constraint c WHERE c.connamespace = current_schema()::regnamespace AND c.contype IN ('p', 'u', 'x', 'f')`);
    const uniqueIndexes = await s.db.query<{ table: string; name: string; def: string }>(`
      SELECT t.relname AS table, i.relname AS name, pg_get_indexdef(i.oid) AS def
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       WHERE x.indisunique AND t.relnamespace = current_schema()::regnamespace`);

    const found: string[] = [];
    for (const t of tables) {
      const column = distributionColumn(t);
      if (!column) continue;
      if (!columns.some((c) => c.table === t && c.column === column)) found.push(`${t}: no ${column} column`);
      if (!keys.some((k) => k.table === t && k.type === 'p')) found.push(`${t}: no primary key`);
      for (const k of keys.filter((k) => k.table === t && k.type !== 'f')) {
        if (!k.columns.includes(column)) found.push(`${t}: ${k.type === 'p' ? 'primary key' : `unique constraint ${k.name}`} (${k.columns.join(', ')}) lacks ${column}`);
      }
      for (const i of uniqueIndexes.filter((i) => i.table === t && !keys.some((k) => k.name === i.name))) {
        if (!new RegExp(`\\(.*\\b${column}\\b.*\\)`).test(i.def)) found.push(`${t}: unique index ${i.name} lacks ${column}`);
      }
    }
    for (const fk of keys.filter((k) => k.type === 'f')) {
      const from = fk.table;
      const to = fk.ref_table!;
      if (BY_ACCOUNT.includes(from) && BY_ACCOUNT.includes(to)) {
        const at = fk.columns.indexOf('account_id');
        if (at < 0 || fk.ref_columns![at] !== 'account_id') found.push(`${from}: foreign key ${fk.name} does not join on account_id`);
      } else if (REFERENCE.includes(from) && (BY_ACCOUNT.includes(to) || to in BY_OTHER)) {
        found.push(`${from}: reference table references distributed ${to} (${fk.name})`);
      } else if (BY_ACCOUNT.includes(from) && REFERENCE.includes(to)) {
        found.push(`${from}: foreign key ${fk.name} points to reference table ${to}`);
      } else if (!(REFERENCE.includes(from) && REFERENCE.includes(to))) {
        found.push(`${from}: foreign key ${fk.name} to ${to} crosses placements`);
      }
    }
    assert.deepEqual(found.filter((f) => !(f in KNOWN_CHANGES)).sort(), [], 'breaks a rule Citus needs (or add it, with its change, to KNOWN_CHANGES and docs/scale-out.md)');
    assert.deepEqual(
      Object.keys(KNOWN_CHANGES).filter((k) => !found.includes(k)),
      [],
      'a listed change no longer needed: take it off the list',
    );
  });

  test('every statement a request sends reads one account: narrowed by account_id on every sharded table', async () => {
    // A server on the recording store, driven through every surface's reads and writes.
    const account = s.account;
    const server = await buildApp({ db: recording(s.db, statements) });
    const base = await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const key = account.api_key;
      const dakota = { 'x-api-key': key };
      const parent = (await call(base, 'POST', '/v1/customers', { key, body: { name: 'Parent Co', type: 'operator', external_id: 'p-1', email: 'ops@example.com' } })).body;
      const child = (await call(base, 'POST', '/v1/customers', { key, headers: { 'idempotency-key': 'c-1' }, body: { name: 'Child', parent_id: parent.id, country: 'NO' } })).body;
      await call(base, 'PATCH', `/v1/customers/${child.id}`, { key, body: { name: 'Child Renamed', metadata: { a: 1 } } });
      await call(base, 'GET', `/v1/customers/${child.id}`, { key });
      await call(base, 'GET', '/v1/customers?limit=5&count=true&sort=-created_at', { key });
      await call(base, 'GET', '/v1/customers?search=renamed&count=true&country=NO', { key });
      await call(base, 'GET', `/v1/customers?ancestor_id=${parent.id}&count=true`, { key });
      await call(base, 'POST', '/v1/users', { key, body: { first_name: 'Ada', last_name: 'L', email: 'ada@example.com', role: 'admin' } });
      await call(base, 'GET', '/v1/users?count=true', { key });
      const onboarded = await call(base, 'POST', '/dakota/customers', { headers: { ...dakota, 'x-idempotency-key': randomUUID() }, body: { name: 'Dakota GmbH', customer_type: 'business' } });
      assert.equal((await fetch(onboarded.body.application_url)).status, 200, 'the hosted onboarding page');
      await call(base, 'GET', '/dakota/customers?limit=3', { headers: dakota });
      await call(base, 'GET', '/spirii/v2/customers?limit=3&offset=1', { key });
      await call(base, 'GET', '/investifi/v1/users/', { headers: dakota });
      const jwt = await token(base, account.account_id, account.client_id, account.client_secret);
      const aid = account.account_id;
      await call(base, 'GET', `/dintero/v1/accounts/${aid}/customers/users?limit=3`, { key: jwt });
      await call(base, 'POST', `/dintero/v1/accounts/${aid}/customers/tags`, { key: jwt, body: { tag: 'vip' } });
      await call(base, 'DELETE', `/v1/customers/${child.id}`, { key });
      await call(base, 'GET', '/v1/keys', { key });
    } finally {
      await server.close();
    }

    const problems: string[] = [];
    const crossing = new Set<string>();
    const seen = new Set<string>();
    for (const st of statements) {
      if (seen.has(st.text) || /^\s*(COPY|BEGIN|COMMIT)/i.test(st.text)) continue;
      seen.add(st.text);
      const found = await unrouted(s.db, st);
      const known = Object.keys(KNOWN_CROSS_SHARD).find((k) => st.text.includes(k));
      if (found.length && known) crossing.add(known);
      else for (const f of found) problems.push(`${f}: ${st.text.replace(/\s+/g, ' ').slice(0, 160)}`);
    }
    assert.ok(seen.size > 20, `the workload sent ${seen.size} distinct statements`);
    assert.ok(statements.some((st) => st.tenant) && statements.some((st) => /INSERT INTO customers/.test(st.text)), 'reads and writes were recorded');
    assert.deepEqual(problems, []);
    assert.deepEqual([...crossing].sort(), Object.keys(KNOWN_CROSS_SHARD).sort(), 'each listed cross-shard statement was met, and still crosses');
  });

  test('the statement check itself tells a routed statement from an unrouted one', async () => {
    const id = 'x'.repeat(27);
    assert.deepEqual(await unrouted(s.db, { text: `SELECT id FROM customers WHERE account_id = $1 AND id = $2`, params: [s.account.account_id, id] }), []);
    assert.equal((await unrouted(s.db, { text: `SELECT id FROM customers WHERE id = $1`, params: [id] })).length, 1);
    assert.equal((await unrouted(s.db, { text: `SELECT count(*) FROM users WHERE account_id = ANY($1)`, params: [['T00000001', 'T00000002']] })).length, 1);
  });
});
