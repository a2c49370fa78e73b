import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import { ERROR_CATALOG } from '../core/errors.ts';
import type { Db } from '../store/db.ts';
import { KeyResolver } from './auth.ts';
import { loadDialects, type Surface } from '../dialects/index.ts';
import { pendingMigrations } from '../store/migrate.ts';
import { onboardingPlugin } from '../onboarding/plugin.ts';
import { ONBOARDING_PREFIX } from '../onboarding/links.ts';
import { consolePlugin } from '../console/serve.ts';
import { consoleSurface } from '../console/surface.ts';
import { onboardingSurface } from '../onboarding/surface.ts';
import { RosterError } from '../core/errors.ts';
import { asRosterError } from './error-mapping.ts';
import { BODY_LIMIT, checkCoercedNumbers, checkRequestValues, installJsonParser } from './input-guard.ts';
import { logSerializers } from './log-serializers.ts';
import { RateLimiter } from './rate-limiter.ts';
import { requestIdOf } from './request-id.ts';
import { clientErrorHandler, clientPath, markOpened, errorContext, frameworkErrorHandler, requestSurface, sendErrorResponse } from './surface-errors.ts';
import { Origins, type Listen } from './origins.ts';
import { nativeSwagger } from './native-reference.ts';
import { referenceRoutes } from './references.ts';
import { buildValidator } from './validators.ts';
import { installHttpMetrics } from '../ops/http-metrics.ts';
import { tracing } from '../ops/tracing.ts';

const RETRY_AFTER_SECONDS = '2';
/**
 * Longest path parameter, as sent (percent-encoded): a 255-character Dintero customer_id of
 * four-byte characters is 3,060. Each route's schema bounds its own parameters.
 */
export const MAX_PARAM_LENGTH = 4096;

export interface AppOptions {
  db: Db;
  logger?: boolean | { level?: string; stream?: { write(line: string): void } };
  /** Told of every route as it is registered, with its full URL and schemas (the fuzz test walks them). */
  onRoute?: (route: RouteOptions) => void;
  /** The API-key resolver, when the caller needs to reach its cache (revocations elsewhere). */
  keys?: KeyResolver;
  /** Pick a dialect by the Host header's first label too (`dakota.localhost`): see origins.ts. */
  hostRouting?: boolean;
  /** Serve GET /metrics (ROSTER_METRICS); requests are counted either way. */
  metrics?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The dialects' own origins: `roster serve --listen` adds listeners through it. */
    origins: Origins;
    /** Every surface, for errors met before routing. */
    surfaces: readonly Surface[];
  }
}

/**
 * Serves each listed dialect at the root of an origin of its own, beside the main listener;
 * resolves with what closes them.
 */
export function serveOrigins(app: FastifyInstance, listens: readonly Listen[]) {
  return app.origins.serve(app, listens, (root) => clientErrorHandler(app.surfaces, root, () => app.log) as never);
}

/** The HTTP server: every API surface is its own plugin under its own prefix. */
export async function buildApp({ db, logger = false, onRoute, keys = new KeyResolver(db), hostRouting = false, metrics = true }: AppOptions): Promise<FastifyInstance> {
  const dialects = await loadDialects();
  const surfaces = [...dialects, onboardingSurface, consoleSurface];
  const origins = new Origins(dialects, hostRouting);
  const app = Fastify({
    // A request to a dialect's own origin, to the path the routes know (origins.ts).
    rewriteUrl: (req) => origins.rewrite(req),
    logger: logger && { level: 'info', ...(typeof logger === 'object' ? logger : {}), serializers: logSerializers as never },
    genReqId: requestIdOf,
    bodyLimit: BODY_LIMIT,
    // A trailing slash names the same resource on every surface (`/users/` is InvestiFi's own
    // spelling; a client that adds one to a Dintero collection must not meet "not found").
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH, ignoreTrailingSlash: true },
    // Errors before routing, in the shape of the surface the path names.
    frameworkErrors: frameworkErrorHandler(surfaces, (raw) => origins.dialectOf(raw)),
    // Called only once the server runs, when `app` is there to log with.
    clientErrorHandler: clientErrorHandler(surfaces, '', () => app.log) as never,
    schemaController: { compilersFactory: { buildValidator: buildValidator as never } },
  }) as unknown as FastifyInstance;
  app.server.on('connection', markOpened);
  app.decorate('origins', origins);
  app.decorate('surfaces', surfaces);
  tracing()?.install(app);
  const limiter = new RateLimiter(db);
  app.addHook('onClose', async () => limiter.close());
  installJsonParser(app);
  if (onRoute) app.addHook('onRoute', onRoute);
  installHttpMetrics(app, surfaces, { serve: metrics });

  // Every response of every surface carries the request id; query and path values a database
  // cannot hold are refused before any surface authenticates or reads them.
  // Hooks that do not wait on anything take Fastify's callback form: no promise per request.
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    checkRequestValues(req);
    done();
  });
  app.addHook('preHandler', (req, _reply, done) => {
    checkCoercedNumbers(req);
    done();
  });
  // Routes outside every surface's plugin (a dialect's reference pages, health checks) answer
  // errors as the surface their path or origin names does, the native API for the rest.
  app.setErrorHandler((error, req, reply) => sendErrorResponse(reply, requestSurface(surfaces, req, (raw) => origins.dialectOf(raw)).renderError(asRosterError(error, req.log), errorContext(req))));
  app.setNotFoundHandler((req, reply) =>
    sendErrorResponse(reply, requestSurface(surfaces, req, (raw) => origins.dialectOf(raw)).renderError(new RosterError('not_found', `No route ${req.method} ${clientPath(req)}`), errorContext(req))),
  );

  // A 503 means the database is away for now (every surface renders its own body): tell the
  // client when to come back. Hooks on the root apply to every surface registered below.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (reply.statusCode === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', RETRY_AFTER_SECONDS);
    done(null, payload);
  });

  await app.register(swagger, nativeSwagger as never);

  for (const d of dialects) await app.register(d.plugin, { prefix: d.prefix, db, keys, limiter });
  await app.register(onboardingPlugin, { prefix: ONBOARDING_PREFIX, db });
  await app.register(consolePlugin, { prefix: '/console' });

  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await referenceRoutes(app, dialects, origins);
  app.get('/docs/errors', { schema: { hide: true } }, async (_req, reply) => {
    const rows = Object.entries(ERROR_CATALOG)
      .map(([code, e]) => `<tr id="${code}"><td><code>${code}</code></td><td>${e.status}</td><td>${e.title}</td></tr>`)
      .join('');
    return reply.type('text/html').send(`<!doctype html><title>Roster errors</title><h1>Error codes</h1><table><tr><th>code</th><th>status</th><th>title</th></tr>${rows}</table>`);
  });
  // Liveness: the process answers. Readiness: the database answers and its schema is this
  // build's, so a load balancer sends traffic only where requests can succeed.
  app.get('/health', { schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/ready', { schema: { hide: true } }, async (_req, reply) => {
    try {
      const pending = await pendingMigrations(db);
      if (pending.length) return reply.status(503).send({ ready: false, reason: `migrations not applied: ${pending.join(', ')}` });
      return { ready: true };
    } catch {
      return reply.status(503).send({ ready: false, reason: 'the database is unreachable' });
    }
  });
  return app;
}
