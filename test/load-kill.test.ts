import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORES, call, createTestDatabase, type StoreKind } from './support/stores.ts';
import { countedCounters, keptCounters } from './support/record-counts.ts';
import { roster, stop } from './support/processes.ts';
import { openStore } from '../src/store/open.ts';
import { createAccount, type NewAccount } from '../src/store/accounts-repo.ts';
import { buildApp } from '../src/http/app.ts';
import type { Db } from '../src/store/db.ts';

// A seed killed at any point (SIGKILL: no clean-up runs) leaves a store that opens with every
// index and constraint present and valid, counters equal to a recount, and whole batches only;
// the same command then finishes it. On PostgreSQL another account writes all the while, and
// its unique constraints hold throughout.

/**
 * Enough batches that the seed is still running when it is killed: on PostgreSQL once the other
 * account's writes are done, on the embedded store however late the test's own process gets to
 * send the signal on a busy machine (a batch of 500 takes about 0.2 s there; twenty are left).
 */
const SIZES: Record<StoreKind, { customers: number; batch: number }> = { pglite: { customers: 12_000, batch: 500 }, postgres: { customers: 40_000, batch: 2_000 } };

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function assertSound(db: Db, accounts: string[]) {
  const invalid = await db.query<{ name: string }>(
    `SELECT i.relname AS name FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      WHERE t.relnamespace = current_schema()::regnamespace AND NOT (x.indisvalid AND x.indisready)`,
  );
  assert.deepEqual(
    invalid.map((r) => r.name),
    [],
    'every index is valid',
  );
  for (const a of accounts) {
    for (const table of ['customers', 'users'] as const) assert.deepEqual(await keptCounters(db, table, a), await countedCounters(db, table, a), `${table} counters of ${a} equal a recount`);
  }
}

