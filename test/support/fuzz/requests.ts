import fc from 'fast-check';
import type { RouteOptions } from 'fastify';
import { surfaceOfPath, type PageSurface, type Surface } from '../error-shapes.ts';
import { hostileJson, hostileString, mutated, queryValue, valid, type JsonSchema, type Pools } from './schema-values.ts';
import { nested } from './hostile-values.ts';
import { filterParam } from './filter-groups.ts';
import { searchQuery } from './search-language.ts';

// Hostile requests for every registered route: the route list comes from the server itself
// (Fastify's onRoute), the parameters from each route's schemas, so a new route is covered by
// the fuzz test without new test code.

export interface RouteSpec {
  method: string;
  url: string;
  surface: Surface | PageSurface;
  params: string[];
  query?: JsonSchema;
  body?: JsonSchema;
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  route: string;
  surface: Surface | PageSurface;
}

/** What the generator needs from the store: credentials and ids that exist. */
export interface Fixtures {
  apiKey: string;
  jwt: string;
  clientId: string;
  clientSecret: string;
  aid: string;
  /** Known values per path parameter name, per surface. */
  pathValues: Partial<Record<Surface | PageSurface, Record<string, string[]>>>;
  pools: Pools;
}

/** Collects routes as the server registers them (pass as buildApp's onRoute). */
export function routeCollector() {
  const routes: RouteSpec[] = [];
  const onRoute = (r: RouteOptions) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    const schema = (r.schema ?? {}) as { querystring?: JsonSchema; body?: JsonSchema };
    const params = [...r.url.matchAll(/:(\w+)|\*/g)].map((m) => m[1] ?? '*');
    for (const method of methods) routes.push({ method, url: r.url, surface: surfaceOfPath(r.url), params, query: schema.querystring, body: schema.body });
  };
  return { routes, onRoute };
}

const basic = (id: string, secret: string) => 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64');
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const HOSTILE_JWT = `${b64({ alg: 'HS256', kid: 'a\u0000b' })}.${b64({ aid: 'T00000042', sub: 'x' })}.c2ln`;
/** Header values a client can send (Node refuses control characters in headers). */
const headerSafe = (s: string) => s.replace(/[^\x20-\x7e\x80-\xff]/g, '');

function authHeaders(r: RouteSpec, fx: Fixtures, variant: string, bad: string): Record<string, string> {
  if (variant === 'none') return {};
  const token = r.url.endsWith('/auth/token');
  if (variant === 'hostile') {
    if (r.surface === 'dintero') return { authorization: token ? basic(`${fx.clientId}\u0000x`, fx.clientSecret) : `Bearer ${HOSTILE_JWT}` };
    return { authorization: `Bearer ${headerSafe(bad)}`, 'x-api-key': headerSafe(bad) };
  }
  const garbage = variant === 'garbage';
  switch (r.surface) {
    case 'dintero':
      if (token) return { authorization: basic(fx.clientId, garbage ? 'wrong' : fx.clientSecret) };
      return { authorization: `Bearer ${garbage ? fx.jwt.slice(0, -4) + 'AAAA' : fx.jwt}` };
    case 'dakota':
    case 'investifi':
      return { 'x-api-key': garbage ? 'rk_test_' + 'x'.repeat(52) : fx.apiKey };
    default:
      return { authorization: `Bearer ${garbage ? 'nope' : fx.apiKey}` };
  }
}

/** Percent-encodes like encodeURIComponent, writing a lone surrogate as its (invalid) three UTF-8-style bytes. */
export function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...s]
      .map((ch) => {
        const c = ch.charCodeAt(0);
        if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) return `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`.toUpperCase();
        return encodeURIComponent(ch);
      })
      .join('');
  }
}

const BAD_ESCAPES = ['%zz', '%', '%c0%80', '%ed%a0%80', '%ff', '%e4%b8'];

function pathParam(r: RouteSpec, name: string, fx: Fixtures): fc.Arbitrary<string> {
  const known = fx.pathValues[r.surface]?.[name] ?? [];
  const arbs: { arbitrary: fc.Arbitrary<string>; weight: number }[] = [
    { arbitrary: hostileString.map(encode), weight: 2 },
    { arbitrary: fc.constantFrom(...BAD_ESCAPES), weight: 1 },
    { arbitrary: fc.constantFrom('x'.repeat(101), 'x'.repeat(256), 'x'.repeat(5000)), weight: 1 },
  ];
  if (known.length) arbs.push({ arbitrary: fc.constantFrom(...known).map(encode), weight: 6 });
  return fc.oneof(...arbs);
}

const SEARCH_ROUTES = ['/v1/customers/search', '/v1/users/search'];

