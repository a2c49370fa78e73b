import type { Db } from './db.ts';

// Per-account rate-limit settings (table account_rate_limits, migration 122): which profile an
// account's credentials are limited by, and optionally its own requests-per-minute figure.

export const RATE_PROFILES = ['default', 'vendor'] as const;
export type RateProfile = (typeof RATE_PROFILES)[number];

export interface AccountRateLimits {
  /** `vendor`: the limits each vendor documents (Dakota 60/min a key, Spirii 600 reads and 120 writes). */
  profile: RateProfile;
  /** Under the default profile: requests a minute per credential, instead of the server's figure. */
  perMinute: number | null;
}

export async function getAccountRateLimits(db: Db, accountId: string): Promise<AccountRateLimits | undefined> {
  const [row] = await db.query<{ profile: RateProfile; per_minute: number | null }>(`SELECT profile, per_minute FROM account_rate_limits WHERE account_id = $1`, [accountId], { prepare: true });
  return row && { profile: row.profile, perMinute: row.per_minute };
}

export async function setAccountRateLimits(db: Db, accountId: string, limits: AccountRateLimits): Promise<void> {
  await db.query(
    `INSERT INTO account_rate_limits (account_id, profile, per_minute) VALUES ($1, $2, $3)
     ON CONFLICT (account_id) DO UPDATE SET profile = excluded.profile, per_minute = excluded.per_minute`,
    [accountId, limits.profile, limits.perMinute],
  );
}
