import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, startTestServer, call, type TestServer } from './support/stores.ts';
import { Oracle, readAll, core } from './support/spirii-oracle.ts';

// The owner / CPO hierarchy built through the API, at least five levels deep, with a CPO nested
// under another CPO's branch: parentId, ownerId and operatorId checked against the oracle for
// every customer, before and after subtrees move and owners are renamed. Then the delete rules.

for (const kind of STORES) {
  describe(`spirii hierarchy and delete (${kind})`, () => {
    let s: TestServer;
    const key = () => s.account.api_key;
    const spirii = (method: string, path: string, body?: unknown) => call(s.base, method, `/spirii/v2${path}`, { key: key(), body });
    const n: Record<string, number> = {};
    const canonicalId: Record<string, string> = {};

    /** A top-level CPO: Spirii sets these up itself, so it comes through the native API. */
    async function cpo(label: string, parentLabel?: string) {
      const r = await call(s.base, 'POST', '/v1/customers', {
        key: key(),
        body: { type: 'operator', name: `CPO ${label}`, country: 'DK', ...(parentLabel ? { parent_id: canonicalId[parentLabel] } : {}) },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      n[label] = r.body.number;
      canonicalId[label] = r.body.id;
    }
    async function make(label: string, type: string, owner: string) {
      const r = await spirii('POST', '/customers', {
        name: `Customer ${label}`,
        country: 'dk',
        type,
        ownerId: n[owner],
        contactDetails: { name: 'Contact', email: `${label.toLowerCase()}@example.com`, phone: '+4512345678' },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.owner.id, n[owner]);
      n[label] = r.body.id;
      const v1 = await call(s.base, 'GET', `/v1/customers?number=${r.body.id}`, { key: key() });
      canonicalId[label] = v1.body.data[0].id;
    }

    /** Every customer's parentId / ownerId / operatorId list, and its rendering, against the oracle. */
    async function checkAll() {
      const o = new Oracle(await readAll(s.db, s.account.account_id));
      for (const p of o.live) {
        const want = (match: (r: typeof p) => boolean) => o.list(match, 'id', 'desc').map((r) => r.number);
        const ids = async (qs: string) => {
          const r = await spirii('GET', `/customers?${qs}&limit=1000`);
          assert.equal(r.status, 200);
          assert.equal(r.body.count, r.body.data.length);
          return r.body.data.map((c: any) => c.id);
        };
        assert.deepEqual(
          await ids(`parentId=${p.number}`),
          want((r) => r.parent_id === p.id),
          `parentId=${p.number}`,
        );
        assert.deepEqual(
          await ids(`ownerId=${p.number}`),
          want((r) => o.ancestors(r).includes(p)),
          `ownerId=${p.number}`,
        );
        assert.deepEqual(
          await ids(`operatorId=${p.number}`),
          want((r) => o.operator(r) === p),
          `operatorId=${p.number}`,
        );
      }
      const all = await spirii('GET', '/customers?limit=1000');
      for (const c of all.body.data) assert.deepEqual(core(c), o.rendered(o.live.find((r) => r.number === c.id)!));
      return o;
    }

    before(async () => {
      s = await startTestServer(kind);
      // A: CPO ─ B1 ─ B2 ─ S1 ─ P1       (five levels)
      //            │    └─ P2
      //            └─ C (a CPO of its own) ─ B3 ─ S2 ─ P3
      // Z: CPO ─ B4 ─ P4
      await cpo('A');
      await make('B1', 'Business', 'A');
      await make('B2', 'Business', 'B1');
      await make('S1', 'CPOSubsidiary', 'B2');
      await make('P1', 'Private', 'S1');
      await make('P2', 'Private', 'B2');
      await cpo('C', 'B1');
      await make('B3', 'Business', 'C');
      await make('S2', 'CPOSubsidiary', 'B3');
      await make('P3', 'Private', 'S2');
      await cpo('Z');
      await make('B4', 'Business', 'Z');
      await make('P4', 'Private', 'B4');
    });
    after(() => s.close());

    test('the tree is at least four levels deep and every filter agrees with the oracle', async () => {
      const o = await checkAll();
      assert.ok(Math.max(...o.live.map((r) => o.depth(r))) >= 4);
      const p3 = (await spirii('GET', `/customers/${n.P3}`)).body;
      assert.deepEqual(p3.cpo, { id: n.C, name: 'CPO C' }, 'the nearest CPO, not the top one');
      assert.deepEqual(p3.owner, { id: n.S2, name: 'Customer S2' });
    });

    test('moving a subtree updates owners, descendants and CPOs below it', async () => {
      const r = await spirii('PUT', `/customers/${n.B2}`, { ownerId: n.B4 });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.owner, { id: n.B4, name: 'Customer B4' });
      assert.deepEqual(r.body.cpo, { id: n.Z, name: 'CPO Z' });
      await checkAll();
      const p1 = (await spirii('GET', `/customers/${n.P1}`)).body;
      assert.deepEqual(p1.cpo, { id: n.Z, name: 'CPO Z' });
      const underZ = await spirii('GET', `/customers?ownerId=${n.Z}&sortBy=id&sortDirection=asc`);
      assert.deepEqual(
        underZ.body.data.map((c: any) => c.id),
        [n.B2, n.S1, n.P1, n.P2, n.B4, n.P4].sort((a, b) => a - b),
      );
    });

    test('moving the nested CPO takes its branch to the new owner', async () => {
      const r = await call(s.base, 'PATCH', `/v1/customers/${canonicalId.C}`, { key: key(), body: { parent_id: canonicalId.P4 } });
      assert.equal(r.status, 200);
      const o = await checkAll();
      assert.equal(Math.max(...o.live.map((x) => o.depth(x))), 6);
    });

    test('renaming an owner renames it in its children and CPO names below', async () => {
      const r = await spirii('PUT', `/customers/${n.B4}`, { name: 'Renamed B4' });
      assert.equal(r.status, 200);
      await checkAll();
      const byOwner = await spirii('GET', `/customers?ownerId=${n.Z}&sortBy=ownerName&sortDirection=desc&limit=2`);
      assert.equal(byOwner.body.data[0].owner.name, 'Renamed B4');
      const renamedCpo = await call(s.base, 'PATCH', `/v1/customers/${canonicalId.C}`, { key: key(), body: { name: 'CPO Renamed' } });
      assert.equal(renamedCpo.status, 200);
      await checkAll();
      assert.equal((await spirii('GET', `/customers/${n.P3}`)).body.cpo.name, 'CPO Renamed');
    });

    test('a customer cannot be moved below itself', async () => {
      const r = await spirii('PUT', `/customers/${n.B4}`, { ownerId: n.P1 });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.param, 'ownerId');
      const missing = await spirii('PUT', `/customers/${n.B4}`, { ownerId: 999999 });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error.param, 'ownerId');
      await checkAll();
    });

    describe('delete rules', () => {
      test('a CPO cannot be deleted', async () => {
        const r = await spirii('DELETE', `/customers/${n.Z}`);
        assert.equal(r.status, 400);
        assert.equal(r.body.error.code, 'customer_is_cpo');
        assert.equal((await spirii('GET', `/customers/${n.Z}`)).status, 200);
      });

      test('a customer that owns others cannot be deleted, at any level', async () => {
        for (const label of ['B4', 'B2', 'S1', 'B3', 'S2']) {
          const r = await spirii('DELETE', `/customers/${n[label]}`);
          assert.equal(r.status, 400, label);
          assert.equal(r.body.error.code, 'customer_owns_customers');
          assert.match(r.body.error.message, /owns other customers/);
        }
      });

      test('a customer with locations cannot be deleted', async () => {
        const v1 = await call(s.base, 'GET', `/v1/customers/${canonicalId.P2}`, { key: key() });
        const ext = { ...v1.body.extensions, spirii: { ...v1.body.extensions.spirii, locations: [4711, 4712] } };
        assert.equal((await call(s.base, 'PATCH', `/v1/customers/${canonicalId.P2}`, { key: key(), body: { extensions: ext } })).status, 200);
        assert.deepEqual((await spirii('GET', `/customers/${n.P2}`)).body.locations, [4711, 4712]);
        const r = await spirii('DELETE', `/customers/${n.P2}`);
        assert.equal(r.status, 400);
        assert.equal(r.body.error.code, 'customer_has_locations');
        assert.equal((await spirii('GET', `/customers/${n.P2}`)).status, 200);
      });

      test('a leaf is deleted with 202, then is gone from reads and lists; its owner becomes deletable', async () => {
        const r = await spirii('DELETE', `/customers/${n.P1}`);
        assert.equal(r.status, 202);
        assert.equal((await spirii('GET', `/customers/${n.P1}`)).status, 404);
        const list = await spirii('GET', `/customers?customerIds=${n.P1}`);
        assert.equal(list.body.count, 0);
        assert.equal((await spirii('DELETE', `/customers/${n.P1}`)).status, 404);
        // S1 owned only P1: a deleted child no longer counts.
        assert.equal((await spirii('DELETE', `/customers/${n.S1}`)).status, 202);
        const v1 = await call(s.base, 'GET', `/v1/customers?number=${n.S1}&include_deleted=true`, { key: key() });
        assert.ok(v1.body.data[0].deleted_at, 'a soft delete, visible to sync');
        await checkAll();
      });

      test('a delete racing the creation of a child never leaves a child under a deleted owner', async () => {
        const owners: number[] = [];
        for (let i = 0; i < 12; i++) {
          const r = await spirii('POST', '/customers', { name: `Racer ${i}`, country: 'DK', type: 'Business', ownerId: n.Z, contactDetails: {} });
          owners.push(r.body.id);
        }
        const outcomes = await Promise.all(
          owners.map(async (owner) => {
            const [del, child] = await Promise.all([
              spirii('DELETE', `/customers/${owner}`),
              spirii('POST', '/customers', { name: `Child of ${owner}`, country: 'DK', type: 'Private', ownerId: owner, contactDetails: {} }),
            ]);
            return { owner, del: del.status, child: child.status, code: del.body?.error?.code };
          }),
        );
        for (const o of outcomes) {
          // Exactly one wins: the delete (and the child is refused), or the child (and the delete is refused).
          assert.ok((o.del === 202 && o.child === 400) || (o.del === 400 && o.code === 'customer_owns_customers' && o.child === 201), JSON.stringify(o));
        }
        await checkAll();
      });

      test('deleting a customer that does not exist is a 404; a malformed id is a 400', async () => {
        assert.equal((await spirii('DELETE', '/customers/999999')).status, 404);
        const r = await spirii('DELETE', '/customers/abc');
        assert.equal(r.status, 400);
        assert.equal(r.body.error.param, 'id');
      });
    });
  });
}
