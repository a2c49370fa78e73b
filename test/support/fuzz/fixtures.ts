import { call, startTestServer, type StoreKind, type TestServer } from '../stores.ts';
import { routeCollector, type Fixtures, type RouteSpec } from './requests.ts';

// A server for the fuzz test with records every surface can name: customers with product
// accounts (InvestiFi users), team users, a Dintero customer with a 255-character customer_id,
// a tag and a token. Rate limits are lifted so the fuzzer measures the API, not the limiter.

export interface FuzzServer {
  server: TestServer;
  routes: RouteSpec[];
  fixtures: Fixtures;
}

const ok = <T>(r: { status: number; body: T }, what: string): T => {
  if (r.status >= 300) throw new Error(`fixture ${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

export async function startFuzzServer(kind: StoreKind): Promise<FuzzServer> {
  process.env.ROSTER_RATE_LIMIT = '100000000';
  const { routes, onRoute } = routeCollector();
  const server = await startTestServer(kind, { onRoute });
  delete process.env.ROSTER_RATE_LIMIT;
  const { base, account } = server;
  const key = account.api_key;
  const aid = account.account_id;

  const customers: { id: string; number: number; uuid: string; external_id: string }[] = [];
  for (const [i, external] of ['member-001', 'member-002', 'm'.repeat(200), 'member-004'].entries()) {
    customers.push(
      ok(
        await call(base, 'POST', '/v1/customers', {
          key,
          body: {
            name: `Fuzz ${i}`,
            type: i % 2 ? 'business' : 'individual',
            external_id: external,
            is_sub_client: i === 3,
            product_accounts: [{ product: 'crypto', kyc_status: 'approved', current_market_value: '10.00', kyc_approved_at: '2024-01-01T00:00:00Z' }],
          },
        }),
        'customer',
      ),
    );
  }
  const users: { id: string }[] = [];
  for (const i of [1, 2]) users.push(ok(await call(base, 'POST', '/v1/users', { key, body: { first_name: 'Fuzz', last_name: `User ${i}`, email: `fuzz${i}@example.com`, role: 'viewer' } }), 'user'));

  const basic = Buffer.from(`${account.client_id}:${account.client_secret}`).toString('base64');
  const token = ok(
    await call(base, 'POST', `/dintero/v1/accounts/${aid}/auth/token`, {
      headers: { authorization: `Basic ${basic}` },
      body: { grant_type: 'client_credentials', audience: `https://api.dintero.com/v1/accounts/${aid}` },
    }),
    'token',
  ) as { access_token: string };
  const jwt = token.access_token;
  const dintero = (method: string, path: string, body?: unknown) => call(base, method, `/dintero/v1/accounts/${aid}${path}`, { key: jwt, body });
  const longId = 'c'.repeat(255);
  ok(await dintero('POST', '/customers/users', { customer_id: longId, first_name: 'Long' }), 'dintero customer');
  const tag = ok(await dintero('POST', '/customers/tags', { tag: 'VIP' }), 'tag') as { id: string };
  const tok = ok(await dintero('POST', `/customers/users/${encodeURIComponent(longId)}/tokens`, { type: 'sha1:email', value: 'abc', token_id: 'tok-1' }), 'customer token') as { token_id: string };

  // An application with a hosted onboarding page (its token stays out of the fuzzer's hands).
  const dakota = ok(
    await call(base, 'POST', '/dakota/customers', {
      headers: { 'x-api-key': key, 'x-idempotency-key': '6f1f1f9e-5b8e-4c1e-9a5e-3f1d2b7c8a90' },
      body: { name: 'Fuzz Onboarding', customer_type: 'business' },
    }),
    'dakota customer',
  ) as { application_id: string };

  const ksuids = [...customers.map((c) => c.id), ...users.map((u) => u.id)];
  const fixtures: Fixtures = {
    apiKey: key,
    jwt,
    clientId: account.client_id,
    clientSecret: account.client_secret,
    aid,
    pools: { ksuids, uuids: [tag.id, ...customers.map((c) => c.uuid)] },
    pathValues: {
      native: { id: ksuids },
      dakota: { customer_id: customers.map((c) => c.id), user_id: users.map((u) => u.id) },
      spirii: { id: customers.map((c) => String(c.number)) },
      dintero: { aid: [aid], customer_id: [longId, ...customers.map((c) => c.external_id)], tag_id: [tag.id], tid: [tok.token_id] },
      investifi: { user_account_id: customers.map((c) => c.external_id) },
      onboarding: { applicationId: [dakota.application_id] },
    },
  };
  return { server, routes, fixtures };
}
