import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import SwaggerParser from '@apidevtools/swagger-parser';
import { STORES, startTestServer, type TestServer } from './support/stores.ts';
import { freePort } from './support/processes.ts';
import { serveOrigins } from '../src/http/app.ts';

// A reference per surface: Roster's own API at /docs, each dialect's at <root>/docs, each with
// an OpenAPI document that validates, names its components, gives every operation an id and
// every response a description, requires no parameter that has a default, and declares its
// errors with the media type the dialect sends them as. GET / on every origin says where.

const DOCUMENTS = {
  native: { root: '', document: '/v1/openapi.json', server: undefined, errorType: 'application/problem+json', scheme: 'bearer' },
  dakota: { root: '/dakota', document: '/dakota/openapi.json', server: '/', errorType: 'application/problem+json', scheme: 'ApiKeyAuth' },
  dintero: { root: '/dintero', document: '/dintero/openapi.json', server: '/v1', errorType: 'application/json', scheme: 'bearerAuth' },
  spirii: { root: '/spirii', document: '/spirii/openapi.json', server: '/', errorType: 'application/json', scheme: 'bearerAuth' },
  investifi: { root: '/investifi', document: '/investifi/openapi.json', server: '/v1', errorType: 'application/json', scheme: 'APIKeyHeader' },
} as const;
type Name = keyof typeof DOCUMENTS;
const NAMES = Object.keys(DOCUMENTS) as Name[];

/** What is wrong with a document beyond what the OpenAPI schema checks, one line each. */
function faults(name: Name, doc: any): string[] {
  const out: string[] = [];
  const schemas = Object.keys(doc.components?.schemas ?? {});
  for (const s of schemas) if (/^def-\d+$/.test(s)) out.push(`component ${s} has no name`);
  const ids = new Set<string>();
  for (const [path, ops] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      const what = `${method.toUpperCase()} ${path}`;
      if (!op.operationId) out.push(`${what}: no operationId`);
      else if (ids.has(op.operationId)) out.push(`${what}: operationId ${op.operationId} twice`);
      ids.add(op.operationId);
      for (const p of op.parameters ?? []) if (p.required && p.schema?.default !== undefined) out.push(`${what}: ${p.name} has a default yet is required`);
      for (const [status, r] of Object.entries<any>(op.responses)) {
        if (!r.description || r.description === 'Default Response') out.push(`${what} ${status}: no description`);
        if (Number(status) >= 400 && r.content && !r.content[DOCUMENTS[name].errorType])
          out.push(`${what} ${status}: errors are sent as ${DOCUMENTS[name].errorType}, documented as ${Object.keys(r.content)}`);
      }
      if (!Object.keys(op.responses).some((s) => Number(s) >= 400)) out.push(`${what}: no error response declared`);
    }
  }
  if (!doc.components?.securitySchemes?.[DOCUMENTS[name].scheme]) out.push(`no ${DOCUMENTS[name].scheme} security scheme`);
  return out;
}

test('the document checks find what they look for', async () => {
  const bad = {
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    paths: { '/x': { get: { parameters: [{ name: 'limit', in: 'query', required: true, schema: { type: 'integer', default: 10 } }], responses: { '200': { description: 'Default Response' } } } } },
    components: { schemas: { 'def-0': { type: 'string' } } },
  };
  assert.deepEqual(faults('dintero', bad), [
    'component def-0 has no name',
    'GET /x: no operationId',
    'GET /x: limit has a default yet is required',
    'GET /x 200: no description',
    'GET /x: no error response declared',
    'no bearerAuth security scheme',
  ]);
  await assert.rejects(SwaggerParser.validate({ ...bad, paths: { '/x': { get: { responses: { '200': {} } } } } } as never), 'the validator rejects a response without a description');
});

for (const kind of STORES) {
  describe(`a reference per surface (${kind})`, () => {
    let s: TestServer;
    let close: () => Promise<void>;
    const origins = new Map<Name, string>();
    before(async () => {
      s = await startTestServer(kind);
      const listens = await Promise.all(NAMES.map(async (surface) => ({ surface, host: '127.0.0.1', port: await freePort() })));
      close = await serveOrigins(s.app, listens);
      for (const l of listens) origins.set(l.surface as Name, `http://127.0.0.1:${l.port}`);
    });
    after(async () => {
      await close?.();
      await s.close();
    });

    for (const name of NAMES) {
      test(`${name}: its document validates and is complete`, async () => {
        const res = await fetch(s.base + DOCUMENTS[name].document);
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
        const doc = await res.json();
        await SwaggerParser.validate(structuredClone(doc));
        assert.deepEqual(faults(name, doc), []);
      });
    }

    test('/docs documents the native API alone; each dialect documents only its own paths', async () => {
      const native = await (await fetch(`${s.base}/v1/openapi.json`)).json();
      for (const path of Object.keys(native.paths)) assert.match(path, /^\/v1\//);
      const dintero = await (await fetch(`${s.base}/dintero/openapi.json`)).json();
      assert.ok(
        dintero.paths['/accounts/{aid}/auth/token'].post.security.some((r: object) => 'basicAuth' in r),
        'the token endpoint takes client credentials',
      );
      assert.equal(dintero.components.securitySchemes.bearerAuth.bearerFormat, 'JWT');
    });

    test('GET / and the reference pages, on the main listener and on each dialect origin', async () => {
      const home = await fetch(`${s.base}/`);
      assert.equal(home.status, 200);
      const body = await home.json();
      assert.equal(body.reference.docs, '/docs');
      assert.match(home.headers.get('link') ?? '', /<\/docs>; rel="service-doc"/);
      for (const name of NAMES.filter((n) => n !== 'native')) {
        const { root, server } = DOCUMENTS[name];
        assert.deepEqual(body.dialects[name], { docs: `${root}/docs/`, openapi: `${root}/openapi.json` });
        const page = await fetch(`${s.base}${root}/docs/`);
        assert.equal(page.status, 200, `${name} page`);
        assert.match(await page.text(), /swagger-ui/);
        const main = await (await fetch(`${s.base}${root}/openapi.json`)).json();
        assert.equal(main.servers[0].url, `${root}${server === '/' ? '' : server}`, `${name}: the server on the main listener`);

        const origin = origins.get(name)!;
        const there = await fetch(`${origin}/`);
        assert.equal(there.status, 200, `${name}: GET / at its origin`);
        assert.deepEqual((await there.json()).reference, { docs: '/docs/', openapi: '/openapi.json' });
        const bare = await fetch(`${origin}/docs`, { redirect: 'manual' });
        assert.equal(bare.status, 302);
        assert.equal(bare.headers.get('location'), '/docs/', 'the page names its assets relative to itself');
        const ui = await fetch(`${origin}/docs/`);
        assert.equal(ui.status, 200);
        const asset = /href="(\.\/static\/[^"]+\.css)"/.exec(await ui.text())![1];
        assert.equal((await fetch(new URL(asset, `${origin}/docs/`))).status, 200, `${name}: ${asset}`);
        const own = await (await fetch(`${origin}/docs/json`)).json();
        assert.deepEqual(
          own.servers.map((x: { url: string }) => x.url),
          [server],
          `${name}: the server on its own origin`,
        );
        assert.deepEqual(own.paths, main.paths);
      }
    });
  });
}
