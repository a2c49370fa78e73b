import { ksuid, randomToken } from '../core/ids.ts';
import { invalid, notFound, RosterError } from '../core/errors.ts';
import { expandEventType } from '../core/event-types.ts';
import { eventId, eventSeq } from './events-repo.ts';
import type { Db, Queryable } from './db.ts';

// Webhook endpoints of an account and the log of their deliveries. Deliveries are written by
// the outbox's trigger with each event (sql/triggers/roster_fan_out_events.sql) and sent by src/webhooks/sender.ts.
// Callers run these inside inAccount, so row-level security applies.

export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  events: string[];
  description: string | null;
  status: 'enabled' | 'disabled';
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

const COLS = `w.id, 'webhook_endpoint' AS object, w.url, w.events, w.description, w.status, w.disabled_reason,
  roster_iso(w.created_at) AS created_at, roster_iso(w.updated_at) AS updated_at`;

/** A URL Roster can post to: http or https, with a host. Loopback and private hosts are allowed (a self-hosted receiver is often one). */
function checkUrl(url: string) {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalid('url', 'must be an absolute http or https URL');
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) throw invalid('url', 'must be an absolute http or https URL');
  if (u.username || u.password) throw invalid('url', 'must not hold credentials');
}

function expandEvents(patterns: string[]): string[] {
  const out = new Set<string>();
  for (const [i, p] of patterns.entries()) {
    const types = expandEventType(p);
    if (!types)
      throw new RosterError('invalid_request', `events[${i}]: unknown event type ${JSON.stringify(p)}`, [{ field: `events[${i}]`, message: 'unknown event type', code: 'unknown_event_type' }]);
    for (const t of types) out.add(t);
  }
  return out.has('*') ? ['*'] : [...out].sort();
}

export interface EndpointInput {
  url?: string;
  events?: string[];
  description?: string | null;
  status?: 'enabled' | 'disabled';
}

export async function createEndpoint(tx: Queryable, accountId: string, input: Required<Pick<EndpointInput, 'url' | 'events'>> & EndpointInput): Promise<WebhookEndpoint & { secret: string }> {
  checkUrl(input.url);
  const events = expandEvents(input.events);
  const secret = `whsec_${randomToken(32)}`;
  const [row] = await tx.query<WebhookEndpoint>(
    `INSERT INTO webhook_endpoints AS w (account_id, id, url, events, description, secret, status) VALUES ($1, $2, $3, $4::text[], $5, $6, $7) RETURNING ${COLS}`,
    [accountId, `we_${ksuid()}`, input.url, events, input.description ?? null, secret, input.status ?? 'enabled'],
  );
  return { ...row, secret };
}

export async function listEndpoints(tx: Queryable, accountId: string): Promise<WebhookEndpoint[]> {
  return tx.query<WebhookEndpoint>(`SELECT ${COLS} FROM webhook_endpoints w WHERE w.account_id = $1 ORDER BY w.created_at, w.id`, [accountId]);
}

export async function getEndpoint(tx: Queryable, accountId: string, id: string): Promise<WebhookEndpoint> {
  const [row] = await tx.query<WebhookEndpoint>(`SELECT ${COLS} FROM webhook_endpoints w WHERE w.account_id = $1 AND w.id = $2`, [accountId, id]);
  if (!row) throw notFound('Webhook endpoint');
  return row;
}

/** Changes an endpoint; enabling it again clears why it was disabled, and its held deliveries go out. */
export async function updateEndpoint(tx: Queryable, accountId: string, id: string, patch: EndpointInput): Promise<WebhookEndpoint> {
  const sets = ['updated_at = now()'];
  const values: unknown[] = [accountId, id];
  if (patch.url !== undefined) {
    checkUrl(patch.url);
    sets.push(`url = $${values.push(patch.url)}`);
  }
  if (patch.events !== undefined) sets.push(`events = $${values.push(expandEvents(patch.events))}::text[]`);
  if (patch.description !== undefined) sets.push(`description = $${values.push(patch.description)}`);
  if (patch.status !== undefined) {
    sets.push(`status = $${values.push(patch.status)}`);
    sets.push(`disabled_reason = ${patch.status === 'disabled' ? `'disabled by request'` : 'NULL'}`);
  }
  const [row] = await tx.query<WebhookEndpoint>(`UPDATE webhook_endpoints w SET ${sets.join(', ')} WHERE w.account_id = $1 AND w.id = $2 RETURNING ${COLS}`, values);
  if (!row) throw notFound('Webhook endpoint');
  return row;
}

/** Deletes an endpoint and its delivery log; nothing more is sent to it. */
export async function deleteEndpoint(tx: Queryable, accountId: string, id: string): Promise<WebhookEndpoint> {
  const [row] = await tx.query<WebhookEndpoint>(`DELETE FROM webhook_endpoints w WHERE w.account_id = $1 AND w.id = $2 RETURNING ${COLS}`, [accountId, id]);
  if (!row) throw notFound('Webhook endpoint');
  return row;
}

