import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, call, startTestServer, type TestServer } from './support/stores.ts';
import { inAccount } from '../src/store/db.ts';
import { createTag, deleteTag } from '../src/store/tags-repo.ts';
import { createToken, deleteToken } from '../src/store/tokens-repo.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { purgeEvents } from '../src/store/events-repo.ts';
import { seed } from '../src/seed/load.ts';

// The event feed: every change of every kind of record writes its event in the same
// transaction, a refused or rolled-back write writes none, bulk loads included; GET /v1/events
// pages through them; old ones are removed.

for (const kind of STORES) {
  describe(`events (${kind})`, { timeout: 180_000 }, () => {
    let s: TestServer;
    const v1 = (method: string, path: string, body?: unknown) => call(s.base, method, `/v1${path}`, { key: s.account.api_key, body });
    /** Every event of the account, oldest first, walked through the API's cursors. */
    async function allEvents(query = ''): Promise<any[]> {
      const out: any[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await v1('GET', `/events?limit=7${query}${after ? `&starting_after=${after}` : ''}`);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        out.push(...page.body.data);
        if (!page.body.has_more) break;
        after = page.body.data.at(-1).id;
      }
      return out.reverse();
    }
    before(async () => {
      s = await startTestServer(kind);
    });
    after(async () => s.close());

    test('each change writes its events: customers, product accounts, users, tags, tokens, tags on customers', async () => {
      const accountId = s.account.account_id;
      const tag = await inAccount(s.db, accountId, (tx) => createTag(tx, accountId, { tag: 'vip' }));
      const c = (
        await v1('POST', '/customers', {
          name: 'Evented',
          type: 'business',
          external_id: 'ev-1',
          product_accounts: [{ product: 'crypto', kyc_status: 'pending', current_market_value: '10.00' }],
          tags: [tag.id],
        })
      ).body;
      assert.equal(
        (
          await v1('PATCH', `/customers/${c.id}`, {
            kyb_status: 'active',
            product_accounts: [
              { product: 'crypto', kyc_status: 'approved', current_market_value: '10.00' },
              { product: 'robo', kyc_status: 'pending', current_market_value: '0' },
            ],
          })
        ).status,
        200,
      );
      assert.equal((await v1('PATCH', `/customers/${c.id}`, { name: 'Evented', tags: [] })).status, 200, 'the same name again, a tag removed');
      const token = await inAccount(s.db, accountId, (tx) => createToken(tx, accountId, c.id, { type: 'rfid', value: 'TOK-1' }));
      await inAccount(s.db, accountId, (tx) => deleteToken(tx, accountId, c.id, token.token_id));
      await inAccount(s.db, accountId, (tx) => deleteTag(tx, accountId, tag.id));
      const u = (await v1('POST', '/users', { first_name: 'Eve', last_name: 'Ent', email: 'eve@example.com', role: 'viewer' })).body;
      await v1('PATCH', `/users/${u.id}`, { role: 'admin' });
      await v1('DELETE', `/users/${u.id}`);
      assert.equal((await v1('DELETE', `/customers/${c.id}`)).status, 200);

      const events = await allEvents();
      assert.deepEqual(
        events.map((e) => e.type),
        [
          'tag.created',
          'customer.created',
          'product_account.created',
          'customer_tag.created',
          'customer.updated',
          'customer.kyb_status.updated',
          'product_account.updated',
          'product_account.kyc_status.updated',
          'product_account.created',
          'customer_tag.deleted',
          'token.created',
          'token.deleted',
          'tag.deleted',
          'user.created',
          'user.updated',
          'user.deleted',
          'customer.deleted',
        ],
      );
      const byType = (t: string) => events.find((e) => e.type === t);
      assert.equal(byType('customer.created').data.object.external_id, 'ev-1');
      assert.equal(byType('customer.created').data.previous_attributes, null);
      assert.equal(byType('customer.created').account, accountId);
      assert.equal(byType('customer.kyb_status.updated').data.previous_attributes.kyb_status, 'pending');
      assert.equal(byType('customer.kyb_status.updated').data.object.kyb_status, 'active');
      assert.deepEqual(byType('product_account.kyc_status.updated').data.previous_attributes.kyc_status, 'pending');
      assert.equal(byType('customer.deleted').data.previous_attributes.deleted_at, null);
      assert.ok(byType('customer.deleted').data.object.deleted_at);
      assert.equal(byType('user.updated').data.previous_attributes.role, 'viewer');
      // The object is the record as GET shows it, less the child rows that have events of their own.
      const got = (await v1('GET', `/customers?include_deleted=true&external_id=ev-1`)).body.data[0];
      const { product_accounts: _p, tags: _t, ...own } = got;
      assert.deepEqual(byType('customer.deleted').data.object, own);
      for (const e of events) assert.match(e.id, /^evt_[0-9]+$/);
      assert.deepEqual((await v1('GET', `/events/${events[1].id}`)).body, events[1]);
    });

    test('a refused write, and a transaction rolled back, write no event', async () => {
      const before = (await allEvents()).length;
      await v1('POST', '/customers', { name: 'Dup', external_id: 'dup-1' });
      assert.equal((await v1('POST', '/customers', { name: 'Dup again', external_id: 'dup-1' })).status, 409);
      assert.equal((await v1('PATCH', '/customers/0000000000000000000000000000'.slice(0, 37), { name: 'x' })).status, 400);
      await assert.rejects(
        inAccount(s.db, s.account.account_id, async (tx) => {
          await tx.query(`UPDATE customers SET name = 'rolled back' WHERE account_id = $1`, [s.account.account_id]);
          throw new Error('roll back');
        }),
      );
      const after = await allEvents();
      assert.equal(after.length, before + 1, 'only the first create');
      assert.ok(!after.some((e) => e.data.object.name === 'rolled back'));
    });

    test('a bulk load writes an event for every record it loads', async () => {
      const other = await createAccount(s.db, 'Bulk', 'test');
      await seed(s.db, { accountId: other.account_id, customers: 1200, users: 3, seed: 5, batchSize: 500 });
      const [counts] = await s.db.query<{ customers: number; users: number; events: number; distinct_records: number }>(
        `SELECT (SELECT count(*)::int FROM customers WHERE account_id = $1) AS customers,
                (SELECT count(*)::int FROM events WHERE account_id = $1 AND type = 'user.created') AS users,
                (SELECT count(*)::int FROM events WHERE account_id = $1 AND type = 'customer.created') AS events,
                (SELECT count(DISTINCT record_key)::int FROM events WHERE account_id = $1 AND type = 'customer.created') AS distinct_records`,
        [other.account_id],
      );
      assert.deepEqual(counts, { customers: 1200, users: 3, events: 1200, distinct_records: 1200 });
      // Another account's events are not this one's.
      assert.ok((await allEvents()).every((e) => e.account === s.account.account_id));
    });

    test('pages: cursors both ways, type filters, bad parameters', async () => {
      const all = await allEvents();
      const customers = await allEvents('&type=customer.*');
      assert.deepEqual(
        customers,
        all.filter((e) => e.type.startsWith('customer.')),
      );
      const two = await allEvents('&type=user.created,tag.deleted');
      assert.deepEqual(two.map((e) => e.type).sort(), ['tag.deleted', 'user.created']);
      const newest = (await v1('GET', '/events?limit=3')).body.data;
      const newer = (await v1('GET', `/events?limit=2&ending_before=${all[all.length - 5].id}`)).body;
      assert.deepEqual(
        newer.data.map((e: { id: string }) => e.id),
        [all[all.length - 3].id, all[all.length - 4].id],
        'the two just above, newest first',
      );
      assert.equal(newest[0].id, all.at(-1).id);
      for (const q of ['type=customer.exploded', 'limit=0', 'limit=101', 'starting_after=42', 'starting_after=evt_1&ending_before=evt_2']) {
        const res = await v1('GET', `/events?${q}`);
        assert.equal(res.status, 400, q);
        assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      }
      assert.equal((await v1('GET', '/events/evt_99999999999')).status, 404);
    });

    test('events past the retention are removed', async () => {
      const all = await allEvents();
      await s.db.query(`UPDATE events SET created_at = now() - interval '31 days' WHERE account_id = $1 AND seq <= $2`, [s.account.account_id, Number(all[4].id.slice(4))]);
      const removed = await purgeEvents(s.db, 30, 2);
      assert.ok(removed >= 5);
      const left = await allEvents();
      assert.deepEqual(
        left.map((e) => e.id),
        all.slice(5).map((e) => e.id),
      );
    });
  });
}
