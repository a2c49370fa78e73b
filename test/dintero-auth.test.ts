import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { getToken, token } from './support/dintero-client.ts';
import { createAccount, insertOAuthClient } from '../src/store/accounts-repo.ts';
import { AccessTokens } from '../src/auth/access-tokens.ts';

// Dintero auth: the client-credentials token call, and what the customer API does with a
// missing, expired, forged, foreign or under-scoped token.

const assertError = (r: { status: number; body: any }, status: number, code: string) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.error.code, code);
  assert.equal(typeof r.body.error.message, 'string');
};

for (const kind of STORES) {
  describe(`dintero auth (${kind})`, () => {
    let s: TestServer;
    let aid: string;
    let live: string;
    const users = (a: string) => `/dintero/v1/accounts/${a}/customers/users`;

    before(async () => {
      s = await startTestServer(kind);
      aid = s.account.account_id;
      live = aid.replace(/^T/, 'P');
    });
    after(() => s.close());

    test('client credentials give a signed JWT with the account and scopes', async () => {
      const r = await getToken(s.base, aid, s.account.client_id, s.account.client_secret);
      assert.equal(r.status, 200);
      assert.equal(r.body.token_type, 'Bearer');
      assert.equal(r.body.expires_in, 86400);
      assert.equal(decodeProtectedHeader(r.body.access_token).alg, 'HS256');
      const claims = decodeJwt(r.body.access_token);
      assert.equal(claims.aid, aid);
      assert.equal(claims.sub, s.account.client_id);
      assert.deepEqual(String(claims.scope).split(' ').sort(), ['admin:customers', 'read:customers', 'write:customers']);
      assert.equal(claims.exp! - claims.iat!, 86400);
    });

    test('the token call refuses bad credentials, grants and audiences', async () => {
      assertError(await getToken(s.base, aid, s.account.client_id, 'wrong'), 401, 'UNAUTHORIZED');
      assertError(await getToken(s.base, aid, 'cl_nobody', s.account.client_secret), 401, 'UNAUTHORIZED');
      assertError(await call(s.base, 'POST', `/dintero/v1/accounts/${aid}/auth/token`, { body: { grant_type: 'client_credentials', audience: 'x' } }), 401, 'UNAUTHORIZED');
      const basic = { authorization: `Basic ${Buffer.from(`${s.account.client_id}:${s.account.client_secret}`).toString('base64')}` };
      assertError(
        await call(s.base, 'POST', `/dintero/v1/accounts/${aid}/auth/token`, { headers: basic, body: { grant_type: 'password', audience: `https://x/v1/accounts/${aid}` } }),
        400,
        'BAD REQUEST',
      );
      assertError(await call(s.base, 'POST', `/dintero/v1/accounts/${aid}/auth/token`, { headers: basic, body: { grant_type: 'client_credentials' } }), 400, 'BAD REQUEST');
      // The client belongs to the test account: neither the live account nor another audience.
      assertError(await getToken(s.base, live, s.account.client_id, s.account.client_secret), 403, 'FORBIDDEN');
      assertError(await getToken(s.base, aid, s.account.client_id, s.account.client_secret, live), 403, 'FORBIDDEN');
    });

    test('missing, malformed, forged and expired tokens get 401 with the Dintero body', async () => {
      const key = await token(s.base, aid, s.account.client_id, s.account.client_secret);
      assertError(await call(s.base, 'GET', users(aid)), 401, 'UNAUTHORIZED');
      assertError(await call(s.base, 'GET', users(aid), { key: 'not-a-jwt' }), 401, 'UNAUTHORIZED');
      const [h, p, sig] = key.split('.');
      const forgedSig = `${h}.${p}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
      assertError(await call(s.base, 'GET', users(aid), { key: forgedSig }), 401, 'UNAUTHORIZED');
      // A payload naming another account, with the original signature, does not verify.
      const payload = Buffer.from(JSON.stringify({ ...decodeJwt(key), scope: 'admin:customers admin:accounts' })).toString('base64url');
      assertError(await call(s.base, 'GET', users(aid), { key: `${h}.${payload}.${sig}` }), 401, 'UNAUTHORIZED');
      const expired = await new AccessTokens(s.db).issue({ accountId: aid, scopes: ['admin:customers'], actor: s.account.client_id }, `https://x/v1/accounts/${aid}`, {
        now: new Date(Date.now() - 2 * 86400_000),
      });
      const r = await call(s.base, 'GET', users(aid), { key: expired.access_token });
      assertError(r, 401, 'UNAUTHORIZED');
      assert.match(r.body.error.message, /expired/);
      assert.equal((await call(s.base, 'GET', users(aid), { key })).status, 200);
    });

    test('a valid token for another account, or for live data, gets 403', async () => {
      const key = await token(s.base, aid, s.account.client_id, s.account.client_secret);
      const other = await createAccount(s.db, 'Other', 'test');
      assertError(await call(s.base, 'GET', users(other.account_id), { key }), 403, 'FORBIDDEN');
      assertError(await call(s.base, 'GET', users(live), { key }), 403, 'FORBIDDEN');
      assertError(await call(s.base, 'POST', users(other.account_id), { key, body: { first_name: 'X' } }), 403, 'FORBIDDEN');
      assertError(await call(s.base, 'GET', users('X123'), { key }), 400, 'BAD REQUEST');
    });

    test('scopes: read needs admin or read, writes need admin or write', async () => {
      const readOnly = await s.db.transaction((tx) => insertOAuthClient(tx, aid, 'reader', ['read:customers']));
      const writeOnly = await s.db.transaction((tx) => insertOAuthClient(tx, aid, 'writer', ['write:customers']));
      const reader = await token(s.base, aid, readOnly.client_id, readOnly.client_secret);
      const writer = await token(s.base, aid, writeOnly.client_id, writeOnly.client_secret);
      assert.equal((await call(s.base, 'GET', users(aid), { key: reader })).status, 200);
      assertError(await call(s.base, 'POST', users(aid), { key: reader, body: { first_name: 'R' } }), 403, 'FORBIDDEN');
      assertError(await call(s.base, 'POST', `/dintero/v1/accounts/${aid}/customers/tags`, { key: reader, body: { tag: 'VIP' } }), 403, 'FORBIDDEN');
      assertError(await call(s.base, 'GET', users(aid), { key: writer }), 403, 'FORBIDDEN');
      const created = await call(s.base, 'POST', users(aid), { key: writer, body: { first_name: 'W' } });
      assert.equal(created.status, 200);
      assert.equal(created.body.created_by, writeOnly.client_id);
      // Changing a customer_id needs admin:customers or admin:accounts.
      assertError(await call(s.base, 'POST', `${users(aid)}/${created.body.customer_id}/change_customer_id`, { key: writer, body: { customer_id: 'new-id' } }), 403, 'FORBIDDEN');
    });

    test("the signing key lives in the database: a second process accepts the first one's tokens", async () => {
      const key = await token(s.base, aid, s.account.client_id, s.account.client_secret);
      const principal = await new AccessTokens(s.db).verify(key, aid);
      assert.equal(principal.accountId, aid);
      const [{ n }] = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM signing_keys`);
      assert.equal(n, 1);
    });

    test('unknown routes answer in the Dintero shape', async () => {
      assertError(await call(s.base, 'GET', '/dintero/v1/nowhere'), 404, 'NOT FOUND');
    });
  });
}
