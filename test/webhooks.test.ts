import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, call, startTestServer, type TestServer } from './support/stores.ts';
import { startReceiver, type Receiver } from './support/webhook-receiver.ts';
import { startWebhookSender, type Sender } from '../src/webhooks/sender.ts';
import { createApiKey } from '../src/store/accounts-repo.ts';
import { sign, verify } from '../src/webhooks/signature.ts';

// Webhooks end to end through real HTTP: endpoints made through the API, records written through
// the API, deliveries sent by the sender to a receiver listening on a loopback port.

const FAST = { webhookTimeoutMs: 800, webhookRetryBaseMs: 100, webhookGiveUpSeconds: 3600, webhookConcurrency: 8, webhookPerEndpoint: 2, webhookPollMs: 30 };
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('signatures: HMAC-SHA256 of "<t>.<body>", checked in constant time, with a time tolerance', () => {
  const header = sign('whsec_x', '{"a":1}', 1_700_000_000);
  assert.match(header, /^t=1700000000,v1=[0-9a-f]{64}$/);
  assert.equal(verify('whsec_x', header, '{"a":1}', 300, 1_700_000_100), true);
  assert.equal(verify('whsec_x', header, '{"a":2}', 300, 1_700_000_100), false, 'another body');
  assert.equal(verify('whsec_y', header, '{"a":1}', 300, 1_700_000_100), false, 'another secret');
  assert.equal(verify('whsec_x', header, '{"a":1}', 300, 1_700_001_000), false, 'too old');
});

