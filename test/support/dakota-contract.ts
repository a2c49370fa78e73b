import assert from 'node:assert/strict';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// Every Dakota response in the tests is checked against the OpenAPI that Roster itself serves
// at /dakota/openapi.json: the documented schema for its path, method and status, or, for an
// error the document does not list, Dakota's ProblemDetails.

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export interface DakotaResponse {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export class DakotaClient {
  private ajv = new Ajv({ strict: false, allErrors: true });
  private cache = new Map<string, ValidateFunction>();
  private templates: { method: string; path: string; re: RegExp }[] = [];
  private spec: any;
  /** How many responses were validated: the suites assert they checked what they sent. */
  validated = 0;

  private constructor(
    readonly base: string,
    readonly apiKey: string,
  ) {}

  static async connect(base: string, apiKey: string): Promise<DakotaClient> {
    const c = new DakotaClient(base, apiKey);
    const res = await fetch(`${base}/dakota/openapi.json`);
    assert.equal(res.status, 200);
    c.spec = await res.json();
    assert.deepEqual(
      c.spec.servers.map((s: { url: string }) => s.url),
      ['/dakota'],
    );
    addFormats(c.ajv);
    c.ajv.addSchema(c.spec, 'dakota');
    for (const [path, ops] of Object.entries<any>(c.spec.paths)) {
      for (const method of Object.keys(ops)) {
        c.templates.push({ method: method.toUpperCase(), path, re: new RegExp('^' + path.replace(/\{[^}]+\}/g, '[^/]+') + '$') });
      }
    }
    // Literal paths first, so /customers/sub-client-summary is not taken for /customers/{id}.
    c.templates.sort((a, b) => a.path.split('{').length - b.path.split('{').length);
    return c;
  }

  private validator(pointer: string): ValidateFunction {
    let v = this.cache.get(pointer);
    if (!v) {
      v = this.ajv.compile({ $ref: `dakota#${pointer}` });
      this.cache.set(pointer, v);
    }
    return v;
  }

  /** The JSON pointer of the schema a response must match, or undefined for a body-less one. */
  schemaFor(method: string, path: string, status: number, contentType: string): string | undefined {
    const bare = path.split('?')[0].replace(/^\/dakota/, '');
    const t = this.templates.find((x) => x.method === method && x.re.test(bare));
    const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
    if (t) {
      const resp = this.spec.paths[t.path][method.toLowerCase()].responses[String(status)];
      if (resp) {
        if (!resp.content) return undefined;
        const type = contentType.split(';')[0].trim();
        assert.ok(resp.content[type], `${method} ${t.path} ${status} is documented as ${Object.keys(resp.content)}, got ${type}`);
        return `/paths/${esc(t.path)}/${method.toLowerCase()}/responses/${status}/content/${esc(type)}/schema`;
      }
    }
    assert.ok(status >= 400, `${method} ${bare} answered ${status}, which the OpenAPI does not document`);
    assert.match(contentType, /^application\/problem\+json/);
    return '/components/schemas/ProblemDetails';
  }

  async call(method: string, path: string, opts: { key?: string | null; headers?: Record<string, string>; body?: unknown; rawBody?: string } = {}): Promise<DakotaResponse> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const key = opts.key === undefined ? this.apiKey : opts.key;
    if (key !== null) headers['x-api-key'] = key;
    let payload: string | undefined = opts.rawBody;
    if (opts.body !== undefined) payload = JSON.stringify(opts.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(this.base + '/dakota' + path, { method, headers, body: payload });
    const text = await res.text();
    const body: any = text ? JSON.parse(text) : undefined;
    // Dakota's documented headers, on every response.
    for (const h of ['x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) assert.ok(res.headers.get(h), `${method} ${path}: missing ${h}`);
    const pointer = this.schemaFor(method, '/dakota' + path, res.status, res.headers.get('content-type') ?? '');
    if (pointer) {
      const v = this.validator(pointer);
      const ok = v(text ? JSON.parse(text) : undefined);
      assert.ok(ok, `${method} ${path} ${res.status} does not match ${pointer}: ${JSON.stringify(v.errors)}\n${text.slice(0, 500)}`);
      if (res.status >= 400) assert.equal(body.request_id, res.headers.get('x-request-id'));
    } else {
      assert.equal(text, '', `${method} ${path} ${res.status} should have no body`);
    }
    this.validated++;
    return { status: res.status, headers: res.headers, text, body };
  }
}
