import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORES, createTestDatabase, type StoreKind } from './support/stores.ts';
import { countedCounters, keptCounters } from './support/record-counts.ts';
import { roster, stop } from './support/processes.ts';
import { ndjson } from './support/transfer.ts';
import { openStore } from '../src/store/open.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import type { Db } from '../src/store/db.ts';
import { exportCustomers } from '../src/export/export-customers.ts';
import { customerListQuery } from '../src/dialects/native/list-params.ts';

// The import and export commands as an operator runs them: a real child process of the CLI.
// An import killed (SIGKILL) between batches leaves a consistent store, and the same command
// finishes it with the result of a run never stopped; an export to a file resumes from its
// side file.

const RECORDS: Record<StoreKind, number> = { pglite: 3000, postgres: 12000 };

/** A file with a hierarchy listed children first, and a bad line every 500. */
function file(n: number): string {
  const lines: unknown[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 500 === 499) lines.push({ name: `Bad ${i}`, type: 'alien', external_id: `bad-${i}` });
    // Every tenth record is owned by the record ten lines further on (a parent later in the file).
    else
      lines.push({
        external_id: `imp-${i}`,
        name: `Imported ${i}`,
        type: i % 20 === 9 ? 'operator' : 'business',
        email: `imp-${i}@example.com`,
        ...(i % 10 === 0 && i + 9 < n && (i + 9) % 500 !== 499 ? { parent_id: idOf(i + 9) } : {}),
        ...(i % 10 === 9 ? { id: idOf(i) } : {}),
      });
  }
  return ndjson(lines);
}
const idOf = (i: number) => `2Imp${String(i).padStart(23, '0')}`;

async function shapeOf(db: Db, account: string) {
  return db.query<Record<string, unknown>>(
    `SELECT external_id, number::int, name, parent_number::int, operator_number::int, array_length(ancestors, 1) AS depth FROM customers WHERE account_id = $1 ORDER BY number`,
    [account],
  );
}

