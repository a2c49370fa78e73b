import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from '../src/http/app.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';

// The native admin API for keys: secrets shown once, scopes enforced, revocation and expiry
// honoured within a second by every server over the store, "last used" recorded.

for (const kind of STORES) {
  describe(`keys API (${kind})`, () => {
    let s: TestServer;
    let key: string;
    before(async () => {
      s = await startTestServer(kind);
      key = s.account.api_key;
    });
    after(() => s.close());

    test('/v1/me names the account, mode and key', async () => {
      const me = await call(s.base, 'GET', '/v1/me', { key });
      assert.equal(me.status, 200);
      assert.equal(me.body.account_id, s.account.account_id);
      assert.equal(me.body.mode, 'test');
      assert.deepEqual(me.body.scopes, ['read', 'write', 'admin']);
    });

    test('a read-only key created by an admin lists but cannot write or manage keys; the secret is shown once', async () => {
      const created = await call(s.base, 'POST', '/v1/keys', { key, body: { name: 'reporting', scopes: ['read'] } });
      assert.equal(created.status, 201);
      assert.match(created.body.api_key, /^rk_test_[0-9A-Za-z]{52}$/);
      assert.equal(created.body.prefix, created.body.api_key.slice(0, 12));
      const ro = created.body.api_key;
      assert.equal((await call(s.base, 'GET', '/v1/customers', { key: ro })).status, 200);
      const write = await call(s.base, 'POST', '/v1/customers', { key: ro, body: { name: 'Nope' } });
      assert.equal(write.status, 403);
      assert.equal((await call(s.base, 'GET', '/v1/keys', { key: ro })).status, 403);
      const list = await call(s.base, 'GET', '/v1/keys', { key });
      assert.equal(list.status, 200);
      const listed = list.body.data.find((k: any) => k.id === created.body.id);
      assert.equal(listed.name, 'reporting');
      assert.equal(JSON.stringify(list.body).includes(ro), false, 'no secret in a list');
      assert.equal(listed.api_key, undefined);
    });

    test('bad input gets field errors', async () => {
      const bad = await call(s.base, 'POST', '/v1/keys', { key, body: { name: 'x', scopes: ['root'] } });
      assert.equal(bad.status, 400);
      assert.ok(bad.body.errors.some((e: any) => e.field.startsWith('scopes')));
      const past = await call(s.base, 'POST', '/v1/keys', { key, body: { name: 'x', scopes: ['read'], expires_at: '2001-01-01T00:00:00Z' } });
      assert.equal(past.status, 400);
      assert.equal(past.body.errors[0].field, 'expires_at');
    });

    test('a revoked key is refused within a second by another server with its own cache', async () => {
      const other = await buildApp({ db: s.db });
      const otherBase = await other.listen({ port: 0, host: '127.0.0.1' });
      try {
        const created = await call(s.base, 'POST', '/v1/keys', { key, body: { name: 'doomed', scopes: ['read'] } });
        const doomed = created.body.api_key;
        assert.equal((await call(otherBase, 'GET', '/v1/customers', { key: doomed })).status, 200, 'cached as valid by the other server');
        const revoked = await call(s.base, 'DELETE', `/v1/keys/${created.body.id}`, { key });
        assert.equal(revoked.status, 200);
        assert.ok(revoked.body.revoked_at);
        assert.equal((await call(s.base, 'GET', '/v1/customers', { key: doomed })).status, 401, 'at once where it was revoked');
        await sleep(1_050);
        assert.equal((await call(otherBase, 'GET', '/v1/customers', { key: doomed })).status, 401, 'within a second elsewhere');
      } finally {
        await other.close();
      }
    });

    test('rotate: a new secret with the same name and scopes; the old one stops', async () => {
      const created = await call(s.base, 'POST', '/v1/keys', { key, body: { name: 'rotating', scopes: ['read', 'write'] } });
      const old = created.body.api_key;
      assert.equal((await call(s.base, 'GET', '/v1/customers', { key: old })).status, 200);
      const rotated = await call(s.base, 'POST', `/v1/keys/${created.body.id}/rotate`, { key });
      assert.equal(rotated.status, 201);
      assert.equal(rotated.body.name, 'rotating');
      assert.deepEqual(rotated.body.scopes, ['read', 'write']);
      assert.notEqual(rotated.body.api_key, old);
      assert.equal((await call(s.base, 'GET', '/v1/customers', { key: old })).status, 401);
      assert.equal((await call(s.base, 'GET', '/v1/customers', { key: rotated.body.api_key })).status, 200);
      assert.equal((await call(s.base, 'POST', `/v1/keys/${created.body.id}/rotate`, { key })).status, 404, 'a revoked key cannot be rotated');
    });

    test('an expired key is refused, even from the cache', async () => {
      const expiresAt = new Date(Date.now() + 1_500).toISOString();
      const created = await call(s.base, 'POST', '/v1/keys', { key, body: { name: 'short', scopes: ['read'], expires_at: expiresAt } });
      assert.equal(created.body.expires_at, expiresAt);
      assert.equal((await call(s.base, 'GET', '/v1/customers', { key: created.body.api_key })).status, 200);
      await sleep(Date.parse(expiresAt) - Date.now() + 50);
      assert.equal((await call(s.base, 'GET', '/v1/customers', { key: created.body.api_key })).status, 401);
    });

    test('last_used_at is recorded on use', async () => {
      const created = await call(s.base, 'POST', '/v1/keys', { key, body: { name: 'tracked', scopes: ['read'] } });
      assert.equal(created.body.last_used_at, null);
      await call(s.base, 'GET', '/v1/customers', { key: created.body.api_key });
      await sleep(100);
      const listed = (await call(s.base, 'GET', '/v1/keys', { key })).body.data.find((k: any) => k.id === created.body.id);
      assert.ok(listed.last_used_at, 'set after the first use');
    });

    test("one account cannot see or revoke another's keys", async () => {
      const other = await createAccount(s.db, 'Other', 'test');
      const mine = (await call(s.base, 'GET', '/v1/keys', { key })).body.data[0];
      assert.equal((await call(s.base, 'DELETE', `/v1/keys/${mine.id}`, { key: other.api_key })).status, 404);
      const theirs = await call(s.base, 'GET', '/v1/keys', { key: other.api_key });
      assert.equal(
        theirs.body.data.some((k: any) => k.id === mine.id),
        false,
      );
      assert.equal((await call(s.base, 'GET', '/v1/customers', { key })).status, 200, 'still valid');
    });
  });
}
