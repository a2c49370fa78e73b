import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { RosterError } from '../core/errors.ts';
import type { ErrorContext, ErrorResponse, Surface } from '../dialects/index.ts';
import { frameworkFault } from './error-mapping.ts';
import { newRequestId } from './request-id.ts';

// Errors met before a route is found — a malformed percent-escape, a path parameter too long,
// a request line or headers too large — answered in the shape of the surface whose prefix the
// path starts with, so no client ever sees the framework's own error body.

/** The surface a path belongs to: the longest matching prefix, else the native API's. */
export function surfaceOf(surfaces: readonly Surface[], path: string): Surface {
  let best: Surface | undefined;
  for (const d of surfaces) {
    if ((path === d.prefix || path.startsWith(d.prefix + '/')) && (!best || d.prefix.length > best.prefix.length)) best = d;
  }
  return best ?? surfaces.find((d) => d.name === 'native') ?? surfaces[0];
}

/**
 * The surface a request belongs to: the dialect whose own origin it came to (origins.ts), else
 * the one its path names.
 */
export function requestSurface(surfaces: readonly Surface[], req: FastifyRequest, dialectOf?: (raw: FastifyRequest['raw']) => string | undefined): Surface {
  const named = dialectOf?.(req.raw);
  return (named !== undefined && surfaces.find((s) => s.name === named)) || surfaceOf(surfaces, req.url.split('?')[0]);
}

/** The path as the client sent it (a dialect's own origin serves its paths under its root: origins.ts). */
export const clientPath = (req: FastifyRequest) => (req.originalUrl ?? req.url).split('?')[0];

export function errorContext(req: FastifyRequest): ErrorContext {
  return { method: req.method, path: clientPath(req), requestId: String(req.id), origin: `${req.protocol}://${req.host}` };
}

export function sendErrorResponse(reply: FastifyReply, r: ErrorResponse) {
  if (r.headers) reply.headers(r.headers);
  return reply.status(r.status).type(r.contentType).send(r.body);
}

/** Fastify's `frameworkErrors`: a bad URL or an over-long path parameter, before routing. */
export function frameworkErrorHandler(dialects: readonly Surface[], dialectOf?: (raw: FastifyRequest['raw']) => string | undefined) {
  return (error: Error, req: FastifyRequest, reply: FastifyReply) => {
    const err = frameworkFault(error) ?? new RosterError('invalid_request', 'The request URL is not valid');
    const message =
      (error as { code?: string }).code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path segment is longer than any identifier this API takes' : 'The request URL is not valid (a malformed percent-escape?)';
    const shown = new RosterError(err.code, message, [{ field: 'path', message, code: err.code }]);
    reply.header('x-request-id', req.id);
    return sendErrorResponse(reply, requestSurface(dialects, req, dialectOf).renderError(shown, errorContext(req)));
  };
}

const CLIENT_ERRORS: Record<string, () => RosterError> = {
  HPE_HEADER_OVERFLOW: () => new RosterError('header_fields_too_large', 'The request line and headers are over 16 KiB'),
  ERR_HTTP_REQUEST_TIMEOUT: () => new RosterError('request_timeout', 'The request took too long to arrive'),
};

/**
 * When each connection was accepted: a client error's log line says how long it had been open.
 * Beside the socket, not on it, so Node's sockets keep their own shape; gone with the socket.
 */
const opened = new WeakMap<Socket, number>();

/** Notes the time a connection was accepted (a server's `connection` listener). */
export const markOpened = (socket: Socket) => {
  opened.set(socket, performance.now());
};

/**
 * Node's `clientError`: requests the HTTP parser refused (headers over 16 KiB, malformed
 * requests) or that did not arrive within the server's headers timeout. Written to the socket
 * by hand, as Node has no response object for them; the surface is read from the start of the
 * request line when it got that far. A HEAD request gets no body, or the connection would be
 * out of step.
 *
 * Each is logged (a timeout as a warning, since a client that sent its request at once should
 * never meet one) with what tells a slow client from a stalled server: how long the connection
 * had been open and how many bytes it had sent. The surface and method only: no path, which can
 * hold an email or a name.
 */
export function clientErrorHandler(dialects: readonly Surface[], root: string, logger: () => FastifyBaseLogger | undefined) {
  return (err: Error & { code?: string; rawPacket?: Buffer }, socket: Socket) => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const line = err.rawPacket ? err.rawPacket.subarray(0, 4096).toString('latin1').split('\r\n')[0] : '';
    const [method = 'GET', target = '/'] = line.split(' ');
    // On a dialect's own origin (origins.ts) its paths start at `/`: the surface is its.
    const path = root + target.split('?')[0];
    const timeout = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const rosterErr = CLIENT_ERRORS[err.code ?? '']?.() ?? new RosterError('invalid_request', 'The request is not valid HTTP');
    const requestId = newRequestId();
    const surface = surfaceOf(dialects, path);
    const log = logger();
    if (log) {
      const since = opened.get(socket);
      const fields = {
        reqId: requestId,
        code: err.code ?? '',
        surface: surface.name,
        method: line ? method.slice(0, 16) : '',
        connectionMs: since === undefined ? null : Math.round(performance.now() - since),
        bytesRead: socket.bytesRead,
      };
      if (timeout) log.warn(fields, 'request timed out before it arrived');
      else log.info(fields, 'request refused by the HTTP parser');
    }
    const r = surface.renderError(rosterErr, { method, path, requestId, origin: '' });
    const body = method === 'HEAD' ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    const headers = { ...r.headers, 'content-type': r.contentType, 'content-length': String(Buffer.byteLength(body)), 'x-request-id': requestId, connection: 'close' };
    if (!socket.writable) return void socket.destroy(err);
    const head = Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    // end() rather than destroy(): the answer is flushed before the connection closes (a
    // destroy can drop it, and the client sees a closed connection instead of the status).
    socket.end(`HTTP/1.1 ${r.status} ${STATUS_CODES[r.status]}\r\n${head}\r\n${body}`);
    socket.setTimeout(5_000, () => socket.destroy());
  };
}
