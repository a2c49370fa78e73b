import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ERROR_CATALOG, RosterError } from '../../core/errors.ts';
import { encodeCursor } from '../../core/cursor.ts';
import type { ListQuery } from '../../core/list-query.ts';
import type { Customer, User } from '../../core/model.ts';
import { authenticate, needFor, type Need } from '../../http/auth.ts';
import type { Dialect, DialectOptions, ErrorContext } from '../index.ts';
import { fieldErrors } from '../../http/validation.ts';
import { asRosterError } from '../../http/error-mapping.ts';
import { clientPath, errorContext, sendErrorResponse } from '../../http/surface-errors.ts';
import { runList, type ListPage } from '../../store/list.ts';
import { createCustomerIn, deleteCustomer, updateCustomer } from '../../store/customers-repo.ts';
import { createUserIn, deleteUser, updateUser } from '../../store/users-repo.ts';
import { idempotent } from '../../store/idempotency-repo.ts';
import { inAccount, type Queryable } from '../../store/db.ts';
import type { Principal } from '../../store/accounts-repo.ts';
import * as S from './schemas.ts';
import { CustomerGetQuery, customerGetQuery, CustomerListQuery, customerListQuery, UserGetQuery, userGetQuery, UserListQuery, userListQuery } from './list-params.ts';
import { listDescription } from './filter-params.ts';
import { CustomerSearchQuery, customerSearchQuery, searchDescription, UserSearchQuery, userSearchQuery } from './search-params.ts';
import { keysRoutes } from './keys-routes.ts';
import { customerExtrasRoutes } from './customer-extras-routes.ts';
import { sandboxRoutes } from './sandbox-routes.ts';
import { eventsRoutes } from './events-routes.ts';
import { exportRoutes } from './export-routes.ts';
import { importRoutes } from './import-routes.ts';
import { webhookRoutes } from './webhook-routes.ts';
import { nudge } from '../../webhooks/nudge.ts';

// Roster's own API under /v1: RFC 9457 problems, keyset pages with ids or opaque cursors.

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

const problems = Object.fromEntries([400, 401, 403, 404, 409, 422, 429].map((s) => [s, Type.Ref('Problem')]));

export function problemBody(err: RosterError, instance: string) {
  return {
    type: `/docs/errors#${err.code}`,
    title: ERROR_CATALOG[err.code].title,
    status: err.status,
    code: err.code,
    detail: err.message,
    instance,
    ...(err.fields.length ? { errors: err.fields } : {}),
  };
}

/**
 * A list response, written as text around the records' JSON exactly as Postgres built it: the
 * records are the canonical ones, so parsing and re-serialising them would only cost time.
 * Every other field is encoded here, so the body matches the documented `*List` schemas.
 */
/** Sends JSON already encoded; Fastify passes a string body with a JSON content type as is. */
function sendJsonText(reply: FastifyReply, body: string) {
  return reply.type('application/json; charset=utf-8').send(body);
}

function listBody(q: ListQuery, r: ListPage<unknown>): string {
  const next = r.hasMoreAfter && r.lastId && r.lastValues ? 'a.' + encodeCursor(q.sort, r.lastValues, r.lastId) : null;
  const prev = r.hasMoreBefore && r.firstId && r.firstValues ? 'b.' + encodeCursor(q.sort, r.firstValues, r.firstId) : null;
  const total = r.total === undefined ? '' : `,"total_count":${r.total}${r.totalEstimated === undefined ? '' : `,"total_count_estimated":${r.totalEstimated}`}`;
  return `{"object":"list","data":${r.json},"has_more_after":${r.hasMoreAfter},"has_more_before":${r.hasMoreBefore},"next_cursor":${JSON.stringify(next)},"prev_cursor":${JSON.stringify(prev)}${total}}`;
}

function renderError(err: RosterError, ctx: ErrorContext) {
  return { status: err.status, contentType: 'application/problem+json', body: problemBody(err, ctx.path) };
}

