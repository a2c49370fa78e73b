import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, type TestServer } from './support/stores.ts';
import { DakotaClient } from './support/dakota-contract.ts';
import { createApiKey } from '../src/store/accounts-repo.ts';
import { rateLimitPerMinute } from '../src/dialects/dakota/plugin.ts';

// The per-key limit: announced on every response, enforced with 429 + Retry-After, counted
// separately for each API key. This file runs in its own process, so the small limit set
// here touches no other suite.

const LIMIT = 5;

test('ROSTER_DAKOTA_RATE_LIMIT: a positive integer, else the generous default', () => {
  assert.equal(rateLimitPerMinute({}), 6000);
  assert.equal(rateLimitPerMinute({ ROSTER_DAKOTA_RATE_LIMIT: '120' }), 120);
  assert.equal(rateLimitPerMinute({ ROSTER_DAKOTA_RATE_LIMIT: 'lots' }), 6000);
  assert.equal(rateLimitPerMinute({ ROSTER_DAKOTA_RATE_LIMIT: '0' }), 6000);
});

for (const kind of STORES) {
  describe(`dakota rate limit (${kind})`, () => {
    let s: TestServer;
    let api: DakotaClient;

    before(async () => {
      process.env.ROSTER_DAKOTA_RATE_LIMIT = String(LIMIT);
      s = await startTestServer(kind);
      delete process.env.ROSTER_DAKOTA_RATE_LIMIT;
      api = await DakotaClient.connect(s.base, s.account.api_key);
    });
    after(() => s.close());

    test('Limit, Remaining and an absolute Reset on every response, then 429 with Retry-After', async () => {
      const seen: number[] = [];
      let reset = 0;
      for (let i = 0; i < LIMIT; i++) {
        const res = await api.call('GET', '/customers?limit=1');
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('x-ratelimit-limit'), String(LIMIT));
        seen.push(Number(res.headers.get('x-ratelimit-remaining')));
        reset = Number(res.headers.get('x-ratelimit-reset'));
      }
      assert.deepEqual(seen, [4, 3, 2, 1, 0]);
      const now = Date.now() / 1000;
      assert.ok(reset > now && reset <= Math.ceil(now) + 60, `reset ${reset} is absolute Unix seconds within the minute`);

      const over = await api.call('GET', '/customers?limit=1');
      assert.equal(over.status, 429);
      assert.equal(over.headers.get('x-ratelimit-remaining'), '0');
      const retry = Number(over.headers.get('retry-after'));
      assert.ok(retry >= 1 && retry <= 60);
      assert.equal(over.body.status, 429);
      assert.equal(over.body.title, 'Too Many Requests');
      // every route shares the key's budget
      assert.equal((await api.call('POST', '/customers', { body: {} })).status, 429);

      // unknown keys share the client address's budget: inventing keys buys nothing
      // (connect() spent one request of it on /openapi.json)
      const statuses: number[] = [];
      for (let i = 0; i < LIMIT; i++) statuses.push((await api.call('GET', '/customers', { key: `invented-${i}` })).status);
      assert.deepEqual(statuses, [...Array(LIMIT - 1).fill(401), 429]);

      // another key has its own budget
      const other = await createApiKey(s.db, s.account.account_id, 'second', ['read']);
      const fresh = await api.call('GET', '/customers?limit=1', { key: other });
      assert.equal(fresh.status, 200);
      assert.equal(fresh.headers.get('x-ratelimit-remaining'), String(LIMIT - 1));
    });
  });
}
