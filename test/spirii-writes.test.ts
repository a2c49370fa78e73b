import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { assertStampedSince, clockPast } from './support/clock.ts';
import { createApiKey } from '../src/store/accounts-repo.ts';

// Creating, reading and updating through /spirii/v2/customers: the documented validation,
// Spirii-only settings kept round-trip, the same records visible in /v1, and authentication
// with Spirii's status wording.

const SETTINGS = {
  contactDetails: { name: 'Ada Jensen', email: 'ada@example.dk', phone: '+4512345678' },
  billingDetails: {
    paymentMethod: 'Invoice',
    invoiceFormat: 'Email',
    gln: '5790000000000',
    invoiceEmail: 'billing@example.dk',
    vatNumber: 'DK12345678',
    address: 'Vej 1',
    city: 'Aarhus',
    zipCode: '8000',
  },
  payoutInformation: { iban: 'DK5000400440116243', swiftCode: 'DABADKKK', bankAccountHolderName: 'Ada ApS', bankRegistrationNumber: '0040', bankAccount: '0440116243' },
  financialSetup: { language: 'EN', currency: 'EUR' },
  billingSettings: { chargeKeyDocumentAggregation: 'customer', chargeKeyLineAggregation: 'location', companyCarReimbursementMethod: 'MANUAL' },
};