async function assertConsistent(db: Db, account: string) {
  assert.deepEqual(await keptCounters(db, 'customers', account), await countedCounters(db, 'customers', account), 'counters equal a recount');
  const [{ n }] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM customers c WHERE c.account_id = $1 AND c.parent_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM customers p WHERE p.account_id = c.account_id AND p.id = c.parent_id AND p.deleted_at IS NULL)`,
    [account],
  );
  assert.equal(n, 0, 'no customer below one that is not there');
}

for (const kind of STORES) {
  describe(`roster import and export (${kind})`, { timeout: 300_000 }, () => {
    let env: Record<string, string>;
    let dir: string;
    let cleanup: () => Promise<void>;
    let open: () => Promise<Db>;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'roster-import-cli-'));
      if (kind === 'postgres') {
        const database = await createTestDatabase();
        env = { DATABASE_URL: database.url };
        open = () => openStore({ databaseUrl: database.url });
        cleanup = database.drop;
      } else {
        env = { ROSTER_DATA_DIR: dir };
        open = () => openStore({ dataDir: join(dir, 'pgdata') });
        cleanup = async () => {};
      }
    });
    after(async () => {
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    test('an import killed part way is finished by the same command, as if it had never stopped', async () => {
      const n = RECORDS[kind];
      const path = join(dir, 'customers.ndjson');
      writeFileSync(path, file(n));
      let db = await open();
      const [killed, whole] = [await createAccount(db, 'Killed', 'test'), await createAccount(db, 'Whole', 'test')];
      await db.close();

      const args = (account: string) => ['import', '--account', account, path, '--batch-size', '250'];
      const first = roster(args(killed.account_id), env);
      // Killed once some batches are in (the progress lines say so), others not yet.
      await first.waitFor(/importing: [1-9]\d*\//);
      await stop(first, 'SIGKILL');
      db = await open();
      const part = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM customers WHERE account_id = $1`, [killed.account_id]))[0].n;
      assert.ok(part > 0 && part < n, `stopped part way (${part} of ${n})`);
      await assertConsistent(db, killed.account_id);
      await db.close();

      const again = roster(args(killed.account_id), env);
      assert.equal(await again.exited, 2, again.output());
      const bad = Math.floor(n / 500);
      assert.match(again.output(), new RegExp(`Imported ${n} records in [0-9.]+ s: ${n - bad} created, 0 updated, ${bad} failed`));
      assert.match(again.output(), /line 500: type: /);
      const straight = roster(args(whole.account_id), env);
      assert.equal(await straight.exited, 2, straight.output());

      db = await open();
      await assertConsistent(db, killed.account_id);
      assert.deepEqual(await shapeOf(db, killed.account_id), await shapeOf(db, whole.account_id), 'the same records as a run never stopped');
      const deepest = await db.query<{ depth: number }>(`SELECT max(array_length(ancestors, 1))::int AS depth FROM customers WHERE account_id = $1`, [killed.account_id]);
      assert.equal(deepest[0].depth, 1);
      await db.close();

      // Run once more: nothing new, everything found in place.
      const rerun = roster(args(killed.account_id), env);
      await rerun.exited;
      assert.match(rerun.output(), new RegExp(`: 0 created, ${n - bad} updated, ${bad} failed`));
    });

    // Killed over and over, at the points an import passes through: reading the file before any
    // batch, inside the first batches, just after a resumed run starts again, and in the last
    // stage (the records below a parent). After every kill the store is consistent, and the run
    // that finishes leaves exactly the records of a run never stopped.
    test('an import killed at many points, each resumed by the same command, ends as a run never stopped', async () => {
      const n = RECORDS[kind];
      const path = join(dir, 'many-kills.ndjson');
      writeFileSync(path, file(n));
      let db = await open();
      const [killed, whole] = [await createAccount(db, 'Killed often', 'test'), await createAccount(db, 'Never killed', 'test')];
      await db.close();
      // Small batches: the last stage (a tenth of the file) is several batches long.
      const args = (account: string) => ['import', '--account', account, path, '--batch-size', '100'];
      /** Records the run has said are in, from its last progress line. */
      const progress = (out: string) => Number([...out.matchAll(/importing: (\d+)\//g)].at(-1)?.[1] ?? 0);
      const until = async (run: ReturnType<typeof roster>, done: (out: string) => boolean) => {
        while (!done(run.output())) {
          if ((await Promise.race([run.exited, new Promise((r) => setTimeout(r, 5))])) !== undefined) throw new Error(`finished before the kill point:\n${run.output()}`);
        }
      };
      const jitter = () => new Promise((r) => setTimeout(r, Math.floor(Math.random() * 60)));
      const points: [string, (run: ReturnType<typeof roster>) => Promise<void>][] = [
        ['while reading the file, before any batch', (run) => run.waitFor(/^import imp_/m)],
        [
          'inside the first batches',
          async (run) => {
            await run.waitFor(/importing: [1-9]\d*\//);
            await jitter();
          },
        ],
        ['just after a resumed run starts again', (run) => run.waitFor(/going on where it stopped/)],
        ['in the last stage, the records below a parent', (run) => until(run, (out) => progress(out) >= n * 0.9)],
      ];
      let before = 0;
      for (const [where, point] of points) {
        const run = roster(args(killed.account_id), env);
        await point(run);
        await stop(run, 'SIGKILL');
        db = await open();
        const now = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM customers WHERE account_id = $1`, [killed.account_id]))[0].n;
        assert.ok(now >= before && now < n, `killed ${where}: ${now} records, ${before} before`);
        // The last kill came after every record of the top stage was in (the good ones of 90%).
        if (point === points.at(-1)![1]) assert.ok(now >= n * 0.9 - n / 500, `killed ${where}: ${now} records`);
        await assertConsistent(db, killed.account_id);
        await db.close();
        before = now;
      }
      assert.ok(before > 0, 'some records went in before the last kill');

      const last = roster(args(killed.account_id), env);
      assert.equal(await last.exited, 2, last.output());
      const bad = Math.floor(n / 500);
      assert.match(last.output(), new RegExp(`Imported ${n} records in [0-9.]+ s: ${n - bad} created, 0 updated, ${bad} failed`));
      const straight = roster(args(whole.account_id), env);
      assert.equal(await straight.exited, 2, straight.output());
      db = await open();
      await assertConsistent(db, killed.account_id);
      assert.deepEqual(await shapeOf(db, killed.account_id), await shapeOf(db, whole.account_id), 'the same records as a run never stopped');
      await db.close();
    });

    test("roster export writes the API's export to a file, and --resume finishes one that stopped", async () => {
      let db = await open();
      const account = await createAccount(db, 'Exported', 'test');
      const lines = Array.from({ length: 2500 }, (_, i) => ({ external_id: `x-${i}`, name: `Exported ${i}`, kyb_status: i % 3 ? 'active' : 'pending' }));
      writeFileSync(join(dir, 'x.ndjson'), ndjson(lines));
      await db.close();
      const imported = roster(['import', '--account', account.account_id, join(dir, 'x.ndjson')], env);
      assert.equal(await imported.exited, 0, imported.output());

      const out = join(dir, 'active.csv');
      const full = roster(['export', '--account', account.account_id, '--format', 'csv', '--where', 'kyb_status=active&sort=name', '--out', out], env);
      assert.equal(await full.exited, 0, full.output());
      const whole = readFileSync(out, 'utf8');
      assert.equal(whole.trim().split('\n').length, 1 + lines.filter((l) => l.kyb_status === 'active').length);

      // An export stopped after its first page: the file and its side file as it left them.
      db = await open();
      const query = customerListQuery({ limit: 20, sort: 'name', kyb_status: 'active' } as never);
      let partial = '';
      let cursor: string | null = null;
      await exportCustomers(
        db,
        { accountId: account.account_id, query, format: 'csv', shape: 'native' },
        async (c) => void (partial += c),
        (p) => {
          cursor = p.cursor;
          throw new Error('stopped');
        },
      ).catch(() => {});
      await db.close();
      const resumed = join(dir, 'resumed.csv');
      writeFileSync(resumed, partial + 'a torn half line');
      writeFileSync(`${resumed}.cursor`, JSON.stringify({ cursor, bytes: Buffer.byteLength(partial), where: 'kyb_status=active&sort=name', format: 'csv', as: 'native' }));
      const rest = roster(['export', '--account', account.account_id, '--out', resumed, '--resume'], env);
      assert.equal(await rest.exited, 0, rest.output());
      assert.equal(readFileSync(resumed, 'utf8'), whole);
    });
  });
}
