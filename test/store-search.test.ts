import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, openTestStore, type TestStore } from './support/stores.ts';
import { createAccount } from '../src/store/accounts-repo.ts';
import { seed } from '../src/seed/load.ts';
import { compileList, type ListRow, type SearchTuning } from '../src/store/compiler/compile-list.ts';
import { probePattern } from '../src/store/compiler/search.ts';
import { scopeQuery } from '../src/core/scope.ts';
import { listQuery, eq, type Anchor, type ListQuery, type SortTerm } from '../src/core/list-query.ts';

// A trigram search finds its page one of four ways (a short walk of the sort order, the sorted
// candidates of a selective term, a longer walk, every candidate sorted), chosen by the statement
// as it runs. Each tuning below forces one of them on a small account; every way must return
// exactly the oracle's pages, walked forward and backward by id and by cursor values, and by
// offset, with filters and in several orders.

type Row = Record<string, string | null> & { id: string };

const FIELDS = ['name', 'first_name', 'last_name', 'email', 'phone_number', 'external_id', 'id'] as const;
const SORTS: SortTerm[][] = [
  [{ key: 'created_at', dir: 'asc' }],
  [{ key: 'name', dir: 'desc' }],
  [
    { key: 'kyb_status', dir: 'asc' },
    { key: 'created_at', dir: 'desc' },
  ],
  [{ key: 'number', dir: 'desc' }],
];
/** Each forces one way on an account this small (see `adaptive` in lookup-ways.ts). */
const TUNINGS: [string, Partial<SearchTuning> | undefined][] = [
  ['as shipped', undefined],
  ['without the trigram sample', { sample: false }],
  ['sorted candidates', { cap: 1_000_000, short: 1, sample: false }],
  ['the longer walk', { cap: 0, short: 1, walk: 1_000_000, sample: false }],
  ['every candidate after a cut walk', { cap: 0, short: 1, walk: 1, sample: false }],
];

