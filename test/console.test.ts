import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildConsole } from '../scripts/build-console.js';
import { seed } from '../src/seed/load.ts';
import { startTestServer, call, type TestServer } from './support/stores.ts';
import { token as dinteroToken } from './support/dintero-client.ts';

// The console in a real browser (Debian's chromium, driven by playwright-core), over a real
// server on the embedded store: every view an operator uses, checked against the API's own
// answers, for accessibility (axe-core), and photographed.

const CHROMIUM = process.env.ROSTER_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = process.env.ROSTER_SCREENSHOTS ?? join(tmpdir(), 'roster-console-screenshots');

describe('console in a browser', { timeout: 180_000 }, () => {
  let s: TestServer;
  let key: string;
  let browser: Browser;
  let page: Page;
  const api = async (path: string, init: { method?: string; body?: unknown; key?: string } = {}) => call(s.base, init.method ?? 'GET', path, { key: init.key ?? key, body: init.body });

  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`The console tests drive Debian's chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set ROSTER_CHROMIUM`);
    await buildConsole({ quiet: true });
    s = await startTestServer('pglite');
    key = s.account.api_key;
    await seed(s.db, { accountId: s.account.account_id, customers: 160, users: 60, seed: 7 });
    mkdirSync(SHOTS, { recursive: true });
    console.log(`# console screenshots: ${SHOTS}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    // bypassCSP lets the test inject axe-core; the console's own policy forbids inline scripts.
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true })).newPage();
    page.setDefaultTimeout(10_000);
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  async function accessible(view: string) {
    await page.addScriptTag({ content: AXE });
    const result = await page.evaluate(async () => (window as any).axe.run(document, { resultTypes: ['violations'] }));
    const bad = (result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(
      bad.map(
        (v) =>
          `${v.id} (${v.impact}) at ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(', ')}`,
      ),
      [],
      `${view}: no serious or critical accessibility violations`,
    );
  }
  const rowNames = () => page.locator('table.list tbody tr td:first-child').allInnerTexts();
  const apiNames = (r: { body: { data: any[] } }) => r.body.data.map((c: any) => c.name || [c.first_name, c.last_name].filter(Boolean).join(' ') || '(no name)');
  const waitForList = async () => {
    await page.waitForFunction(() => document.querySelector('table.list')?.getAttribute('aria-busy') === 'false');
  };
  async function waitForRows(expected: string[]) {
    await page
      .waitForFunction(
        (names) => {
          const cells = [...document.querySelectorAll('table.list tbody tr td:first-child')].map((td) => (td as HTMLElement).innerText);
          return JSON.stringify(cells) === JSON.stringify(names);
        },
        expected,
        { timeout: 10_000 },
      )
      .catch(() => undefined);
    assert.deepEqual(await rowNames(), expected);
  }

  test('sign in: a bad key is refused; a good one is kept in session storage only', async () => {
    await page.goto(`${s.base}/console`);
    await page.getByLabel('API key').fill('rk_test_not_a_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    await accessible('sign-in');
    await shot('01-sign-in');
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('roster.apiKey')), key);
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.equal(page.url().includes(key), false, 'the key is never in the URL');
  });

  test('the list: a page of 50 with the exact total, rendered fast', async () => {
    // A fresh load of the list's URL, signed in: bundle, /v1/me, the page of 50, on screen.
    await page.goto(`${s.base}/console/customers`);
    await waitForList();
    const first = await api('/v1/customers?limit=50&count=true');
    assert.equal(await page.locator('#total-count').innerText(), first.body.total_count.toLocaleString('en'));
    await waitForRows(apiNames(first));
    const timings = await page.evaluate(() => window.rosterTimings ?? []);
    const list = timings.find((t: any) => t.view === 'customers')!;
    console.log(
      `# first render of a page of 50: ${list.renderMs.toFixed(1)} ms to render the data, ${list.sinceRequestMs.toFixed(1)} ms from request to screen, ${list.sinceNavigationMs.toFixed(1)} ms from navigation start`,
    );
    assert.ok(list.sinceRequestMs < 200, `page of 50 on screen ${list.sinceRequestMs} ms after its request`);
    assert.ok(list.sinceNavigationMs < 1_000, `page of 50 on screen ${list.sinceNavigationMs} ms after navigation`);
    await accessible('customer list');
    await shot('02-customer-list');
  });

  test('search, filter, sort by several keys, page forward and back; the URL holds the view', async () => {
    const sample = (await api('/v1/customers?limit=1&sort=-name')).body.data[0];
    const term = sample.name.split(' ')[0].toLowerCase();
    await page.getByLabel('Search').fill(term);
    await page.waitForURL((u) => u.searchParams.get('search') === term);
    await waitForRows(apiNames(await api(`/v1/customers?limit=50&search=${encodeURIComponent(term)}`)));
    await page.getByLabel('Search').fill('');
    await page.waitForURL((u) => !u.searchParams.has('search'));

    await page.getByLabel('KYB').selectOption('active');
    await page.waitForURL((u) => u.searchParams.get('kyb_status') === 'active');
    const active = await api('/v1/customers?limit=50&kyb_status=active&count=true');
    await waitForRows(apiNames(active));
    assert.equal(await page.locator('#total-count').innerText(), active.body.total_count.toLocaleString('en'));

    await page.getByRole('button', { name: 'Name' }).click();
    await page.waitForURL((u) => u.searchParams.get('sort') === 'name');
    await page.getByRole('button', { name: 'Name' }).click();
    await page.waitForURL((u) => u.searchParams.get('sort') === '-name');
    await page.getByRole('button', { name: 'Type', exact: true }).click({ modifiers: ['Shift'] });
    await page.waitForURL((u) => u.searchParams.get('sort') === '-name,type');
    const sorted = await api('/v1/customers?limit=50&kyb_status=active&sort=-name,type');
    await waitForRows(apiNames(sorted));
    assert.equal(await page.locator('th[aria-sort=descending]').innerText(), 'Name ▼1');

    await page.getByLabel('KYB').selectOption('');
    const page1 = await api('/v1/customers?limit=50&sort=-name,type');
    await waitForRows(apiNames(page1));
    await page.getByRole('button', { name: 'Next →' }).click();
    const page2 = await api(`/v1/customers?limit=50&sort=-name,type&cursor=${page1.body.next_cursor}`);
    await waitForRows(apiNames(page2));
    assert.match(await page.locator('.summary').innerText(), /page 2/);
    await page.reload();
    await waitForRows(apiNames(page2));
    await page.getByRole('button', { name: '← Previous' }).click();
    await waitForRows(apiNames(page1));
    await page.goBack();
    await waitForRows(apiNames(page2));
  });

  let opened: any;
  test('open a record: every field, products with exact decimals, and the dialects as their clients see it', async () => {
    const withProducts = (await api('/v1/customers?limit=1&product=crypto&sort=name')).body.data[0];
    await page.goto(`${s.base}/console/customers?product=crypto&sort=name`);
    await waitForList();
    await page.locator('table.list tbody tr').first().getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: withProducts.name }).waitFor();
    opened = withProducts;
    for (const p of withProducts.product_accounts) await page.locator('#products-title + table').getByText(p.current_market_value, { exact: true }).waitFor();
    await page.locator('.all-fields summary').click();
    // Every field of the record the API returns, but those with panels of their own, in its order.
    await page.getByRole('rowheader', { name: 'created_by', exact: true }).waitFor();
    const rows = await page.locator('.all-fields th[scope=row]').allInnerTexts();
    const panels = new Set(['product_accounts', 'tags', 'kyc_links', 'application']);
    assert.deepEqual(
      rows,
      Object.keys(withProducts).filter((f) => !panels.has(f)),
    );

    // The dialect views against the dialects' real answers.
    await page.locator('[data-dialect=investifi] pre').waitFor();
    const jwt = await dinteroToken(s.base, s.account.account_id, s.account.client_id, s.account.client_secret);
    for (const dialect of ['dakota', 'spirii', 'dintero', 'investifi']) {
      const box = page.locator(`[data-dialect=${dialect}]`);
      const request = (await box.locator('.request code').innerText()).replace(/^GET /, '');
      const headers: Record<string, string> = dialect === 'dintero' ? { authorization: `Bearer ${jwt}` } : dialect === 'spirii' ? { authorization: `Bearer ${key}` } : { 'x-api-key': key };
      const real = await call(s.base, 'GET', request, { headers });
      assert.equal(real.status, 200, dialect);
      assert.deepEqual(JSON.parse(await box.locator('pre').innerText()), real.body, `${dialect}: the console shows what the dialect answers`);
    }
    await accessible('customer page');
    await shot('03-customer-page');
  });

  test('edit: a bad field shows the API message beside it and saves nothing; a good edit saves', async () => {
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Last name').fill('Changed');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#edit-email-error').waitFor();
    assert.match(await page.locator('#edit-email-error').innerText(), /format "email"/);
    await accessible('edit form with an error');
    await shot('04-edit-error');
    const unchanged = (await api(`/v1/customers/${opened.id}`)).body;
    assert.equal(unchanged.email, opened.email);
    assert.equal(unchanged.last_name, opened.last_name, 'nothing saved');

    await page.getByLabel('Email').fill(opened.email ?? '');
    await page.getByLabel('Name', { exact: true }).fill('Renamed From The Console');
    await page.getByLabel('Last name').fill(opened.last_name ?? '');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Renamed From The Console' }).waitFor();
    assert.equal((await api(`/v1/customers/${opened.id}`)).body.name, 'Renamed From The Console');
  });

  test('walk the hierarchy: owner and operator links, and back down to the child', async () => {
    const child = (await api('/v1/customers?limit=1&sort=-owner_name')).body.data[0];
    assert.ok(child.parent_id, 'the seed has owned customers');
    await page.goto(`${s.base}/console/customers/${child.id}`);
    await page.locator('#owner-link a').click();
    await page.waitForURL(`**/console/customers/${child.parent_id}`);
    await page.getByRole('heading', { level: 1, name: child.parent_name }).waitFor();
    const childName = child.name || [child.first_name, child.last_name].filter(Boolean).join(' ');
    const back = page.locator('ul.children').getByRole('link', { name: childName });
    if (await back.count()) {
      await back.first().click();
      await page.waitForURL(`**/console/customers/${child.id}`);
    }
    if (child.operator_id) {
      await page.goto(`${s.base}/console/customers/${child.id}`);
      await page.locator('#operator-link a').click();
      await page.waitForURL(`**/console/customers/${child.operator_id}`);
      await page.getByRole('heading', { level: 1, name: child.operator_name }).waitFor();
    }
    await shot('05-hierarchy');
  });

  test('soft delete from the record page', async () => {
    const victim = (await api('/v1/customers', { method: 'POST', body: { name: 'Delete Me Ltd', type: 'business' } })).body;
    await page.goto(`${s.base}/console/customers/${victim.id}`);
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.locator('#deleted-badge').waitFor();
    assert.equal((await api(`/v1/customers/${victim.id}`)).status, 404);
  });

  test('keys: create a read-only key (secret shown once), then revoke it', async () => {
    await page.goto(`${s.base}/console/keys`);
    await page.getByLabel('Name').fill('browser reader');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.locator('.secret-value').innerText();
    assert.match(secret, /^rk_test_/);
    await accessible('keys');
    await shot('06-keys');
    assert.equal((await api('/v1/customers?limit=1', { key: secret })).status, 200);
    assert.equal((await api('/v1/customers', { method: 'POST', key: secret, body: { name: 'x' } })).status, 403);
    await page.reload();
    assert.equal(await page.getByText(secret).count(), 0, 'the secret is not shown again');
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Revoke browser reader' }).click();
    await page
      .locator('tr', { hasText: 'browser reader' })
      .getByText(/^revoked/)
      .waitFor();
    await new Promise((r) => setTimeout(r, 1_050));
    assert.equal((await api('/v1/customers?limit=1', { key: secret })).status, 401);
  });

  test('onboarding: the customer completes the hosted page, the operator approves in the console', async () => {
    const created = (
      await call(s.base, 'POST', '/dakota/customers', { headers: { 'x-api-key': key, 'x-idempotency-key': randomUUID() }, body: { name: 'Onboard Me GmbH', customer_type: 'business' } })
    ).body;
    const customerPage = await page.context().newPage();
    await customerPage.goto(created.application_url);
    await customerPage.getByLabel('Legal name of the business').fill('Onboard Me GmbH');
    await customerPage.getByLabel('Email').fill('hello@onboard.example');
    await customerPage.getByLabel(/Country/).fill('DE');
    await customerPage.getByLabel('First name').fill('Olga');
    await customerPage.getByLabel('Last name').fill('Brandt');
    await customerPage.getByLabel('Date of birth').fill('1975-06-30');
    await customerPage.getByLabel('Crypto').check();
    await customerPage.getByLabel('I confirm these details are correct').check();
    await customerPage.screenshot({ path: join(SHOTS, '07-onboarding-form.png'), fullPage: true });
    await customerPage.getByRole('button', { name: 'Submit application' }).click();
    await customerPage.locator('#application-status', { hasText: 'submitted' }).waitFor();
    const prior = page;
    page = customerPage;
    await accessible('onboarding page');
    page = prior;
    await customerPage.close();

    await page.goto(`${s.base}/console/customers/${created.id}`);
    await page.locator('#application-status', { hasText: 'submitted' }).waitFor();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('#kyb-status', { hasText: 'active' }).waitFor();
    await page.locator('#kyc-status', { hasText: 'approved' }).waitFor();
    await page.waitForFunction(() => /"application_status": "approved"/.test(document.querySelector('[data-dialect=dakota] pre')?.textContent ?? ''));
    const dakota = await call(s.base, 'GET', `/dakota/customers/${created.id}`, { headers: { 'x-api-key': key } });
    assert.equal(dakota.body.decision, 'approved');
    assert.equal(dakota.body.kyb_status, 'active');
    await shot('08-onboarding-approved');
  });

  test('team users', async () => {
    await page.goto(`${s.base}/console/users?role=admin`);
    const admins = await api('/v1/users?role=admin&sort=name&limit=50&count=true');
    await page.getByText(`${admins.body.total_count} team users`).waitFor();
    assert.equal(await page.locator('table.list tbody tr').count(), admins.body.data.length);
    await accessible('team');
    await shot('09-team');
  });
});
