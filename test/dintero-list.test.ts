import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { listAll, qs, token } from './support/dintero-client.ts';
import { seed } from '../src/seed/load.ts';
import { storedCustomers, type StoredCustomer } from './support/records.ts';
import { customersBy } from './support/order.ts';

// The customer collection against an in-memory oracle over the records read from the tables
// (seeded and created): every parameter, the page walk, the deleted projection and the
// since_datetime sync.

const SEEDED = 520;
const DINTERO_TYPE: Record<string, string> = {
  individual: 'customer',
  business: 'company',
  operator: 'company',
  operator_subsidiary: 'company',
  contact: 'contact',
  employee: 'employee',
  other: 'other',
};
type Customer = StoredCustomer;
/** Dintero's default order: newest first, ties by id. */
const newestFirst = (cs: Customer[]) => customersBy(cs, { key: 'created_at', dir: 'desc' });
const uuids = (rs: { id: string }[]) => rs.map((r) => r.id).sort();

for (const kind of STORES) {
  describe(`dintero customer collection (${kind})`, () => {
    let s: TestServer;
    let aid: string;
    let key: string;
    let all: Customer[] = [];
    let tagId: string;
    const path = () => `/dintero/v1/accounts/${aid}/customers/users`;
    const get = (params: Record<string, any>) => call(s.base, 'GET', path() + qs(params), { key });
    const post = (body: unknown) => call(s.base, 'POST', path(), { key, body });

    async function reload() {
      all = await storedCustomers(s.db, aid);
    }
    const live = (pred: (c: Customer) => boolean = () => true) => all.filter((c) => !c.deleted_at && pred(c));
    const visible = (c: Customer) => c.type !== 'contact';
    const expectIds = async (params: Record<string, any>, pred: (c: Customer) => boolean, deleted = false) => {
      const got = await listAll(s.base, key, aid, { limit: 100, ...params });
      const want = all.filter((c) => (deleted || !c.deleted_at) && pred(c)).map((c) => ({ id: c.uuid }));
      assert.deepEqual(uuids(got), uuids(want), `params ${JSON.stringify(params)}`);
      return got;
    };

    before(async () => {
      s = await startTestServer(kind);
      aid = s.account.account_id;
      await seed(s.db, { accountId: aid, customers: SEEDED, users: 0, seed: 7 });
      key = await token(s.base, aid, s.account.client_id, s.account.client_secret);
      for (const body of [
        { type: 'contact', first_name: 'Connie', last_name: 'Contact', email: 'connie@example.no', contact_for: [{ customer_id: 'ext-0000001' }] },
        { type: 'employee', first_name: 'Emma', last_name: 'Employee', email: 'emma@example.no' },
        { type: 'other', first_name: 'Otto', company: { bussiness_name: 'Otto AS' }, attributes: { tier: 'gold', level: 3 } },
        { type: 'customer', first_name: 'Ada', last_name: 'Lovelace', phone_number: '+4799999999', email: 'Ada@Example.NO', attributes: { tier: 'gold', newsletter: true } },
      ])
        assert.equal((await post(body)).status, 200);
      const tag = await call(s.base, 'POST', `/dintero/v1/accounts/${aid}/customers/tags`, { key, body: { tag: 'VIP' } });
      assert.equal(tag.status, 200);
      tagId = tag.body.id;
      for (const cid of ['ext-0000003', 'ext-0000004', 'ext-0000005']) {
        const r = await call(s.base, 'PUT', `${path()}/${cid}/tags`, { key, body: [tagId] });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      for (const [cid, type, value] of [
        ['ext-0000006', 'sha1:email', 'abc123'],
        ['ext-0000007', 'sha1:email', 'abc123'],
        ['ext-0000008', 'card', 'abc123'],
        ['ext-0000009', 'card', 'zzz'],
      ]) {
        assert.equal((await call(s.base, 'POST', `${path()}/${cid}/tokens`, { key, body: { type, value } })).status, 201);
      }
      await reload();
    });
    after(() => s.close());

    test('a page walk with limit=3 returns every customer exactly once, newest first', async () => {
      const got = await listAll(s.base, key, aid, { limit: 3 });
      const want = newestFirst(live(visible));
      assert.ok(want.length > 500);
      assert.deepEqual(
        got.map((c) => c.id),
        want.map((c) => c.uuid),
      );
    });

    test('total=true sends the exact count in total-count; default limit is 10', async () => {
      const r = await get({ total: true });
      assert.equal(r.status, 200);
      assert.ok(Array.isArray(r.body));
      assert.equal(r.body.length, 10);
      assert.equal(r.headers.get('total-count'), String(live(visible).length));
      assert.equal((await get({})).headers.get('total-count'), null);
      const gold = await get({ total: true, attributes_keys: 'tier', attributes_values: 'gold', limit: 1 });
      assert.equal(gold.headers.get('total-count'), String(live((c) => visible(c) && c.attributes.tier === 'gold').length));
    });

    test('limit ranges over 1..100', async () => {
      assert.equal((await get({ limit: 100 })).body.length, 100);
      assert.equal((await get({ limit: 1 })).body.length, 1);
      for (const limit of [0, 101, 'x']) {
        const r = await get({ limit });
        assert.equal(r.status, 400);
        assert.equal(r.body.error.code, 'BAD REQUEST');
      }
    });

    test('starting_after takes the paging token or a customer id; a bad one is a 400', async () => {
      const first = await get({ limit: 5 });
      const next = await get({ limit: 5, starting_after: first.headers.get('paging-token')! });
      const byId = await get({ limit: 5, starting_after: first.body[4].id });
      const want = newestFirst(live(visible))
        .slice(5, 10)
        .map((c) => c.uuid);
      assert.deepEqual(
        next.body.map((c: any) => c.id),
        want,
      );
      assert.deepEqual(
        byId.body.map((c: any) => c.id),
        want,
      );
      assert.equal((await get({ starting_after: 'garbage' })).status, 400);
      assert.equal((await get({ starting_after: '00000000-0000-4000-8000-000000000000' })).status, 400);
    });

    test('type: contacts only when asked; company covers every business type', async () => {
      await expectIds({}, visible);
      for (const t of ['customer', 'company', 'contact', 'employee', 'other']) await expectIds({ type: t }, (c) => DINTERO_TYPE[c.type] === t);
      await expectIds({ type: 'any' }, () => true);
      const contact = await get({ type: 'contact' });
      assert.equal(contact.body[0].type, 'contact');
      assert.deepEqual(contact.body[0].contact_for, [{ customer_id: 'ext-0000001' }]);
      assert.equal((await get({ type: 'individual' })).status, 400);
    });

    test('email is matched case-insensitively, phone_number exactly', async () => {
      const target = live((c) => c.type === 'individual' && c.email !== null)[17];
      await expectIds({ email: target.email!.toUpperCase() }, (c) => visible(c) && c.email?.toLowerCase() === target.email!.toLowerCase());
      await expectIds({ email: 'ada@example.no' }, (c) => c.email === 'Ada@Example.NO');
      await expectIds({ phone_number: '+4799999999' }, (c) => c.phone_number === '+4799999999');
      await expectIds({ phone_number: target.phone_number! }, (c) => visible(c) && c.phone_number === target.phone_number);
    });

    test('search matches a prefix of name, phone number, customer_id or email', async () => {
      const target = live((c) => c.type === 'individual')[23];
      const fields = (c: Customer) => [c.name, c.first_name, c.last_name, c.phone_number, c.external_id, c.email].filter((v): v is string => v !== null).map((v) => v.toLowerCase());
      for (const term of [target.last_name!.slice(0, 4), target.first_name!.toUpperCase(), 'ext-00001', target.phone_number!.slice(0, 6), target.email!.slice(0, 7), 'ada lov']) {
        const got = await expectIds({ search: term }, (c) => visible(c) && fields(c).some((f) => f.startsWith(term.toLowerCase())));
        assert.ok(got.length > 0, term);
      }
    });

    test('tag_id finds the customers carrying the tag', async () => {
      await expectIds({ tag_id: tagId }, (c) => c.tags.includes(tagId));
      assert.equal(all.filter((c) => c.tags.includes(tagId)).length, 3);
      assert.equal((await get({ tag_id: 'not-a-uuid' })).status, 400);
    });

    test('token_value and token_type find customers by their tokens', async () => {
      const holds = (value?: string, type?: string) => (c: Customer) => visible(c) && c.tokens.some((t) => (value === undefined || t.value === value) && (type === undefined || t.type === type));
      assert.equal(all.filter(holds('abc123')).length, 3);
      await expectIds({ token_value: 'abc123' }, holds('abc123'));
      await expectIds({ token_value: 'abc123', token_type: 'card' }, holds('abc123', 'card'));
      await expectIds({ token_type: 'card' }, holds(undefined, 'card'));
      await expectIds({ token_value: 'abc123', token_type: 'none' }, () => false);
    });

    test('attributes_keys needs every key; attributes_values matches the paired key', async () => {
      const has = (c: Customer, k: string) => Object.hasOwn(c.attributes, k);
      await expectIds({ attributes_keys: 'tier' }, (c) => visible(c) && has(c, 'tier'));
      await expectIds({ attributes_keys: ['tier', 'newsletter'] }, (c) => visible(c) && has(c, 'tier') && has(c, 'newsletter'));
      await expectIds({ attributes_keys: 'tier', attributes_values: 'gold' }, (c) => visible(c) && c.attributes.tier === 'gold');
      await expectIds({ attributes_keys: ['newsletter', 'tier'], attributes_values: ['true', 'silver'] }, (c) => visible(c) && c.attributes.newsletter === true && c.attributes.tier === 'silver');
      await expectIds({ attributes_keys: 'level', attributes_values: '3', type: 'other' }, (c) => c.attributes.level === 3);
      assert.equal((await get({ attributes_keys: ['a', 'b', 'c', 'd', 'e'] })).status, 400);
      assert.equal((await get({ attributes_values: 'gold' })).status, 400);
      assert.equal((await get({ attributes_keys: 'tier', attributes_values: ['gold', 'x'] })).status, 400);
    });

    test('filters combine with AND', async () => {
      await expectIds(
        { type: 'company', attributes_keys: 'tier', search: 'a' },
        (c) => DINTERO_TYPE[c.type] === 'company' && 'tier' in c.attributes && [c.name, c.phone_number, c.external_id, c.email].some((v) => v?.toLowerCase().startsWith('a')),
      );
    });

    test('include_deleted adds deleted customers, projected to ids and created/deleted fields', async () => {
      const victim = live((c) => c.type === 'individual')[40];
      const del = await call(s.base, 'DELETE', `${path()}/${victim.external_id}`, { key });
      assert.equal(del.status, 200);
      await reload();
      const got = await expectIds({ include_deleted: true }, visible, true);
      const seededDeleted = all.filter((c) => c.deleted_at && c.created_by === 'seed');
      assert.ok(seededDeleted.length > 0);
      for (const c of got.filter((r) => r.deleted_at)) {
        const keys = Object.keys(c).sort();
        for (const k of keys) assert.ok(['type', 'id', 'customer_id', 'created_at', 'created_by', 'deleted_at', 'deleted_by'].includes(k), `${k} leaked`);
      }
      const mine = got.find((c) => c.id === victim.uuid)!;
      assert.deepEqual(mine, {
        type: 'customer',
        id: victim.uuid,
        customer_id: victim.external_id,
        created_at: victim.created_at,
        created_by: 'seed',
        deleted_at: mine.deleted_at,
        deleted_by: s.account.client_id,
      });
      assert.ok(!(await listAll(s.base, key, aid, { limit: 100 })).some((c) => c.id === victim.uuid));
    });

    test('since_datetime syncs inserts, updates and deletes; it cannot be combined with starting_after', async () => {
      assert.equal((await get({ since_datetime: '2020-01-01T00:00:00Z', starting_after: 'x' })).status, 400);
      assert.equal((await get({ since_datetime: 'yesterday' })).status, 400);
      const state = new Map<string, any>();
      let since = '1970-01-01T00:00:00Z';
      const limit = 100;
      // Deletions come with include_deleted, as the docs say: a sync that wants them asks.
      const sync = async () => {
        const seen: any[] = [];
        for (let round = 0; round < 1000; round++) {
          const r = await get({ since_datetime: since, limit, include_deleted: true });
          assert.equal(r.status, 200);
          assert.equal(r.headers.get('paging-token'), null);
          for (const c of r.body) {
            seen.push(c);
            if (c.deleted_at) state.delete(c.id);
            else state.set(c.id, c);
          }
          const stamps = r.body.map((c: any) => c.updated_at ?? c.deleted_at);
          assert.deepEqual(stamps, [...stamps].sort(), 'oldest change first');
          // The next call starts after the newest change seen (a page never ends inside a group sharing one).
          const next = stamps.at(-1) ?? since;
          if (r.body.length < limit) {
            since = next;
            return seen;
          }
          assert.notEqual(next, since, 'a full page of one timestamp would never advance');
          since = next;
        }
        throw new Error('sync did not end');
      };
      await sync();
      await reload();
      assert.deepEqual(
        [...state.keys()].sort(),
        live(visible)
          .map((c) => c.uuid)
          .sort(),
      );

      // Changes after the first sync, through this dialect and through the native API.
      const updatedTarget = live((c) => c.type === 'individual')[60];
      const deletedTarget = live((c) => c.type === 'business')[5];
      const nativeTarget = live((c) => c.type === 'individual')[61];
      const inserted = await post({ first_name: 'Nora', last_name: 'New', email: 'nora@example.no' });
      const updated = await call(s.base, 'PUT', `${path()}/${updatedTarget.external_id}`, { key, body: { status: 'VIP', metadata: { dob_year: 1985 } } });
      const deleted = await call(s.base, 'DELETE', `${path()}/${deletedTarget.external_id}`, { key });
      const native = await call(s.base, 'POST', '/v1/customers', { key: s.account.api_key, body: { type: 'business', name: 'Native Ltd', external_id: 'native-1' } });
      const patched = await call(s.base, 'PATCH', `/v1/customers/${nativeTarget.id}`, { key: s.account.api_key, body: { first_name: 'Patched' } });
      for (const r of [inserted, updated, deleted, native, patched]) assert.ok(r.status < 300, JSON.stringify(r.body));

      const changes = await sync();
      const changed = new Set(changes.map((c) => c.id));
      for (const id of [inserted.body.id, updatedTarget.uuid, deletedTarget.uuid, native.body.uuid, nativeTarget.uuid]) assert.ok(changed.has(id), `sync missed ${id}`);
      assert.ok(changes.length < 20, `the second sync re-sent ${changes.length} records`);
      await reload();
      assert.deepEqual(
        [...state.keys()].sort(),
        live(visible)
          .map((c) => c.uuid)
          .sort(),
      );
      assert.equal(state.get(updatedTarget.uuid).status, 'VIP');
      assert.equal(state.get(nativeTarget.uuid).first_name, 'Patched');
      assert.equal(state.get(native.body.uuid).type, 'company');
      assert.equal(state.get(native.body.uuid).customer_id, 'native-1');
      assert.ok(!state.has(deletedTarget.uuid));
      const tombstone = changes.find((c) => c.id === deletedTarget.uuid);
      assert.deepEqual(Object.keys(tombstone).sort(), ['created_at', 'created_by', 'customer_id', 'deleted_at', 'deleted_by', 'id', 'type']);
    });
  });
}
