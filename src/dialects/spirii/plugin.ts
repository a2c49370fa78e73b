import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RosterError } from '../../core/errors.ts';
import { hasScope, needFor, presentedKey } from '../../http/auth.ts';
import type { Principal } from '../../store/accounts-repo.ts';
import { getCustomer } from '../../store/customers-repo.ts';
import { runList } from '../../store/list.ts';
import type { Dialect, DialectOptions } from '../index.ts';
import { parseWrite } from './body.ts';
import { CustomerWriteDoc, IdParamDoc, ListQueryDoc } from './docs.ts';
import { asRosterError, renderError } from './errors.ts';
import { clientPath, errorContext, sendErrorResponse } from '../../http/surface-errors.ts';
import { customerListQuery } from './list-params.ts';
import { SPIRII_DOCUMENT } from './openapi.ts';
import { customerId, type RawQuery } from './query-values.ts';
import { renderCustomer } from './render.ts';
import { createSpiriiCustomer, deleteSpiriiCustomer, updateSpiriiCustomer } from './writes.ts';
import type { Customer } from '../../core/model.ts';

// Spirii Connect's Customer v2 API under /spirii: offset pages with an exact count, integer
// customer ids, the owner / CPO hierarchy, and Spirii's {"error": {...}} envelope.

const HIDDEN = { hide: true };
/** Parameters are read by hand (query-values.ts, body.ts); the schemas document them only. */
const noValidation = () => () => true;
const LIST = { schema: { ...HIDDEN, querystring: ListQueryDoc }, validatorCompiler: noValidation };
const ONE = { schema: { ...HIDDEN, params: IdParamDoc }, validatorCompiler: noValidation };
const WRITE = (params: boolean) => ({ schema: { ...HIDDEN, body: CustomerWriteDoc, ...(params ? { params: IdParamDoc } : {}) }, validatorCompiler: noValidation });
const principals = new WeakMap<FastifyRequest, Principal>();

const credentials = (code: string, message: string) => new RosterError('unauthorized', message, [{ field: 'Authorization', message, code }]);

async function spiriiPlugin(app: FastifyInstance, opts: DialectOptions) {
  const { db, keys, limiter } = opts;

  app.addHook('onRequest', async (req, reply) => {
    const need = needFor(req.method);
    const principal = await limiter.admit(req, reply, 'spirii', need === 'read' ? 'read' : 'write', async () => {
      // Bearer, as the reference says, or the bare key, as its cURL samples send it.
      const key = presentedKey(req, ['bearer', 'bare']);
      if (!key) throw credentials('missing_credentials', 'Credentials are missing: send Authorization: Bearer <api key>');
      const found = await keys.resolve(key);
      if (!found) throw credentials('invalid_credentials', 'The API key is not valid');
      return found;
    });
    if (!hasScope(principal!.scopes, need)) throw new RosterError('forbidden', `The API key does not permit this operation (needs ${need} access)`);
    principals.set(req, principal!);
  });

  app.setErrorHandler((error: unknown, req: FastifyRequest, reply: FastifyReply) => sendErrorResponse(reply, renderError(asRosterError(error, req), errorContext(req))));
  app.setNotFoundHandler((req, reply) => sendErrorResponse(reply, renderError(new RosterError('not_found', `No route ${req.method} ${clientPath(req)}`), errorContext(req))));

  const who = (req: FastifyRequest) => principals.get(req)!;
  const ctx = (req: FastifyRequest) => ({ actor: who(req).actor });
  const pathId = (req: FastifyRequest) => customerId('id', (req.params as { id: string }).id);

  app.get('/v2/customers', LIST, async (req) => {
    const q = customerListQuery(req.query as RawQuery);
    const r = await runList<Customer>(db, who(req).accountId, q);
    const page = q.page as { limit: number; offset: number };
    return { data: r.records.map(renderCustomer), count: r.total ?? 0, limit: page.limit, offset: page.offset };
  });

  app.post('/v2/customers', WRITE(false), async (req, reply) => {
    const c = await createSpiriiCustomer(db, who(req).accountId, parseWrite(req.body, 'create'), ctx(req));
    return reply.status(201).send(renderCustomer(c));
  });

  app.get('/v2/customers/:id', ONE, async (req) => {
    const id = pathId(req);
    const c = await getCustomer(db, who(req).accountId, { by: 'number', value: id });
    if (!c) throw new RosterError('not_found', `Customer ${id} not found`);
    return renderCustomer(c);
  });

  app.put('/v2/customers/:id', WRITE(true), async (req) => {
    const id = pathId(req);
    return renderCustomer(await updateSpiriiCustomer(db, who(req).accountId, id, parseWrite(req.body, 'update'), ctx(req)));
  });

  app.delete('/v2/customers/:id', ONE, async (req, reply) => {
    await deleteSpiriiCustomer(db, who(req).accountId, pathId(req), ctx(req));
    return reply.status(202).send();
  });
}

export const dialect: Dialect = { name: 'spirii', prefix: '/spirii', plugin: spiriiPlugin, renderError, openapi: SPIRII_DOCUMENT };
