import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { storedCustomers, storedUsers } from './support/records.ts';
import { customersBy, usersBy } from './support/order.ts';
import { conditionPred, randomQuery, type FieldSpec, type Pred, type Rec } from './support/native-conditions.ts';
import { seed } from '../src/seed/load.ts';
import { prng } from '../src/seed/generate.ts';
import type { StoredCustomer } from './support/records.ts';
import type { User } from '../src/core/model.ts';

// The native operators, groups and metadata/attributes filters through HTTP on both stores,
// each against the in-memory evaluation (support/native-conditions.ts) of the records read from
// the tables: the whole list, page by page in order, and its exact total_count.

const METADATA = [{ tier: 'gold' }, { tier: 'silver', level: 3 }, { level: '3' }, { vip: true }, { tier: null }, { tier: 'gold', vip: false }];

for (const kind of STORES) {
  describe(`native operators (${kind})`, () => {
    let s: TestServer;
    let customers: StoredCustomer[];
    let users: User[];
    const rnd = prng(kind === 'pglite' ? 41 : 42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const key = () => s.account.api_key;
    const reload = async () => {
      customers = await storedCustomers(s.db, s.account.account_id);
      users = await storedUsers(s.db, s.account.account_id);
    };

    async function listAll(path: string, params: [string, string][]) {
      const ids: string[] = [];
      let total = -1;
      for (let cursor: string | undefined; ; ) {
        const q = new URLSearchParams([...params, ['limit', '100'], ['count', 'true'], ...(cursor ? [['cursor', cursor] as [string, string]] : [])]);
        const res = await call(s.base, 'GET', `${path}?${q}`, { key: key() });
        assert.equal(res.status, 200, `${q}: ${JSON.stringify(res.body)}`);
        ids.push(...res.body.data.map((r: Rec) => r.id));
        total = res.body.total_count;
        if (!res.body.has_more_after) break;
        cursor = res.body.next_cursor;
      }
      return { ids, total };
    }

    /** The list for `params` is the records `match` keeps, oldest first, with their exact count. */
    async function check(params: Record<string, string> | [string, string][], match: Pred, opts: { nonEmpty?: boolean; users?: boolean; deleted?: boolean } = {}) {
      const entries = Array.isArray(params) ? params : Object.entries(params);
      const live = (r: Rec) => opts.deleted || !r.deleted_at;
      const want = opts.users
        ? usersBy(
            users.filter((u) => live(u) && match(u)),
            { key: 'created_at', dir: 'asc' },
          ).map((u) => u.id)
        : customersBy(
            customers.filter((c) => live(c) && match(c)),
            { key: 'created_at', dir: 'asc' },
          ).map((c) => c.id);
      if (opts.nonEmpty !== false) assert.ok(want.length > 0, `the oracle finds nothing for ${JSON.stringify(entries)}: a test that cannot fail`);
      const got = await listAll(opts.users ? '/v1/users' : '/v1/customers', entries);
      assert.deepEqual(got.ids, want, JSON.stringify(entries));
      assert.equal(got.total, want.length, `total_count ${JSON.stringify(entries)}`);
      return want.length;
    }
    const cond = (field: string, op: string, ...values: string[]) => conditionPred(field, op, values);

    before(async () => {
      s = await startTestServer(kind);
      await seed(s.db, { accountId: s.account.account_id, customers: 300, users: 30, seed: 41 });
      await reload();
      const live = customers.filter((c) => !c.deleted_at);
      // Metadata of every JSON kind, and records without a country or an external id.
      for (const c of live.filter(() => rnd() < 0.3)) {
        assert.equal((await call(s.base, 'PATCH', `/v1/customers/${c.id}`, { key: key(), body: { metadata: pick(METADATA) } })).status, 200);
      }
      for (const c of live.filter(() => rnd() < 0.08)) {
        assert.equal((await call(s.base, 'PATCH', `/v1/customers/${c.id}`, { key: key(), body: { country: null, external_id: null } })).status, 200);
      }
      await reload();
      assert.ok(customers.some((c) => !c.deleted_at && c.country === null));
    });
    after(() => s.close());

    test('ranges on instants and numbers', async () => {
      const times = customers.map((c) => c.created_at).sort();
      const [lo, hi] = [times[60], times[200]];
      await check({ 'created_at[gte]': lo }, cond('created_at', 'gte', lo));
      await check({ 'created_at[gt]': lo, 'created_at[lte]': hi }, (r) => cond('created_at', 'gt', lo)(r) && cond('created_at', 'lte', hi)(r));
      await check({ 'created_at[lt]': lo }, cond('created_at', 'lt', lo));
      await check({ 'created_at[eq]': lo }, cond('created_at', 'eq', lo));
      await check({ 'created_at[neq]': lo }, cond('created_at', 'neq', lo));
      const n = String(customers[150].number);
      await check({ 'number[lt]': n }, cond('number', 'lt', n));
      await check({ 'number[gte]': n, 'number[lte]': String(customers[200].number) }, (r) => cond('number', 'gte', n)(r) && cond('number', 'lte', String(customers[200].number))(r));
      await check({ 'number[in]': `${customers[3].number},${customers[9].number}` }, cond('number', 'in', String(customers[3].number), String(customers[9].number)));
      const u = users[10].created_at;
      await check({ 'created_at[lt]': u }, cond('created_at', 'lt', u), { users: true });
    });

    test('in and nin, eq and neq: records without a value match the negations', async () => {
      await check({ 'country[in]': 'DK,SE' }, cond('country', 'in', 'DK', 'SE'));
      const nin = await check({ 'country[nin]': 'DK,SE' }, cond('country', 'nin', 'DK', 'SE'));
      assert.ok(customers.some((c) => !c.deleted_at && c.country === null) && nin > 0);
      await check({ 'country[neq]': 'DK' }, (r) => (r as StoredCustomer).country !== 'DK');
      await check({ 'kyb_status[nin]': 'frozen,rejected' }, cond('kyb_status', 'nin', 'frozen', 'rejected'));
      await check({ 'kyb_status[neq]': 'active' }, cond('kyb_status', 'neq', 'active'));
      await check({ 'application_status[neq]': 'submitted' }, (r) => (r as StoredCustomer).application?.status !== 'submitted');
      await check({ 'type[eq]': 'business', 'is_sub_client[neq]': 'true' }, (r) => (r as StoredCustomer).type === 'business' && !(r as StoredCustomer).is_sub_client);
      const uuids = [customers[5].uuid, customers[7].uuid.toUpperCase()];
      await check({ 'uuid[in]': uuids.join(',') }, cond('uuid', 'in', ...uuids));
      await check({ 'role[neq]': 'admin' }, cond('role', 'neq', 'admin'), { users: true });
    });

    test('prefix, case-insensitive on email only; contains, case-insensitive everywhere', async () => {
      const email = pick(customers.filter((c) => !c.deleted_at && c.email)).email!;
      const start = email.slice(0, 3).toUpperCase();
      await check({ 'email[prefix]': start }, cond('email', 'prefix', start));
      const name = pick(customers.filter((c) => !c.deleted_at && c.name)).name!.slice(0, 2);
      await check({ 'name[prefix]': name }, cond('name', 'prefix', name));
      await check(
        { 'name[prefix]': name.toLowerCase() === name ? name.toUpperCase() : name.toLowerCase() },
        cond('name', 'prefix', name.toLowerCase() === name ? name.toUpperCase() : name.toLowerCase()),
        { nonEmpty: false },
      );
      const piece = name.length > 1 ? name.slice(1).toUpperCase() : name.toUpperCase();
      await check({ 'name[contains]': piece }, cond('name', 'contains', piece));
      await check({ 'last_name[contains]': users[3].last_name.slice(1, 4) }, cond('last_name', 'contains', users[3].last_name.slice(1, 4)), { users: true });
      // Three characters or more of a field the search text holds are looked up through the
      // trigram index (filter-lookup.ts): the same records as the test of every record.
      const full = pick(customers.filter((c) => !c.deleted_at && c.name && c.name.length > 6)).name!;
      const middle = full.slice(2, 6).toUpperCase();
      await check({ 'name[contains]': middle }, cond('name', 'contains', middle));
      const mail = pick(customers.filter((c) => !c.deleted_at && c.email)).email!;
      const around = mail.slice(mail.indexOf('@') - 2, mail.indexOf('@') + 4);
      await check({ 'email[contains]': around, 'type[neq]': 'operator' }, (r: Rec) => cond('email', 'contains', around)(r) && cond('type', 'neq', 'operator')(r), { nonEmpty: false });
      await check({ 'first_name[contains]': users[2].first_name.slice(0, 3) }, cond('first_name', 'contains', users[2].first_name.slice(0, 3)), { users: true });
      await check({ 'email[prefix]': users[3].email.slice(0, 4) }, cond('email', 'prefix', users[3].email.slice(0, 4)), { users: true });
    });

    test('null, and deleted records through deleted_at', async () => {
      await check({ 'external_id[null]': 'true' }, cond('external_id', 'null', 'true'));
      await check({ 'external_id[null]': 'false' }, cond('external_id', 'null', 'false'));
      await check({ 'parent_id[null]': 'false' }, cond('parent_id', 'null', 'false'));
      await check({ 'deleted_at[null]': 'false', include_deleted: 'true' }, (r) => r.deleted_at !== null, { deleted: true });
    });

    test('groups: or, and, not, nested', async () => {
      await check({ or: '(country.eq.DK,type.eq.business)' }, (r) => cond('country', 'eq', 'DK')(r) || cond('type', 'eq', 'business')(r));
      await check({ 'not.or': '(country.in.(DK,SE),kyb_status.eq.active)' }, (r) => !(cond('country', 'in', 'DK', 'SE')(r) || cond('kyb_status', 'eq', 'active')(r)));
      await check({ 'not.and': '(type.eq.individual,country.eq.NO)' }, (r) => !(cond('type', 'eq', 'individual')(r) && cond('country', 'eq', 'NO')(r)));
      await check(
        { and: '(or(metadata[tier].eq.gold,attributes[tier].eq.gold),not.country.null.true)', 'type[neq]': 'operator' },
        (r) =>
          (conditionPred('metadata', 'eq', ['gold'], 'tier')(r) || conditionPred('attributes', 'eq', ['gold'], 'tier')(r)) &&
          (r as StoredCustomer).country !== null &&
          (r as StoredCustomer).type !== 'operator',
      );
      const name = pick(customers.filter((c) => !c.deleted_at && c.name?.includes(' '))).name!;
      await check({ or: `(name.eq."${name}",number.lt.0)` }, cond('name', 'eq', name));
    });

    test('metadata and attributes keys: strings, the numbers and booleans they spell, null', async () => {
      const meta = (op: string, key: string, ...values: string[]) => conditionPred('metadata', op, values, key);
      await check({ 'metadata[tier]': 'gold' }, meta('eq', 'tier', 'gold'));
      const level = await check({ 'metadata[level]': '3' }, meta('eq', 'level', '3'));
      assert.ok(level > customers.filter((c) => !c.deleted_at && c.metadata.level === 3).length, 'matches both 3 and "3"');
      await check({ 'metadata[vip]': 'true' }, meta('eq', 'vip', 'true'));
      await check({ 'metadata[vip][eq]': 'false' }, meta('eq', 'vip', 'false'));
      await check({ 'metadata[tier][neq]': 'gold' }, meta('neq', 'tier', 'gold'));
      await check({ 'metadata[tier][null]': 'true' }, meta('null', 'tier', 'true'));
      await check({ 'metadata[tier][null]': 'false' }, meta('null', 'tier', 'false'));
      await check({ 'metadata[tier][nin]': 'gold,silver' }, meta('nin', 'tier', 'gold', 'silver'));
      await check({ 'attributes[tier][in]': 'gold,silver' }, conditionPred('attributes', 'in', ['gold', 'silver'], 'tier'));
      await check({ 'attributes[newsletter]': 'true' }, conditionPred('attributes', 'eq', ['true'], 'newsletter'));
      await check({ 'attributes[tier]': 'gold', 'metadata[tier]': 'gold' }, (r) => conditionPred('attributes', 'eq', ['gold'], 'tier')(r) && meta('eq', 'tier', 'gold')(r), { nonEmpty: false });
    });

    test('random queries of operators and groups match the in-memory evaluation', async () => {
      const live = customers.filter((c) => !c.deleted_at);
      const from = (f: (c: StoredCustomer) => unknown) => (r: () => number) => {
        const v = f(live[Math.floor(r() * live.length)]);
        return v === null || v === undefined ? 'ZZ-none' : String(v);
      };
      const specs: FieldSpec[] = [
        { field: 'number', ops: ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte'], draw: from((c) => c.number) },
        { field: 'created_at', ops: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'], draw: from((c) => c.created_at) },
        { field: 'updated_at', ops: ['gt', 'lt'], draw: from((c) => c.updated_at) },
        { field: 'country', ops: ['eq', 'neq', 'in', 'nin', 'null'], draw: from((c) => c.country) },
        { field: 'type', ops: ['eq', 'neq', 'in', 'nin'], draw: from((c) => c.type) },
        { field: 'kyb_status', ops: ['eq', 'neq', 'in', 'nin'], draw: from((c) => c.kyb_status) },
        { field: 'kyc_status', ops: ['in', 'nin'], draw: from((c) => c.kyc_status) },
        { field: 'application_status', ops: ['eq', 'neq', 'null'], draw: from((c) => c.application?.status ?? 'pending') },
        { field: 'email', ops: ['eq', 'prefix', 'contains', 'null'], draw: from((c) => c.email) },
        { field: 'name', ops: ['eq', 'neq', 'prefix', 'contains', 'null'], draw: from((c) => c.name) },
        { field: 'external_id', ops: ['eq', 'in', 'prefix', 'null'], draw: from((c) => c.external_id) },
        { field: 'parent_id', ops: ['eq', 'neq', 'null'], draw: from((c) => c.parent_id) },
        { field: 'is_sub_client', ops: ['eq', 'neq'], draw: (r) => (r() < 0.5 ? 'true' : 'false') },
        { field: 'metadata[tier]', ops: ['eq', 'neq', 'in', 'nin', 'null'], draw: (r) => ['gold', 'silver', 'bronze'][Math.floor(r() * 3)] },
        { field: 'metadata[level]', ops: ['eq', 'neq', 'null'], draw: (r) => (r() < 0.8 ? '3' : '4') },
        { field: 'attributes[tier]', ops: ['eq', 'in', 'nin'], draw: (r) => ['gold', 'silver', 'bronze'][Math.floor(r() * 3)] },
        { field: 'attributes[newsletter]', ops: ['eq', 'null'], draw: () => 'true' },
      ];
      let nonEmpty = 0;
      const rounds = 40;
      for (let i = 0; i < rounds; i++) {
        const q = randomQuery(specs, rnd, customers);
        nonEmpty += (await check(q.params, q.pred, { nonEmpty: false })) > 0 ? 1 : 0;
      }
      // Most generated queries must find something, or the comparison proves little.
      assert.ok(nonEmpty >= rounds / 3, `${nonEmpty} of ${rounds} queries found records`);
    });

    test('the OpenAPI document lists every operator parameter and describes groups and metadata', async () => {
      const doc = (await call(s.base, 'GET', '/v1/openapi.json')).body;
      const list = doc.paths['/v1/customers'].get;
      const names = list.parameters.map((p: { name: string }) => p.name);
      for (const n of ['created_at[gte]', 'number[lt]', 'country[in]', 'kyb_status[nin]', 'email[prefix]', 'external_id[null]', 'country[neq]', 'or', 'and', 'not.or', 'not.and'])
        assert.ok(names.includes(n), n);
      assert.ok(!names.includes('name[gt]'));
      assert.match(list.parameters.find((p: { name: string }) => p.name === 'or').description, /field\.operator\.value/);
      assert.match(list.description, /metadata\[key\]/);
      assert.ok(doc.paths['/v1/users'].get.parameters.some((p: { name: string }) => p.name === 'role[nin]'));
    });

    test('bad operators and groups are 400 problems naming the parameter', async () => {
      const bad: [string, string, RegExp][] = [
        ['number[lt]', 'ten', /"ten" is not an integer/],
        ['name[gt]', 'a', /must NOT have additional properties|name\[gt\]/],
        ['metadata[tier][gt]', '1', /takes the operators eq, neq, in, nin, null/],
        ['or', '(country.eq.DK', /at character 15/],
        ['or', '(country.eq.DK,number.lt.x)', /at character 16: number: "x" is not an integer/],
        ['metadata[x', 'y', /must NOT have additional properties|metadata\[x/],
      ];
      for (const [param, value, message] of bad) {
        const res = await call(s.base, 'GET', `/v1/customers?${new URLSearchParams([[param, value]])}`, { key: key() });
        assert.equal(res.status, 400, `${param}=${value}: ${JSON.stringify(res.body)}`);
        assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.equal(res.body.code, 'invalid_request');
        assert.match(`${res.body.detail} ${res.body.errors?.map((e: { field: string }) => e.field)}`, message, JSON.stringify(res.body));
      }
    });
  });
}
