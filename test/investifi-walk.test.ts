import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { seed } from '../src/seed/load.ts';
import { createdRecord, isUser, oracleOrder, render, seededRecords, type OracleRecord } from './support/investifi-oracle.ts';

// The last_record_number walk, in both styles partner code uses: passing back what the previous
// response said, and reading it as a position that reaches total_records on the last page. It
// is a position (an offset) in the requested order, like the vendor's: a walk over a quiet
// account returns every user once; users written in front of the position during a walk shift
// the pages after it (README, "Pagination").

const P = '/investifi/v1';
const PER_PAGE = 8;

for (const kind of STORES) {
  describe(`investifi cursor walk (${kind})`, () => {
    let s: TestServer;
    let records: OracleRecord[];
    let serial = 0;

    const addUser = async (externalId: string) => {
      const res = await call(s.base, 'POST', '/v1/customers', {
        key: s.account.api_key,
        body: { external_id: externalId, product_accounts: [{ product: 'crypto', kyc_status: 'pending', current_market_value: `${++serial}.05` }] },
      });
      assert.equal(res.status, 201);
      const r = createdRecord(res.body);
      records.push(r);
      return r;
    };

    /** Walks from 0 until a short page, calling `between` after every full page. */
    async function walk(query: string, between: (page: number, position: number) => Promise<void> = async () => {}) {
      const items: any[] = [];
      let position = 0;
      for (let page = 0; page < 500; page++) {
        const res = await call(s.base, 'GET', `${P}/users/?${query}&per_page=${PER_PAGE}&last_record_number=${position}`, { headers: { 'x-api-key': s.account.api_key } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        items.push(...res.body.items);
        assert.equal(res.body.last_record_number, position + res.body.items.length, "the position of the page's last record");
        if (res.body.items.length < PER_PAGE) return { items, total: res.body.total_records };
        position = res.body.last_record_number;
        await between(page, position);
      }
      throw new Error('walk did not end');
    }

    const ids = (items: any[]) => items.map((u) => u.user_account_id);
    const noRepeats = (items: any[]) => assert.equal(new Set(ids(items)).size, items.length, 'no user is returned twice');

    before(async () => {
      s = await startTestServer(kind);
      await seed(s.db, { accountId: s.account.account_id, customers: 150, users: 0, seed: 5 });
      records = seededRecords(150, 5, 1);
    });
    after(() => s.close());

    test('a quiet walk, either style: every user once, in order, and the position reaches total_records', async () => {
      for (const [query, key, dir] of [
        ['sort_order=desc', 'created_at', 'desc'],
        ['sort_order=asc', 'created_at', 'asc'],
        ['sort_key=user_account_id&sort_order=asc', 'user_account_id', 'asc'],
      ] as const) {
        const want = oracleOrder(records.filter(isUser), key, dir).map(render);
        const { items } = await walk(query);
        noRepeats(items);
        assert.deepEqual(items, want, query);
        // The other style: `while last_record_number < total_records`.
        const seen: any[] = [];
        let position = 0;
        for (let total = Infinity; position < total; ) {
          const res = await call(s.base, 'GET', `${P}/users/?${query}&per_page=${PER_PAGE}&last_record_number=${position}`, { headers: { 'x-api-key': s.account.api_key } });
          seen.push(...res.body.items);
          total = res.body.total_records;
          assert.ok(res.body.last_record_number > position || res.body.items.length === 0, 'the loop advances');
          position = res.body.last_record_number;
        }
        assert.deepEqual(seen, want, `${query}, read as a position`);
        assert.equal(position, want.length);
      }
    });

    test('newest first: users created during the walk shift it by as many, and no user that existed is lost', async () => {
      const snapshot = oracleOrder(records.filter(isUser), 'created_at', 'desc');
      let inserted = 0;
      const { items } = await walk('sort_order=desc', async (page) => {
        await addUser(`new-desc-${page}`);
        inserted++;
      });
      const got = ids(items);
      for (const r of snapshot) assert.ok(got.includes(r.external_id), `${r.external_id} returned`);
      // Each insert in front of the position returns one user a second time, as an offset does.
      assert.equal(items.length, snapshot.length + inserted);
    });
  });
}
