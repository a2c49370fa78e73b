import type { FastifyReply, FastifyRequest } from 'fastify';
import { RosterError } from '../core/errors.ts';
import { rateLimitRejections } from '../ops/metrics.ts';
import type { Principal } from '../store/accounts-repo.ts';
import type { Db } from '../store/db.ts';
import { RateCounters, WINDOW_MS } from '../store/rate-counters.ts';
import { getAccountRateLimits, type AccountRateLimits } from '../store/rate-limits-repo.ts';
import { limitFor, rateSettings, TOKEN_FAILURES_PER_MINUTE, type RateSettings } from './rate-policy.ts';

// Rate limits for every surface: each request is counted against its credential's budget (or
// its client address's, when it has no valid credential, so inventing keys buys nothing), in
// one-minute windows every process shares (RateCounters). Every response says where the
// budget stands (X-RateLimit-Limit, -Remaining, and -Reset in Unix seconds); a request over it
// is a 429 with Retry-After, in the surface's error shape.

const ACCOUNT_CACHE_MS = 5_000;

export interface RateSubject {
  principal?: Principal;
  ip: string;
}

export class RateLimiter {
  private accounts = new Map<string, { limits: AccountRateLimits | undefined; until: number }>();

  constructor(
    private readonly db: Db,
    readonly counters: RateCounters = new RateCounters(db),
    private readonly settings: RateSettings = rateSettings(),
  ) {}

  private async accountLimits(accountId: string): Promise<AccountRateLimits | undefined> {
    const now = Date.now();
    const hit = this.accounts.get(accountId);
    if (hit && hit.until > now) return hit.limits;
    const limits = await getAccountRateLimits(this.db, accountId);
    if (this.accounts.size > 10_000) this.accounts.clear();
    this.accounts.set(accountId, { limits, until: now + ACCOUNT_CACHE_MS });
    return limits;
  }

  /** Counts a request, announces the budget on the reply, and refuses one over it. */
  async enforce(reply: FastifyReply, surface: string, who: RateSubject, cls: 'read' | 'write'): Promise<void> {
    const account = who.principal ? await this.accountLimits(who.principal.accountId) : undefined;
    const profile = account?.profile ?? this.settings.profile;
    const { limit, group } = limitFor(this.settings, surface, profile, account?.perMinute ?? null, who.principal ? 'credential' : 'anonymous', cls);
    const bucket = `${surface}:${group}:${who.principal ? `cred:${who.principal.actor}` : `ip:${who.ip}`}`;
    const { window, count } = this.counters.hit(bucket);
    const reset = ((window + 1) * WINDOW_MS) / 1000;
    reply
      .header('x-ratelimit-limit', limit)
      .header('x-ratelimit-remaining', Math.max(0, limit - count))
      .header('x-ratelimit-reset', reset);
    if (count > limit) {
      // The native API counts its budgets under `v1`; metrics name surfaces as the app does.
      rateLimitRejections.inc({ surface: surface === 'v1' ? 'native' : surface, subject: who.principal ? 'credential' : 'address' });
      const retry = Math.max(1, Math.ceil(reset - Date.now() / 1000));
      reply.header('retry-after', retry);
      throw new RosterError('rate_limited', `Rate limit of ${limit} requests per minute exceeded; retry after ${retry} s`);
    }
  }

  /**
   * Authenticates with `auth` and counts the request against the credential it yields, or
   * against the client address when it yields none; the authentication error, if any, is thrown
   * only after the request was counted, so failed attempts use up the address's budget.
   */
  async admit<P extends Principal>(req: FastifyRequest, reply: FastifyReply, surface: string, cls: 'read' | 'write', auth: () => Promise<P | undefined>): Promise<P | undefined> {
    let principal: P | undefined;
    let failure: unknown;
    try {
      principal = await auth();
    } catch (e) {
      failure = e;
    }
    await this.enforce(reply, surface, { principal, ip: req.ip }, cls);
    if (failure) throw failure;
    return principal;
  }

  private failureBuckets = (clientId: string, ip: string) => [`token-failures:client:${clientId}`, `token-failures:ip:${ip}`];

  /** Refuses a client-secret attempt once the client id or the address failed too often this minute. */
  checkTokenAttempt(reply: FastifyReply, clientId: string, ip: string) {
    const counts = this.failureBuckets(clientId, ip).map((b) => this.counters.peek(b));
    if (counts.some((c) => c.count >= TOKEN_FAILURES_PER_MINUTE)) {
      rateLimitRejections.inc({ surface: 'dintero', subject: 'token_failures' });
      const retry = Math.max(1, Math.ceil(((counts[0].window + 1) * WINDOW_MS - Date.now()) / 1000));
      reply.header('retry-after', retry);
      throw new RosterError('rate_limited', `Too many failed client authentications; retry after ${retry} s`);
    }
  }

  tokenAttemptFailed(clientId: string, ip: string) {
    for (const b of this.failureBuckets(clientId, ip)) this.counters.hit(b);
  }

  close() {
    return this.counters.close();
  }
}
