import type { FastifyInstance, FastifyRequest } from 'fastify';

// Optional OpenTelemetry tracing, switched on by OpenTelemetry's own environment variables
// (an OTLP endpoint, or OTEL_TRACES_EXPORTER; see settings.ts). When they are absent nothing of
// OpenTelemetry is imported: every package is loaded here, on start, and only then.
//
// Spans: one per request (kind SERVER, named by method and route pattern, joined to the
// caller's trace through its traceparent header) and one per database statement beneath it
// (kind CLIENT). Attributes hold route patterns, status codes and fixed words, never a path, a
// query string, a statement's values or its text.

export interface DbSpan {
  store: string;
  target: string;
  kind: string;
}

interface Tracing {
  db<T>(span: DbSpan, work: () => Promise<T>): Promise<T>;
  install(app: FastifyInstance): void;
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

/** The running tracer, or undefined when tracing is off. */
export const tracing = (): Tracing | undefined => active;

export interface TracingSettings {
  /** OTEL_TRACES_EXPORTER as set: otlp (the default), console or none. */
  exporter: string;
  /** OTEL_EXPORTER_OTLP_TRACES_PROTOCOL or OTEL_EXPORTER_OTLP_PROTOCOL: http/protobuf (default) or http/json. */
  protocol: string;
}

/** Starts tracing; the exporters read their endpoint, headers and timeouts from OTEL_* themselves. */
export async function startTracing(s: TracingSettings, version: string): Promise<void> {
  const [api, { NodeTracerProvider, BatchSpanProcessor, ConsoleSpanExporter }, { detectResources, envDetector, resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/resources'),
  ]);
  const exporter =
    s.exporter === 'console'
      ? new ConsoleSpanExporter()
      : s.protocol === 'http/json'
        ? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter()
        : new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over these.
  const resource = resourceFromAttributes({ 'service.name': 'roster', 'service.version': version }).merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
  // The W3C traceparent propagator and a context kept across awaits (AsyncLocalStorage).
  provider.register();
  const tracer = api.trace.getTracer('roster', version);
  const spans = new WeakMap<FastifyRequest, ReturnType<typeof tracer.startSpan>>();

  active = {
    db(d, work) {
      return tracer.startActiveSpan(
        `${d.store} ${d.kind}`,
        { kind: api.SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', 'roster.db.store': d.store, 'roster.db.target': d.target, 'roster.db.kind': d.kind } },
        async (span) => {
          try {
            return await work();
          } catch (e) {
            span.setStatus({ code: api.SpanStatusCode.ERROR, message: (e as { code?: string }).code ?? 'error' });
            throw e;
          } finally {
            span.end();
          }
        },
      );
    },
    install(app) {
      // Registered first, so that every later hook and the handler run in the request's span.
      app.addHook('onRequest', (req, _reply, done) => {
        const route = req.routeOptions?.url ?? 'unmatched';
        const parent = api.propagation.extract(api.ROOT_CONTEXT, req.headers);
        const span = tracer.startSpan(
          `${req.method} ${route}`,
          { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'http.route': route, 'url.scheme': req.protocol } },
          parent,
        );
        spans.set(req, span);
        api.context.with(api.trace.setSpan(parent, span), done);
      });
      app.addHook('onResponse', async (req, reply) => {
        const span = spans.get(req);
        if (!span) return;
        span.setAttribute('http.response.status_code', reply.statusCode);
        if (reply.statusCode >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR });
        span.end();
      });
    },
    shutdown: () => provider.shutdown(),
  };
}

export async function stopTracing(): Promise<void> {
  const t = active;
  active = undefined;
  await t?.shutdown();
}
