import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { token } from './support/dintero-client.ts';
import { errorShapeFault, type Surface } from './support/error-shapes.ts';
import { withinOneWindow } from './support/rate-window.ts';
import { buildApp } from '../src/http/app.ts';
import { createAccount, createApiKey } from '../src/store/accounts-repo.ts';
import { setAccountRateLimits } from '../src/store/rate-limits-repo.ts';
import { limitFor, rateSettings } from '../src/http/rate-policy.ts';

// Rate limits on every surface: announced on every response, enforced with a 429 in the
// surface's shape and Retry-After, counted per credential (unknown credentials share their
// address's budget), shared by every process on one database, configurable per account.
// This file runs in its own process, so the small limit set here touches no other suite.

const LIMIT = 5;

test('settings: a generous default, ROSTER_RATE_LIMIT, a Dakota override, the vendor profile', () => {
  assert.equal(rateSettings({}).perMinute, 6000);
  assert.equal(rateSettings({ ROSTER_RATE_LIMIT: '120' }).perMinute, 120);
  // A bad figure is refused (the server does not start on it), not silently replaced by the default.
  assert.throws(() => rateSettings({ ROSTER_RATE_LIMIT: 'lots' }), /ROSTER_RATE_LIMIT="lots" must be a whole number/);
  assert.equal(rateSettings({ ROSTER_DAKOTA_RATE_LIMIT: '7' }).surfaces.dakota, 7);
  const vendor = rateSettings({ ROSTER_RATE_LIMITS: 'vendor' });
  assert.deepEqual(limitFor(vendor, 'dakota', 'vendor', null, 'credential', 'write'), { limit: 60, group: 'all' });
  assert.deepEqual(limitFor(vendor, 'dakota', 'vendor', null, 'anonymous', 'read'), { limit: 10, group: 'all' });
  assert.deepEqual(limitFor(vendor, 'spirii', 'vendor', null, 'credential', 'read'), { limit: 600, group: 'read' });
  assert.deepEqual(limitFor(vendor, 'spirii', 'vendor', null, 'credential', 'write'), { limit: 120, group: 'write' });
  assert.deepEqual(limitFor(vendor, 'dintero', 'vendor', null, 'credential', 'read'), { limit: 6000, group: 'all' });
  assert.deepEqual(limitFor(rateSettings({}), 'v1', 'default', 42, 'credential', 'read'), { limit: 42, group: 'all' });
});