for (const kind of STORES) {
  describe(`webhooks (${kind})`, { timeout: 240_000 }, () => {
    let s: TestServer;
    let sender: Sender | undefined;
    const key = () => s.account.api_key;
    const v1 = (method: string, path: string, body?: unknown, k = key()) => call(s.base, method, `/v1${path}`, { key: k, body });
    async function endpoint(r: Receiver, events: string[] = ['*']) {
      const res = await v1('POST', '/webhook_endpoints', { url: r.url, events });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      r.secret = res.body.secret;
      return res.body as { id: string; secret: string };
    }
    const newCustomer = async (name: string, extra: Record<string, unknown> = {}) => {
      const res = await v1('POST', '/customers', { name, type: 'business', ...extra });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string };
    };

    before(async () => {
      s = await startTestServer(kind);
    });
    after(async () => {
      await sender?.stop();
      await s.close();
    });

    test('endpoints: admin only; the secret is shown once; bad URLs and unknown types are refused, nothing written', async () => {
      const reader = await createApiKey(s.db, s.account.account_id, 'reader', ['read', 'write']);
      const refused = await v1('POST', '/webhook_endpoints', { url: 'http://127.0.0.1:9/x', events: ['*'] }, reader);
      assert.equal(refused.status, 403);
      assert.equal(refused.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      for (const [body, field] of [
        [{ url: 'ftp://example.com/x', events: ['*'] }, 'url'],
        [{ url: 'not a url', events: ['*'] }, 'url'],
        [{ url: 'http://u:p@example.com/', events: ['*'] }, 'url'],
        [{ url: 'http://example.com/', events: ['customer.exploded'] }, 'events[0]'],
        [{ url: 'http://example.com/', events: [] }, 'events'],
      ] as const) {
        const res = await v1('POST', '/webhook_endpoints', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.ok(
          res.body.errors.some((e: { field: string }) => e.field.startsWith(field)),
          JSON.stringify(res.body),
        );
      }
      assert.deepEqual((await v1('GET', '/webhook_endpoints')).body.data, []);

      const made = await v1('POST', '/webhook_endpoints', { url: 'https://hooks.example.com/roster', events: ['customer.*', 'user.created'], description: 'crm' });
      assert.equal(made.status, 201);
      assert.match(made.body.secret, /^whsec_[0-9A-Za-z]{32}$/);
      assert.deepEqual(made.body.events, ['customer.created', 'customer.deleted', 'customer.kyb_status.updated', 'customer.kyc_status.updated', 'customer.updated', 'user.created']);
      const got = await v1('GET', `/webhook_endpoints/${made.body.id}`);
      assert.equal(got.body.secret, undefined, 'never shown again');
      assert.equal(JSON.stringify((await v1('GET', '/webhook_endpoints')).body).includes(made.body.secret), false);
      const disabled = await v1('PATCH', `/webhook_endpoints/${made.body.id}`, { status: 'disabled' });
      assert.equal(disabled.body.status, 'disabled');
      assert.equal((await v1('PATCH', `/webhook_endpoints/${made.body.id}`, { url: 'gopher://x' })).status, 400);
      assert.equal((await v1('DELETE', `/webhook_endpoints/${made.body.id}`)).status, 200);
      assert.equal((await v1('GET', `/webhook_endpoints/${made.body.id}`)).status, 404);
    });

    test('deliveries are signed, carry the event as GET /v1/events shows it, and arrive in order per record', async () => {
      const r = await startReceiver();
      const ep = await endpoint(r, ['customer.*']);
      sender = startWebhookSender(s.db, FAST);
      const c = await newCustomer('Signed Ltd');
      for (let i = 0; i < 5; i++) assert.equal((await v1('PATCH', `/customers/${c.id}`, { name: `Signed ${i}` })).status, 200);
      assert.equal((await v1('PATCH', `/customers/${c.id}`, { kyb_status: 'active' })).status, 200);
      await v1('POST', '/users', { first_name: 'Not', last_name: 'Subscribed', email: 'not-subscribed@example.com', role: 'viewer' });
      await r.until(() => r.ok.filter((x) => x.record === c.id).length >= 8, 20_000, '8 deliveries');
      const mine = r.ok.filter((x) => x.record === c.id);
      assert.deepEqual(
        mine.map((x) => x.type),
        ['customer.created', ...Array(5).fill('customer.updated'), 'customer.updated', 'customer.kyb_status.updated'],
      );
      const seqs = mine.map((x) => Number(x.id.slice(4)));
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
        'in the order the changes were made',
      );
      assert.ok(
        r.all.every((x) => x.verified),
        'every signature verifies with the secret shown at creation',
      );
      assert.ok(
        r.all.every((x) => !x.type.startsWith('user.')),
        'only subscribed types',
      );
      const event = await v1('GET', `/events/${mine[3].id}`);
      assert.deepEqual(mine[3].body, event.body, 'the body is the event');
      assert.equal(mine[3].body.data.object.name, 'Signed 2');
      assert.deepEqual(mine[3].body.data.previous_attributes.name, 'Signed 1');
      const log = await v1('GET', `/webhook_endpoints/${ep.id}/deliveries?limit=100`);
      assert.equal(log.body.data.length, 8);
      assert.ok(log.body.data.every((d: { status: string; attempts: number; last_status: number }) => d.status === 'succeeded' && d.attempts === 1 && d.last_status === 200));
      await sender.stop();
      sender = undefined;
      await r.close();
    });

    test('a receiver answering 500 and then not at all is retried until it answers; others are not held up', async () => {
      const flaky = await startReceiver();
      const healthy = await startReceiver();
      await endpoint(flaky, ['customer.created']);
      await endpoint(healthy, ['customer.created']);
      // Two 500s, then silence past the timeout, then 200.
      flaky.answer((x) => (x.attempt <= 2 ? 500 : x.attempt === 3 ? 'hang' : 200));
      sender = startWebhookSender(s.db, FAST);
      const started = Date.now();
      const made: { id: string }[] = [];
      for (let i = 0; i < 6; i++) made.push(await newCustomer(`Retry ${i}`));
      const writes = Date.now() - started;
      await healthy.until(() => made.every((c) => healthy.ok.some((x) => x.record === c.id)), 10_000, 'healthy deliveries');
      await flaky.until(() => made.every((c) => flaky.ok.some((x) => x.record === c.id)), 30_000, 'flaky deliveries');
      const last = (r: Receiver) => Math.max(...r.ok.map((x) => x.at));
      // The flaky receiver needs two retries and a timeout (over a second); the healthy one got
      // everything while those were pending.
      assert.ok(last(healthy) < last(flaky) - 500, `the healthy endpoint was not held up (${last(healthy) - started} ms against ${last(flaky) - started} ms)`);
      assert.ok(writes < 5_000, `writes did not wait for deliveries (${writes} ms)`);
      const attempts = flaky.all.filter((x) => x.record === made[0].id).map((x) => x.attempt);
      assert.deepEqual(attempts.slice(0, 4), [1, 2, 3, 4], 'retried after two 500s and a timeout');
      assert.ok(flaky.all.every((x) => x.verified));
      await sender.stop();
      sender = undefined;
      await Promise.all([flaky.close(), healthy.close()]);
    });

    test('deliveries that keep failing are given up and the endpoint disabled; enabled again, a manual retry sends it', async () => {
      const r = await startReceiver();
      r.answer(() => 503);
      const ep = await endpoint(r, ['customer.created']);
      sender = startWebhookSender(s.db, { ...FAST, webhookGiveUpSeconds: 1 });
      const c = await newCustomer('Given Up');
      const until = Date.now() + 15_000;
      let state: { status: string; disabled_reason: string };
      do {
        await wait(100);
        state = (await v1('GET', `/webhook_endpoints/${ep.id}`)).body;
      } while (state.status === 'enabled' && Date.now() < until);
      assert.equal(state.status, 'disabled');
      assert.match(state.disabled_reason, /HTTP 503/);
      const log = (await v1('GET', `/webhook_endpoints/${ep.id}/deliveries`)).body.data;
      const delivery = log.find((d: { status: string }) => d.status === 'failed');
      assert.ok(delivery, JSON.stringify(log));
      assert.equal(delivery.last_status, 503);
      assert.ok(delivery.attempts >= 2);
      assert.equal((await v1('POST', `/webhook_endpoints/${ep.id}/deliveries/${delivery.event_id}/retry`)).status, 409, 'the endpoint is disabled');
      r.answer(() => 200);
      assert.equal((await v1('PATCH', `/webhook_endpoints/${ep.id}`, { status: 'enabled' })).body.disabled_reason, null);
      const retried = await v1('POST', `/webhook_endpoints/${ep.id}/deliveries/${delivery.event_id}/retry`);
      assert.equal(retried.status, 200, JSON.stringify(retried.body));
      await r.until(() => r.ok.some((x) => x.record === c.id), 10_000, 'the retried delivery');
      assert.equal((await v1('POST', `/webhook_endpoints/${ep.id}/deliveries/${delivery.event_id}/retry`)).status, 409, 'already delivered');
      assert.equal((await v1('POST', `/webhook_endpoints/${ep.id}/deliveries/evt_999999999/retry`)).status, 404);
      await v1('DELETE', `/webhook_endpoints/${ep.id}`);
      await sender.stop();
      sender = undefined;
      await r.close();
    });

    test('several senders share the work: every event once, each record in order', async () => {
      const r = await startReceiver();
      // Slow answers keep several deliveries in flight at once across the senders.
      r.answer(() => ({ delayMs: 15, status: 200 }));
      await endpoint(r, ['customer.created', 'customer.updated']);
      const senders = [startWebhookSender(s.db, FAST), startWebhookSender(s.db, FAST), startWebhookSender(s.db, FAST)];
      try {
        const made = await Promise.all(Array.from({ length: 8 }, (_, i) => newCustomer(`Shared ${i}`)));
        await Promise.all(
          made.map(async (c) => {
            for (let i = 0; i < 3; i++) await v1('PATCH', `/customers/${c.id}`, { name: `Shared ${c.id} ${i}` });
          }),
        );
        await r.until(() => made.every((c) => new Set(r.ok.filter((x) => x.record === c.id).map((x) => x.id)).size >= 4), 30_000, '32 deliveries');
        await wait(300);
        // Two senders never send the same attempt of a delivery. An event can arrive again only
        // as its next attempt: a retry after an attempt the sender saw fail (on a loaded machine,
        // an answer later than FAST's 800 ms timeout), which at-least-once allows.
        const attempts = r.all.map((x) => `${x.id} attempt ${x.attempt}`);
        assert.equal(new Set(attempts).size, attempts.length, `no attempt sent twice: ${attempts.filter((a, i) => attempts.indexOf(a) !== i).join(', ')}`);
        assert.equal(new Set(r.ok.map((x) => x.id)).size, 32, 'every event delivered');
        for (const c of made) {
          const seqs = r.ok.filter((x) => x.record === c.id).map((x) => Number(x.id.slice(4)));
          assert.deepEqual(
            seqs,
            [...seqs].sort((a, b) => a - b),
            `record ${c.id} in order`,
          );
        }
      } finally {
        // Stopped even when an assertion failed: a sender left polling keeps the test process alive.
        await Promise.all(senders.map((x) => x.stop()));
        await r.close();
      }
    });
  });
}
