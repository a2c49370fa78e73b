import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { RosterError } from '../core/errors.ts';
import { uuid } from '../core/ids.ts';
import { oauthClientAccount, type Principal } from '../store/accounts-repo.ts';
import type { Db } from '../store/db.ts';
import { currentSigningKey, findSigningKey } from '../store/signing-keys-repo.ts';

// Access tokens of the OAuth2 client-credentials grant: HS256 JWTs signed with a 256-bit
// secret that is generated on first use and kept in the database (signing_keys), so every
// process on one database issues and accepts the same tokens. Keys are cached per process.

const PURPOSE = 'access-token';
const ISSUER = 'roster';
export const ACCESS_TOKEN_LIFETIME = 86_400;
/** Seconds a token's issue time may lie ahead of this server's clock. */
const CLOCK_SKEW = 60;
/** Key ids are random tokens; anything else (e.g. with a NUL) is refused before any lookup. */
const KID = /^[A-Za-z0-9_-]{1,128}$/;
const SUBJECT = /^[A-Za-z0-9_-]{1,255}$/;
const AUDIENCE = /\/accounts\/([PT]\d{8})\/?$/;

/** The account id an audience URL names (…/accounts/T00000042), if any. */
export const audienceAccount = (audience: unknown): string | undefined => (typeof audience === 'string' ? AUDIENCE.exec(audience)?.[1] : undefined);

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
  private readonly clients = new Map<string, { account: string | undefined; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly clientCacheMs = 5_000,
  ) {}

  /** The account of an active client, undefined once it is revoked. */
  private async clientAccount(clientId: string): Promise<string | undefined> {
    const now = Date.now();
    const hit = this.clients.get(clientId);
    if (hit && hit.until > now) return hit.account;
    const account = await oauthClientAccount(this.db, clientId);
    if (this.clients.size > 10_000) this.clients.clear();
    this.clients.set(clientId, { account, until: now + this.clientCacheMs });
    return account;
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

  /**
   * The principal a token names, for a request to account `forAccount`; RosterError
   * 'unauthorized' when it is expired, forged or malformed, lives longer than tokens are
   * issued for, names another audience than the account, or names an account its client does
   * not belong to.
   */
  async verify(token: string, forAccount: string): Promise<Principal> {
    const invalid = () => new RosterError('unauthorized', 'Access forbidden, invalid JWT token was used');
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          const secret = typeof header.kid === 'string' && KID.test(header.kid) ? await this.secret(header.kid) : undefined;
          if (!secret) throw invalid();
          return secret;
        },
        { issuer: ISSUER, algorithms: ['HS256'], requiredClaims: ['exp', 'iat', 'sub', 'aud'] },
      );
      const { aid, sub, exp, iat } = payload;
      if (typeof aid !== 'string' || typeof sub !== 'string' || !SUBJECT.test(sub)) throw invalid();
      if (exp! - iat! > ACCESS_TOKEN_LIFETIME || iat! > Date.now() / 1000 + CLOCK_SKEW)
        throw new RosterError('unauthorized', 'Access forbidden, the JWT token lives longer than tokens are issued for');
      const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (!audiences.some((a) => audienceAccount(a) === forAccount) || aid !== forAccount) throw new RosterError('forbidden', `The token does not grant access to account ${forAccount}`);
      const account = await this.clientAccount(sub);
      if (!account) throw new RosterError('unauthorized', 'Access forbidden, the client of this JWT token was revoked');
      if (account !== aid) throw new RosterError('forbidden', `The token's client has no grant for account ${aid}`);
      const scope = typeof payload.scope === 'string' ? payload.scope : '';
      return { accountId: aid, scopes: scope.split(' ').filter(Boolean), actor: sub };
    } catch (e) {
      if (e instanceof RosterError) throw e;
      if (e instanceof joseErrors.JWTExpired) throw new RosterError('unauthorized', 'Access forbidden, the JWT token has expired');
      if (e instanceof joseErrors.JOSEError) throw invalid();
      throw e;
    }
  }

  private secret(kid: string): Promise<Uint8Array | undefined> {
    let hit = this.keys.get(kid);
    if (!hit) {
      hit = findSigningKey(this.db, kid).then((k) => (k && k.purpose === PURPOSE && k.algorithm === 'HS256' ? k.secret : undefined));
      // Unknown kids are not cached: a key another process just created must be found later.
      hit.then(
        (s) => {
          if (!s) this.keys.delete(kid);
        },
        () => this.keys.delete(kid),
      );
      if (this.keys.size > 1000) this.keys.clear();
      this.keys.set(kid, hit);
    }
    return hit;
  }
}
