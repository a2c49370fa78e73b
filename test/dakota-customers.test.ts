import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { DakotaClient } from './support/dakota-contract.ts';
import { seed } from '../src/seed/load.ts';
import { storedCustomers } from './support/records.ts';
import { customersBy } from './support/order.ts';
import { createApiKey, createAccount } from '../src/store/accounts-repo.ts';
import type { Customer } from '../src/core/model.ts';

// Dakota's customers endpoints through real HTTP, every parameter and error path, each result
// compared with the same computation done in memory over the records read from the tables.

const BUSINESS = new Set(['business', 'operator', 'operator_subsidiary']);
const secs = (iso: string) => Math.floor(Date.parse(iso) / 1000);
/** Dakota's default order: name, then id, ascending. */
const byName = (cs: Customer[]) => customersBy(cs, { key: 'name', dir: 'asc' });

/** What Dakota shows for a canonical customer, written out independently of the dialect. */
function expectedView(c: Customer): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: c.id,
    name: c.name,
    customer_type: BUSINESS.has(c.type) ? 'business' : 'individual',
    kyb_status: c.kyb_status,
    kyc_status: c.kyc_status,
    kyb_links: c.kyc_links.map((l) => ({
      provider_id: l.provider_id,
      link_type: l.link_type,
      url: l.url,
      status: l.status,
      created_at: secs(l.created_at),
      updated_at: secs(l.updated_at),
      ...(l.expires_at ? { expires_at: secs(l.expires_at) } : {}),
    })),
    provider_statuses: c.provider_statuses,
    created_at: secs(c.created_at),
    updated_at: secs(c.updated_at),
    is_sub_client: c.is_sub_client,
  };
  if (c.email) out.email = c.email;
  if (c.application) {
    out.application_id = c.application.id;
    out.application_status = c.application.status;
    if (c.application.decision) out.decision = c.application.decision;
    if (c.application.url) out.application_url = c.application.url;
  }
  if (c.parent_id) {
    out.sub_client_id = c.parent_id;
    out.sub_client_name = c.parent_name;
  }
  return out;
}

