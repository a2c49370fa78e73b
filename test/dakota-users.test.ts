import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { DakotaClient } from './support/dakota-contract.ts';
import { seed } from '../src/seed/load.ts';
import { storedUsers } from './support/records.ts';
import { cmp, usersBy } from './support/order.ts';
import { createApiKey } from '../src/store/accounts-repo.ts';
import type { User } from '../src/core/model.ts';

// Dakota's users endpoints through real HTTP, compared with an in-memory oracle over the users
// read from the table.

const secs = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const view = (u: User) => ({ id: u.id, first_name: u.first_name, last_name: u.last_name, email: u.email, role: u.role, swift_enabled: u.swift_enabled, created_at: secs(u.created_at) });
/** Dakota's sort_by values, which are the canonical user sort keys. */
const SORT_BY = ['created_at', 'email', 'name', 'role'] as const;
const sorted = (users: User[], key: (typeof SORT_BY)[number] = 'created_at', dir: 'asc' | 'desc' = 'desc') => usersBy(users, { key, dir });

for (const kind of STORES) {
  describe(`dakota users (${kind})`, () => {
    let s: TestServer;
    let api: DakotaClient;
    let all: User[];
    const idem = () => ({ 'x-idempotency-key': randomUUID() });
    const reload = async () => {
      all = (await storedUsers(s.db, s.account.account_id)).filter((u) => !u.deleted_at);
    };
    async function listAll(params: string) {
      const data: any[] = [];
      let after = '';
      let total = -1;
      for (;;) {
        const res = await api.call('GET', `/users?limit=13${params ? '&' + params : ''}${after ? `&starting_after=${after}` : ''}`);
        assert.equal(res.status, 200, res.text);
        data.push(...res.body.data);
        total = res.body.meta.total_count;
        if (!res.body.meta.has_more_after) break;
        after = res.body.data.at(-1).id;
      }
      assert.equal(total, data.length);
      return data;
    }

    before(async () => {
      s = await startTestServer(kind);
      await seed(s.db, { accountId: s.account.account_id, customers: 0, users: 80, seed: 5 });
      api = await DakotaClient.connect(s.base, s.account.api_key);
      await reload();
    });
    after(() => s.close());

    test('default: created_at descending, 20 per page, in Dakota shape', async () => {
      const res = await api.call('GET', '/users');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.data, sorted(all).slice(0, 20).map(view));
      assert.deepEqual(res.body.meta, { total_count: all.length, has_more_after: true, has_more_before: false });
    });

    test('every sort_by in both directions, walked with starting_after and ending_before', async () => {
      for (const key of SORT_BY) {
        for (const dir of ['asc', 'desc'] as const) {
          const want = sorted(all, key, dir);
          assert.deepEqual(await listAll(`sort_by=${key}&sort_dir=${dir}`), want.map(view), `${key} ${dir}`);
          const back = await api.call('GET', `/users?sort_by=${key}&sort_dir=${dir}&limit=10&ending_before=${want[25].id}`);
          assert.deepEqual(
            back.body.data.map((u: any) => u.id),
            want.slice(15, 25).map((u) => u.id),
          );
          assert.deepEqual(back.body.meta, { total_count: all.length, has_more_after: true, has_more_before: true });
        }
      }
    });

    test('search across first name, last name, full name, email and id; roles; created range', async () => {
      const u = all[7];
      const matches = (term: string) => (x: User) => [x.first_name, x.last_name, `${x.first_name} ${x.last_name}`, x.email, x.id].some((v) => v.toLowerCase().includes(term.toLowerCase()));
      for (const term of [u.first_name.toUpperCase(), u.last_name.slice(1, 4), `${u.first_name} ${u.last_name}`, u.email, u.id.slice(3, 12)]) {
        const want = sorted(all.filter(matches(term)));
        assert.ok(want.length > 0);
        assert.deepEqual(await listAll(`search=${encodeURIComponent(term)}`), want.map(view), term);
      }
      assert.deepEqual(await listAll('roles=admin'), sorted(all.filter((x) => x.role === 'admin')).map(view));
      assert.deepEqual(await listAll('roles=viewer,admin'), sorted(all).map(view));
      const byTime = [...all].sort((a, b) => cmp(a.created_at, b.created_at));
      const lo = secs(byTime[10].created_at);
      const hi = secs(byTime[40].created_at);
      const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
      const want = sorted(all.filter((x) => secs(x.created_at) >= lo && secs(x.created_at) <= hi));
      assert.equal(want.length, 31);
      assert.deepEqual(await listAll(`created_at_from=${iso(lo)}&created_at_to=${iso(hi)}&roles=admin,viewer`), want.map(view));
    });

    test('400 for malformed parameters; 400 for a cursor that names no user', async () => {
      for (const [q, field] of [
        ['limit=0', 'limit'],
        ['limit=101', 'limit'],
        ['roles=member', 'roles'],
        ['sort_by=id', 'sort_by'],
        ['sort_dir=down', 'sort_dir'],
        ['created_at_to=soon', 'created_at_to'],
        ['starting_after=x', 'starting_after'],
      ]) {
        const res = await api.call('GET', `/users?${q}`);
        assert.equal(res.status, 400, q);
        assert.ok(
          res.body.errors.some((e: any) => e.field === field),
          q,
        );
      }
      const ghost = await api.call('GET', '/users?ending_before=1NFHrqBHb3cTfLVkFSGmHZqdDPi');
      assert.equal(ghost.status, 400);
    });

    test('POST /users: 201, replay by idempotency key, 409 on a duplicate email, 400 on a bad body', async () => {
      const key = randomUUID();
      const body = { first_name: 'John', last_name: 'Doe', email: 'john@example.com', role: 'admin' };
      const res = await api.call('POST', '/users', { headers: { 'x-idempotency-key': key }, body });
      assert.equal(res.status, 201);
      assert.deepEqual({ ...res.body, id: undefined, created_at: undefined }, { ...body, swift_enabled: false, id: undefined, created_at: undefined });
      assert.ok(Math.abs(res.body.created_at - Date.now() / 1000) < 5);
      const again = await api.call('POST', '/users', { headers: { 'x-idempotency-key': key }, body });
      assert.equal(again.status, 201);
      assert.equal(again.text, res.text);
      const dup = await api.call('POST', '/users', { headers: idem(), body: { ...body, email: 'JOHN@example.com' } });
      assert.equal(dup.status, 409);
      assert.equal(dup.body.title, 'User already exists');
      assert.equal(dup.body.type, 'https://docs.dakota.xyz/api-reference/errors#conflict');
      for (const [bad, field] of [
        [{ ...body, email: 'not-an-email' }, 'email'],
        [{ ...body, role: 'member' }, 'role'],
        [{ ...body, first_name: '' }, 'first_name'],
        [{ last_name: 'Doe', email: 'x@example.com', role: 'admin' }, 'first_name'],
      ] as const) {
        const r = await api.call('POST', '/users', { headers: idem(), body: bad });
        assert.equal(r.status, 400, JSON.stringify(bad));
        assert.ok(r.body.errors.some((e: any) => e.field === field));
      }
      const noKey = await api.call('POST', '/users', { body: { ...body, email: 'other@example.com' } });
      assert.equal(noKey.status, 400);
      assert.equal(noKey.body.errors[0].field, 'x-idempotency-key');
      // a canonical user: visible through /v1
      const native = await call(s.base, 'GET', `/v1/users/${res.body.id}`, { key: s.account.api_key });
      assert.equal(native.status, 200);
      assert.equal(native.body.email, 'john@example.com');
      await reload();
      assert.deepEqual((await api.call('GET', '/users?search=john%40example')).body.data, [res.body]);
    });

    test('PATCH /users/{id}: 204 and the change shows; 404; 400', async () => {
      const u = all[3];
      const res = await api.call('PATCH', `/users/${u.id}`, { headers: idem(), body: { first_name: 'Renamed', role: 'admin' } });
      assert.equal(res.status, 204);
      assert.equal(res.text, '');
      const [now] = (await api.call('GET', `/users?search=${u.id}`)).body.data;
      assert.deepEqual(now, { ...view(u), first_name: 'Renamed', role: 'admin' });
      const missing = await api.call('PATCH', '/users/1NFHrqBHb3cTfLVkFSGmHZqdDPi', { headers: idem(), body: { role: 'viewer' } });
      assert.equal(missing.status, 404);
      assert.equal(missing.body.title, 'User not found');
      for (const body of [{ role: 'owner' }, { last_name: '' }]) {
        const r = await api.call('PATCH', `/users/${u.id}`, { headers: idem(), body });
        assert.equal(r.status, 400);
      }
      assert.equal((await api.call('PATCH', `/users/${u.id}`, { body: { role: 'viewer' } })).status, 400);
      assert.equal((await api.call('PATCH', '/users/bad', { headers: idem(), body: { role: 'viewer' } })).status, 400);
      await reload();
    });

    test('DELETE /users/{id}: 204, gone from the list, then 404', async () => {
      const u = all[5];
      const res = await api.call('DELETE', `/users/${u.id}`);
      assert.equal(res.status, 204);
      assert.equal((await api.call('GET', `/users?search=${u.id}`)).body.meta.total_count, 0);
      const again = await api.call('DELETE', `/users/${u.id}`);
      assert.equal(again.status, 404);
      assert.equal(again.body.title, 'User not found');
      assert.equal((await api.call('DELETE', '/users/bad')).status, 400);
      await reload();
      assert.equal((await api.call('GET', '/users')).body.meta.total_count, all.length);
    });

    test('auth: 401 without a valid key, 403 for writes with a read-only key', async () => {
      assert.equal((await api.call('GET', '/users', { key: null })).status, 401);
      assert.equal((await api.call('GET', '/users', { key: 'wrong' })).status, 401);
      const reader = await createApiKey(s.db, s.account.account_id, 'reader', ['read']);
      assert.equal((await api.call('GET', '/users?limit=1', { key: reader })).status, 200);
      const denied = await api.call('POST', '/users', { key: reader, headers: idem(), body: { first_name: 'A', last_name: 'B', email: 'ab@example.com', role: 'viewer' } });
      assert.equal(denied.status, 403);
      assert.equal((await api.call('DELETE', `/users/${all[0].id}`, { key: reader })).status, 403);
      assert.equal((await api.call('PATCH', `/users/${all[0].id}`, { key: reader, headers: idem(), body: {} })).status, 403);
    });
  });
}
