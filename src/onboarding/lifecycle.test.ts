import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Customer } from '../core/model.ts';
import { RosterError } from '../core/errors.ts';
import { stepPatch } from './lifecycle.ts';
import { onboardingUrls, withToken } from './links.ts';

// The lifecycle's rules without a database: which moves are allowed and what each one writes.

const at = '2026-01-01T00:00:00.000Z';
const customer = (status: string, extra: Partial<Customer> = {}) =>
  ({
    application: { id: 'A'.repeat(27), status, decision: null, url: 'http://h/onboarding/x', expires_at: null },
    kyc_links: [{ provider_id: 'persona', link_type: 'persona', url: 'u', status: 'not_started', created_at: at, updated_at: at }],
    product_accounts: [{ product: 'crypto', kyc_status: 'pending', kyc_approved_at: null, current_market_value: '12.30' }],
    ...extra,
  }) as unknown as Customer;

test('a customer submits from pending; an operator cannot approve what was never submitted', () => {
  const p = stepPatch(customer('pending'), 'submitted');
  assert.equal(p.application!.status, 'submitted');
  assert.equal(p.kyb_status, 'partner_review');
  assert.equal(p.kyc_links![0].status, 'pending');
  assert.throws(
    () => stepPatch(customer('pending'), 'approved'),
    (e: unknown) => e instanceof RosterError && e.code === 'invalid_operation',
  );
  assert.throws(() => stepPatch(customer('approved'), 'declined'), RosterError);
  assert.throws(() => stepPatch({ ...customer('pending'), application: null } as Customer, 'submitted'), RosterError);
});

test('approval decides, activates KYB and approves pending product accounts with a time', () => {
  const now = new Date('2026-02-02T10:00:00Z');
  const p = stepPatch(customer('under_review'), 'approved', { now });
  assert.equal(p.application!.decision, 'approved');
  assert.equal(p.kyb_status, 'active');
  assert.deepEqual(p.product_accounts, [{ product: 'crypto', kyc_status: 'approved', kyc_approved_at: now.toISOString(), current_market_value: '12.30' }]);
  const declined = stepPatch(customer('submitted'), 'declined');
  assert.equal(declined.kyb_status, 'rejected');
  assert.equal(declined.product_accounts![0].kyc_approved_at, null);
});

test('a request for information carries its note; a record without a persona link gets one', () => {
  const p = stepPatch(customer('submitted', { kyc_links: [] }), 'request_for_information', { note: 'Send your VAT number' });
  assert.equal((p.application as { note?: string }).note, 'Send your VAT number');
  assert.equal(p.kyc_links!.length, 1);
  assert.equal(p.kyc_links![0].url, 'http://h/onboarding/x#identity');
});

test('links: the token goes in the query, before the fragment; ROSTER_PUBLIC_URL sets the base', () => {
  const urls = onboardingUrls('http://127.0.0.1:8080', 'X'.repeat(27), {});
  assert.equal(withToken(urls.identity, 'tok'), `http://127.0.0.1:8080/onboarding/${'X'.repeat(27)}?token=tok#identity`);
  assert.equal(onboardingUrls('http://127.0.0.1:8081', 'id', { ROSTER_PUBLIC_URL: 'https://roster.example.com/' }).application, 'https://roster.example.com/onboarding/id');
});