for (const kind of STORES) {
  describe(`dakota customers (${kind})`, () => {
    let s: TestServer;
    let api: DakotaClient;
    let all: Customer[];
    const acct = () => s.account.account_id;

    const reload = async () => {
      all = (await storedCustomers(s.db, acct())).filter((c) => !c.deleted_at);
    };

    /** Every record a query matches, read page by page at limit=100 (default order: name asc). */
    async function listAll(params: string): Promise<{ ids: string[]; total: number; data: any[] }> {
      const data: any[] = [];
      let after = '';
      let total = -1;
      for (;;) {
        const res = await api.call('GET', `/customers?limit=100${params ? '&' + params : ''}${after ? `&starting_after=${after}` : ''}`);
        assert.equal(res.status, 200, res.text);
        data.push(...res.body.data);
        total = res.body.meta.total_count;
        if (!res.body.meta.has_more_after) break;
        after = res.body.data.at(-1).id;
      }
      return { ids: data.map((d) => d.id), total, data };
    }

    const expectIds = (pred: (c: Customer) => boolean) => byName(all.filter(pred)).map((c) => c.id);

    async function check(params: string, pred: (c: Customer) => boolean, nonEmpty = true) {
      const want = expectIds(pred);
      if (nonEmpty) assert.ok(want.length > 0, `oracle for ${params} is empty: a weak test`);
      const got = await listAll(params);
      assert.deepEqual(got.ids, want, params);
      assert.equal(got.total, want.length, `total_count for ${params}`);
    }

    before(async () => {
      s = await startTestServer(kind);
      await seed(s.db, { accountId: acct(), customers: 400, users: 0, seed: 11 });
      api = await DakotaClient.connect(s.base, s.account.api_key);
      await reload();
    });
    after(() => s.close());

    test('default list: name ascending, 20 per page, exact total, records in Dakota shape', async () => {
      const res = await api.call('GET', '/customers');
      assert.equal(res.status, 200);
      const want = byName(all);
      assert.deepEqual(res.body.data, want.slice(0, 20).map(expectedView));
      assert.deepEqual(res.body.meta, { total_count: all.length, has_more_after: true, has_more_before: false });
    });

    test('every record renders as the oracle says', async () => {
      const got = await listAll('');
      const byId = new Map(all.map((c) => [c.id, c]));
      for (const d of got.data) assert.deepEqual(d, expectedView(byId.get(d.id)!));
      assert.ok(
        got.data.some((d) => d.application_status === undefined && d.application_id === undefined),
        'some customers have no application',
      );
      assert.ok(
        got.data.some((d) => d.sub_client_id && d.sub_client_name),
        'some customers belong to a sub-client',
      );
    });

    test('external_id', async () => {
      const c = all[17];
      await check(`external_id=${c.external_id}`, (x) => x.external_id === c.external_id);
      await check('external_id=nope', () => false, false);
    });

    test('search: case-insensitive over name, email and id', async () => {
      const c = all.find((x) => x.type === 'individual')!;
      const part = c.name!.split(' ')[1].slice(0, 4).toUpperCase();
      await check(`search=${encodeURIComponent(part)}`, (x) => [x.name, x.email, x.id].some((v) => v?.toLowerCase().includes(part.toLowerCase())));
      const emailPart = c.email!.split('@')[0].toUpperCase();
      await check(`search=${encodeURIComponent(emailPart)}`, (x) => [x.name, x.email, x.id].some((v) => v?.toLowerCase().includes(emailPart.toLowerCase())));
      const idPart = all[3].id.slice(5, 15);
      await check(`search=${idPart}`, (x) => [x.name, x.email, x.id].some((v) => v?.toLowerCase().includes(idPart.toLowerCase())));
      // external ids and phone numbers are not searched
      await check(`search=${all[5].external_id}`, (x) => [x.name, x.email, x.id].some((v) => v?.toLowerCase().includes(all[5].external_id!)), false);
    });

    test('kyb_status, kyb_statuses, kyc_statuses, application_statuses', async () => {
      await check('kyb_status=frozen', (c) => c.kyb_status === 'frozen');
      await check('kyb_statuses=active,frozen', (c) => ['active', 'frozen'].includes(c.kyb_status));
      await check('kyb_status=active&kyb_statuses=active,pending', (c) => c.kyb_status === 'active');
      await check('kyc_statuses=pending,in_review', (c) => ['pending', 'in_review'].includes(c.kyc_status));
      await check('kyc_statuses=not_started', (c) => c.kyc_status === 'not_started');
      await check('application_statuses=submitted,under_review', (c) => ['submitted', 'under_review'].includes(c.application?.status ?? ''));
      // customers without an application are never matched
      await check('application_statuses=pending', (c) => c.application?.status === 'pending');
    });

    test('sub_client_id and is_sub_client', async () => {
      const parent = all.find((c) => all.filter((k) => k.parent_id === c.id).length >= 2)!;
      await check(`sub_client_id=${parent.id}`, (c) => c.parent_id === parent.id);
      await check('is_sub_client=true', (c) => c.is_sub_client);
      await check('is_sub_client=false', () => true);
      await check(`is_sub_client=true&kyb_statuses=active,pending,partner_review,rejected`, (c) => c.is_sub_client && c.kyb_status !== 'frozen' && c.kyb_status !== 'auto_declined');
    });

    test('created_at_from / created_at_to: inclusive at the second Dakota shows', async () => {
      const sorted = [...all].sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
      const lo = sorted[50];
      const hi = sorted[120];
      const from = new Date(secs(lo.created_at) * 1000).toISOString().replace('.000Z', 'Z');
      const to = new Date(secs(hi.created_at) * 1000).toISOString().replace('.000Z', 'Z');
      const inRange = (c: Customer) => secs(c.created_at) >= secs(lo.created_at) && secs(c.created_at) <= secs(hi.created_at);
      await check(`created_at_from=${from}&created_at_to=${to}`, inRange);
      const got = await listAll(`created_at_from=${from}&created_at_to=${to}`);
      assert.ok(got.ids.includes(lo.id) && got.ids.includes(hi.id), 'both ends are included');
      await check(`created_at_from=${from}`, (c) => secs(c.created_at) >= secs(lo.created_at));
      await check(`created_at_to=${encodeURIComponent(to.replace('Z', '+00:00'))}`, (c) => secs(c.created_at) <= secs(hi.created_at));
    });

    test('limit bounds and cursors on the sides they name', async () => {
      const want = byName(all).map((c) => c.id);
      const one = await api.call('GET', '/customers?limit=1');
      assert.deepEqual(
        one.body.data.map((c: any) => c.id),
        want.slice(0, 1),
      );
      const hundred = await api.call('GET', '/customers?limit=100');
      assert.equal(hundred.body.data.length, 100);
      const mid = await api.call('GET', `/customers?limit=5&starting_after=${want[9]}`);
      assert.deepEqual(
        mid.body.data.map((c: any) => c.id),
        want.slice(10, 15),
      );
      assert.deepEqual(mid.body.meta, { total_count: want.length, has_more_after: true, has_more_before: true });
      const back = await api.call('GET', `/customers?limit=5&ending_before=${want[3]}`);
      assert.deepEqual(
        back.body.data.map((c: any) => c.id),
        want.slice(0, 3),
      );
      assert.deepEqual(back.body.meta, { total_count: want.length, has_more_after: true, has_more_before: false });
      const last = await api.call('GET', `/customers?limit=5&starting_after=${want.at(-1)}`);
      assert.deepEqual(last.body.data, []);
      assert.deepEqual(last.body.meta, { total_count: want.length, has_more_after: false, has_more_before: true });
      // a cursor outside the filtered set still names a place in the order
      const order = byName(all);
      const outside = order.filter((c) => c.kyb_status !== 'frozen')[30];
      const page = await api.call('GET', `/customers?kyb_status=frozen&limit=100&starting_after=${outside.id}`);
      assert.deepEqual(
        page.body.data.map((c: any) => c.id),
        order
          .slice(order.indexOf(outside) + 1)
          .filter((c) => c.kyb_status === 'frozen')
          .map((c) => c.id),
      );
    });

    test('400 for every malformed parameter, naming it', async () => {
      const bad: [string, string][] = [
        ['limit=0', 'limit'],
        ['limit=101', 'limit'],
        ['limit=ten', 'limit'],
        ['starting_after=short', 'starting_after'],
        ['ending_before=1NFHrqBHb3cTfLVkFSGmHZqdDP!', 'ending_before'],
        ['kyb_status=sleeping', 'kyb_status'],
        ['kyb_statuses=active,sleeping', 'kyb_statuses'],
        ['kyc_statuses=done', 'kyc_statuses'],
        ['application_statuses=submitted,lost', 'application_statuses'],
        ['sub_client_id=abc', 'sub_client_id'],
        ['is_sub_client=maybe', 'is_sub_client'],
        ['sort_by=email', 'sort_by'],
        ['sort_dir=up', 'sort_dir'],
        ['created_at_from=yesterday', 'created_at_from'],
        ['created_at_to=2024-13-01T00:00:00Z', 'created_at_to'],
        [`starting_after=${all[0].id}&ending_before=${all[1].id}`, 'ending_before'],
        ['created_at_from=2025-01-02T00:00:00Z&created_at_to=2025-01-01T00:00:00Z', 'created_at_from'],
      ];
      for (const [q, field] of bad) {
        const res = await api.call('GET', `/customers?${q}`);
        assert.equal(res.status, 400, q);
        assert.equal(res.body.type, 'https://docs.dakota.xyz/api-reference/errors#invalid-request', q);
        assert.equal(res.body.title, 'Invalid request');
        assert.ok(
          res.body.errors.some((e: any) => e.field === field),
          `${q}: ${JSON.stringify(res.body.errors)}`,
        );
        assert.match(res.body.instance, /^http:\/\/127\.0\.0\.1:\d+\/dakota\/customers$/);
      }
    });

    test('a cursor id that does not exist in the account is a 400, not an empty page', async () => {
      const other = await createAccount(s.db, 'Other', 'test');
      const [foreign] = all;
      const otherApi = await DakotaClient.connect(s.base, other.api_key);
      for (const q of ['starting_after=1NFHrqBHb3cTfLVkFSGmHZqdDPi', 'ending_before=1NFHrqBHb3cTfLVkFSGmHZqdDPi']) {
        const res = await api.call('GET', `/customers?${q}`);
        assert.equal(res.status, 400);
        assert.equal(res.body.type, 'https://docs.dakota.xyz/api-reference/errors#invalid-request');
      }
      const res = await otherApi.call('GET', `/customers?starting_after=${foreign.id}`);
      assert.equal(res.status, 400);
    });

    test('auth: missing or unknown key 401, a read-only key cannot write (403)', async () => {
      for (const key of [null, 'not-a-key', '']) {
        const res = await api.call('GET', '/customers', { key });
        assert.equal(res.status, 401);
        assert.equal(res.body.type, 'https://docs.dakota.xyz/api-reference/errors#authentication-error');
        assert.equal(res.body.title, 'Unauthorized');
      }
      const readOnly = await createApiKey(s.db, acct(), 'reader', ['read']);
      const ok = await api.call('GET', '/customers?limit=1', { key: readOnly });
      assert.equal(ok.status, 200);
      const denied = await api.call('POST', '/customers', { key: readOnly, headers: { 'x-idempotency-key': randomUUID() }, body: { name: 'Read Only', customer_type: 'business' } });
      assert.equal(denied.status, 403);
      assert.equal(denied.body.type, 'https://docs.dakota.xyz/api-reference/errors#forbidden');
      // Bearer tokens are Roster's, not Dakota's
      const bearer = await fetch(`${s.base}/dakota/customers`, { headers: { authorization: `Bearer ${s.account.api_key}` } });
      assert.equal(bearer.status, 401);
    });

    test('GET /customers/{id}: the bare record, 404 and 400', async () => {
      const c = all.find((x) => x.application?.decision && x.parent_id) ?? all[0];
      const res = await api.call('GET', `/customers/${c.id}`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, expectedView(c));
      const missing = await api.call('GET', '/customers/1NFHrqBHb3cTfLVkFSGmHZqdDPi');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.title, 'Customer not found');
      assert.equal(missing.body.type, 'https://docs.dakota.xyz/api-reference/errors#not-found');
      const bad = await api.call('GET', '/customers/nope');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.errors[0].field, 'customer_id');
    });

    test('POST /customers: 201 with kyb link, application and exact nanosecond expiry', async () => {
      const key = randomUUID();
      const body = { name: 'Northwind Traders', customer_type: 'business', external_id: 'nw-001' };
      const before = Date.now();
      const res = await api.call('POST', '/customers', { headers: { 'x-idempotency-key': key }, body });
      assert.equal(res.status, 201, res.text);
      const nanos = /"application_expires_at":(\d+)/.exec(res.text)![1];
      assert.equal(nanos.length, 19);
      const expiresMs = Number(BigInt(nanos) / 1_000_000n);
      assert.equal(BigInt(nanos) % 1_000_000n, 0n);
      assert.ok(expiresMs >= before + 30 * 86_400_000 && expiresMs <= Date.now() + 30 * 86_400_000);
      assert.deepEqual(Object.keys(res.body).sort(), ['application_expires_at', 'application_id', 'application_url', 'id', 'kyb_links']);
      assert.equal(res.body.kyb_links.length, 1);
      assert.equal(res.body.kyb_links[0].link_type, 'persona');
      assert.equal(res.body.kyb_links[0].status, 'not_started');
      assert.match(res.body.application_id, /^[0-9A-Za-z]{27}$/);

      const got = await api.call('GET', `/customers/${res.body.id}`);
      assert.equal(got.body.name, 'Northwind Traders');
      assert.equal(got.body.customer_type, 'business');
      assert.equal(got.body.kyb_status, 'pending');
      assert.equal(got.body.kyc_status, 'not_started');
      assert.equal(got.body.application_id, res.body.application_id);
      assert.equal(got.body.application_status, 'pending');
      // The links' token is in the create answer only (Roster keeps its hash): the record holds the links without it.
      const untokened = (url: string) => url.replace(/\?token=[0-9A-Za-z]{43}/, '');
      assert.equal(got.body.application_url, untokened(res.body.application_url));
      assert.notEqual(got.body.application_url, res.body.application_url);
      assert.deepEqual(
        got.body.kyb_links,
        res.body.kyb_links.map((l: any) => ({ ...l, url: untokened(l.url) })),
      );
      assert.equal(got.body.is_sub_client, false);
      assert.equal((await api.call('GET', '/customers?external_id=nw-001')).body.data[0].id, res.body.id);

      // the same key and body replay the same answer, with a new link token; no second record
      const again = await api.call('POST', '/customers', { headers: { 'x-idempotency-key': key }, body });
      assert.equal(again.status, 201);
      const tokenless = (text: string) => text.replace(/token=[0-9A-Za-z]{43}/g, 'token=…');
      assert.equal(tokenless(again.text), tokenless(res.text));
      assert.equal((await api.call('GET', '/customers?search=northwind')).body.meta.total_count, 1);
      // the same key with another body, within the window, returns the original response, as Dakota documents
      const clash = await api.call('POST', '/customers', { headers: { 'x-idempotency-key': key }, body: { ...body, name: 'Southwind' } });
      assert.equal(clash.status, 201);
      assert.equal(clash.body.id, res.body.id);
      assert.equal((await api.call('GET', '/customers?search=southwind')).body.meta.total_count, 0, 'nothing was written');
      // a duplicate external_id is a conflict too
      const dup = await api.call('POST', '/customers', { headers: { 'x-idempotency-key': randomUUID() }, body: { ...body, name: 'Other name' } });
      assert.equal(dup.status, 409);
      assert.equal(dup.body.errors[0].field, 'external_id');
      await reload();
    });

    test('POST /customers: 400 for a bad body or a missing idempotency key', async () => {
      const bad: [unknown, string, Record<string, string>?][] = [
        [{ customer_type: 'business' }, 'name'],
        [{ name: 'ab', customer_type: 'business' }, 'name'],
        [{ name: '     ', customer_type: 'business' }, 'name'],
        [{ name: 'x'.repeat(101), customer_type: 'business' }, 'name'],
        [{ name: 'Valid Name' }, 'customer_type'],
        [{ name: 'Valid Name', customer_type: 'operator' }, 'customer_type'],
        [{ name: 'Valid Name', customer_type: 'business', sub_client_id: 'short' }, 'sub_client_id'],
        [{ name: 'Valid Name', customer_type: 'business', is_sub_client: 'perhaps' }, 'is_sub_client'],
        [{ name: 'Valid Name', customer_type: 'business' }, 'x-idempotency-key', {}],
        [{ name: 'Valid Name', customer_type: 'business' }, 'x-idempotency-key', { 'x-idempotency-key': 'not-a-uuid' }],
      ];
      for (const [body, field, headers] of bad) {
        const res = await api.call('POST', '/customers', { headers: headers ?? { 'x-idempotency-key': randomUUID() }, body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.ok(
          res.body.errors.some((e: any) => e.field === field),
          `${JSON.stringify(body)}: ${JSON.stringify(res.body.errors)}`,
        );
      }
      const notJson = await api.call('POST', '/customers', { headers: { 'x-idempotency-key': randomUUID() }, rawBody: '{"name":' });
      assert.equal(notJson.status, 400);
    });

    test('sub-clients: create one, attach customers at creation and by PATCH, summarise', async () => {
      const h = () => ({ 'x-idempotency-key': randomUUID() });
      const partner = await api.call('POST', '/customers', { headers: h(), body: { name: 'Partner Corp', customer_type: 'business', is_sub_client: true } });
      assert.equal(partner.status, 201);
      const pid = partner.body.id;
      const both = await api.call('POST', '/customers', { headers: h(), body: { name: 'Both Ways', customer_type: 'business', is_sub_client: true, sub_client_id: pid } });
      assert.equal(both.status, 400);
      assert.equal(both.body.errors[0].field, 'sub_client_id');
      const plain = all.find((c) => !c.is_sub_client)!;
      const notSub = await api.call('POST', '/customers', { headers: h(), body: { name: 'Under Plain', customer_type: 'individual', sub_client_id: plain.id } });
      assert.equal(notSub.status, 400);
      const ghost = await api.call('POST', '/customers', { headers: h(), body: { name: 'Under Ghost', customer_type: 'individual', sub_client_id: '1NFHrqBHb3cTfLVkFSGmHZqdDPi' } });
      assert.equal(ghost.status, 400);

      const child = await api.call('POST', '/customers', { headers: h(), body: { name: 'Jane Child', customer_type: 'individual', sub_client_id: pid } });
      assert.equal(child.status, 201);
      const view = await api.call('GET', `/customers/${child.body.id}`);
      assert.equal(view.body.sub_client_id, pid);
      assert.equal(view.body.sub_client_name, 'Partner Corp');
      assert.equal((await api.call('GET', `/customers/${pid}`)).body.is_sub_client, true);

      // PATCH: attach an existing customer, then detach it
      const moved = await api.call('PATCH', `/customers/${plain.id}/sub-client`, { body: { sub_client_id: pid } });
      assert.equal(moved.status, 200);
      assert.equal(moved.body.id, plain.id);
      assert.equal(moved.body.sub_client_id, pid);
      assert.equal(moved.body.sub_client_name, 'Partner Corp');
      const list = await api.call('GET', `/customers?sub_client_id=${pid}`);
      assert.deepEqual(list.body.data.map((c: any) => c.id).sort(), [child.body.id, plain.id].sort());

      await reload();
      const summary = await api.call('GET', '/customers/sub-client-summary');
      assert.equal(summary.status, 200);
      const want = byName(all.filter((c) => c.is_sub_client)).map((c) => ({ sub_client_id: c.id, sub_client_name: c.name, customer_count: all.filter((k) => k.parent_id === c.id).length }));
      assert.deepEqual(summary.body.data, want);
      assert.deepEqual(
        summary.body.data.find((r: any) => r.sub_client_id === pid),
        { sub_client_id: pid, sub_client_name: 'Partner Corp', customer_count: 2 },
      );

      const detached = await api.call('PATCH', `/customers/${plain.id}/sub-client`, { body: { sub_client_id: null } });
      assert.equal(detached.status, 200);
      assert.equal(detached.body.sub_client_id, undefined);
      assert.equal(detached.body.sub_client_name, undefined);

      // PATCH errors: unknown customer, a target that is not a sub-client, itself, a bad body
      const missing = await api.call('PATCH', '/customers/1NFHrqBHb3cTfLVkFSGmHZqdDPi/sub-client', { body: { sub_client_id: pid } });
      assert.equal(missing.status, 404);
      assert.equal(missing.body.type, 'about:blank');
      const wrong = await api.call('PATCH', `/customers/${child.body.id}/sub-client`, { body: { sub_client_id: plain.id } });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.type, 'about:blank');
      assert.equal(wrong.body.errors[0].field, 'sub_client_id');
      const self = await api.call('PATCH', `/customers/${pid}/sub-client`, { body: { sub_client_id: pid } });
      assert.equal(self.status, 400);
      for (const body of [{}, { sub_client_id: 'short' }]) {
        const res = await api.call('PATCH', `/customers/${child.body.id}/sub-client`, { body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.errors[0].field, 'sub_client_id');
      }
      await reload();
    });

    test('records are canonical: /dakota writes show in /v1 and /v1 writes show in /dakota', async () => {
      const made = await api.call('POST', '/customers', { headers: { 'x-idempotency-key': randomUUID() }, body: { name: 'Crossover Ltd', customer_type: 'business' } });
      const native = await call(s.base, 'GET', `/v1/customers/${made.body.id}`, { key: s.account.api_key });
      assert.equal(native.status, 200);
      assert.equal(native.body.name, 'Crossover Ltd');
      assert.equal(native.body.application.id, made.body.application_id);

      const v1 = await call(s.base, 'POST', '/v1/customers', { key: s.account.api_key, body: { type: 'operator', name: 'Native Operator', email: 'ops@native.example' } });
      assert.equal(v1.status, 201, JSON.stringify(v1.body));
      const seen = await api.call('GET', `/customers/${v1.body.id}`);
      assert.equal(seen.status, 200);
      assert.equal(seen.body.customer_type, 'business');
      assert.equal(seen.body.kyc_status, 'not_started');
      assert.equal(seen.body.application_id, undefined);
      const found = await api.call('GET', '/customers?search=NATIVE%20OPERATOR');
      assert.deepEqual(
        found.body.data.map((c: any) => c.id),
        [v1.body.id],
      );
      await reload();
    });

    test('rate-limit headers: per key, Reset in absolute Unix seconds', async () => {
      const a = await api.call('GET', '/customers?limit=1');
      const b = await api.call('GET', '/customers?limit=1');
      const limit = Number(a.headers.get('x-ratelimit-limit'));
      assert.equal(limit, 6000);
      assert.equal(Number(b.headers.get('x-ratelimit-remaining')), Number(a.headers.get('x-ratelimit-remaining')) - 1);
      const reset = Number(a.headers.get('x-ratelimit-reset'));
      const now = Date.now() / 1000;
      assert.ok(reset > now - 1 && reset <= now + 61, `reset ${reset} vs now ${now}`);
      assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
      const unknown = await api.call('GET', '/nowhere');
      assert.equal(unknown.status, 404);
      assert.ok(api.validated > 50);
    });
  });
}
