import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import swaggerUi from '@fastify/swagger-ui';
import type { Dialect } from '../dialects/index.ts';
import type { Origins } from './origins.ts';

// A reference per surface. Roster's own API is at /docs (from its routes' schemas); each dialect
// that declares a document serves it at <root>/openapi.json with a reference page at
// <root>/docs, so a client of one vendor reads that vendor's API and security scheme alone. On a
// dialect's own origin (origins.ts) the same paths are at /openapi.json and /docs, and the
// document's server is that origin. GET / on every origin says where they are.

const UI = { docExpansion: 'list', deepLinking: true } as const;

interface Reference {
  name: string;
  root: string;
  /** The document as served on the main listener (server: the dialect's prefix) and on its own origin. */
  main: string;
  own: string;
}

function reference(d: Dialect & { openapi: Record<string, unknown> }): Reference {
  const root = d.originRoot ?? d.prefix;
  const ownServer = d.prefix.slice(root.length) || '/';
  const at = (url: string) => JSON.stringify({ ...d.openapi, servers: [{ url, description: `Roster's ${d.name} dialect on this server` }] });
  return { name: d.name, root, main: at(d.prefix), own: at(ownServer) };
}

export async function referenceRoutes(app: FastifyInstance, dialects: readonly Dialect[], origins: Origins) {
  const refs = dialects.filter((d): d is Dialect & { openapi: Record<string, unknown> } => d.openapi !== undefined).map(reference);
  /** A path of a dialect's reference, as the client addresses it: without the root on the dialect's own origin. */
  const href = (req: FastifyRequest, root: string, path: string) => (origins.rootOf(req.raw) === root ? path : root + path);
  const documentFor = (req: FastifyRequest, r: Reference) => (origins.rootOf(req.raw) === r.root ? r.own : r.main);

  // @fastify/swagger-ui decorates the instance it is registered in: each copy in a context of its own.
  await app.register(async (ctx) => ctx.register(swaggerUi, { routePrefix: '/docs', uiConfig: UI }));
  for (const r of refs) {
    app.get(`${r.root}/openapi.json`, { schema: { hide: true } }, async (req, reply) => reply.type('application/json; charset=utf-8').send(documentFor(req, r)));
    await app.register(async (ctx) =>
      ctx.register(swaggerUi, {
        routePrefix: `${r.root}/docs`,
        uiConfig: UI,
        transformSpecificationClone: false,
        transformSpecification: (_native, req) => JSON.parse(documentFor(req as FastifyRequest, r)),
        // The page names its assets relative to itself only when its URL ends in a slash; without
        // one it names them by their full path on the main listener, which a dialect's own origin
        // would put under the root a second time.
        uiHooks: { onRequest: withTrailingSlash },
      }),
    );
  }

  const links = (docs: string, openapi: string) => ({ docs, openapi });
  app.get('/', { schema: { hide: true } }, async (_req, reply) => {
    const body = {
      name: 'Roster',
      reference: links('/docs', '/v1/openapi.json'),
      dialects: Object.fromEntries(refs.map((r) => [r.name, links(`${r.root}/docs/`, `${r.root}/openapi.json`)])),
      console: '/console',
    };
    return linked(reply, body.reference).send(body);
  });
  for (const r of refs) {
    app.get(r.root, { schema: { hide: true } }, async (req, reply) => {
      const body = { name: `Roster: ${r.name}`, reference: links(href(req, r.root, '/docs/'), href(req, r.root, '/openapi.json')) };
      return linked(reply, body.reference).send(body);
    });
  }
}

/** RFC 8631's link relations: where the reference page and the machine-readable document are. */
function linked(reply: FastifyReply, l: { docs: string; openapi: string }) {
  return reply.header('link', `<${l.docs}>; rel="service-doc", <${l.openapi}>; rel="service-desc"`);
}

async function withTrailingSlash(req: FastifyRequest, reply: FastifyReply) {
  const [path, query] = req.originalUrl.split(/\?(.*)/s);
  if (path.endsWith('/docs')) return reply.redirect(`${path}/${query ? `?${query}` : ''}`, 302);
}
