import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { token } from './support/dintero-client.ts';
import { logSerializers } from '../src/http/log-serializers.ts';

test('a database error is logged by SQLSTATE and names, never its message or detail', () => {
  const e = Object.assign(new Error('duplicate key value violates unique constraint "x"'), {
    severity: 'ERROR',
    code: '23505',
    detail: 'Key (email)=(jane@example.com) already exists.',
    constraint_name: 'customers_email_key',
    table_name: 'customers',
  });
  e.stack = `${e.message}\n    at somewhere (file.js:1:1)`;
  const logged = JSON.stringify(logSerializers.err(e));
  assert.ok(!logged.includes('jane@example.com') && !logged.includes('duplicate key'), logged);
  assert.match(logged, /23505/);
  assert.match(logged, /customers_email_key/);
});

// Every response of every surface carries a request id (the caller's when well-formed), the
// logs carry it too, and the logs never hold what may be personal data: path ids (a Dintero
// customer_id, an InvestiFi user_account_id, a token id), query strings, or a database message
// quoting a request's values.

for (const kind of STORES) {
  describe(`request ids and logs (${kind})`, () => {
    let s: TestServer;
    let jwt: string;
    const lines: string[] = [];
    before(async () => {
      s = await startTestServer(kind, { logger: { level: 'info', stream: { write: (l: string) => void lines.push(l) } } });
      jwt = await token(s.base, s.account.account_id, s.account.client_id, s.account.client_secret);
    });
    after(() => s.close());

    test('a request id on every response of every surface; a well-formed one sent is kept', async () => {
      const aid = s.account.account_id;
      for (const path of ['/v1/customers', '/dakota/customers', '/spirii/v2/customers', `/dintero/v1/accounts/${aid}/customers/users`, '/investifi/v1/users/', '/v1/nope', '/health']) {
        const r = await call(s.base, 'GET', path);
        assert.match(r.headers.get('x-request-id') ?? '', /^req_[0-9a-z]{26}$/, path);
      }
      const kept = await call(s.base, 'GET', '/v1/customers', { key: s.account.api_key, headers: { 'x-request-id': 'trace-1234abcd' } });
      assert.equal(kept.headers.get('x-request-id'), 'trace-1234abcd');
      const replaced = await call(s.base, 'GET', '/v1/customers', { key: s.account.api_key, headers: { 'x-request-id': 'bad id with spaces' } });
      assert.match(replaced.headers.get('x-request-id') ?? '', /^req_/);
      assert.ok(
        lines.some((l) => l.includes('"reqId":"trace-1234abcd"')),
        'the request id is logged',
      );
    });

    test('no personal path ids, query values or database messages in the logs', async () => {
      const aid = s.account.account_id;
      const secretId = 'person-jane-doe-1985';
      const users = `/dintero/v1/accounts/${aid}/customers/users`;
      await call(s.base, 'POST', users, { key: jwt, body: { customer_id: secretId, first_name: 'Jane' } });
      await call(s.base, 'GET', `${users}/${secretId}`, { key: jwt });
      await call(s.base, 'GET', `${users}/${secretId}/tokens/tok-secret-77`, { key: jwt });
      await call(s.base, 'GET', `/investifi/v1/users/${secretId}/`, { headers: { 'x-api-key': s.account.api_key } });
      await call(s.base, 'GET', `/v1/customers?email=jane.doe@example.com`, { key: s.account.api_key });
      await call(s.base, 'GET', `/v1/customers/${secretId}`, { key: s.account.api_key });
      const log = lines.join('');
      assert.ok(log.length > 0);
      for (const secret of [secretId, 'tok-secret-77', 'jane.doe@example.com']) assert.ok(!log.includes(secret), `the logs hold ${secret}`);
      assert.ok(log.includes('/dintero/v1/accounts/:aid/customers/users/:customer_id'), 'requests are logged by route pattern');
    });
  });
}
