import type { FastifyRequest } from 'fastify';
import { RosterError } from '../core/errors.ts';
import { findApiKey, type Principal } from '../store/accounts-repo.ts';
import type { Db } from '../store/db.ts';

// API key resolution with a short-lived in-process cache: every request needs its account,
// and a key lookup per request would double the round trips of a list. A revoked key stops
// working within CACHE_MS.

const CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

export class KeyResolver {
  private cache = new Map<string, { principal: Principal | undefined; until: number }>();
  constructor(private readonly db: Db) {}

  async resolve(key: string): Promise<Principal | undefined> {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.principal;
    const principal = await findApiKey(this.db, key);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(key, { principal, until: now + CACHE_MS });
    return principal;
  }

  forget() {
    this.cache.clear();
  }
}

/** The key a request presents: `x-api-key`, or `Authorization: Bearer` where the dialect allows it. */
export function presentedKey(req: FastifyRequest, sources: ('x-api-key' | 'bearer')[]): string | undefined {
  for (const source of sources) {
    if (source === 'x-api-key') {
      const v = req.headers['x-api-key'];
      if (typeof v === 'string' && v.length > 0) return v;
    } else {
      const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
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

export async function authenticate(resolver: KeyResolver, req: FastifyRequest, sources: ('x-api-key' | 'bearer')[], need: Need): Promise<Principal> {
  const key = presentedKey(req, sources);
  if (!key) throw new RosterError('unauthorized', 'An API key is required');
  const principal = await resolver.resolve(key);
  if (!principal) throw new RosterError('unauthorized', 'The API key is not valid');
  if (!hasScope(principal.scopes, need)) throw new RosterError('forbidden', `The API key lacks the ${need} scope`);
  return principal;
}

export const needFor = (method: string): Need => (method === 'GET' || method === 'HEAD' ? 'read' : 'write');
