import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { RosterError } from '../core/errors.ts';
import { uuid } from '../core/ids.ts';
import { oauthClientActive, type Principal } from '../store/accounts-repo.ts';
import type { Db } from '../store/db.ts';
import { currentSigningKey, findSigningKey } from '../store/signing-keys-repo.ts';

// Access tokens of the OAuth2 client-credentials grant: HS256 JWTs signed with a 256-bit
// secret that is generated on first use and kept in the database (signing_keys), so every
// process on one database issues and accepts the same tokens. Keys are cached per process.

const PURPOSE = 'access-token';
const ISSUER = 'roster';
export const ACCESS_TOKEN_LIFETIME = 86_400;

export interface AccessTokenClaims {
  /** The account id the token is for, e.g. T00000042. */
  aid: string;
  /** Space-separated scopes, as OAuth2 writes them. */
  scope: string;
}

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export class AccessTokens {
  private readonly keys = new Map<string, Promise<Uint8Array | undefined>>();
  private current?: Promise<{ kid: string; secret: Uint8Array }>;

  /** Client checks are cached this long: a revoked client's tokens stop working within it. */
  private readonly clients = new Map<string, { active: boolean; until: number }>();

  constructor(private readonly db: Db, private readonly clientCacheMs = 5_000) {}

  private async clientActive(clientId: string): Promise<boolean> {
    const now = Date.now();
    const hit = this.clients.get(clientId);
    if (hit && hit.until > now) return hit.active;
    const active = await oauthClientActive(this.db, clientId);
    if (this.clients.size > 10_000) this.clients.clear();
    this.clients.set(clientId, { active, until: now + this.clientCacheMs });
    return active;
  }

  /** A signed token for a principal (an OAuth client), for the given audience. */
  async issue(principal: Principal, audience: string, opts: { now?: Date; lifetime?: number } = {}): Promise<IssuedToken> {
    this.current ??= currentSigningKey(this.db, PURPOSE).catch((e) => {
      this.current = undefined;
      throw e;
    });
    const key = await this.current;
    const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
    const lifetime = opts.lifetime ?? ACCESS_TOKEN_LIFETIME;
    const claims: AccessTokenClaims = { aid: principal.accountId, scope: principal.scopes.join(' ') };
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.kid })
      .setIssuer(ISSUER)
      .setSubject(principal.actor)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetime)
      .setJti(uuid())
      .sign(key.secret);
    return { access_token: token, token_type: 'Bearer', expires_in: lifetime };
  }

  /** The principal a token names; RosterError 'unauthorized' when it is expired, forged or malformed. */
  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, async (header) => {
        const secret = header.kid ? await this.secret(header.kid) : undefined;
        if (!secret) throw new RosterError('unauthorized', 'Access forbidden, invalid JWT token was used');
        return secret;
      }, { issuer: ISSUER, algorithms: ['HS256'] });
      const aid = payload.aid;
      if (typeof aid !== 'string' || typeof payload.sub !== 'string') throw new RosterError('unauthorized', 'Access forbidden, invalid JWT token was used');
      if (!(await this.clientActive(payload.sub))) throw new RosterError('unauthorized', 'Access forbidden, the client of this JWT token was revoked');
      const scope = typeof payload.scope === 'string' ? payload.scope : '';
      return { accountId: aid, scopes: scope.split(' ').filter(Boolean), actor: payload.sub };
    } catch (e) {
      if (e instanceof RosterError) throw e;
      if (e instanceof joseErrors.JWTExpired) throw new RosterError('unauthorized', 'Access forbidden, the JWT token has expired');
      if (e instanceof joseErrors.JOSEError) throw new RosterError('unauthorized', 'Access forbidden, invalid JWT token was used');
      throw e;
    }
  }

  private secret(kid: string): Promise<Uint8Array | undefined> {
    let hit = this.keys.get(kid);
    if (!hit) {
      hit = findSigningKey(this.db, kid).then((k) => (k && k.purpose === PURPOSE && k.algorithm === 'HS256' ? k.secret : undefined));
      // Unknown kids are not cached: a key another process just created must be found later.
      hit.then((s) => { if (!s) this.keys.delete(kid); }, () => this.keys.delete(kid));
      if (this.keys.size > 1000) this.keys.clear();
      this.keys.set(kid, hit);
    }
    return hit;
  }
}