for (const kind of STORES) {
  describe(`spirii writes (${kind})`, () => {
    let s: TestServer;
    let cpo: { id: string; number: number };
    let readKey: string;
    const spirii = (method: string, path: string, body?: unknown, key = s.account.api_key) => call(s.base, method, `/spirii/v2${path}`, { key, body });
    const valid = () => ({ name: 'Ada ApS', externalId: 'erp-1', country: 'DK', type: 'Business', ownerId: cpo.number, ...SETTINGS });

    before(async () => {
      s = await startTestServer(kind);
      const r = await call(s.base, 'POST', '/v1/customers', { key: s.account.api_key, body: { type: 'operator', name: 'Charge Co', country: 'DK' } });
      cpo = r.body;
      readKey = await createApiKey(s.db, s.account.account_id, 'read only', ['read']);
    });
    after(() => s.close());

    test('create returns 201 with the customer; every Spirii setting comes back unchanged', async () => {
      const r = await spirii('POST', '/customers', valid());
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(typeof r.body.id, 'number');
      assert.deepEqual(
        { ...r.body, id: 0, createdAt: '', updatedAt: '' },
        {
          id: 0,
          name: 'Ada ApS',
          externalId: 'erp-1',
          type: 'Business',
          country: 'DK',
          ...SETTINGS,
          cpo: { id: cpo.number, name: 'Charge Co' },
          owner: { id: cpo.number, name: 'Charge Co' },
          locations: [],
          createdAt: '',
          updatedAt: '',
        },
      );
      assert.match(r.body.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const got = await spirii('GET', `/customers/${r.body.id}`);
      assert.deepEqual(got.body, r.body);
    });

    test('the record is canonical: /v1 shows the mapped type, owner and the settings in extensions', async () => {
      const created = await spirii('POST', '/customers', { ...valid(), externalId: 'erp-2', type: 'CPOSubsidiary' });
      const v1 = await call(s.base, 'GET', `/v1/customers?number=${created.body.id}`, { key: s.account.api_key });
      const c = v1.body.data[0];
      assert.equal(c.type, 'operator_subsidiary');
      assert.equal(c.parent_id, cpo.id);
      assert.equal(c.operator_id, cpo.id);
      assert.equal(c.external_id, 'erp-2');
      assert.equal(c.country, 'DK');
      assert.deepEqual(c.extensions, { spirii: SETTINGS });
      // And a customer written through /v1 reads in Spirii's shape, its contact from canonical fields.
      const native = await call(s.base, 'POST', '/v1/customers', {
        key: s.account.api_key,
        body: { type: 'individual', first_name: 'Bo', last_name: 'Berg', email: 'bo@example.com', parent_id: cpo.id },
      });
      const seen = await spirii('GET', `/customers/${native.body.number}`);
      assert.equal(seen.body.type, 'Private');
      assert.equal(seen.body.name, 'Bo Berg');
      assert.deepEqual(seen.body.contactDetails, { name: 'Bo Berg', email: 'bo@example.com', phone: null });
      assert.deepEqual(seen.body.owner, { id: cpo.number, name: 'Charge Co' });
      // Person-like canonical types Spirii has no name for read, and filter, as Private.
      const employee = await call(s.base, 'POST', '/v1/customers', { key: s.account.api_key, body: { type: 'employee', name: 'Eve Staff' } });
      assert.equal((await spirii('GET', `/customers/${employee.body.number}`)).body.type, 'Private');
      const privates = await spirii('GET', `/customers?types=Private&customerIds=${employee.body.number},${native.body.number},${created.body.id}`);
      assert.deepEqual(
        privates.body.data.map((c: any) => c.id),
        [employee.body.number, native.body.number],
      );
    });

    describe('create validation', () => {
      const cases: [string, (b: Record<string, unknown>) => void, string, string?][] = [
        ['name missing', (b) => delete b.name, 'name', 'missing_required_field'],
        ['name over 80 characters', (b) => (b.name = 'x'.repeat(81)), 'name'],
        ['name not a string', (b) => (b.name = 5), 'name'],
        ['externalId over 40 characters', (b) => (b.externalId = 'e'.repeat(41)), 'externalId'],
        ['country of three letters', (b) => (b.country = 'DNK'), 'country'],
        ['country missing', (b) => delete b.country, 'country', 'missing_required_field'],
        ['country not letters', (b) => (b.country = 'D1'), 'country'],
        ['contactDetails missing', (b) => delete b.contactDetails, 'contactDetails', 'missing_required_field'],
        ['contactDetails not an object', (b) => (b.contactDetails = 'ada'), 'contactDetails'],
        ['contact email malformed', (b) => (b.contactDetails = { email: 'nope' }), 'contactDetails.email'],
        ['ownerId missing', (b) => delete b.ownerId, 'ownerId', 'missing_required_field'],
        ['ownerId not an integer', (b) => (b.ownerId = '12'), 'ownerId'],
        ['ownerId of no customer', (b) => (b.ownerId = 999999), 'ownerId'],
        ['type missing', (b) => delete b.type, 'type', 'missing_required_field'],
        ['type CPO', (b) => (b.type = 'CPO'), 'type'],
        ['type unknown', (b) => (b.type = 'Company'), 'type'],
        ['billingDetails not an object', (b) => (b.billingDetails = [1]), 'billingDetails'],
      ];
      for (const [name, change, param, code] of cases) {
        test(name, async () => {
          const body: Record<string, unknown> = { ...valid(), externalId: undefined };
          change(body);
          const r = await spirii('POST', '/customers', body);
          assert.equal(r.status, 400, JSON.stringify(r.body));
          assert.equal(r.body.error.param, param);
          assert.equal(r.body.error.type, 'invalid_request');
          if (code) assert.equal(r.body.error.code, code);
        });
      }
      test('boundaries are accepted: 80-character name, 40-character externalId, lower-case country', async () => {
        const r = await spirii('POST', '/customers', { ...valid(), name: 'n'.repeat(80), externalId: 'e'.repeat(40), country: 'se', type: 'Private' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.country, 'SE');
        assert.equal(r.body.type, 'Private');
      });
      test('a duplicate externalId is a 409 conflict', async () => {
        const r = await spirii('POST', '/customers', valid());
        assert.equal(r.status, 409);
        assert.equal(r.body.error.param, 'externalId');
      });
      test('a body that is not JSON is a 400', async () => {
        const r = await fetch(`${s.base}/spirii/v2/customers`, { method: 'POST', headers: { authorization: `Bearer ${s.account.api_key}`, 'content-type': 'application/json' }, body: '{"name":' });
        assert.equal(r.status, 400);
        assert.equal((await r.json()).error.type, 'invalid_request');
      });
      test('nothing is written by a failed create', async () => {
        const before = (await spirii('GET', '/customers?limit=1')).body.count;
        await spirii('POST', '/customers', { ...valid(), externalId: 'fresh', ownerId: 999999 });
        assert.equal((await spirii('GET', '/customers?limit=1')).body.count, before);
      });
    });

    describe('update', () => {
      let id: number;
      before(async () => {
        id = (await spirii('POST', '/customers', { ...valid(), externalId: 'upd-1' })).body.id;
        // Another API's data in extensions must survive Spirii updates.
        const v1 = await call(s.base, 'GET', `/v1/customers?number=${id}`, { key: s.account.api_key });
        await call(s.base, 'PATCH', `/v1/customers/${v1.body.data[0].id}`, { key: s.account.api_key, body: { extensions: { ...v1.body.data[0].extensions, other: { keep: true } } } });
      });

      test('changes the fields sent and keeps the rest; paymentMethod is kept from creation', async () => {
        const since = await clockPast((await spirii('GET', `/customers/${id}`)).body.updatedAt);
        const r = await spirii('PUT', `/customers/${id}`, {
          name: 'Ada Holding',
          country: 'NO',
          billingDetails: { paymentMethod: 'Card', invoiceFormat: 'EHF' },
          financialSetup: { language: 'DA', currency: 'DKK' },
        });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.name, 'Ada Holding');
        assert.equal(r.body.country, 'NO');
        assert.equal(r.body.externalId, 'upd-1');
        assert.deepEqual(r.body.billingDetails, { invoiceFormat: 'EHF', paymentMethod: 'Invoice' });
        assert.deepEqual(r.body.financialSetup, { language: 'DA', currency: 'DKK' });
        assert.deepEqual(r.body.payoutInformation, SETTINGS.payoutInformation);
        assert.deepEqual(r.body.contactDetails, SETTINGS.contactDetails);
        assertStampedSince(r.body.updatedAt, since, 'updatedAt moves to the update');
        assert.deepEqual((await spirii('GET', `/customers/${id}`)).body, r.body);
        const v1 = await call(s.base, 'GET', `/v1/customers?number=${id}`, { key: s.account.api_key });
        assert.deepEqual(v1.body.data[0].extensions.other, { keep: true });
      });

      test('externalId null clears it; a GET body sent back unchanged is accepted', async () => {
        const cleared = await spirii('PUT', `/customers/${id}`, { externalId: null });
        assert.equal(cleared.body.externalId, null);
        const echo = await spirii('PUT', `/customers/${id}`, cleared.body);
        assert.equal(echo.status, 200, JSON.stringify(echo.body));
        assert.deepEqual({ ...echo.body, updatedAt: '' }, { ...cleared.body, updatedAt: '' });
      });

      test('bad fields are 400s; unknown ids are 404s', async () => {
        for (const [body, param] of [
          [{ name: 'x'.repeat(81) }, 'name'],
          [{ country: 'NOR' }, 'country'],
          [{ externalId: 'e'.repeat(41) }, 'externalId'],
          [{ ownerId: 'one' }, 'ownerId'],
          [{ financialSetup: 'EUR' }, 'financialSetup'],
        ] as const) {
          const r = await spirii('PUT', `/customers/${id}`, body);
          assert.equal(r.status, 400, JSON.stringify(body));
          assert.equal(r.body.error.param, param);
        }
        assert.equal((await spirii('PUT', '/customers/999999', { name: 'x' })).status, 404);
        assert.equal((await spirii('GET', '/customers/999999')).status, 404);
        const bad = await spirii('GET', '/customers/1.5');
        assert.equal(bad.status, 400);
        assert.equal(bad.body.error.param, 'id');
      });
    });

    test('a date-time filter names its whole millisecond, whatever finer precision is stored', async () => {
      const id = (await spirii('POST', '/customers', { ...valid(), externalId: 'precise' })).body.id;
      await s.db.query(`UPDATE customers SET created_at = '2024-03-01T10:00:00.123456Z' WHERE account_id = $1 AND number = $2`, [s.account.account_id, id]);
      const ids = async (qs: string) => (await spirii('GET', `/customers?${qs}`)).body.data.map((c: any) => c.id);
      assert.deepEqual(await ids('createdAt=2024-03-01T10:00:00.123Z'), [id]);
      assert.deepEqual(await ids('createdAt=2024-03-01T11:00:00.123%2B01:00'), [id]);
      assert.deepEqual(await ids('createdAtTo=2024-03-01T10:00:00.123Z'), [id]);
      assert.deepEqual(await ids('createdAtTo=2024-03-01T10:00:00.122Z'), []);
      assert.deepEqual(await ids('createdAtFrom=2024-03-01T10:00:00.123Z&createdAtTo=2024-03-01'), [id]);
      assert.deepEqual(await ids('createdAtFrom=2024-03-01T10:00:00.124Z&createdAtTo=2024-03-01'), []);
      assert.deepEqual(await ids('createdAt=2024-03-01'), [id]);
      assert.equal((await spirii('GET', `/customers/${id}`)).body.createdAt, '2024-03-01T10:00:00.123Z');
    });

    describe('authentication', () => {
      test('missing or invalid credentials: 403', async () => {
        for (const headers of [{} as Record<string, string>, { authorization: 'Bearer rk_test_nope' }, { authorization: 'Basic abc' }, { 'x-api-key': s.account.api_key }]) {
          const r = await call(s.base, 'GET', '/spirii/v2/customers', { headers });
          assert.equal(r.status, 403, JSON.stringify(headers));
          assert.equal(r.body.error.type, 'authentication_error');
          assert.ok(r.body.error.message);
        }
      });
      test('a valid key without permission for the operation: 401; reads still work', async () => {
        assert.equal((await spirii('GET', '/customers', undefined, readKey)).status, 200);
        for (const [method, body] of [
          ['POST', valid()],
          ['PUT', { name: 'x' }],
          ['DELETE', undefined],
        ] as const) {
          const r = await spirii(method, method === 'POST' ? '/customers' : '/customers/1', body, readKey);
          assert.equal(r.status, 401, method);
          assert.equal(r.body.error.type, 'permission_error');
        }
      });
      test('errors carry the request id, also as a header', async () => {
        const r = await spirii('GET', '/customers?limit=0');
        assert.equal(r.body.error.request_id, r.headers.get('x-request-id'));
      });
    });
  });
}
