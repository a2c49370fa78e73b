import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { storedCustomers, type StoredCustomer } from './support/records.ts';
import { type CUSTOMER_SORT, customersBy } from './support/order.ts';
import { walkBackward, walkForward, type Page } from './support/walk.ts';
import { seed } from '../src/seed/load.ts';
import { prng } from '../src/seed/generate.ts';

// The oracle: random filters, sorts and page walks, forward and back, compared with the same
// computation done in memory over the records read from the tables. No page may skip or
// repeat a record.

type Rec = StoredCustomer;

/** The native sort names, as canonical sort keys. */
const SORT: Record<string, keyof typeof CUSTOMER_SORT> = {
  id: 'id',
  number: 'number',
  name: 'name',
  type: 'type',
  kyb_status: 'kyb_status',
  kyc_status: 'kyc_status',
  application_status: 'application_status',
  owner_name: 'parent_name',
  operator_name: 'operator_name',
  created_at: 'created_at',
  updated_at: 'updated_at',
};

interface Case {
  params: Record<string, string>;
  match: (r: Rec) => boolean;
  includeDeleted: boolean;
}

function randomCase(rnd: () => number, all: Rec[]): Case {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const params: Record<string, string> = {};
  const preds: ((r: Rec) => boolean)[] = [];
  const choices = [
    () => {
      const types = [...new Set([pick(all).type, pick(all).type])];
      params.type = types.join(',');
      preds.push((r) => types.includes(r.type));
    },
    () => {
      const v = pick(all).kyb_status;
      params.kyb_status = v;
      preds.push((r) => r.kyb_status === v);
    },
    () => {
      const vs = [pick(all).kyc_status, pick(all).kyc_status];
      params.kyc_status = vs.join(',');
      preds.push((r) => vs.includes(r.kyc_status));
    },
    () => {
      const v = pick(all.filter((r) => r.application)).application!.status;
      params.application_status = v;
      preds.push((r) => r.application?.status === v);
    },
    () => {
      params.is_sub_client = 'true';
      preds.push((r) => r.is_sub_client === true);
    },
    () => {
      const a = pick(all).created_at;
      const b = pick(all).created_at;
      const [lo, hi] = a < b ? [a, b] : [b, a];
      params.created_at_gte = lo;
      params.created_at_lt = hi;
      preds.push((r) => r.created_at >= lo && r.created_at < hi);
    },
    () => {
      const p = pick(all.filter((r) => r.parent_id)).parent_id!;
      params.parent_id = p;
      preds.push((r) => r.parent_id === p);
    },
    () => {
      const p = pick(all.filter((r) => r.parent_id)).parent_id!;
      params.ancestor_id = p;
      preds.push((r) => r.ancestors.includes(p));
    },
    () => {
      const o = pick(all.filter((r) => r.operator_id)).operator_id!;
      params.operator_id = o;
      preds.push((r) => r.operator_id === o);
    },
    () => {
      const product = pick(['crypto', 'securities', 'robo', 'roth_ira']);
      params.product = product;
      preds.push((r) => r.product_accounts.some((p) => p.product === product));
    },
    () => {
      const source = pick(all);
      const field = pick(['name', 'email', 'external_id', 'id']);
      const value: string = (source[field as 'name'] ?? 'zz').toLowerCase();
      const start = Math.floor(rnd() * Math.max(1, value.length - 3));
      // Now and then a one- or two-character term, which matches the start of the name or email.
      const short = rnd() < 0.25;
      const term = short ? value.slice(0, 1 + Math.floor(rnd() * 2)) : value.slice(start, start + 3 + Math.floor(rnd() * 3));
      params.search = term;
      if ([...term].length < 3) preds.push((r) => [r.name, r.email].some((v) => (v ?? '').toLowerCase().startsWith(term)));
      else preds.push((r) => [r.name, r.first_name, r.last_name, r.email, r.phone_number, r.external_id, r.id].some((v) => (v ?? '').toLowerCase().includes(term)));
    },
  ];
  // Distinct choices: the same one twice would overwrite its parameter but keep both predicates.
  const n = Math.floor(rnd() * 3);
  const order = choices.map((c) => [rnd(), c] as const).sort((x, y) => x[0] - y[0]);
  for (let i = 0; i < n; i++) order[i][1]();
  const includeDeleted = rnd() < 0.3;
  if (includeDeleted) params.include_deleted = 'true';
  return { params, includeDeleted, match: (r) => (includeDeleted || !r.deleted_at) && preds.every((p) => p(r)) };
}

for (const kind of STORES) {
  describe(`native list oracle (${kind})`, () => {
    let s: TestServer;
    let all: Rec[];
    const get = async (q: Record<string, string>) => {
      const res = await call(s.base, 'GET', `/v1/customers?${new URLSearchParams(q)}`, { key: s.account.api_key });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };

    const page = async (q: Record<string, string>): Promise<Page & { body: any }> => {
      const body = await get(q);
      return { ids: body.data.map((r: { id: string }) => r.id), hasMoreAfter: body.has_more_after, hasMoreBefore: body.has_more_before, body };
    };

    before(async () => {
      s = await startTestServer(kind);
      await seed(s.db, { accountId: s.account.account_id, customers: 700, users: 0, seed: 7 });
      all = await storedCustomers(s.db, s.account.account_id);
      assert.equal(all.length, 700);
    });
    after(() => s.close());

    test('random filters, sorts and walks match the in-memory oracle', async () => {
      const rnd = prng(kind === 'pglite' ? 11 : 12);
      const keys = Object.keys(SORT);
      for (let round = 0; round < 30; round++) {
        const c = randomCase(rnd, all);
        const sort = Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => ({ key: keys[Math.floor(rnd() * keys.length)], dir: rnd() < 0.5 ? 'asc' : ('desc' as const) })).filter(
          (t, i, xs) => xs.findIndex((u) => u.key === t.key) === i,
        ) as { key: string; dir: 'asc' | 'desc' }[];
        const expected = customersBy(all.filter(c.match), ...sort.map((t) => ({ key: SORT[t.key], dir: t.dir }))).map((r) => r.id);
        const limit = 1 + Math.floor(rnd() * 40);
        const base = { ...c.params, sort: sort.map((t) => (t.dir === 'desc' ? '-' : '') + t.key).join(','), limit: String(limit) };
        const what = JSON.stringify(base);

        const first = await page({ ...base, count: 'true' });
        assert.equal(first.body.total_count, expected.length, `count ${what}`);
        // Forward, alternating id anchors and opaque cursors.
        await walkForward(
          what,
          expected,
          async () => first,
          (p, i) => page(i % 2 ? { ...base, cursor: p.body.next_cursor } : { ...base, starting_after: p.ids.at(-1)! }),
          limit,
        );
        // Backward from the last record.
        if (expected.length > 1) {
          await walkBackward(
            what,
            expected,
            () => page({ ...base, ending_before: expected.at(-1)! }),
            (p, i) => page(i % 2 ? { ...base, cursor: p.body.prev_cursor } : { ...base, ending_before: p.ids[0] }),
            limit,
          );
        }
      }
    });
  });
}
