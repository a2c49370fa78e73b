import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { roster } from './support/processes.ts';
import { openStore } from '../src/store/open.ts';

// `roster check` finds what a start does not look for (counters against a recount) and what a
// start would repair, says so with a non-zero exit, and `--repair` puts it right.

test('roster check reports a missing index and wrong counters, and --repair puts them right', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-check-'));
  const run = async (...args: string[]) => {
    const r = roster([...args, '--data-dir', dir]);
    const code = await r.exited;
    return { code, out: r.output() };
  };
  try {
    const made = await run('account', 'create', '--name', 'Checked', '--json');
    assert.equal(made.code, 0, made.out);
    const account = JSON.parse(made.out).account_id;
    assert.equal((await run('seed', '--account', account, '--customers', '400', '--users', '3')).code, 0);
    const clean = await run('check');
    assert.equal(clean.code, 0, clean.out);
    assert.match(clean.out, /every constraint, index and trigger present and valid/);

    const db = await openStore({ dataDir: join(dir, 'pgdata'), repairSchema: false });
    await db.exec(`DROP INDEX customers_external_id_key; UPDATE customer_counts SET n = n + 5 WHERE dim = ''`);
    await db.close();

    const broken = await run('check');
    assert.equal(broken.code, 2, broken.out);
    assert.match(broken.out, /index customers_external_id_key is missing/);
    assert.match(broken.out, new RegExp(`Counters differ from a recount for ${account}`));

    const repaired = await run('check', '--repair');
    assert.equal(repaired.code, 0, repaired.out);
    assert.match(repaired.out, /Repaired: index customers_external_id_key, counters of/);
    const after = await run('check', '--json');
    assert.deepEqual(JSON.parse(after.out), { schema: [], counters: [], unfinishedLoads: [], repaired: [] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
