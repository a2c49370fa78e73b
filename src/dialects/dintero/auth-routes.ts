import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { invalid, RosterError } from '../../core/errors.ts';
import { audienceAccount, type AccessTokens } from '../../auth/access-tokens.ts';
import { textFault } from '../../http/input-guard.ts';
import type { RateLimiter } from '../../http/rate-limiter.ts';
import { findOAuthClient } from '../../store/accounts-repo.ts';
import type { Db } from '../../store/db.ts';
import { AID } from './auth.ts';
import { AidParams, TokenRequest } from './schemas.ts';

// POST /accounts/{aid}/auth/token: the client-credentials grant. The client authenticates with
// HTTP Basic, or (RFC 6749 §2.3.1) with client_id and client_secret in the body; the body is
// JSON, as Dintero documents, or a form, as OAuth clients send it. The audience must name the
// same account as the path (any host: Roster runs behind whatever base URL the client was given).

/** Longest client id or secret looked up: Roster's are 27 and 48 characters. */
const MAX_CREDENTIAL = 255;

/** The Basic credentials, or undefined when absent or not something a client could hold (a NUL, over-long). */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  const id = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  if (id.length > MAX_CREDENTIAL || secret.length > MAX_CREDENTIAL || textFault(id) || textFault(secret)) return undefined;
  return { id, secret };
}

/** Credentials in the body, as RFC 6749 allows; held to the same rules as Basic ones. */
function bodyCredentials(body: { client_id?: unknown; client_secret?: unknown }): { id: string; secret: string } | undefined {
  const { client_id: id, client_secret: secret } = body;
  if (typeof id !== 'string' || typeof secret !== 'string' || id === '') return undefined;
  if (id.length > MAX_CREDENTIAL || secret.length > MAX_CREDENTIAL || textFault(id) || textFault(secret)) return undefined;
  return { id, secret };
}

const TOKEN_PATH = /\/auth\/token\/?$/;

export function authRoutes(app: FastifyInstance, db: Db, tokens: AccessTokens, limiter: RateLimiter) {
  const f = app.withTypeProvider<TypeBoxTypeProvider>();
  // A form body, for the token endpoint alone: each field once, as text a database can hold.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (req, text, done) => {
    if (!TOKEN_PATH.test(req.url.split('?')[0])) return done(new RosterError('unsupported_media_type', 'Send a JSON body (application/json)'), undefined);
    const out: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(text as string)) {
      const fault = textFault(k) ?? textFault(v);
      if (fault) return done(invalid(k, fault), undefined);
      if (k in out) return done(invalid(k, 'is given more than once'), undefined);
      out[k] = v;
    }
    done(null, out);
  });
  f.post(
    '/accounts/:aid/auth/token',
    {
      config: { access: 'public' },
      schema: { tags: ['dintero'], summary: 'Get an access token (client credentials)', params: AidParams, body: TokenRequest },
    },
    async (req, reply) => {
      const creds = basicCredentials(req.headers.authorization) ?? (req.headers.authorization ? undefined : bodyCredentials(req.body));
      if (!creds) throw new RosterError('unauthorized', 'Client credentials are required: Authorization: Basic base64(client_id:client_secret), or client_id and client_secret in the body');
      // Guessing secrets is throttled per client id and per address: past a few failures a
      // minute, attempts are refused before the secret is checked.
      limiter.checkTokenAttempt(reply, creds.id, req.ip);
      const client = await findOAuthClient(db, creds.id, creds.secret);
      if (!client) {
        limiter.tokenAttemptFailed(creds.id, req.ip);
        throw new RosterError('unauthorized', 'Invalid client credentials');
      }
      const { aid } = req.params;
      if (!AID.test(aid)) throw invalid('aid', 'must match ^[PT]\\d{8}$');
      if (client.accountId !== aid) throw new RosterError('forbidden', `The client has no grant for account ${aid}`);
      if (req.body.grant_type !== 'client_credentials') throw invalid('grant_type', 'only client_credentials is supported');
      if (req.body.audience === undefined) throw invalid('audience', 'is required');
      const audienceAid = audienceAccount(req.body.audience);
      if (!audienceAid) throw invalid('audience', 'must be the account URL, e.g. https://api.dintero.com/v1/accounts/{aid}');
      if (audienceAid !== aid) throw new RosterError('forbidden', `The audience ${req.body.audience} is not granted to this client`);
      // OAuth 2.0 (RFC 6749 §5.1): token responses must not be cached.
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      return tokens.issue(client, req.body.audience);
    },
  );
}
