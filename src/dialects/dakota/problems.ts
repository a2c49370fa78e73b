import type { FastifyRequest } from 'fastify';
import { RosterError, type ErrorCode, type FieldError } from '../../core/errors.ts';
import { fieldErrors } from '../../http/validation.ts';

// Errors in Dakota's RFC 9457 shape, with the `type` URLs of Dakota's error reference.

const DOCS = 'https://docs.dakota.xyz/api-reference/errors#';

const KIND: Record<ErrorCode, { fragment: string; title: string }> = {
  invalid_request: { fragment: 'invalid-request', title: 'Invalid request' },
  invalid_cursor: { fragment: 'invalid-request', title: 'Invalid request' },
  invalid_operation: { fragment: 'invalid-request', title: 'Invalid request' },
  unauthorized: { fragment: 'authentication-error', title: 'Unauthorized' },
  forbidden: { fragment: 'forbidden', title: 'Forbidden' },
  not_found: { fragment: 'not-found', title: 'Not found' },
  conflict: { fragment: 'conflict', title: 'Conflict' },
  idempotency_mismatch: { fragment: 'conflict', title: 'Conflict' },
  rate_limited: { fragment: 'rate-limit-exceeded', title: 'Too Many Requests' },
  internal: { fragment: 'internal-error', title: 'Internal Server Error' },
  unavailable: { fragment: 'service-unavailable', title: 'Service Unavailable' },
};

/** A problem Dakota documents with its own title or `type` (e.g. "Customer not found", about:blank). */
export class DakotaProblem extends RosterError {
  constructor(code: ErrorCode, message: string, readonly title: string, readonly typeUri?: string, fields: FieldError[] = []) {
    super(code, message, fields);
  }
}

export const customerNotFound = (id: string) => new DakotaProblem('not_found', `Customer not found: ${id}`, 'Customer not found');
export const userNotFound = (id: string) => new DakotaProblem('not_found', `User not found: ${id}`, 'User not found');

/** Any error thrown while serving a request, as the RosterError it means. */
export function asRosterError(error: unknown, log: FastifyRequest['log']): RosterError {
  // Dakota documents no 422: a reused idempotency key with another body is a conflict.
  if (error instanceof RosterError && error.code === 'idempotency_mismatch') return new DakotaProblem('conflict', error.message, 'Idempotency key reused', undefined, error.fields.map((f) => ({ ...f, field: 'x-idempotency-key' })));
  if (error instanceof RosterError) return error;
  const e = error as { validation?: unknown[]; validationContext?: string; statusCode?: number; message?: string };
  if (e.validation) {
    const fields = fieldErrors(e.validation as never, e.validationContext);
    return new RosterError('invalid_request', `Invalid ${e.validationContext ?? 'request'}: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`, fields);
  }
  if (e.statusCode === 404) return new RosterError('not_found', e.message ?? 'Not found');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    const err = new RosterError('invalid_request', e.message ?? 'Invalid request');
    (err as { status: number }).status = e.statusCode;
    return err;
  }
  log.error({ err: error }, 'unhandled error');
  return new RosterError('internal', 'An internal error occurred');
}

export function problemBody(err: RosterError, instance: string, requestId: string) {
  const kind = KIND[err.code];
  const own = err instanceof DakotaProblem ? err : undefined;
  return {
    type: own?.typeUri ?? DOCS + kind.fragment,
    title: own?.title ?? kind.title,
    status: err.status,
    detail: err.message,
    instance,
    request_id: requestId,
    ...(err.fields.length ? { errors: err.fields } : {}),
  };
}