function query(r: RouteSpec, fx: Fixtures): fc.Arbitrary<string> {
  const search = SEARCH_ROUTES.includes(r.url);
  // The search routes' query comes from the search language's own pieces, not from its schema.
  const props = Object.entries(r.query?.properties ?? {}).filter(([k]) => !(search && k === 'query'));
  const entries = fc
    .subarray(props, { maxLength: Math.min(4, props.length) })
    .chain((chosen) => (chosen.length === 0 ? fc.constant([] as [string, string[]][]) : fc.tuple(...chosen.map(([k, s]) => queryValue(s, fx.pools).map((v) => [k, v] as [string, string[]])))));
  const extra = fc.option(fc.tuple(fc.constantFrom('unknown', 'limit', 'cursor', 'search', 'a[b]', ''), hostileString), { freq: 8 });
  // The native lists' filter groups and metadata keys, which their schemas cannot generate.
  const groups = r.url === '/v1/customers' || r.url === '/v1/users' ? fc.option(filterParam, { freq: 2 }) : fc.constant(null);
  const language = search ? fc.option(searchQuery, { freq: 12 }) : fc.constant(null);
  return fc.tuple(entries, extra, groups, language).map(([list, more, group, text]) => {
    const parts = list.flatMap(([k, vs]) => vs.map((v) => `${encode(k)}=${encode(v)}`));
    if (text !== null) parts.push(`query=${encode(text)}`);
    if (more) parts.push(`${encode(more[0])}=${encode(more[1])}`);
    if (group) parts.push(`${encode(group[0])}=${encode(group[1])}`);
    return parts.length ? '?' + parts.join('&') : '';
  });
}

const SPECIALS = ['long-url', 'big-body', 'content-type', 'bad-json', 'deep-json', 'empty-body'] as const;

function body(r: RouteSpec, fx: Fixtures): fc.Arbitrary<unknown> {
  if (r.body) return fc.oneof({ arbitrary: valid(r.body, fx.pools), weight: 3 }, { arbitrary: mutated(r.body, fx.pools), weight: 4 }, { arbitrary: hostileJson, weight: 1 });
  // A route that validates its body by hand: plausible field names with any values.
  const fields = ['name', 'externalId', 'country', 'type', 'ownerId', 'contactDetails', 'billingDetails', 'first_name', 'email', 'customer_id'];
  const plausible = fc.dictionary(fc.constantFrom(...fields), fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: 1, max: 50 }), hostileJson), { maxKeys: 6 });
  return fc.oneof({ arbitrary: plausible, weight: 4 }, { arbitrary: hostileJson, weight: 1 });
}

function routeRequest(r: RouteSpec, fx: Fixtures): fc.Arbitrary<FuzzRequest> {
  const hasBody = !['GET', 'HEAD', 'OPTIONS'].includes(r.method);
  return fc
    .record({
      auth: fc.constantFrom(...Array(16).fill('valid'), 'none', 'garbage', 'hostile'),
      bad: hostileString,
      params: fc.tuple(...r.params.map((p) => pathParam(r, p, fx))),
      query: query(r, fx),
      body: hasBody ? body(r, fx) : fc.constant(undefined),
      special: fc.oneof({ arbitrary: fc.constant(undefined), weight: 40 }, { arbitrary: fc.constantFrom(...SPECIALS), weight: 2 }),
      idempotency: fc.oneof(fc.uuid(), hostileString.map(headerSafe)),
    })
    .map(({ auth, bad, params, query, body, special, idempotency }) => {
      let i = 0;
      let path = r.url.replace(/:(\w+)|\*/g, () => params[i++]) + query;
      const headers: Record<string, string> = { ...authHeaders(r, fx, auth, bad) };
      if (hasBody && idempotency) headers[r.surface === 'dakota' ? 'x-idempotency-key' : 'idempotency-key'] = idempotency;
      let payload: Buffer | undefined = body === undefined ? undefined : Buffer.from(JSON.stringify(body) ?? 'null');
      if (special === 'long-url') path += (query ? '&' : '?') + 'pad=' + 'x'.repeat(17_000);
      if (hasBody) {
        if (special === 'big-body') payload = Buffer.from(JSON.stringify({ name: 'x'.repeat(1_100_000) }));
        if (special === 'bad-json') payload = Buffer.from('{"name": ');
        if (special === 'deep-json') payload = Buffer.from('['.repeat(50_000) + ']'.repeat(50_000));
        if (special === 'empty-body') payload = Buffer.alloc(0);
        if (payload) headers['content-type'] = special === 'content-type' ? 'text/plain' : 'application/json';
      }
      return { method: r.method, path, headers, body: payload, route: `${r.method} ${r.url}`, surface: r.surface };
    });
}

/** Every route equally likely. */
export function requestArbitrary(routes: RouteSpec[], fx: Fixtures): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(...routes.map((r) => routeRequest(r, fx)));
}

export { nested };
