import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, roster, stop } from './support/processes.ts';
import { openStore } from '../src/store/open.ts';

// The first start on the embedded store, stopped while it creates the demo account (Ctrl-C, and
// a kill that runs no clean-up): the demo account, its data and its credentials come whole or
// not at all, and the next start finishes the job. `--no-demo` starts with an empty store.

const DEMO = 6000;

async function accounts(dir: string) {
  const db = await openStore({ dataDir: join(dir, 'pgdata') });
  try {
    const [row] = await db.query<{ accounts: number; customers: number; keys: number }>(
      `SELECT (SELECT count(*)::int FROM accounts) AS accounts, (SELECT count(*)::int FROM customers) AS customers, (SELECT count(*)::int FROM api_keys) AS keys`,
    );
    return row;
  } finally {
    await db.close();
  }
}

for (const signal of ['SIGINT', 'SIGKILL'] as const) {
  test(`a first start stopped (${signal}) while it creates the demo leaves all of it or none, and the next start completes it`, { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-first-'));
    try {
      const port = await freePort();
      const first = roster(['serve', '--port', String(port), '--data-dir', dir, '--demo-customers', String(DEMO)]);
      await first.waitFor(/Creating a demo account/);
      await new Promise((r) => setTimeout(r, 300));
      await stop(first, signal);
      assert.doesNotMatch(first.output(), /API reference/, `stopped before it served:\n${first.output()}`);

      const after = await accounts(dir);
      assert.ok((after.accounts === 0 && after.customers === 0 && after.keys === 0) || (after.accounts === 1 && after.customers === DEMO), `all or nothing: ${JSON.stringify(after)}`);

      const again = roster(['serve', '--port', String(port), '--data-dir', dir, '--demo-customers', String(DEMO)]);
      try {
        await again.waitFor(/API reference:/);
        const file = join(dir, 'demo-credentials.json');
        assert.ok(existsSync(file), `the credentials file is there:\n${again.output()}`);
        assert.match(again.output(), new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the start says where the credentials are');
        const creds = JSON.parse(readFileSync(file, 'utf8'));
        const res = await fetch(`http://127.0.0.1:${port}/v1/customers?count=true&include_deleted=true&limit=1`, { headers: { authorization: `Bearer ${creds.api_key}` } });
        assert.equal(res.status, 200, 'the saved key works');
        assert.equal((await res.json()).total_count, DEMO, 'with all the demo data');
      } finally {
        await stop(again);
      }
      const done = await accounts(dir);
      assert.equal(done.accounts, 1, 'one demo account, never two');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('--no-demo and ROSTER_DEMO=off start with an empty store', { timeout: 120_000 }, async () => {
  for (const [args, env] of [
    [['--no-demo'], {}],
    [[], { ROSTER_DEMO: 'off' }],
  ] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'roster-nodemo-'));
    try {
      const server = roster(['serve', '--port', String(await freePort()), '--data-dir', dir, ...args], env);
      await server.waitFor(/API reference:/);
      await stop(server);
      assert.doesNotMatch(server.output(), /Demo account|Creating a demo/);
      assert.equal(existsSync(join(dir, 'demo-credentials.json')), false);
      assert.equal((await accounts(dir)).accounts, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
