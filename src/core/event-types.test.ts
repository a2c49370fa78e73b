import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_TYPES, expandEventType } from './event-types.ts';

test('subscriptions: a type, every type of a kind, or everything; nothing else', () => {
  assert.deepEqual(expandEventType('customer.*'), ['customer.created', 'customer.updated', 'customer.deleted', 'customer.kyb_status.updated', 'customer.kyc_status.updated']);
  assert.deepEqual(expandEventType('customer_tag.*'), ['customer_tag.created', 'customer_tag.deleted'], 'customer.* does not take customer_tag.*');
  assert.deepEqual(expandEventType('user.created'), ['user.created']);
  assert.deepEqual(expandEventType('*'), ['*']);
  for (const bad of ['customer', 'customer.exploded', 'nothing.*', '', '.*', 'customer.kyb_status']) assert.equal(expandEventType(bad), undefined, bad);
  assert.equal(new Set(EVENT_TYPES).size, EVENT_TYPES.length);
});