for (const kind of STORES) {
  describe(`adaptive search (${kind})`, () => {
    let s: TestStore;
    let account: string;
    let other: string;
    let rows: Row[];
    // Position of each record in each order, with the id tiebreak, as Postgres orders them.
    const rank = new Map<string, Map<string, number>>();

    before(async () => {
      s = await openTestStore(kind);
      account = (await createAccount(s.db, 'Search')).account_id;
      await seed(s.db, { accountId: account, customers: 600, users: 0, seed: 5 });
      // Another account with the same kind of data: its records must never show up.
      other = (await createAccount(s.db, 'Other')).account_id;
      await seed(s.db, { accountId: other, customers: 150, users: 0, seed: 6 });
      rows = await s.db.query<Row>(`SELECT id, name, first_name, last_name, email, phone_number, external_id, kyb_status, deleted_at::text AS deleted_at FROM customers WHERE account_id = $1`, [
        account,
      ]);
      for (const sort of SORTS) {
        const order = [...sort.map((t) => `${t.key === 'name' ? 'sort_name' : t.key} ${t.dir}`), `id ${sort.at(-1)!.dir}`].join(', ');
        const ranked = await s.db.query<{ id: string; n: number }>(`SELECT id, row_number() OVER (ORDER BY ${order})::int AS n FROM customers WHERE account_id = $1`, [account]);
        rank.set(JSON.stringify(sort), new Map(ranked.map((r) => [r.id, r.n])));
      }
    });
    after(() => s.close());

    const run = async (q: ListQuery, tuning: Partial<SearchTuning> | undefined, as = account) => {
      const stmt = compileList(scopeQuery(q, as), { search: tuning });
      const [row] = await s.db.reader(as).query<ListRow>(stmt.text, stmt.params, { prepare: stmt.prepare });
      const records = JSON.parse(row.records) as { id: string }[];
      return { ids: records.map((r) => r.id), keys: row.keys ?? [], more: row.more, other: row.has_other_side, total: row.total === null ? undefined : Number(row.total) };
    };

    /** Terms drawn from the data: very common, common, selective, with separators, none. */
    const terms = () => {
      const some = rows.find((r) => r.email && !r.deleted_at && r.last_name)!;
      return [
        'example', // every email
        some.last_name!.toLowerCase().slice(0, 4),
        some.email!.split('@')[0], // one record, with dots in it
        some.id.slice(5, 14).toLowerCase(),
        'zzqxj',
      ];
    };

    for (const [label, tuning] of TUNINGS) {
      test(`${label}: every page, forward and backward, by offset, with filters and sorts, is the oracle's`, async () => {
        let combo = 0;
        for (const term of terms()) {
          for (const filtered of [false, true]) {
            const sort = SORTS[combo++ % SORTS.length];
            const order = rank.get(JSON.stringify(sort))!;
            const expected = rows
              .filter((r) => !r.deleted_at && (!filtered || r.kyb_status === 'active'))
              .filter((r) => FIELDS.some((f) => (r[f] ?? '').toLowerCase().includes(term)))
              .sort((a, b) => order.get(a.id)! - order.get(b.id)!)
              .map((r) => r.id);
            const limit = Math.max(3, Math.ceil(expected.length / 5));
            const base = {
              resource: 'customers' as const,
              search: { term, fields: [...FIELDS], mode: 'substring' as const },
              filter: filtered ? eq('kyb_status', 'active') : undefined,
              sort,
            };
            const what = JSON.stringify({ term, filtered, sort, label });
            const query = (page: ListQuery['page'], count = false) => listQuery({ ...base, filter: base.filter ?? { kind: 'and', filters: [] }, page, count });

            // Forward, anchors alternating between cursor values and record ids.
            const seen: string[] = [];
            let page = await run(query({ kind: 'keyset', limit }, true), tuning);
            assert.equal(page.total, expected.length, `count ${what}`);
            for (let i = 0; ; i++) {
              seen.push(...page.ids);
              assert.equal(page.more, seen.length < expected.length, `more after ${what}`);
              if (i > 0) assert.equal(page.other, true, `more before ${what}`);
              if (!page.more) break;
              const [values, id] = page.keys.at(-1)!;
              const after: Anchor = i % 2 ? { values, id } : { id };
              page = await run(query({ kind: 'keyset', limit, after }), tuning);
            }
            assert.deepEqual(seen, expected, `forward ${what}`);

            // Backward from the last record.
            if (expected.length > 1) {
              const back: string[] = [];
              let p = await run(query({ kind: 'keyset', limit, before: { id: expected.at(-1)! } }), tuning);
              for (let i = 0; ; i++) {
                back.unshift(...p.ids);
                assert.equal(p.other, true, `the anchor lies after ${what}`);
                assert.equal(p.more, back.length < expected.length - 1, `more before, backward ${what}`);
                if (!p.more) break;
                const [values, id] = p.keys[0]!;
                p = await run(query({ kind: 'keyset', limit, before: i % 2 ? { values, id } : { id } }), tuning);
              }
              assert.deepEqual(back, expected.slice(0, -1), `backward ${what}`);
            }

            // Offset pages, past the end too.
            for (let offset = 0; offset <= expected.length; offset += limit * 2) {
              const p = await run(query({ kind: 'offset', limit, offset }), tuning);
              assert.deepEqual(p.ids, expected.slice(offset, offset + limit), `offset ${offset} ${what}`);
              assert.equal(p.more, offset + limit < expected.length, `more at offset ${offset} ${what}`);
            }
          }
        }
      });
    }

    test("another account's records never show up, in every way, though a search in that account finds them", async () => {
      const [theirs] = await s.db.query<{ id: string; email: string }>(`SELECT id, email FROM customers WHERE account_id = $1 AND deleted_at IS NULL AND email IS NOT NULL ORDER BY id LIMIT 1`, [
        other,
      ]);
      const term = theirs.email.split('@')[0].toLowerCase();
      const here = rows
        .filter((r) => !r.deleted_at && FIELDS.some((f) => (r[f] ?? '').toLowerCase().includes(term)))
        .map((r) => r.id)
        .sort();
      for (const [label, tuning] of TUNINGS) {
        const q = listQuery({ resource: 'customers', search: { term, fields: [...FIELDS], mode: 'substring' }, page: { kind: 'keyset', limit: 100 }, count: true });
        const there = await run(q, tuning, other);
        assert.ok(there.ids.includes(theirs.id), `${label}: the search finds the record in its own account`);
        const mine = await run(q, tuning);
        assert.deepEqual([...mine.ids].sort(), here, `${label}: only this account's matches`);
        assert.equal(mine.total, here.length, `${label}: and only they are counted`);
      }
    });

    test('deleted records are searched when asked for, in every way', async () => {
      const term = 'example';
      const expected = rows
        .filter((r) => r.deleted_at)
        .sort((a, b) => rank.get(JSON.stringify(SORTS[0]))!.get(a.id)! - rank.get(JSON.stringify(SORTS[0]))!.get(b.id)!)
        .map((r) => r.id);
      assert.ok(expected.length > 0, 'the seed deletes some records');
      for (const [label, tuning] of TUNINGS) {
        const q = listQuery({ resource: 'customers', search: { term, fields: [...FIELDS], mode: 'substring' }, sort: SORTS[0], deleted: 'only', page: { kind: 'keyset', limit: 100 } });
        assert.deepEqual((await run(q, tuning)).ids, expected, label);
      }
    });
  });
}

test('the trigram lookup pattern never loses a match', () => {
  // Separators become one-character wildcards, so the index is asked only for trigrams inside
  // words; a term with no three letters or digits in a row keeps its own pattern.
  assert.equal(probePattern('quigley.wyman.370000'), '%quigley_wyman_370000%');
  assert.equal(probePattern('+1 (200) 037'), '%_1__200__037%');
  assert.equal(probePattern('a_%\\b'), '%a\\_\\%\\\\b%');
  assert.equal(probePattern('jürgen-ß'), '%jürgen_ß%');
  for (const [term, text] of [
    ["o'neil", "x o'neil y"],
    ['a.b.cde', 'za.b.cdez'],
    ['50%_off', 'get 50%_off now'],
  ]) {
    const like = new RegExp(
      '^' +
        probePattern(term).replace(/\\(.)|([%_])|([^%_\\])/g, (_, esc, wild, ch) =>
          esc ? esc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : wild === '%' ? '.*' : wild === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        ) +
        '$',
      's',
    );
    assert.match(text, like, `${term} in ${text}`);
  }
});
