import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { storedCustomers, storedUsers, type StoredCustomer } from './support/records.ts';
import { customersBy, usersBy } from './support/order.ts';
import type { Pred, Rec } from './support/native-conditions.ts';
import { randomSearch, textPred, type SearchSpec } from './support/search-queries.ts';
import { seed } from '../src/seed/load.ts';
import { prng } from '../src/seed/generate.ts';
import type { User } from '../src/core/model.ts';

// GET /v1/customers/search and /v1/users/search on both stores: random queries of the search
// language against the in-memory evaluation of the records read from the tables (every page in
// order, and total_count), a record found the moment it is written, and mistakes as 400s.

const METADATA = [{ tier: 'gold' }, { tier: 'silver', level: 3 }, { level: '3' }, { vip: true }, { tier: null }];
const customerText = (r: Rec) => {
  const c = r as StoredCustomer;
  return [c.display_name, c.first_name, c.last_name, c.email, c.phone_number, c.external_id, c.id];
};
const userText = (r: Rec) => {
  const u = r as User;
  return [u.first_name, u.last_name, `${u.first_name} ${u.last_name}`, u.email, u.id];
};

for (const kind of STORES) {
  describe(`native search language (${kind})`, () => {
    let s: TestServer;
    let customers: StoredCustomer[];
    let users: User[];
    const rnd = prng(kind === 'pglite' ? 51 : 52);
    const key = () => s.account.api_key;
    const reload = async () => {
      customers = await storedCustomers(s.db, s.account.account_id);
      users = await storedUsers(s.db, s.account.account_id);
    };
    const search = (path: string, params: Record<string, string>) => call(s.base, 'GET', `${path}?${new URLSearchParams(params)}`, { key: key() });

    /** Every page of a search, 37 at a time (so most lists take several pages), and its total_count. */
    async function listAll(path: string, query: string) {
      const ids: string[] = [];
      let total = -1;
      for (let cursor: string | undefined; ; ) {
        const res = await search(path, { query, limit: '37', count: 'true', ...(cursor ? { cursor } : {}) });
        assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.object, 'list');
        ids.push(...res.body.data.map((r: Rec) => r.id));
        total = res.body.total_count;
        if (!res.body.has_more_after) break;
        cursor = res.body.next_cursor;
      }
      return { ids, total };
    }

    async function check(query: string, match: Pred, opts: { users?: boolean; nonEmpty?: boolean } = {}) {
      const want = opts.users
        ? usersBy(
            users.filter((u) => !u.deleted_at && match(u)),
            { key: 'created_at', dir: 'asc' },
          ).map((u) => u.id)
        : customersBy(
            customers.filter((c) => !c.deleted_at && match(c)),
            { key: 'created_at', dir: 'asc' },
          ).map((c) => c.id);
      if (opts.nonEmpty) assert.ok(want.length > 0, `the oracle finds nothing for ${query}: a test that cannot fail`);
      const got = await listAll(opts.users ? '/v1/users/search' : '/v1/customers/search', query);
      assert.deepEqual(got.ids, want, query);
      assert.equal(got.total, want.length, `total_count of ${query}`);
      return want.length;
    }

    before(async () => {
      s = await startTestServer(kind);
      await seed(s.db, { accountId: s.account.account_id, customers: 300, users: 30, seed: 51 });
      await reload();
      const live = customers.filter((c) => !c.deleted_at);
      for (const c of live.filter(() => rnd() < 0.3)) {
        assert.equal((await call(s.base, 'PATCH', `/v1/customers/${c.id}`, { key: key(), body: { metadata: METADATA[Math.floor(rnd() * METADATA.length)] } })).status, 200);
      }
      for (const c of live.filter(() => rnd() < 0.08)) {
        assert.equal((await call(s.base, 'PATCH', `/v1/customers/${c.id}`, { key: key(), body: { country: null, external_id: null } })).status, 200);
      }
      await reload();
    });
    after(() => s.close());

    test('a record is found the moment it is written', async () => {
      const name = `Quillon Zephyrine ${kind}`;
      const created = await call(s.base, 'POST', '/v1/customers', {
        key: key(),
        body: { type: 'individual', name, email: `q.zephyrine.${kind}@example.org`, country: 'IS', metadata: { tier: 'platinum' } },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      for (const query of [
        `name:'${name}'`,
        'zephyrine',
        'name~ZEPHYR country:IS',
        `email:Q.Zephyrine.${kind}@example.org`,
        "metadata['tier']:platinum",
        `"quillon zeph" created_at>=${created.body.created_at}`,
      ]) {
        const res = await search('/v1/customers/search', { query, count: 'true' });
        assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
        assert.deepEqual(
          res.body.data.map((c: Rec) => c.id),
          [created.body.id],
          query,
        );
        assert.equal(res.body.total_count, 1);
      }
      const user = await call(s.base, 'POST', '/v1/users', { key: key(), body: { first_name: 'Ottilie', last_name: `Vexworth${kind}`, email: `ovex.${kind}@example.org`, role: 'viewer' } });
      assert.equal(user.status, 201, JSON.stringify(user.body));
      const found = await search('/v1/users/search', { query: `last_name~vexworth role:viewer` });
      assert.deepEqual(
        found.body.data.map((u: Rec) => u.id),
        [user.body.id],
      );
      await reload();
    });

    test('the page has the list shape, with limit, cursors, sort and count', async () => {
      const list = await call(s.base, 'GET', '/v1/customers?type=business&limit=5&sort=-number&count=true', { key: key() });
      const found = await search('/v1/customers/search', { query: 'type:business', limit: '5', sort: '-number', count: 'true' });
      assert.equal(found.status, 200);
      assert.deepEqual(found.body, list.body);
      const next = await search('/v1/customers/search', { query: 'type:business', limit: '5', sort: '-number', cursor: found.body.next_cursor });
      const listNext = await call(s.base, 'GET', `/v1/customers?type=business&limit=5&sort=-number&cursor=${encodeURIComponent(list.body.next_cursor)}`, { key: key() });
      assert.deepEqual(next.body, listNext.body);
    });

    test('named queries: operators, groups, negation, null, metadata, a word without a field', async () => {
      const times = customers.map((c) => c.created_at).sort();
      const live = customers.filter((c) => !c.deleted_at);
      const c0 = (r: Rec) => r as StoredCustomer;
      await check(`created_at>${times[100]} number<=${customers[250].number}`, (r) => r.created_at > times[100] && c0(r).number <= customers[250].number, { nonEmpty: true });
      await check('country:DK OR type:business', (r) => c0(r).country === 'DK' || c0(r).type === 'business', { nonEmpty: true });
      await check('-country:DK', (r) => c0(r).country !== 'DK', { nonEmpty: true });
      await check('external_id:null', (r) => c0(r).external_id === null, { nonEmpty: true });
      await check('-(kyb_status:frozen OR kyb_status:rejected) AND -external_id:null', (r) => !['frozen', 'rejected'].includes(c0(r).kyb_status) && c0(r).external_id !== null, { nonEmpty: true });
      await check("metadata['tier']:'gold' OR metadata[level]:3", (r) => c0(r).metadata.tier === 'gold' || c0(r).metadata.level === 3 || c0(r).metadata.level === '3', { nonEmpty: true });
      const word = live.find((c) => c.last_name && /^[a-z]{4,}$/i.test(c.last_name))!.last_name!.slice(1, 4);
      await check(word, textPred(word, customerText), { nonEmpty: true });
      await check(`${word} type:individual`, (r) => textPred(word, customerText)(r) && c0(r).type === 'individual');
      await check(
        `role:admin OR first_name~${users[4].first_name.slice(0, 3)}`,
        (r) => (r as User).role === 'admin' || (r as User).first_name.toLowerCase().includes(users[4].first_name.slice(0, 3).toLowerCase()),
        { users: true, nonEmpty: true },
      );
    });

    test('random queries of the grammar match the in-memory evaluation, page by page', async () => {
      const live = customers.filter((c) => !c.deleted_at);
      const from = (f: (c: StoredCustomer) => unknown) => (r: () => number) => {
        const v = f(live[Math.floor(r() * live.length)]);
        return v === null || v === undefined ? 'ZZ-none' : String(v);
      };
      const piece = (f: (c: StoredCustomer) => string | null) => (r: () => number) => {
        const v = (f(live[Math.floor(r() * live.length)]) ?? '').replace(/[^\x20-\x7e]/g, '');
        const at = Math.floor(r() * Math.max(1, v.length - 3));
        return v.slice(at, at + 2 + Math.floor(r() * 3)) || 'zq';
      };
      const specs: SearchSpec[] = [
        { field: 'number', ops: [':', '>', '>=', '<', '<='], draw: from((c) => c.number) },
        { field: 'created_at', ops: [':', '>', '>=', '<', '<='], draw: from((c) => c.created_at) },
        { field: 'country', ops: [':', ':null', '~'], draw: from((c) => c.country) },
        { field: 'type', ops: [':'], draw: from((c) => c.type) },
        { field: 'kyb_status', ops: [':'], draw: from((c) => c.kyb_status) },
        { field: 'application_status', ops: [':', ':null'], draw: from((c) => c.application?.status ?? 'submitted') },
        { field: 'email', ops: [':', '~', ':null'], draw: from((c) => c.email) },
        { field: 'name', ops: [':', '~', ':null'], draw: from((c) => c.name) },
        { field: 'last_name', ops: ['~'], draw: piece((c) => c.last_name) },
        { field: 'external_id', ops: [':', '~', ':null'], draw: from((c) => c.external_id) },
        { field: 'is_sub_client', ops: [':'], draw: (r) => (r() < 0.5 ? 'true' : 'false') },
        { field: 'metadata[tier]', ops: [':', ':null'], draw: (r) => ['gold', 'silver', 'bronze'][Math.floor(r() * 3)] },
        { field: 'metadata[level]', ops: [':'], draw: (r) => (r() < 0.8 ? '3' : '4') },
        { field: 'attributes[tier]', ops: [':', ':null'], draw: (r) => ['gold', 'silver'][Math.floor(r() * 2)] },
      ];
      const words = [...new Set(live.flatMap((c) => (c.last_name && /^[A-Za-z]{4,}$/.test(c.last_name) ? [c.last_name.slice(0, 3).toLowerCase()] : [])))].slice(0, 20);
      let nonEmpty = 0;
      const rounds = 40;
      for (let i = 0; i < rounds; i++) {
        const q = randomSearch(specs, rnd, words, customerText);
        nonEmpty += (await check(q.text, q.pred)) > 0 ? 1 : 0;
      }
      assert.ok(nonEmpty >= rounds / 3, `${nonEmpty} of ${rounds} queries found records`);

      const liveUsers = users.filter((u) => !u.deleted_at);
      const user = (f: (u: User) => string) => (r: () => number) => f(liveUsers[Math.floor(r() * liveUsers.length)]);
      const userSpecs: SearchSpec[] = [
        { field: 'role', ops: [':'], draw: user((u) => u.role) },
        { field: 'email', ops: [':', '~'], draw: user((u) => u.email) },
        { field: 'first_name', ops: [':', '~'], draw: user((u) => u.first_name) },
        { field: 'last_name', ops: ['~'], draw: user((u) => u.last_name.slice(1, 4)) },
        { field: 'created_at', ops: ['>', '<='], draw: user((u) => u.created_at) },
      ];
      for (let i = 0; i < 15; i++) {
        const q = randomSearch(userSpecs, rnd, [], userText);
        await check(q.text, q.pred, { users: true });
      }
    });

    test('mistakes are 400 problems naming query and the character', async () => {
      const bad: [string, string, RegExp][] = [
        ['/v1/customers/search', "email:'a@b.c' AND name:", /^query: at character 24: expected a value after ":", found the end$/],
        ['/v1/customers/search', 'country:DK name>a', /^query: at character 12: name takes : ~ :null, not >$/],
        ['/v1/customers/search', '(country:DK', /^query: at character 12: expected "\)"/],
        ['/v1/customers/search', 'john smith', /^query: at character 6: only one word/],
        ['/v1/customers/search', `${'('.repeat(20)}a:1`, /nested deeper than 8/],
        ['/v1/users/search', "metadata['tier']:gold", /users have no metadata or attributes/],
      ];
      for (const [path, query, message] of bad) {
        const res = await search(path, { query });
        assert.equal(res.status, 400, `${query}: ${JSON.stringify(res.body)}`);
        assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.equal(res.body.code, 'invalid_request');
        assert.equal(res.body.errors?.[0]?.field, 'query');
        assert.match(res.body.detail, message, JSON.stringify(res.body));
      }
      for (const params of [{}, { query: '' }, { query: 'x'.repeat(2001) }, { query: 'a:1', nope: '1' }]) {
        const res = await search('/v1/customers/search', params as Record<string, string>);
        assert.equal(res.status, 400, JSON.stringify(params));
        assert.equal(res.body.code, 'invalid_request');
      }
    });

    test('the OpenAPI document describes both routes and the grammar', async () => {
      const doc = (await call(s.base, 'GET', '/v1/openapi.json')).body;
      for (const path of ['/v1/customers/search', '/v1/users/search']) {
        const op = doc.paths[path]?.get;
        assert.ok(op, path);
        assert.match(op.description, /AND.*OR/s);
        assert.ok(
          op.parameters.some((p: { name: string; required?: boolean }) => p.name === 'query' && p.required),
          `${path} query is required`,
        );
        assert.ok(op.parameters.some((p: { name: string }) => p.name === 'cursor'));
      }
      assert.match(doc.paths['/v1/customers/search'].get.description, /metadata\['key'\]/);
    });
  });
}
