import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type PgBouncer, startPgBouncer } from '../scripts/pgbouncer.js';
import { token } from './support/dintero-client.ts';
import { freePort, type Running, roster, stop } from './support/processes.ts';
import { call, createTestDatabase } from './support/stores.ts';

// Roster behind PgBouncer in transaction mode (Debian's 1.18: no prepared statements across
// transactions, no session state kept), as `ROSTER_PG_POOLER=transaction` runs it. PgBouncer
// has two server connections for the database, so the server process's connections (and the
// accounts they read for) are shared between unrelated requests all the time: a read that
// relied on its session's role or account would run as another request's, and a named
// prepared statement would be missing on the connection it lands on.

const serverPort = () => Number(new URL(process.env.ROSTER_TEST_DATABASE_URL!).port);

describe('behind PgBouncer in transaction mode (postgres)', { skip: process.env.ROSTER_TEST_DATABASE_URL ? false : 'needs PostgreSQL (npm test starts one)', timeout: 300_000 }, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let bouncer: PgBouncer;
  let url: string;
  let server: Running;
  let base: string;
  const accounts: { account_id: string; api_key: string; client_id: string; client_secret: string }[] = [];

  before(async () => {
    database = await createTestDatabase();
    bouncer = await startPgBouncer(serverPort(), { poolMode: 'transaction', poolSize: 2 });
    url = bouncer.url(new URL(database.url).pathname.slice(1));
    const env = { DATABASE_URL: url, ROSTER_PG_POOLER: 'transaction' };
    // Migrations and the operator's commands go through PgBouncer too.
    for (const name of ['Pooled A', 'Pooled B']) {
      const made = roster(['account', 'create', '--name', name, '--json'], env);
      assert.equal(await made.exited, 0, made.output());
      accounts.push(JSON.parse(made.output()));
    }
    const port = await freePort();
    server = roster(['serve', '--port', String(port), '--no-demo'], { ...env, ROSTER_PG_POOL_SIZE: '8' });
    await server.waitFor(/API reference/);
    base = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    if (server) await stop(server);
    bouncer?.stop();
    await database?.drop();
  });

  test('concurrent writes and reads of two accounts: each sees its own records and exact counts, never a 5xx', async () => {
    const statuses: number[] = [];
    const made = new Map<string, string[]>(accounts.map((a) => [a.account_id, []]));
    // Writes and reads of both accounts interleaved, 12 at a time, over 2 server connections.
    const work = accounts.flatMap((a, n) =>
      Array.from({ length: 30 }, (_, i) => async () => {
        const created = await call(base, 'POST', '/v1/customers', { key: a.api_key, body: { name: `Pooled ${n ? 'Beta' : 'Alpha'} ${i}`, external_id: `pooled-${i}` } });
        statuses.push(created.status);
        if (created.status === 201) made.get(a.account_id)!.push(created.body.id);
        const list = await call(base, 'GET', `/v1/customers?limit=100&search=pooled&count=true`, { key: a.api_key });
        statuses.push(list.status);
        assert.ok(
          list.body.data.every((c: { name: string }) => c.name.includes(n ? 'Beta' : 'Alpha')),
          'a list holds its own account’s records only',
        );
      }),
    );
    const queue = [...work];
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) await job();
      }),
    );
    assert.deepEqual([...new Set(statuses)].sort(), [200, 201]);
    for (const [n, a] of accounts.entries()) {
      const list = await call(base, 'GET', '/v1/customers?limit=100&count=true&sort=number', { key: a.api_key });
      assert.equal(list.body.total_count, 30);
      assert.deepEqual(list.body.data.map((c: { id: string }) => c.id).sort(), made.get(a.account_id)!.sort());
      // A record of the other account is not found, by id, through every read path.
      const other = made.get(accounts[1 - n].account_id)![0];
      assert.equal((await call(base, 'GET', `/v1/customers/${other}`, { key: a.api_key })).status, 404);
      assert.equal((await call(base, 'GET', `/v1/customers/${made.get(a.account_id)![0]}`, { key: a.api_key })).status, 200);
    }
  });

  test('search repeated past the point where a prepared statement would go generic; every surface answers', async () => {
    const [a] = accounts;
    for (let i = 0; i < 8; i++) {
      const r = await call(base, 'GET', '/v1/customers?search=alpha%201&limit=50', { key: a.api_key });
      assert.equal(r.status, 200);
      assert.ok(r.body.data.length >= 1 && r.body.data.every((c: { name: string }) => c.name.startsWith('Pooled Alpha 1')));
    }
    const jwt = await token(base, a.account_id, a.client_id, a.client_secret);
    const dintero = await call(base, 'GET', `/dintero/v1/accounts/${a.account_id}/customers/users?limit=5`, { key: jwt });
    assert.equal(dintero.status, 200);
    assert.equal((await call(base, 'GET', '/spirii/v2/customers?limit=5&offset=5', { key: a.api_key })).status, 200);
    assert.equal((await call(base, 'GET', '/dakota/customers?limit=5', { headers: { 'x-api-key': a.api_key } })).status, 200);
    assert.equal((await call(base, 'GET', '/investifi/v1/users/', { headers: { 'x-api-key': a.api_key } })).status, 200);
    assert.equal((await call(base, 'GET', '/ready')).status, 200);
  });

  test('an idempotent POST sent three times at once through the pooler writes once', async () => {
    const [, b] = accounts;
    const send = () => call(base, 'POST', '/v1/customers', { key: b.api_key, headers: { 'idempotency-key': 'pooled-once' }, body: { name: 'Once through the pooler' } });
    const rs = await Promise.all([send(), send(), send()]);
    assert.deepEqual(
      rs.map((r) => r.status),
      [201, 201, 201],
    );
    assert.equal(new Set(rs.map((r) => r.body.id)).size, 1);
    assert.equal(rs.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 2);
  });

  test('without ROSTER_PG_POOLER the start is refused with the reason and the setting to use', async () => {
    const refused = roster(['serve', '--port', String(await freePort()), '--no-demo'], { DATABASE_URL: url });
    assert.equal(await refused.exited, 1);
    assert.match(refused.output(), /cannot reach the database at 127\.0\.0\.1:\d+: unsupported startup parameter: jit; .*set ROSTER_PG_POOLER=transaction/);
  });
});
