import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, type TestServer } from './support/stores.ts';
import { DakotaClient } from './support/dakota-contract.ts';
import { seed } from '../src/seed/load.ts';
import { runList } from '../src/store/list.ts';
import { listQuery } from '../src/core/list-query.ts';
import type { Customer } from '../src/core/model.ts';

// The page walk: 1,000+ customers, limit=7, under every sort_by in both sort directions,
// forward with starting_after and back with ending_before. Each record must appear exactly
// once, in the order the in-memory oracle computes, with has_more_* true exactly when records
// remain on that side.

const COUNT = 1050;
const LIMIT = 7;
const BUSINESS = new Set(['business', 'operator', 'operator_subsidiary']);

const SORT_VALUE: Record<string, (c: Customer) => string> = {
  application_status: (c) => c.application?.status ?? '',
  created_at: (c) => c.created_at,
  customer_type: (c) => (BUSINESS.has(c.type) ? 'business' : 'individual'),
  id: (c) => c.id,
  kyb_status: (c) => c.kyb_status,
  kyc_status: (c) => c.kyc_status,
  // lower(name), compared byte-wise (the store's C collation); the seed's names are ASCII.
  name: (c) => (c.name ?? '').toLowerCase(),
};

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function oracle(records: Customer[], key: string, dir: 'asc' | 'desc'): string[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...records].sort((a, b) => sign * (cmp(SORT_VALUE[key](a), SORT_VALUE[key](b)) || cmp(a.id, b.id))).map((c) => c.id);
}

for (const kind of STORES) {
  describe(`dakota walk (${kind})`, () => {
    let s: TestServer;
    let api: DakotaClient;
    let all: Customer[];

    before(async () => {
      s = await startTestServer(kind);
      await seed(s.db, { accountId: s.account.account_id, customers: COUNT, users: 0, seed: 7 });
      api = await DakotaClient.connect(s.base, s.account.api_key);
      const r = await runList<Customer>(s.db, s.account.account_id, listQuery({ resource: 'customers', page: { kind: 'keyset', limit: 10_000 } }));
      all = r.records;
      assert.ok(all.length >= 1000, `only ${all.length} live customers`);
    });
    after(() => s.close());

    for (const key of Object.keys(SORT_VALUE)) {
      for (const dir of ['asc', 'desc'] as const) {
        test(`sort_by=${key} sort_dir=${dir}`, async () => {
          const expected = oracle(all, key, dir);
          const seen: string[] = [];
          let cursor: string | undefined;
          let first = true;
          for (;;) {
            const q = `/customers?limit=${LIMIT}&sort_by=${key}&sort_dir=${dir}${cursor ? `&starting_after=${cursor}` : ''}`;
            const res = await api.call('GET', q);
            assert.equal(res.status, 200);
            const ids = res.body.data.map((c: { id: string }) => c.id);
            assert.deepEqual(ids, expected.slice(seen.length, seen.length + LIMIT), `page after ${cursor}`);
            assert.equal(res.body.meta.total_count, expected.length);
            assert.equal(res.body.meta.has_more_before, !first);
            seen.push(...ids);
            assert.equal(res.body.meta.has_more_after, seen.length < expected.length);
            first = false;
            if (!res.body.meta.has_more_after) break;
            cursor = ids.at(-1);
          }
          assert.deepEqual(seen, expected);
          assert.equal(new Set(seen).size, seen.length);

          // And back from the end with ending_before.
          const back: string[] = [];
          cursor = expected.at(-1);
          back.unshift(cursor!);
          for (;;) {
            const res = await api.call('GET', `/customers?limit=${LIMIT}&sort_by=${key}&sort_dir=${dir}&ending_before=${cursor}`);
            assert.equal(res.status, 200);
            const ids = res.body.data.map((c: { id: string }) => c.id);
            const end = expected.length - back.length;
            assert.deepEqual(ids, expected.slice(Math.max(0, end - LIMIT), end), `page before ${cursor}`);
            assert.equal(res.body.meta.has_more_after, true);
            back.unshift(...ids);
            assert.equal(res.body.meta.has_more_before, back.length < expected.length);
            if (!res.body.meta.has_more_before) break;
            cursor = ids[0];
          }
          assert.deepEqual(back, expected);
        });
      }
    }
  });
}
