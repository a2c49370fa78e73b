import { setting } from '../config/settings.ts';
import { randomToken } from '../core/ids.ts';
import { hashSecret } from '../store/accounts-repo.ts';
import { inAccount, type Db, type Queryable } from '../store/db.ts';

// The links a customer follows to complete an application. A stored record keeps the link
// without its token (what a dialect's GET shows); the token goes out once, in the answer that
// creates the application or issues a new link, and the database keeps only its hash.

/** Stands for the token in answers stored for idempotent replay: they must not hold it. */
export const TOKEN_PLACEHOLDER = '__onboarding_token__';

export const ONBOARDING_PREFIX = '/onboarding';

/**
 * The application page, and the identity step on it (a Dakota KYB link points there). Links use
 * ROSTER_PUBLIC_URL when set (behind a proxy, or when a dialect has an origin of its own that
 * does not serve the page), else the origin the request came to.
 */
export function onboardingUrls(requestOrigin: string, applicationId: string, env = process.env) {
  const origin = setting<string>('ROSTER_PUBLIC_URL', env) ?? requestOrigin;
  const page = `${origin}${ONBOARDING_PREFIX}/${applicationId}`;
  return { application: page, identity: `${page}#identity` };
}

/** The link with its token: in the query string, which request logs leave out. */
export function withToken(url: string, token: string): string {
  const hash = url.indexOf('#');
  const [base, fragment] = hash < 0 ? [url, ''] : [url.slice(0, hash), url.slice(hash)];
  return `${base}?token=${token}${fragment}`;
}

/** A new token for an application, replacing any earlier one. Runs in the account's transaction. */
export async function issueToken(tx: Queryable, accountId: string, applicationId: string, customerId: string, expiresAt: Date | string): Promise<string> {
  const token = randomToken(43);
  await tx.query(
    `INSERT INTO onboarding_links (account_id, application_id, customer_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5::timestamptz)
     ON CONFLICT (account_id, application_id) DO UPDATE SET token_hash = excluded.token_hash, customer_id = excluded.customer_id, created_at = now(), expires_at = excluded.expires_at`,
    [accountId, applicationId, customerId, hashSecret(token), expiresAt],
  );
  return token;
}

export interface OnboardingLink {
  accountId: string;
  applicationId: string;
  customerId: string;
  expiresAt: Date;
}

/** The live link a token opens, if any. The token is the credential: no API key is involved. */
export async function findLink(db: Db, applicationId: string, token: string): Promise<OnboardingLink | undefined> {
  const [row] = await db.query<{ account_id: string; customer_id: string; expires_at: Date | string }>(
    `SELECT account_id, customer_id, expires_at FROM onboarding_links WHERE token_hash = $1 AND application_id = $2 AND expires_at > now()`,
    [hashSecret(token), applicationId],
  );
  return row && { accountId: row.account_id, applicationId, customerId: row.customer_id, expiresAt: new Date(row.expires_at) };
}

/** A new token for an existing link, keeping its customer and expiry. */
export async function reissueToken(tx: Queryable, accountId: string, applicationId: string): Promise<string> {
  const token = randomToken(43);
  await tx.query(`UPDATE onboarding_links SET token_hash = $3, created_at = now() WHERE account_id = $1 AND application_id = $2`, [accountId, applicationId, hashSecret(token)]);
  return token;
}

/**
 * Puts a token into an answer stored with TOKEN_PLACEHOLDER. A first answer gets the token its
 * write issued; a replay, whose token was never kept, gets a new one (the old one stops working:
 * a client replays because the first answer did not reach it).
 */
export async function fillToken(db: Db, accountId: string, applicationId: string, text: string, issued: string | undefined): Promise<string> {
  if (!text.includes(TOKEN_PLACEHOLDER)) return text;
  const token = issued ?? (await inAccount(db, accountId, (tx) => reissueToken(tx, accountId, applicationId)));
  return text.replaceAll(TOKEN_PLACEHOLDER, token);
}
