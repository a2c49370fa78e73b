import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { storedCustomers, storedUsers, type StoredCustomer } from './support/records.ts';
import { seed } from '../src/seed/load.ts';
import { prng } from '../src/seed/generate.ts';
import type { User } from '../src/core/model.ts';
import { inAccount } from '../src/store/db.ts';
import { createTag } from '../src/store/tags-repo.ts';

// Field selection, expansion and count modes of the native API on both stores: a narrow record
// is the full record cut down to exactly the named keys, walked by cursor whether or not the
// sort key is among them; an expanded record is the related record as its own GET returns it;
// counts match the records read from the tables, and an estimate says it is one.

type Rec = Record<string, unknown>;
const pick = (r: Rec, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, r[k]]));

for (const kind of STORES) {
  describe(`native fields, expand and count modes (${kind})`, () => {
    let s: TestServer;
    let customers: StoredCustomer[];
    let users: User[];
    const rnd = prng(kind === 'pglite' ? 7 : 8);
    const get = (path: string) => call(s.base, 'GET', path, { key: s.account.api_key });

    /** Every record of a list, page by page through its cursors. */
    async function walk(path: string, params: Record<string, string>): Promise<Rec[]> {
      const out: Rec[] = [];
      for (let cursor: string | undefined; ; ) {
        const q = new URLSearchParams({ ...params, ...(cursor ? { cursor } : {}) });
        const res = await get(`${path}?${q}`);
        assert.equal(res.status, 200, `${q}: ${JSON.stringify(res.body)}`);
        out.push(...res.body.data);
        if (!res.body.has_more_after) return out;
        cursor = res.body.next_cursor;
      }
    }

    before(async () => {
      s = await startTestServer(kind);
      await seed(s.db, { accountId: s.account.account_id, customers: 240, users: 25, seed: 17 });
      const tag = await inAccount(s.db, s.account.account_id, (tx) => createTag(tx, s.account.account_id, { tag: 'vip' }));
      const tagged = (await get('/v1/customers?limit=5')).body.data as Rec[];
      for (const c of tagged) {
        const res = await call(s.base, 'PATCH', `/v1/customers/${c.id}`, { key: s.account.api_key, body: { tags: [tag.id] } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
      }
      customers = await storedCustomers(s.db, s.account.account_id);
      users = await storedUsers(s.db, s.account.account_id);
      // Statistics as autovacuum would leave them, for the planner's estimates.
      await s.db.query('ANALYZE customers');
    });
    after(() => s.close());

    test("fields= returns exactly the named keys with the full record's values, through every page", async () => {
      const sorts = ['-name', 'created_at', 'kyb_status,-number'];
      const all = Object.keys((await get('/v1/customers?limit=1')).body.data[0]);
      const sets = [['id', 'name', 'email', 'product_accounts'], ['tags'], ['email', 'product_accounts', 'created_at'], ['number', 'metadata', 'operator_name']];
      for (let i = 0; i < 3; i++) sets.push(all.filter(() => rnd() < 0.3).concat('uuid'));
      for (const [i, fields] of sets.entries()) {
        const sort = sorts[i % sorts.length];
        const full = await walk('/v1/customers', { sort, limit: '17' });
        const narrow = await walk('/v1/customers', { sort, limit: '17', fields: fields.join(',') });
        assert.equal(full.length, customers.filter((c) => !c.deleted_at).length);
        const wanted = [...new Set(fields)].sort();
        for (const r of narrow) assert.deepEqual(Object.keys(r).sort(), wanted, `fields=${fields}`);
        // Same records, same order, same values: the cursors of a narrow page (sort keys left
        // out of the record) walk the same list.
        assert.deepEqual(
          narrow,
          full.map((r) => pick(r, wanted)),
          `fields=${fields} sort=${sort}`,
        );
      }
      assert.ok(customers.some((c) => c.tags.length > 0) && customers.some((c) => c.product_accounts.length > 0), 'child rows to select exist');
    });

    test('fields= on a single customer, on users and on a single user', async () => {
      const c = customers.find((x) => !x.deleted_at && x.product_accounts.length > 0)!;
      const full = (await get(`/v1/customers/${c.id}`)).body;
      const narrow = await get(`/v1/customers/${c.id}?fields=product_accounts,name`);
      assert.equal(narrow.status, 200);
      assert.deepEqual(narrow.body, pick(full, ['name', 'product_accounts']));
      assert.deepEqual(narrow.body.product_accounts, c.product_accounts, 'as the tables hold them');

      const fullUsers = await walk('/v1/users', { sort: 'email', limit: '6' });
      const narrowUsers = await walk('/v1/users', { sort: 'email', limit: '6', fields: 'role,first_name' });
      assert.equal(fullUsers.length, users.filter((u) => !u.deleted_at).length);
      assert.deepEqual(
        narrowUsers,
        fullUsers.map((u) => pick(u, ['first_name', 'role'])),
      );
      const u = users.find((x) => !x.deleted_at)!;
      const one = await get(`/v1/users/${u.id}?fields=email,swift_enabled`);
      assert.deepEqual(one.body, { email: u.email, swift_enabled: u.swift_enabled });
      assert.deepEqual((await get(`/v1/users/${u.id}`)).body, u, 'without fields: the whole record');
    });

    test('expand=parent,operator embeds each related record as its own GET returns it', async () => {
      const list = await walk('/v1/customers', { expand: 'parent,operator', fields: 'id,parent_id,operator_id', limit: '50' });
      const byId = new Map(customers.map((c) => [c.id, c]));
      let parents = 0;
      let operators = 0;
      const own = new Map<string, unknown>();
      const getOwn = async (id: string) => {
        if (!own.has(id)) own.set(id, (await get(`/v1/customers/${id}`)).body);
        return own.get(id);
      };
      for (const r of list) {
        assert.deepEqual(Object.keys(r).sort(), ['id', 'operator', 'operator_id', 'parent', 'parent_id']);
        const stored = byId.get(r.id as string)!;
        assert.equal(r.parent_id, stored.parent_id);
        assert.equal(r.operator_id, stored.operator_id, 'the nearest operator, worked out from the parent links');
        if (stored.parent_id === null) assert.equal(r.parent, null);
        else {
          parents++;
          assert.deepEqual(r.parent, await getOwn(stored.parent_id));
        }
        if (stored.operator_id === null) assert.equal(r.operator, null);
        else {
          operators++;
          assert.deepEqual(r.operator, await getOwn(stored.operator_id));
        }
      }
      assert.ok(parents > 10 && operators > 10 && list.some((r) => r.parent === null), `${parents} parents, ${operators} operators`);

      const child = customers.find((c) => !c.deleted_at && c.operator_id && c.parent_id !== c.operator_id)!;
      const one = (await get(`/v1/customers/${child.id}?expand=operator`)).body;
      assert.deepEqual(one.operator, await getOwn(child.operator_id!));
      assert.equal(one.parent, undefined, 'only what is asked for');
      assert.deepEqual({ ...one, operator: undefined }, { ...((await getOwn(child.id)) as Rec), operator: undefined });
    });

    test('count=exact|true|estimated|none|false', async () => {
      const live = customers.filter((c) => !c.deleted_at);
      const total = async (params: Record<string, string>) => {
        const res = await get(`/v1/customers?${new URLSearchParams({ limit: '1', ...params })}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return { total: res.body.total_count, estimated: res.body.total_count_estimated };
      };
      assert.deepEqual(await total({}), { total: undefined, estimated: undefined }, 'no count by default');
      assert.deepEqual(await total({ count: 'none' }), { total: undefined, estimated: undefined });
      assert.deepEqual(await total({ count: 'false' }), { total: undefined, estimated: undefined });
      assert.deepEqual(await total({ count: 'exact' }), { total: live.length, estimated: undefined });
      assert.deepEqual(await total({ count: 'true' }), { total: live.length, estimated: undefined });
      // The kept counters answer these exactly, so an estimate is the exact count and says so.
      assert.deepEqual(await total({ count: 'estimated' }), { total: live.length, estimated: false });
      const active = live.filter((c) => c.kyb_status === 'active').length;
      assert.deepEqual(await total({ count: 'estimated', kyb_status: 'active' }), { total: active, estimated: false });

      // Anything else is the planner's estimate: near the exact count on analyzed statistics.
      const times = live.map((c) => c.created_at).sort();
      const since = times[Math.floor(times.length / 3)];
      const exact = live.filter((c) => c.created_at >= since).length;
      const guess = await total({ count: 'estimated', 'created_at[gte]': since });
      assert.equal(guess.estimated, true);
      assert.ok(Number.isInteger(guess.total) && Math.abs(guess.total - exact) <= exact * 0.25, `estimate ${guess.total}, exact ${exact}`);
      assert.deepEqual(await total({ count: 'exact', 'created_at[gte]': since }), { total: exact, estimated: undefined });
      // An exact count cached at the account's current write version answers an estimate too.
      assert.deepEqual(await total({ count: 'estimated', 'created_at[gte]': since }), { total: exact, estimated: false });
      const c = live.find((x) => x.created_at >= since)!;
      assert.equal((await call(s.base, 'PATCH', `/v1/customers/${c.id}`, { key: s.account.api_key, body: { status: 'moved' } })).status, 200);
      assert.equal((await total({ count: 'estimated', 'created_at[gte]': since })).estimated, true, 'after a write the cached count is not current');
      // A search is counted exactly in every mode: the planner cannot estimate its candidates.
      const term = live.find((x) => x.email)!.email!.split('@')[0];
      const searched = live.filter((x) => [x.name, x.first_name, x.last_name, x.email, x.phone_number, x.external_id, x.id].some((v) => v?.toLowerCase().includes(term.toLowerCase()))).length;
      assert.deepEqual(await total({ count: 'estimated', search: term }), { total: searched, estimated: false });
      const users = await get('/v1/users?count=estimated&role[neq]=admin');
      assert.equal(users.body.total_count_estimated, true);
      assert.ok(Number.isInteger(users.body.total_count));
    });

    test('unknown fields, relations and count modes are 400 problems naming the parameter', async () => {
      const id = customers.find((c) => !c.deleted_at)!.id;
      const bad: [string, string, RegExp][] = [
        ['/v1/customers?fields=id,nope', 'fields', /unknown field "nope"/],
        ['/v1/customers?fields=,', 'fields', /at least one field/],
        ['/v1/customers?fields=parent', 'fields', /unknown field "parent"/],
        ['/v1/users?fields=product_accounts', 'fields', /unknown field "product_accounts"/],
        [`/v1/customers/${id}?fields=email,tokenz`, 'fields', /unknown field "tokenz"/],
        ['/v1/customers?expand=parent,owner', 'expand', /unknown relation "owner"/],
        [`/v1/customers/${id}?expand=children`, 'expand', /unknown relation "children"/],
        ['/v1/users?expand=parent', 'expand', /additional properties|expand/],
        ['/v1/customers?count=maybe', 'count', /allowed values|count/],
      ];
      for (const [path, field, message] of bad) {
        const res = await get(path);
        assert.equal(res.status, 400, `${path}: ${JSON.stringify(res.body)}`);
        assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.equal(res.body.code, 'invalid_request');
        assert.match(`${res.body.detail} ${JSON.stringify(res.body.errors)}`, message, path);
        assert.ok(JSON.stringify(res.body).includes(field), `${path} names ${field}: ${JSON.stringify(res.body)}`);
      }
    });

    test('the OpenAPI document describes fields, expand and count', async () => {
      const doc = (await get('/v1/openapi.json')).body;
      const params = (path: string) => new Map(doc.paths[path].get.parameters.map((p: { name: string }) => [p.name, p]));
      for (const path of ['/v1/customers', '/v1/customers/{id}']) for (const name of ['fields', 'expand']) assert.ok(params(path).has(name), `${path} ${name}`);
      assert.ok(params('/v1/users').has('fields') && params('/v1/users/{id}').has('fields'));
      assert.deepEqual((params('/v1/customers').get('count') as { schema: { enum: string[] } }).schema.enum, ['none', 'exact', 'estimated', 'false', 'true']);
      assert.ok(doc.components.schemas.Customer.properties.parent);
    });
  });
}
