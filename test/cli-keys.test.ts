import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { STORES } from './support/stores.ts';
import { freshDatabase, roster, startServe, type RosterServer } from './support/roster-process.ts';

// The operator's key and account commands, run beside a live `roster serve`: on the embedded
// store through the server's control socket, on PostgreSQL straight to the database.

const get = (base: string, path: string, key: string, init: RequestInit = {}) =>
  fetch(base + path, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

for (const kind of STORES) {
  describe(`roster key and account commands while the server runs (${kind})`, () => {
    let env: Record<string, string>;
    let server: RosterServer;
    let cleanup: () => Promise<void>;
    let demoAccount: string;
    let dataDir: string;

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'roster-keys-'));
      if (kind === 'pglite') {
        env = { DATABASE_URL: '', ROSTER_DATA_DIR: dataDir };
        cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
      } else {
        const db = await freshDatabase(process.env.ROSTER_TEST_DATABASE_URL!);
        env = { DATABASE_URL: db.url, ROSTER_DATA_DIR: dataDir };
        cleanup = async () => {
          await db.drop();
          rmSync(dataDir, { recursive: true, force: true });
        };
      }
      server = await startServe(env, ['--demo-customers', '20']);
      demoAccount = /Demo account ([TP]\d{8})/.exec(server.output())![1];
    });
    after(async () => {
      await server?.stop();
      await cleanup?.();
    });

    const run = (args: string[]) => {
      const r = roster(args, env);
      assert.equal(r.status, 0, `roster ${args.join(' ')} failed:\n${r.stderr}`);
      return r.stdout;
    };

    test('--version prints the package version', () => {
      const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
      assert.equal(run(['--version']).trim(), version);
    });

    test('account list and account create work while the store is served', async () => {
      const listed = JSON.parse(run(['account', 'list', '--json']));
      const demo = listed.find((a: any) => a.modes.some((m: any) => m.account_id === demoAccount));
      assert.ok(demo, 'the demo account is listed');
      assert.deepEqual(
        demo.modes.map((m: any) => m.mode),
        ['test', 'live'],
      );
      assert.match(run(['account', 'list']), new RegExp(demoAccount));

      const created = JSON.parse(run(['account', 'create', '--name', 'Ops', '--mode', 'live', '--json']));
      assert.match(created.account_id, /^P\d{8}$/);
      const me = await (await get(server.base, '/v1/me', created.api_key)).json();
      assert.equal(me.mode, 'live', 'the live mode is reachable with its own key');
    });

    test('a read-only key from the CLI lists but cannot write; list shows it without the secret; revoke stops it within a second', async () => {
      const created = JSON.parse(run(['key', 'create', '--account', demoAccount, '--scopes', 'read', '--name', 'reporting', '--expires', '30d', '--json']));
      assert.deepEqual(Object.keys(created).slice(0, 4), ['key_id', 'api_key', 'scopes', 'expires_at']);
      assert.deepEqual(created.scopes, ['read']);
      const days = (Date.parse(created.expires_at) - Date.now()) / 86_400_000;
      assert.ok(days > 29.9 && days <= 30, `expires in 30 days (${days})`);

      const list = await get(server.base, '/v1/customers?limit=2', created.api_key);
      assert.equal(list.status, 200);
      assert.equal((await list.json()).data.length, 2);
      const write = await get(server.base, '/v1/customers', created.api_key, { method: 'POST', body: JSON.stringify({ name: 'Not allowed' }) });
      assert.equal(write.status, 403);

      await sleep(100);
      const keys = JSON.parse(run(['key', 'list', '--account', demoAccount, '--json']));
      const mine = keys.find((k: any) => k.id === created.key_id);
      assert.equal(mine.name, 'reporting');
      assert.ok(mine.last_used_at, 'last use is recorded');
      const text = run(['key', 'list', '--account', demoAccount]);
      assert.match(text, /reporting/);
      assert.equal(text.includes(created.api_key) || JSON.stringify(keys).includes(created.api_key), false, 'the secret is never listed');

      run(['key', 'revoke', created.key_id]);
      await sleep(1_050);
      assert.equal((await get(server.base, '/v1/customers', created.api_key)).status, 401);
      assert.match(run(['key', 'list', '--account', demoAccount]), /revoked/);
    });

    test('a key for the live mode reaches live data only', async () => {
      const live = demoAccount.replace('T', 'P');
      const created = JSON.parse(run(['key', 'create', '--account', live, '--scopes', 'read,write', '--json']));
      const me = await (await get(server.base, '/v1/me', created.api_key)).json();
      assert.equal(me.account_id, live);
      const customers = await (await get(server.base, '/v1/customers?count=true', created.api_key)).json();
      assert.equal(customers.total_count, 0, 'the demo data is in test mode');
    });

    test('bad input is refused with a message', () => {
      const r = roster(['key', 'create', '--account', demoAccount, '--scopes', 'root'], env);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /unknown scope "root"/);
      const missing = roster(['key', 'revoke', '00000000-0000-0000-0000-000000000000'], env);
      assert.notEqual(missing.status, 0);
      assert.match(missing.stderr, /Key not found/);
    });

    if (kind === 'pglite') {
      test('the control socket is private to its user, and the CLI uses the store directly once the server stops', async () => {
        assert.equal(statSync(join(dataDir, 'control.sock')).mode & 0o777, 0o600);
        await server.stop();
        const keys = JSON.parse(run(['key', 'list', '--account', demoAccount, '--json']));
        assert.ok(keys.length >= 2);
      });
    }
  });
}
