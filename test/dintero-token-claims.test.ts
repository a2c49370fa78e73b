import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, decodeProtectedHeader } from 'jose';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { getToken, token } from './support/dintero-client.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { currentSigningKey } from '../src/store/signing-keys-repo.ts';
import { withinOneWindow } from './support/rate-window.ts';

// What a Dintero access token must carry to be accepted: this account as its audience and as
// its own, an expiry no further than tokens are issued for, and a client that belongs to the
// account. And what the token endpoint does with credentials no client could hold, and with
// someone guessing secrets.

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

for (const kind of STORES) {
  describe(`dintero token claims (${kind})`, () => {
    let s: TestServer;
    let aid: string;
    let secret: Uint8Array;
    let kid: string;
    const users = (a: string) => `/dintero/v1/accounts/${a}/customers/users`;
    const forge = (claims: Record<string, unknown>, opts: { exp?: number | null; iat?: number } = {}) => {
      const now = Math.floor(Date.now() / 1000);
      let jwt = new SignJWT({ aid, scope: 'admin:customers', ...claims })
        .setProtectedHeader({ alg: 'HS256', kid })
        .setIssuer('roster')
        .setSubject(s.account.client_id)
        .setIssuedAt(opts.iat ?? now);
      if (opts.exp !== null) jwt = jwt.setExpirationTime(opts.exp ?? now + 3600);
      if (!('aud' in claims)) jwt = jwt.setAudience(`https://api.dintero.com/v1/accounts/${aid}`);
      return jwt.sign(secret);
    };
    const status = async (jwt: string) => (await call(s.base, 'GET', users(aid), { key: jwt })).status;

    before(async () => {
      s = await startTestServer(kind);
      aid = s.account.account_id;
      const issued = await token(s.base, aid, s.account.client_id, s.account.client_secret);
      kid = decodeProtectedHeader(issued).kid!;
      secret = (await currentSigningKey(s.db, 'access-token')).secret;
    });
    after(() => s.close());

    test('a well-formed token signed with the key is accepted (the forger below is sound)', async () => {
      assert.equal(await status(await forge({})), 200);
    });

    test('the audience must name the account the request is for', async () => {
      assert.equal(await status(await forge({ aud: 'https://api.dintero.com/v1/accounts/T99999999' })), 403);
      assert.equal(await status(await forge({ aud: 'https://example.com/other' })), 403);
    });

    test('exp is required, and a lifetime longer than issued tokens have is refused', async () => {
      assert.equal(await status(await forge({}, { exp: null })), 401);
      const now = Math.floor(Date.now() / 1000);
      assert.equal(await status(await forge({}, { iat: now, exp: now + 10 * 86400 })), 401);
    });

    test('a token whose client belongs to another account is refused, even naming this one', async () => {
      const other = await createAccount(s.db, 'Other', 'test');
      const jwt = await new SignJWT({ aid, scope: 'admin:customers' })
        .setProtectedHeader({ alg: 'HS256', kid })
        .setIssuer('roster')
        .setSubject(other.client_id)
        .setIssuedAt()
        .setExpirationTime('1h')
        .setAudience(`https://api.dintero.com/v1/accounts/${aid}`)
        .sign(secret);
      assert.equal(await status(jwt), 403);
    });

    test('a key id holding a NUL is refused before any lookup', async () => {
      const jwt = `${b64({ alg: 'HS256', kid: 'a\u0000b' })}.${b64({ aid, sub: 'x' })}.c2ln`;
      const r = await call(s.base, 'GET', users(aid), { key: jwt });
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'UNAUTHORIZED');
    });

    test('Basic credentials whose id holds a NUL are refused, not looked up', async () => {
      const r = await getToken(s.base, aid, `${s.account.client_id}\u0000x`, s.account.client_secret);
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'UNAUTHORIZED');
    });

    test('failed client-secret attempts are throttled per client id, even with the right secret after', async () => {
      const account = await createAccount(s.db, 'Guessed', 'test');
      await withinOneWindow();
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await getToken(s.base, account.account_id, account.client_id, `guess-${i}`)).status);
      assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
      const right = await getToken(s.base, account.account_id, account.client_id, account.client_secret);
      assert.equal(right.status, 429);
      assert.equal(right.body.error.code, 'TOO MANY REQUESTS');
      assert.ok(Number(right.headers.get('retry-after')) >= 1);
    });
  });
}
