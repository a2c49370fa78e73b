import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { loadDialects } from '../dialects/index.ts';
import { clientErrorHandler, markOpened } from './surface-errors.ts';
import { errorShapeFault, type Surface } from '../../test/support/error-shapes.ts';

// A request the HTTP parser refuses, or one whose headers do not arrive within the server's
// headers timeout, is answered in its surface's shape and logged with what tells a slow client
// from a stalled server, and nothing of the path (which can hold an email).

type Logged = { level: 'warn' | 'info'; fields: Record<string, unknown>; message: string };

async function serve(headersTimeout: number) {
  const logged: Logged[] = [];
  const log = {
    warn: (fields: Record<string, unknown>, message: string) => logged.push({ level: 'warn', fields, message }),
    info: (fields: Record<string, unknown>, message: string) => logged.push({ level: 'info', fields, message }),
  };
  const server: Server = createServer({ headersTimeout, requestTimeout: headersTimeout * 2, connectionsCheckingInterval: 20 }, (_req, res) => res.end('ok'));
  server.on('connection', markOpened);
  server.on(
    'clientError',
    clientErrorHandler(await loadDialects(), '', () => log as unknown as FastifyBaseLogger),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return { logged, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The status of a raw answer, and whether its body is in `surface`'s error shape. */
function shapeFault(answer: string, surface: Surface, status: number): string | undefined {
  const [head, body] = answer.split('\r\n\r\n');
  if (!head.startsWith(`HTTP/1.1 ${status} `)) return `not a ${status}: ${head.split('\r\n')[0]}`;
  const type = /^content-type: (.+)$/im.exec(head)?.[1] ?? null;
  return errorShapeFault(surface, status, type, JSON.parse(body));
}

/** Sends `parts` with `pause` ms between them; resolves with everything the server answered. */
function exchange(port: number, parts: string[], pause = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', async () => {
      for (const [i, p] of parts.entries()) {
        if (i) await new Promise((r) => setTimeout(r, pause));
        if (!socket.destroyed) socket.write(p);
      }
    });
    let out = '';
    socket.on('data', (d) => {
      out += d;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(out));
  });
}

// Node hands a timeout no bytes of the request, so its surface is the origin's (the native API
// on the shared origin), with a problem whose status is the 408 it is sent with.
test('headers that stop arriving: a 408 problem, logged as a warning with the connection age', async () => {
  const s = await serve(150);
  try {
    const head = 'GET /spirii/v2/customers?email=ann@example.com HTTP/1.1\r\nHost: roster\r\n';
    const answer = await exchange(s.port, [head]);
    assert.equal(shapeFault(answer, 'native', 408), undefined, answer);
    assert.match(answer, /"code":"request_timeout"/);
    assert.match(answer, /connection: close/i);
    assert.match(answer, /took too long to arrive/);
    assert.equal(s.logged.length, 1);
    const [{ level, fields, message }] = s.logged;
    assert.equal(level, 'warn');
    assert.equal(message, 'request timed out before it arrived');
    assert.equal(fields.code, 'ERR_HTTP_REQUEST_TIMEOUT');
    assert.equal(fields.bytesRead, Buffer.byteLength(head));
    assert.ok(typeof fields.connectionMs === 'number' && fields.connectionMs >= 150, `open for at least the headers timeout (${fields.connectionMs} ms)`);
    assert.match(String(fields.reqId), /\S/);
    assert.ok(!JSON.stringify(s.logged).includes('example.com'), 'nothing of the path or query is logged');
  } finally {
    await s.close();
  }
});

test('a connection that never sends a byte: 408, logged with no bytes read', async () => {
  const s = await serve(100);
  try {
    const answer = await exchange(s.port, []);
    assert.equal(shapeFault(answer, 'native', 408), undefined, answer);
    assert.equal(s.logged[0]?.fields.bytesRead, 0);
  } finally {
    await s.close();
  }
});

test('a request the parser refuses: its surface shape, logged as information without the path', async () => {
  const s = await serve(5_000);
  try {
    const answer = await exchange(s.port, ['GET /dakota/customers/ann@example.com HTTP/1.1\r\nHost: roster\r\nBad Header\r\n\r\n']);
    assert.equal(shapeFault(answer, 'dakota', 400), undefined, answer);
    assert.deepEqual(
      s.logged.map((l) => [l.level, l.fields.surface, l.fields.method]),
      [['info', 'dakota', 'GET']],
    );
    assert.ok(!JSON.stringify(s.logged).includes('example.com'), 'nothing of the path is logged');
  } finally {
    await s.close();
  }
});
