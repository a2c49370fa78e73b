import { uuid } from '../core/ids.ts';
import type { Db } from '../store/db.ts';
import { EVENT_JSON } from '../store/events-repo.ts';
import type { DataflowSettings } from '../config/dataflow.ts';
import { SIGNATURE_HEADER, sign } from './signature.ts';
import { onNudge } from './nudge.ts';

// Sends webhook deliveries: the rows the outbox's trigger wrote with each event (sql/triggers/roster_fan_out_events.sql).
// Any number of Roster processes on one database run a sender; each claims due deliveries with
// FOR UPDATE SKIP LOCKED and leases them, so no delivery is sent by two at once, and a process
// that dies while sending lets its lease run out, after which another sends it again
// (at-least-once). A delivery waits while an earlier delivery of the same record to the same
// endpoint is still pending: each record's events arrive in order. Sending happens outside any
// transaction, with a timeout, and at most `webhookPerEndpoint` deliveries to one endpoint are
// in flight in a process: a slow or silent receiver holds only its own share, and writes never
// wait for a delivery at all.

type Settings = Pick<DataflowSettings, 'webhookTimeoutMs' | 'webhookRetryBaseMs' | 'webhookGiveUpSeconds' | 'webhookConcurrency' | 'webhookPerEndpoint' | 'webhookPollMs'>;

interface Claimed {
  account_id: string;
  endpoint_id: string;
  event_seq: string;
  attempts: number;
  url: string;
  secret: string;
  body: string | null;
}

/** Longest a retry waits, however many attempts failed before it. */
const MAX_BACKOFF_MS = 6 * 3600_000;

/** Claims due deliveries, at most `room` of them and `perEndpoint` minus what is in flight per endpoint. */
async function claim(db: Db, s: Settings, room: number, inFlight: Map<string, number>): Promise<{ lease: string; rows: Claimed[] }> {
  const lease = uuid();
  const full = [...inFlight].filter(([, n]) => n >= s.webhookPerEndpoint).map(([k]) => k);
  const rows = await db.transaction(async (tx) => {
    const candidates = await tx.query<{ account_id: string; endpoint_id: string; event_seq: string }>(
      `SELECT d.account_id, d.endpoint_id, d.event_seq
         FROM webhook_deliveries d
         JOIN webhook_endpoints w ON w.account_id = d.account_id AND w.id = d.endpoint_id AND w.status = 'enabled'
        WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND (d.leased_until IS NULL OR d.leased_until < now())
          AND NOT (d.account_id || '/' || d.endpoint_id = ANY ($2::text[]))
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
                           WHERE p.account_id = d.account_id AND p.endpoint_id = d.endpoint_id AND p.record_key = d.record_key
                             AND p.status = 'pending' AND p.event_seq < d.event_seq)
        ORDER BY d.next_attempt_at, d.event_seq
        LIMIT $1
        FOR UPDATE OF d SKIP LOCKED`,
      [room * 4, full],
    );
    // Fair shares: no endpoint takes more than its per-endpoint room of this claim.
    const taken = new Map<string, number>();
    const chosen = candidates
      .filter((c) => {
        const k = `${c.account_id}/${c.endpoint_id}`;
        const n = (inFlight.get(k) ?? 0) + (taken.get(k) ?? 0);
        if (n >= s.webhookPerEndpoint) return false;
        taken.set(k, (taken.get(k) ?? 0) + 1);
        return true;
      })
      .slice(0, room);
    if (!chosen.length) return [];
    return tx.query<Claimed>(
      `UPDATE webhook_deliveries d SET leased_until = now() + make_interval(secs => $4::float8 / 1000), lease = $5
         FROM webhook_endpoints w, unnest($1::text[], $2::text[], $3::bigint[]) AS k (account_id, endpoint_id, event_seq)
        WHERE d.account_id = k.account_id AND d.endpoint_id = k.endpoint_id AND d.event_seq = k.event_seq
          AND w.account_id = d.account_id AND w.id = d.endpoint_id
       RETURNING d.account_id, d.endpoint_id, d.event_seq::text, d.attempts, w.url, w.secret,
                 (SELECT ${EVENT_JSON}::text FROM events e WHERE e.account_id = d.account_id AND e.seq = d.event_seq) AS body`,
      [chosen.map((c) => c.account_id), chosen.map((c) => c.endpoint_id), chosen.map((c) => c.event_seq), leaseMs(s), lease],
    );
  });
  return { lease, rows };
}

/** A lease outlasts a send that times out, with room to record the result. */
const leaseMs = (s: Settings) => 2 * s.webhookTimeoutMs + 1000;

interface Outcome {
  ok: boolean;
  status: number | null;
  error: string | null;
}

