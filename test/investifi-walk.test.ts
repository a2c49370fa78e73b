import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { seed } from '../src/seed/load.ts';
import { createdRecord, isUser, oracleOrder, render, seededRecords, type OracleRecord } from './support/investifi-oracle.ts';

// The last_record_number walk under concurrent writes: from 0 until a short page, every user
// that existed throughout comes back exactly once and in order, whatever is inserted (or
// deleted behind the cursor) between pages.

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

    /** Walks from 0, calling `between` after every full page. */
    async function walk(query: string, between: (page: number, cursor: number) => Promise<void>) {
      const items: any[] = [];
      let cursor = 0;
      for (let page = 0; page < 500; page++) {
        const res = await call(s.base, 'GET', `${P}/users/?${query}&per_page=${PER_PAGE}&last_record_number=${cursor}`, { headers: { 'x-api-key': s.account.api_key } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        items.push(...res.body.items);
        if (res.body.items.length < PER_PAGE) return items;
        assert.notEqual(res.body.last_record_number, cursor, 'a full page moves the cursor');
        cursor = res.body.last_record_number;
        await between(page, cursor);
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

    test('newest first: inserts land before the cursor and never shift a page', async () => {
      const snapshot = oracleOrder(records.filter(isUser), 'created_at', 'desc');
      const items = await walk('sort_order=desc', async (page, cursor) => {
        await addUser(`new-desc-${page}`);
        await addUser(`new-desc-${page}-b`);
        // The record the cursor names is deleted: it still marks the position.
        if (page === 2) {
          const anchor = records.find((r) => r.number === cursor)!;
          assert.equal((await call(s.base, 'DELETE', `/v1/customers/${anchor.id}`, { key: s.account.api_key })).status, 200);
          anchor.deleted = true;
        }
      });
      noRepeats(items);
      assert.deepEqual(items, snapshot.map(render));
    });

    test('oldest first: inserts land ahead of the cursor and each comes back once', async () => {
      const snapshot = oracleOrder(records.filter(isUser), 'created_at', 'asc');
      const added: OracleRecord[] = [];
      const items = await walk('sort_order=asc', async (page) => {
        added.push(await addUser(`new-asc-${page}`));
      });
      noRepeats(items);
      assert.deepEqual(items, [...snapshot, ...added].map(render));
    });

    test('by user_account_id: inserts behind the cursor are skipped, ahead are returned once', async () => {
      const snapshot = oracleOrder(records.filter(isUser), 'user_account_id', 'asc');
      const ahead: OracleRecord[] = [];
      const items = await walk('sort_key=user_account_id&sort_order=asc', async (page) => {
        await addUser(`aaa-behind-${page}`);
        ahead.push(await addUser(`zzz-ahead-${String(page).padStart(3, '0')}`));
        // Between existing ids: ahead of the cursor until the walk passes it.
        await addUser(`ext-0000075-${page}`);
      });
      noRepeats(items);
      const got = ids(items);
      assert.ok(!got.some((id) => id.startsWith('aaa-behind-')), 'inserted behind the cursor');
      // Every user that existed throughout, in order, and every insert ahead of the cursor.
      const existing = new Set(snapshot.map((r) => r.external_id));
      assert.deepEqual(got.filter((id) => existing.has(id)), snapshot.map((r) => r.external_id));
      assert.deepEqual(got.filter((id) => id.startsWith('zzz-ahead-')), ahead.map((r) => r.external_id));
      assert.deepEqual(got, [...got].sort(), 'in order');
    });
  });
}
