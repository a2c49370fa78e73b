import type { Customer } from '../core/model.ts';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, openTestStore, type TestStore } from '../../test/support/stores.ts';
import { assertStampedSince, clockPast } from '../../test/support/clock.ts';
import { createAccount } from './accounts-repo.ts';
import { createCustomerIn, updateCustomerIn } from './customers-repo.ts';
import { inAccount } from './db.ts';
import { listIn } from './list.ts';
import { createTag, customerTags, deleteTag, getTag, listTags } from './tags-repo.ts';
import { createToken, deleteToken, listTokens } from './tokens-repo.ts';
import { listQuery } from '../core/list-query.ts';
import { RosterError } from '../core/errors.ts';

// Tags and tokens repositories, and the hasTag / hasToken filters over what they write.

for (const kind of STORES) {
  describe(`tags and tokens repositories (${kind})`, () => {
    let store: TestStore;
    let aid: string;
    before(async () => {
      store = await openTestStore(kind);
      aid = (await createAccount(store.db, 'Repo')).account_id;
    });
    after(() => store.close());
    const tx = <T>(fn: (q: Parameters<Parameters<typeof inAccount>[2]>[0]) => Promise<T>) => inAccount(store.db, aid, fn);
    const idsWhere = (filter: any) =>
      tx(async (q) => (await listIn<Customer>(q, aid, listQuery({ resource: 'customers', filter, page: { kind: 'keyset', limit: 100 } }))).records.map((c) => c.id).sort());

    test('tags: create, list, assign, filter, delete', async () => {
      const [a, b] = await tx(async (q) => [await createCustomerIn(q, aid, { name: 'A' }), await createCustomerIn(q, aid, { name: 'B' })]);
      const vip = await tx((q) => createTag(q, aid, { tag: 'VIP', metadata: { x: 1 } }, { actor: 'me' }));
      const other = await tx((q) => createTag(q, aid, { tag: 'Other' }));
      assert.equal(vip.created_by, 'me');
      assert.deepEqual(
        (await tx((q) => listTags(q, aid))).map((t) => t.tag),
        ['VIP', 'Other'],
      );
      assert.equal(await tx((q) => getTag(q, aid, 'not-a-uuid')), undefined);
      await tx((q) => updateCustomerIn(q, aid, { by: 'id', value: a.id }, { tags: [vip.id, other.id] }));
      await tx((q) => updateCustomerIn(q, aid, { by: 'id', value: b.id }, { tags: [other.id] }));
      assert.deepEqual(
        (await tx((q) => customerTags(q, aid, a.id))).map((t) => t.tag),
        ['VIP', 'Other'],
      );
      assert.deepEqual(await idsWhere({ kind: 'hasTag', tagId: vip.id }), [a.id]);
      assert.deepEqual(await idsWhere({ kind: 'hasTag', tagId: other.id }), [a.id, b.id].sort());
      const before = (await tx((q) => listIn<Customer>(q, aid, listQuery({ resource: 'customers', filter: { kind: 'eq', field: 'id', value: a.id } })))).records[0];
      const since = await clockPast(before.updated_at);
      const deleted = await tx((q) => deleteTag(q, aid, vip.id));
      assert.ok(deleted.deleted_at);
      assert.deepEqual(await idsWhere({ kind: 'hasTag', tagId: vip.id }), []);
      assert.deepEqual(
        (await tx((q) => customerTags(q, aid, a.id))).map((t) => t.tag),
        ['Other'],
      );
      const afterDelete = (await tx((q) => listIn<Customer>(q, aid, listQuery({ resource: 'customers', filter: { kind: 'eq', field: 'id', value: a.id } })))).records[0];
      assertStampedSince(afterDelete.updated_at, since, 'untagged customers count as changed');
      await assert.rejects(
        tx((q) => deleteTag(q, aid, vip.id)),
        (e: unknown) => e instanceof RosterError && e.code === 'not_found',
      );
    });

    test('tokens: create, page, filter by value and/or type, soft delete', async () => {
      const [a, b] = await tx(async (q) => [await createCustomerIn(q, aid, { name: 'TA' }), await createCustomerIn(q, aid, { name: 'TB' })]);
      const t0 = await tx((q) => createToken(q, aid, a.id, { token_id: 'card-1', type: 'card', value: 'v1' }, { actor: 'me' }));
      const t1 = await tx((q) => createToken(q, aid, a.id, { type: 'email', value: 'v2' }));
      await tx((q) => createToken(q, aid, b.id, { type: 'card', value: 'v2' }));
      assert.equal(t0.token_id, 'card-1');
      assert.equal(t1.token_id, t1.id);
      await assert.rejects(
        tx((q) => createToken(q, aid, a.id, { token_id: 'card-1', type: 'x', value: 'y' })),
        (e: unknown) => e instanceof RosterError && e.code === 'conflict',
      );
      const p1 = await tx((q) => listTokens(q, aid, a.id, { limit: 1, count: true }));
      assert.deepEqual([p1.tokens.map((t) => t.token_id), p1.hasMore, p1.total], [['card-1'], true, 2]);
      const p2 = await tx((q) => listTokens(q, aid, a.id, { limit: 1, after: 'card-1' }));
      assert.deepEqual([p2.tokens.map((t) => t.id), p2.hasMore], [[t1.id], false]);
      assert.deepEqual((await tx((q) => listTokens(q, aid, a.id, { limit: 10, type: 'email', count: true }))).total, 1);
      await assert.rejects(
        tx((q) => listTokens(q, aid, a.id, { limit: 1, after: 'nope' })),
        (e: unknown) => e instanceof RosterError && e.code === 'invalid_cursor',
      );
      assert.deepEqual(await idsWhere({ kind: 'hasToken', value: 'v2' }), [a.id, b.id].sort());
      assert.deepEqual(await idsWhere({ kind: 'hasToken', value: 'v2', type: 'card' }), [b.id]);
      assert.deepEqual(await idsWhere({ kind: 'hasToken', type: 'card' }), [a.id, b.id].sort());
      const gone = await tx((q) => deleteToken(q, aid, a.id, 'card-1', { actor: 'me' }));
      assert.equal(gone.deleted_by, 'me');
      assert.deepEqual(await idsWhere({ kind: 'hasToken', type: 'card' }), [b.id]);
      assert.equal((await tx((q) => listTokens(q, aid, a.id, { limit: 10 }))).tokens.length, 1);
      assert.equal((await tx((q) => listTokens(q, aid, a.id, { limit: 10, includeDeleted: true }))).tokens.length, 2);
      await assert.rejects(
        tx((q) => deleteToken(q, aid, a.id, 'card-1')),
        (e: unknown) => e instanceof RosterError && e.code === 'not_found',
      );
      // The token id is free again once its token is deleted.
      await tx((q) => createToken(q, aid, a.id, { token_id: 'card-1', type: 'card', value: 'v3' }));
    });
  });
}
