import fc from 'fast-check';

// Values chosen to break servers: each stands for a root cause seen in the wild (NUL bytes,
// lone surrogates, dates PostgreSQL cannot read, numbers JavaScript turns into Infinity, strings
// past index limits, nesting past the stack), plus fast-check's own strings of every kind.

const CJK = '\u4e2d';
export const HOSTILE_STRINGS: readonly string[] = [
  '', ' ', '\u0000', 'a\u0000b', '%00', '\ud800', 'x\udc00', '\udbff\udfff', '\ud83d\ude00'.repeat(300),
  'x'.repeat(256), 'x'.repeat(3000), 's'.repeat(9000), CJK.repeat(1024), CJK.repeat(300),
  '1e309', '-1e309', '1e308', 'NaN', 'Infinity', '-0', '0', '-1', '01', '9007199254740993', '99999999999999999999999', '0x10', '1.5', ' 5 ',
  'true', 'false', 'null', '[]', '{}', '"', "'", '\\', '%', '%zz', '../..', '..%2f', '*', '%2525', '\r\n', '\t',
  '0000-01-01', '0000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00', '9999-12-31', '9999-12-31T23:59:59Z', '9999-12-31T23:59:59.9999999Z',
  '2024-01-01T23:59:60Z', '2024-01-01T00:00:00+01', '2024-13-01T00:00:00Z', '2024-02-30', '2024-01-01T24:00:00Z', '-2024-01-01T00:00:00Z',
  '+010000-01-01T00:00:00Z', '2024-01-01', '2024-01-01T00:00:00', '1700000000', '99999999999999',
  'eyJzIjoiY3JlYXRlZF9hdDphc2MiLCJ2IjpbImdhcmJhZ2UiLCJ4Il0sImkiOiJ4In0', 'a.eyJzIjoiaWQ6YXNjIiwidiI6W3RydWVdLCJpIjoxfQ',
  '000000000000000000000000000', 'zzzzzzzzzzzzzzzzzzzzzzzzzzz', '00000000-0000-0000-0000-000000000000', 'T00000000', 'P99999999',
  'admin', 'any', 'contact', 'Private', 'CPO', 'approved', 'crypto', 'created_at', '-created_at', 'name,name', 'bogus',
  "'; DROP TABLE customers; --", '<script>', '\u202e', '\ufeff', '\uffff', '\u{10ffff}',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 6 },
  { arbitrary: fc.string({ maxLength: 40, unit: 'binary' }), weight: 2 },
  { arbitrary: fc.string({ maxLength: 20, unit: 'grapheme' }), weight: 1 },
  { arbitrary: fc.string({ maxLength: 20 }).map((s) => s + '\u0000'), weight: 1 },
);

/** JSON-ish values of the wrong type or shape for wherever they are put. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 5 },
  { arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, [], {}, [null], { '': 1 }, { '\u0000': 'x' }, { __proto__x: 1 }), weight: 3 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.double({ noNaN: true }), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: fc.integer({ min: 20, max: 3000 }).map((n) => nested(n)), weight: 1 },
);

/** An object nested `depth` levels deep. */
export function nested(depth: number): unknown {
  let v: unknown = 'deep';
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
}