/** Posts one delivery. What is kept of a failure is its kind, never a response body. */
async function post(d: Claimed, s: Settings): Promise<Outcome> {
  if (d.body === null) return { ok: false, status: null, error: 'the event is past its retention' };
  const t = Math.floor(Date.now() / 1000);
  try {
    const res = await fetch(d.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(s.webhookTimeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Roster-Webhooks/1',
        [SIGNATURE_HEADER]: sign(d.secret, d.body, t),
        'roster-event-id': `evt_${d.event_seq}`,
        'roster-delivery-attempt': String(Number(d.attempts) + 1),
      },
      body: d.body,
    });
    await res.body?.cancel().catch(() => {});
    return res.status >= 200 && res.status < 300 ? { ok: true, status: res.status, error: null } : { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (e) {
    const err = e as { name?: string; cause?: { code?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return { ok: false, status: null, error: `no answer within ${s.webhookTimeoutMs} ms` };
    return { ok: false, status: null, error: err.cause?.code ? `could not connect (${err.cause.code})` : 'could not connect' };
  }
}

/**
 * Records an attempt, if this claim still holds the delivery. A failure is retried after an
 * exponentially growing wait; past the give-up age (3 days from its event by default) the
 * delivery fails for good and its endpoint is disabled, its other deliveries held until it is
 * enabled again.
 */
async function record(db: Db, s: Settings, d: Claimed, lease: string, o: Outcome) {
  const backoff = Math.min(MAX_BACKOFF_MS, s.webhookRetryBaseMs * 2 ** Math.min(30, Number(d.attempts)));
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ status: string }>(
      `UPDATE webhook_deliveries
          SET attempts = attempts + 1, last_attempt_at = now(), last_status = $5, last_error = $6, leased_until = NULL, lease = NULL,
              status = CASE WHEN $7::boolean THEN 'succeeded' WHEN now() >= created_at + make_interval(secs => $8::float8) THEN 'failed' ELSE 'pending' END,
              next_attempt_at = CASE WHEN $7::boolean THEN next_attempt_at ELSE now() + make_interval(secs => $9::float8 / 1000) END
        WHERE account_id = $1 AND endpoint_id = $2 AND event_seq = $3::bigint AND lease = $4
        RETURNING status`,
      [d.account_id, d.endpoint_id, d.event_seq, lease, o.status, o.error, o.ok, s.webhookGiveUpSeconds, backoff],
    );
    if (row?.status === 'failed') {
      await tx.query(`UPDATE webhook_endpoints SET status = 'disabled', updated_at = now(), disabled_reason = $3 WHERE account_id = $1 AND id = $2 AND status = 'enabled'`, [
        d.account_id,
        d.endpoint_id,
        `deliveries kept failing for ${Math.round(s.webhookGiveUpSeconds / 3600)} hours (last: ${o.error})`,
      ]);
    }
  });
}

export interface Sender {
  /** Looks for due deliveries now rather than at the next poll. */
  poke(): void;
  /** Stops claiming, and waits for the sends in flight. */
  stop(): Promise<void>;
}

export function startWebhookSender(db: Db, s: Settings, onError: (e: unknown) => void = () => {}): Sender {
  const inFlight = new Map<string, number>();
  const sends = new Set<Promise<void>>();
  let total = 0;
  let stopped = false;
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, ms);
    timer.unref();
  };

  async function tick() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    let found = 0;
    try {
      const room = s.webhookConcurrency - total;
      if (room > 0) {
        const { lease, rows } = await claim(db, s, room, inFlight);
        found = rows.length;
        for (const d of rows) launch(d, lease);
      }
    } catch (e) {
      onError(e);
    } finally {
      running = false;
    }
    // Work found: look again at once (there may be more); none: wait for the poll.
    schedule(found > 0 || again ? 0 : s.webhookPollMs);
    again = false;
  }

  function launch(d: Claimed, lease: string) {
    const k = `${d.account_id}/${d.endpoint_id}`;
    inFlight.set(k, (inFlight.get(k) ?? 0) + 1);
    total++;
    const p = (async () => {
      const outcome = await post(d, s);
      try {
        await record(db, s, d, lease, outcome);
      } catch (e) {
        // The lease runs out and another attempt follows: at-least-once.
        onError(e);
      }
    })().finally(() => {
      const n = inFlight.get(k)! - 1;
      if (n) inFlight.set(k, n);
      else inFlight.delete(k);
      total--;
      sends.delete(p);
      // A finished send may free the next delivery of its record.
      schedule(0);
    });
    sends.add(p);
  }

  schedule(0);
  const unlisten = onNudge(() => schedule(0));
  return {
    poke: () => schedule(0),
    async stop() {
      stopped = true;
      unlisten();
      clearTimeout(timer);
      await Promise.allSettled([...sends]);
    },
  };
}
