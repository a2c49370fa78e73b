import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import postgres from 'postgres';
import { type Cluster, type Standby, startCluster } from '../scripts/pg-cluster.js';
import { freePort, type Running, roster, stop } from './support/processes.ts';
import { sample, scrape } from './support/prometheus.ts';
import { call } from './support/stores.ts';

// Reads from a real streaming standby (pg_basebackup -R of a throwaway cluster): lists and gets
// go to it; a client that just wrote reads its write even while the standby's replay is paused;
// a standby past the lag bound, or down, is left out and the primary serves, with no error.

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean>, ms = 20_000) {
  for (const end = Date.now() + ms; Date.now() < end; await wait(100)) if (await check()) return;
  throw new Error(`timed out waiting until ${what}`);
}

describe('read replicas (postgres)', { skip: process.env.ROSTER_TEST_DATABASE_URL ? false : 'needs PostgreSQL binaries (npm test has them)', timeout: 300_000 }, () => {
  let cluster: Cluster;
  let standby: Standby;
  let primarySql: postgres.Sql;
  let standbySql: postgres.Sql;
  const servers: Running[] = [];
  const accounts: { account_id: string; api_key: string }[] = [];

  async function serve(maxLag: number) {
    const port = await freePort();
    const server = roster(['serve', '--port', String(port), '--no-demo'], { DATABASE_URL: cluster.url, DATABASE_REPLICA_URLS: standby.url, ROSTER_REPLICA_MAX_LAG: String(maxLag) });
    servers.push(server);
    await server.waitFor(/API reference/);
    const base = `http://127.0.0.1:${port}`;
    await until('the standby is in use', async () => (await scrape(base)).includes('roster_db_replica_up{replica="replica0"} 1'));
    return base;
  }
  const reads = async (base: string, target: string, reason: string) => sample(await scrape(base), 'roster_db_reads_total', { target, reason }) ?? 0;
  /** Waits until the standby has replayed everything the primary has written. */
  const caughtUp = () =>
    until('the standby caught up', async () => {
      const [{ lsn }] = await primarySql`SELECT pg_current_wal_insert_lsn()::text AS lsn`;
      const [{ behind }] = await standbySql`SELECT pg_wal_lsn_diff(${lsn}::pg_lsn, pg_last_wal_replay_lsn()) > 0 AS behind`;
      return !behind;
    });

  before(async () => {
    cluster = await startCluster();
    for (const name of ['Replica A', 'Replica B']) {
      const made = roster(['account', 'create', '--name', name, '--json'], { DATABASE_URL: cluster.url });
      assert.equal(await made.exited, 0, made.output());
      accounts.push(JSON.parse(made.output()));
    }
    standby = await cluster.startStandby();
    primarySql = postgres(cluster.url, { max: 1, onnotice: () => {} });
    standbySql = postgres(standby.url, { max: 1, onnotice: () => {} });
  });
  after(async () => {
    for (const s of servers) await stop(s);
    await primarySql?.end();
    await standbySql?.end({ timeout: 1 });
    cluster?.stop();
  });

  test('lists and gets are served by the standby', async () => {
    const base = await serve(3600);
    const [a] = accounts;
    const made = await call(base, 'POST', '/v1/customers', { key: a.api_key, body: { name: 'Seen on the standby' } });
    assert.equal(made.status, 201);
    await caughtUp();
    // A row written on the primary with triggers off (so the account's write version does not
    // move), while the standby's replay is paused: a read that shows it ran on the primary, a
    // read that does not ran on the standby.
    await standbySql`SELECT pg_wal_replay_pause()`;
    try {
      await primarySql.begin(async (tx) => {
        await tx`SET LOCAL session_replication_role = replica`;
        await tx`UPDATE customers SET name = 'Changed behind the standby' WHERE id = ${made.body.id}`;
      });
      const before = await reads(base, 'replica', 'standby');
      const got = await call(base, 'GET', `/v1/customers/${made.body.id}`, { key: a.api_key });
      const list = await call(base, 'GET', '/v1/customers?limit=10', { key: a.api_key });
      assert.equal(got.body.name, 'Seen on the standby', 'the get was answered by the standby');
      assert.deepEqual(
        list.body.data.map((c: { name: string }) => c.name),
        ['Seen on the standby'],
        'so was the list',
      );
      assert.equal(await reads(base, 'replica', 'standby'), before + 2);
    } finally {
      await standbySql`SELECT pg_wal_replay_resume()`;
    }
    await caughtUp();
    const after = await call(base, 'GET', `/v1/customers/${made.body.id}`, { key: a.api_key });
    assert.equal(after.body.name, 'Changed behind the standby', 'once replayed, the standby has it');
  });

  test('read-your-writes: with replay paused, a client reads what it just wrote; other accounts still read from the standby', async () => {
    const base = await serve(3600);
    const [a, b] = accounts;
    await caughtUp();
    await standbySql`SELECT pg_wal_replay_pause()`;
    try {
      const fencedBefore = await reads(base, 'primary', 'fence');
      for (let i = 0; i < 3; i++) {
        const made = await call(base, 'POST', '/v1/customers', { key: a.api_key, body: { name: `Just written ${i}` } });
        assert.equal(made.status, 201);
        const got = await call(base, 'GET', `/v1/customers/${made.body.id}`, { key: a.api_key });
        assert.equal(got.status, 200, 'the get finds the write');
        const patched = await call(base, 'PATCH', `/v1/customers/${made.body.id}`, { key: a.api_key, body: { name: `Renamed ${i}` } });
        assert.equal(patched.status, 200);
        const list = await call(base, 'GET', `/v1/customers?limit=100&count=true&search=renamed%20${i}`, { key: a.api_key });
        assert.deepEqual(
          list.body.data.map((c: { id: string; name: string }) => [c.id, c.name]),
          [[made.body.id, `Renamed ${i}`]],
          'the list shows the latest write',
        );
      }
      assert.ok((await reads(base, 'primary', 'fence')) >= fencedBefore + 6, 'the account that wrote was read from the primary');
      const standbyBefore = await reads(base, 'replica', 'standby');
      assert.equal((await call(base, 'GET', '/v1/customers?limit=5', { key: b.api_key })).status, 200);
      assert.equal(await reads(base, 'replica', 'standby'), standbyBefore + 1, 'an account with no new write is read from the standby');
    } finally {
      await standbySql`SELECT pg_wal_replay_resume()`;
    }
  });

  test('a standby past the lag bound is left out until it catches up', async () => {
    const base = await serve(1);
    const [a] = accounts;
    await caughtUp();
    await standbySql`SELECT pg_wal_replay_pause()`;
    try {
      assert.equal((await call(base, 'POST', '/v1/customers', { key: a.api_key, body: { name: 'Leaves the standby behind' } })).status, 201);
      await until('the lag passes the bound', async () => (sample(await scrape(base), 'roster_db_replica_lag_seconds', { replica: 'replica0' }) ?? 0) > 1);
      const before = await reads(base, 'primary', 'no_standby');
      assert.equal((await call(base, 'GET', '/v1/customers?limit=5', { key: accounts[1].api_key })).status, 200);
      assert.equal(await reads(base, 'primary', 'no_standby'), before + 1);
    } finally {
      await standbySql`SELECT pg_wal_replay_resume()`;
    }
    await until('the standby is back within bounds', async () => sample(await scrape(base), 'roster_db_replica_lag_seconds', { replica: 'replica0' }) === 0);
    const before = await reads(base, 'replica', 'standby');
    assert.equal((await call(base, 'GET', '/v1/customers?limit=5', { key: accounts[1].api_key })).status, 200);
    assert.equal(await reads(base, 'replica', 'standby'), before + 1);
  });

  test('a standby that goes down is left out, with no error to clients, and used again once back', async () => {
    const base = await serve(3600);
    const [a] = accounts;
    const statuses = new Set<number>();
    let loading = true;
    const load = (async () => {
      while (loading) {
        statuses.add((await call(base, 'GET', '/v1/customers?limit=5', { key: a.api_key })).status);
        await wait(20);
      }
    })();
    try {
      await wait(300);
      standby.pause('immediate');
      await until('the standby is seen down', async () => (await scrape(base)).includes('roster_db_replica_up{replica="replica0"} 0'));
      const before = await reads(base, 'primary', 'no_standby');
      assert.equal((await call(base, 'GET', '/v1/customers?limit=5', { key: a.api_key })).status, 200);
      assert.ok((await reads(base, 'primary', 'no_standby')) > before);
      standby.resume();
      await until('the standby is used again', async () => (await scrape(base)).includes('roster_db_replica_up{replica="replica0"} 1'));
      await wait(300);
    } finally {
      loading = false;
      await load;
    }
    assert.deepEqual([...statuses], [200], 'every read answered 200 throughout');
    const before = await reads(base, 'replica', 'standby');
    assert.equal((await call(base, 'GET', '/v1/customers?limit=5', { key: a.api_key })).status, 200);
    assert.equal(await reads(base, 'replica', 'standby'), before + 1);
  });
});
