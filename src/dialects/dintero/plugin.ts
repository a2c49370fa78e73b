import type { FastifyInstance } from 'fastify';
import { AccessTokens } from '../../auth/access-tokens.ts';
import type { Principal } from '../../store/accounts-repo.ts';
import type { Dialect, DialectOptions } from '../index.ts';
import { authorize, type Access } from './auth.ts';
import { authRoutes } from './auth-routes.ts';
import { customerRoutes } from './customer-routes.ts';
import { errorHandler, notFoundHandler, renderError } from './errors.ts';
import { tagRoutes } from './tag-routes.ts';
import { tokenRoutes } from './token-routes.ts';

// Dintero's Customers API under /dintero/v1: client-credentials JWTs, the customer collection
// with its filters and sync, single customers, tags and tokens, Dintero's error body.

declare module 'fastify' {
  interface FastifyRequest {
    /** The OAuth client a Dintero request was authorized for. */
    dintero: Principal;
  }
}

async function dinteroPlugin(app: FastifyInstance, opts: DialectOptions) {
  const { db, limiter } = opts;
  const tokens = new AccessTokens(db);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.decorateRequest('dintero', null as unknown as Principal);
  app.addHook('onRequest', async (req, reply) => {
    const access = (req.routeOptions.config as { access?: Access | 'public' } | undefined)?.access;
    const open = access === undefined || access === 'public';
    const principal = await limiter.admit(req, reply, 'dintero', access === 'read' ? 'read' : 'write', async () => (open ? undefined : authorize(tokens, req, access)));
    if (principal) req.dintero = principal;
  });
  authRoutes(app, db, tokens, limiter);
  customerRoutes(app, db);
  tagRoutes(app, db);
  tokenRoutes(app, db);
}

export const dialect: Dialect = { name: 'dintero', prefix: '/dintero/v1', plugin: dinteroPlugin, renderError };
