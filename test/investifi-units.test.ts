import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDatetime } from '../src/dialects/investifi/datetime.ts';
import { fromCents, sumAmounts, toCents } from '../src/dialects/investifi/money.ts';
import { formatInstant } from '../src/dialects/investifi/render.ts';
import { expectedList } from '../src/dialects/investifi/validation.ts';

// The pure parts of the InvestiFi dialect: money, datetimes in and out, pydantic's wording.

test('money sums exactly in cents', () => {
  assert.equal(sumAmounts(['0.10', '0.20']), '0.30');
  assert.equal(sumAmounts([]), '0.00');
  assert.equal(sumAmounts(['34891.00', '8223.50', '12450.32', '43181.03']), '98745.85');
  assert.equal(sumAmounts(['999999999999999999.99', '0.01']), '1000000000000000000.00');
  assert.equal(sumAmounts(['-1.05', '0.5']), '-0.55');
  assert.equal(fromCents(toCents('7')), '7.00');
  assert.throws(() => toCents('1.234'));
});

test('datetimes parse as pydantic parses them, into exact instants', () => {
  const ok = (input: string, value: string) => assert.deepEqual(parseDatetime(input), { ok: true, value }, input);
  ok('2025-08-14T17:02:31Z', '2025-08-14T17:02:31.000Z');
  ok('2025-08-14 17:02', '2025-08-14T17:02:00.000Z');
  // Sub-millisecond bounds round up: exact for both >= and < on millisecond data.
  ok('2025-08-14T17:02:31.1234567+02:00', '2025-08-14T15:02:31.124Z');
  ok('2025-08-14T17:02:31.123000+02:00', '2025-08-14T15:02:31.123Z');
  ok('2025-08-14T17:02:31-0130', '2025-08-14T18:32:31.000Z');
  ok('2025-08-14', '2025-08-14T00:00:00.000Z');
  ok('1735689600', '2025-01-01T00:00:00.000Z');
  ok('1735689600.25', '2025-01-01T00:00:00.250Z');
  ok('1735689600123', '2025-01-01T00:00:00.123Z');
  ok('-1.5', '1969-12-31T23:59:58.500Z');
  ok('0099-03-01', '0099-03-01T00:00:00.000Z');
  // Before year 1 nothing exists; Postgres cannot read year 0.
  ok('0000-01-01', '0001-01-01T00:00:00.000Z');
  const bad = (input: string, error: string) => assert.deepEqual(parseDatetime(input), { ok: false, error }, input);
  bad('', 'input is too short');
  bad('2025-1-1', 'input is too short');
  bad('2025-02-29', 'day value is outside expected range');
  bad('2025-08-14T24:00:00', 'unexpected extra characters at the end of the input');
  bad('2025-08-14X10:00', 'unexpected extra characters at the end of the input');
  bad('20x5-08-14', 'invalid character in year');
  bad('2025-0a-14', 'invalid character in month');
  bad('2025-08-1a', 'invalid character in day');
  bad('999999999999999', 'dates after 9999 are not supported as unix timestamps');
});

test('instants render as pydantic renders them', () => {
  assert.equal(formatInstant('2025-08-14T17:02:31.000Z'), '2025-08-14T17:02:31Z');
  assert.equal(formatInstant('2025-08-14T17:02:31.250Z'), '2025-08-14T17:02:31.250000Z');
});

test("expected values in pydantic's wording", () => {
  assert.equal(expectedList(['asc', 'desc']), "'asc' or 'desc'");
  assert.equal(expectedList(['a', 'b', 'c']), "'a', 'b' or 'c'");
  assert.equal(expectedList(['a']), "'a'");
});
