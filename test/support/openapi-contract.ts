import assert from 'node:assert/strict';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// A surface's responses held to the OpenAPI document it serves: for the operation a request
// matched, the status must be documented, with the media type it was sent as, and the body must
// match that response's schema (OpenAPI 3.0's nullable is Ajv's own keyword).

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly templates: { method: string; path: string; re: RegExp }[] = [];
  /** Each checked operation and status, `GET /users/ 200`: a suite asserts it covered what it meant to. */
  readonly checked = new Set<string>();

  constructor(readonly doc: any) {
    addFormats(this.ajv);
    this.ajv.addSchema(doc, 'doc');
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const method of Object.keys(ops)) this.templates.push({ method, path, re: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`) });
    }
    // Literal paths first, so a literal segment is not taken for a parameter.
    this.templates.sort((a, b) => a.path.split('{').length - b.path.split('{').length);
  }

  /** Fetches a surface's document from where it is served. */
  static async at(url: string): Promise<OpenApiContract> {
    const res = await fetch(url);
    assert.equal(res.status, 200, url);
    return new OpenApiContract(await res.json());
  }

  /** `path` as the document writes it: relative to its server. */
  check(method: string, path: string, a: Answer) {
    const bare = path.split('?')[0];
    const t = this.templates.find((x) => x.method === method.toLowerCase() && x.re.test(bare));
    assert.ok(t, `${method} ${bare} is not a documented operation`);
    const r = this.doc.paths[t.path][t.method].responses[String(a.status)];
    const what = `${method} ${t.path} ${a.status}`;
    assert.ok(r, `${what} is not documented: ${a.text.slice(0, 300)}`);
    assert.ok(r.description, `${what} has a description`);
    this.checked.add(what);
    if (!r.content) return assert.equal(a.text, '', `${what} is documented without a body`);
    const type = a.contentType.split(';')[0].trim();
    assert.ok(r.content[type], `${what} is documented as ${Object.keys(r.content)}, sent as ${type}`);
    const v: ValidateFunction = this.ajv.compile({ $ref: `doc#/paths/${esc(t.path)}/${t.method}/responses/${a.status}/content/${esc(type)}/schema` });
    assert.ok(v(JSON.parse(a.text)), `${what} does not match its schema: ${JSON.stringify(v.errors)}\n${a.text.slice(0, 500)}`);
  }
}
