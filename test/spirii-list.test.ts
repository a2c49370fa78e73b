import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { seed } from '../src/seed/load.ts';
import { Oracle, readAll, core, SPIRII_TYPE, type Rec } from './support/spirii-oracle.ts';

// GET /spirii/v2/customers against the oracle over seeded data: every parameter, every
// default of sortBy / sortDirection, offset pages and the exact count.

const SORTS = ['id', 'name', 'type', 'ownerName', 'cpoName', 'createdAt', 'updatedAt'];

for (const kind of STORES) {
  describe(`spirii list (${kind})`, () => {
    let s: TestServer;
    let o: Oracle;
    const get = (qs: string) => call(s.base, 'GET', `/spirii/v2/customers?${qs}`, { key: s.account.api_key });

    /** Asserts one page against the oracle: records, order, count, limit and offset echoed. */
    async function expectPage(qs: string, match: (r: Rec) => boolean, sortBy: string, dir: 'asc' | 'desc', limit = 50, offset = 0) {
      const r = await get(qs);
      assert.equal(r.status, 200, `${qs}: ${JSON.stringify(r.body)}`);
      const all = o.list(match, sortBy, dir);
      const want = all.slice(offset, offset + limit);
      assert.deepEqual(
        r.body.data.map((c: any) => c.id),
        want.map((w) => w.number),
        qs,
      );
      assert.equal(r.body.count, all.length, `${qs}: count`);
      assert.equal(r.body.limit, limit);
      assert.equal(r.body.offset, offset);
      return { body: r.body, all };
    }

    before(async () => {
      s = await startTestServer(kind);
      await seed(s.db, { accountId: s.account.account_id, customers: 1500, users: 0, seed: 7 });
      o = new Oracle(await readAll(s.db, s.account.account_id));
    });
    after(() => s.close());

    test('the seeded data holds a hierarchy at least 4 levels deep', () => {
      assert.ok(Math.max(...o.live.map((r) => o.depth(r))) >= 4);
    });

    test('default: by id descending, 50 per page, exact count; records render from the canonical store', async () => {
      const { body } = await expectPage('', () => true, 'id', 'desc');
      for (const c of body.data) assert.deepEqual(core(c), o.rendered(o.live.find((r) => r.number === c.id)!));
      for (const c of body.data)
        for (const k of [
          'id',
          'name',
          'externalId',
          'type',
          'country',
          'contactDetails',
          'billingDetails',
          'cpo',
          'owner',
          'locations',
          'payoutInformation',
          'financialSetup',
          'billingSettings',
          'createdAt',
          'updatedAt',
        ])
          assert.ok(k in c, k);
    });

    test('list items are the very records a single read returns, every field', async () => {
      // Lists build only the fields the renderer reads; a field left out would differ here.
      const withSettings = o.live
        .filter((r) => r.extensions?.spirii)
        .slice(0, 10)
        .map((r) => r.number);
      const sample = [
        ...withSettings,
        ...o.live
          .filter((r) => o.depth(r) >= 2)
          .slice(0, 30)
          .map((r) => r.number),
      ];
      const r = await get(`customerIds=${sample.join(',')}&limit=100`);
      assert.equal(r.body.data.length, new Set(sample).size);
      for (const c of r.body.data) {
        const one = await call(s.base, 'GET', `/spirii/v2/customers/${c.id}`, { key: s.account.api_key });
        assert.equal(one.status, 200);
        assert.deepEqual(c, one.body);
      }
      assert.ok(
        r.body.data.some((c: any) => c.contactDetails?.email),
        'some records carry an email',
      );
    });

    test('owner and cpo render for customers deep in the tree', async () => {
      const deep = o.live.filter((r) => o.depth(r) >= 3).slice(0, 20);
      const r = await get(`customerIds=${deep.map((d) => d.number).join(',')}&limit=100`);
      assert.equal(r.body.data.length, deep.length);
      for (const c of r.body.data) assert.deepEqual(core(c), o.rendered(o.live.find((x) => x.number === c.id)!));
    });

    test('offset pages walk every record exactly once, in order', async () => {
      const seen: number[] = [];
      for (let offset = 0; ; offset += 97) {
        const r = await get(`limit=97&offset=${offset}&sortBy=name&sortDirection=asc`);
        assert.equal(r.status, 200);
        assert.equal(r.body.count, o.live.length);
        seen.push(...r.body.data.map((c: any) => c.id));
        if (r.body.data.length < 97) break;
      }
      assert.deepEqual(
        seen,
        o.list(() => true, 'name', 'asc').map((r) => r.number),
      );
    });

    test('an offset past the end is an empty page with the full count', async () => {
      await expectPage(`offset=${o.live.length + 5}`, () => true, 'id', 'desc', 50, o.live.length + 5);
    });

    for (const sortBy of SORTS) {
      for (const dir of ['asc', 'desc'] as const) {
        test(`sortBy=${sortBy} sortDirection=${dir}`, async () => {
          await expectPage(`sortBy=${sortBy}&sortDirection=${dir}&limit=60&offset=120`, () => true, sortBy, dir, 60, 120);
        });
      }
    }

    test('sortBy alone sorts descending', async () => {
      await expectPage('sortBy=name', () => true, 'name', 'desc');
    });

    test('enum values are matched case-insensitively', async () => {
      await expectPage('sortBy=OWNERNAME&sortDirection=Asc&types=private', (r) => SPIRII_TYPE[r.type] === 'Private', 'ownerName', 'asc');
    });

    describe('default-switching rules', () => {
      // A window wide enough to hold many records, so order is meaningful.
      const mid = () => o.live.map((r) => r.created_at).sort()[Math.floor(o.live.length / 3)];
      const midU = () => o.live.map((r) => r.updated_at).sort()[Math.floor(o.live.length / 3)];
      const end = '2030-01-01T00:00:00Z';

      test('createdAtTo: sorted by createdAt, descending', async () => {
        await expectPage(`createdAtTo=${end}`, (r) => r.created_at <= end, 'createdAt', 'desc');
      });
      test('createdAtFrom: sorted by createdAt, ascending', async () => {
        const from = mid();
        await expectPage(`createdAtFrom=${from}`, (r) => r.created_at >= from, 'createdAt', 'asc');
      });
      test('createdAt (exact): sorted by createdAt, descending', async () => {
        const t = o.live[10].created_at;
        await expectPage(`createdAt=${t}`, (r) => r.created_at === t, 'createdAt', 'desc');
      });
      test('updatedAtTo: sorted by updatedAt, descending', async () => {
        await expectPage(`updatedAtTo=${end}`, (r) => r.updated_at <= end, 'updatedAt', 'desc');
      });
      test('updatedAtFrom: sorted by updatedAt, ascending', async () => {
        const from = midU();
        await expectPage(`updatedAtFrom=${from}`, (r) => r.updated_at >= from, 'updatedAt', 'asc');
      });
      test('updatedAt (exact): sorted by updatedAt, descending', async () => {
        const t = o.live[20].updated_at;
        await expectPage(`updatedAt=${t}`, (r) => r.updated_at === t, 'updatedAt', 'desc');
      });
      test('updatedAt* wins over createdAt*: updatedAtTo with createdAtTo sorts by updatedAt', async () => {
        await expectPage(`createdAtTo=${end}&updatedAtTo=${end}`, () => true, 'updatedAt', 'desc');
      });
      test('createdAtFrom makes updatedAt ascending when combined with updatedAtTo', async () => {
        const from = mid();
        await expectPage(`createdAtFrom=${from}&updatedAtTo=${end}`, (r) => r.created_at >= from, 'updatedAt', 'asc');
      });
      test('updatedAtFrom with createdAtTo: updatedAt ascending', async () => {
        const from = midU();
        await expectPage(`updatedAtFrom=${from}&createdAtTo=${end}`, (r) => r.updated_at >= from, 'updatedAt', 'asc');
      });
      test('an explicit sortBy keeps the From-driven ascending default', async () => {
        const from = mid();
        await expectPage(`createdAtFrom=${from}&sortBy=name`, (r) => r.created_at >= from, 'name', 'asc');
      });
      test('an explicit sortDirection keeps the filter-driven sortBy default', async () => {
        const from = mid();
        await expectPage(`createdAtFrom=${from}&sortDirection=desc`, (r) => r.created_at >= from, 'createdAt', 'desc');
      });
      test('explicit sortBy and sortDirection override every default', async () => {
        const from = midU();
        await expectPage(`updatedAtFrom=${from}&createdAtTo=${end}&sortBy=id&sortDirection=desc`, (r) => r.updated_at >= from, 'id', 'desc');
      });
    });

    describe('filters', () => {
      test('customerIds in every array form', async () => {
        const ids = [o.live[3], o.live[50], o.live[400], o.live[1000]].map((r) => r.number);
        const match = (r: Rec) => ids.includes(r.number);
        await expectPage(ids.map((i) => `customerIds=${i}`).join('&'), match, 'id', 'desc');
        await expectPage(ids.map((i) => `customerIds[]=${i}`).join('&'), match, 'id', 'desc');
        await expectPage(`customerIds=${ids.join(',')}`, match, 'id', 'desc');
      });

      test('empty values count as absent', async () => {
        await expectPage('customerIds=&types[]=&search=&sortBy=&limit=&offset=', () => true, 'id', 'desc');
      });

      test('customerIds of deleted customers match nothing', async () => {
        const gone = o.all.find((r) => r.deleted_at)!;
        await expectPage(`customerIds=${gone.number}`, () => false, 'id', 'desc');
      });

      for (const types of [['Private'], ['Business'], ['CPO'], ['CPOSubsidiary'], ['CPO', 'CPOSubsidiary']]) {
        test(`types=${types.join(',')}`, async () => {
          await expectPage(types.map((t) => `types[]=${t}`).join('&') + '&limit=200', (r) => types.includes(SPIRII_TYPE[r.type]), 'id', 'desc', 200);
        });
      }

      test('search: names, ids and external ids, case-insensitively', async () => {
        const sample = o.live[77];
        const word = sample.name!.split(' ')[0].slice(1, 5).toUpperCase();
        // Terms under three characters match the start of the name, or the number exactly.
        const contains = (r: Rec, t: string) =>
          t.length < 3
            ? (r.name ?? '').toLowerCase().startsWith(t.toLowerCase()) || String(r.number) === t
            : [r.name, r.first_name, r.last_name, r.external_id, String(r.number)].some((v) => v?.toLowerCase().includes(t.toLowerCase()));
        await expectPage(`search=${encodeURIComponent(word)}&limit=200`, (r) => contains(r, word), 'id', 'desc', 200);
        await expectPage(`search=${sample.number}`, (r) => contains(r, String(sample.number)), 'id', 'desc');
        await expectPage(`search=${sample.external_id}`, (r) => contains(r, sample.external_id!), 'id', 'desc');
      });

      test('parentId, ownerId and operatorId against the oracle, for every owner deep enough', async () => {
        const owners = new Set(o.live.map((r) => o.parent(r)).filter((p): p is Rec => !!p));
        const deep = [...owners].filter((p) => o.live.some((r) => o.depth(r) >= o.depth(p) + 2)).slice(0, 8);
        assert.ok(deep.length > 0);
        for (const p of deep) {
          await expectPage(`parentId=${p.number}&limit=500`, (r) => r.parent_id === p.id, 'id', 'desc', 500);
          await expectPage(`ownerId=${p.number}&limit=500`, (r) => o.ancestors(r).includes(p), 'id', 'desc', 500);
        }
        const cpos = o.live.filter((r) => r.type === 'operator').slice(0, 8);
        for (const c of cpos) {
          await expectPage(`operatorId=${c.number}&limit=500`, (r) => o.operator(r) === c, 'id', 'desc', 500);
          await expectPage(`ownerId=${c.number}&limit=500&sortBy=ownerName`, (r) => o.ancestors(r).includes(c), 'ownerName', 'desc', 500);
        }
      });

      test('an id that names no customer matches nothing', async () => {
        for (const p of ['parentId', 'ownerId', 'operatorId']) await expectPage(`${p}=999999`, () => false, 'id', 'desc');
      });

      test('date bounds: From and To inclusive, a date alone means the whole UTC day', async () => {
        const t = o.live[300].created_at;
        await expectPage(`createdAtFrom=${t}&createdAtTo=${t}`, (r) => r.created_at === t, 'createdAt', 'asc');
        const day = t.slice(0, 10);
        const inDay = (v: string) => v.slice(0, 10) === day;
        await expectPage(`createdAt=${day}`, (r) => inDay(r.created_at), 'createdAt', 'desc');
        await expectPage(`createdAtTo=${day}&sortBy=id`, (r) => r.created_at.slice(0, 10) <= day, 'id', 'desc');
        await expectPage(`createdAtFrom=${day}&sortBy=id`, (r) => r.created_at.slice(0, 10) >= day, 'id', 'asc');
        const offset = t.replace('Z', '+02:00');
        const shifted = new Date(new Date(t).getTime() - 2 * 3600_000).toISOString();
        await expectPage(`createdAtFrom=${encodeURIComponent(offset)}`, (r) => r.created_at >= shifted, 'createdAt', 'asc');
      });

      test('filters combine', async () => {
        const cpo = o.live.find((r) => r.type === 'operator' && o.live.filter((x) => o.operator(x) === r).length > 5)!;
        const from = '2023-01-01T00:00:00Z';
        await expectPage(
          `operatorId=${cpo.number}&types=Business&types=Private&updatedAtFrom=${from}&sortBy=cpoName`,
          (r) => o.operator(r) === cpo && ['Business', 'Private'].includes(SPIRII_TYPE[r.type]) && r.updated_at >= from,
          'cpoName',
          'asc',
        );
      });
    });

    describe('bad parameters get a 400 naming the parameter', () => {
      const cases: [string, string][] = [
        ['sortBy=email', 'sortBy'],
        ['sortDirection=up', 'sortDirection'],
        ['limit=0', 'limit'],
        ['limit=1001', 'limit'],
        ['limit=ten', 'limit'],
        ['limit=5&limit=6', 'limit'],
        ['offset=-1', 'offset'],
        ['offset=1.5', 'offset'],
        ['customerIds=12a', 'customerIds'],
        ['customerIds[]=1&customerIds[]=0', 'customerIds'],
        ['types=Company', 'types'],
        ['parentId=1.5', 'parentId'],
        ['ownerId=abc', 'ownerId'],
        ['operatorId=-3', 'operatorId'],
        ['createdAt=yesterday', 'createdAt'],
        ['createdAtFrom=2024-02-30', 'createdAtFrom'],
        ['createdAtTo=2024-01-01T25:00:00Z', 'createdAtTo'],
        ['updatedAt=2024-13-01', 'updatedAt'],
        ['updatedAtFrom=1700000000', 'updatedAtFrom'],
        ['updatedAtTo=2024-01-01T10:00:00+25:00', 'updatedAtTo'],
        [`search=${'x'.repeat(201)}`, 'search'],
      ];
      for (const [qs, param] of cases) {
        test(qs.slice(0, 60), async () => {
          const r = await get(qs);
          assert.equal(r.status, 400, JSON.stringify(r.body));
          assert.equal(r.body.error.type, 'invalid_request');
          assert.equal(r.body.error.param, param);
          assert.match(r.body.error.message, new RegExp(param));
          assert.ok(r.body.error.request_id);
        });
      }
      test('the largest limit is accepted', async () => {
        await expectPage('limit=1000', () => true, 'id', 'desc', 1000);
      });
    });
  });
}
