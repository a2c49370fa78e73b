import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORES, call, createTestDatabase } from './support/stores.ts';
import { freePort, roster, stop, type Running } from './support/processes.ts';
import { startReceiver, type Receiver } from './support/webhook-receiver.ts';
import { openStore } from '../src/store/open.ts';
import { createAccount, type NewAccount } from '../src/store/accounts-repo.ts';

// No event is lost when Roster is killed (SIGKILL: nothing runs on the way out) between the
// commit of a change and the delivery of its event: a real `roster serve`, a receiver that holds
// the first deliveries open, a kill while they are in flight and the rest not yet sent, a new
// server on the same store that sends them all.

const FAST_ENV = { ROSTER_WEBHOOK_TIMEOUT_MS: '1000', ROSTER_WEBHOOK_RETRY_BASE_MS: '100', ROSTER_WEBHOOK_POLL_MS: '50', ROSTER_DEMO: 'off' };

for (const kind of STORES) {
  describe(`webhooks across a kill (${kind})`, { timeout: 180_000 }, () => {
    let env: Record<string, string>;
    let cleanup: () => Promise<void>;
    let account: NewAccount;
    let receiver: Receiver;
    let server: Running | undefined;

    async function serve(): Promise<string> {
      const port = await freePort();
      server = roster(['serve', '--port', String(port)], env);
      await server.waitFor(/API reference:/);
      return `http://127.0.0.1:${port}`;
    }

    before(async () => {
      if (kind === 'postgres') {
        const database = await createTestDatabase();
        env = { ...FAST_ENV, DATABASE_URL: database.url };
        cleanup = database.drop;
        const db = await openStore({ databaseUrl: database.url });
        account = await createAccount(db, 'Killed', 'test');
        await db.close();
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'roster-hooks-'));
        env = { ...FAST_ENV, ROSTER_DATA_DIR: dir };
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
        const db = await openStore({ dataDir: join(dir, 'pgdata') });
        account = await createAccount(db, 'Killed', 'test');
        await db.close();
      }
      receiver = await startReceiver();
    });
    after(async () => {
      if (server) await stop(server, 'SIGKILL');
      await receiver.close();
      await cleanup();
    });

    test('changes committed before the kill are all delivered after it, each record in order', async () => {
      let base = await serve();
      const v1 = (method: string, path: string, body?: unknown) => call(base, method, `/v1${path}`, { key: account.api_key, body });
      // Held open: the first deliveries are in flight when the server dies.
      receiver.answer(() => 'hang');
      const ep = await v1('POST', '/webhook_endpoints', { url: receiver.url, events: ['customer.created', 'customer.updated'] });
      assert.equal(ep.status, 201);
      receiver.secret = ep.body.secret;
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const c = await v1('POST', '/customers', { name: `Before kill ${i}`, type: 'individual' });
        assert.equal(c.status, 201);
        ids.push(c.body.id);
        assert.equal((await v1('PATCH', `/customers/${c.body.id}`, { name: `Before kill ${i} renamed` })).status, 200);
      }
      await receiver.until(() => receiver.all.length >= 1, 10_000, 'a delivery in flight');
      assert.equal(receiver.ok.length, 0, 'nothing answered yet');
      await stop(server!, 'SIGKILL');

      receiver.answer(() => 200);
      base = await serve();
      await receiver.until(() => ids.every((id) => receiver.ok.filter((x) => x.record === id).length >= 2), 60_000, 'every event after the restart');
      for (const id of ids) {
        const got = receiver.ok.filter((x) => x.record === id);
        assert.deepEqual([...new Set(got.map((x) => x.type))], ['customer.created', 'customer.updated'], `${id}: created, then updated`);
        const seqs = got.map((x) => Number(x.id.slice(4)));
        assert.deepEqual(
          seqs,
          [...seqs].sort((a, b) => a - b),
          `${id} in order`,
        );
      }
      assert.ok(
        receiver.all.every((x) => x.verified),
        'signed with the same secret after the restart',
      );
      const log = await call(base, 'GET', `/v1/webhook_endpoints/${ep.body.id}/deliveries?limit=100`, { key: account.api_key });
      assert.equal(log.body.data.length, 24);
      assert.ok(
        log.body.data.every((d: { status: string }) => d.status === 'succeeded'),
        JSON.stringify(log.body.data.filter((d: { status: string }) => d.status !== 'succeeded')),
      );
      await stop(server!);
      server = undefined;
    });
  });
}
