import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { STORES, startTestServer, type TestServer } from './support/stores.ts';
import { errorShapeFault, PAGE_PREFIXES, PREFIXES, type PageSurface, type Surface } from './support/error-shapes.ts';
import { token } from './support/dintero-client.ts';

// The framework's own errors — unknown routes, malformed percent-escapes, over-long path
// parameters, request lines over 16 KiB, bodies over 1 MiB, bodies that are not JSON — are
// answered in the shape of the surface whose prefix the path starts with, with a request id.

/** One raw HTTP/1.1 exchange, for requests a client library would refuse to send. */
function raw(base: string, request: string): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: rest.join('\r\n\r\n') });
    });
  });
}

const SAMPLE_PATHS: Record<Surface, string> = {
  native: '/v1/customers',
  dakota: '/dakota/customers',
  spirii: '/spirii/v2/customers',
  dintero: '/dintero/v1/accounts/:aid/customers/users',
  investifi: '/investifi/v1/users',
};

for (const kind of STORES) {
  describe(`framework errors in each surface's shape (${kind})`, () => {
    let s: TestServer;
    let jwt: string;
    before(async () => {
      s = await startTestServer(kind);
      jwt = await token(s.base, s.account.account_id, s.account.client_id, s.account.client_secret);
    });
    after(() => s.close());

    async function check(surface: Surface, method: string, path: string, init: RequestInit, status: number) {
      const res = await fetch(s.base + path, { method, ...init });
      const text = await res.text();
      assert.equal(res.status, status, `${method} ${path.slice(0, 80)}: ${text.slice(0, 300)}`);
      assert.ok(res.headers.get('x-request-id'), 'x-request-id');
      assert.doesNotMatch(text, /FST_ERR/);
      assert.equal(errorShapeFault(surface, res.status, res.headers.get('content-type'), JSON.parse(text)), undefined, `${surface} ${path.slice(0, 80)}`);
    }

    for (const surface of Object.keys(PREFIXES) as Surface[]) {
      const prefix = PREFIXES[surface];
      test(`${surface}: unknown route, bad escape, long parameter, 413, 415, 431`, async () => {
        // Valid credentials, so each request gets past the surface's authentication.
        const key = { authorization: `Bearer ${surface === 'dintero' ? jwt : s.account.api_key}`, 'x-api-key': s.account.api_key };
        const path = SAMPLE_PATHS[surface].replace(':aid', s.account.account_id);
        await check(surface, 'GET', `${prefix}/nope`, { headers: key }, 404);
        await check(surface, 'GET', `${path}/%zz`, { headers: key }, 400);
        await check(surface, 'GET', `${path}/${'x'.repeat(5000)}`, { headers: key }, 414);
        const big = JSON.stringify({ name: 'x'.repeat(1_100_000) });
        await check(surface, 'POST', path, { headers: { ...key, 'content-type': 'application/json' }, body: big }, 413);
        await check(surface, 'POST', path, { headers: { ...key, 'content-type': 'application/xml' }, body: '<a/>' }, 415);
        const huge = await raw(s.base, `GET ${path}?q=${'x'.repeat(17_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
        assert.equal(huge.status, 431);
        assert.match(huge.headers, /x-request-id: req_/);
        assert.equal(errorShapeFault(surface, 431, /content-type: ([^\r\n]+)/.exec(huge.headers)?.[1] ?? null, JSON.parse(huge.body)), undefined);
        // HEAD gets the status and no body, so the connection stays in step.
        const head = await raw(s.base, `HEAD ${path}?q=${'x'.repeat(17_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
        assert.equal(head.status, 431);
        assert.equal(head.body, '');
      });
    }

    test('the console and the onboarding pages answer them as pages', async () => {
      for (const [surface, prefix] of Object.entries(PAGE_PREFIXES) as [PageSurface, string][]) {
        const page = async (method: string, path: string, status: number, init: RequestInit = {}) => {
          const res = await fetch(s.base + path, { method, ...init });
          const text = await res.text();
          assert.equal(res.status, status, `${method} ${path.slice(0, 80)}: ${text.slice(0, 200)}`);
          assert.equal(errorShapeFault(surface, res.status, res.headers.get('content-type'), text), undefined, `${surface} ${path.slice(0, 80)}`);
        };
        await page('GET', `${prefix}/assets/%zz`, 400);
        await page('GET', `${prefix}/${'x'.repeat(5000)}`, surface === 'console' ? 200 : 414);
        const huge = await raw(s.base, `GET ${prefix}/x?q=${'x'.repeat(17_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
        assert.equal(huge.status, 431);
        assert.equal(errorShapeFault(surface, 431, /content-type: ([^\r\n]+)/.exec(huge.headers)?.[1] ?? null, huge.body), undefined);
      }
      await page404('/console/assets/nope.js');
      await page404('/onboarding/a/b');
    });

    const page404 = async (path: string) => {
      const res = await fetch(s.base + path);
      assert.equal(res.status, 404);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    };

    test('paths outside every surface answer as the native API does', async () => {
      await check('native', 'GET', '/nope', {}, 404);
    });
  });
}