async function nativePlugin(app: FastifyInstance, opts: DialectOptions) {
  const { db, keys, limiter } = opts;
  const f = app.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(S.Customer);
  app.addSchema(S.User);
  app.addSchema(S.Problem);

  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (req, reply) => {
    const config = req.routeOptions.config as { public?: boolean; need?: Need } | undefined;
    const need = config?.need ?? needFor(req.method);
    const principal = await limiter.admit(req, reply, 'v1', need === 'read' ? 'read' : 'write', async () => (config?.public ? undefined : authenticate(keys, req, ['bearer', 'x-api-key'], need)));
    if (principal) req.principal = principal;
  });

  app.setErrorHandler((error: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const e = error as { validation?: unknown[]; validationContext?: string; message?: string };
    const err = e.validation
      ? new RosterError('invalid_request', `Invalid ${e.validationContext ?? 'request'}: ${e.message}`, fieldErrors(e.validation as never, e.validationContext))
      : asRosterError(error, req.log);
    return sendErrorResponse(reply, renderError(err, errorContext(req)));
  });
  app.setNotFoundHandler((req, reply) => sendErrorResponse(reply, renderError(new RosterError('not_found', `No route ${req.method} ${clientPath(req)}`), errorContext(req))));

  const actor = (req: FastifyRequest) => ({ actor: req.principal.actor });

  /** A single-record GET: a one-record list, so `fields` and `expand` mean what they do in lists. */
  async function oneRecord(accountId: string, q: ListQuery, what: 'Customer' | 'User'): Promise<string> {
    const [record] = (await runList(db, accountId, q)).records;
    if (!record) throw new RosterError('not_found', `${what} not found`);
    return JSON.stringify(record);
  }

  /** A POST that creates one record: once per Idempotency-Key when the client sends one. */
  async function create(req: FastifyRequest, reply: FastifyReply, write: (tx: Queryable, accountId: string) => Promise<unknown>) {
    const accountId = req.principal.accountId;
    const key = req.headers['idempotency-key'];
    const run = async (tx: Queryable) => ({ status: 201, body: await write(tx, accountId) });
    const scope = `POST ${req.routeOptions.url}`;
    const res = typeof key === 'string' ? await idempotent(db, accountId, scope, key, req.body, run) : { ...(await inAccount(db, accountId, run)), replayed: false };
    if (res.replayed) reply.header('idempotent-replayed', 'true');
    return reply.status(res.status).send(res.body);
  }
  const idempotencyHeader = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) });

  // Customers
  f.get(
    '/customers',
    { schema: { tags: ['customers'], summary: 'List customers', description: listDescription('customers'), querystring: CustomerListQuery, response: { 200: S.CustomerList, ...problems } } },
    async (req, reply) => {
      const q = customerListQuery(req.query);
      return sendJsonText(reply, listBody(q, await runList(db, req.principal.accountId, q)));
    },
  );

  f.get(
    '/customers/search',
    { schema: { tags: ['customers'], summary: 'Search customers', description: searchDescription('customers'), querystring: CustomerSearchQuery, response: { 200: S.CustomerList, ...problems } } },
    async (req, reply) => {
      const q = customerSearchQuery(req.query);
      return sendJsonText(reply, listBody(q, await runList(db, req.principal.accountId, q)));
    },
  );

  f.post(
    '/customers',
    {
      schema: { tags: ['customers'], summary: 'Create a customer', body: S.CustomerCreate, headers: idempotencyHeader, response: { 201: Type.Ref('Customer'), ...problems } },
    },
    (req, reply) => create(req, reply, (tx, accountId) => createCustomerIn(tx, accountId, req.body, actor(req))),
  );

  f.get(
    '/customers/:id',
    {
      schema: { tags: ['customers'], summary: 'Get a customer', params: S.IdParam, querystring: CustomerGetQuery, response: { 200: Type.Ref('Customer'), ...problems } },
    },
    async (req, reply) => sendJsonText(reply, await oneRecord(req.principal.accountId, customerGetQuery(req.params.id, req.query), 'Customer')),
  );

  f.patch(
    '/customers/:id',
    { schema: { tags: ['customers'], summary: 'Update a customer (partial)', params: S.IdParam, body: S.CustomerUpdate, response: { 200: Type.Ref('Customer'), ...problems } } },
    async (req) => updateCustomer(db, req.principal.accountId, { by: 'id', value: req.params.id }, req.body, actor(req)),
  );

  f.delete(
    '/customers/:id',
    {
      schema: {
        tags: ['customers'],
        summary: 'Delete a customer (soft)',
        description:
          'A customer that owns other live customers is not deleted (409, code `conflict`, field error `has_children`) unless `detach_children=true`, which makes each of them the top of its own tree in the same step.',
        params: S.IdParam,
        querystring: S.DeleteCustomerQuery,
        response: { 200: Type.Ref('Customer'), ...problems },
      },
    },
    async (req) => deleteCustomer(db, req.principal.accountId, { by: 'id', value: req.params.id }, { ...actor(req), children: req.query.detach_children ? 'detach' : 'refuse' }),
  );

  keysRoutes(app, db, keys);
  customerExtrasRoutes(app, db);
  sandboxRoutes(app, db);
  eventsRoutes(app, db);
  exportRoutes(app, db);
  importRoutes(app, db);
  webhookRoutes(app, db, nudge);

  // Users
  f.get(
    '/users',
    { schema: { tags: ['users'], summary: 'List team users', description: listDescription('users'), querystring: UserListQuery, response: { 200: S.UserList, ...problems } } },
    async (req, reply) => {
      const q = userListQuery(req.query);
      return sendJsonText(reply, listBody(q, await runList(db, req.principal.accountId, q)));
    },
  );

  f.get(
    '/users/search',
    { schema: { tags: ['users'], summary: 'Search team users', description: searchDescription('users'), querystring: UserSearchQuery, response: { 200: S.UserList, ...problems } } },
    async (req, reply) => {
      const q = userSearchQuery(req.query);
      return sendJsonText(reply, listBody(q, await runList(db, req.principal.accountId, q)));
    },
  );

  f.post(
    '/users',
    {
      schema: { tags: ['users'], summary: 'Create a team user', body: S.UserCreate, headers: idempotencyHeader, response: { 201: Type.Ref('User'), ...problems } },
    },
    (req, reply) => create(req, reply, (tx, accountId) => createUserIn(tx, accountId, req.body)),
  );

  f.get(
    '/users/:id',
    {
      schema: { tags: ['users'], summary: 'Get a team user', params: S.IdParam, querystring: UserGetQuery, response: { 200: Type.Ref('User'), ...problems } },
    },
    async (req, reply) => sendJsonText(reply, await oneRecord(req.principal.accountId, userGetQuery(req.params.id, req.query), 'User')),
  );

  f.patch(
    '/users/:id',
    { schema: { tags: ['users'], summary: 'Update a team user (partial)', params: S.IdParam, body: S.UserUpdate, response: { 200: Type.Ref('User'), ...problems } } },
    async (req) => updateUser(db, req.principal.accountId, req.params.id, req.body),
  );

  f.delete('/users/:id', { schema: { tags: ['users'], summary: 'Delete a team user (soft)', params: S.IdParam, response: { 204: Type.Null(), ...problems } } }, async (req, reply) => {
    await deleteUser(db, req.principal.accountId, req.params.id);
    return reply.status(204).send(null);
  });
}

export const dialect: Dialect = { name: 'native', prefix: '/v1', originRoot: '', plugin: nativePlugin, renderError };

export type { Customer, User };
