// Roster's compared queries in PostGraphile's generated GraphQL: the allCustomers connection with
// equality conditions, orderBy, `after` cursors and totalCount, POSTed as JSON.
import { expectEqual, send, type Comparison, type Expected, type PeerQuery, type Workload } from './query.ts';

export async function postgraphileQueries(base: string, w: Workload, e: Expected, pid: number) {
  const url = `${base}/graphql`;
  const post = (compares: Comparison, name: string, query: string, variables: Record<string, unknown>) => ({
    compares,
    name,
    url,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    pid,
  });
  const data = async (q: Omit<PeerQuery, 'verify'>) => {
    const body = await (await send(q)).json();
    if (body.errors) throw new Error(`${q.name}: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const nodes = (q: Omit<PeerQuery, 'verify'>, want: number): PeerQuery => ({
    ...q,
    async verify() {
      expectEqual(q.name, 'the number of records', (await data(q)).allCustomers.nodes.length, want);
    },
  });

  // Every column, as Roster and Platformatic return whole records: the Customer type's scalar
  // fields, less the Node interface's global id (not a column).
  const type = await data(post('first page', 'postgraphile: Customer fields', '{ __type(name: "Customer") { fields { name type { kind ofType { kind ofType { kind ofType { kind } } } } } } }', {}));
  const leaf = (t: { kind: string; ofType?: any }): string => (t.ofType ? leaf(t.ofType) : t.kind);
  const columns = type.__type.fields.filter((f: any) => f.name !== 'id' && ['SCALAR', 'ENUM'].includes(leaf(f.type))).map((f: any) => f.name);
  const fragment = `fragment Record on Customer { ${columns.join(' ')} }`;
  const page = (args: string) => `query($account: String!, $after: Cursor) {
    allCustomers(first: 20, after: $after, ${args}) { nodes { ...Record } pageInfo { hasNextPage endCursor } }
  } ${fragment}`;
  const live = 'accountId: $account, deletedAt: null';
  const oldestFirst = 'orderBy: [CREATED_AT_ASC, ROW_ID_ASC]';
  const account = { account: w.accountId };

  // The cursor of the record Roster's deep page starts after, as PostGraphile hands it out.
  const probe = post(
    'cursor depth',
    'postgraphile: cursor probe',
    `query($account: String!, $offset: Int!) {
    allCustomers(first: 1, offset: $offset, condition: { ${live} }, ${oldestFirst}) { edges { cursor node { rowId } } }
  }`,
    { ...account, offset: w.depth },
  );
  const [edge] = (await data(probe)).allCustomers.edges;
  expectEqual(probe.name, 'the record at the depth', edge?.node.rowId, w.midId);

  // As Roster's count=true&limit=1: the total beside one record.
  const count = post(
    'exact count',
    'postgraphile: totalCount, live records',
    `query($account: String!) {
    allCustomers(first: 1, condition: { ${live} }, ${oldestFirst}) { totalCount nodes { ...Record } }
  } ${fragment}`,
    account,
  );
  const queries: PeerQuery[] = [
    nodes(post('first page', 'postgraphile: first page', page(`condition: { ${live} }, ${oldestFirst}`), account), e.page),
    nodes(post('cursor depth', `postgraphile: page at cursor depth ${w.depth} (after)`, page(`condition: { ${live} }, ${oldestFirst}`), { ...account, after: edge.cursor }), e.cursorPage),
    nodes(
      post('filtered + sorted', 'postgraphile: filtered + sorted page', page(`condition: { ${live}, kybStatus: "active", type: "business" }, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]`), account),
      e.filtered,
    ),
    {
      ...count,
      async verify() {
        const { totalCount, nodes } = (await data(count)).allCustomers;
        expectEqual(count.name, 'totalCount', totalCount, e.live);
        expectEqual(count.name, 'the number of records', nodes.length, Math.min(1, e.live));
      },
    },
  ];
  const notExpressible: Partial<Record<Comparison, string>> = {
    'selective search': 'conditions are equality only; a contains match needs a community filter plugin',
  };
  return { queries, notExpressible };
}
