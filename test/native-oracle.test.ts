import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { seed } from '../src/seed/load.ts';
import { prng } from '../src/seed/generate.ts';

// The oracle: random filters, sorts and page walks, forward and back, compared with the same
// computation done in memory over the same records. No page may skip or repeat a record.

type Rec = Record<string, any>;

const SORT_VALUE: Record<string, (r: Rec) => string | number> = {
  id: (r) => r.id,
  number: (r) => r.number,
  name: (r) => (r.name ?? '').toLowerCase(),
  type: (r) => r.type,
  kyb_status: (r) => r.kyb_status,
  kyc_status: (r) => r.kyc_status,
  application_status: (r) => r.application?.status ?? '',
  owner_name: (r) => (r.parent_name ?? '').toLowerCase(),
  operator_name: (r) => (r.operator_name ?? '').toLowerCase(),
  created_at: (r) => r.created_at,
  updated_at: (r) => r.updated_at,
};

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

function oracleSort(records: Rec[], sort: { key: string; dir: 'asc' | 'desc' }[]) {
  const terms = sort.some((t) => t.key === 'id') ? sort : [...sort, { key: 'id', dir: sort.at(-1)!.dir }];
  return [...records].sort((a, b) => {
    for (const t of terms) {
      const c = cmp(SORT_VALUE[t.key](a), SORT_VALUE[t.key](b));
      if (c !== 0) return t.dir === 'asc' ? c : -c;
    }
    return 0;
  });
}

interface Case {
  params: Record<string, string>;
  match: (r: Rec) => boolean;
  includeDeleted: boolean;
}

function randomCase(rnd: () => number, all: Rec[]): Case {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const params: Record<string, string> = {};
  const preds: ((r: Rec) => boolean)[] = [];
  const byId = new Map(all.map((r) => [r.id, r]));
  const ancestorsOf = (r: Rec) => {
    const out: string[] = [];
    for (let p = r.parent_id; p; p = byId.get(p)?.parent_id) out.push(p);
    return out;
  };
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
      const v = pick(all.filter((r) => r.application)).application.status;
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
      const p = pick(all.filter((r) => r.parent_id)).parent_id;
      params.parent_id = p;
      preds.push((r) => r.parent_id === p);
    },
    () => {
      const p = pick(all.filter((r) => r.parent_id)).parent_id;
      params.ancestor_id = p;
      preds.push((r) => ancestorsOf(r).includes(p));
    },
    () => {
      const o = pick(all.filter((r) => r.operator_id)).operator_id;
      params.operator_id = o;
      preds.push((r) => r.operator_id === o);
    },
    () => {
      const product = pick(['crypto', 'securities', 'robo', 'roth_ira']);
      params.product = product;
      preds.push((r) => r.product_accounts.some((p: Rec) => p.product === product));
    },
    () => {
      const source = pick(all);
      const field = pick(['name', 'email', 'external_id', 'id']);
      const value: string = (source[field] ?? 'zz').toLowerCase();
      const start = Math.floor(rnd() * Math.max(1, value.length - 3));
      // Now and then a one- or two-character term, which matches the start of the name or email.
      const short = rnd() < 0.25;
      const term = short ? value.slice(0, 1 + Math.floor(rnd() * 2)) : value.slice(start, start + 3 + Math.floor(rnd() * 3));
      params.search = term;
      if ([...term].length < 3) preds.push((r) => ['name', 'email'].some((f) => (r[f] ?? '').toLowerCase().startsWith(term)));
      else preds.push((r) => ['name', 'first_name', 'last_name', 'email', 'phone_number', 'external_id', 'id'].some((f) => (r[f] ?? '').toLowerCase().includes(term)));
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

    before(async () => {
      s = await startTestServer(kind);
      await seed(s.db, { accountId: s.account.account_id, customers: 700, users: 0, seed: 7 });
      all = [];
      let after: string | undefined;
      for (;;) {
        const page = await get({ limit: '100', include_deleted: 'true', sort: 'number', ...(after ? { starting_after: after } : {}) });
        all.push(...page.data);
        if (!page.has_more_after) break;
        after = page.data.at(-1).id;
      }
      assert.equal(all.length, 700);
    });
    after(() => s.close());

    test('random filters, sorts and walks match the in-memory oracle', async () => {
      const rnd = prng(kind === 'pglite' ? 11 : 12);
      const keys = Object.keys(SORT_VALUE);
      for (let round = 0; round < 30; round++) {
        const c = randomCase(rnd, all);
        const sort = Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => ({ key: keys[Math.floor(rnd() * keys.length)], dir: rnd() < 0.5 ? 'asc' : 'desc' as const }))
          .filter((t, i, xs) => xs.findIndex((u) => u.key === t.key) === i) as { key: string; dir: 'asc' | 'desc' }[];
        const expected = oracleSort(all.filter(c.match), sort).map((r) => r.id);
        const limit = 1 + Math.floor(rnd() * 40);
        const base = { ...c.params, sort: sort.map((t) => (t.dir === 'desc' ? '-' : '') + t.key).join(','), limit: String(limit) };
        const what = JSON.stringify(base);

        // Forward, alternating id anchors and opaque cursors.
        const seen: string[] = [];
        let page = await get({ ...base, count: 'true' });
        assert.equal(page.total_count, expected.length, `count ${what}`);
        assert.equal(page.has_more_before, false, `first page has nothing before ${what}`);
        for (let i = 0; ; i++) {
          seen.push(...page.data.map((r: Rec) => r.id));
          assert.equal(page.has_more_after, seen.length < expected.length, `has_more_after ${what}`);
          if (!page.has_more_after) break;
          page = await get(i % 2 ? { ...base, cursor: page.next_cursor } : { ...base, starting_after: page.data.at(-1).id });
          assert.equal(page.has_more_before, true, `has_more_before ${what}`);
        }
        assert.deepEqual(seen, expected, `forward walk ${what}`);

        // Backward from the last record.
        if (expected.length > 1) {
          const back: string[] = [];
          let p = await get({ ...base, ending_before: expected.at(-1)! });
          for (let i = 0; ; i++) {
            back.unshift(...p.data.map((r: Rec) => r.id));
            assert.equal(p.has_more_after, true, `backward pages have the anchor after them ${what}`);
            assert.equal(p.has_more_before, back.length < expected.length - 1, `has_more_before backward ${what}`);
            if (!p.has_more_before) break;
            p = await get(i % 2 ? { ...base, cursor: p.prev_cursor } : { ...base, ending_before: p.data[0].id });
          }
          assert.deepEqual(back, expected.slice(0, -1), `backward walk ${what}`);
        }
      }
    });
  });
}
