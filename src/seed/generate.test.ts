import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APPLICATION_STATUSES, KYB_STATUSES } from '../core/model.ts';
import { MAX_DEPTH, generateBatch, generateCustomers, generateUsers, type SeedCustomer } from './generate.ts';

test('the same seed yields the same records; another seed does not', () => {
  const a = [...generateCustomers({ count: 300, seed: 5, firstNumber: 1 })];
  const b = [...generateCustomers({ count: 300, seed: 5, firstNumber: 1 })];
  const c = [...generateCustomers({ count: 300, seed: 6, firstNumber: 1 })];
  assert.deepEqual(a, b);
  assert.notDeepEqual(
    a.map((r) => r.name),
    c.map((r) => r.name),
  );
  assert.notDeepEqual(
    a.map((r) => r.id),
    c.map((r) => r.id),
  );
  assert.deepEqual([...generateUsers({ count: 20, seed: 5 })], [...generateUsers({ count: 20, seed: 5 })]);
});

test('records handed out are not shared: changing one leaves the next generation alone', () => {
  const [first] = generateCustomers({ count: 1, seed: 9, firstNumber: 1 });
  (first.attributes as Record<string, unknown>).changed = true;
  (first.provider_statuses as unknown[]).push('changed');
  const [again] = generateCustomers({ count: 1, seed: 9, firstNumber: 1 });
  assert.equal('changed' in again.attributes, false);
  assert.equal(again.provider_statuses.length, 1);
});

test('the batches of a 10M load repeat no uuid or id of one another', () => {
  // Pairs whose streams, under the 32-bit generator used before, started within a batch's draws
  // of each other (batch 319 of seed 1 began 24,793 draws into batch 8): `roster seed` of 10M
  // customers stopped at a duplicate uuid. Each batch is generated on its own, as the load does.
  const load = { count: 10_000_000, seed: 1, firstNumber: 1 };
  for (const [a, b] of [
    [8, 319],
    [50, 431],
  ]) {
    const first = [...generateBatch(load, a)];
    const uuids = new Set(first.map((r) => r.uuid));
    const ids = new Set(first.map((r) => r.id));
    for (const r of generateBatch(load, b)) {
      assert.ok(!uuids.has(r.uuid), `batch ${b} repeats uuid ${r.uuid} of batch ${a}`);
      assert.ok(!ids.has(r.id), `batch ${b} repeats id ${r.id} of batch ${a}`);
    }
  }
});

const rows = [...generateCustomers({ count: 20_000, seed: 1, firstNumber: 1 })];

test('ids, uuids, numbers, emails, external ids and phones are unique', () => {
  for (const key of ['id', 'uuid', 'number', 'email', 'external_id', 'phone_number'] as const) {
    assert.equal(new Set(rows.map((r) => r[key])).size, rows.length, key);
  }
  assert.ok(
    rows.every((r) => /^\+[1-9]\d{1,14}$/.test(r.phone_number)),
    'E.164',
  );
  assert.ok(
    rows.every((r) => /^[0-9A-Za-z]{27}$/.test(r.id)),
    'KSUID',
  );
  assert.ok(
    rows.every((r) => /^[a-z]+(\.[a-z]+)*\.\d+@example\.com$/.test(r.email)),
    'email from the name and the number',
  );
  assert.deepEqual(
    rows.map((r) => r.number),
    rows.map((_, i) => i + 1),
  );
});

