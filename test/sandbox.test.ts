import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { STORES, startTestServer, call, createTestDatabase, type TestServer } from './support/stores.ts';
import { freePort, roster, stop } from './support/processes.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { startSandboxWorker } from '../src/sandbox/worker.ts';
import { openStore } from '../src/store/open.ts';

// Test mode as Dakota's sandbox: customers created in a test-mode account move on their own
// (KYB approved after the delay, or as the scenario says), the error headers fail a create
// before it writes, live-mode accounts ignore every sandbox header, and an idempotency key
// replays within its window and is forgotten after it.

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DELAY_S = 0.2;

for (const kind of STORES) {
  describe(`the sandbox (${kind})`, { timeout: 180_000 }, () => {
    let s: TestServer;
    let key: string;
    let stopWorker: () => Promise<void>;
    const dakota = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, apiKey = key) =>
      call(s.base, method, `/dakota${path}`, { headers: { 'x-api-key': apiKey, ...(method === 'POST' ? { 'x-idempotency-key': randomUUID() } : {}), ...headers }, body });
    const create = (headers: Record<string, string> = {}, apiKey = key) => dakota('POST', '/customers', { name: `Sandbox ${randomUUID().slice(0, 8)}`, customer_type: 'business' }, headers, apiKey);
    const customer = async (id: string, apiKey = key) => (await dakota('GET', `/customers/${id}`, undefined, {}, apiKey)).body;
    const log = async (id: string) => [...(await s.db.query<{ transition: string; outcome: string }>(`SELECT transition, outcome FROM sandbox_log WHERE customer_id = $1 ORDER BY at`, [id]))];
    /** Waits until the customer's transitions have all been applied (none left due). */
    const settled = async (id: string) => {
      for (let i = 0; i < 100; i++) {
        const [{ n }] = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sandbox_transitions WHERE customer_id = $1`, [id]);
        if (n === 0) return customer(id);
        await wait(100);
      }
      throw new Error(`${id}: transitions never applied`);
    };

    before(async () => {
      s = await startTestServer(kind);
      key = s.account.api_key;
      const set = await call(s.base, 'PUT', '/v1/sandbox', { key, body: { auto_approval_seconds: DELAY_S } });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      stopWorker = startSandboxWorker(s.db, { everyMs: 50 });
    });
    after(async () => {
      await stopWorker();
      await s.close();
    });

    test('a customer created in test mode is approved after the delay, once, visibly through every surface', async () => {
      const made = await create();
      assert.equal(made.status, 201);
      const before = await customer(made.body.id);
      assert.deepEqual([before.kyb_status, before.application_status, before.kyc_status], ['pending', 'pending', 'not_started']);
      const after = await settled(made.body.id);
      assert.deepEqual([after.kyb_status, after.application_status, after.kyc_status, after.decision], ['active', 'approved', 'approved', 'approved']);
      assert.deepEqual(await log(made.body.id), [{ transition: 'approve', outcome: 'applied' }]);
      const native = (await call(s.base, 'GET', `/v1/customers/${made.body.id}`, { key })).body;
      assert.equal(native.kyb_status, 'active');
      const counted = await call(s.base, 'GET', `/v1/customers?kyb_status=active&count=true&id=${made.body.id}`, { key });
      assert.equal(counted.body.total_count, 1, 'counted');
      const spirii = await call(s.base, 'GET', `/spirii/v2/customers/${native.number}`, { key });
      assert.equal(spirii.status, 200);
    });

    test('X-Sandbox-Skip-Auto-Approval: true, 1 or yes keep it pending; any other value does not', async () => {
      for (const [value, stays] of [
        ['true', true],
        ['1', true],
        ['YES', true],
        ['no', false],
        ['maybe', false],
      ] as const) {
        const made = await create({ 'x-sandbox-skip-auto-approval': value });
        await wait(DELAY_S * 1000 + 150);
        const c = await settled(made.body.id);
        assert.equal(c.kyb_status, stays ? 'pending' : 'active', `skip=${value}`);
      }
    });

    test("each scenario's outcome, through Dakota and /v1", async () => {
      const OUTCOMES: Record<string, { kyb: string; application: string; kyc: string }> = {
        happy_path: { kyb: 'active', application: 'approved', kyc: 'approved' },
        kyb_manual_review: { kyb: 'partner_review', application: 'under_review', kyc: 'in_review' },
        kyb_rejected: { kyb: 'rejected', application: 'declined', kyc: 'rejected' },
        kyb_expired: { kyb: 'pending', application: 'pending', kyc: 'expired' },
        compliance_block: { kyb: 'frozen', application: 'compliance_review', kyc: 'in_review' },
        account_frozen: { kyb: 'frozen', application: 'approved', kyc: 'approved' },
        document_expired: { kyb: 'pending', application: 'request_for_information', kyc: 'expired' },
        insufficient_funds: { kyb: 'active', application: 'approved', kyc: 'approved' },
      };
      for (const [scenario, want] of Object.entries(OUTCOMES)) {
        const made = await create({ 'x-sandbox-scenario': scenario });
        assert.equal(made.status, 201, `${scenario}: ${JSON.stringify(made.body)}`);
        const c = await settled(made.body.id);
        assert.deepEqual({ kyb: c.kyb_status, application: c.application_status, kyc: c.kyc_status }, want, scenario);
        const native = (await call(s.base, 'GET', `/v1/customers/${made.body.id}`, { key })).body;
        assert.deepEqual({ kyb: native.kyb_status, application: native.application_status, kyc: native.kyc_status }, want, `${scenario} through /v1`);
      }
      const listed = await dakota('GET', '/sandbox/scenarios');
      assert.equal(listed.status, 200);
      assert.ok(listed.body.data.some((x: any) => x.name === 'kyb_rejected' && x.applies_to === 'customers' && x.description));
      assert.ok(listed.body.data.some((x: any) => x.name === 'invalid_swift' && x.applies_to === 'payments'));
    });

    test("scenarios that fail the create answer in Dakota's shape and write nothing", async () => {
      const before = (await dakota('GET', '/customers?limit=1')).body.meta.total_count;
      const down = await create({ 'x-sandbox-scenario': 'provider_maintenance' });
      assert.equal(down.status, 503);
      assert.equal(down.body.type, 'https://docs.dakota.xyz/api-reference/errors#service-unavailable');
      assert.equal(down.body.detail, 'Provider temporarily unavailable for maintenance.');
      const started = Date.now();
      const slow = await create({ 'x-sandbox-scenario': 'network_timeout' });
      assert.equal(slow.status, 504);
      assert.ok(Date.now() - started >= 1900, 'after the timeout');
      const outcomes = new Set<number>();
      for (let i = 0; i < 16; i++) outcomes.add((await create({ 'x-sandbox-scenario': 'intermittent_errors' })).status);
      assert.deepEqual([...outcomes].sort(), [201, 503], 'some fail, some succeed');
      const after = (await dakota('GET', '/customers?limit=1')).body.meta.total_count;
      const succeeded = await s.db.query(`SELECT 1 FROM sandbox_transitions WHERE scenario = 'intermittent_errors' UNION ALL SELECT 1 FROM sandbox_log WHERE scenario = 'intermittent_errors'`);
      assert.equal(after - before, succeeded.length, 'only the creates that succeeded wrote a customer');
    });

    test('an injected error fails the create at its step with the status and message asked for, writing nothing; values out of range are ignored', async () => {
      const before = (await dakota('GET', '/customers?limit=1')).body.meta.total_count;
      const failed = await create({ 'x-sandbox-error-step': 'kyb_submission', 'x-sandbox-error-status': '422', 'x-sandbox-error-message': 'The registry number is not valid' });
      assert.equal(failed.status, 422);
      assert.equal(failed.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.equal(failed.body.detail, 'The registry number is not valid');
      assert.equal(failed.body.type, 'https://docs.dakota.xyz/api-reference/errors#validation-error');
      assert.equal(failed.body.status, 422);
      const provider = await create({ 'x-sandbox-error-step': 'provider_call', 'x-sandbox-error-status': '502' });
      assert.deepEqual([provider.status, provider.body.type], [502, 'https://docs.dakota.xyz/api-reference/errors#provider-error']);
      assert.equal((await dakota('GET', '/customers?limit=1')).body.meta.total_count, before, 'nothing written');
      // Ignored, as documented: a status outside 100–599 or below 400, a step too long or unknown, a message too long.
      for (const headers of [
        { 'x-sandbox-error-step': 'kyb_submission', 'x-sandbox-error-status': '99' },
        { 'x-sandbox-error-step': 'kyb_submission', 'x-sandbox-error-status': '600' },
        { 'x-sandbox-error-step': 'kyb_submission', 'x-sandbox-error-status': '302' },
        { 'x-sandbox-error-step': 'x'.repeat(101), 'x-sandbox-error-status': '500' },
        { 'x-sandbox-error-step': 'transaction_processing', 'x-sandbox-error-status': '500' },
      ])
        assert.equal((await create(headers)).status, 201, JSON.stringify(headers));
      const longMessage = await create({ 'x-sandbox-error-step': 'compliance_check', 'x-sandbox-error-status': '409', 'x-sandbox-error-message': 'm'.repeat(501) });
      assert.equal(longMessage.status, 409);
      assert.equal(longMessage.body.detail, 'Sandbox error injected at compliance_check');
      // At the approval step the create succeeds and the approval, later, fails.
      const approval = await create({ 'x-sandbox-error-step': 'kyb_approval', 'x-sandbox-error-status': '500' });
      assert.equal(approval.status, 201);
      const c = await settled(approval.body.id);
      assert.deepEqual([c.application_status, c.kyb_status], ['request_for_information', 'pending']);
    });

    test('live-mode accounts ignore every sandbox header', async () => {
      const live = await createAccount(s.db, 'Live', 'live');
      const headers = { 'x-sandbox-scenario': 'provider_maintenance', 'x-sandbox-error-step': 'kyb_submission', 'x-sandbox-error-status': '503' };
      const made = await create(headers, live.api_key);
      assert.equal(made.status, 201, JSON.stringify(made.body));
      await wait(DELAY_S * 1000 + 300);
      assert.equal((await customer(made.body.id, live.api_key)).kyb_status, 'pending', 'no auto-approval in live mode');
      assert.equal((await s.db.query(`SELECT 1 FROM sandbox_transitions WHERE customer_id = $1`, [made.body.id])).length, 0);
      assert.equal((await call(s.base, 'GET', '/v1/sandbox', { key: live.api_key })).status, 400, 'live mode has no sandbox settings');
    });

    test('a transition due while no worker runs is applied once a worker starts again', async () => {
      await stopWorker();
      const made = await create();
      await wait(DELAY_S * 1000 + 200);
      assert.equal((await customer(made.body.id)).kyb_status, 'pending', 'no worker, no change');
      stopWorker = startSandboxWorker(s.db, { everyMs: 50 });
      assert.equal((await settled(made.body.id)).kyb_status, 'active');
    });

    test('an idempotency key replays within its window, whatever the body, and is forgotten after it', async () => {
      process.env.ROSTER_IDEMPOTENCY_WINDOW = '1';
      try {
        const idem = randomUUID();
        const first = await dakota('POST', '/customers', { name: 'Window Ltd', customer_type: 'business' }, { 'x-idempotency-key': idem });
        const within = await dakota('POST', '/customers', { name: 'Other Ltd', customer_type: 'business' }, { 'x-idempotency-key': idem });
        assert.equal(within.body.id, first.body.id, 'the original response');
        await wait(1200);
        const afterWindow = await dakota('POST', '/customers', { name: 'Window Ltd', customer_type: 'business' }, { 'x-idempotency-key': idem });
        assert.equal(afterWindow.status, 201);
        assert.notEqual(afterWindow.body.id, first.body.id, 'a new request after the window');
        // The native API keeps its rule (another body is a 422), with the same window.
        const nativeKey = randomUUID();
        await call(s.base, 'POST', '/v1/customers', { key, headers: { 'idempotency-key': nativeKey }, body: { name: 'A' } });
        assert.equal((await call(s.base, 'POST', '/v1/customers', { key, headers: { 'idempotency-key': nativeKey }, body: { name: 'B' } })).status, 422);
        await wait(1200);
        assert.equal((await call(s.base, 'POST', '/v1/customers', { key, headers: { 'idempotency-key': nativeKey }, body: { name: 'B' } })).status, 201);
      } finally {
        delete process.env.ROSTER_IDEMPOTENCY_WINDOW;
      }
    });
  });
}

describe('the sandbox across processes (postgres)', { skip: process.env.ROSTER_TEST_DATABASE_URL ? false : 'needs PostgreSQL', timeout: 240_000 }, () => {
  test('two servers share the transitions, each applied once; a restart loses none', async () => {
    const database = await createTestDatabase();
    const env = { DATABASE_URL: database.url };
    try {
      const db = await openStore({ databaseUrl: database.url });
      const account = await createAccount(db, 'Shared');
      await db.query(`INSERT INTO sandbox_settings (account_id, auto_approval_ms) VALUES ($1, 1500)`, [account.account_id]);
      const ports = [await freePort(), await freePort()];
      let servers = ports.map((p) => roster(['serve', '--port', String(p), '--no-demo'], env));
      await Promise.all(servers.map((x) => x.waitFor(/API reference:/)));
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await call(`http://127.0.0.1:${ports[i % 2]}`, 'POST', '/dakota/customers', {
          headers: { 'x-api-key': account.api_key, 'x-idempotency-key': randomUUID() },
          body: { name: `Shared ${i}`, customer_type: 'individual' },
        });
        assert.equal(r.status, 201);
        ids.push(r.body.id);
      }
      // Both stop before the approvals are due; one starts again.
      await Promise.all(servers.map((x) => stop(x)));
      await wait(1600);
      servers = [roster(['serve', '--port', String(ports[0]), '--no-demo'], env), roster(['serve', '--port', String(ports[1]), '--no-demo'], env)];
      await Promise.all(servers.map((x) => x.waitFor(/API reference:/)));
      for (let i = 0; i < 100; i++) {
        const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sandbox_transitions WHERE account_id = $1`, [account.account_id]);
        if (n === 0) break;
        await wait(100);
      }
      await Promise.all(servers.map((x) => stop(x)));
      const applied = await db.query<{ customer_id: string; n: number }>(`SELECT customer_id, count(*)::int AS n FROM sandbox_log WHERE account_id = $1 GROUP BY 1`, [account.account_id]);
      assert.equal(applied.length, 20, 'every customer approved');
      assert.ok(
        applied.every((r) => r.n === 1),
        'each exactly once',
      );
      const active = await db.query(`SELECT 1 FROM customers WHERE account_id = $1 AND kyb_status = 'active'`, [account.account_id]);
      assert.equal(active.length, 20);
      await db.close();
    } finally {
      await database.drop();
    }
  });
});
