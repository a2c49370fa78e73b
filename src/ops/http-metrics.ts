import type { FastifyInstance } from 'fastify';
import type { Surface } from '../dialects/index.ts';
import { surfaceOf } from '../http/surface-errors.ts';
import { httpDuration, httpRequests, registry } from './metrics.ts';

// Every response counted and timed by surface, route pattern, method and status, and GET
// /metrics. A request no route matched is counted under the route "unmatched": its path is
// never a label.

export function installHttpMetrics(app: FastifyInstance, surfaces: readonly Surface[], opts: { serve: boolean }) {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions?.url;
    const surface = surfaceOf(surfaces, route ?? req.url.split('?')[0]).name;
    const labels = { surface, route: route ?? 'unmatched', method: req.method };
    httpRequests.inc({ ...labels, status: String(reply.statusCode) });
    httpDuration.observe(labels, reply.elapsedTime / 1000);
  });
  if (!opts.serve) return;
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
}
