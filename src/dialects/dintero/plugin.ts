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
import { DINTERO_DOCUMENT } from './openapi.ts';

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
  app.addHook('preValidation', async (req) => {
    req.query = arrayStyles(req.query as Record<string, unknown>);
  });
  authRoutes(app, db, tokens, limiter);
  customerRoutes(app, db);
  tagRoutes(app, db);
  tokenRoutes(app, db);
}

/**
 * Array parameters as clients send them: repeated (`attributes_keys=a&attributes_keys=b`, the
 * documented form), with brackets (`attributes_keys[]=a`, `attributes_keys[0]=a`, as PHP and
 * many HTTP libraries write arrays) or comma-separated (`attributes_keys=a,b`). A bracketed
 * name would otherwise be an unknown parameter, ignored, and the list silently unfiltered.
 */
export function arrayStyles(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    const name = key.replace(/\[\d*\]$/, '');
    const values = ([] as unknown[]).concat(value).flatMap((v) => (name === 'attributes_keys' && typeof v === 'string' ? v.split(',') : [v]));
    const prior = out[name];
    out[name] = prior === undefined && name === key && values.length === 1 ? values[0] : ([] as unknown[]).concat(prior ?? [], values);
  }
  return out;
}

export const dialect: Dialect = { name: 'dintero', prefix: '/dintero/v1', originRoot: '/dintero', plugin: dinteroPlugin, renderError, openapi: DINTERO_DOCUMENT };
