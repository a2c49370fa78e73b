import type { Db, Queryable } from './db.ts';

// The event feed (the outbox the triggers of sql/triggers/roster_*_events.sql write). Events are numbered in
// the order their changes took their records' locks; the API shows the number as `evt_<n>`.

/** An event as every surface shows it, built by Postgres and passed through as text. */
export const EVENT_JSON = `json_build_object('id', 'evt_' || e.seq, 'object', 'event', 'type', e.type,
  'created_at', roster_iso(e.created_at), 'account', e.account_id, 'data', e.data)`;

export const eventId = (seq: string | number | bigint) => `evt_${seq}`;
/** The number of an `evt_<n>` id, or undefined for anything else. */
export function eventSeq(id: string): string | undefined {
  const m = /^evt_([1-9][0-9]{0,17})$/.exec(id);
  return m ? m[1] : undefined;
}

export interface EventListOptions {
  limit: number;
  /** Exact types; empty for all. */
  types: string[];
  /** Newest first (the default): `after` pages towards older events, `before` towards newer. */
  after?: string;
  before?: string;
}

export interface EventPage {
  json: string;
  hasMore: boolean;
}

/**
 * A page of an account's events, newest first. `after`: events older than that one; `before`:
 * events newer than it (still returned newest first). A newer event can appear below the top
 * of a page already read while the write that made it commits: an event's number is taken
 * when its change is made, not when it commits. Webhooks deliver each record's events in order.
 */
export async function listEvents(tx: Queryable, accountId: string, o: EventListOptions): Promise<EventPage> {
  const params: unknown[] = [accountId, o.limit + 1];
  const where = ['e.account_id = $1'];
  if (o.types.length) where.push(`e.type = ANY($${params.push(o.types)}::text[])`);
  if (o.after) where.push(`e.seq < $${params.push(o.after)}::bigint`);
  // Towards newer events: the ones just above the anchor, then shown newest first.
  const ascending = o.before !== undefined && o.after === undefined;
  if (o.before) where.push(`e.seq > $${params.push(o.before)}::bigint`);
  const [row] = await tx.query<{ records: string; n: number }>(
    `SELECT coalesce(json_agg(x.j ORDER BY x.seq DESC) FILTER (WHERE x.rn <= $2 - 1), '[]')::text AS records, count(*)::int AS n
       FROM (SELECT e.seq, ${EVENT_JSON} AS j, row_number() OVER (ORDER BY e.seq ${ascending ? 'ASC' : 'DESC'}) AS rn
               FROM events e WHERE ${where.join(' AND ')} ORDER BY e.seq ${ascending ? 'ASC' : 'DESC'} LIMIT $2) x`,
    params,
  );
  return { json: row.records, hasMore: row.n > o.limit };
}

export async function getEvent(tx: Queryable, accountId: string, seq: string): Promise<string | undefined> {
  const [row] = await tx.query<{ j: string }>(`SELECT ${EVENT_JSON}::text AS j FROM events e WHERE e.account_id = $1 AND e.seq = $2::bigint`, [accountId, seq]);
  return row?.j;
}

/**
 * Removes events older than the retention, and finished deliveries as old, in bounded chunks
 * so that no statement holds many rows at once. Returns how many events went.
 */
export async function purgeEvents(db: Db, retentionDays: number, chunk = 10_000): Promise<number> {
  let removed = 0;
  for (;;) {
    const rows = await db.query<{ n: number }>(
      `WITH gone AS (DELETE FROM events WHERE ctid = ANY (ARRAY(
          SELECT ctid FROM events WHERE created_at < now() - make_interval(secs => $1 * 86400) LIMIT $2)) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [retentionDays, chunk],
    );
    removed += rows[0].n;
    if (rows[0].n < chunk) break;
  }
  await db.query(`DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < now() - make_interval(secs => $1 * 86400)`, [retentionDays]);
  return removed;
}

/** Purges on a timer (hourly) in a running server; returns the function that stops it. */
export function keepEventsPurged(db: Db, retentionDays: number, onError: (e: unknown) => void, everyMs = 3_600_000): () => void {
  const run = () => purgeEvents(db, retentionDays).catch(onError);
  const first = setTimeout(run, 60_000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
