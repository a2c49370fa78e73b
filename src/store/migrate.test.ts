import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, createTestDatabase, openTestStore, type TestStore } from '../../test/support/stores.ts';
import { openPostgres } from './postgres-driver.ts';
import { migrate, MigrationError, parseSteps, pendingMigrations, sqlChecksum } from './migrate.ts';
import { createAccount } from './accounts-repo.ts';
import { createCustomer } from './customers-repo.ts';
import { accountsWithWrongCounts } from './counter-check.ts';

// The migrator: applied migrations are history, held to a checksum per database; a database
// from before checksums takes them on its first start; every function and trigger definition
// is applied when its text is new to the database, and only then.

type Sums = Map<string, string>;
const sums = async (s: TestStore, sql: string): Promise<Sums> => new Map((await s.db.query<{ k: string; sum: string }>(sql)).map((r) => [String(r.k), r.sum]));
const migrationSums = (s: TestStore) => sums(s, 'SELECT version AS k, checksum AS sum FROM schema_migrations');
const definitionSums = (s: TestStore) => sums(s, 'SELECT name AS k, checksum AS sum FROM schema_definitions');
const volatility = async (s: TestStore, fn: string) => (await s.db.query<{ v: string }>(`SELECT provolatile AS v FROM pg_proc WHERE proname = $1`, [fn]))[0].v;

for (const kind of STORES) {
  describe(`migrator (${kind})`, () => {
    let s: TestStore;
    let fresh: { migrations: Sums; definitions: Sums };
    before(async () => {
      s = await openTestStore(kind);
      fresh = { migrations: await migrationSums(s), definitions: await definitionSums(s) };
    });
    after(() => s.close());

    test('a fresh store records a checksum for every migration and definition, and a second start applies nothing', async () => {
      assert.deepEqual(await pendingMigrations(s.db), []);
      assert.ok(fresh.migrations.size >= 24 && [...fresh.migrations.values()].every((v) => /^[0-9a-f]{64}$/.test(v)));
      assert.ok(fresh.definitions.has('sql/functions/roster_kyc_status.sql') && fresh.definitions.has('sql/triggers/roster_count_rows.sql'));
      const before = await s.db.query(`SELECT name, applied_at FROM schema_definitions ORDER BY name`);
      assert.deepEqual(await migrate(s.db), []);
      assert.deepEqual(await s.db.query(`SELECT name, applied_at FROM schema_definitions ORDER BY name`), before, 'nothing is applied again');
    });

    test('an applied migration that changed is refused, naming its file, and nothing runs', async () => {
      await s.db.query(`UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = 70`);
      await s.db.query(`UPDATE schema_definitions SET checksum = 'stale' WHERE name = 'sql/functions/roster_iso.sql'`);
      await assert.rejects(migrate(s.db), (e: unknown) => e instanceof MigrationError && /Migration migrations\/070-record-counts\.sql has changed since this database applied it/.test(e.message));
      assert.equal((await definitionSums(s)).get('sql/functions/roster_iso.sql'), 'stale', 'no definition was applied');
      await s.db.query(`UPDATE schema_migrations SET checksum = $1 WHERE version = 70`, [fresh.migrations.get('70')]);
      await migrate(s.db);
      assert.deepEqual(await definitionSums(s), fresh.definitions);
    });

    test('a store from before checksums takes them on its first start, and gets every definition again', async () => {
      const a = (await createAccount(s.db, 'Older')).account_id;
      await createCustomer(s.db, a, { name: 'Kept', type: 'business', country: 'DK' });
      // As the earlier migrator left a store: no checksums, no definitions table, and roster_iso
      // as migration 045 once made it (every applied migration, 045 included, is taken as it is now).
      await s.db.exec(`UPDATE schema_migrations SET checksum = NULL; DROP TABLE schema_definitions;
        ALTER FUNCTION roster_iso(timestamptz) IMMUTABLE; DROP TRIGGER customers_inserted_count ON customers`);
      assert.equal(await volatility(s, 'roster_iso'), 'i');
      assert.deepEqual(await migrate(s.db), []);
      assert.deepEqual(await migrationSums(s), fresh.migrations);
      assert.deepEqual(await definitionSums(s), fresh.definitions);
      assert.equal(await volatility(s, 'roster_iso'), 's');
      await createCustomer(s.db, a, { name: 'Counted again', type: 'business' });
      assert.deepEqual(await accountsWithWrongCounts(s.db), [], 'the counting trigger is back');
    });

    test('a definition whose text is new to the store is applied again, and only that one', async () => {
      await s.db.exec(`ALTER FUNCTION roster_iso(timestamptz) IMMUTABLE; ALTER FUNCTION roster_kyc_status(jsonb, jsonb) VOLATILE`);
      await s.db.query(`UPDATE schema_definitions SET checksum = 'older text' WHERE name = 'sql/functions/roster_iso.sql'`);
      await migrate(s.db);
      assert.equal(await volatility(s, 'roster_iso'), 's', 'reapplied');
      assert.equal(await volatility(s, 'roster_kyc_status'), 'v', 'its text is the one the store has: left alone');
      await s.db.exec(`ALTER FUNCTION roster_kyc_status(jsonb, jsonb) IMMUTABLE`);
    });
  });
}

test('six migrators started at once on an empty PostgreSQL database all succeed, and apply each migration once', async () => {
  // Every process that starts migrates; on an empty database each one makes the migrator's own
  // tables first. Outside the lock those CREATE TABLE IF NOT EXISTS raced, and all but one
  // process could die on pg_type's unique index (three rounds of six failed six times).
  for (let round = 0; round < 3; round++) {
    const database = await createTestDatabase();
    const dbs = Array.from({ length: 6 }, () => openPostgres(database.url, { max: 2 }));
    try {
      const results = await Promise.allSettled(dbs.map((d) => migrate(d)));
      assert.deepEqual(
        results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)),
        [],
      );
      const applied = results.flatMap((r) => (r as PromiseFulfilledResult<number[]>).value);
      assert.equal(applied.length, new Set(applied).size, 'no migration applied twice');
      const [{ n }] = await dbs[0].query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      assert.equal(n, applied.length);
    } finally {
      await Promise.all(dbs.map((d) => d.close()));
      await database.drop();
    }
  }
});

test('a file is statements and \\ir includes; its checksum ignores comments and blank lines', () => {
  const file = `-- A comment\nCREATE TABLE t (\n  a int -- trailing\n);\n\n\\ir ../sql/functions/f.sql\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\n  -- kept: inside the body\n  SELECT 1;\n$$;\n`;
  assert.deepEqual(parseSteps(file), [
    { sql: 'CREATE TABLE t (\n  a int -- trailing\n);' },
    { include: '../sql/functions/f.sql' },
    { sql: 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\n  -- kept: inside the body\n  SELECT 1;\n$$;' },
  ]);
  assert.equal(sqlChecksum(file), sqlChecksum(file.replace('-- A comment', '-- A corrected comment\n\n-- and another')));
  assert.notEqual(sqlChecksum(file), sqlChecksum(file.replace('a int', 'a bigint')));
  assert.notEqual(sqlChecksum(file), sqlChecksum(file.replace('f.sql', 'g.sql')));
  assert.throws(() => parseSteps('CREATE TABLE t (\n\\ir x.sql\n);'), /meta-command inside a statement/);
  assert.throws(() => parseSteps('\\i x.sql'), /only \\ir/);
});
