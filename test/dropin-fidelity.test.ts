import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { token } from './support/dintero-client.ts';

// What real clients of each vendor do that a contract check from the seed pages missed: bodiless
// requests that still say Content-Type: application/json, a name given only as first and last
// name, an idempotent retry with its keys in another order, the documented since_datetime loop,
// form-encoded token requests, array parameters in bracket style, trailing slashes, a bare key
// in Authorization, short searches on external ids.

for (const kind of STORES) {
  describe(`drop-in fidelity (${kind})`, () => {
    let s: TestServer;
    let key: string;
    let aid: string;
    let jwt: string;
    const v1 = (method: string, path: string, body?: unknown) => call(s.base, method, `/v1${path}`, { key, body });
    const dakota = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => call(s.base, method, `/dakota${path}`, { headers: { 'x-api-key': key, ...headers }, body });
    const dintero = (method: string, path: string, body?: unknown) => call(s.base, method, `/dintero/v1/accounts/${aid}${path}`, { key: jwt, body });

    before(async () => {
      s = await startTestServer(kind);
      key = s.account.api_key;
      aid = s.account.account_id;
      jwt = await token(s.base, aid, s.account.client_id, s.account.client_secret);
    });
    after(() => s.close());

    test('a bodiless request that says Content-Type: application/json is served as if it had no body, on every surface', async () => {
      const user = await dakota('POST', '/users', { first_name: 'Del', last_name: 'Ete', email: 'del@example.com', role: 'viewer' }, { 'x-idempotency-key': crypto.randomUUID() });
      assert.equal(user.status, 201, JSON.stringify(user.body));
      const json = { 'content-type': 'application/json' };
      const del = await fetch(`${s.base}/dakota/users/${user.body.id}`, { method: 'DELETE', headers: { 'x-api-key': key, ...json } });
      assert.equal(del.status, 204, 'the Dakota SDK deletes a user this way');
      for (const [path, headers] of [
        ['/v1/customers', { authorization: `Bearer ${key}` }],
        ['/dakota/customers', { 'x-api-key': key }],
        ['/spirii/v2/customers', { authorization: `Bearer ${key}` }],
        [`/dintero/v1/accounts/${aid}/customers/users`, { authorization: `Bearer ${jwt}` }],
        ['/investifi/v1/users/', { 'x-api-key': key }],
      ] as const) {
        const res = await fetch(s.base + path, { headers: { ...headers, ...json } });
        assert.equal(res.status, 200, `GET ${path}`);
      }
    });

    test('a name given as first and last name is the display name everywhere: shown, sorted, searched, carried by the customers below', async () => {
      const zed = (await v1('POST', '/customers', { first_name: 'Zed', last_name: 'Zulu', type: 'business' })).body;
      const abe = (await v1('POST', '/customers', { name: 'Abe Able', type: 'business' })).body;
      const below = (await v1('POST', '/customers', { name: 'Below Zed', parent_id: zed.id })).body;
      assert.equal(zed.name, null, 'the name itself stays as given');
      assert.equal(zed.display_name, 'Zed Zulu');
      assert.equal(below.parent_name, 'Zed Zulu');
      const listed = (await dakota('GET', '/customers?sort_by=name&sort_dir=desc&limit=100')).body.data;
      assert.equal(listed.find((c: any) => c.id === zed.id).name, 'Zed Zulu');
      assert.ok(listed.findIndex((c: any) => c.id === zed.id) < listed.findIndex((c: any) => c.id === abe.id), 'sorted by the display name');
      for (const [surface, res] of [
        ['dakota', await dakota('GET', '/customers?search=Zed%20Zulu')],
        ['native', await v1('GET', '/customers?search=zed%20zulu')],
        ['spirii', await call(s.base, 'GET', '/spirii/v2/customers?search=Zed%20Zulu', { key })],
      ] as const) {
        const ids = (res.body.data as any[]).map((c) => c.id);
        assert.ok(ids.includes(surface === 'spirii' ? zed.number : zed.id), `${surface} finds it: ${JSON.stringify(res.body).slice(0, 300)}`);
      }
      // A new first name is a new display name, carried by the customers below.
      await v1('PATCH', `/customers/${zed.id}`, { first_name: 'Zoe' });
      assert.equal((await v1('GET', `/customers/${below.id}`)).body.parent_name, 'Zoe Zulu');
    });

    test('an idempotent retry with the same JSON in another key order is the same request', async () => {
      const idem = crypto.randomUUID();
      const first = await dakota('POST', '/customers', { name: 'Ordered Ltd', customer_type: 'business', external_id: 'ord-1' }, { 'x-idempotency-key': idem });
      assert.equal(first.status, 201);
      const again = await dakota('POST', '/customers', { external_id: 'ord-1', customer_type: 'business', name: 'Ordered Ltd' }, { 'x-idempotency-key': idem });
      assert.equal(again.status, 201, JSON.stringify(again.body));
      assert.equal(again.body.id, first.body.id);
      const other = await call(s.base, 'POST', '/v1/customers', { key, headers: { 'idempotency-key': idem }, body: { name: 'Other Ltd' } });
      assert.equal(other.status, 201, 'the key is per surface');
      const nativeKey = crypto.randomUUID();
      const a = await call(s.base, 'POST', '/v1/customers', { key, headers: { 'idempotency-key': nativeKey }, body: { name: 'N', metadata: { x: 1, y: 2 } } });
      const b = await call(s.base, 'POST', '/v1/customers', { key, headers: { 'idempotency-key': nativeKey }, body: { metadata: { y: 2, x: 1 }, name: 'N' } });
      assert.equal(b.headers.get('idempotent-replayed'), 'true');
      assert.equal(b.body.id, a.body.id);
    });

    test("Dintero's since_datetime loop ends, with every change once, at any limit; changes made together get distinct times", async () => {
      const made = await Promise.all(Array.from({ length: 12 }, (_, i) => dintero('POST', '/customers/users', { customer_id: `sync-${i}`, first_name: `Sync ${i}` })));
      for (const r of made) assert.equal(r.status, 200, JSON.stringify(r.body));
      const stamps = made.map((r) => r.body.updated_at);
      assert.equal(new Set(stamps).size, stamps.length, 'no two changes of an account share an updated_at');
      // Records loaded from elsewhere may share one: five of them, made to.
      await s.db.query(`UPDATE customers SET updated_at = '2030-01-01T00:00:00.000Z' WHERE account_id = $1 AND external_id IN ('sync-1', 'sync-3', 'sync-5', 'sync-7', 'sync-9')`, [aid]);
      const everyone = (await dintero('GET', '/customers/users?limit=100')).body.map((c: any) => c.id).sort();
      for (const limit of [1, 2, 3, 100]) {
        const seen: string[] = [];
        let since = '1970-01-01T00:00:00Z';
        for (let round = 0; ; round++) {
          assert.ok(round < 200, `limit ${limit}: the loop ends`);
          const page = await dintero('GET', `/customers/users?since_datetime=${encodeURIComponent(since)}&limit=${limit}`);
          assert.equal(page.status, 200, JSON.stringify(page.body));
          seen.push(...page.body.map((c: any) => c.id));
          if (page.body.length < limit) break;
          since = page.body.at(-1).updated_at;
        }
        assert.deepEqual([...seen].sort(), everyone, `limit ${limit}: every customer once`);
      }
    });

    test('Dintero: deleted customers come with since_datetime only when include_deleted is asked for', async () => {
      const gone = (await dintero('POST', '/customers/users', { customer_id: 'gone-1', first_name: 'Gone' })).body;
      const since = new Date(Date.parse(gone.updated_at) - 1).toISOString();
      assert.equal((await dintero('DELETE', '/customers/users/gone-1')).status, 200);
      const plain = (await dintero('GET', `/customers/users?since_datetime=${since}`)).body;
      assert.ok(!plain.some((c: any) => c.id === gone.id));
      const withDeleted = (await dintero('GET', `/customers/users?since_datetime=${since}&include_deleted=true`)).body;
      const tomb = withDeleted.find((c: any) => c.id === gone.id);
      assert.equal(tomb.type, 'customer', 'type is always present');
      assert.ok(tomb.deleted_at);
    });

    test('Dintero: a form-encoded token request; bracket and comma array styles; a trailing slash on a collection', async () => {
      const form = new URLSearchParams({ grant_type: 'client_credentials', audience: `https://api.dintero.com/v1/accounts/${aid}` });
      const basic = Buffer.from(`${s.account.client_id}:${s.account.client_secret}`).toString('base64');
      const viaBasic = await fetch(`${s.base}/dintero/v1/accounts/${aid}/auth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      assert.equal(viaBasic.status, 200, await viaBasic.clone().text());
      assert.ok((await viaBasic.json()).access_token);
      form.set('client_id', s.account.client_id);
      form.set('client_secret', s.account.client_secret);
      const inBody = await fetch(`${s.base}/dintero/v1/accounts/${aid}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      assert.equal(inBody.status, 200, await inBody.clone().text());
      form.set('client_secret', 'wrong');
      assert.equal((await fetch(`${s.base}/dintero/v1/accounts/${aid}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })).status, 401);

      await dintero('POST', '/customers/users', { customer_id: 'attr-1', first_name: 'Attr', attributes: { plan: 'gold', seat: 'a' } });
      await dintero('POST', '/customers/users', { customer_id: 'attr-2', first_name: 'Attr', attributes: { plan: 'gold' } });
      const ids = (r: { body: any[] }) => r.body.map((c) => c.customer_id).sort();
      const repeated = await dintero('GET', '/customers/users?attributes_keys=plan&attributes_keys=seat');
      assert.deepEqual(ids(repeated), ['attr-1']);
      assert.deepEqual(ids(await dintero('GET', '/customers/users?attributes_keys[]=plan&attributes_keys[]=seat')), ['attr-1']);
      assert.deepEqual(ids(await dintero('GET', '/customers/users?attributes_keys%5B0%5D=plan&attributes_keys%5B1%5D=seat')), ['attr-1']);
      assert.deepEqual(ids(await dintero('GET', '/customers/users?attributes_keys=plan,seat')), ['attr-1']);
      assert.deepEqual(ids(await dintero('GET', '/customers/users?attributes_keys[]=plan')), ['attr-1', 'attr-2']);

      const slash = await dintero('GET', '/customers/users/?limit=5');
      assert.equal(slash.status, 200, JSON.stringify(slash.body));
      assert.ok(Array.isArray(slash.body));
    });

    test('Spirii: a bare key in Authorization authenticates; a one- or two-character search covers externalId', async () => {
      const bare = await fetch(`${s.base}/spirii/v2/customers?limit=1`, { headers: { authorization: key } });
      assert.equal(bare.status, 200);
      assert.equal((await fetch(`${s.base}/spirii/v2/customers?limit=1`, { headers: { authorization: 'nope' } })).status, 403);
      const cpo = (await v1('POST', '/customers', { name: 'Grid Co', type: 'operator', country: 'DK' })).body;
      const made = await call(s.base, 'POST', '/spirii/v2/customers', {
        key,
        body: { name: 'Plain Name', externalId: 'Q7-charger', country: 'DK', type: 'Business', ownerId: cpo.number, contactDetails: { name: 'A', email: 'a@example.com', phone: '+4511111111' } },
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      for (const term of ['Q7', 'q7', 'q']) {
        const found = await call(s.base, 'GET', `/spirii/v2/customers?search=${term}`, { key });
        assert.ok(
          found.body.data.some((c: any) => c.id === made.body.id),
          `search=${term} finds externalId Q7-charger`,
        );
      }
    });

    test("the native API's prev_cursor is documented as it works", async () => {
      const doc = JSON.stringify((await call(s.base, 'GET', '/v1/openapi.json')).body);
      assert.match(doc, /Pass as `cursor` for the previous page/);
      assert.doesNotMatch(doc, /direction=before/, 'no parameter that does not exist');
    });
  });
}
