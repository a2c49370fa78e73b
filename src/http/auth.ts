import type { FastifyRequest } from 'fastify';
import { RosterError } from '../core/errors.ts';
import { findApiKey, type Principal } from '../store/accounts-repo.ts';
import type { Db } from '../store/db.ts';
import { touchKey } from '../store/keys-repo.ts';

// API key resolution with a short-lived in-process cache: every request needs its account,
// and a key lookup per request would double the round trips of a list. An entry lives at most
// CACHE_MS, so a key revoked by any process (another server, the CLI on PostgreSQL) stops
// working here within a second; a revocation made through this process forgets it at once.
// An expiring key's entry never outlives its expiry.

const CACHE_MS = 1_000;
const MAX_ENTRIES = 10_000;
/** "Last used" is written at most this often per key and process: never a write per request. */
const TOUCH_MS = 60_000;

export class KeyResolver {
  private cache = new Map<string, { principal: Principal | undefined; until: number }>();
  private touched = new Map<string, number>();
  constructor(private readonly db: Db) {}

  async resolve(key: string): Promise<Principal | undefined> {
    const now = Date.now();
    const hit = this.cache.get(key);
    const principal = hit && hit.until > now ? hit.principal : await this.lookup(key, now);
    if (principal) this.touch(principal.actor, now);
    return principal;
  }

  private async lookup(key: string, now: number) {
    const principal = await findApiKey(this.db, key);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(key, { principal, until: Math.min(now + CACHE_MS, principal?.expiresAt ?? Infinity) });
    return principal;
  }

  private touch(keyId: string, now: number) {
    if (now - (this.touched.get(keyId) ?? 0) < TOUCH_MS) return;
    if (this.touched.size >= MAX_ENTRIES) this.touched.clear();
    this.touched.set(keyId, now);
    // Best effort and off the request's path: a lost "last used" is not worth a failed request.
    touchKey(this.db, keyId).catch(() => this.touched.delete(keyId));
  }

  forget() {
    this.cache.clear();
  }
}

/** The key a request presents: `x-api-key`, or `Authorization: Bearer` where the dialect allows it. */
/**
 * Where a surface reads a key from: `x-api-key`; `Authorization: Bearer <key>`; or `bare`, the
 * whole Authorization header when it is a single token with no scheme (`Authorization: <key>`,
 * as Spirii's cURL samples send it).
 */
export type KeySource = 'x-api-key' | 'bearer' | 'bare';

export function presentedKey(req: FastifyRequest, sources: KeySource[]): string | undefined {
  for (const source of sources) {
    if (source === 'x-api-key') {
      const v = req.headers['x-api-key'];
      if (typeof v === 'string' && v.length > 0) return v;
    } else if (source === 'bearer') {
      const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      if (m) return m[1];
    } else {
      const m = /^(\S+)$/.exec(req.headers.authorization ?? '');
      if (m) return m[1];
    }
  }
  return undefined;
}

export type Need = 'read' | 'write' | 'admin';

/** Scope check: admin implies write and read; write implies read. */
export function hasScope(scopes: readonly string[], need: Need): boolean {
  if (scopes.includes('admin')) return true;
  if (need === 'read') return scopes.includes('read') || scopes.includes('write');
  return scopes.includes(need);
}

export async function authenticate(resolver: KeyResolver, req: FastifyRequest, sources: KeySource[], need: Need): Promise<Principal> {
  const key = presentedKey(req, sources);
  if (!key) throw new RosterError('unauthorized', 'An API key is required');
  const principal = await resolver.resolve(key);
  if (!principal) throw new RosterError('unauthorized', 'The API key is not valid');
  if (!hasScope(principal.scopes, need)) throw new RosterError('forbidden', `The API key lacks the ${need} scope`);
  return principal;
}

export const needFor = (method: string): Need => (method === 'GET' || method === 'HEAD' ? 'read' : 'write');
