import { createHmac, timingSafeEqual } from 'node:crypto';

// Roster-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>. The key is the
// endpoint's secret exactly as it was shown (the whole `whsec_…` string, as UTF-8). The time is
// signed too, so a receiver can refuse a delivery replayed long after it was sent.

export const SIGNATURE_HEADER = 'roster-signature';

export function sign(secret: string, body: string, t: number): string {
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * What a receiver does: true when `header` signs `body` with `secret` and its time is within
 * `toleranceSeconds` of `now` (seconds). Compares in constant time.
 */
export function verify(secret: string, header: string | undefined, body: string, toleranceSeconds = 300, now = Math.floor(Date.now() / 1000)): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(now - t) > toleranceSeconds || !parts.v1) return false;
  const expected = Buffer.from(sign(secret, body, t).split('v1=')[1], 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
