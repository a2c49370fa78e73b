// What a peer query is: the Roster comparison it stands in, the request, and how it checks its
// own answer before it is put under load.

/** The Roster queries a peer is compared on. */
export const comparisons = ['first page', 'cursor depth', 'filtered + sorted', 'selective search', 'exact count'] as const;
export type Comparison = (typeof comparisons)[number];

export interface PeerQuery {
  compares: Comparison;
  name: string;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** The server's process, whose RSS the run samples. */
  pid: number;
  /** Sends the query once and throws unless the answer holds the records it should. */
  verify(): Promise<void>;
}

/** What the bench seeded, and the arguments of Roster's queries the peers repeat. */
export interface Workload {
  databaseUrl: string;
  accountId: string;
  /** Roster's cursor page starts after the live record at this offset (created_at, id order)... */
  depth: number;
  /** ...which is this one. */
  midId: string;
  /** The selective search term. */
  search: string;
}

/** What each query must return, counted in SQL. */
export interface Expected {
  live: number;
  page: number;
  cursorPage: number;
  filtered: number;
  search: number;
  /** The LIKE pattern (lower case, wildcards escaped) that the search term makes. */
  searchPattern: string;
}

/** Sends a query once; throws on anything but 200, naming the query. */
export async function send(q: Pick<PeerQuery, 'name' | 'url' | 'method' | 'headers' | 'body'>): Promise<Response> {
  const res = await fetch(q.url, { method: q.method, headers: q.headers, body: q.body });
  if (res.status !== 200) throw new Error(`${q.name}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

export function expectEqual(name: string, what: string, got: unknown, want: unknown): void {
  if (got !== want) throw new Error(`${name}: ${what} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
}
