import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCustomers, generateUsers } from './generate.ts';

test('the same seed yields the same records; another seed does not', () => {
  const a = [...generateCustomers({ count: 300, seed: 5, firstNumber: 1 })];
  const b = [...generateCustomers({ count: 300, seed: 5, firstNumber: 1 })];
  const c = [...generateCustomers({ count: 300, seed: 6, firstNumber: 1 })];
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.map((r) => r.name), c.map((r) => r.name));
  assert.deepEqual([...generateUsers({ count: 20, seed: 5 })], [...generateUsers({ count: 20, seed: 5 })]);
});

test('seeded records are realistic: unique emails and external ids, a hierarchy, spread statuses', () => {
  const rows = [...generateCustomers({ count: 2000, seed: 1, firstNumber: 1 })];
  assert.equal(new Set(rows.map((r) => r.email)).size, rows.length);
  assert.equal(new Set(rows.map((r) => r.external_id)).size, rows.length);
  assert.equal(new Set(rows.map((r) => r.phone_number)).size, rows.length);
  assert.ok(rows.every((r) => /^\+[1-9]\d{1,14}$/.test(r.phone_number)), 'E.164');
  assert.equal(new Set(rows.map((r) => r.id)).size, rows.length);
  assert.ok(Math.max(...rows.map((r) => r.ancestors.length)) >= 3, 'a hierarchy a few levels deep');
  assert.ok(new Set(rows.map((r) => r.kyb_status)).size >= 5);
  assert.ok(rows.some((r) => r.deleted_at) && rows.some((r) => !r.deleted_at));
  assert.ok(rows.some((r) => r.product_accounts.length > 0));
  const instants = new Map<number, number>();
  for (const r of rows) instants.set(r.updated_at.getTime(), (instants.get(r.updated_at.getTime()) ?? 0) + 1);
  assert.ok(Math.max(...instants.values()) <= 2, 'updated_at is spread, so a sync by it can always move on');
  assert.ok(rows.every((r) => r.updated_at >= r.created_at));
  const years = new Set(rows.map((r) => r.created_at.getUTCFullYear()));
  assert.ok(years.size >= 4, 'timestamps spread over several years');
  // Every parent exists earlier in the stream, and operator ids point at operators.
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const r of rows) {
    if (r.parent_id) assert.ok(byId.has(r.parent_id));
    if (r.operator_id) assert.equal(byId.get(r.operator_id)!.type, 'operator');
  }
});
