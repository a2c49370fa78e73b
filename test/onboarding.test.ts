import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { token as dinteroToken } from './support/dintero-client.ts';

// The onboarding lifecycle end to end over HTTP: Dakota's create hands out a link to the hosted
// page; the customer completes it; an operator decides through /v1; every dialect sees each step.

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of ([] as string[]).concat(v)) body.append(k, one);
  return body;
};

const good = {
  email: 'ops@northwind.example',
  country: 'dk',
  first_name: 'Nora',
  last_name: 'Wind',
  date_of_birth: '1980-04-02',
  name: 'Northwind Traders ApS',
  products: ['crypto', 'securities'],
  confirm: 'yes',
};

for (const kind of STORES) {
  describe(`onboarding (${kind})`, () => {
    let s: TestServer;
    let key: string;
    const dakota = (method: string, path: string, body?: unknown) =>
      call(s.base, method, `/dakota${path}`, { headers: { 'x-api-key': key, ...(method === 'POST' ? { 'x-idempotency-key': randomUUID() } : {}) }, body });
    before(async () => {
      s = await startTestServer(kind);
      key = s.account.api_key;
    });
    after(() => s.close());

    async function created(name = 'Northwind Traders', idempotencyKey = randomUUID()) {
      const r = await call(s.base, 'POST', '/dakota/customers', { headers: { 'x-api-key': key, 'x-idempotency-key': idempotencyKey }, body: { name, customer_type: 'business' } });
      assert.equal(r.status, 201);
      return r.body;
    }

    test('the create answer links to a working page; the record and the database keep no token', async () => {
      const c = await created();
      const url = new URL(c.application_url);
      assert.equal(url.pathname, `/onboarding/${c.application_id}`);
      const token = url.searchParams.get('token')!;
      assert.match(token, /^[0-9A-Za-z]{43}$/);
      assert.equal(c.kyb_links[0].url, `${url.origin}/onboarding/${c.application_id}?token=${token}#identity`);

      const page = await fetch(c.application_url);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
      const html = await page.text();
      assert.match(html, /<form method="post"/);
      assert.match(html, /id="identity"/);

      assert.equal((await fetch(`${url.origin}${url.pathname}`)).status, 401, 'no token: no page');
      assert.equal((await fetch(`${url.origin}${url.pathname}?token=${'x'.repeat(43)}`)).status, 404, 'a wrong token opens nothing');

      const got = await dakota('GET', `/customers/${c.id}`);
      assert.equal(got.body.application_url, `${url.origin}${url.pathname}`);
      const stored =
        JSON.stringify(await s.db.query(`SELECT * FROM onboarding_links`)) +
        JSON.stringify(await s.db.query(`SELECT response FROM idempotency_records`)) +
        JSON.stringify(await s.db.query(`SELECT application, kyc_links FROM customers`));
      assert.equal(stored.includes(token), false, 'the token is stored nowhere');
    });

    test('a replayed create hands out a new token and retires the old one', async () => {
      const idem = randomUUID();
      const first = await created('Replay Co', idem);
      const again = await created('Replay Co', idem);
      assert.equal(again.id, first.id);
      assert.notEqual(again.application_url, first.application_url);
      assert.equal((await fetch(first.application_url)).status, 404);
      assert.equal((await fetch(again.application_url)).status, 200);
    });

    test('complete, review, approve: each step visible through every dialect', async () => {
      const c = await created('Lifecycle Ltd');
      // One bad field: the page says which, and nothing is written.
      const bad = await fetch(c.application_url, { method: 'POST', body: form({ ...good, email: 'not-an-email' }) });
      assert.equal(bad.status, 400);
      const badHtml = await bad.text();
      assert.match(badHtml, /id="f-email-error">Enter an email address/);
      assert.match(badHtml, /value="Nora"/, 'what was typed is kept');
      assert.equal((await dakota('GET', `/customers/${c.id}`)).body.application_status, 'pending');

      const ok = await fetch(c.application_url, { method: 'POST', body: form(good) });
      assert.equal(ok.status, 200);
      assert.match(await ok.text(), /id="application-status">submitted</);
      let d = (await dakota('GET', `/customers/${c.id}`)).body;
      assert.equal(d.name, 'Northwind Traders ApS');
      assert.equal(d.email, 'ops@northwind.example');
      assert.equal(d.application_status, 'submitted');
      assert.equal(d.kyb_status, 'partner_review');
      assert.equal(d.kyc_status, 'pending');
      assert.equal((await fetch(c.application_url, { method: 'POST', body: form(good) })).status, 409, 'a submitted application cannot be submitted again');

      const review = await call(s.base, 'POST', `/v1/customers/${c.id}/application/transitions`, { key, body: { to: 'under_review' } });
      assert.equal(review.status, 200);
      assert.equal(review.body.kyc_status, 'in_review');
      const approved = await call(s.base, 'POST', `/v1/customers/${c.id}/application/transitions`, { key, body: { to: 'approved' } });
      assert.equal(approved.status, 200);
      assert.equal(approved.body.kyb_status, 'active');
      assert.equal(approved.body.kyc_status, 'approved');
      assert.equal(approved.body.application.decision, 'approved');

      d = (await dakota('GET', `/customers/${c.id}`)).body;
      assert.equal(d.application_status, 'approved');
      assert.equal(d.decision, 'approved');
      assert.equal(d.kyb_links[0].status, 'approved');
      const investifi = await call(s.base, 'GET', `/investifi/v1/users/${c.id}/`, { headers: { 'x-api-key': key } });
      assert.equal(investifi.status, 200);
      assert.deepEqual(
        investifi.body.accounts.map((a: any) => [a.product, a.kyc_status, typeof a.kyc_approved_at]),
        [
          ['crypto', 'approved', 'string'],
          ['securities', 'approved', 'string'],
        ],
      );
      const spirii = await call(s.base, 'GET', `/spirii/v2/customers/${approved.body.number}`, { key });
      assert.equal(spirii.body.name, 'Northwind Traders ApS');
      assert.equal(spirii.body.country, 'DK');
      const jwt = await dinteroToken(s.base, s.account.account_id, s.account.client_id, s.account.client_secret);
      const dintero = await call(s.base, 'GET', `/dintero/v1/accounts/${s.account.account_id}/customers/users/${c.id}`, { key: jwt });
      assert.equal(dintero.body.first_name, 'Nora');
      assert.equal(dintero.body.date_of_birth, '1980-04-02');

      const page = await (await fetch(c.application_url)).text();
      assert.match(page, /Your application is approved/);
      const again = await call(s.base, 'POST', `/v1/customers/${c.id}/application/transitions`, { key, body: { to: 'approved' } });
      assert.equal(again.status, 400);
      assert.equal(again.body.code, 'invalid_operation');
    });

    test('request for information reopens the page with the note; decline rejects', async () => {
      const c = await created('Asked Again Inc');
      await fetch(c.application_url, { method: 'POST', body: form({ ...good, email: 'asked@example.com', name: 'Asked Again Inc', products: [] }) });
      const rfi = await call(s.base, 'POST', `/v1/customers/${c.id}/application/transitions`, { key, body: { to: 'request_for_information', note: 'Please give your registration number.' } });
      assert.equal(rfi.body.application_status, 'request_for_information');
      const page = await (await fetch(c.application_url)).text();
      assert.match(page, /Please give your registration number\./);
      assert.match(page, /<form method="post"/);
      const declined = await call(s.base, 'POST', `/v1/customers/${c.id}/application/transitions`, { key, body: { to: 'declined' } });
      assert.equal(declined.body.kyb_status, 'rejected');
      assert.equal(declined.body.kyc_status, 'rejected');
      assert.equal((await dakota('GET', `/customers/${c.id}`)).body.decision, 'declined');
    });

    test('an operator can start an application for a customer made elsewhere and send a new link', async () => {
      const native = await call(s.base, 'POST', '/v1/customers', { key, body: { first_name: 'Ida', last_name: 'Lund', type: 'individual' } });
      const link = await call(s.base, 'POST', `/v1/customers/${native.body.id}/application/link`, { key });
      assert.equal(link.status, 201);
      assert.match(link.body.url, /\/onboarding\/[0-9A-Za-z]{27}\?token=/);
      assert.equal((await fetch(link.body.url)).status, 200);
      const second = await call(s.base, 'POST', `/v1/customers/${native.body.id}/application/link`, { key });
      assert.equal(second.body.application_id, link.body.application_id);
      assert.equal((await fetch(link.body.url)).status, 404, 'the earlier link stops working');
      assert.equal((await fetch(second.body.url)).status, 200);
      const got = await call(s.base, 'GET', `/v1/customers/${native.body.id}`, { key });
      assert.equal(got.body.application_status, 'pending');
      assert.equal(got.body.kyc_status, 'pending');
    });

    test('the dialect views equal the dialects’ own answers', async () => {
      const c = await created('Views Corp');
      await fetch(c.application_url, { method: 'POST', body: form({ ...good, email: 'views@example.com', name: 'Views Corp' }) });
      const views = await call(s.base, 'GET', `/v1/customers/${c.id}/dialects`, { key });
      assert.equal(views.status, 200);
      const jwt = await dinteroToken(s.base, s.account.account_id, s.account.client_id, s.account.client_secret);
      for (const v of views.body.views) {
        const path = v.request.replace(/^GET /, '');
        const headers: Record<string, string> = v.dialect === 'dintero' ? { authorization: `Bearer ${jwt}` } : v.dialect === 'spirii' ? { authorization: `Bearer ${key}` } : { 'x-api-key': key };
        const real = await call(s.base, 'GET', path, { headers });
        assert.equal(real.status, v.status, v.dialect);
        assert.deepEqual(real.body, v.body, `${v.dialect} renders the same record`);
      }
      const readOnly = await call(s.base, 'GET', `/v1/customers/${'0'.repeat(27)}/dialects`, { key });
      assert.equal(readOnly.status, 404);
    });
  });
}
