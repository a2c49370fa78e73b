import { RosterError } from '../core/errors.ts';
import { transactionRetries } from '../ops/metrics.ts';

// How the store tells a database that went away, and a transaction that lost a race, from any
// other failure. Both are decided on codes (SQLSTATE or the driver's and Node's own), never on
// message text.

/** Node's socket errors and postgres.js's connection errors. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/**
 * SQLSTATEs of a server that is going away or not taking connections: admin or crash shutdown,
 * starting up or recovering, too many connections, and class 08 (connection exceptions).
 */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

const codeOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** Whether an error means the database cannot be reached: the request may succeed later. */
export function isUnavailable(e: unknown): boolean {
  if (e instanceof RosterError) return e.code === 'unavailable';
  const code = codeOf(e);
  if (code && (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  // Node reports a refused connection to every address of a host as one AggregateError.
  const inner = (e as { errors?: unknown[] } | null)?.errors;
  return Array.isArray(inner) && inner.length > 0 && inner.every(isUnavailable);
}

/** Deadlock detected, serialization failure: the transaction lost a race and may simply run again. */
export const isRetryable = (e: unknown): boolean => {
  const code = codeOf(e);
  return code === '40P01' || code === '40001';
};

/**
 * The error a caller sees: a database that went away, or a race lost more times than the
 * retries allow, is a 503 in every surface's shape, which tells a client to try again.
 */
export function storeError(e: unknown): unknown {
  if (e instanceof RosterError) return e;
  if (isUnavailable(e)) return new RosterError('unavailable', 'The database is unavailable; retry shortly', [], { cause: e });
  if (isRetryable(e)) return new RosterError('unavailable', 'The request kept colliding with concurrent writes; retry shortly', [], { cause: e });
  return e;
}

/** Attempts a transaction makes before a lost race is reported; each waits a little longer. */
export const RETRY_ATTEMPTS = 6;

/**
 * Runs `attempt` again when it loses a race (deadlock, serialization failure), a bounded number
 * of times with jittered back-off, so that two writers that collided do not collide again.
 */
export async function withRetries<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (!isRetryable(e) || n >= RETRY_ATTEMPTS) throw storeError(e);
      transactionRetries.inc();
      await new Promise((r) => setTimeout(r, Math.random() * 5 * 2 ** n));
    }
  }
}

/**
 * A transaction's callback, except that when it fails because the connection went away it
 * never settles. postgres.js answers a failed callback by sending ROLLBACK down the same
 * connection, and on a connection whose socket has closed that write is made from a timer,
 * where it throws outside any promise and ends the process (porsager/postgres#1154, #1208;
 * unfixed in 3.4.9). The transaction itself still fails: sql.begin races the callback against
 * the connection's close, and rejects with the close's error.
 */
export function untilClosed<T>(work: Promise<T>): Promise<T> {
  return work.catch((e) => (isUnavailable(e) ? new Promise<never>(() => {}) : Promise.reject(e)));
}
