import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PgArray, copyLine, customerRows } from './copy-text.ts';
import { generateRaw, toSeedCustomer } from './generate.ts';
import { iso } from './iso.ts';

test('the fast rows are exactly what the generic COPY writer makes of the records', () => {
  for (const seed of [1, 7]) {
    for (const raw of generateRaw({ count: 3000, seed, firstNumber: 41 })) {
      const c = toSeedCustomer(raw);
      const { customer, products } = customerRows('T00000042', raw);
      assert.equal(
        customer,
        copyLine([
          'T00000042',
          c.id,
          c.number,
          c.uuid,
          c.external_id,
          c.type,
          c.name,
          c.first_name,
          c.last_name,
          c.email,
          c.phone_number,
          c.country,
          c.kyb_status,
          c.kyc_links,
          c.application,
          c.provider_statuses,
          c.attributes,
          c.metadata,
          c.parent_id,
          c.parent_name,
          new PgArray(c.ancestors),
          c.operator_id,
          c.operator_name,
          c.is_sub_client,
          c.created_at,
          c.updated_at,
          c.deleted_at,
          'seed',
          c.parent_number,
          c.operator_number,
        ]),
      );
      assert.equal(products, c.product_accounts.map((p) => copyLine(['T00000042', c.id, p.product, p.kyc_status, p.kyc_approved_at, p.current_market_value, c.created_at, c.updated_at])).join(''));
    }
  }
});

test('text needing escapes is escaped the same way on the fast path', () => {
  const [raw] = generateRaw({ count: 1, seed: 3, firstNumber: 1 });
  const odd = { ...raw, name: 'A\\B\tC\nD\rE', email: 'x\ty@example.com' };
  const c = toSeedCustomer(odd);
  const fields = customerRows('T00000042', odd).customer.split('\t');
  assert.equal(fields[6], 'A\\\\B\\tC\\nD\\rE');
  assert.equal(fields[6], copyLine([c.name]).trimEnd());
  assert.equal(fields[9], 'x\\ty@example.com');
});

test('iso writes what toISOString writes', () => {
  const samples = [0, -1, 86399_999, 86400_000, Date.UTC(2021, 0, 1), Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(1969, 11, 31, 12), Date.UTC(2026, 9, 1) - 1];
  for (let i = 0; i < 20_000; i++) samples.push(Math.floor(Date.UTC(1960, 0, 1) + Math.random() * 100 * 365 * 86400_000));
  for (const ms of samples) assert.equal(iso(ms), new Date(ms).toISOString(), String(ms));
});
