import http from 'node:http';
import fc from 'fast-check';
import type { Db } from '../../../src/store/db.ts';
import { errorShapeFault } from '../error-shapes.ts';
import { requestArbitrary, type Fixtures, type FuzzRequest, type RouteSpec } from './requests.ts';

// Sends generated hostile requests one at a time and checks each answer: no 5xx, no hang, an
// error body in the shape of the surface it was sent to, a request id, and nothing written by
// a request that was refused (the tenant tables' fingerprint is compared around every refused
// write). Returns a tally of what came back.

const TIMEOUT_MS = 20_000;

export interface Failure {
  route: string;
  method: string;
  path: string;
  status: number;
  reason: string;
  body: string;
}

export interface Tally {
  total: number;
  byStatus: Record<string, number>;
  bySurface: Record<string, Record<string, number>>;
  fiveXX: number;
  hangs: number;
  shapeFaults: number;
  rejectedWrites: number;
  writesByRejected: number;
  failures: Failure[];
}

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

function send(base: URL, agent: http.Agent, r: FuzzRequest): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...r.headers };
    if (r.body) headers['content-length'] = r.body.length;
    const req = http.request({ host: base.hostname, port: base.port, method: r.method, path: r.path, headers, agent, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'HANG' })));
    req.on('error', reject);
    req.end(r.body);
  });
}

const TABLES = ['customers', 'users', 'product_accounts', 'tags', 'customer_tokens', 'idempotency_records'];

/** Row counts and last change of every tenant table: any write changes one of them. */
export async function fingerprint(db: Db): Promise<string> {
  const parts = TABLES.map((t) => `(SELECT count(*) || '/' || coalesce(max(${t === 'idempotency_records' ? 'created_at' : 'updated_at'})::text, '') FROM ${t})`);
  parts.push(`(SELECT count(*) || '/' || coalesce(sum(hashtext(customer_id || tag_id::text)), 0) FROM customer_tags)`);
  const [row] = await db.query<{ f: string }>(`SELECT ${parts.join(` || ',' || `)} AS f`);
  return row.f;
}

const statusClass = (s: number) => `${Math.floor(s / 100)}xx`;

export async function runFuzz(opts: { base: string; db: Db; routes: RouteSpec[]; fixtures: Fixtures; count: number; seed: number; onProgress?: (done: number, t: Tally) => void }): Promise<Tally> {
  const base = new URL(opts.base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const arb = requestArbitrary(opts.routes, opts.fixtures);
  const tally: Tally = { total: 0, byStatus: {}, bySurface: {}, fiveXX: 0, hangs: 0, shapeFaults: 0, rejectedWrites: 0, writesByRejected: 0, failures: [] };
  const fail = (r: FuzzRequest, status: number, reason: string, text = '') => {
    if (tally.failures.length < 50)
      tally.failures.push({ route: r.route, method: r.method, path: r.path.length > 400 ? r.path.slice(0, 200) + '…' + r.path.slice(-200) : r.path, status, reason, body: text.slice(0, 300) });
  };
  const BATCH = 500;
  try {
    for (let done = 0; done < opts.count; done += BATCH) {
      const batch = fc.sample(arb, { numRuns: Math.min(BATCH, opts.count - done), seed: opts.seed + done });
      for (const r of batch) {
        const write = !['GET', 'HEAD', 'OPTIONS'].includes(r.method);
        const before = write ? await fingerprint(opts.db) : undefined;
        let res: Response;
        try {
          res = await send(base, agent, r);
        } catch (e) {
          const code = (e as { code?: string }).code;
          if (code === 'HANG') {
            tally.hangs++;
            fail(r, 0, 'no answer within 20 s');
          } else fail(r, 0, `connection error ${code ?? (e as Error).message}`);
          continue;
        }
        tally.total++;
        tally.byStatus[res.status] = (tally.byStatus[res.status] ?? 0) + 1;
        const bySurface = (tally.bySurface[r.surface] ??= {});
        bySurface[statusClass(res.status)] = (bySurface[statusClass(res.status)] ?? 0) + 1;
        if (res.status >= 500) {
          tally.fiveXX++;
          fail(r, res.status, '5xx', res.text);
        }
        if (!res.headers['x-request-id']) fail(r, res.status, 'no x-request-id header');
        if (res.status >= 400 && r.method !== 'HEAD') {
          let body: unknown;
          try {
            body = JSON.parse(res.text);
          } catch {
            body = res.text;
          }
          const fault = errorShapeFault(r.surface, res.status, String(res.headers['content-type'] ?? ''), body);
          if (fault) {
            tally.shapeFaults++;
            fail(r, res.status, `error shape: ${fault}`, res.text);
          }
        }
        if (write && res.status >= 400) {
          tally.rejectedWrites++;
          if ((await fingerprint(opts.db)) !== before) {
            tally.writesByRejected++;
            fail(r, res.status, 'a refused request changed the store', res.text);
          }
        }
      }
      opts.onProgress?.(Math.min(done + BATCH, opts.count), tally);
    }
  } finally {
    agent.destroy();
  }
  return tally;
}

/** One line per surface and status class, then the failures. */
export function formatTally(label: string, t: Tally, ms: number): string {
  const lines = [
    `${label}: ${t.total} requests in ${(ms / 1000).toFixed(1)} s — 5xx ${t.fiveXX}, hangs ${t.hangs}, shape faults ${t.shapeFaults}, writes by refused requests ${t.writesByRejected} (of ${t.rejectedWrites} refused writes)`,
  ];
  for (const [s, classes] of Object.entries(t.bySurface).sort())
    lines.push(
      `  ${s.padEnd(10)} ${Object.entries(classes)
        .sort()
        .map(([c, n]) => `${c} ${n}`)
        .join('  ')}`,
    );
  lines.push(
    `  statuses: ${Object.entries(t.byStatus)
      .sort()
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')}`,
  );
  for (const f of t.failures.slice(0, 20))
    lines.push(`  FAIL ${f.status} ${f.method} ${f.path.length > 200 ? f.path.slice(0, 80) + '…' + f.path.slice(-120) : f.path} — ${f.reason} ${f.body.slice(0, 200)}`);
  return lines.join('\n');
}
