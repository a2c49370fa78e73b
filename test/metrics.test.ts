import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ksuid } from '../src/core/ids.ts';
import { registerBacklog } from '../src/ops/metrics.ts';
import { setAccountRateLimits } from '../src/store/rate-limits-repo.ts';
import { sample } from './support/prometheus.ts';
import { call, STORES, startTestServer, type TestServer } from './support/stores.ts';

// GET /metrics in Prometheus's text format, as a scraper reads it: requests by surface, route
// pattern and status, their durations, the database's statements and pools, rate-limit
// refusals and the backlog of whatever registers one. Labels never hold a path or a value.

for (const kind of STORES) {
  describe(`metrics (${kind})`, () => {
    let s: TestServer;
    const scrape = async () => {
      const res = await fetch(`${s.base}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      return res.text();
    };
    before(async () => {
      s = await startTestServer(kind);
    });
    after(() => s.close());

    test('requests are counted and timed by surface, route pattern and status; a path is never a label', async () => {
      const route = { surface: 'native', route: '/v1/customers', method: 'GET', status: '200' };
      const before = sample(await scrape(), 'roster_http_requests_total', route) ?? 0;
      for (let i = 0; i < 3; i++) assert.equal((await call(s.base, 'GET', '/v1/customers?limit=2', { key: s.account.api_key })).status, 200);
      const secret = 'jane.doe@example.com';
      const unknown = ksuid();
      assert.equal((await call(s.base, 'GET', `/v1/customers/${unknown}`, { key: s.account.api_key })).status, 404);
      assert.equal((await call(s.base, 'GET', `/dakota/customers/${secret}`, { headers: { 'x-api-key': s.account.api_key } })).status, 400);
      assert.equal((await call(s.base, 'GET', `/nowhere/${secret}`)).status, 404);
      const text = await scrape();
      assert.equal(sample(text, 'roster_http_requests_total', route), before + 3);
      assert.ok((sample(text, 'roster_http_request_duration_seconds_count', { surface: 'native', route: '/v1/customers', method: 'GET' }) ?? 0) >= 3);
      assert.ok(sample(text, 'roster_http_request_duration_seconds_bucket', { route: '/v1/customers', le: '+Inf' })! >= 3);
      assert.ok(sample(text, 'roster_http_requests_total', { surface: 'native', route: '/v1/customers/:id', status: '404' })! >= 1);
      assert.ok(sample(text, 'roster_http_requests_total', { surface: 'dakota', route: '/dakota/customers/:customer_id', status: '400' })! >= 1);
      assert.ok(sample(text, 'roster_http_requests_total', { route: 'unmatched', status: '404' })! >= 1);
      assert.ok(!text.includes(secret) && !text.includes(unknown) && !text.includes(s.account.api_key), 'no path or key in any label');
    });

    test('statement durations and pool use of the store', async () => {
      const text = await scrape();
      assert.ok(sample(text, 'roster_db_statement_duration_seconds_count', { store: kind, kind: 'tenant_read' })! > 0);
      const pool = kind === 'pglite' ? 'embedded' : 'write';
      assert.equal(sample(text, 'roster_db_pool_connections', { pool }), kind === 'pglite' ? 1 : 10);
      assert.equal(typeof sample(text, 'roster_db_pool_in_use', { pool }), 'number');
      assert.equal(typeof sample(text, 'roster_db_pool_waiting', { pool }), 'number');
      assert.ok(sample(text, 'process_resident_memory_bytes')! > 0, "the process's own metrics");
    });

    test('rate-limit refusals by surface', async () => {
      await setAccountRateLimits(s.db, s.account.account_id, { profile: 'default', perMinute: 2 });
      const labels = { surface: 'native', subject: 'credential' };
      const before = sample(await scrape(), 'roster_rate_limit_rejections_total', labels) ?? 0;
      // The account's limits are read every 5 seconds: wait for the new one to apply.
      let refused = 0;
      for (let i = 0; i < 40 && refused < 2; i++) {
        if ((await call(s.base, 'GET', '/v1/me', { key: s.account.api_key })).status === 429) refused++;
        else await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(refused, 2);
      assert.equal(sample(await scrape(), 'roster_rate_limit_rejections_total', labels), before + 2);
      await setAccountRateLimits(s.db, s.account.account_id, { profile: 'default', perMinute: null });
    });

    test('a backlog source registered later is asked at each scrape; one that fails is left out', async () => {
      let events = 3;
      const stop = registerBacklog(() => ({ events, webhook_deliveries: 1 }));
      const broken = registerBacklog(async () => {
        throw new Error('outbox unreachable');
      });
      try {
        let text = await scrape();
        assert.equal(sample(text, 'roster_backlog', { queue: 'events' }), 3);
        assert.equal(sample(text, 'roster_backlog', { queue: 'webhook_deliveries' }), 1);
        assert.ok(sample(text, 'roster_backlog_failures_total')! >= 1);
        events = 0;
        text = await scrape();
        assert.equal(sample(text, 'roster_backlog', { queue: 'events' }), 0);
      } finally {
        stop();
        broken();
      }
      assert.equal(sample(await scrape(), 'roster_backlog', { queue: 'events' }), undefined);
    });
  });
}

describe('readiness and the metrics switch', () => {
  for (const kind of STORES) {
    test(`/ready is 503 while the database is behind this build's migrations, 200 once it is not (${kind})`, async () => {
      const s = await startTestServer(kind);
      try {
        assert.deepEqual((await call(s.base, 'GET', '/ready')).body, { ready: true });
        const [{ version }] = await s.db.query<{ version: number }>(`DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations) RETURNING version`);
        const behind = await call(s.base, 'GET', '/ready');
        assert.equal(behind.status, 503);
        assert.deepEqual(behind.body, { ready: false, reason: `migrations not applied: ${version}` });
        assert.equal((await call(s.base, 'GET', '/health')).status, 200, 'alive all the same');
        await s.db.query(`INSERT INTO schema_migrations (version) VALUES ($1)`, [version]);
        assert.equal((await call(s.base, 'GET', '/ready')).status, 200);
      } finally {
        await s.close();
      }
    });
  }

  test('ROSTER_METRICS=off: no /metrics', async () => {
    const s = await startTestServer('pglite', { metrics: false });
    try {
      assert.equal((await call(s.base, 'GET', '/metrics')).status, 404);
    } finally {
      await s.close();
    }
  });
});
