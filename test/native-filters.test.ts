import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { storedCustomers, type StoredCustomer } from './support/records.ts';
import { clockPast } from './support/clock.ts';
import { customersBy } from './support/order.ts';
import { seed } from '../src/seed/load.ts';
import { prng } from '../src/seed/generate.ts';
import { inAccount } from '../src/store/db.ts';
import { createTag } from '../src/store/tags-repo.ts';
import { createToken, deleteToken } from '../src/store/tokens-repo.ts';

// The /v1 list filters through HTTP, each against the in-memory oracle over the records read
// from the tables: updated_since, tag_id, token_value, attributes_keys, product and
// product_kyc_status, country, status, has_application and has_children. Every value is drawn from the data,
// and every check is of the whole list, in order, with its exact count.

type C = StoredCustomer;

for (const kind of STORES) {
  describe(`native list filters (${kind})`, () => {
    let s: TestServer;
    let all: C[];
    const rnd = prng(kind === 'pglite' ? 31 : 32);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const acct = () => s.account.account_id;
    const key = () => s.account.api_key;
    const reload = async () => {
      all = await storedCustomers(s.db, acct());
    };

    /** Every record the list returns for `params`, page by page, with the count it reports. */
    async function listAll(params: Record<string, string>) {
      const ids: string[] = [];
      let total = -1;
      for (let cursor: string | undefined; ; ) {
        const q = new URLSearchParams({ ...params, limit: '100', count: 'true', ...(cursor ? { cursor } : {}) });
        const res = await call(s.base, 'GET', `/v1/customers?${q}`, { key: key() });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        ids.push(...res.body.data.map((r: C) => r.id));
        total = res.body.total_count;
        if (!res.body.has_more_after) break;
        cursor = res.body.next_cursor;
      }
      return { ids, total };
    }

    /** The list for `params` is the live records `match` keeps, oldest first (or `expected` as given). */
    async function check(params: Record<string, string>, match: (c: C) => boolean, opts: { nonEmpty?: boolean; records?: C[] } = {}) {
      const want = customersBy(opts.records ?? all.filter((c) => !c.deleted_at && match(c)), { key: 'created_at', dir: 'asc' }).map((c) => c.id);
      if (opts.nonEmpty !== false) assert.ok(want.length > 0, `the oracle finds nothing for ${JSON.stringify(params)}: a test that cannot fail`);
      const got = await listAll(params);
      assert.deepEqual(got.ids, want, JSON.stringify(params));
      assert.equal(got.total, want.length, `total_count ${JSON.stringify(params)}`);
    }

    before(async () => {
      s = await startTestServer(kind);
      await seed(s.db, { accountId: acct(), customers: 300, users: 0, seed: 21 });
      await reload();
      const live = all.filter((c) => !c.deleted_at);
      // Statuses, tags and attributes written through /v1, tokens through the store.
      for (const c of live.filter(() => rnd() < 0.15)) {
        const res = await call(s.base, 'PATCH', `/v1/customers/${c.id}`, { key: key(), body: { status: pick(['gold', 'silver', 'bronze']) } });
        assert.equal(res.status, 200);
      }
      const [vip, risk] = await inAccount(s.db, acct(), async (tx) => [await createTag(tx, acct(), { tag: 'VIP' }), await createTag(tx, acct(), { tag: 'Risk' })]);
      await inAccount(s.db, acct(), (tx) => createTag(tx, acct(), { tag: 'Unused' }));
      for (const c of live.filter(() => rnd() < 0.1)) {
        const tags = rnd() < 0.5 ? [vip.id] : [vip.id, risk.id];
        assert.equal((await call(s.base, 'PATCH', `/v1/customers/${c.id}`, { key: key(), body: { tags } })).status, 200);
      }
      await inAccount(s.db, acct(), async (tx) => {
        for (const c of live.filter(() => rnd() < 0.08)) await createToken(tx, acct(), c.id, { type: 'card', value: pick(['tok-a', 'tok-b', `tok-${c.number}`]) });
        const gone = live.find((c) => !c.parent_id)!;
        const t = await createToken(tx, acct(), gone.id, { type: 'card', value: 'tok-deleted' });
        await deleteToken(tx, acct(), gone.id, t.token_id);
      });
      await reload();
    });
    after(() => s.close());

    test('country, one or several', async () => {
      const countries = [...new Set(all.map((c) => c.country).filter((x): x is string => !!x))];
      const one = pick(countries);
      await check({ country: one }, (c) => c.country === one);
      const two = [one, pick(countries.filter((x) => x !== one))];
      await check({ country: two.join(',') }, (c) => two.includes(c.country ?? ''));
      await check({ country: 'ZZ' }, () => false, { nonEmpty: false });
    });

    test('status, one or several', async () => {
      const statuses = [...new Set(all.map((c) => c.status).filter((x): x is string => !!x))];
      assert.ok(statuses.length >= 2);
      await check({ status: statuses[0] }, (c) => c.status === statuses[0]);
      await check({ status: statuses.slice(0, 2).join(',') }, (c) => statuses.slice(0, 2).includes(c.status ?? ''));
    });

    test('has_application, either way', async () => {
      await check({ has_application: 'true' }, (c) => c.application !== null);
      await check({ has_application: 'false' }, (c) => c.application === null);
      await check({ has_application: 'true', application_status: 'submitted' }, (c) => c.application?.status === 'submitted');
    });

    test('product, product_kyc_status, and the two together on one product account', async () => {
      const held = all.flatMap((c) => c.product_accounts);
      const { product, kyc_status } = pick(held);
      await check({ product }, (c) => c.product_accounts.some((p) => p.product === product));
      await check({ product_kyc_status: kyc_status }, (c) => c.product_accounts.some((p) => p.kyc_status === kyc_status));
      const other = pick([...new Set(held.map((p) => p.kyc_status))].filter((k) => k !== kyc_status));
      await check({ product, product_kyc_status: `${kyc_status},${other}` }, (c) => c.product_accounts.some((p) => p.product === product && [kyc_status, other].includes(p.kyc_status)));
    });

    test('tag_id', async () => {
      const tagged = all.filter((c) => c.tags.length > 0);
      const counts = new Map<string, number>();
      for (const t of tagged.flatMap((c) => c.tags)) counts.set(t, (counts.get(t) ?? 0) + 1);
      const [many, fewer] = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([t]) => t);
      await check({ tag_id: many }, (c) => c.tags.includes(many));
      await check({ tag_id: fewer }, (c) => c.tags.includes(fewer));
      const [unused] = await s.db.query<{ id: string }>(`SELECT id::text AS id FROM tags WHERE account_id = $1 AND tag = 'Unused'`, [acct()]);
      await check({ tag_id: unused.id }, () => false, { nonEmpty: false });
      assert.equal((await call(s.base, 'GET', '/v1/customers?tag_id=not-a-uuid', { key: key() })).status, 400);
    });

    test('token_value: live tokens only', async () => {
      for (const value of ['tok-a', 'tok-b'])
        await check({ token_value: value }, (c) => c.tokens.some((t) => t.value === value), { nonEmpty: all.some((c) => c.tokens.some((t) => t.value === value)) });
      const own = pick(all.flatMap((c) => c.tokens).filter((t) => !['tok-a', 'tok-b'].includes(t.value)));
      await check({ token_value: own.value }, (c) => c.tokens.some((t) => t.value === own.value));
      await check({ token_value: 'tok-deleted' }, () => false, { nonEmpty: false });
    });

    test('attributes_keys: every key named', async () => {
      const keys = [...new Set(all.flatMap((c) => Object.keys(c.attributes)))];
      assert.ok(keys.length >= 2);
      const has = (c: C, k: string) => Object.hasOwn(c.attributes, k);
      const one = pick(keys);
      await check({ attributes_keys: one }, (c) => has(c, one));
      const pair = [one, ...keys.filter((k) => k !== one && all.some((c) => has(c, one) && has(c, k)))].slice(0, 2);
      await check({ attributes_keys: pair.join(',') }, (c) => pair.every((k) => has(c, k)));
    });

    test('has_children: owners of a live customer, or not', async () => {
      const owners = new Set(all.filter((c) => !c.deleted_at && c.parent_id).map((c) => c.parent_id));
      assert.ok(
        all.some((c) => !c.deleted_at && c.parent_id && all.some((k) => k.parent_id === c.parent_id && k.deleted_at)),
        'some owners have deleted customers too',
      );
      await check({ has_children: 'true' }, (c) => owners.has(c.id));
      await check({ has_children: 'false' }, (c) => !owners.has(c.id));
      await check({ has_children: 'true', type: 'operator' }, (c) => owners.has(c.id) && c.type === 'operator');
    });

    test('updated_since: changed at or after the instant, deleted ones too, by updated_at', async () => {
      const byUpdate = customersBy(all, { key: 'updated_at', dir: 'asc' });
      const since = byUpdate[Math.floor(byUpdate.length * 0.8)].updated_at;
      const expected = () =>
        customersBy(
          all.filter((c) => c.updated_at >= since),
          { key: 'updated_at', dir: 'asc' },
        ).map((c) => c.id);
      const walk = async () => (await listAll({ updated_since: since })).ids;
      assert.deepEqual(await walk(), expected());
      // Records changed and deleted now move to the end of the sync, however old they were.
      const [changed, deleted] = byUpdate.filter((c) => !c.deleted_at && !all.some((k) => k.parent_id === c.id));
      await clockPast(byUpdate.at(-1)!.updated_at);
      const patched = await call(s.base, 'PATCH', `/v1/customers/${changed.id}`, { key: key(), body: { status: 'touched' } });
      assert.equal(patched.status, 200);
      await clockPast(patched.body.updated_at);
      assert.equal((await call(s.base, 'DELETE', `/v1/customers/${deleted.id}`, { key: key() })).status, 200);
      await reload();
      const got = await walk();
      assert.deepEqual(got.slice(-2), [changed.id, deleted.id]);
      assert.deepEqual(got, expected());
    });
  });
}