const customersOf = async (db: Db, account: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM customers WHERE account_id = $1`, [account]))[0].n;

for (const kind of STORES) {
  describe(`a seed killed at any point (${kind})`, { timeout: 300_000 }, () => {
    const { customers: CUSTOMERS, batch: BATCH } = SIZES[kind];
    let env: Record<string, string>;
    let args: string[];
    let cleanup: () => Promise<void>;
    let seeded: NewAccount;
    let neighbour: NewAccount;
    /** Opens the store as `roster serve` does: migrations, then the schema check, which must find nothing to repair. */
    const open = async () => {
      const repairs: string[] = [];
      const db = await openStore({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.DATABASE_URL ? undefined : join(args[1], 'pgdata'), onRepair: (r) => repairs.push(...r.problems) });
      assert.deepEqual(repairs, [], 'nothing to repair on opening');
      return db;
    };

    before(async () => {
      if (kind === 'postgres') {
        const database = await createTestDatabase();
        env = { DATABASE_URL: database.url };
        args = [];
        cleanup = database.drop;
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'roster-kill-'));
        env = {};
        args = ['--data-dir', dir];
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
      }
      const db = await open();
      seeded = await createAccount(db, 'Seeded');
      neighbour = await createAccount(db, 'Neighbour');
      await db.close();
    });
    after(() => cleanup());

    const seedCommand = () => roster(['seed', ...args, '--account', seeded.account_id, '--customers', String(CUSTOMERS), '--users', '20', '--batch-size', String(BATCH)], env);

    /**
     * Kills a running seed once `batches` of its batches are in. On PostgreSQL that is watched
     * from another connection, on the embedded store (the seed's alone while it runs) from what
     * the seed prints.
     */
    async function killAfter(batches: number) {
      const run = seedCommand();
      const ready = async (db: Db) => (await db.query(`SELECT 1 FROM bulk_load_batches`)).length >= batches;
      if (kind === 'postgres') {
        const watcher = await open();
        // Meanwhile another account writes, and its unique constraints hold.
        const app = await buildApp({ db: watcher });
        const base = await app.listen({ port: 0, host: '127.0.0.1' });
        const external = `dup-${Date.now()}`;
        try {
          for (let i = 0; i < 600 && !(await ready(watcher)); i++) await wait(50);
          const first = await call(base, 'POST', '/v1/customers', { key: neighbour.api_key, body: { name: 'First', external_id: external } });
          const second = await call(base, 'POST', '/v1/customers', { key: neighbour.api_key, body: { name: 'Second', external_id: external } });
          assert.deepEqual([first.status, second.status], [201, 409], 'a duplicate external id in another account is refused while the seed runs');
        } finally {
          await stop(run, 'SIGKILL');
          await app.close();
          await watcher.close();
        }
      } else {
        await run.waitFor(new RegExp(`batch ${batches} of`));
        await stop(run, 'SIGKILL');
      }
      assert.equal(run.proc.signalCode, 'SIGKILL', `killed, not finished:\n${run.output()}`);
      // A kill that came after the last batch would test nothing: the load must be unfinished.
      const db = await open();
      try {
        const loads = await db.query<{ done: number }>(
          `SELECT (SELECT count(*)::int FROM bulk_load_batches b WHERE b.load_id = l.id) AS done FROM bulk_loads l WHERE l.account_id = $1 AND l.finished_at IS NULL`,
          [seeded.account_id],
        );
        assert.equal(loads.length, 1, `the kill came before the load finished:\n${run.output()}`);
        assert.ok(loads[0].done >= batches, `the batches it reported are in (${loads[0].done} of at least ${batches})`);
      } finally {
        await db.close();
      }
    }

    test('killed while copying batches: whole batches only, everything valid, counters exact', async () => {
      await killAfter(2);
      const db = await open();
      try {
        const n = await customersOf(db, seeded.account_id);
        assert.ok(n >= 2 * BATCH && n < CUSTOMERS, `the seed was cut short, after the two batches it reported (${n} in)`);
        assert.equal(n % BATCH, 0, `whole batches only (${n})`);
        await assertSound(db, [seeded.account_id, neighbour.account_id]);
      } finally {
        await db.close();
      }
    });

    test('killed again, then run again to the end: exactly the records of one uninterrupted run', async () => {
      // Two more batches in (the first run's two count: the table holds this load's batches).
      await killAfter(4);
      const finish = seedCommand();
      assert.equal(await finish.exited, 0, finish.output());
      assert.match(finish.output(), /Finished an interrupted seed/);
      const db = await open();
      try {
        assert.equal(await customersOf(db, seeded.account_id), CUSTOMERS);
        assert.equal((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE account_id = $1`, [seeded.account_id]))[0].n, 20);
        const numbers = await db.query<{ lo: string; hi: string; n: number }>(`SELECT min(number) AS lo, max(number) AS hi, count(DISTINCT number)::int AS n FROM customers WHERE account_id = $1`, [
          seeded.account_id,
        ]);
        assert.deepEqual([Number(numbers[0].lo), Number(numbers[0].hi), numbers[0].n], [1, CUSTOMERS, CUSTOMERS], 'the numbers the first run reserved, each once');
        await assertSound(db, [seeded.account_id, neighbour.account_id]);
      } finally {
        await db.close();
      }
    });

    test('killed while it settles the load (vacuum, search sample): the load is whole and valid', async () => {
      const other = await (async () => {
        const db = await open();
        try {
          return await createAccount(db, 'Settled');
        } finally {
          await db.close();
        }
      })();
      const run = roster(['seed', ...args, '--account', other.account_id, '--customers', '3000', '--users', '0', '--batch-size', '1000'], env);
      if (kind === 'postgres') {
        const watcher = await open();
        try {
          for (let i = 0; i < 600; i++) {
            if ((await watcher.query(`SELECT 1 FROM bulk_loads WHERE account_id = $1 AND finished_at IS NOT NULL`, [other.account_id])).length) break;
            await wait(20);
          }
        } finally {
          await watcher.close();
        }
      } else {
        await run.waitFor(/batch 3 of 3/);
      }
      await stop(run, 'SIGKILL');
      const db = await open();
      try {
        const n = await customersOf(db, other.account_id);
        assert.equal(n % 1000, 0, `whole batches only (${n})`);
        await assertSound(db, [other.account_id]);
      } finally {
        await db.close();
      }
    });
  });
}
