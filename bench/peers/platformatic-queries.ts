// Roster's compared queries in Platformatic DB's generated REST API: where.<field>.<op> filters,
// orderby.<field>, startAfter cursors and totalCount (the X-Total-Count header).
import { expectEqual, send, type Comparison, type Expected, type PeerQuery, type Workload } from './query.ts';

export async function platformaticQueries(base: string, w: Workload, e: Expected, pid: number) {
  const live = `where.accountId.eq=${encodeURIComponent(w.accountId)}&where.deletedAt.isNull=true`;
  const oldestFirst = 'orderby.createdAt=asc&orderby.id=asc';
  const get = (compares: Comparison, name: string, query: string) => ({ compares, name, url: `${base}/customers?${query}`, method: 'GET' as const, headers: {}, pid });
  const rows = (q: Omit<PeerQuery, 'verify'>, want: number): PeerQuery => ({
    ...q,
    async verify() {
      const body = await (await send(q)).json();
      expectEqual(q.name, 'the number of records', Array.isArray(body) ? body.length : body, want);
    },
  });

  // The cursor of the record Roster's deep page starts after, as Platformatic hands it out.
  const probe = get('cursor depth', 'platformatic: cursor probe', `limit=1&offset=${w.depth}&${live}&${oldestFirst}&cursor=true`);
  const res = await send(probe);
  expectEqual(probe.name, 'the record at the depth', (await res.json())[0]?.id, w.midId);
  const cursor = res.headers.get('x-start-after')!;

  // As Roster's count=true&limit=1: the total (X-Total-Count) beside one record.
  const count = get('exact count', 'platformatic: totalCount (X-Total-Count), live records', `limit=1&${live}&${oldestFirst}&totalCount=true`);
  const queries: PeerQuery[] = [
    rows(get('first page', 'platformatic: first page', `limit=20&${live}&${oldestFirst}`), e.page),
    rows(get('cursor depth', `platformatic: page at cursor depth ${w.depth} (startAfter)`, `limit=20&${live}&${oldestFirst}&startAfter=${encodeURIComponent(cursor)}`), e.cursorPage),
    rows(get('filtered + sorted', 'platformatic: filtered + sorted page', `limit=20&${live}&where.kybStatus.eq=active&where.type.eq=business&orderby.createdAt=desc&orderby.id=desc`), e.filtered),
    // Roster searches the trigram-indexed search_text column (name, email, phone, ids); the same
    // column with LIKE is the closest Platformatic offers, and it reaches the same index.
    rows(get('selective search', 'platformatic: search, selective (searchText LIKE)', `limit=20&${live}&where.searchText.like=${encodeURIComponent(e.searchPattern)}`), e.search),
    {
      ...count,
      async verify() {
        const res = await send(count);
        expectEqual(count.name, 'X-Total-Count', Number(res.headers.get('x-total-count')), e.live);
        expectEqual(count.name, 'the number of records', (await res.json()).length, Math.min(1, e.live));
      },
    },
  ];
  return { queries, notExpressible: {} };
}
