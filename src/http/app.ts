import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ERROR_CATALOG } from '../core/errors.ts';
import type { Db } from '../store/db.ts';
import { KeyResolver } from './auth.ts';
import { loadDialects } from '../dialects/index.ts';
import { pendingMigrations } from '../store/migrate.ts';
import { onboardingPlugin } from '../onboarding/plugin.ts';
import { ONBOARDING_PREFIX } from '../onboarding/links.ts';
import { consolePlugin } from '../console/serve.ts';

const RETRY_AFTER_SECONDS = '2';

export interface AppOptions {
  db: Db;
  logger?: boolean;
  /** The API-key resolver, when the caller needs to reach its cache (revocations elsewhere). */
  keys?: KeyResolver;
}

/** The HTTP server: every API surface is its own plugin under its own prefix. */
export async function buildApp({ db, logger = false, keys = new KeyResolver(db) }: AppOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    logger: logger && {
      level: 'info',
      // Requests are logged without query strings or headers: they can carry personal data and keys.
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
        // Driver errors carry the statement's parameters (emails, names): log only what identifies the fault.
        err: (e: Error & { code?: string }) => ({ type: e.name, message: e.message, code: e.code ?? '', stack: e.stack ?? '' }),
      },
    },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true, allErrors: true } },
  });

  // A 503 means the database is away for now (every surface renders its own body): tell the
  // client when to come back. Hooks on the root apply to every surface registered below.
  app.addHook('onSend', async (_req, reply) => {
    if (reply.statusCode === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', RETRY_AFTER_SECONDS);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Roster API', version: '1', description: 'The customer and user directory. Authenticate with `Authorization: Bearer <api key>` or `x-api-key`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
  });

  for (const d of await loadDialects()) await app.register(d.plugin, { prefix: d.prefix, db, keys });
  await app.register(onboardingPlugin, { prefix: ONBOARDING_PREFIX, db });
  await app.register(consolePlugin, { prefix: '/console' });

  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/docs/errors', { schema: { hide: true } }, async (_req, reply) => {
    const rows = Object.entries(ERROR_CATALOG).map(([code, e]) => `<tr id="${code}"><td><code>${code}</code></td><td>${e.status}</td><td>${e.title}</td></tr>`).join('');
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
