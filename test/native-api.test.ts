import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { assertStampedSince, clockPast } from './support/clock.ts';
import { createAccount, createApiKey, revokeApiKey } from '../src/store/accounts-repo.ts';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import * as S from '../src/dialects/native/schemas.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
ajv.addSchema(S.Customer).addSchema(S.User);
const validCustomerList = ajv.compile(S.CustomerList);
const validUserList = ajv.compile(S.UserList);

for (const kind of STORES) {
  describe(`native API (${kind})`, () => {
    let s: TestServer;
    let key: string;
    before(async () => {
      s = await startTestServer(kind);
      key = s.account.api_key;
    });
    after(() => s.close());

    test('create, get, update, delete and list a customer', async () => {
      const created = await call(s.base, 'POST', '/v1/customers', {
        key,
        body: {
          name: 'Ada Lovelace',
          type: 'individual',
          email: 'Ada@Example.com',
          external_id: 'ada-1',
          product_accounts: [{ product: 'crypto', kyc_status: 'approved', kyc_approved_at: '2025-01-02T03:04:05.000Z', current_market_value: '0.10' }],
        },
      });
      assert.equal(created.status, 201);
      const c = created.body;
      assert.match(c.id, /^[0-9A-Za-z]{27}$/);
      assert.equal(typeof c.number, 'number');
      assert.match(c.uuid, /^[0-9a-f-]{36}$/);
      assert.equal(c.kyc_status, 'not_started');
      assert.deepEqual(c.product_accounts, [{ product: 'crypto', kyc_status: 'approved', kyc_approved_at: '2025-01-02T03:04:05.000Z', current_market_value: '0.10' }]);

      const got = await call(s.base, 'GET', `/v1/customers/${c.id}`, { key });
      assert.equal(got.status, 200);
      assert.equal(got.body.email, 'Ada@Example.com');

      const since = await clockPast(c.updated_at);
      const patched = await call(s.base, 'PATCH', `/v1/customers/${c.id}`, { key, body: { application: { id: 'app1', status: 'submitted', decision: 'approved' }, country: 'GB' } });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.kyc_status, 'approved', 'kyc_status is derived from the application decision on write');
      assert.equal(patched.body.name, 'Ada Lovelace', 'fields not in the patch are kept');
      assert.equal(patched.body.country, 'GB');
      assertStampedSince(patched.body.updated_at, since, 'updated_at moves to the update');

      const byEmail = await call(s.base, 'GET', '/v1/customers?email=ADA@example.COM', { key });
      assert.deepEqual(
        byEmail.body.data.map((r: any) => r.id),
        [c.id],
        'email filter is case-insensitive',
      );

      const del = await call(s.base, 'DELETE', `/v1/customers/${c.id}`, { key });
      assert.equal(del.status, 200);
      assert.ok(del.body.deleted_at);
      assert.equal((await call(s.base, 'GET', `/v1/customers/${c.id}`, { key })).status, 404);
      const listed = await call(s.base, 'GET', '/v1/customers?external_id=ada-1', { key });
      assert.equal(listed.body.data.length, 0, 'deleted records are hidden by default');
      const withDeleted = await call(s.base, 'GET', '/v1/customers?external_id=ada-1&include_deleted=true', { key });
      assert.deepEqual(
        withDeleted.body.data.map((r: any) => r.id),
        [c.id],
      );
      // A deleted record frees its external id.
      assert.equal((await call(s.base, 'POST', '/v1/customers', { key, body: { name: 'Ada again', external_id: 'ada-1' } })).status, 201);
    });

    test('list pages carry the same records as single reads, in the documented shape', async () => {
      const parent = (await call(s.base, 'POST', '/v1/customers', { key, body: { name: 'Shape Parent Ltd', type: 'business', external_id: 'shape-parent' } })).body;
      const child = (
        await call(s.base, 'POST', '/v1/customers', {
          key,
          body: {
            name: 'Shape Child',
            type: 'individual',
            parent_id: parent.id,
            application: { id: 'a-1', status: 'submitted' },
            product_accounts: [{ product: 'crypto', kyc_status: 'approved', kyc_approved_at: '2025-01-02T03:04:05.678Z', current_market_value: '12.50' }],
          },
        })
      ).body;
      const page = await call(s.base, 'GET', '/v1/customers?external_id=shape-parent&include_deleted=true', { key });
      const children = await call(s.base, 'GET', `/v1/customers?parent_id=${parent.id}&count=true`, { key });
      for (const res of [page, children]) {
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
        assert.ok(validCustomerList(res.body), JSON.stringify(validCustomerList.errors));
      }
      assert.equal(children.body.total_count, 1);
      const listed = children.body.data[0];
      assert.equal(listed.id, child.id);
      assert.equal(listed.parent_number, parent.number);
      assert.deepEqual(listed.ancestors, [parent.id]);
      assert.equal(listed.application_status, 'submitted');
      assert.equal(listed.product_accounts[0].kyc_approved_at, '2025-01-02T03:04:05.678Z');
      assert.deepEqual(listed, (await call(s.base, 'GET', `/v1/customers/${child.id}`, { key })).body);
      assert.deepEqual(page.body.data[0], (await call(s.base, 'GET', `/v1/customers/${parent.id}`, { key })).body);
      const users = await call(s.base, 'GET', '/v1/users?limit=2', { key });
      assert.ok(validUserList(users.body), JSON.stringify(validUserList.errors));
    });

    test('exact counts stay exact across writes (the count cache follows the write version)', async () => {
      const count = async (q = '') => (await call(s.base, 'GET', `/v1/customers?count=true&limit=1${q}`, { key })).body.total_count;
      const start = await count();
      assert.equal(await count(), start);
      const made = await call(s.base, 'POST', '/v1/customers', { key, body: { name: 'Counted', type: 'business' } });
      assert.equal(await count(), start + 1);
      const businesses = await count('&type=business');
      await call(s.base, 'PATCH', `/v1/customers/${made.body.id}`, { key, body: { type: 'individual' } });
      assert.equal(await count('&type=business'), businesses - 1);
      await call(s.base, 'DELETE', `/v1/customers/${made.body.id}`, { key });
      assert.equal(await count(), start);
    });

    test('numbers increase per account', async () => {
      const a = await call(s.base, 'POST', '/v1/customers', { key, body: { name: 'First' } });
      const b = await call(s.base, 'POST', '/v1/customers', { key, body: { name: 'Second' } });
      assert.equal(b.body.number, a.body.number + 1);
    });

    test('hierarchy: owner, operator and descendants follow a move', async () => {
      const post = async (body: object) => (await call(s.base, 'POST', '/v1/customers', { key, body })).body;
      const op = await post({ name: 'Volt CPO', type: 'operator' });
      const sub = await post({ name: 'Volt North', type: 'operator_subsidiary', parent_id: op.id });
      const biz = await post({ name: 'Fleet Co', type: 'business', parent_id: sub.id });
      const person = await post({ name: 'Driver', type: 'individual', parent_id: biz.id });
      assert.equal(person.operator_id, op.id);
      assert.equal(person.parent_name, 'Fleet Co');
      const below = await call(s.base, 'GET', `/v1/customers?ancestor_id=${op.id}&sort=number`, { key });
      assert.deepEqual(
        below.body.data.map((r: any) => r.id),
        [sub.id, biz.id, person.id],
      );
      // Move the business under a new operator: its whole subtree follows.
      const op2 = await post({ name: 'Other CPO', type: 'operator' });
      const moved = await call(s.base, 'PATCH', `/v1/customers/${biz.id}`, { key, body: { parent_id: op2.id } });
      assert.equal(moved.body.operator_id, op2.id);
      const p = (await call(s.base, 'GET', `/v1/customers/${person.id}`, { key })).body;
      assert.equal(p.operator_id, op2.id);
      assert.equal(p.operator_name, 'Other CPO');
      const under2 = await call(s.base, 'GET', `/v1/customers?operator_id=${op2.id}&sort=number`, { key });
      assert.deepEqual(
        under2.body.data.map((r: any) => r.id),
        [biz.id, person.id],
      );
      const underOld = await call(s.base, 'GET', `/v1/customers?ancestor_id=${op.id}`, { key });
      assert.deepEqual(
        underOld.body.data.map((r: any) => r.id),
        [sub.id],
      );
      // No cycles.
      const cycle = await call(s.base, 'PATCH', `/v1/customers/${op2.id}`, { key, body: { parent_id: person.id } });
      assert.equal(cycle.status, 400);
      assert.equal(cycle.body.errors[0].field, 'parent_id');
    });

    test('bad input: problem+json naming the field, and nothing written', async () => {
      const before = (await call(s.base, 'GET', '/v1/customers?count=true&limit=1', { key })).body.total_count;
      const bad = await call(s.base, 'POST', '/v1/customers', { key, body: { name: 'X', type: 'alien', email: 'not-an-email' } });
      assert.equal(bad.status, 400);
      assert.equal(bad.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.equal(bad.body.code, 'invalid_request');
      const fields = bad.body.errors.map((e: any) => e.field).sort();
      assert.deepEqual(fields, ['email', 'type']);
      const badParent = await call(s.base, 'POST', '/v1/customers', { key, body: { name: 'Orphan', parent_id: 'A'.repeat(27) } });
      assert.equal(badParent.status, 400);
      const unknownField = await call(s.base, 'POST', '/v1/customers', { key, body: { name: 'X', shoe_size: 42 } });
      assert.equal(unknownField.status, 400);
      assert.equal((await call(s.base, 'GET', '/v1/customers?count=true&limit=1', { key })).body.total_count, before);
      for (const q of ['limit=0', 'limit=101', 'sort=shoe_size', 'starting_after=short', 'created_at_gte=yesterday', 'cursor=garbage']) {
        const r = await call(s.base, 'GET', `/v1/customers?${q}`, { key });
        assert.equal(r.status, 400, q);
        assert.equal(r.body.status, 400, q);
      }
      const missing = await call(s.base, 'GET', `/v1/customers?starting_after=${'Z'.repeat(27)}`, { key });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.code, 'invalid_cursor');
    });

    test('duplicates are conflicts: external id, and email per type', async () => {
      await call(s.base, 'POST', '/v1/customers', { key, body: { name: 'A', external_id: 'dup-1', email: 'dup@example.com' } });
      const sameExt = await call(s.base, 'POST', '/v1/customers', { key, body: { name: 'B', external_id: 'dup-1' } });
      assert.equal(sameExt.status, 409);
      assert.equal(sameExt.body.errors[0].field, 'external_id');
      const sameEmail = await call(s.base, 'POST', '/v1/customers', { key, body: { name: 'C', email: 'DUP@example.com' } });
      assert.equal(sameEmail.status, 409);
      assert.equal(sameEmail.body.errors[0].field, 'email');
      const otherType = await call(s.base, 'POST', '/v1/customers', { key, body: { name: 'D', email: 'dup@example.com', type: 'business' } });
      assert.equal(otherType.status, 201, 'email is unique per type');
    });

    test('Idempotency-Key replays the same request and refuses a different body', async () => {
      const body = { name: 'Idem Corp', type: 'business' };
      const headers = { 'idempotency-key': 'key-123' };
      const first = await call(s.base, 'POST', '/v1/customers', { key, body, headers });
      const again = await call(s.base, 'POST', '/v1/customers', { key, body, headers });
      assert.equal(first.status, 201);
      assert.equal(again.status, 201);
      assert.deepEqual(again.body, first.body);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      const listed = await call(s.base, 'GET', '/v1/customers?search=idem+corp', { key });
      assert.equal(listed.body.data.length, 1, 'the replay wrote nothing');
      const other = await call(s.base, 'POST', '/v1/customers', { key, body: { name: 'Other' }, headers });
      assert.equal(other.status, 422);
      assert.equal(other.body.code, 'idempotency_mismatch');
    });

    test('auth: 401 without or with a bad or revoked key, 403 without the scope', async () => {
      assert.equal((await call(s.base, 'GET', '/v1/customers')).status, 401);
      assert.equal((await call(s.base, 'GET', '/v1/customers', { key: 'rk_test_nope' })).status, 401);
      const viaHeader = await call(s.base, 'GET', '/v1/customers', { headers: { 'x-api-key': key } });
      assert.equal(viaHeader.status, 200);
      const readOnly = await createApiKey(s.db, s.account.account_id, 'ro', ['read']);
      assert.equal((await call(s.base, 'GET', '/v1/customers', { key: readOnly })).status, 200);
      const denied = await call(s.base, 'POST', '/v1/customers', { key: readOnly, body: { name: 'Nope' } });
      assert.equal(denied.status, 403);
      assert.equal(denied.body.code, 'forbidden');
      const doomed = await createApiKey(s.db, s.account.account_id, 'doomed', ['read']);
      await revokeApiKey(s.db, doomed);
      assert.equal((await call(s.base, 'GET', '/v1/customers', { key: doomed })).status, 401);
    });

    test('accounts never see each other, and test and live modes are apart', async () => {
      const mine = await call(s.base, 'POST', '/v1/customers', { key, body: { name: 'Mine Only' } });
      const other = await createAccount(s.db, 'Other', 'test');
      const theirs = await call(s.base, 'GET', '/v1/customers?search=mine+only', { key: other.api_key });
      assert.equal(theirs.body.data.length, 0);
      assert.equal((await call(s.base, 'GET', `/v1/customers/${mine.body.id}`, { key: other.api_key })).status, 404);
      assert.equal((await call(s.base, 'PATCH', `/v1/customers/${mine.body.id}`, { key: other.api_key, body: { name: 'Hijack' } })).status, 404);
      const live = await createApiKey(s.db, s.account.account_id.replace('T', 'P'), 'live', ['read']);
      assert.equal((await call(s.base, 'GET', `/v1/customers/${mine.body.id}`, { key: live })).status, 404, 'live mode does not see test records');
    });

    test('users: create, duplicate email, list with search and role, update, delete', async () => {
      const u = await call(s.base, 'POST', '/v1/users', { key, body: { first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.com', role: 'admin' } });
      assert.equal(u.status, 201);
      const dup = await call(s.base, 'POST', '/v1/users', { key, body: { first_name: 'G', last_name: 'H', email: 'GRACE@example.com', role: 'viewer' } });
      assert.equal(dup.status, 409);
      await call(s.base, 'POST', '/v1/users', { key, body: { first_name: 'Alan', last_name: 'Turing', email: 'alan@example.com', role: 'viewer' } });
      const admins = await call(s.base, 'GET', '/v1/users?role=admin', { key });
      assert.deepEqual(
        admins.body.data.map((x: any) => x.email),
        ['grace@example.com'],
      );
      const found = await call(s.base, 'GET', '/v1/users?search=TURI&sort=-name', { key });
      assert.deepEqual(
        found.body.data.map((x: any) => x.last_name),
        ['Turing'],
      );
      const up = await call(s.base, 'PATCH', `/v1/users/${u.body.id}`, { key, body: { role: 'viewer' } });
      assert.equal(up.body.role, 'viewer');
      assert.equal((await call(s.base, 'DELETE', `/v1/users/${u.body.id}`, { key })).status, 204);
      assert.equal((await call(s.base, 'GET', `/v1/users/${u.body.id}`, { key })).status, 404);
      const byName = await call(s.base, 'GET', '/v1/users?sort=name', { key });
      assert.deepEqual(
        byName.body.data.map((x: any) => x.first_name),
        ['Alan'],
      );
    });

    test('OpenAPI document and docs page are served', async () => {
      const doc = await call(s.base, 'GET', '/v1/openapi.json');
      assert.equal(doc.status, 200);
      assert.ok(doc.body.paths['/v1/customers'].get);
      assert.ok(doc.body.paths['/v1/customers/{id}'].patch);
      const docs = await fetch(`${s.base}/docs/`);
      assert.equal(docs.status, 200);
      assert.match(await docs.text(), /<html/i);
    });
  });
}
