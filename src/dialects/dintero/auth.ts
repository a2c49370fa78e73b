import type { FastifyRequest } from 'fastify';
import { invalid, RosterError } from '../../core/errors.ts';
import type { AccessTokens } from '../../auth/access-tokens.ts';
import type { Principal } from '../../store/accounts-repo.ts';

// Bearer JWTs from POST /accounts/{aid}/auth/token. The path's account must be the token's
// account: the same client can never read another account, nor live data with a test token.

export const AID = /^[PT]\d{8}$/;

/** Each route names the scopes that admit it; any one of them is enough. */
export const SCOPES = {
  read: ['admin:customers', 'read:customers'],
  write: ['admin:customers', 'write:customers'],
  changeCustomerId: ['admin:customers', 'admin:accounts'],
} as const;
export type Access = keyof typeof SCOPES;

export async function authorize(tokens: AccessTokens, req: FastifyRequest, access: Access): Promise<Principal> {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) throw new RosterError('unauthorized', 'Access forbidden, an Authorization: Bearer JWT token is required');
  const aid = (req.params as { aid?: string }).aid ?? '';
  if (!AID.test(aid)) throw invalid('aid', 'must match ^[PT]\\d{8}$');
  // The token must name this account as its audience and as its own, and its client must belong to it.
  const principal = await tokens.verify(m[1], aid);
  const allowed = SCOPES[access];
  if (!allowed.some((s) => principal.scopes.includes(s))) throw new RosterError('forbidden', `The token lacks a required scope: one of ${allowed.join(', ')}`);
  return principal;
}
