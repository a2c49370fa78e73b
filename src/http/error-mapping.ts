import type { FastifyBaseLogger } from 'fastify';
import { RosterError, type ErrorCode } from '../core/errors.ts';
import { clientFault } from '../store/client-faults.ts';
import { storeError } from '../store/faults.ts';

// Every thrown value as the RosterError a surface renders: the surface's own errors, Fastify's
// client errors (bad JSON, body too large, wrong content type, bad URL), database errors caused
// by a request's values, a database that went away. Anything else is a bug: logged, and a 500.

const BY_STATUS: Record<number, ErrorCode> = {
  404: 'not_found',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'header_fields_too_large',
};

/** Fastify's own client errors (they carry a 4xx statusCode and an FST_ code) as RosterErrors. */
export function frameworkFault(error: unknown): RosterError | undefined {
  const e = error as { statusCode?: unknown; message?: unknown; code?: unknown } | null;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  const code = BY_STATUS[status] ?? 'invalid_request';
  return new RosterError(code, typeof e?.message === 'string' ? e.message : 'Bad request', [], { cause: error });
}

/**
 * The RosterError an error means, or undefined for a bug. Validation errors are left to each
 * surface, which words them its own way.
 */
export function knownError(error: unknown): RosterError | undefined {
  if (error instanceof RosterError) return error;
  const mapped = storeError(error);
  if (mapped instanceof RosterError) return mapped;
  return clientFault(error) ?? frameworkFault(error);
}

/** knownError, else the bug is logged (without request values) and answered as internal. */
export function asRosterError(error: unknown, log: FastifyBaseLogger): RosterError {
  const known = knownError(error);
  if (known) return known;
  log.error({ err: error }, 'unhandled error');
  return new RosterError('internal', 'An internal error occurred');
}
