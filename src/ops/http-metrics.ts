import type { FastifyInstance } from 'fastify';
import type { Surface } from '../dialects/index.ts';
import { surfaceOf } from '../http/surface-errors.ts';
import { httpDuration, httpRequests, registry } from './metrics.ts';
import type { CounterSeries, HistogramSeries } from './series-metrics.ts';

// Every response counted and timed by surface, route pattern, method and status, and GET
// /metrics. A request no route matched is counted under the route "unmatched": its path is
// never a label.

/** The series of one route pattern and method, found once per process. */
interface RouteSeries {
  labels: { surface: string; route: string; method: string };
  duration: HistogramSeries;
  byStatus: Map<number, CounterSeries>;
}

export function installHttpMetrics(app: FastifyInstance, surfaces: readonly Surface[], opts: { serve: boolean }) {
  const routes = new Map<string, RouteSeries>();
  const seriesOf = (method: string, route: string | undefined, path: string): RouteSeries => {
    // An unmatched request's surface is its path's; a route's is its pattern's.
    const surface = route === undefined ? surfaceOf(surfaces, path.split('?')[0]).name : undefined;
    const key = `${method} ${route ?? `unmatched ${surface}`}`;
    let found = routes.get(key);
    if (!found) {
      const labels = { surface: surface ?? surfaceOf(surfaces, route!).name, route: route ?? 'unmatched', method };
      routes.set(key, (found = { labels, duration: httpDuration.of(labels), byStatus: new Map() }));
    }
    return found;
  };

  app.addHook('onResponse', (req, reply, done) => {
    const s = seriesOf(req.method, req.routeOptions?.url, req.url);
    let count = s.byStatus.get(reply.statusCode);
    if (!count) s.byStatus.set(reply.statusCode, (count = httpRequests.of({ ...s.labels, status: String(reply.statusCode) })));
    count.inc();
    s.duration.observe(reply.elapsedTime / 1000);
    done();
  });
  if (!opts.serve) return;
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
}
