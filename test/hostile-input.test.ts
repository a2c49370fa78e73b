import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { token } from './support/dintero-client.ts';
import { errorShapeFault, surfaceOfPath } from './support/error-shapes.ts';
import { fingerprint } from './support/fuzz/runner.ts';
import { nested } from './support/fuzz/hostile-values.ts';
import { createCustomer } from '../src/store/customers-repo.ts';
import { clientFault } from '../src/store/client-faults.ts';

// One plain test per root cause of the 5xx answers hostile input used to get: each is now a 4xx
// in the shape of the surface it was sent to, and a refused write leaves the store unchanged.

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

for (const kind of STORES) {
  describe(`hostile input (${kind})`, () => {
    let s: TestServer;
    let jwt: string;
    let aid: string;
    const auth = (path: string): Record<string, string> => {
      const surface = surfaceOfPath(path);
      if (surface === 'dintero') return { authorization: `Bearer ${jwt}` };
      if (surface === 'dakota' || surface === 'investifi') return { 'x-api-key': s.account.api_key };
      return { authorization: `Bearer ${s.account.api_key}` };
    };
    /** Sends a request with valid credentials and asserts a 4xx in the path's surface shape. */
    async function refused(method: string, path: string, body?: unknown, status?: number, extra: Record<string, string> = {}) {
      const r = await call(s.base, method, path, { headers: { ...auth(path), ...extra }, body });
      assert.ok(r.status >= 400 && r.status < 500, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      if (status) assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
      assert.equal(errorShapeFault(surfaceOfPath(path), r.status, r.headers.get('content-type'), r.body), undefined, `${method} ${path}`);
      return r;
    }
    /** A raw JSON text body (a deeply nested one cannot even be stringified by the client). */
    async function refusedText(method: string, path: string, text: string) {
      const res = await fetch(s.base + path, {
        method,
        headers: { ...auth(path), 'content-type': 'application/json', 'x-idempotency-key': crypto.randomUUID(), 'idempotency-key': 'deep' },
        body: text,
      });
      const body = await res.json();
      assert.equal(res.status, 400, `${method} ${path}: ${JSON.stringify(body)}`);
      assert.equal(errorShapeFault(surfaceOfPath(path), res.status, res.headers.get('content-type'), body), undefined);
      return body;
    }
    async function accepted(method: string, path: string, body?: unknown) {
      const r = await call(s.base, method, path, { headers: { ...auth(path), ...(method === 'POST' && path.startsWith('/dakota') ? { 'x-idempotency-key': crypto.randomUUID() } : {}) }, body });
      assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r;
    }
    const users = () => `/dintero/v1/accounts/${aid}/customers/users`;

    before(async () => {
      s = await startTestServer(kind);
      aid = s.account.account_id;
      jwt = await token(s.base, aid, s.account.client_id, s.account.client_secret);
    });
    after(() => s.close());

    test('a NUL byte in a query value, on every surface', async () => {
      await refused('GET', '/v1/customers?search=a%00b', undefined, 400);
      await refused('GET', '/v1/customers?email=%00', undefined, 400);
      await refused('GET', '/dakota/customers?external_id=%00', undefined, 400);
      await refused('GET', '/spirii/v2/customers?search=x%00', undefined, 400);
      await refused('GET', `${users()}?token_value=%00`, undefined, 400);
      await refused('GET', `${users()}?attributes_keys=a%00`, undefined, 400);
      await refused('GET', '/investifi/v1/users/?user_account_id=%00', undefined, 400);
      await refused('GET', '/investifi/v1/users/?product=%00', undefined, 400);
    });

    // Names every JavaScript object answers to: a lookup of a name from the request in a plain
    // object finds them on its prototype unless it asks for the object's own keys.
    test('names an object prototype holds, as a path or a sort key, are unknown names, not 5xx', async () => {
      for (const name of ['valueOf', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
        await refused('GET', `/console/assets/${name}`, undefined, 404);
        await refused('GET', `/v1/customers?sort=${name}`, undefined, 400);
        await refused('GET', `/dakota/customers?sort_by=${name}`, undefined, 400);
        await refused('GET', `/spirii/v2/customers?sortBy=${name}`, undefined, 400);
      }
    });

    test('a NUL byte in a path id', async () => {
      await refused('GET', `${users()}/ab%00c`, undefined, 400);
      await refused('PUT', `${users()}/ab%00c`, { first_name: 'x' }, 400);
      await refused('GET', '/investifi/v1/users/a%00b/', undefined, 400);
      await refused('GET', '/spirii/v2/customers/1%00', undefined, 400);
    });

    test('NUL bytes and lone surrogates in JSON strings and keys refuse the write and write nothing', async () => {
      const before = await fingerprint(s.db);
      const r = await refused('POST', '/v1/customers', { name: 'a\u0000b' }, 400);
      assert.equal(r.body.errors[0].field, 'name');
      await refused('POST', '/v1/customers', { name: 'x\ud800' }, 400);
      await refused('POST', '/v1/customers', { metadata: { 'k\u0000': 1 } }, 400);
      await refused('POST', '/v1/customers', { metadata: { deep: ['\udc00'] } }, 400);
      await refused('POST', users(), { first_name: 'a\u0000' }, 400);
      await refused('POST', '/spirii/v2/customers', { name: 'a\u0000', country: 'DK', ownerId: 1, type: 'Private', contactDetails: {} }, 400);
      await refused('POST', '/dakota/customers', { name: 'abc\u0000', customer_type: 'individual' }, 400, { 'x-idempotency-key': crypto.randomUUID() });
      assert.equal(await fingerprint(s.db), before);
    });

    test('dates PostgreSQL cannot read: year 0, past 9999, leap seconds, short offsets', async () => {
      await refused('GET', '/v1/customers?created_at_gte=0000-01-01T00:00:00Z', undefined, 400);
      await refused('GET', '/v1/customers?created_at_lt=2024-01-01T23:59:60Z', undefined, 400);
      await refused('GET', '/dakota/customers?created_at_from=2024-01-01T00:00:00%2B01', undefined, 400);
      await refused('GET', '/dakota/customers?created_at_to=2024-06-30T23:59:60Z', undefined, 400);
      await refused('GET', `${users()}?since_datetime=0000-01-01T00:00:00Z`, undefined, 400);
      await refused('GET', '/spirii/v2/customers?createdAtFrom=0000-01-01', undefined, 400);
      await refused('POST', '/v1/customers', { name: 'Dob', date_of_birth: '0000-01-01' }, 400);
      await refused('POST', users(), { first_name: 'Dob', date_of_birth: '0000-01-01' }, 400);
      // An end-of-range adjustment past 9999-12-31 means "no upper bound".
      await accepted('GET', '/dakota/customers?created_at_to=9999-12-31T23:59:59Z');
      await accepted('GET', '/spirii/v2/customers?createdAtTo=9999-12-31');
      await accepted('GET', '/spirii/v2/customers?createdAt=9999-12-31');
      await accepted('GET', '/investifi/v1/users/?created_at_end=9999-12-31T23:59:59.9999999Z');
      await accepted('GET', '/v1/customers?created_at_lte=9999-12-31T23:59:59.999Z');
    });

    test('limit=1e309 (Infinity) on every surface', async () => {
      await refused('GET', '/v1/customers?limit=1e309', undefined, 400);
      await refused('GET', '/v1/users?limit=-Infinity', undefined, 400);
      await refused('GET', '/dakota/customers?limit=1e309', undefined, 400);
      await refused('GET', '/dakota/users?limit=Infinity', undefined, 400);
      await refused('GET', '/spirii/v2/customers?limit=1e309', undefined, 400);
      await refused('GET', `${users()}?limit=-1e309`, undefined, 400);
      await refused('GET', '/investifi/v1/users/?per_page=1e309', undefined, 422);
    });

    test('forged cursors with values of the wrong type are invalid_cursor', async () => {
      const forged = b64({ s: 'created_at:asc', v: ['garbage', 'x'], i: 'x' });
      const r = await refused('GET', `/v1/customers?cursor=${forged}`, undefined, 400);
      assert.equal(r.body.code, 'invalid_cursor');
      await refused('GET', `/v1/customers?sort=number&cursor=${b64({ s: 'number:asc', v: ['1; x', 'y'], i: 'y' })}`, undefined, 400);
      await refused('GET', `/v1/users?sort=name&cursor=${b64({ s: 'name:asc,id:asc', v: ['a\u0000', 'x'], i: 'x' })}`, undefined, 400);
      await refused('GET', `${users()}?starting_after=${b64({ s: 'created_at:desc,id:desc', v: [true, 7], i: 'x' })}`, undefined, 400);
    });

    test('JSON nested thousands deep is refused before it is parsed further', async () => {
      const before = await fingerprint(s.db);
      const deep = (n: number) => '{"name":"Deep","metadata":' + '[{"a":'.repeat(n) + '1' + '}]'.repeat(n) + '}';
      const body = await refusedText('POST', '/v1/customers', deep(5000));
      assert.match(body.detail, /nested deeper/);
      await refused('POST', users(), { first_name: 'Deep', attributes: nested(100) }, 400);
      await refusedText('POST', users(), deep(20000));
      await refusedText('POST', '/spirii/v2/customers', deep(3000));
      await refusedText('POST', '/dakota/customers', deep(3000));
      await refusedText('PATCH', `/dakota/users/${'0'.repeat(27)}`, '['.repeat(100000) + ']'.repeat(100000));
      assert.equal(await fingerprint(s.db), before);
    });

    test('over-long strings are refused with the field named, before any index sees them', async () => {
      const before = await fingerprint(s.db);
      const r = await refused('POST', '/v1/customers', { name: 'Long status', status: 's'.repeat(9000) }, 400);
      assert.equal(r.body.errors[0].field, 'status');
      await refused('POST', users(), { type: 'company', company: { bussiness_name: 'b'.repeat(4000) } }, 400);
      const c = (await accepted('POST', users(), { first_name: 'Tok' })).body;
      await refused('POST', `${users()}/${c.customer_id}/tokens`, { type: 'sha1:email', value: '\u4e2d'.repeat(1024) }, 400);
      await refused('GET', `/v1/customers?search=${'x'.repeat(300)}`, undefined, 400);
      await refused('GET', `/investifi/v1/users/?user_account_id=${'u'.repeat(300)}`, undefined, 422);
      // Only the one accepted create above changed the store.
      const after = await fingerprint(s.db);
      assert.notEqual(after, before);
    });

    test('the database backstop: a CHECK violation is a 400 naming the field, not a 500', async () => {
      const err = await createCustomer(s.db, aid, { name: 'Backstop', status: 'x'.repeat(300) }, {}).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err, 'the store refuses an over-long status');
      const mapped = clientFault(err);
      assert.equal(mapped?.status, 400);
      assert.equal(mapped?.fields[0].field, 'status');
    });

    test('JSON bodies are not coerced; enumerated filters are checked', async () => {
      const r = await refused('POST', '/v1/customers', { first_name: 42 }, 400);
      assert.equal(r.body.errors[0].field, 'first_name');
      await refused('POST', '/dakota/customers', { name: 12345, customer_type: 'individual' }, 400, { 'x-idempotency-key': crypto.randomUUID() });
      await refused('POST', users(), { first_name: true }, 400);
      await refused('GET', '/v1/customers?kyb_status=bogus', undefined, 400);
      await refused('GET', '/v1/customers?kyc_status=approved,bogus', undefined, 400);
      await refused('GET', '/v1/customers?application_status=bogus', undefined, 400);
      await refused('GET', '/v1/users?role=owner', undefined, 400);
      // Query strings are still read from text.
      await accepted('GET', '/v1/customers?limit=5&count=true');
    });

    test('Dakota PATCH /users/{id} takes only its documented fields', async () => {
      const u = (await accepted('POST', '/dakota/users', { first_name: 'Pat', last_name: 'Ch', email: 'patch@example.com', role: 'viewer' })).body;
      const key = { 'x-idempotency-key': crypto.randomUUID() };
      const r = await refused('PATCH', `/dakota/users/${u.id}`, { email: null }, 400, key);
      assert.equal(r.body.errors[0].field, 'email');
      await refused('PATCH', `/dakota/users/${u.id}`, { email: 'new@example.com' }, 400, key);
      const ok = await call(s.base, 'PATCH', `/dakota/users/${u.id}`, { headers: { ...auth('/dakota'), ...key }, body: { role: 'admin' } });
      assert.equal(ok.status, 204);
    });

    test('a Dintero customer_id of up to 255 characters can be read, updated and deleted', async () => {
      for (const id of ['d'.repeat(101), '\u00e6'.repeat(200), 'x'.repeat(255)]) {
        await accepted('POST', users(), { customer_id: id, first_name: 'Long' });
        const path = `${users()}/${encodeURIComponent(id)}`;
        assert.equal((await accepted('GET', path)).body.customer_id, id);
        assert.equal((await accepted('PUT', path, { last_name: 'Id' })).body.last_name, 'Id');
        await accepted('DELETE', path);
      }
      await refused('GET', `${users()}/${'y'.repeat(256)}`, undefined, 400);
    });

    test('an InvestiFi user with a long user_account_id that /v1 accepted can be read', async () => {
      const id = 'u'.repeat(255);
      await accepted('POST', '/v1/customers', { name: 'Investor', external_id: id, product_accounts: [{ product: 'crypto', kyc_status: 'pending', current_market_value: '1.00' }] });
      const r = await accepted('GET', `/investifi/v1/users/${id}/`);
      assert.equal(r.body.user_account_id, id);
    });
  });
}
