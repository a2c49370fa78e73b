import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccount } from '../src/store/accounts-repo.ts';
import { probePattern } from '../src/store/compiler/search.ts';
import { seed } from '../src/seed/load.ts';
import { STORES, openTestStore, type TestStore } from './support/stores.ts';

// The trigram sample (migration 090) lets search ask the index with a term's rarest trigrams
// only. The narrowed pattern must match every row the term matches, or search would lose
// records; and it must actually be narrower for a rare term, or it buys nothing.

for (const kind of STORES) {
  describe(`search sample (${kind})`, () => {
    let s: TestStore;
    let texts: string[];
    const probe = async (pattern: string, few = 200) => (await s.db.query<{ p: string }>(`SELECT roster_search_probe('customers', $1, $2) AS p`, [pattern, few]))[0].p;

    before(async () => {
      s = await openTestStore(kind);
      const account = (await createAccount(s.db, 'Sample')).account_id;
      await seed(s.db, { accountId: account, customers: 3000, users: 10, seed: 11 });
      texts = (await s.db.query<{ search_text: string }>(`SELECT search_text FROM customers`)).map((r) => r.search_text);
    });
    after(() => s.close());

    test('a seed samples the searchable tables', async () => {
      const samples = await s.db.query<{ tbl: string; sampled: number }>(`SELECT tbl, sampled FROM search_samples ORDER BY tbl`);
      assert.deepEqual(
        samples.map((r) => r.tbl),
        ['customers', 'users'],
      );
      assert.ok(samples[0].sampled >= 1000, JSON.stringify(samples));
      const [{ n }] = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM search_trigrams WHERE tbl = 'customers' AND share > 0 AND share <= 1`);
      assert.ok(n > 500, `${n} trigrams`);
    });

    /** The narrowed pattern's trigrams, each found in the term after the one before it. */
    const inOrderApart = (narrow: string, pattern: string) => {
      const pieces = narrow.slice(1, -1).split('%');
      assert.ok(
        pieces.every((p) => /^[a-z0-9]{3}$/.test(p)),
        narrow,
      );
      const body = pattern.slice(1, -1);
      let from = 0;
      for (const p of pieces) {
        const at = body.indexOf(p, from);
        assert.ok(at >= from, `${p} of ${narrow} apart and in order in ${pattern}`);
        from = at + 3;
      }
      return pieces.length;
    };

    test('a narrowed pattern still matches every row the term matches, and is narrower for rare terms', async () => {
      let narrowed = 0;
      let several = 0;
      // Terms cut from the stored texts: pieces of them, whole names and phone numbers (whose
      // trigrams are common, so more than one is needed).
      const terms: string[] = [];
      for (let i = 0; i < 160; i++) {
        const text = texts[(i * 7919) % texts.length];
        const start = (i * 31) % Math.max(1, text.length - 3);
        const words = text.split(' ');
        if (i % 4 === 0) terms.push(words.slice(0, 2).join(' '));
        else if (i % 4 === 1)
          terms.push(words.find((w) => w.startsWith('+')) ?? words[0]); // a phone number: several parts
        else terms.push(text.slice(start, start + 3 + (i % 18)).trim());
      }
      // On an account this small one trigram mostly suffices; asked for fewer expected rows, the
      // probe takes several, as it does for a name token on a large table.
      for (const [i, term] of terms.filter((t) => t.length >= 3).entries()) {
        const pattern = probePattern(term);
        const narrow = await probe(pattern, i % 2 ? 200 : 0.5);
        if (narrow !== pattern) {
          narrowed++;
          if (inOrderApart(narrow, pattern) > 1) several++;
        }
        const [{ lost }] = await s.db.query<{ lost: number }>(`SELECT count(*)::int AS lost FROM customers WHERE search_text LIKE $1 AND NOT search_text LIKE $2`, [pattern, narrow]);
        assert.equal(lost, 0, `${term}: ${pattern} -> ${narrow}`);
      }
      assert.ok(narrowed >= 30, `only ${narrowed} of the terms were narrowed`);
      assert.ok(several >= 5, `only ${several} narrowed to more than one trigram`);
    });

    test('a rare term is asked with its rarest trigrams', async () => {
      const email = texts
        .find((t) => /\d{4}@/.test(t))!
        .split(' ')
        .find((w) => w.includes('@'))!;
      const pattern = probePattern(email.split('@')[0]);
      const narrow = await probe(pattern);
      assert.notEqual(narrow, pattern);
      inOrderApart(narrow, pattern);
    });

    test('without a sample, or with characters the sample does not cover, the pattern is left alone', async () => {
      for (const pattern of ['%jürgen%', '%a\\_b%', '%ab%']) assert.equal(await probe(pattern), pattern);
      const email = texts[0].split(' ').find((w) => w.includes('@'))!;
      const pattern = probePattern(email.split('@')[0]);
      await s.db
        .transaction(async (tx) => {
          await tx.query(`DELETE FROM search_samples`);
          const [{ p }] = await tx.query<{ p: string }>(`SELECT roster_search_probe('customers', $1) AS p`, [pattern]);
          assert.equal(p, pattern);
          throw new Rollback();
        })
        .catch((e) => {
          if (!(e instanceof Rollback)) throw e;
        });
      assert.equal((await s.db.query(`SELECT 1 FROM search_samples`)).length, 2);
    });
  });
}

class Rollback extends Error {}
