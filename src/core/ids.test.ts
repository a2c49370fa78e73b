import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ksuid, KSUID_PATTERN, randomToken } from './ids.ts';

test('ksuids are 27 base62 chars and sort by their timestamp', () => {
  const a = ksuid(new Date('2022-01-01T00:00:00Z'));
  const b = ksuid(new Date('2024-01-01T00:00:00Z'));
  assert.match(a, KSUID_PATTERN);
  assert.match(b, KSUID_PATTERN);
  assert.ok(a < b, `${a} should sort before ${b}`);
});

test('random tokens have the asked length and differ', () => {
  const t = randomToken(52);
  assert.equal(t.length, 52);
  assert.match(t, /^[0-9A-Za-z]+$/);
  assert.notEqual(t, randomToken(52));
});
