import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort, roster, stop } from './support/processes.ts';

// Tracing as an operator switches it on: OpenTelemetry's standard variables pointing `roster
// serve` at an OTLP/HTTP collector (here a small receiver of OTLP JSON). A request that carries
// a traceparent continues the caller's trace, with a span per statement beneath it; no span
// holds a path or a value. Without those variables nothing of OpenTelemetry is loaded.

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}

function receiver(): Promise<{ server: Server; url: string; spans: OtlpSpan[]; resources: unknown[] }> {
  const spans: OtlpSpan[] = [];
  const resources: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        for (const rs of JSON.parse(body).resourceSpans ?? []) {
          resources.push(rs.resource);
          for (const ss of rs.scopeSpans ?? []) spans.push(...ss.spans);
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, spans, resources })));
}

const attr = (s: OtlpSpan, key: string) => Object.values(s.attributes.find((a) => a.key === key)?.value ?? {})[0];

test('OTEL_* variables switch tracing on: a server span per request in the caller’s trace, a span per statement beneath it', { timeout: 180_000 }, async () => {
  const collector = await receiver();
  const dir = mkdtempSync(join(tmpdir(), 'roster-otel-'));
  const port = await freePort();
  const server = roster(['serve', '--port', String(port), '--data-dir', dir, '--demo-customers', '50'], {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_SERVICE_NAME: 'roster-under-test',
  });
  try {
    await server.waitFor(/API reference/);
    const key = /api_key: +(\S+)/.exec(server.output())![1];
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    const email = 'secret.person@example.com';
    const res = await fetch(`http://127.0.0.1:${port}/v1/customers?limit=3&email=${encodeURIComponent(email)}`, {
      headers: { authorization: `Bearer ${key}`, traceparent: `00-${traceId}-${parentId}-01` },
    });
    assert.equal(res.status, 200);
    let root: OtlpSpan | undefined;
    for (let i = 0; i < 100 && !root; i++) {
      await new Promise((r) => setTimeout(r, 100));
      root = collector.spans.find((s) => s.traceId === traceId && s.parentSpanId === parentId);
    }
    assert.ok(root, `a span in the caller's trace; got ${collector.spans.map((s) => s.name).join(', ')}`);
    assert.equal(root.name, 'GET /v1/customers');
    assert.equal(root.kind, 2, 'SERVER');
    assert.equal(attr(root, 'http.route'), '/v1/customers');
    assert.equal(Number(attr(root, 'http.response.status_code')), 200);
    // The statements arrive in the same batch or the next.
    await new Promise((r) => setTimeout(r, 500));
    const statements = collector.spans.filter((s) => s.traceId === traceId && s.parentSpanId === root!.spanId);
    assert.ok(statements.length >= 1, 'a span per statement, beneath the request');
    assert.ok(statements.every((s) => s.kind === 3 && attr(s, 'db.system.name') === 'postgresql'));
    assert.ok(statements.some((s) => attr(s, 'roster.db.kind') === 'tenant_read'));
    assert.ok(JSON.stringify(collector.resources).includes('roster-under-test'), 'OTEL_SERVICE_NAME names the service');
    const all = JSON.stringify(collector.spans);
    assert.ok(!all.includes(email) && !all.includes(encodeURIComponent(email)) && !all.includes(key), 'no query string, value or key in any span');
  } finally {
    await stop(server);
    collector.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('OpenTelemetry is imported by the tracing module alone, and only when tracing starts', () => {
  const root = join(import.meta.dirname, '..', 'src');
  const files = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : [join(d, n)]));
  for (const f of files(root).filter((f) => /\.tsx?$/.test(f))) {
    const text = readFileSync(f, 'utf8');
    assert.doesNotMatch(text, /^import [^;]*from '@opentelemetry\//m, `${f} imports OpenTelemetry statically`);
    if (!f.endsWith(join('ops', 'tracing.ts'))) assert.doesNotMatch(text, /import\('@opentelemetry\//, f);
  }
});
