import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { token } from './support/dintero-client.ts';

// What deleting a customer that owns others does, per surface (README, "Deleting"): the native
// API refuses with 409 unless asked to detach them; Dintero, which has no hierarchy a client
// could act on, detaches them; Spirii refuses, as its rules say. No surface leaves a live
// customer below a deleted one, and a second delete of the same record is a 404 everywhere.

for (const kind of STORES) {
  describe(`deleting a customer that owns others (${kind})`, () => {
    let s: TestServer;
    let key: string;
    const v1 = (method: string, path: string, body?: unknown) => call(s.base, method, `/v1${path}`, { key, body });
    const make = async (body: Record<string, unknown>) => {
      const r = await v1('POST', '/customers', body);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };
    /** An operator above an owner above two customers, one of which owns one more. */
    const tree = async (tag: string, external?: string) => {
      const operator = await make({ name: `${tag} operator`, type: 'operator' });
      const owner = await make({ name: `${tag} owner`, type: 'business', parent_id: operator.id, external_id: external });
      const a = await make({ name: `${tag} a`, type: 'business', parent_id: owner.id });
      const b = await make({ name: `${tag} b`, parent_id: owner.id });
      const below = await make({ name: `${tag} below a`, parent_id: a.id });
      return { operator, owner, a, b, below };
    };
    const get = async (id: string) => (await v1('GET', `/customers?include_deleted=true&id=${id}`)).body.data[0];

    before(async () => {
      s = await startTestServer(kind);
      key = s.account.api_key;
    });
    after(() => s.close());

    test('the native API refuses with 409 while live customers are below, and changes nothing', async () => {
      const t = await tree('Native');
      const r = await v1('DELETE', `/customers/${t.owner.id}`);
      assert.equal(r.status, 409);
      assert.equal(r.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.equal(r.body.code, 'conflict');
      assert.deepEqual(r.body.errors, [{ field: 'id', message: 'owns other customers', code: 'has_children' }]);
      assert.equal((await get(t.owner.id)).deleted_at, null);
      assert.equal((await get(t.a.id)).parent_id, t.owner.id);
      // Once the customers below are gone, the delete goes through.
      for (const id of [t.below.id, t.a.id, t.b.id]) assert.equal((await v1('DELETE', `/customers/${id}`)).status, 200);
      assert.equal((await v1('DELETE', `/customers/${t.owner.id}`)).status, 200);
      assert.equal((await v1('DELETE', `/customers/${t.owner.id}`)).status, 404, 'a second delete finds it gone');
    });

    test('with detach_children=true the customers below become the tops of their own trees', async () => {
      const t = await tree('Detached');
      const r = await v1('DELETE', `/customers/${t.owner.id}?detach_children=true`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(r.body.deleted_at);
      for (const child of [t.a, t.b]) {
        const c = await get(child.id);
        assert.equal(c.deleted_at, null);
        assert.deepEqual([c.parent_id, c.parent_name, c.operator_id, c.operator_name, c.ancestors], [null, null, null, null, []], `${c.name} detached`);
      }
      const below = await get(t.below.id);
      assert.deepEqual([below.parent_id, below.operator_id, below.ancestors], [t.a.id, null, [t.a.id]], 'the tree below a child moves up with it');
      assert.equal((await v1('GET', `/customers?parent_id=${t.owner.id}`)).body.data.length, 0);
    });

    test('Dintero detaches the customers below; Spirii refuses; a second delete is a 404 on each', async () => {
      const aid = s.account.account_id;
      const jwt = await token(s.base, aid, s.account.client_id, s.account.client_secret);
      const t = await tree('Dintero', 'dintero-owner');
      const del = await call(s.base, 'DELETE', `/dintero/v1/accounts/${aid}/customers/users/dintero-owner`, { key: jwt });
      assert.equal(del.status, 200, JSON.stringify(del.body));
      assert.equal((await get(t.a.id)).parent_id, null);
      assert.equal((await get(t.b.id)).ancestors.length, 0);
      assert.equal((await call(s.base, 'DELETE', `/dintero/v1/accounts/${aid}/customers/users/dintero-owner`, { key: jwt })).status, 404);

      const u = await tree('Spirii');
      const spirii = await call(s.base, 'DELETE', `/spirii/v2/customers/${u.a.number}`, { key });
      assert.equal(spirii.status, 400);
      assert.equal(spirii.body.error.code, 'customer_owns_customers');
      assert.equal((await get(u.a.id)).deleted_at, null);
      assert.equal((await call(s.base, 'DELETE', `/spirii/v2/customers/${u.below.number}`, { key })).status, 202);
      assert.equal((await call(s.base, 'DELETE', `/spirii/v2/customers/${u.below.number}`, { key })).status, 404);
    });
  });
}
