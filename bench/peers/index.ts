// The tools users would pick instead of Roster, served from the same database during the same
// bench run: Platformatic DB (generated REST) and PostGraphile (generated GraphQL). startPeers
// installs and starts them, and hands back for each the queries that match Roster's, each able to
// check its own answer before it is put under load.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import postgres from 'postgres';
import type { Comparison, Expected, PeerQuery, Workload } from './query.ts';
import { ensurePeersInstalled, installedVersion, peerNode, peersDir } from './install.ts';
import { platformaticQueries } from './platformatic-queries.ts';
import { postgraphileQueries } from './postgraphile-queries.ts';

export type { Comparison, PeerQuery, Workload } from './query.ts';
export { comparisons } from './query.ts';

export interface Peer {
  name: string;
  version: string;
  node: string;
  startupMs: number;
  pid: number;
  queries: PeerQuery[];
  /** Comparisons the peer cannot express, with the reason. */
  notExpressible: Partial<Record<Comparison, string>>;
}

export type StartChild = (name: string, argv: string[], env: Record<string, string>, ready: string, exec?: string) => Promise<ChildProcess>;

export async function startPeers(w: Workload, ports: [number, number], startChild: StartChild): Promise<Peer[]> {
  ensurePeersInstalled();
  const node = peerNode();
  const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const env = { DATABASE_URL: w.databaseUrl, NODE_ENV: 'production', GRAPHILE_ENV: 'production' };
  const start = async (name: string, file: string, port: number) => {
    const t0 = performance.now();
    const child = await startChild(name, [join(peersDir, file)], { ...env, PORT: String(port) }, `${name} ready`, node);
    return { child, startupMs: Math.round(performance.now() - t0) };
  };
  // One at a time: each introspects the database at startup, and their startup times are reported.
  const plt = await start('platformatic', 'platformatic.js', ports[0]);
  const pgl = await start('postgraphile', 'postgraphile.js', ports[1]);
  const expected = await expectations(w);
  return [
    {
      name: 'Platformatic DB',
      version: installedVersion('@platformatic/db'),
      node: nodeVersion,
      startupMs: plt.startupMs,
      pid: plt.child.pid!,
      ...(await platformaticQueries(`http://127.0.0.1:${ports[0]}`, w, expected, plt.child.pid!)),
    },
    {
      name: 'PostGraphile',
      version: installedVersion('postgraphile'),
      node: nodeVersion,
      startupMs: pgl.startupMs,
      pid: pgl.child.pid!,
      ...(await postgraphileQueries(`http://127.0.0.1:${ports[1]}`, w, expected, pgl.child.pid!)),
    },
  ];
}

async function expectations(w: Workload): Promise<Expected> {
  const searchPattern = `%${w.search.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
  const sql = postgres(w.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [c] = await sql`
      SELECT count(*)::int AS live,
             (count(*) FILTER (WHERE kyb_status = 'active' AND type = 'business'))::int AS filtered,
             (count(*) FILTER (WHERE search_text LIKE ${searchPattern}))::int AS search
        FROM customers WHERE account_id = ${w.accountId} AND deleted_at IS NULL`;
    const page = (n: number) => Math.max(0, Math.min(20, n));
    return { live: c.live, page: page(c.live), cursorPage: page(c.live - w.depth - 1), filtered: page(c.filtered), search: page(c.search), searchPattern };
  } finally {
    await sql.end();
  }
}
