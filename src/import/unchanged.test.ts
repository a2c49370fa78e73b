import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Customer } from '../core/model.ts';
import { unchanged } from './unchanged.ts';

// A line that would write what the record holds already is left alone; anything else is written.

const current = {
  id: 'x',
  name: 'Acme',
  email: null,
  metadata: { a: 1, b: { c: [1, 2] } },
  tags: ['b-tag', 'a-tag'],
  product_accounts: [{ product: 'crypto', kyc_status: 'approved', kyc_approved_at: '2021-01-02T03:11:18.911Z', current_market_value: '12.30' }],
} as unknown as Customer;

test('the same values, in any key or list order and any equal notation, are unchanged', () => {
  assert.equal(unchanged(current, { name: 'Acme', email: null, metadata: { b: { c: [1, 2] }, a: 1 }, tags: ['A-TAG', 'b-tag'] }), true);
  assert.equal(unchanged(current, { product_accounts: [{ product: 'crypto', kyc_status: 'approved', kyc_approved_at: '2021-01-02T03:11:18.911000Z', current_market_value: '12.3' }] }), true);
  assert.equal(unchanged(current, {}), true);
});

test('any difference is a change', () => {
  assert.equal(unchanged(current, { name: 'Acme Ltd' }), false);
  assert.equal(unchanged(current, { email: 'a@example.com' }), false);
  assert.equal(unchanged(current, { metadata: { a: 1, b: { c: [2, 1] } } }), false, 'array order matters inside JSON');
  assert.equal(unchanged(current, { tags: ['a-tag'] }), false);
  assert.equal(unchanged(current, { product_accounts: [{ product: 'crypto', kyc_status: 'approved', current_market_value: '12.30' }] }), false, 'approval time removed');
  assert.equal(unchanged(current, { country: 'DK' }), false, 'a field the record does not have');
});