export interface Delivery {
  object: 'webhook_delivery';
  endpoint_id: string;
  event_id: string;
  event_type: string | null;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
}

const DELIVERY_COLS = `'webhook_delivery' AS object, d.endpoint_id, 'evt_' || d.event_seq AS event_id, e.type AS event_type, d.status, d.attempts,
  CASE WHEN d.status = 'pending' THEN roster_iso(d.next_attempt_at) END AS next_attempt_at, roster_iso(d.last_attempt_at) AS last_attempt_at,
  d.last_status, d.last_error, roster_iso(d.created_at) AS created_at`;

/** An endpoint's delivery log, newest event first, `after` an event id to page on. */
export async function listDeliveries(tx: Queryable, accountId: string, endpointId: string, o: { limit: number; after?: string; status?: string }): Promise<{ data: Delivery[]; has_more: boolean }> {
  await getEndpoint(tx, accountId, endpointId);
  const params: unknown[] = [accountId, endpointId, o.limit + 1];
  const where = ['d.account_id = $1', 'd.endpoint_id = $2'];
  if (o.after) {
    const seq = eventSeq(o.after);
    if (!seq) throw invalid('starting_after', 'must be an event id (evt_…)');
    where.push(`d.event_seq < $${params.push(seq)}::bigint`);
  }
  if (o.status) where.push(`d.status = $${params.push(o.status)}`);
  const rows = await tx.query<Delivery>(
    `SELECT ${DELIVERY_COLS} FROM webhook_deliveries d LEFT JOIN events e ON e.account_id = d.account_id AND e.seq = d.event_seq
      WHERE ${where.join(' AND ')} ORDER BY d.event_seq DESC LIMIT $3`,
    params,
  );
  return { data: rows.slice(0, o.limit).map((r) => ({ ...r, attempts: Number(r.attempts) })), has_more: rows.length > o.limit };
}

/**
 * Sends a delivery again as soon as a sender is free: a failed one, or a pending one waiting for
 * its next attempt. Later deliveries of the same record wait for it, as always.
 */
export async function retryDelivery(tx: Queryable, accountId: string, endpointId: string, event: string): Promise<Delivery> {
  const endpoint = await getEndpoint(tx, accountId, endpointId);
  if (endpoint.status !== 'enabled')
    throw new RosterError('conflict', 'The endpoint is disabled: enable it first (PATCH status "enabled")', [{ field: 'status', message: 'endpoint disabled', code: 'endpoint_disabled' }]);
  const seq = eventSeq(event);
  if (!seq) throw notFound('Delivery');
  const [row] = await tx.query<{ event_seq: string }>(
    `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now() WHERE account_id = $1 AND endpoint_id = $2 AND event_seq = $3::bigint AND status <> 'succeeded' RETURNING event_seq`,
    [accountId, endpointId, seq],
  );
  if (!row) {
    const [exists] = await tx.query(`SELECT 1 FROM webhook_deliveries WHERE account_id = $1 AND endpoint_id = $2 AND event_seq = $3::bigint`, [accountId, endpointId, seq]);
    if (!exists) throw notFound('Delivery');
    throw new RosterError('conflict', `Delivery of ${eventId(seq)} already succeeded`, [{ field: 'event_id', message: 'already delivered', code: 'already_delivered' }]);
  }
  const [d] = await tx.query<Delivery>(
    `SELECT ${DELIVERY_COLS} FROM webhook_deliveries d LEFT JOIN events e ON e.account_id = d.account_id AND e.seq = d.event_seq
     WHERE d.account_id = $1 AND d.endpoint_id = $2 AND d.event_seq = $3::bigint`,
    [accountId, endpointId, seq],
  );
  return { ...d, attempts: Number(d.attempts) };
}

/** Backlog counts across every account, for a metrics endpoint: cheap enough to read every scrape. */
export async function webhookBacklog(db: Db): Promise<{ pending: number; due: number; failed: number; oldest_pending_seconds: number; disabled_endpoints: number }> {
  const [row] = await db.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM webhook_deliveries WHERE status = 'pending') AS pending,
            (SELECT count(*)::int FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()) AS due,
            (SELECT count(*)::int FROM webhook_deliveries WHERE status = 'failed') AS failed,
            coalesce((SELECT extract(epoch FROM now() - min(created_at))::float8 FROM webhook_deliveries WHERE status = 'pending'), 0) AS oldest_pending_seconds,
            (SELECT count(*)::int FROM webhook_endpoints WHERE status = 'disabled') AS disabled_endpoints`,
  );
  return {
    pending: Number(row.pending),
    due: Number(row.due),
    failed: Number(row.failed),
    oldest_pending_seconds: Number(row.oldest_pending_seconds),
    disabled_endpoints: Number(row.disabled_endpoints),
  };
}
