import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, call, type TestServer } from './support/stores.ts';
import { token } from './support/dintero-client.ts';

// Writes racing each other through HTTP on a real PostgreSQL, where requests run side by side
// (PGlite runs one at a time): no request may fail with a 5xx, no field a request wrote may be
// lost, and no write may land on a deleted record. Each race is repeated, with requests
// interleaved at random, so an unlucky schedule is likely to be met.

const codes = (rs: { status: number }[]) => {
  const m: Record<number, number> = {};
  for (const { status } of rs) m[status] = (m[status] ?? 0) + 1;
  return m;
};
const shuffle = <T>(xs: T[]): T[] => {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
};

describe('write races (postgres)', { skip: process.env.ROSTER_TEST_DATABASE_URL ? false : 'runs on real PostgreSQL (npm test starts one)', timeout: 180_000 }, () => {
  let s: TestServer;
  let key: string;
  const v1 = (method: string, path: string, body?: unknown) => call(s.base, method, `/v1${path}`, { key, body });
  const create = async (body: Record<string, unknown>) => {
    const r = await v1('POST', '/customers', body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  before(async () => {
    s = await startTestServer('postgres');
    key = s.account.api_key;
  });
  after(() => s.close());

  test('renaming and moving owners while their customers are patched: no deadlock, nothing lost, names carried right', async () => {
    const top = await create({ name: 'Top 0', type: 'operator' });
    const parent = await create({ name: 'Parent 0', type: 'business', parent_id: top.id });
    const other = await create({ name: 'Other owner', type: 'business' });
    const children: any[] = [];
    for (let i = 0; i < 20; i++) children.push(await create({ name: `Child ${i}`, type: 'business', parent_id: parent.id }));
    const grandchildren: any[] = [];
    for (let i = 0; i < 10; i++) grandchildren.push(await create({ name: `Grandchild ${i}`, parent_id: children[i].id }));
    const FIELDS = ['country', 'status', 'favorite_store', 'gender'] as const;
    const value = (f: (typeof FIELDS)[number], i: number) => (f === 'country' ? ['DK', 'SE', 'NO', 'FI'][i % 4] : `${f}-${i}`);
    const requests: (() => Promise<{ status: number; body: unknown }>)[] = [];
    for (let r = 0; r < 15; r++) requests.push(() => v1('PATCH', `/customers/${parent.id}`, { name: `Parent ${r + 1}` }));
    for (let r = 0; r < 10; r++) requests.push(() => v1('PATCH', `/customers/${top.id}`, { name: `Top ${r + 1}` }));
    for (let r = 0; r < 5; r++) requests.push(() => v1('PATCH', `/customers/${children[r].id}`, { parent_id: r % 2 ? other.id : parent.id }));
    for (const [i, c] of [...children, ...grandchildren].entries()) for (const f of FIELDS) requests.push(() => v1('PATCH', `/customers/${c.id}`, { [f]: value(f, i) }));
    const results = await Promise.all(shuffle(requests).map((go) => go()));
    assert.deepEqual(codes(results), { 200: results.length }, 'every request succeeded');

    const all = new Map<string, any>();
    for (const c of [top, parent, other, ...children, ...grandchildren]) all.set(c.id, (await v1('GET', `/customers/${c.id}`)).body);
    for (const [i, c] of [...children, ...grandchildren].entries()) {
      const now = all.get(c.id);
      for (const f of FIELDS) assert.equal(now[f], value(f, i), `${now.name}: ${f} kept`);
      // The derived owner and operator fields are those of the record's actual owner.
      const owner = all.get(now.parent_id);
      assert.equal(now.parent_name, owner.name, `${now.name}: owner name`);
      assert.equal(now.operator_id, owner.type === 'operator' ? owner.id : owner.operator_id, `${now.name}: operator`);
      assert.equal(now.operator_name, owner.type === 'operator' ? owner.name : owner.operator_name, `${now.name}: operator name`);
      assert.deepEqual(now.ancestors, [...owner.ancestors, owner.id], `${now.name}: ancestors`);
    }
  });

  test('Dintero PUTs merging metadata into one customer keep every key', async () => {
    const aid = s.account.account_id;
    const jwt = await token(s.base, aid, s.account.client_id, s.account.client_secret);
    const path = `/dintero/v1/accounts/${aid}/customers/users`;
    const made = await call(s.base, 'POST', path, { key: jwt, body: { customer_id: 'merge-1', first_name: 'Mia', metadata: { start: 0 } } });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const puts = Array.from({ length: 30 }, (_, i) => call(s.base, 'PUT', `${path}/merge-1`, { key: jwt, body: { metadata: { [`k${i}`]: i } } }));
    const results = await Promise.all(puts);
    assert.deepEqual(codes(results), { 200: 30 });
    const got = await call(s.base, 'GET', `${path}/merge-1`, { key: jwt });
    assert.deepEqual(Object.keys(got.body.metadata).sort(), ['start', ...Array.from({ length: 30 }, (_, i) => `k${i}`)].sort());
  });

  test('Spirii PUTs of different settings of one customer keep every setting', async () => {
    const cpo = await create({ type: 'operator', name: 'Charge Co', country: 'DK' });
    const spirii = (method: string, path: string, body?: unknown) => call(s.base, method, `/spirii/v2${path}`, { key, body });
    for (let round = 0; round < 8; round++) {
      const made = await spirii('POST', '/customers', {
        name: `Site ${round}`,
        country: 'DK',
        type: 'Business',
        ownerId: cpo.number,
        contactDetails: { name: 'A', email: 'a@example.com', phone: '+4511111111' },
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const id = made.body.id;
      const settings = {
        contactDetails: { name: `Contact ${round}`, email: 'c@example.com', phone: '+4522222222' },
        payoutInformation: { iban: `DK${round}000400440116243` },
        financialSetup: { language: 'DA', currency: 'DKK' },
        billingSettings: { invoiceDay: round + 1 },
        billingDetails: { invoiceFormat: `EHF-${round}` },
      };
      const results = await Promise.all(shuffle(Object.entries(settings)).map(([k, v]) => spirii('PUT', `/customers/${id}`, { [k]: v })));
      assert.deepEqual(codes(results), { 200: 5 });
      const got = (await spirii('GET', `/customers/${id}`)).body;
      assert.deepEqual(got.contactDetails, settings.contactDetails);
      assert.deepEqual(got.payoutInformation, settings.payoutInformation);
      assert.deepEqual(got.financialSetup, settings.financialSetup);
      assert.deepEqual(got.billingSettings, settings.billingSettings);
      assert.equal(got.billingDetails?.invoiceFormat, `EHF-${round}`);
    }
  });

  test('of twenty concurrent deletes of one record one succeeds, the others find it gone', async () => {
    for (let round = 0; round < 3; round++) {
      const c = await create({ name: `Doomed ${round}` });
      const results = await Promise.all(Array.from({ length: 20 }, () => v1('DELETE', `/customers/${c.id}`)));
      assert.deepEqual(codes(results), { 200: 1, 404: 19 });
    }
  });

  test('a patch racing a delete either lands before it or finds the record gone; nothing is written after the delete', async () => {
    for (let round = 0; round < 10; round++) {
      const c = await create({ name: `Raced ${round}` });
      const requests = shuffle([
        { patch: false, go: () => v1('DELETE', `/customers/${c.id}`) },
        ...Array.from({ length: 6 }, (_, i) => ({ patch: true, go: () => v1('PATCH', `/customers/${c.id}`, { status: `patch-${i}` }) })),
      ]);
      const results = await Promise.all(requests.map(async (r) => ({ patch: r.patch, ...(await r.go()) })));
      for (const r of results) {
        assert.ok(r.status === 200 || r.status === 404, `status ${r.status}: ${JSON.stringify(r.body)}`);
        if (r.patch && r.status === 200) assert.equal((r.body as any).deleted_at, null, 'a patch that succeeded saw a live record');
      }
      assert.equal(results.filter((r) => !r.patch && r.status === 200).length, 1, 'the delete succeeded');
      const gone = await v1('GET', `/customers?include_deleted=true&id=${c.id}`);
      const final = (gone.body as any).data[0];
      assert.ok(final.deleted_at, 'deleted');
      assert.equal(final.updated_at, final.deleted_at, 'no write after the delete');
    }
  });

  test('customers placed under an owner while it is deleted: the delete is refused, or the placing fails; never a live customer below a deleted one', async () => {
    for (let round = 0; round < 6; round++) {
      const owner = await create({ name: `Owner ${round}`, type: 'business' });
      const requests = shuffle([
        () => v1('DELETE', `/customers/${owner.id}`),
        ...Array.from({ length: 4 }, (_, i) => () => v1('POST', '/customers', { name: `Placed ${round}.${i}`, parent_id: owner.id })),
      ]);
      const results = await Promise.all(requests.map((go) => go()));
      for (const r of results) assert.ok([200, 201, 400, 409].includes(r.status), `status ${r.status}: ${JSON.stringify(r.body)}`);
      const live = await v1('GET', `/customers?parent_id=${owner.id}`);
      const ownerNow = await v1('GET', `/customers?include_deleted=true&id=${owner.id}`);
      if ((ownerNow.body as any).data[0].deleted_at) assert.equal((live.body as any).data.length, 0, 'no live customer below the deleted owner');
    }
  });
});