for (const kind of STORES) {
  describe(`rate limits (${kind})`, () => {
    let s: TestServer;
    let jwt: string;
    before(async () => {
      process.env.ROSTER_RATE_LIMIT = String(LIMIT);
      s = await startTestServer(kind);
      delete process.env.ROSTER_RATE_LIMIT;
      jwt = await token(s.base, s.account.account_id, s.account.client_id, s.account.client_secret);
    });
    after(() => s.close());

    const paths = (aid: string): Record<Surface, string> => ({
      native: '/v1/customers?limit=1',
      dakota: '/dakota/customers?limit=1',
      spirii: '/spirii/v2/customers?limit=1',
      dintero: `/dintero/v1/accounts/${aid}/customers/users?limit=1`,
      investifi: '/investifi/v1/users/?per_page=1',
    });

    test('every surface: Limit, Remaining and an absolute Reset, then 429 in its shape with Retry-After', async () => {
      await withinOneWindow(10_000);
      for (const [surface, path] of Object.entries(paths(s.account.account_id)) as [Surface, string][]) {
        const key = surface === 'dintero' ? jwt : s.account.api_key;
        const headers = { authorization: `Bearer ${key}`, 'x-api-key': key };
        const seen: number[] = [];
        let reset = 0;
        for (let i = 0; i < LIMIT; i++) {
          const res = await call(s.base, 'GET', path, { headers });
          assert.equal(res.status, 200, `${surface} ${JSON.stringify(res.body)}`);
          assert.equal(res.headers.get('x-ratelimit-limit'), String(LIMIT));
          seen.push(Number(res.headers.get('x-ratelimit-remaining')));
          reset = Number(res.headers.get('x-ratelimit-reset'));
        }
        assert.deepEqual(seen, [4, 3, 2, 1, 0], surface);
        const now = Date.now() / 1000;
        assert.ok(reset > now && reset <= Math.ceil(now) + 60, `${surface}: reset ${reset} is absolute Unix seconds within the minute`);
        const over = await call(s.base, 'GET', path, { headers });
        assert.equal(over.status, 429, surface);
        assert.equal(over.headers.get('x-ratelimit-remaining'), '0');
        const retry = Number(over.headers.get('retry-after'));
        assert.ok(retry >= 1 && retry <= 60, `${surface}: Retry-After ${retry}`);
        assert.equal(errorShapeFault(surface, 429, over.headers.get('content-type'), over.body), undefined, surface);
      }
    });

    test('unknown keys share the client address budget; another key has its own', async () => {
      await withinOneWindow(5_000);
      const statuses: number[] = [];
      for (let i = 0; i < LIMIT + 1; i++) statuses.push((await call(s.base, 'GET', '/spirii/v2/customers', { key: `invented-${i}` })).status);
      assert.deepEqual(statuses, [...Array(LIMIT).fill(403), 429]);
      const other = await createApiKey(s.db, s.account.account_id, 'second', ['read']);
      const fresh = await call(s.base, 'GET', '/spirii/v2/customers?limit=1', { key: other });
      assert.equal(fresh.status, 200);
      assert.equal(fresh.headers.get('x-ratelimit-remaining'), String(LIMIT - 1));
    });

    test('several processes on one database share the budget', async () => {
      await withinOneWindow(5_000);
      const key = await createApiKey(s.db, s.account.account_id, 'shared', ['read']);
      process.env.ROSTER_RATE_LIMIT = String(LIMIT);
      const second = await buildApp({ db: s.db });
      delete process.env.ROSTER_RATE_LIMIT;
      const base2 = await second.listen({ port: 0, host: '127.0.0.1' });
      try {
        for (const base of [s.base, base2, s.base]) assert.equal((await call(base, 'GET', '/v1/users?limit=1', { key })).status, 200);
        // Each process flushes its counts every quarter second and reads back the others'.
        await new Promise((r) => setTimeout(r, 600));
        assert.equal((await call(base2, 'GET', '/v1/users?limit=1', { key })).status, 200);
        assert.equal((await call(base2, 'GET', '/v1/users?limit=1', { key })).status, 200);
        await new Promise((r) => setTimeout(r, 600));
        const over = await call(s.base, 'GET', '/v1/users?limit=1', { key });
        assert.equal(over.status, 429, 'five requests spread over two processes use up the budget');
      } finally {
        await second.close();
      }
    });

    test("an account's own settings: the vendors' documented numbers, or its own figure", async () => {
      await withinOneWindow(10_000);
      // A fresh account: settings are cached per account for a few seconds once read.
      const account = await createAccount(s.db, 'Vendor limits', 'test');
      await setAccountRateLimits(s.db, account.account_id, { profile: 'vendor', perMinute: null });
      const key = account.api_key;
      const read = await call(s.base, 'GET', '/spirii/v2/customers?limit=1', { key });
      assert.equal(read.headers.get('x-ratelimit-limit'), '600');
      const write = await call(s.base, 'POST', '/spirii/v2/customers', { key, body: {} });
      assert.equal(write.headers.get('x-ratelimit-limit'), '120');
      const dakota = await call(s.base, 'GET', '/dakota/customers?limit=1', { headers: { 'x-api-key': key } });
      assert.equal(dakota.headers.get('x-ratelimit-limit'), '60');
      const own = await createAccount(s.db, 'Own limit', 'test');
      await setAccountRateLimits(s.db, own.account_id, { profile: 'default', perMinute: 1000 });
      const mine = await call(s.base, 'GET', '/v1/users?limit=1', { key: own.api_key });
      assert.equal(mine.headers.get('x-ratelimit-limit'), '1000');
    });
  });
}
