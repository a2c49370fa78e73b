import fc from 'fast-check';
import { hostileJson, hostileString } from './hostile-values.ts';

// fast-check arbitraries derived from a route's JSON Schemas (TypeBox emits JSON Schema), so a
// new route or parameter is fuzzed with no new test code. `valid` aims inside the schema (so
// requests get past validation and reach the store); `mutated` puts one hostile value somewhere.

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  additionalProperties?: boolean | JsonSchema;
};

/** Values a path or body may name that exist in the store (ids, numbers, customer_ids). */
export interface Pools {
  ksuids: string[];
  uuids: string[];
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.split('');
const isoDate = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });

function stringValue(s: JsonSchema, pools: Pools): fc.Arbitrary<string> {
  switch (s.format) {
    case 'date-time':
      return isoDate.map((d) => d.toISOString());
    case 'date':
      return isoDate.map((d) => d.toISOString().slice(0, 10));
    case 'uuid':
      return pools.uuids.length ? fc.oneof(fc.constantFrom(...pools.uuids), fc.uuid()) : fc.uuid();
    case 'email':
      return fc.emailAddress().filter((e) => e.length <= (s.maxLength ?? 320));
  }
  if (s.pattern === '^[0-9A-Za-z]{27}$') {
    const random = fc.array(fc.constantFrom(...ALNUM), { minLength: 27, maxLength: 27 }).map((a) => a.join(''));
    return pools.ksuids.length ? fc.oneof(fc.constantFrom(...pools.ksuids), random) : random;
  }
  if (s.pattern === '^\\+?[1-9]\\d{1,14}$') return fc.integer({ min: 10_000_000, max: 999_999_999 }).map((n) => `+47${n}`);
  if (s.pattern === '^[A-Z]{2}$') return fc.constantFrom('NO', 'DK', 'SE', 'US');
  if (s.pattern === '^\\d{6}$') return fc.integer({ min: 100000, max: 999999 }).map(String);
  if (s.pattern) return fc.constantFrom('a', 'abc', 'x-1');
  const min = s.minLength ?? 0;
  const max = Math.max(min, Math.min(s.maxLength ?? 24, 24));
  return fc.string({ minLength: Math.max(min, 1), maxLength: max, unit: 'grapheme-ascii' }).map((v) => (/\S/.test(v) ? v.trim() || 'x' : 'x'));
}

export function valid(s: JsonSchema, pools: Pools, depth = 0): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const union = s.anyOf ?? s.oneOf;
  if (union) return fc.oneof(...union.map((u) => valid(u, pools, depth)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return stringValue(s, pools);
    case 'integer':
      return fc.integer({ min: s.minimum ?? -5, max: s.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: s.minimum ?? -90, max: s.maximum ?? 90, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(s.items ? valid(s.items, pools, depth + 1) : fc.string(), { maxLength: Math.min(s.maxItems ?? 3, 3) });
    case 'object': {
      const props = s.properties ?? {};
      if (Object.keys(props).length === 0 || depth > 4) return fc.dictionary(fc.constantFrom('a', 'b', 'tier', 'vip'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
      const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valid(v, pools, depth + 1)]));
      return fc.record(model, { requiredKeys: s.required ?? [] });
    }
  }
  return fc.jsonValue({ maxDepth: 2 });
}

/** A valid value with one property (at any depth) replaced by a hostile one, or added. */
export function mutated(s: JsonSchema, pools: Pools): fc.Arbitrary<unknown> {
  const props = Object.keys(s.properties ?? {});
  if (props.length === 0) return hostileJson;
  return fc.tuple(valid(s, pools), fc.constantFrom(...props, '__extra__'), hostileJson, fc.boolean()).map(([value, key, bad, deep]) => {
    const v = value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
    const target = v[key];
    if (deep && target && typeof target === 'object' && !Array.isArray(target)) {
      const inner = { ...(target as Record<string, unknown>) };
      const innerKeys = Object.keys(inner);
      inner[innerKeys[0] ?? 'x'] = bad;
      v[key] = inner;
    } else v[key] = bad;
    return v;
  });
}

/** A query parameter's text: from the schema, else hostile. Arrays become repeated parameters. */
export function queryValue(s: JsonSchema, pools: Pools): fc.Arbitrary<string[]> {
  const text = (x: unknown): string[] => (Array.isArray(x) ? x.flatMap(text) : [typeof x === 'string' ? x : (JSON.stringify(x) ?? '')]);
  return fc.oneof(
    { arbitrary: valid(s, pools).map(text), weight: 3 },
    { arbitrary: hostileString.map((v) => [v]), weight: 2 },
    { arbitrary: fc.array(hostileString, { minLength: 2, maxLength: 3 }), weight: 1 },
  );
}

export { hostileString, hostileJson };
