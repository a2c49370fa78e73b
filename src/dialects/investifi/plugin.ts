import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RosterError } from '../../core/errors.ts';
import { and, listQuery } from '../../core/list-query.ts';
import { hasScope, presentedKey } from '../../http/auth.ts';
import type { Principal } from '../../store/accounts-repo.ts';
import { runList } from '../../store/list.ts';
import type { Dialect, DialectOptions, ErrorContext, ErrorResponse } from '../index.ts';
import { asRosterError } from '../../http/error-mapping.ts';
import { errorContext, sendErrorResponse } from '../../http/surface-errors.ts';
import { IS_USER, parseUserListParams, userAccountIs, userListQuery } from './list-params.ts';
import { detailDocs, listDocs } from './docs.ts';
import { INVESTIFI_DOCUMENT } from './openapi.ts';
import { USER_FIELDS, toPartnerUser } from './render.ts';
import { Checker, RequestValidationError } from './validation.ts';
import type { Customer } from '../../core/model.ts';

// InvestiFi's (formerly CryptoFi's) read-only Partner API under /investifi/v1: users are the
// customers holding product accounts; errors are FastAPI's {"detail": ...} bodies.

/** FastAPI's own error for a missing credential, and what the app says of a bad one. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

const noValidation = () => () => true;

/** The longest user_account_id looked up, the longest external id Roster stores. */
export const MAX_USER_ACCOUNT_ID = 255;

/** A RosterError in FastAPI's shape: its status and {"detail": message}. */
function renderError(err: RosterError, _ctx?: ErrorContext): ErrorResponse {
  return { status: err.status, contentType: 'application/json', body: { detail: err.status === 500 ? 'Internal Server Error' : err.message } };
}

async function investifiPlugin(app: FastifyInstance, opts: DialectOptions) {
  const { db, keys, limiter } = opts;
  app.decorateRequest('principal', null as unknown as Principal);

  app.addHook('onRequest', async (req, reply) => {
    const open = !req.routeOptions.url || (req.routeOptions.config as { public?: boolean }).public;
    const principal = await limiter.admit(req, reply, 'investifi', 'read', async () => {
      if (open) return undefined;
      const key = presentedKey(req, ['x-api-key']);
      if (!key) throw new HttpError(401, 'Not authenticated', { 'www-authenticate': 'APIKey' });
      const found = await keys.resolve(key);
      if (!found) throw new HttpError(401, 'Invalid API key', { 'www-authenticate': 'APIKey' });
      return found;
    });
    if (!principal) return;
    if (!hasScope(principal.scopes, 'read')) throw new HttpError(403, 'Not enough permissions');
    req.principal = principal;
  });

  app.setErrorHandler((error: unknown, req: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof RequestValidationError) return reply.status(422).send({ detail: error.entries });
    if (error instanceof HttpError) return reply.status(error.status).headers(error.headers).send({ detail: error.detail });
    return sendErrorResponse(reply, renderError(asRosterError(error, req.log), errorContext(req)));
  });
  app.setNotFoundHandler((_req, reply) => reply.status(404).send({ detail: 'Not Found' }));

  const listUsers = async (req: FastifyRequest) => {
    const accountId = req.principal.accountId;
    const params = parseUserListParams(req.query as Record<string, unknown>);
    const result = await runList<Customer>(db, accountId, { ...userListQuery(params), fields: USER_FIELDS });
    return {
      items: result.records.map(toPartnerUser),
      total_records: result.total ?? 0,
      // The position of this page's last record: what the next request passes back, and equal
      // to total_records on the last page. An empty page past the end keeps the position sent.
      last_record_number: params.lastRecordNumber + result.records.length,
      per_page: params.perPage,
    };
  };

  const getUser = async (req: FastifyRequest<{ Params: { user_account_id: string } }>) => {
    const check = new Checker('path');
    check.text('user_account_id', req.params.user_account_id, MAX_USER_ACCOUNT_ID);
    check.done();
    const q = listQuery({ resource: 'customers', filter: and(IS_USER, userAccountIs(req.params.user_account_id)), page: { kind: 'keyset', limit: 1 } });
    const [user] = (await runList<Customer>(db, req.principal.accountId, { ...q, fields: USER_FIELDS })).records;
    if (!user) throw new HttpError(404, 'User not found');
    return toPartnerUser(user);
  };

  // The vendor's paths end in a slash; the router serves them with or without it.
  app.get('/users/', { schema: listDocs, validatorCompiler: noValidation }, listUsers);
  app.get('/users/:user_account_id/', { schema: detailDocs, validatorCompiler: noValidation }, getUser);

  // The API is read-only: other methods on its paths are 405, as FastAPI answers them.
  const notAllowed = async (_req: FastifyRequest, reply: FastifyReply) => reply.status(405).header('allow', 'GET').send({ detail: 'Method Not Allowed' });
  for (const url of ['/users/', '/users/:user_account_id/']) {
    app.route({ method: ['POST', 'PUT', 'PATCH', 'DELETE'], url, config: { public: true } as object, schema: { hide: true }, handler: notAllowed });
  }
}

export const dialect: Dialect = { name: 'investifi', prefix: '/investifi/v1', originRoot: '/investifi', plugin: investifiPlugin, renderError, openapi: INVESTIFI_DOCUMENT };
