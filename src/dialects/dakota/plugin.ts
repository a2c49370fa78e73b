import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { RosterError } from '../../core/errors.ts';
import { ksuid } from '../../core/ids.ts';
import { clientPath, errorContext, sendErrorResponse } from '../../http/surface-errors.ts';
import type { Customer, CustomerInput, User } from '../../core/model.ts';
import { authenticate, needFor, presentedKey } from '../../http/auth.ts';
import type { Principal } from '../../store/accounts-repo.ts';
import { childCounts } from '../../store/child-counts.ts';
import { fillToken, issueToken, onboardingUrls, TOKEN_PLACEHOLDER, withToken } from '../../onboarding/links.ts';
import { createCustomerIn, getCustomer, getCustomerIn, lockCustomer, updateCustomerIn } from '../../store/customers-repo.ts';
import { idempotent } from '../../store/idempotency-repo.ts';
import { sandboxRequest } from '../../sandbox/headers.ts';
import { scheduleFor } from '../../sandbox/transitions.ts';
import { failBeforeCreate, scenarioList } from './sandbox.ts';
import { inAccount } from '../../store/db.ts';
import { runList } from '../../store/list.ts';
import { createUserIn, deleteUser, getUser, updateUser } from '../../store/users-repo.ts';
import type { Dialect, DialectOptions } from '../index.ts';
import { customerListQuery, userListQuery } from './list-params.ts';
import { asRosterError, customerNotFound, DakotaProblem, renderError, userNotFound } from './problems.ts';
import { CUSTOMER_FIELDS, USER_FIELDS, kybLink, renderCustomer, renderUser } from './render.ts';
import * as S from './schemas.ts';
import { DAKOTA_DOCUMENT } from './openapi.ts';

// Dakota's customers and users API: x-api-key auth, RFC 9457 problems, KSUID cursors with
// has_more_before/after, a per-key rate limit announced on every response.

declare module 'fastify' {
  interface FastifyRequest {
    dakotaPrincipal: Principal;
  }
}

const APPLICATION_DAYS = 30;
/**
 * Dakota's idempotency: "if the same key is used within a certain time window, the original
 * response will be returned instead of executing the request again" — whatever the body. The
 * window is Roster's, 24 hours (ROSTER_IDEMPOTENCY_WINDOW).
 */
const REPLAY = { otherBody: 'replay' } as const;
// application_expires_at is nanoseconds: beyond 2^53, so it is written into the JSON text exactly.
const NANOS_PLACEHOLDER = '__application_expires_at_ns__';

