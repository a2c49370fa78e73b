import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { seed } from '../src/seed/load.ts';
import { createAccount, createApiKey } from '../src/store/accounts-repo.ts';
import { createdRecord, isUser, oracleOrder, render, seededRecords, userAccountId, type OracleRecord } from './support/investifi-oracle.ts';

// The InvestiFi user list and detail through real HTTP, compared with an in-memory oracle
// over the records seeded and created here.

const P = '/investifi/v1';

for (const kind of STORES) {
  describe(`investifi users (${kind})`, () => {
    let s: TestServer;
    let key: string;
    let records: OracleRecord[] = [];
    const get = (path: string, k: string | null = key) => call(s.base, 'GET', P + path, { headers: k ? { 'x-api-key': k } : {} });
    const create = async (body: Record<string, unknown>) => {
      const res = await call(s.base, 'POST', '/v1/customers', { key, body });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const r = createdRecord(res.body);
      records.push(r);
      return r;
    };
    const users = () => records.filter(isUser);
    const expected = (match: (r: OracleRecord) => boolean, sortKey: 'created_at' | 'user_account_id' = 'created_at', dir: 'asc' | 'desc' = 'desc') =>
      oracleOrder(users().filter(match), sortKey, dir).map(render);

    /** Every page from cursor 0 until a short page, concatenated. */
    async function walk(query: string, perPage: number) {
      const items: unknown[] = [];
      let cursor = 0;
      for (let pages = 0; pages < 1000; pages++) {
        const res = await get(`/users/?${query}&per_page=${perPage}&last_record_number=${cursor}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        items.push(...res.body.items);
        if (res.body.items.length < perPage) return { items, total: res.body.total_records };
        cursor = res.body.last_record_number;
      }
      throw new Error('walk did not end');
    }

    before(async () => {
      s = await startTestServer(kind);
      key = s.account.api_key;
      await seed(s.db, { accountId: s.account.account_id, customers: 240, users: 0, seed: 11 });
      records = seededRecords(240, 11, 1);
      await create({
        external_id: 'member-001',
        name: 'Exact Sum',
        product_accounts: [
          { product: 'crypto', kyc_status: 'approved', kyc_approved_at: '2025-09-02T11:18:09Z', current_market_value: '0.10' },
          { product: 'securities', kyc_status: 'pending', current_market_value: '0.20' },
        ],
      });
      await create({
        external_id: 'member-002',
        name: 'Big Values',
        product_accounts: [
          { product: 'robo', kyc_status: 'approved', kyc_approved_at: '2025-08-14T17:02:31.250Z', current_market_value: '999999999999999999.99' },
          { product: 'roth_ira', kyc_status: 'pending', current_market_value: '0.01' },
        ],
      });
      await create({ name: 'No external id', product_accounts: [{ product: 'robo', kyc_status: 'in_review', current_market_value: '5' }] });
      await create({ external_id: 'not-a-user', name: 'No accounts' });
    });
    after(() => s.close());

    test('the first page: defaults, totals and rendering', async () => {
      const res = await get('/users/');
      assert.equal(res.status, 200);
      const want = expected(() => true);
      assert.ok(want.length > 50, 'the seed makes enough users');
      assert.deepEqual(res.body.items, want.slice(0, 25));
      assert.equal(res.body.total_records, want.length);
      assert.equal(res.body.per_page, 25);
      assert.equal(res.body.last_record_number, 25, "the position of the page's last record");
      assert.deepEqual(Object.keys(res.body), ['items', 'total_records', 'last_record_number', 'per_page']);
    });

    test('money is exact and kyc_approved_at is left out unless approved', async () => {
      const res = await get('/users/member-001/');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        accounts: [
          { current_market_value: '0.10', kyc_approved_at: '2025-09-02T11:18:09Z', kyc_status: 'approved', product: 'crypto' },
          { current_market_value: '0.20', kyc_status: 'pending', product: 'securities' },
        ],
        total_current_market_value: '0.30',
        user_account_id: 'member-001',
      });
      const big = await get('/users/member-002/');
      assert.equal(big.body.total_current_market_value, '1000000000000000000.00');
      assert.equal(big.body.accounts[0].kyc_approved_at, '2025-08-14T17:02:31.250000Z');
      const noExt = records.find((r) => r.external_id === null)!;
      const byId = await get(`/users/${noExt.id}/`);
      assert.equal(byId.status, 200);
      assert.deepEqual(byId.body, { accounts: [{ current_market_value: '5.00', kyc_status: 'in_review', product: 'robo' }], total_current_market_value: '5.00', user_account_id: noExt.id });
    });

    test('detail: with or without the trailing slash; 404 for non-users', async () => {
      const some = users()[3];
      for (const path of [`/users/${userAccountId(some)}/`, `/users/${userAccountId(some)}`]) {
        const res = await get(path);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, render(some));
      }
      const deleted = records.find((r) => r.deleted && r.product_accounts.length > 0)!;
      for (const id of ['nobody', 'not-a-user', userAccountId(deleted)]) {
        const res = await get(`/users/${id}/`);
        assert.equal(res.status, 404, id);
        assert.deepEqual(res.body, { detail: 'User not found' });
      }
    });

    test('filters agree with the oracle, walked to the end', async () => {
      const some = users()[7];
      const times = users()
        .map((r) => r.created_at)
        .sort();
      const [from, to] = [times[Math.floor(times.length / 5)], times[Math.floor((times.length * 3) / 4)]];
      const cases: [string, (r: OracleRecord) => boolean][] = [
        ['product=crypto', (r) => r.product_accounts.some((p) => p.product === 'crypto')],
        ['product=roth_ira', (r) => r.product_accounts.some((p) => p.product === 'roth_ira')],
        ['crypto_kyc_status=approved', (r) => r.product_accounts.some((p) => p.product === 'crypto' && p.kyc_status === 'approved')],
        ['securities_kyc_status=pending', (r) => r.product_accounts.some((p) => p.product === 'securities' && p.kyc_status === 'pending')],
        ['roth_ira_kyc_status=rejected', (r) => r.product_accounts.some((p) => p.product === 'roth_ira' && p.kyc_status === 'rejected')],
        ['robo_kyc_status=in_review', (r) => r.product_accounts.some((p) => p.product === 'robo' && p.kyc_status === 'in_review')],
        [
          'product=robo&crypto_kyc_status=approved',
          (r) => r.product_accounts.some((p) => p.product === 'robo') && r.product_accounts.some((p) => p.product === 'crypto' && p.kyc_status === 'approved'),
        ],
        [`user_account_id=${userAccountId(some)}`, (r) => r === some],
        ['user_account_id=not-a-user', () => false],
        ['product=unknown', () => false],
        // created_at_start is inclusive and created_at_end exclusive: both bounds are record times.
        [`created_at_start=${encodeURIComponent(from)}&created_at_end=${encodeURIComponent(to)}`, (r) => r.created_at >= from && r.created_at < to],
        [`created_at_start=${from.slice(0, 10)}`, (r) => r.created_at >= `${from.slice(0, 10)}T00:00:00.000Z`],
        [`created_at_end=${new Date(to).getTime() / 1000}`, (r) => r.created_at < to],
      ];
      for (const [query, match] of cases) {
        const want = expected(match);
        const got = await walk(query, 9);
        assert.deepEqual(got.items, want, query);
        assert.equal(got.total, want.length, query);
      }
    });

    test('both sort keys in both orders walk every user once, in order', async () => {
      for (const sortKey of ['created_at', 'user_account_id'] as const) {
        for (const dir of ['asc', 'desc'] as const) {
          const got = await walk(`sort_key=${sortKey}&sort_order=${dir}`, 13);
          assert.deepEqual(
            got.items,
            expected(() => true, sortKey, dir),
            `${sortKey} ${dir}`,
          );
        }
      }
    });

    test('per_page bounds and an empty page keep the cursor', async () => {
      const all = expected(() => true);
      const one = await get('/users/?per_page=1');
      assert.deepEqual(one.body.items, all.slice(0, 1));
      const hundred = await get('/users/?per_page=100');
      assert.deepEqual(hundred.body.items, all.slice(0, 100));
      const end = await get(`/users/?last_record_number=${all.length}`);
      assert.deepEqual(end.body.items, []);
      assert.equal(end.body.last_record_number, all.length, 'an empty page keeps the position sent');
      const far = await get('/users/?last_record_number=99999999999999999999');
      assert.deepEqual([far.status, far.body.items], [200, []]);
      // Repeated scalar parameters: the last one counts, as in FastAPI.
      const repeated = await get('/users/?per_page=100&per_page=2');
      assert.deepEqual(repeated.body.items, all.slice(0, 2));
    });

    test('auth: x-api-key scoped to one account', async () => {
      const missing = await get('/users/', null);
      assert.equal(missing.status, 401);
      assert.deepEqual(missing.body, { detail: 'Not authenticated' });
      assert.equal(missing.headers.get('www-authenticate'), 'APIKey');
      const bad = await get('/users/', 'rk_test_nope');
      assert.equal(bad.status, 401);
      assert.deepEqual(bad.body, { detail: 'Invalid API key' });
      const bearer = await call(s.base, 'GET', `${P}/users/`, { key });
      assert.equal(bearer.status, 401, 'only x-api-key is accepted');
      // Auth comes before parameter validation, as FastAPI resolves security first.
      assert.equal((await get('/users/?per_page=0', null)).status, 401);
      const noScopes = await createApiKey(s.db, s.account.account_id, 'no scopes', []);
      const denied = await get('/users/', noScopes);
      assert.equal(denied.status, 403);
      assert.deepEqual(denied.body, { detail: 'Not enough permissions' });
      const writeOnly = await createApiKey(s.db, s.account.account_id, 'writer', ['write']);
      assert.equal((await get('/users/?per_page=1', writeOnly)).status, 200, 'write implies read');

      const other = await createAccount(s.db, 'Other FI', 'test');
      const theirs = await call(s.base, 'POST', '/v1/customers', {
        key: other.api_key,
        body: { external_id: 'member-001', product_accounts: [{ product: 'crypto', kyc_status: 'pending', current_market_value: '1.00' }] },
      });
      assert.equal(theirs.status, 201);
      const list = await get('/users/', other.api_key);
      assert.deepEqual(
        list.body.items.map((u: any) => u.total_current_market_value),
        ['1.00'],
      );
      assert.equal(list.body.total_records, 1);
      assert.equal((await get('/users/member-001/', other.api_key)).body.total_current_market_value, '1.00');
      assert.equal((await get('/users/member-002/', other.api_key)).status, 404);
    });

    test('the API is read-only; unknown paths are FastAPI 404s', async () => {
      const post = await call(s.base, 'POST', `${P}/users/`, { body: {} });
      assert.equal(post.status, 405);
      assert.deepEqual(post.body, { detail: 'Method Not Allowed' });
      for (const k of [key, null]) {
        const nowhere = await get('/orders/nope/deeper', k);
        assert.equal(nowhere.status, 404);
        assert.deepEqual(nowhere.body, { detail: 'Not Found' });
      }
    });
  });
}
