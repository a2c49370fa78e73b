import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import postgres from 'postgres';
import { freePort, type Running, roster, stop } from './support/processes.ts';
import { sample, scrape } from './support/prometheus.ts';
import { call, createTestDatabase } from './support/stores.ts';

// Three `roster serve` processes on one PostgreSQL database, as behind a load balancer: started
// at once on an empty database, then again on a store whose search sample is stale. Shared
// state must be shared (rate limits, idempotency, key revocations, counters) and background
// work done once (the demo account, the search sample).

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('three processes, one database (postgres)', { skip: process.env.ROSTER_TEST_DATABASE_URL ? false : 'needs PostgreSQL (npm test starts one)', timeout: 300_000 }, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sql: postgres.Sql;
  const dirs: string[] = [];
  let servers: { proc: Running; base: string }[] = [];
  let demoKey: string;
  let limited: { account_id: string; api_key: string };

  /** Starts three servers at once; resolves when all three serve. */
  async function startThree(args: string[]) {
    const started = await Promise.all(
      [0, 1, 2].map(async () => {
        const dir = mkdtempSync(join(tmpdir(), 'roster-three-'));
        dirs.push(dir);
        const port = await freePort();
        const proc = roster(['serve', '--port', String(port), '--data-dir', dir, ...args], { DATABASE_URL: database.url });
        return { proc, base: `http://127.0.0.1:${port}` };
      }),
    );
    await Promise.all(started.map((s) => s.proc.waitFor(/API reference/)));
    return started;
  }
  const stopAll = async () => {
    await Promise.all(servers.map((s) => stop(s.proc)));
    servers = [];
  };

  before(async () => {
    database = await createTestDatabase();
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
  });
  after(async () => {
    await stopAll();
    await sql?.end();
    await database?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('three first starts at once on an empty database make one demo account', async () => {
    servers = await startThree(['--demo-customers', '300']);
    const [{ accounts, customers }] = await sql`SELECT (SELECT count(*)::int FROM accounts) AS accounts, (SELECT count(*)::int FROM customers) AS customers`;
    assert.deepEqual({ accounts, customers }, { accounts: 1, customers: 300 });
    const printed = servers.filter((s) => /api_key: +\S+/.test(s.proc.output()));
    assert.equal(printed.length, 1, 'one process made the demo and printed its credentials');
    demoKey = /api_key: +(\S+)/.exec(printed[0].proc.output())![1];
    for (const s of servers) assert.equal((await call(s.base, 'GET', '/ready')).status, 200);
    await stopAll();
  });

  test('restarted on a stale search sample, one of the three samples again', async () => {
    const made = roster(['account', 'create', '--name', 'Limited', '--json'], { DATABASE_URL: database.url });
    assert.equal(await made.exited, 0, made.output());
    limited = JSON.parse(made.output());
    await sql`INSERT INTO account_rate_limits (account_id, profile, per_minute) VALUES (${limited.account_id}, 'default', 30)`;
    await sql`UPDATE search_samples SET taken_at = now() - interval '7 hours'`;
    servers = await startThree(['--no-demo']);
    let taken = 0;
    for (const s of servers) {
      let checks = 0;
      for (let i = 0; i < 100 && checks === 0; i++, await wait(100)) {
        const text = await scrape(s.base);
        checks = ['taken', 'fresh', 'busy'].reduce((n, outcome) => n + (sample(text, 'roster_search_samples_total', { outcome }) ?? 0), 0);
        taken = taken + (checks ? (sample(text, 'roster_search_samples_total', { outcome: 'taken' }) ?? 0) : 0);
      }
      assert.ok(checks >= 1, 'each process checked the sample on start');
    }
    assert.equal(taken, 1, 'one sample for three processes');
    const [{ fresh }] = await sql`SELECT bool_and(taken_at > now() - interval '1 minute') AS fresh FROM search_samples`;
    assert.equal(fresh, true);
  });

  test('one rate limit across the three: a per-minute budget is not tripled', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      statuses.push((await call(servers[i % 3].base, 'GET', '/v1/me', { key: limited.api_key })).status);
      await wait(20);
    }
    const admitted = statuses.filter((s) => s === 200).length;
    assert.deepEqual([...new Set(statuses)].sort(), [200, 429]);
    // Each process adds what the others counted within the last flush (250 ms) at most.
    assert.ok(admitted >= 30 && admitted <= 42, `${admitted} of 60 admitted under a limit of 30`);
  });

  test('one idempotent POST sent to all three at once writes once', async () => {
    const rs = await Promise.all(servers.map((s) => call(s.base, 'POST', '/v1/customers', { key: demoKey, headers: { 'idempotency-key': 'three-at-once' }, body: { name: 'Written once by three' } })));
    assert.deepEqual(
      rs.map((r) => r.status),
      [201, 201, 201],
    );
    assert.equal(new Set(rs.map((r) => r.body.id)).size, 1);
    assert.equal(rs.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 2);
  });

  test('writes through all three keep exact counts', async () => {
    const rs = await Promise.all(
      Array.from({ length: 60 }, (_, i) => call(servers[i % 3].base, 'POST', '/v1/customers', { key: demoKey, body: { name: `Through ${i % 3}`, type: i % 2 ? 'business' : 'individual' } })),
    );
    assert.ok(rs.every((r) => r.status === 201));
    const [{ n, business }] = await sql`SELECT count(*)::int AS n, (count(*) FILTER (WHERE type = 'business'))::int AS business FROM customers WHERE deleted_at IS NULL`;
    for (const s of servers) {
      assert.equal((await call(s.base, 'GET', '/v1/customers?limit=1&count=true', { key: demoKey })).body.total_count, n);
      assert.equal((await call(s.base, 'GET', '/v1/customers?limit=1&count=true&type=business', { key: demoKey })).body.total_count, business);
    }
  });

  test('a key revoked through one process is refused by all three within a second', async () => {
    const made = await call(servers[0].base, 'POST', '/v1/keys', { key: demoKey, body: { name: 'short-lived', scopes: ['read'] } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    for (const s of servers) assert.equal((await call(s.base, 'GET', '/v1/me', { key: made.body.api_key })).status, 200);
    assert.equal((await call(servers[1].base, 'DELETE', `/v1/keys/${made.body.id}`, { key: demoKey })).status, 200);
    await wait(1100);
    for (const s of servers) assert.equal((await call(s.base, 'GET', '/v1/me', { key: made.body.api_key })).status, 401);
  });
});
