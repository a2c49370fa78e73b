import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { type HistogramSeries, SeriesCounter, SeriesHistogram } from './series-metrics.ts';
import { type DbSpan, tracing } from './tracing.ts';

// What GET /metrics reports, in Prometheus's text format. Labels hold route patterns, surface
// names, status codes and fixed words, never a path, an id, a key or a value from a request, so
// no personal data reaches a metrics store and the number of series stays bounded.

export const registry = new Registry();
// The process's own: CPU, resident memory, heap, event-loop lag, garbage collection.
collectDefaultMetrics({ register: registry });

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

// Observed on every request and statement: series resolved once (series-metrics.ts).
export const httpRequests = new SeriesCounter(
  'roster_http_requests_total',
  'HTTP requests answered, by surface, route pattern, method and status code (errors: status 4xx and 5xx)',
  ['surface', 'route', 'method', 'status'],
  registry,
);

export const httpDuration = new SeriesHistogram({
  name: 'roster_http_request_duration_seconds',
  help: 'Time from a request arriving to its response being sent, by surface, route pattern and method',
  labelNames: ['surface', 'route', 'method'],
  buckets: SECONDS,
  registry,
});

export const rateLimitRejections = new Counter({
  name: 'roster_rate_limit_rejections_total',
  help: 'Requests refused with 429 by the rate limiter, by surface and by whom they were counted against',
  labelNames: ['surface', 'subject'] as const,
  registers: [registry],
});

export const statementDuration = new SeriesHistogram({
  name: 'roster_db_statement_duration_seconds',
  help: 'Time a statement took from being sent to its result, by store, database (primary or replica) and kind (query, transaction statement, tenant read)',
  labelNames: ['store', 'target', 'kind'],
  buckets: SECONDS,
  registry,
});

/** What `timed` observes statements of one store, database and kind into. */
export interface StatementSeries {
  span: DbSpan;
  series: HistogramSeries;
}
export const statementSeries = (span: DbSpan): StatementSeries => ({ span, series: statementDuration.of({ ...span }) });

export const transactionRetries = new Counter({
  name: 'roster_db_transaction_retries_total',
  help: 'Transactions run again after losing a race (deadlock or serialization failure)',
  registers: [registry],
});

/** A connection pool, as /metrics sees it when scraped. */
export interface PoolStats {
  /** write (the shared pool), read (tenant readers), replica (tenant readers on a standby), embedded. */
  pool: string;
  size: number;
  inUse: number;
  waiting: number;
}

const pools = new Set<() => PoolStats[]>();

/** Reports a store's pools at every scrape until the returned function is called (on close). */
export function registerPools(stats: () => PoolStats[]): () => void {
  pools.add(stats);
  return () => pools.delete(stats);
}

const poolGauge = (name: string, help: string, value: (p: PoolStats) => number) =>
  new Gauge({
    name,
    help,
    labelNames: ['pool'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const stats of pools) for (const p of stats()) this.inc({ pool: p.pool }, value(p));
    },
  });
poolGauge('roster_db_pool_connections', 'Connections a pool may open', (p) => p.size);
poolGauge('roster_db_pool_in_use', 'Connections of a pool busy with a statement or a transaction', (p) => p.inUse);
poolGauge('roster_db_pool_waiting', 'Statements and transactions waiting for a connection of the pool', (p) => p.waiting);

/** Counts of work waiting in a queue (events, webhook deliveries), by queue name. */
export type BacklogSource = () => Promise<Record<string, number>> | Record<string, number>;

const backlogs = new Set<BacklogSource>();
/** How long a scrape waits for a backlog source before reporting without it. */
const BACKLOG_TIMEOUT_MS = 2_000;

/**
 * Adds a source of backlog counts (the events outbox, webhook deliveries) to /metrics, as
 * `roster_backlog{queue}`; asked at each scrape. A source that fails or is slow is left out of
 * that scrape, and counted in roster_backlog_failures_total.
 */
export function registerBacklog(source: BacklogSource): () => void {
  backlogs.add(source);
  return () => backlogs.delete(source);
}

/** The counts of one scrape, shared by the two metrics that report them. */
let asking: Promise<{ counts: Record<string, number>; failed: number }> | undefined;
let failures = 0;

function askBacklogs() {
  asking ??= (async () => {
    const counts: Record<string, number> = {};
    let failed = 0;
    await Promise.all(
      [...backlogs].map(async (source) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('backlog source timed out')), BACKLOG_TIMEOUT_MS);
          });
          Object.assign(counts, await Promise.race([source(), timeout]));
        } catch {
          failed++;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return { counts, failed };
  })().finally(() => {
    asking = undefined;
  });
  return asking;
}

new Gauge({
  name: 'roster_backlog',
  help: 'Work waiting in a queue (events not yet handled, webhook deliveries not yet made), by queue',
  labelNames: ['queue'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const [queue, n] of Object.entries((await askBacklogs()).counts)) this.set({ queue }, n);
  },
});

new Counter({
  name: 'roster_backlog_failures_total',
  help: 'Times a backlog source failed or was too slow to answer a scrape',
  registers: [registry],
  async collect() {
    const { failed } = await askBacklogs();
    failures += failed;
    this.reset();
    this.inc(failures);
  },
});

/** Times `work` into a series of statementDuration, in a span of its own when tracing is on. */
export async function timed<T>({ span, series }: StatementSeries, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const t = tracing();
  try {
    return await (t ? t.db(span, work) : work());
  } finally {
    series.observe((performance.now() - start) / 1000);
  }
}
