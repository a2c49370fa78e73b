import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, openTestStore, type TestStore } from '../../test/support/stores.ts';
import { checkSchema, readManifest, schemaObjects, SchemaError, writeManifest } from './schema-check.ts';
import { createAccount } from './accounts-repo.ts';
import { createCustomer } from './customers-repo.ts';

// The manifest is what the migrations make of an empty store, and a store that lost part of it
// is repaired, or refused when it cannot be.

for (const kind of STORES) {
  describe(`schema check (${kind})`, () => {
    let s: TestStore;
    before(async () => {
      s = await openTestStore(kind);
    });
    after(() => s.close());

    test('the manifest lists exactly what the migrations make', async () => {
      const made = await schemaObjects(s.db);
      if (process.env.ROSTER_UPDATE_GOLDEN === '1' && kind === 'pglite') writeManifest(made);
      assert.deepEqual(made, readManifest(), 'run `npm run golden` after a migration that changes constraints, indexes or triggers');
      assert.deepEqual((await checkSchema(s.db, { repair: false })).problems, []);
    });

    test('a dropped unique constraint, index and trigger, and a disabled trigger, are put back', async () => {
      await s.db.exec(`ALTER TABLE customers DROP CONSTRAINT customers_account_id_uuid_key;
        DROP INDEX customers_external_id_key; DROP INDEX customers_search_idx;
        DROP TRIGGER customers_inserted_count ON customers; ALTER TABLE users DISABLE TRIGGER users_updated_count`);
      const report = await checkSchema(s.db, { repair: true });
      assert.deepEqual(report.problems.sort(), [
        'constraint customers_account_id_uuid_key is missing',
        'index customers_external_id_key is missing',
        'index customers_search_idx is missing',
        'trigger customers_inserted_count is missing',
        'trigger users_updated_count is disabled',
      ]);
      assert.equal(report.repaired.length, 5);
      assert.deepEqual(await schemaObjects(s.db), readManifest());
      assert.deepEqual((await checkSchema(s.db, { repair: false })).problems, []);
      // And they work again: a duplicate external id is refused.
      const a = (await createAccount(s.db, 'Again')).account_id;
      await createCustomer(s.db, a, { name: 'One', external_id: 'dup' });
      await assert.rejects(createCustomer(s.db, a, { name: 'Two', external_id: 'dup' }), /already exists/);
    });

    test('a unique index that records now break is not rebuilt, and the store is refused with the reason', async () => {
      const a = (await createAccount(s.db, 'Broken')).account_id;
      await s.db.exec(`DROP INDEX customers_external_id_key`);
      await createCustomer(s.db, a, { name: 'One', external_id: 'twice' });
      await createCustomer(s.db, a, { name: 'Two', external_id: 'twice' });
      await assert.rejects(
        checkSchema(s.db, { repair: true }),
        (e: unknown) => e instanceof SchemaError && /customers_external_id_key/.test(e.message) && /does not serve without its constraints/.test(e.message),
      );
      await s.db.query(`UPDATE customers SET external_id = 'once' WHERE account_id = $1 AND name = 'Two'`, [a]);
      assert.deepEqual((await checkSchema(s.db, { repair: true })).repaired, ['index customers_external_id_key']);
    });
  });
}
