import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, type TestServer } from './support/stores.ts';
import { freePort, roster, stop } from './support/processes.ts';
import { serveOrigins } from '../src/http/app.ts';
import { errorShapeFault, type Surface } from './support/error-shapes.ts';

// Each dialect at the root of an origin of its own, driven the way vendor SDKs build URLs:
// `new URL('/customers', baseURL)`, which keeps only the base URL's origin. Dakota's own SDK
// does exactly this, so a base URL of http://host:8080/dakota cannot work for it.

/** What an SDK for each vendor sends, relative to the vendor's base URL. */
async function vendorClient(surface: Surface, baseURL: string, creds: { key: string; aid: string; clientId: string; secret: string }, main: string) {
  const at = (path: string) => new URL(path, baseURL).toString();
  const json = async (res: Response) => ({ status: res.status, body: await res.json() });
  /** The origin answers a list with the very records the main listener gives under the dialect's prefix. */
  const sameAsMain = async (path: string, headers: Record<string, string>, body: unknown) => {
    const there = await json(await fetch(`${main}${path}`, { headers }));
    assert.equal(there.status, 200, JSON.stringify(there.body));
    assert.deepEqual(body, there.body, `${surface} ${path}: the origin and the main listener disagree`);
  };
  switch (surface) {
    case 'dakota': {
      const made = await json(
        await fetch(at('/customers'), {
          method: 'POST',
          headers: { 'x-api-key': creds.key, 'content-type': 'application/json', 'x-idempotency-key': crypto.randomUUID() },
          body: JSON.stringify({ name: 'Origin Ltd', customer_type: 'business' }),
        }),
      );
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const got = await json(await fetch(at(`/customers/${made.body.id}`), { headers: { 'x-api-key': creds.key } }));
      assert.equal(got.body.name, 'Origin Ltd');
      const list = await json(await fetch(at('/customers?limit=5'), { headers: { 'x-api-key': creds.key } }));
      assert.ok(list.body.data.some((c: any) => c.id === made.body.id));
      // The hosted onboarding page the answer links to is served on this origin too.
      const page = await fetch(made.body.application_url);
      assert.equal(page.status, 200, made.body.application_url);
      assert.equal(new URL(made.body.application_url).origin, new URL(baseURL).origin);
      return;
    }
    case 'spirii': {
      const headers = { authorization: `Bearer ${creds.key}` };
      const list = await json(await fetch(at('/v2/customers?limit=2'), { headers }));
      assert.equal(list.status, 200, JSON.stringify(list.body));
      assert.equal(list.body.data.length, 2, 'the account has customers to list');
      await sameAsMain('/v2/customers?limit=2', headers, list.body);
      return;
    }
    case 'dintero': {
      const basic = Buffer.from(`${creds.clientId}:${creds.secret}`).toString('base64');
      const tok = await json(
        await fetch(at(`/v1/accounts/${creds.aid}/auth/token`), {
          method: 'POST',
          headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
          body: JSON.stringify({ grant_type: 'client_credentials', audience: `https://api.dintero.com/v1/accounts/${creds.aid}` }),
        }),
      );
      assert.equal(tok.status, 200, JSON.stringify(tok.body));
      const headers = { authorization: `Bearer ${tok.body.access_token}` };
      const list = await json(await fetch(at(`/v1/accounts/${creds.aid}/customers/users?limit=2`), { headers }));
      assert.equal(list.status, 200, JSON.stringify(list.body));
      assert.equal(list.body.length, 2, 'the account has customers to list');
      await sameAsMain(`/v1/accounts/${creds.aid}/customers/users?limit=2`, headers, list.body);
      return;
    }
    case 'investifi': {
      const headers = { 'x-api-key': creds.key };
      const list = await json(await fetch(at('/v1/users/'), { headers }));
      assert.equal(list.status, 200, JSON.stringify(list.body));
      assert.deepEqual(Object.keys(list.body), ['items', 'total_records', 'last_record_number', 'per_page']);
      assert.ok(list.body.items.length > 0, 'the account has users to list');
      await sameAsMain('/v1/users/', headers, list.body);
      return;
    }
    case 'native': {
      const headers = { authorization: `Bearer ${creds.key}` };
      const list = await json(await fetch(at('/v1/customers?limit=2'), { headers }));
      assert.equal(list.status, 200, JSON.stringify(list.body));
      assert.equal(list.body.object, 'list');
      assert.equal(list.body.data.length, 2, 'the account has customers to list');
      await sameAsMain('/v1/customers?limit=2', headers, list.body);
      return;
    }
  }
}

const SURFACES: Surface[] = ['native', 'dakota', 'spirii', 'dintero', 'investifi'];
/** Where each dialect's paths start on the main listener. */
const PREFIX: Record<Surface, string> = { native: '', dakota: '/dakota', spirii: '/spirii', dintero: '/dintero', investifi: '/investifi' };

