import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORES, openTestStore, type TestStore } from '../../test/support/stores.ts';
import { prng } from '../seed/random.ts';

// roster_kyc_status was rewritten without a subquery (migration 060): it must give what the
// body in 001-init gave, for every input. The old body is recreated here as the reference.
const REFERENCE = `
CREATE FUNCTION kyc_status_reference(application jsonb, kyc_links jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN application ->> 'decision' = 'approved' THEN 'approved'
    WHEN application ->> 'decision' IN ('declined', 'auto_declined') THEN 'rejected'
    WHEN application ->> 'decision' = 'withdrawn' THEN 'expired'
    ELSE coalesce(
      (SELECT CASE l ->> 'status'
                WHEN 'created' THEN 'not_started'
                WHEN 'completed' THEN 'approved'
                WHEN 'needs_review' THEN 'in_review'
                ELSE l ->> 'status' END
         FROM jsonb_array_elements(coalesce(kyc_links, '[]'::jsonb)) AS l
        WHERE l ->> 'link_type' = 'persona' AND (l ->> 'deleted_at') IS NULL
        ORDER BY (l ->> 'created_at') DESC
        LIMIT 1),
      CASE WHEN application IS NOT NULL AND application ->> 'status' IS NOT NULL THEN 'pending' END,
      'not_started')
  END
$$`;

/** A case: a key left out stands for SQL NULL, a key set to null for JSON null. */
type Case = { application?: unknown; links?: unknown };

function cases(): Case[] {
  const rnd = prng(2024);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const out: Case[] = [
    {},
    { links: [] },
    { application: null },
    { links: null, application: { decision: 'approved' } },
    { application: { status: 'submitted' } },
    { application: { status: null } },
    { application: [] },
    { application: 'x' },
    { application: { decision: 'withdrawn' }, links: [{ link_type: 'persona', status: 'completed', created_at: 'a' }] },
    { links: [1, 'x', null, [], { link_type: 'persona' }] },
    {
      links: [
        { link_type: 'persona', status: 'created', created_at: '2024-01-01' },
        { link_type: 'persona', status: 'completed', created_at: '2024-02-01' },
      ],
    },
    {
      links: [
        { link_type: 'persona', status: 'completed', created_at: '2024-02-01' },
        { link_type: 'persona', status: 'needs_review' },
      ],
    },
    {
      links: [
        { link_type: 'persona', status: 'completed', created_at: '2024-02-01', deleted_at: '2024-03-01' },
        { link_type: 'persona', status: 'created', created_at: '2023-01-01', deleted_at: null },
      ],
    },
    { links: [{ link_type: 'tos', status: 'completed', created_at: '2025-01-01' }], application: { status: 'x' } },
  ];
  const statuses = ['created', 'completed', 'needs_review', 'approved', 'pending', 'expired', undefined];
  for (let n = 0; n < 3000; n++) {
    const links = [];
    const count = Math.floor(rnd() * 5);
    let undated = false;
    for (let i = 0; i < count; i++) {
      const link: Record<string, unknown> = { link_type: pick(['persona', 'persona', 'tos', undefined]) };
      const status = pick(statuses);
      if (status) link.status = status;
      const deleted = rnd();
      if (deleted < 0.2) link.deleted_at = '2025-06-01T00:00:00Z';
      else if (deleted < 0.3) link.deleted_at = null;
      // Distinct instants, and at most one link without one: the old ORDER BY ... LIMIT 1 left
      // ties to chance, so they have no single right answer to compare.
      if (rnd() < 0.15 && !undated) undated = true;
      else link.created_at = `2024-0${1 + i}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}T00:00:0${i}Z`;
      links.push(link);
    }
    const c: Case = {};
    if (rnd() < 0.9) c.links = links;
    const a = rnd();
    if (a < 0.5) c.application = { status: pick(['submitted', 'approved', null]), decision: pick(['approved', 'declined', 'auto_declined', 'withdrawn', null, 'other']) };
    else if (a < 0.6) c.application = null;
    out.push(c);
  }
  return out;
}

for (const kind of STORES) {
  describe(`roster_kyc_status (${kind})`, () => {
    let store: TestStore;
    before(async () => {
      store = await openTestStore(kind);
      await store.db.exec(REFERENCE);
    });
    after(() => store.close());

    test('gives what the original SQL body gave', async () => {
      const all = cases();
      const rows = await store.db.query<{ i: string; now: string; was: string }>(
        `SELECT i, roster_kyc_status(a, l) AS now, kyc_status_reference(a, l) AS was
           FROM (SELECT i, CASE WHEN c ? 'application' THEN c -> 'application' END AS a, CASE WHEN c ? 'links' THEN c -> 'links' END AS l
                   FROM jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS t(c, i)) x`,
        [JSON.stringify(all)],
      );
      assert.equal(rows.length, all.length);
      for (const r of rows) assert.equal(r.now, r.was, JSON.stringify(all[Number(r.i) - 1]));
      assert.ok(new Set(rows.map((r) => r.now)).size >= 5, 'the cases reach most outcomes');
    });

    test('refuses links that are not an array as the original did, unless a decision settles it', async () => {
      for (const links of ['{}', '"x"', '5', 'null']) {
        const now = await store.db.query(`SELECT roster_kyc_status(NULL, $1::text::jsonb)`, [links]).then(
          () => 'ok',
          (e: Error) => e.message,
        );
        const was = await store.db.query(`SELECT kyc_status_reference(NULL, $1::text::jsonb)`, [links]).then(
          () => 'ok',
          (e: Error) => e.message,
        );
        assert.notEqual(now, 'ok');
        assert.equal(now, was);
        const [decided] = await store.db.query<{ s: string }>(`SELECT roster_kyc_status('{"decision":"approved"}', $1::text::jsonb) AS s`, [links]);
        assert.equal(decided.s, 'approved');
      }
    });
  });
}
