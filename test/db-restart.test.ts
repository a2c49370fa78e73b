import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from '../scripts/pg-cluster.js';
import { call } from './support/stores.ts';
import { token } from './support/dintero-client.ts';
import { freePort, roster, stop, type Running } from './support/processes.ts';

// The server outlives its database: a real `roster serve` on a PostgreSQL cluster of its own,
// which is stopped under load (as an operator's restart, then as a crash) and started again.
// While it is away every surface answers 503 in its own shape with Retry-After, /ready says
// so, and once it is back the same process serves again.

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the database restarts (postgres)', { skip: process.env.ROSTER_TEST_DATABASE_URL ? false : 'needs PostgreSQL binaries (npm test has them)', timeout: 240_000 }, () => {
  let cluster: Cluster;
  let server: Running;
  let base: string;
  let account: { account_id: string; api_key: string; client_id: string; client_secret: string };
  let jwt: string;

  before(async () => {
    cluster = await startCluster();
    const env = { DATABASE_URL: cluster.url };
    const created = roster(['account', 'create', '--name', 'Restarts', '--json'], env);
    assert.equal(await created.exited, 0, created.output());
    account = JSON.parse(created.output());
    const port = await freePort();
    server = roster(['serve', '--port', String(port), '--no-demo'], env);
    await server.waitFor(/API reference:/);
    base = `http://127.0.0.1:${port}`;
    jwt = await token(base, account.account_id, account.client_id, account.client_secret);
    const made = await call(base, 'POST', '/v1/customers', { key: account.api_key, body: { name: 'Survivor', external_id: 'survivor-1' } });
    assert.equal(made.status, 201);
  });
  after(async () => {
    if (server) await stop(server);
    cluster?.stop();
  });

  /** One request to each surface, as its own clients send them. */
  const probes = () => {
    const key = account.api_key;
    const aid = account.account_id;
    return {
      native: call(base, 'GET', '/v1/customers?limit=5', { key }),
      dakota: call(base, 'GET', '/dakota/customers?limit=5', { headers: { 'x-api-key': key } }),
      spirii: call(base, 'GET', '/spirii/v2/customers?limit=5', { key }),
      dintero: call(base, 'GET', `/dintero/v1/accounts/${aid}/customers/users?limit=5`, { key: jwt }),
      investifi: call(base, 'GET', '/investifi/v1/users/', { headers: { 'x-api-key': key } }),
      write: call(base, 'POST', '/v1/customers', { key, body: { name: 'During the outage' } }),
    };
  };
  const settled = async () => Object.fromEntries(await Promise.all(Object.entries(probes()).map(async ([k, p]) => [k, await p] as const)));

  /** Each surface's error body for a 503, as its clients parse errors. */
  const SHAPES: Record<string, (body: any) => boolean> = {
    native: (b) => b.status === 503 && b.code === 'unavailable' && typeof b.detail === 'string',
    dakota: (b) => b.status === 503 && /service-unavailable$/.test(b.type) && typeof b.request_id === 'string',
    spirii: (b) => b.error?.code === 'service_unavailable' && typeof b.error?.request_id === 'string',
    dintero: (b) => b.error?.code === 'SERVICE UNAVAILABLE' && typeof b.error?.message === 'string',
    investifi: (b) => typeof b.detail === 'string',
    write: (b) => b.status === 503 && b.code === 'unavailable',
  };

  async function outage(mode: 'fast' | 'immediate') {
    // Load runs throughout: nothing it meets may end the process or answer anything but 200/503.
    let loading = true;
    const seen = new Set<number>();
    const load = (async () => {
      while (loading) {
        for (const r of Object.values(await settled())) seen.add(r.status);
        await wait(20);
      }
    })();
    await wait(300);
    cluster.pause(mode);
    let down: Awaited<ReturnType<typeof settled>> | undefined;
    for (let i = 0; i < 100 && !down; i++) {
      const r = await settled();
      if (Object.values(r).every((x) => x.status === 503)) down = r;
      else await wait(100);
    }
    assert.ok(down, 'every surface answers 503 while the database is away');
    for (const [surface, r] of Object.entries(down)) {
      assert.ok(SHAPES[surface](r.body), `${surface}'s 503 is in its own shape: ${JSON.stringify(r.body)}`);
      assert.equal(r.headers.get('retry-after'), '2', `${surface} says when to come back`);
    }
    assert.equal((await call(base, 'GET', '/ready')).status, 503);
    assert.equal((await call(base, 'GET', '/health')).status, 200, 'the process itself is alive');

    cluster.resume();
    let up: Awaited<ReturnType<typeof settled>> | undefined;
    for (let i = 0; i < 150 && !up; i++) {
      const r = await settled();
      if (Object.entries(r).every(([k, x]) => x.status === (k === 'write' ? 201 : 200))) up = r;
      else await wait(100);
    }
    loading = false;
    await load;
    assert.ok(up, 'every surface serves again once the database is back');
    assert.equal((await call(base, 'GET', '/ready')).status, 200);
    assert.deepEqual(
      [...seen].filter((s) => ![200, 201, 503].includes(s)),
      [],
      'no other status under load',
    );
    assert.equal(server.proc.exitCode, null, `the same process still runs:\n${server.output()}`);
  }

  test('a restart of the server (pg_ctl stop -m fast, then start)', () => outage('fast'));

  test('a crash of the server (pg_ctl stop -m immediate, then start)', () => outage('immediate'));

  test('nothing was half-written, and no driver error went uncaught', async () => {
    // Every record is whole: a write the outage cut short left nothing. However many the load
    // wrote (it depends on the machine's speed), the pages hold as many as the count says.
    const first = await call(base, 'GET', '/v1/customers?limit=1&count=true', { key: account.api_key });
    assert.equal(first.status, 200);
    let seen = 0;
    let after = '';
    for (;;) {
      const page = await call(base, 'GET', `/v1/customers?limit=100${after && `&starting_after=${after}`}`, { key: account.api_key });
      assert.equal(page.status, 200);
      for (const c of page.body.data) assert.ok(c.id && c.number && c.uuid && c.created_at, JSON.stringify(c));
      seen += page.body.data.length;
      if (!page.body.has_more_after) break;
      after = page.body.data.at(-1).id;
    }
    assert.ok(seen > 0, 'the load wrote records');
    assert.equal(first.body.total_count, seen);
    assert.doesNotMatch(server.output(), /TypeError|Uncaught|unhandled/i);
  });
});
