import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { assertStampedSince, clockPast } from './support/clock.ts';
import { listAll, token } from './support/dintero-client.ts';
import { insertOAuthClient } from '../src/store/accounts-repo.ts';

// Single customers, tags and tokens through the Dintero dialect, and what they look like
// from the native API: one canonical record whichever API wrote it.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

for (const kind of STORES) {
  describe(`dintero customers, tags and tokens (${kind})`, () => {
    let s: TestServer;
    let aid: string;
    let key: string;
    const users = () => `/dintero/v1/accounts/${aid}/customers/users`;
    const post = (body: unknown) => call(s.base, 'POST', users(), { key, body });
    const expect400 = (r: { status: number; body: any }, field?: string) => {
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'BAD REQUEST');
      if (field)
        assert.ok(
          r.body.error.errors.some((e: any) => e.field === field),
          JSON.stringify(r.body),
        );
    };

    before(async () => {
      s = await startTestServer(kind);
      aid = s.account.account_id;
      key = await token(s.base, aid, s.account.client_id, s.account.client_secret);
    });
    after(() => s.close());

    test("POST creates a customer in Dintero's shape, with a generated customer_id when absent", async () => {
      const body = {
        first_name: 'John',
        last_name: 'Doe',
        email: 'customer@example.com',
        phone_number: '+4799999998',
        metadata: { dob_year: 1985, gone: null },
        attributes: { tier: 'gold' },
        status: 'active',
        favorite_store: 'Oslo S',
        enrolled_by: { value: 'https://facebook.com', type: 'url' },
        marketing_consent: { sms: { consent: true, updated_at: '2018-01-12T13:42:00Z' }, email: { consent: false } },
        addresses: [{ address_line: 'Sommerkroveien 34', postal_place: 'Oslo', country: 'NO', postal_code: '0349', type: 'home' }],
        term: { id: '3c90c3cc-0d44-4b50-8888-8dd25736052a', accepted_at: '2023-11-07T05:31:56Z' },
        gender: 'male',
        date_of_birth: '1990-09-20',
      };
      const r = await post(body);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const c = r.body;
      assert.match(c.id, UUID);
      assert.match(c.customer_id, UUID);
      assert.equal(c.type, 'customer');
      assert.deepEqual(c.metadata, { dob_year: 1985 });
      for (const k of [
        'first_name',
        'last_name',
        'email',
        'phone_number',
        'attributes',
        'status',
        'favorite_store',
        'enrolled_by',
        'marketing_consent',
        'addresses',
        'term',
        'gender',
        'date_of_birth',
      ] as const) {
        assert.deepEqual(c[k], body[k], k);
      }
      assert.equal(c.created_at, c.updated_at);
      assert.equal(c.created_by, s.account.client_id);
      assert.equal(c.deleted_at, undefined);
      const got = await call(s.base, 'GET', `${users()}/${c.customer_id}`, { key });
      assert.deepEqual(got.body, c);
    });

    test('customer_id, email per type (case-insensitive) and phone_number are unique: 400', async () => {
      assert.equal((await post({ customer_id: 'dup-1', email: 'dup@example.com', phone_number: '+4711111111' })).status, 200);
      expect400(await post({ customer_id: 'dup-1' }), 'customer_id');
      expect400(await post({ email: 'DUP@example.COM' }), 'email');
      expect400(await post({ phone_number: '+4711111111' }), 'phone_number');
      // Another type may share the email.
      assert.equal((await post({ type: 'employee', email: 'dup@example.com' })).status, 200);
      expect400(await post({ customer_id: ' padded ' }), 'customer_id');
      expect400(await post({ phone_number: '12-34' }), 'phone_number');
      expect400(await post({ type: 'company' }), 'company');
      expect400(await post({ type: 'customer', company: { bussiness_name: 'X' } }), 'company');
      expect400(await post({ nickname: 'x' }), 'nickname');
      const pw = await post({ first_name: 'P', password: 'secret' });
      assert.equal(pw.status, 403);
    });

    test('HEAD tells whether a customer with an email or phone number exists', async () => {
      await post({ customer_id: 'head-1', email: 'Head@Example.no', phone_number: '+4722222222', type: 'employee' });
      const head = (q: string, k = key) => call(s.base, 'HEAD', `${users()}?${q}`, { key: k });
      assert.equal((await head('email=head%40example.no')).status, 200);
      assert.equal((await head('phone_number=%2B4722222222')).status, 200);
      assert.equal((await head('email=head%40example.no&phone_number=%2B4700000000')).status, 404);
      assert.equal((await head('email=nobody%40example.no')).status, 404);
      assert.equal((await head('')).status, 400);
      assert.equal((await head('email=head%40example.no', '')).status, 401);
    });

    test('a company keeps its details; the canonical record gets its name and type', async () => {
      const r = await post({ type: 'company', customer_id: 'tkp', company: { bussiness_name: 'TKP tech AS', organization_number: '123456789MVA', department: 'sales department' } });
      assert.equal(r.status, 200);
      assert.equal(r.body.type, 'company');
      assert.equal(r.body.company.bussiness_name, 'TKP tech AS');
      const native = await call(s.base, 'GET', `/v1/customers?external_id=tkp`, { key: s.account.api_key });
      assert.equal(native.body.data.length, 1);
      assert.equal(native.body.data[0].type, 'business');
      assert.equal(native.body.data[0].name, 'TKP tech AS');
      assert.equal(native.body.data[0].uuid, r.body.id);
    });

    test('records written by the native API show up here with Dintero types', async () => {
      const op = await call(s.base, 'POST', '/v1/customers', { key: s.account.api_key, body: { type: 'operator', name: 'Charge Co', external_id: 'op-1' } });
      const bare = await call(s.base, 'POST', '/v1/customers', { key: s.account.api_key, body: { type: 'individual', first_name: 'No', last_name: 'Ext' } });
      assert.equal(op.status, 201);
      const got = await call(s.base, 'GET', `${users()}/op-1`, { key });
      assert.equal(got.body.type, 'company');
      assert.deepEqual(got.body.company, { bussiness_name: 'Charge Co' });
      // A record without an external id is addressed by its canonical id.
      const viaId = await call(s.base, 'GET', `${users()}/${bare.body.id}`, { key });
      assert.equal(viaId.status, 200);
      assert.equal(viaId.body.customer_id, bare.body.id);
      assert.equal(viaId.body.id, bare.body.uuid);
      // Writing type company back to an operator does not demote it.
      const put = await call(s.base, 'PUT', `${users()}/op-1`, { key, body: { type: 'company', status: 'ok' } });
      assert.equal(put.status, 200);
      const again = await call(s.base, 'GET', `/v1/customers/${op.body.id}`, { key: s.account.api_key });
      assert.equal(again.body.type, 'operator');
      assert.equal(again.body.status, 'ok');
    });

    test('PUT changes only the fields given; metadata keys set to null are removed', async () => {
      const c = (await post({ customer_id: 'put-1', first_name: 'Kari', last_name: 'Nordmann', email: 'kari@example.no', metadata: { a: 1, b: 2 } })).body;
      const since = await clockPast(c.updated_at);
      const r = await call(s.base, 'PUT', `${users()}/put-1`, { key, body: { last_name: 'Hansen', metadata: { b: null, c: 3 } } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.first_name, 'Kari');
      assert.equal(r.body.last_name, 'Hansen');
      assert.equal(r.body.email, 'kari@example.no');
      assert.deepEqual(r.body.metadata, { a: 1, c: 3 });
      assertStampedSince(r.body.updated_at, since, 'updated_at moves to the update');
      const native = await call(s.base, 'GET', `/v1/customers?external_id=put-1`, { key: s.account.api_key });
      assert.equal(native.body.data[0].name, 'Kari Hansen');
      assert.deepEqual((await call(s.base, 'PUT', `${users()}/put-1`, { key, body: { metadata: null } })).body.metadata, {});
      // A fetched record can be sent back as it is.
      const fetched = (await call(s.base, 'GET', `${users()}/put-1`, { key })).body;
      assert.equal((await call(s.base, 'PUT', `${users()}/put-1`, { key, body: { ...fetched, status: 'x' } })).status, 200);
      expect400(await call(s.base, 'PUT', `${users()}/put-1`, { key, body: { customer_id: 'other' } }), 'customer_id');
      assert.equal((await call(s.base, 'PUT', `${users()}/nobody`, { key, body: { status: 'x' } })).status, 404);
    });

    test('DELETE answers with the projected record; the customer is gone but its id is free again', async () => {
      const c = (await post({ customer_id: 'del-1', email: 'del@example.no' })).body;
      const r = await call(s.base, 'DELETE', `${users()}/del-1?delete_tokens=true`, { key });
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.body).sort(), ['created_at', 'created_by', 'customer_id', 'deleted_at', 'deleted_by', 'id', 'type']);
      assert.equal(r.body.id, c.id);
      assert.equal(r.body.deleted_by, s.account.client_id);
      const gone = await call(s.base, 'GET', `${users()}/del-1`, { key });
      assert.equal(gone.status, 404);
      assert.deepEqual(gone.body, { error: { code: 'NOT FOUND', message: 'Customer not found' } });
      assert.equal((await call(s.base, 'DELETE', `${users()}/del-1`, { key })).status, 404);
      assert.equal((await post({ customer_id: 'del-1', email: 'del@example.no' })).status, 200);
    });

    test('change_customer_id moves the customer and records the change in metadata', async () => {
      await post({ customer_id: 'old-id', first_name: 'Move' });
      const r = await call(s.base, 'POST', `${users()}/old-id/change_customer_id`, { key, body: { customer_id: 'new-id' } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.customer_id, 'new-id');
      const [entry] = Object.entries(r.body.metadata).filter(([k]) => k.startsWith('dintero_change_customer_id_'));
      assert.deepEqual({ ...(entry[1] as object), created_at: undefined }, { created_at: undefined, created_by: s.account.client_id, old: 'old-id', new: 'new-id' });
      assert.equal((await call(s.base, 'GET', `${users()}/old-id`, { key })).status, 404);
      assert.equal((await call(s.base, 'GET', `${users()}/new-id`, { key })).status, 200);
    });

    test('tags: create, list, set on a customer, delete (which takes it off customers)', async () => {
      const tags = `/dintero/v1/accounts/${aid}/customers/tags`;
      const vip = (await call(s.base, 'POST', tags, { key, body: { tag: 'VIP', metadata: { color: 'gold' } } })).body;
      const staff = (await call(s.base, 'POST', tags, { key, body: { tag: 'Staff' } })).body;
      assert.match(vip.id, UUID);
      assert.deepEqual(vip.metadata, { color: 'gold' });
      assert.deepEqual(
        (await call(s.base, 'GET', tags, { key })).body.map((t: any) => t.tag),
        ['VIP', 'Staff'],
      );
      await post({ customer_id: 'tagged' });
      const set = await call(s.base, 'PUT', `${users()}/tagged/tags`, { key, body: [vip.id, staff.id, vip.id] });
      assert.equal(set.status, 200);
      assert.deepEqual(
        set.body.map((t: any) => t.id),
        [vip.id, staff.id],
      );
      assert.deepEqual(
        (await call(s.base, 'GET', `${users()}/tagged/tags`, { key })).body.map((t: any) => t.tag),
        ['VIP', 'Staff'],
      );
      expect400(await call(s.base, 'PUT', `${users()}/tagged/tags`, { key, body: ['00000000-0000-4000-8000-000000000000'] }));
      const del = await call(s.base, 'DELETE', `${tags}/${vip.id}`, { key });
      assert.equal(del.status, 200);
      assert.ok(del.body.deleted_at);
      assert.deepEqual(
        (await call(s.base, 'GET', `${users()}/tagged/tags`, { key })).body.map((t: any) => t.tag),
        ['Staff'],
      );
      assert.deepEqual(
        (await call(s.base, 'GET', tags, { key })).body.map((t: any) => t.tag),
        ['Staff'],
      );
      assert.equal((await listAll(s.base, key, aid, { tag_id: vip.id })).length, 0);
      assert.equal((await listAll(s.base, key, aid, { tag_id: staff.id })).length, 1);
      assert.equal((await call(s.base, 'DELETE', `${tags}/${vip.id}`, { key })).status, 404);
    });

    test('tokens: add (201), list with type, paging and total, delete', async () => {
      await post({ customer_id: 'tok' });
      const tokens = `${users()}/tok/tokens`;
      const created: any[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await call(s.base, 'POST', tokens, {
          key,
          body: { type: i % 2 ? 'card' : 'sha1:email', value: `v${i}`, ...(i === 0 ? { token_id: 'mine', metadata: { mask_pan: '**** 3477' } } : {}) },
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        created.push(r.body);
      }
      assert.equal(created[0].token_id, 'mine');
      assert.equal(created[1].token_id, created[1].id);
      assert.equal((await call(s.base, 'POST', tokens, { key, body: { type: 'x', value: 'y', token_id: 'mine' } })).status, 400);
      const page1 = await call(s.base, 'GET', `${tokens}?limit=2&total=true`, { key });
      assert.equal(page1.headers.get('total-count'), '5');
      const page2 = await call(s.base, 'GET', `${tokens}?limit=2&starting_after=${page1.headers.get('paging-token')}`, { key });
      const page3 = await call(s.base, 'GET', `${tokens}?limit=2&starting_after=${page2.headers.get('paging-token')}`, { key });
      assert.equal(page3.headers.get('paging-token'), null);
      assert.deepEqual(
        [...page1.body, ...page2.body, ...page3.body].map((t) => t.token_id),
        created.map((t) => t.token_id),
      );
      assert.deepEqual(
        (await call(s.base, 'GET', `${tokens}?type=card`, { key })).body.map((t: any) => t.value),
        ['v1', 'v3'],
      );
      const del = await call(s.base, 'DELETE', `${tokens}/mine`, { key });
      assert.equal(del.status, 200);
      assert.ok(del.body.deleted_at);
      assert.equal((await call(s.base, 'GET', tokens, { key })).body.length, 4);
      assert.equal((await call(s.base, 'GET', `${tokens}?include_deleted=true`, { key })).body.length, 5);
      assert.equal((await listAll(s.base, key, aid, { token_value: 'v0' })).length, 0);
      assert.equal((await listAll(s.base, key, aid, { token_value: 'v1' }))[0].customer_id, 'tok');
      assert.equal((await call(s.base, 'DELETE', `${tokens}/mine`, { key })).status, 404);
    });

    test('test and live data never mix', async () => {
      const liveAid = aid.replace(/^T/, 'P');
      const liveClient = await s.db.transaction((tx) => insertOAuthClient(tx, liveAid, 'live', ['admin:customers']));
      const liveKey = await token(s.base, liveAid, liveClient.client_id, liveClient.client_secret);
      const liveUsers = `/dintero/v1/accounts/${liveAid}/customers/users`;
      assert.deepEqual((await call(s.base, 'GET', `${liveUsers}?type=any`, { key: liveKey })).body, []);
      const c = await call(s.base, 'POST', liveUsers, { key: liveKey, body: { customer_id: 'tagged', email: 'live@example.no' } });
      assert.equal(c.status, 200, 'a customer_id used in test mode is free in live mode');
      assert.deepEqual(
        (await call(s.base, 'GET', `${liveUsers}?type=any`, { key: liveKey })).body.map((x: any) => x.id),
        [c.body.id],
      );
      assert.ok(!(await listAll(s.base, key, aid, { type: 'any' })).some((x) => x.id === c.body.id));
      assert.equal((await call(s.base, 'GET', `${liveUsers}/tagged`, { key })).status, 403);
    });
  });
}
