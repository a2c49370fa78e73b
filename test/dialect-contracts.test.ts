import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, type TestServer } from './support/stores.ts';
import { token } from './support/dintero-client.ts';
import { OpenApiContract } from './support/openapi-contract.ts';

// Representative requests to each surface, successes and errors, each answer held to the
// document the dialect serves: documented status, media type and body schema. (Dakota's suites
// hold every one of their answers to its document through test/support/dakota-contract.ts.)

async function send(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

for (const kind of STORES) {
  describe(`dialect answers match their documents (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind);
    });
    after(async () => s?.close());

    test('native', async () => {
      const c = await OpenApiContract.at(`${s.base}/v1/openapi.json`);
      const key = { authorization: `Bearer ${s.account.api_key}` };
      const at = async (method: string, path: string, body?: unknown, headers: Record<string, string> = key) => {
        const a = await send(s.base, method, path, headers, body);
        c.check(method, path, a);
        return a;
      };
      const made = JSON.parse((await at('POST', '/v1/customers', { type: 'business', name: 'Contract Co', external_id: 'contract-1', metadata: { tier: 'gold' } })).text);
      await at('POST', '/v1/customers', { type: 'nonsense' });
      await at('GET', '/v1/customers?limit=2&country[in]=DK,SE&metadata[tier]=gold');
      await at('GET', '/v1/customers?limit=0');
      await at('GET', '/v1/customers?or=(country.eq.DK');
      await at('GET', '/v1/customers', undefined, {});
      await at('GET', `/v1/customers/${made.id}`);
      await at('PATCH', `/v1/customers/${made.id}`, { name: 'Contract Company' });
      await at('PATCH', `/v1/customers/${made.id}`, { type: 'nonsense' });
      await at('DELETE', `/v1/customers/${made.id}`);
      await at('GET', `/v1/customers/${made.id}`);
      const user = JSON.parse((await at('POST', '/v1/users', { email: 'contract@example.com', first_name: 'Con', last_name: 'Tract', role: 'admin' })).text);
      await at('GET', '/v1/users?limit=1');
      await at('DELETE', `/v1/users/${user.id}`);
      for (const seen of [
        'POST /v1/customers 201',
        'POST /v1/customers 400',
        'GET /v1/customers 200',
        'GET /v1/customers 400',
        'GET /v1/customers 401',
        'GET /v1/customers/{id} 200',
        'GET /v1/customers/{id} 404',
        'PATCH /v1/customers/{id} 200',
        'DELETE /v1/customers/{id} 200',
        'POST /v1/users 201',
        'GET /v1/users 200',
      ]) {
        assert.ok(c.checked.has(seen), `checked ${seen}`);
      }
    });

    test('dintero', async () => {
      const c = await OpenApiContract.at(`${s.base}/dintero/openapi.json`);
      const aid = s.account.account_id;
      const bearer = { authorization: `Bearer ${await token(s.base, aid, s.account.client_id, s.account.client_secret)}` };
      const at = async (method: string, path: string, body?: unknown, headers: Record<string, string> = bearer) => {
        const a = await send(s.base, method, `/dintero/v1${path}`, headers, body);
        c.check(method, path, a);
        return a;
      };
      const basic = { authorization: `Basic ${Buffer.from(`${s.account.client_id}:${s.account.client_secret}`).toString('base64')}` };
      await at('POST', `/accounts/${aid}/auth/token`, { grant_type: 'client_credentials', audience: `https://api.dintero.com/v1/accounts/${aid}` }, basic);
      await at('POST', `/accounts/${aid}/auth/token`, { grant_type: 'client_credentials' }, { authorization: 'Basic bm86bm8=' });
      const made = JSON.parse(
        (await at('POST', `/accounts/${aid}/customers/users`, { customer_id: 'c-1', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', metadata: { tier: 1 } })).text,
      );
      await at('POST', `/accounts/${aid}/customers/users`, { customer_id: 'c-1' });
      await at('POST', `/accounts/${aid}/customers/users`, { type: 'company', company: { bussiness_name: 'Acme AS' } });
      await at('GET', `/accounts/${aid}/customers/users?limit=1&total=true`);
      await at('GET', `/accounts/${aid}/customers/users?limit=0`);
      await at('GET', `/accounts/${aid}/customers/users`, undefined, {});
      await at('GET', `/accounts/${aid}/customers/users/${made.customer_id}`);
      await at('GET', `/accounts/${aid}/customers/users/nobody`);
      await at('PUT', `/accounts/${aid}/customers/users/${made.customer_id}`, { last_name: 'King' });
      const tag = JSON.parse((await at('POST', `/accounts/${aid}/customers/tags`, { tag: 'vip' })).text);
      await at('GET', `/accounts/${aid}/customers/tags`);
      await at('PUT', `/accounts/${aid}/customers/users/${made.customer_id}/tags`, [tag.id]);
      await at('GET', `/accounts/${aid}/customers/users/${made.customer_id}/tags`);
      const tok = JSON.parse((await at('POST', `/accounts/${aid}/customers/users/${made.customer_id}/tokens`, { type: 'card', value: '4242' })).text);
      await at('GET', `/accounts/${aid}/customers/users/${made.customer_id}/tokens`);
      await at('DELETE', `/accounts/${aid}/customers/users/${made.customer_id}/tokens/${tok.token_id}`);
      await at('DELETE', `/accounts/${aid}/customers/tags/${tag.id}`);
      await at('POST', `/accounts/${aid}/customers/users/${made.customer_id}/change_customer_id`, { customer_id: 'c-2' });
      await at('DELETE', `/accounts/${aid}/customers/users/c-2`);
      await at('GET', `/accounts/${aid}/customers/users?include_deleted=true&since_datetime=2000-01-01T00:00:00Z`);
      for (const seen of [
        'POST /accounts/{aid}/auth/token 401',
        'GET /accounts/{aid}/customers/users 400',
        'GET /accounts/{aid}/customers/users 401',
        'GET /accounts/{aid}/customers/users/{customer_id} 404',
        'POST /accounts/{aid}/customers/users 400',
        'DELETE /accounts/{aid}/customers/users/{customer_id} 200',
      ]) {
        assert.ok(c.checked.has(seen), `checked ${seen}`);
      }
    });

    test('spirii', async () => {
      const c = await OpenApiContract.at(`${s.base}/spirii/openapi.json`);
      const key = { authorization: `Bearer ${s.account.api_key}` };
      const at = async (method: string, path: string, body?: unknown, headers: Record<string, string> = key) => {
        const a = await send(s.base, method, `/spirii${path}`, headers, body);
        c.check(method, path, a);
        return a;
      };
      const owner = JSON.parse((await at('POST', '/v2/customers', { name: 'Owner ApS', country: 'DK', type: 'Business', ownerId: 1, contactDetails: { email: 'o@example.com' } })).text);
      assert.ok(owner.id || owner.error, 'created or refused');
      const list = JSON.parse((await at('GET', '/v2/customers?limit=2')).text);
      const parent = owner.id ?? list.data[0]?.id;
      const made = JSON.parse((await at('POST', '/v2/customers', { name: 'Child', country: 'DK', type: 'Private', ownerId: parent, externalId: 'sp-1', contactDetails: { name: 'C' } })).text);
      await at('POST', '/v2/customers', { name: 'Child', country: 'Denmark', type: 'Private', ownerId: parent, contactDetails: {} });
      await at('GET', `/v2/customers/${made.id}`);
      await at('GET', '/v2/customers/999999999');
      await at('PUT', `/v2/customers/${made.id}`, { name: 'Child Renamed' });
      await at('GET', '/v2/customers?sortBy=nonsense');
      await at('GET', '/v2/customers', undefined, {});
      await at('GET', '/v2/customers', undefined, { authorization: s.account.api_key });
      await at('DELETE', `/v2/customers/${made.id}`);
      for (const seen of [
        'GET /v2/customers 200',
        'GET /v2/customers 400',
        'GET /v2/customers 403',
        'POST /v2/customers 201',
        'POST /v2/customers 400',
        'GET /v2/customers/{id} 404',
        'PUT /v2/customers/{id} 200',
        'DELETE /v2/customers/{id} 202',
      ]) {
        assert.ok(c.checked.has(seen), `checked ${seen}`);
      }
    });

    test('investifi', async () => {
      const c = await OpenApiContract.at(`${s.base}/investifi/openapi.json`);
      const key = { 'x-api-key': s.account.api_key };
      const at = async (path: string, headers: Record<string, string> = key) => {
        const a = await send(s.base, 'GET', `/investifi/v1${path}`, headers);
        c.check('GET', path, a);
        return a;
      };
      // A user is a customer holding a product account: written through the native API.
      const native = await send(
        s.base,
        'POST',
        '/v1/customers',
        { authorization: `Bearer ${s.account.api_key}` },
        {
          type: 'individual',
          name: 'Inve Stor',
          external_id: 'member-001',
          product_accounts: [{ product: 'crypto', kyc_status: 'approved', kyc_approved_at: '2025-01-02T03:04:05Z', current_market_value: '12.50' }],
        },
      );
      assert.equal(native.status, 201, native.text);
      const list = JSON.parse((await at('/users/?per_page=5')).text);
      assert.equal(list.items[0]?.user_account_id, 'member-001');
      await at('/users/member-001/');
      await at('/users/nobody/');
      await at('/users/?per_page=0&sort_order=up');
      await at('/users/', {});
      await at('/users/', { 'x-api-key': 'wrong' });
      for (const seen of ['GET /users/ 200', 'GET /users/ 401', 'GET /users/ 422', 'GET /users/{user_account_id}/ 200', 'GET /users/{user_account_id}/ 404']) {
        assert.ok(c.checked.has(seen), `checked ${seen}`);
      }
    });
  });
}
