import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PGlite } from '@electric-sql/pglite';
import { PgliteStatements } from './pglite-statements.ts';

let pg: PGlite;
let st: PgliteStatements;
before(async () => {
  pg = await PGlite.create();
  st = new PgliteStatements(pg, 3);
  await pg.exec(`CREATE TABLE t (id int PRIMARY KEY, doc jsonb, tags text[])`);
});
after(() => pg.close());

const prepared = (text: string, params: unknown[] = []) => st.root<Record<string, unknown>>([{ text, params, prepare: true }]);

test('values go in and come out as PGlite query() sends and parses them', async () => {
  await prepared(`INSERT INTO t VALUES ($1, $2, $3)`, [1, { a: [1, 'x'] }, ['p', 'q,r']]);
  const [row] = await prepared(`SELECT id, doc, tags, NULL::text AS n FROM t WHERE id = $1`, [1]);
  assert.deepEqual(row, { id: 1, doc: { a: [1, 'x'] }, tags: ['p', 'q,r'], n: null });
  const unprepared = await st.root([{ text: `SELECT id FROM t WHERE id = $1`, params: [1], prepare: false }]);
  assert.deepEqual(unprepared, [{ id: 1 }]);
});

test('a statement is parsed once and reused, and the least recently used is closed', async () => {
  const own = await PGlite.create();
  const fresh = new PgliteStatements(own, 3);
  const add = async (i: number, v: number) => (await fresh.root<{ v: number }>([{ text: `SELECT $1::int + ${i} AS v`, params: [v], prepare: true }]))[0].v;
  const count = async () => (await own.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements`)).rows[0].n;
  for (let i = 0; i < 3; i++) assert.equal(await add(i, 1), 1 + i);
  assert.equal(await add(0, 5), 5);
  assert.equal(await count(), 3);
  assert.equal(await add(3, 1), 4);
  // The eviction goes down with the next call; statement 1, the least recently used, is gone.
  assert.equal(await add(0, 2), 2);
  assert.equal(await count(), 3);
  assert.deepEqual((await own.query(`SELECT 1 FROM pg_prepared_statements WHERE statement LIKE '%+ 1 AS v'`)).rows, []);
  await own.close();
});

test('local settings of one call end with it', async () => {
  const [row] = await st.root<{ v: string }>([
    { text: `SELECT set_config('roster.x', $1, true)`, params: ['on'], prepare: true },
    { text: `SELECT current_setting('roster.x', true) AS v`, params: [], prepare: false },
  ]);
  assert.equal(row.v, 'on');
  const [after] = await prepared(`SELECT coalesce(current_setting('roster.x', true), '') AS v`);
  assert.equal(after.v, '');
});

test('an error fails only its own call', async () => {
  await assert.rejects(prepared(`SELECT id FROM t WHERE id = $1`, ['not a number']), { code: '22P02' });
  await assert.rejects(st.root([{ text: `SELECT nope FROM t`, params: [], prepare: true }]), { code: '42703' });
  await assert.rejects(st.root([{ text: `SELECT nope FROM t`, params: [], prepare: false }]), { code: '42703' });
  await assert.rejects(
    st.root([
      { text: `SELECT set_config('roster.x', 'on', true)`, params: [], prepare: false },
      { text: `SELECT 1/0`, params: [], prepare: true },
    ]),
    { code: '22012' },
  );
  assert.deepEqual(await prepared(`SELECT id, coalesce(current_setting('roster.x', true), '') AS x FROM t WHERE id = $1`, [1]), [{ id: 1, x: '' }]);
  assert.equal(pg.isInTransaction(), false);
});

test('inside a transaction, statements see its writes and roll back with it', async () => {
  await assert.rejects(
    pg.transaction(async () => {
      await st.inTransaction([{ text: `INSERT INTO t (id) VALUES ($1)`, params: [2], prepare: true }]);
      assert.deepEqual(await st.inTransaction([{ text: `SELECT id FROM t WHERE id = $1`, params: [2], prepare: true }]), [{ id: 2 }]);
      await st.inTransaction([{ text: `INSERT INTO t (id) VALUES ($1)`, params: [2], prepare: true }]);
    }),
    { code: '23505' },
  );
  assert.deepEqual(await prepared(`SELECT id FROM t WHERE id = $1`, [2]), []);
});