for (const kind of STORES) {
  describe(`each dialect at the root of its own origin (${kind})`, () => {
    let s: TestServer;
    let close: () => Promise<void>;
    const bases = new Map<Surface, string>();
    before(async () => {
      s = await startTestServer(kind);
      const listens = await Promise.all(SURFACES.map(async (surface) => ({ surface, host: '127.0.0.1', port: await freePort() })));
      close = await serveOrigins(s.app, listens);
      for (const l of listens) bases.set(l.surface as Surface, `http://127.0.0.1:${l.port}`);
      // Records for every dialect's list: InvestiFi lists the customers holding product accounts.
      for (const n of [1, 2, 3]) {
        const made = await fetch(`${s.base}/v1/customers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${s.account.api_key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'individual',
            first_name: 'Origin',
            last_name: `Holder ${n}`,
            external_id: `origin-${n}`,
            product_accounts: [{ product: 'crypto', kyc_status: 'approved', kyc_approved_at: '2025-01-02T03:04:05Z', current_market_value: '1.00' }],
          }),
        });
        assert.equal(made.status, 201, await made.text());
      }
    });
    after(async () => {
      await close?.();
      await s.close();
    });

    for (const surface of SURFACES) {
      test(`${surface}: a client that builds its URLs from the origin alone`, async () => {
        await vendorClient(
          surface,
          `${bases.get(surface)}/ignored/path/`,
          { key: s.account.api_key, aid: s.account.account_id, clientId: s.account.client_id, secret: s.account.client_secret },
          `${s.base}${PREFIX[surface]}`,
        );
      });
    }

    test("an origin's unknown paths and framework errors are in its dialect's shape; the main listener still serves every prefix", async () => {
      for (const surface of SURFACES) {
        const res = await fetch(`${bases.get(surface)}/no/such/route`, { headers: { authorization: `Bearer ${s.account.api_key}`, 'x-api-key': s.account.api_key } });
        const body = await res.json();
        assert.equal(res.status, 404, `${surface}: ${JSON.stringify(body)}`);
        assert.equal(errorShapeFault(surface, res.status, res.headers.get('content-type'), body), undefined, surface);
      }
      const main = await fetch(`${s.base}/dakota/customers?limit=1`, { headers: { 'x-api-key': s.account.api_key } });
      assert.equal(main.status, 200);
      assert.equal((await fetch(`${bases.get('dakota')}/health`)).status, 200, 'the probes answer on every listener');
    });
  });
}

test('roster serve --listen and ROSTER_LISTEN, and Host routing', { timeout: 120_000 }, async () => {
  const { mkdtempSync, rmSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'roster-listen-'));
  try {
    const [main, dakota, spirii] = await Promise.all([freePort(), freePort(), freePort()]);
    const server = roster(['serve', '--port', String(main), '--data-dir', dir, '--demo-customers', '200', '--listen', `dakota=127.0.0.1:${dakota}`, '--host-routing'], {
      ROSTER_LISTEN: `spirii=127.0.0.1:${spirii}`,
    });
    try {
      await server.waitFor(/API reference:/);
      assert.match(server.output(), new RegExp(`dakota at the root of http://127.0.0.1:${dakota}`));
      assert.doesNotMatch(server.output(), /spirii at the root/, '--listen given: the environment is not read');
      const key = JSON.parse(readFileSync(join(dir, 'demo-credentials.json'), 'utf8')).api_key;
      const res = await fetch(`http://127.0.0.1:${dakota}/customers?limit=3`, { headers: { 'x-api-key': key } });
      assert.equal(res.status, 200);
      assert.equal((await res.json()).data.length, 3);
      // fetch will not send a Host of its own choosing; node:http will.
      const { request } = await import('node:http');
      const status = await new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port: main, path: '/v2/customers?limit=2', headers: { host: `spirii.localhost:${main}`, authorization: `Bearer ${key}` } }, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      assert.equal(status, 200, 'the Host header picks Spirii on the main listener');
    } finally {
      await stop(server);
    }
    const fromEnv = roster(['serve', '--port', String(main), '--data-dir', dir], { ROSTER_LISTEN: `spirii=127.0.0.1:${spirii}` });
    try {
      await fromEnv.waitFor(/API reference:/);
      assert.match(fromEnv.output(), new RegExp(`spirii at the root of http://127.0.0.1:${spirii}`));
    } finally {
      await stop(fromEnv);
    }
    const bad = roster(['serve', '--port', String(main), '--data-dir', dir, '--listen', 'nonsense=1']);
    assert.equal(await bad.exited, 1);
    assert.match(bad.output(), /no surface "nonsense"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