test('the hierarchy is consistent: parents come first, ancestors and operator follow the parent', () => {
  const byId = new Map<string, SeedCustomer>();
  for (const r of rows) {
    if (r.parent_id) {
      const parent = byId.get(r.parent_id);
      assert.ok(parent, 'the parent is generated before its children');
      assert.equal(r.parent_name, parent.name);
      assert.deepEqual(r.ancestors, [...parent.ancestors, parent.id]);
      assert.ok(parent.type === 'operator' || parent.type === 'operator_subsidiary' || parent.type === 'business');
      const operator = parent.type === 'operator' ? parent : parent.operator_id ? byId.get(parent.operator_id) : undefined;
      assert.equal(r.operator_id, operator?.id ?? null);
      assert.equal(r.operator_name, operator?.name ?? null);
    } else {
      assert.deepEqual(r.ancestors, []);
      assert.equal(r.parent_name, null);
      assert.equal(r.operator_id, null);
    }
    if (r.operator_id) assert.equal(byId.get(r.operator_id)!.type, 'operator');
    if (r.type === 'operator') assert.equal(r.parent_id, null);
    if (r.type === 'operator_subsidiary') assert.equal(byId.get(r.parent_id!)!.type, 'operator');
    byId.set(r.id, r);
  }
  const depths = rows.map((r) => r.ancestors.length);
  assert.equal(Math.max(...depths), MAX_DEPTH, `a hierarchy ${MAX_DEPTH} levels deep, and no deeper`);
  assert.ok(rows.filter((r) => r.ancestors.length >= 3).length > 100);
});

test('statuses, applications and product accounts are spread and coherent', () => {
  assert.deepEqual(new Set(rows.map((r) => r.kyb_status)), new Set(KYB_STATUSES));
  assert.deepEqual(new Set(rows.map((r) => r.type)), new Set(['individual', 'business', 'operator', 'operator_subsidiary']));
  const withApp = rows.filter((r) => r.application);
  assert.ok(withApp.length > rows.length * 0.5 && withApp.length < rows.length * 0.7);
  assert.deepEqual(new Set(withApp.map((r) => r.application!.status)), new Set(APPLICATION_STATUSES));
  for (const r of withApp) {
    const { status, decision } = r.application as { status: string; decision: string | null };
    assert.equal(decision, status === 'approved' || status === 'declined' ? status : null);
  }
  const accounts = rows.flatMap((r) => r.product_accounts);
  assert.ok(accounts.length > rows.length * 0.6 && accounts.length < rows.length * 1.0);
  for (const r of rows) {
    assert.equal(new Set(r.product_accounts.map((p) => p.product)).size, r.product_accounts.length, 'a product once per customer');
    for (const p of r.product_accounts) {
      assert.match(p.current_market_value, /^\d+\.\d\d$/);
      assert.equal(p.kyc_approved_at !== null, p.kyc_status === 'approved');
    }
  }
  assert.ok(rows.some((r) => r.kyc_links.length === 0) && rows.some((r) => r.kyc_links.length === 1));
});

test('about 2% are soft-deleted, and timestamps spread over 2021 to 2026', () => {
  const deleted = rows.filter((r) => r.deleted_at);
  assert.ok(deleted.length > rows.length * 0.01 && deleted.length < rows.length * 0.035, `${deleted.length} deleted`);
  assert.ok(deleted.every((r) => r.deleted_at!.getTime() === r.updated_at.getTime()));
  const instants = new Map<number, number>();
  for (const r of rows) instants.set(r.updated_at.getTime(), (instants.get(r.updated_at.getTime()) ?? 0) + 1);
  assert.ok(Math.max(...instants.values()) <= 2, 'updated_at is spread, so a sync by it can always move on');
  assert.ok(rows.every((r) => r.updated_at >= r.created_at));
  assert.ok(rows.every((r) => r.created_at >= new Date('2021-01-01') && r.updated_at <= new Date('2026-10-02')));
  assert.deepEqual(new Set(rows.map((r) => r.created_at.getUTCFullYear())), new Set([2021, 2022, 2023, 2024, 2025, 2026]));
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i].created_at >= rows[i - 1].created_at, 'created in number order');
});

test('names are varied: many distinct first, last and company names', () => {
  const people = rows.filter((r) => r.type === 'individual');
  assert.ok(new Set(people.map((r) => r.first_name)).size > 1000);
  assert.ok(new Set(people.map((r) => r.last_name)).size > 400);
  assert.ok(new Set(rows.filter((r) => r.type !== 'individual').map((r) => r.name)).size > 2000);
  assert.ok(people.every((r) => r.name === `${r.first_name} ${r.last_name}`));
});