async function dakotaPlugin(app: FastifyInstance, opts: DialectOptions) {
  const { db, keys, limiter } = opts;
  const f = app.withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('dakotaPrincipal', null as unknown as Principal);

  app.addHook('onRequest', async (req, reply) => {
    // Per valid API key; requests without one, or with an unknown one, share their client
    // address's budget (so inventing keys does not buy more requests).
    const open = (req.routeOptions.config as { public?: boolean } | undefined)?.public;
    const need = needFor(req.method);
    const principal = await limiter.admit(req, reply, 'dakota', need === 'read' ? 'read' : 'write', async () => {
      if (!open) return authenticate(keys, req, ['x-api-key'], need);
      const presented = presentedKey(req, ['x-api-key']);
      return presented ? keys.resolve(presented) : undefined;
    });
    if (principal) req.dakotaPrincipal = principal;
  });

  app.setErrorHandler((error: unknown, req: FastifyRequest, reply: FastifyReply) => sendErrorResponse(reply, renderError(asRosterError(error, req.log), errorContext(req))));
  app.setNotFoundHandler((req, reply) => sendErrorResponse(reply, renderError(new RosterError('not_found', `No route ${req.method} ${clientPath(req)}`), errorContext(req))));

  const account = (req: FastifyRequest) => req.dakotaPrincipal.accountId;
  const actor = (req: FastifyRequest) => ({ actor: req.dakotaPrincipal.actor });
  const hide = { hide: true };

  // Customers
  f.get('/customers', { schema: { ...hide, querystring: S.CustomerListQuery } }, async (req) => {
    const r = await runList<Customer>(db, account(req), { ...customerListQuery(req.query), fields: CUSTOMER_FIELDS });
    return { data: r.records.map(renderCustomer), meta: { total_count: r.total ?? 0, has_more_after: r.hasMoreAfter, has_more_before: r.hasMoreBefore } };
  });

  f.post('/customers', { schema: { ...hide, body: S.CustomerCreate, headers: S.IdempotencyHeaders } }, async (req, reply) => {
    const body = req.body;
    if (body.sub_client_id !== undefined && body.is_sub_client === true) {
      throw new RosterError('invalid_request', 'sub_client_id cannot be combined with is_sub_client', [{ field: 'sub_client_id', message: 'cannot be combined with is_sub_client' }]);
    }
    const accountId = account(req);
    const urls = (applicationId: string) => onboardingUrls(`${req.protocol}://${req.host}`, applicationId);
    // Test mode is Dakota's sandbox: its headers may fail the create here, before any write.
    const sandbox = sandboxRequest(req.headers, accountId);
    if (sandbox) await failBeforeCreate(sandbox);
    let token: string | undefined;
    const res = await idempotent(
      db,
      accountId,
      'POST /dakota/customers',
      req.headers['x-idempotency-key'],
      body,
      async (tx) => {
        if (body.sub_client_id !== undefined) await assertSubClient(await getCustomerIn(tx, accountId, { by: 'id', value: body.sub_client_id }), undefined);
        const now = new Date();
        const expires = new Date(now.getTime() + APPLICATION_DAYS * 86_400_000);
        const applicationId = ksuid(now);
        const stamp = now.toISOString();
        const input: CustomerInput = {
          type: body.customer_type,
          name: body.name,
          external_id: body.external_id,
          parent_id: body.sub_client_id,
          is_sub_client: body.is_sub_client ?? false,
          kyb_status: 'pending',
          kyc_links: [
            { provider_id: 'persona', link_type: 'persona', url: urls(applicationId).identity, status: 'not_started', created_at: stamp, updated_at: stamp, expires_at: expires.toISOString() },
          ],
          application: { id: applicationId, status: 'pending', decision: null, url: urls(applicationId).application, expires_at: expires.toISOString() },
        };
        const c = await createCustomerIn(tx, accountId, input, actor(req));
        // What the sandbox will do to it later (approve its KYB in 5 s by default) commits with it.
        if (sandbox) await scheduleFor(tx, accountId, c.id, sandbox);
        // The links carry their token in this answer only (see src/onboarding/links.ts).
        token = await issueToken(tx, accountId, applicationId, c.id, expires);
        const created = {
          id: c.id,
          kyb_links: c.kyc_links.map(kybLink).map((l) => ({ ...l, url: withToken(l.url, TOKEN_PLACEHOLDER) })),
          application_id: c.application!.id,
          application_url: withToken(c.application!.url!, TOKEN_PLACEHOLDER),
          application_expires_at: NANOS_PLACEHOLDER,
        };
        const nanos = BigInt(Date.parse(c.application!.expires_at!)) * 1_000_000n;
        // Stored as the exact JSON text, so a replay is byte-identical.
        return { status: 201, body: JSON.stringify(created).replace(JSON.stringify(NANOS_PLACEHOLDER), nanos.toString()) };
      },
      REPLAY,
    );
    const stored = res.body as string;
    const text = await fillToken(db, accountId, (JSON.parse(stored) as { application_id: string }).application_id, stored, res.replayed ? undefined : token);
    return reply.status(201).type('application/json').send(text);
  });

  f.get('/sandbox/scenarios', { schema: hide }, async () => scenarioList());

  f.get('/customers/sub-client-summary', { schema: hide }, async (req) => {
    const rows = await childCounts(db, account(req), 'sub_clients');
    return { data: rows.map((r) => ({ sub_client_id: r.id, sub_client_name: r.name ?? '', customer_count: r.count })) };
  });

  f.get('/customers/:customer_id', { schema: { ...hide, params: S.CustomerIdParam } }, async (req) => {
    const c = await getCustomer(db, account(req), { by: 'id', value: req.params.customer_id });
    if (!c) throw customerNotFound(req.params.customer_id);
    return renderCustomer(c);
  });

  f.patch('/customers/:customer_id/sub-client', { schema: { ...hide, params: S.CustomerIdParam, body: S.SubClientUpdate } }, async (req) => {
    const accountId = account(req);
    const id = req.params.customer_id;
    const target = req.body.sub_client_id;
    // This endpoint's documented errors use `about:blank` problems. Checks and write share one
    // transaction, so the sub-client cannot change between them.
    const updated = await inAccount(db, accountId, async (tx) => {
      // Locked as the move locks it: the record, its tree and its new sub-client, in one pass.
      const current = await lockCustomer(tx, accountId, { by: 'id', value: id }, { tree: true, also: target });
      if (!current) throw new DakotaProblem('not_found', `Customer not found: ${id}`, 'Not Found', 'about:blank');
      if (target !== null) {
        if (target === id) throw badSubClient('a customer cannot be its own sub-client');
        await assertSubClient(await getCustomerIn(tx, accountId, { by: 'id', value: target }), 'about:blank');
      }
      return updateCustomerIn(tx, accountId, { by: 'id', value: id }, { parent_id: target }, actor(req));
    });
    return renderCustomer(updated);
  });

  // Users
  f.get('/users', { schema: { ...hide, querystring: S.UserListQuery } }, async (req) => {
    const r = await runList<User>(db, account(req), { ...userListQuery(req.query), fields: USER_FIELDS });
    return { data: r.records.map(renderUser), meta: { total_count: r.total ?? 0, has_more_after: r.hasMoreAfter, has_more_before: r.hasMoreBefore } };
  });

  f.post('/users', { schema: { ...hide, body: S.UserCreate, headers: S.IdempotencyHeaders } }, async (req, reply) => {
    const accountId = account(req);
    const res = await idempotent(
      db,
      accountId,
      'POST /dakota/users',
      req.headers['x-idempotency-key'],
      req.body,
      async (tx) => {
        try {
          return { status: 201, body: JSON.stringify(renderUser(await createUserIn(tx, accountId, req.body))) };
        } catch (e) {
          if (e instanceof RosterError && e.code === 'conflict') throw new DakotaProblem('conflict', `A user with email ${req.body.email} already exists`, 'User already exists', undefined, e.fields);
          throw e;
        }
      },
      REPLAY,
    );
    return reply
      .status(201)
      .type('application/json')
      .send(res.body as string);
  });

  // Dakota lists x-idempotency-key on this PATCH too; an update is idempotent by nature, so
  // the key is required (as documented) but needs no stored replay.
  f.patch('/users/:user_id', { schema: { ...hide, params: S.UserIdParam, body: S.UserUpdate, headers: S.IdempotencyHeaders } }, async (req, reply) => {
    const accountId = account(req);
    if (!(await getUser(db, accountId, req.params.user_id))) throw userNotFound(req.params.user_id);
    await updateUser(db, accountId, req.params.user_id, req.body);
    return reply.status(204).send();
  });

  f.delete('/users/:user_id', { schema: { ...hide, params: S.UserIdParam } }, async (req, reply) => {
    try {
      await deleteUser(db, account(req), req.params.user_id);
    } catch (e) {
      if (e instanceof RosterError && e.code === 'not_found') throw userNotFound(req.params.user_id);
      throw e;
    }
    return reply.status(204).send();
  });
}

const badSubClient = (message: string, typeUri?: string) =>
  new DakotaProblem('invalid_request', `sub_client_id ${message}`, typeUri ? 'Bad Request' : 'Invalid request', typeUri, [{ field: 'sub_client_id', message }]);

/** A sub_client_id must name a live customer of the same client that is itself a sub-client. */
async function assertSubClient(target: { is_sub_client: boolean } | undefined, typeUri: string | undefined) {
  if (!target) throw badSubClient('must reference a customer belonging to the same client', typeUri);
  if (!target.is_sub_client) throw badSubClient('must reference a customer that is a sub-client', typeUri);
}

export const dialect: Dialect = { name: 'dakota', prefix: '/dakota', plugin: dakotaPlugin, renderError, openapi: DAKOTA_DOCUMENT };
