import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';

// Every bad parameter of GET /users/ gets FastAPI's 422 body: one entry per bad field, with
// pydantic v2's types, messages, input and ctx.

const P = '/investifi/v1';

const INT = 'Input should be a valid integer, unable to parse string as an integer';
const intParsing = (field: string, input: string) => ({ type: 'int_parsing', loc: ['query', field], msg: INT, input });
const dt = (field: string, input: string, error: string) => ({
  type: 'datetime_from_date_parsing',
  loc: ['query', field],
  msg: `Input should be a valid datetime or date, ${error}`,
  input,
  ctx: { error },
});

const CASES: [string, unknown[]][] = [
  ['per_page=0', [{ type: 'greater_than_equal', loc: ['query', 'per_page'], msg: 'Input should be greater than or equal to 1', input: '0', ctx: { ge: 1 } }]],
  ['per_page=101', [{ type: 'less_than_equal', loc: ['query', 'per_page'], msg: 'Input should be less than or equal to 100', input: '101', ctx: { le: 100 } }]],
  ['per_page=99999999999999999999999', [{ type: 'less_than_equal', loc: ['query', 'per_page'], msg: 'Input should be less than or equal to 100', input: '99999999999999999999999', ctx: { le: 100 } }]],
  ['per_page=abc', [intParsing('per_page', 'abc')]],
  ['per_page=1.5', [intParsing('per_page', '1.5')]],
  ['per_page=', [intParsing('per_page', '')]],
  ['last_record_number=-1', [{ type: 'greater_than_equal', loc: ['query', 'last_record_number'], msg: 'Input should be greater than or equal to 0', input: '-1', ctx: { ge: 0 } }]],
  ['last_record_number=x', [intParsing('last_record_number', 'x')]],
  ['sort_order=up', [{ type: 'enum', loc: ['query', 'sort_order'], msg: "Input should be 'asc' or 'desc'", input: 'up', ctx: { expected: "'asc' or 'desc'" } }]],
  ['sort_order=ASC', [{ type: 'enum', loc: ['query', 'sort_order'], msg: "Input should be 'asc' or 'desc'", input: 'ASC', ctx: { expected: "'asc' or 'desc'" } }]],
  [
    'sort_key=name',
    [{ type: 'literal_error', loc: ['query', 'sort_key'], msg: "Input should be 'created_at' or 'user_account_id'", input: 'name', ctx: { expected: "'created_at' or 'user_account_id'" } }],
  ],
  ['created_at_start=yesterday', [dt('created_at_start', 'yesterday', 'input is too short')]],
  ['created_at_start=2025-13-01', [dt('created_at_start', '2025-13-01', 'month value is outside expected range of 1-12')]],
  ['created_at_end=2025-02-30', [dt('created_at_end', '2025-02-30', 'day value is outside expected range')]],
  ['created_at_end=2025/01/01', [dt('created_at_end', '2025/01/01', 'invalid date separator, expected `-`')]],
  ['created_at_end=2025-01-01T25:00:00Z', [dt('created_at_end', '2025-01-01T25:00:00Z', 'unexpected extra characters at the end of the input')]],
  ['created_at_start=abcd-01-01', [dt('created_at_start', 'abcd-01-01', 'invalid character in year')]],
  // Every bad field is reported, in the order the parameters are declared.
  [
    'sort_key=x&per_page=0&sort_order=y&created_at_end=z&last_record_number=-5',
    [
      dt('created_at_end', 'z', 'input is too short'),
      { type: 'greater_than_equal', loc: ['query', 'per_page'], msg: 'Input should be greater than or equal to 1', input: '0', ctx: { ge: 1 } },
      { type: 'greater_than_equal', loc: ['query', 'last_record_number'], msg: 'Input should be greater than or equal to 0', input: '-5', ctx: { ge: 0 } },
      { type: 'enum', loc: ['query', 'sort_order'], msg: "Input should be 'asc' or 'desc'", input: 'y', ctx: { expected: "'asc' or 'desc'" } },
      { type: 'literal_error', loc: ['query', 'sort_key'], msg: "Input should be 'created_at' or 'user_account_id'", input: 'x', ctx: { expected: "'created_at' or 'user_account_id'" } },
    ],
  ],
];

// Inputs pydantic accepts, with what they mean.
const ACCEPTED = [
  'per_page=%205%20',
  'per_page=5.0',
  'per_page=+5',
  'created_at_start=2025-01-01',
  'created_at_start=2025-01-01T10:20',
  'created_at_start=2025-01-01%2010:20:30.1234567%2B02:00',
  'created_at_start=2025-01-01t10:20:30z',
  'created_at_start=2025-01-01_10:20:30-0130',
  'created_at_start=1735689600',
  'created_at_start=1735689600123',
  'created_at_start=1735689600.5',
  'created_at_start=0000-01-01',
  'sort_order=asc',
  'sort_key=user_account_id',
  'unknown_param=1',
  // A position past the last record is an empty page, however far past.
  'last_record_number=987654',
  'last_record_number=99999999999999999999',
];

for (const kind of STORES) {
  describe(`investifi validation (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind);
    });
    after(() => s.close());

    test('each bad parameter: 422 with FastAPI entries', async () => {
      for (const [query, detail] of CASES) {
        const res = await call(s.base, 'GET', `${P}/users/?${query}`, { headers: { 'x-api-key': s.account.api_key } });
        assert.equal(res.status, 422, query);
        assert.deepEqual(res.body, { detail }, query);
      }
    });

    test('inputs pydantic accepts are accepted', async () => {
      for (const query of ACCEPTED) {
        const res = await call(s.base, 'GET', `${P}/users/?${query}`, { headers: { 'x-api-key': s.account.api_key } });
        assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
      }
    });
  });
}
