import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { DAKOTA_OPENAPI } from './openapi.ts';

// The document Roster serves for Dakota is made from the schemas its routes validate with. It
// must still say everything Dakota's own document says (test/fixtures holds Dakota's, as
// published): every operation, parameter, status, schema field and enum value.

type Json = Record<string, any>;
const vendor: Json = parseYaml(readFileSync(new URL('../../../test/fixtures/dakota-customers-users.openapi.yaml', import.meta.url), 'utf8'));
const ours: Json = JSON.parse(DAKOTA_OPENAPI);

/** A schema with its $refs and allOf parts resolved, as one object: its properties, required fields and enum. */
function flat(doc: Json, schema: Json | undefined): Json {
  if (!schema) return {};
  if (schema.$ref)
    return flat(
      doc,
      schema.$ref
        .replace('#/', '')
        .split('/')
        .reduce((o: Json, k: string) => o[k], doc),
    );
  const parts = [schema, ...(schema.allOf ?? []).map((s: Json) => flat(doc, s))];
  return {
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
    required: parts.flatMap((p) => p.required ?? []),
    enum: parts.find((p) => p.enum)?.enum,
    items: parts.find((p) => p.items)?.items,
    type: parts.find((p) => p.type)?.type,
  };
}

/** Every field and enum of a vendor schema is in ours, its required fields required, recursively. */
function covers(where: string, theirs: Json | undefined, mine: Json | undefined, depth = 0) {
  const t = flat(vendor, theirs);
  const m = flat(ours, mine);
  if (t.enum) assert.deepEqual([...(m.enum ?? [])].sort(), [...t.enum].sort(), `${where}: enum`);
  for (const r of t.required) assert.ok(m.required.includes(r), `${where}: ${r} is required`);
  for (const [name, prop] of Object.entries<Json>(t.properties ?? {})) {
    assert.ok(m.properties && name in m.properties, `${where}: field ${name}`);
    if (depth < 6) covers(`${where}.${name}`, prop, m.properties[name], depth + 1);
  }
  if (t.items) covers(`${where}[]`, t.items, m.items, depth + 1);
}

test("every operation of Dakota's document is served, with its parameters, body and statuses", () => {
  for (const [path, ops] of Object.entries<Json>(vendor.paths)) {
    for (const [method, op] of Object.entries<Json>(ops)) {
      const mine = ours.paths[path]?.[method];
      const what = `${method.toUpperCase()} ${path}`;
      assert.ok(mine, `${what} is documented`);
      assert.equal(mine.operationId, op.operationId, what);
      const params = (mine.parameters ?? []).map((p: Json) => `${p.in} ${p.name.toLowerCase()}`);
      for (const p of op.parameters ?? []) {
        const param = p.$ref
          ? p.$ref
              .replace('#/', '')
              .split('/')
              .reduce((o: Json, k: string) => o[k], vendor)
          : p;
        const key = `${param.in} ${param.name.toLowerCase()}`;
        assert.ok(params.includes(key), `${what}: parameter ${key}`);
        const ourParam = mine.parameters.find((q: Json) => `${q.in} ${q.name.toLowerCase()}` === key);
        if (param.required) assert.equal(ourParam.required, true, `${what}: ${key} is required`);
        covers(`${what} ${key}`, param.schema, ourParam.schema);
      }
      if (op.requestBody) covers(`${what} body`, op.requestBody.content['application/json'].schema, mine.requestBody?.content['application/json'].schema);
      for (const [status, r] of Object.entries<Json>(op.responses)) {
        assert.ok(mine.responses[status], `${what} answers ${status}`);
        for (const [type, c] of Object.entries<Json>(r.content ?? {})) covers(`${what} ${status} ${type}`, c.schema, mine.responses[status].content?.[type]?.schema);
      }
    }
  }
});

test("every schema of Dakota's document is a component of ours, with all its fields and enums", () => {
  for (const [name, schema] of Object.entries<Json>(vendor.components.schemas)) {
    assert.ok(ours.components.schemas[name], `component ${name}`);
    covers(name, schema, ours.components.schemas[name]);
  }
  assert.deepEqual(Object.keys(ours.components.securitySchemes).sort(), Object.keys(vendor.components.securitySchemes).sort());
});

test('every reference in the document resolves', () => {
  const refs = [...DAKOTA_OPENAPI.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]);
  assert.ok(refs.length > 20);
  for (const name of refs) assert.ok(ours.components.schemas[name], name);
  assert.doesNotMatch(DAKOTA_OPENAPI, /"anyOf"|"examples"|"type":"null"/, 'OpenAPI 3.0 has nullable and example instead');
});
