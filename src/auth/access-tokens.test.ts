import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, openTestStore, type TestStore } from '../../test/support/stores.ts';
import { RosterError } from '../core/errors.ts';
import { currentSigningKey } from '../store/signing-keys-repo.ts';
import { AccessTokens } from './access-tokens.ts';
import { createAccount, revokeOAuthClient } from '../store/accounts-repo.ts';

// Access tokens: signed with a key made on first use and shared through the database.

for (const kind of STORES) {
  describe(`access tokens (${kind})`, () => {
    let store: TestStore;
    let principal: { accountId: string; scopes: string[]; actor: string };
    before(async () => {
      store = await openTestStore(kind);
      const account = await createAccount(store.db, 'Tokens');
      principal = { accountId: account.account_id, scopes: ['read:customers', 'write:customers'], actor: account.client_id };
    });
    after(() => store.close());
    const unauthorized = (e: unknown) => e instanceof RosterError && e.code === 'unauthorized';

    test('concurrent first uses agree on one 256-bit key', async () => {
      const keys = await Promise.all([1, 2, 3].map(() => currentSigningKey(store.db, 'test-purpose')));
      assert.equal(new Set(keys.map((k) => k.kid)).size, 1);
      assert.equal(keys[0].secret.length, 32);
    });

    test('a token issued by one instance verifies in another; tampering and expiry do not', async () => {
      const aud = `https://x/v1/accounts/${principal.accountId}`;
      const issued = await new AccessTokens(store.db).issue(principal, aud);
      assert.deepEqual(await new AccessTokens(store.db).verify(issued.access_token, principal.accountId), principal);
      const [h, p, s] = issued.access_token.split('.');
      await assert.rejects(new AccessTokens(store.db).verify(`${h}.${p}.${s.slice(0, -3)}abc`, principal.accountId), unauthorized);
      await assert.rejects(new AccessTokens(store.db).verify('a.b.c', principal.accountId), unauthorized);
      const old = await new AccessTokens(store.db).issue(principal, aud, { now: new Date(Date.now() - 3600_000), lifetime: 60 });
      await assert.rejects(new AccessTokens(store.db).verify(old.access_token, principal.accountId), (e: unknown) => unauthorized(e) && /expired/.test((e as Error).message));
      // A key of another purpose cannot sign access tokens.
      const foreign = await currentSigningKey(store.db, 'test-purpose');
      const { SignJWT } = await import('jose');
      const forged = await new SignJWT({ aid: 'T00000042', scope: 'admin:customers' })
        .setProtectedHeader({ alg: 'HS256', kid: foreign.kid })
        .setIssuer('roster')
        .setSubject('x')
        .setExpirationTime('1h')
        .sign(foreign.secret);
      await assert.rejects(new AccessTokens(store.db).verify(forged, principal.accountId), unauthorized);
    });

    test("a revoked client's tokens stop working", async () => {
      const account = await createAccount(store.db, 'Revoked');
      const tokens = new AccessTokens(store.db, 0);
      const issued = await tokens.issue({ accountId: account.account_id, scopes: ['read:customers'], actor: account.client_id }, `https://x/v1/accounts/${account.account_id}`);
      assert.equal((await tokens.verify(issued.access_token, account.account_id)).actor, account.client_id);
      await revokeOAuthClient(store.db, account.client_id);
      await assert.rejects(tokens.verify(issued.access_token, account.account_id), (e: unknown) => unauthorized(e) && /revoked/.test((e as Error).message));
    });
  });
}
