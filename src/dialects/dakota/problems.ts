import type { FastifyRequest } from 'fastify';
import { RosterError, type ErrorCode, type FieldError } from '../../core/errors.ts';
import { fieldErrors } from '../../http/validation.ts';
import { asRosterError as mapError } from '../../http/error-mapping.ts';
import type { ErrorContext, ErrorResponse } from '../index.ts';

// Errors in Dakota's RFC 9457 shape, with the `type` URLs of Dakota's error reference.

const DOCS = 'https://docs.dakota.xyz/api-reference/errors#';

const KIND: Record<ErrorCode, { fragment: string; title: string }> = {
  invalid_request: { fragment: 'invalid-request', title: 'Invalid request' },
  invalid_cursor: { fragment: 'invalid-request', title: 'Invalid request' },
  invalid_operation: { fragment: 'invalid-request', title: 'Invalid request' },
  unauthorized: { fragment: 'authentication-error', title: 'Unauthorized' },
  forbidden: { fragment: 'forbidden', title: 'Forbidden' },
  not_found: { fragment: 'not-found', title: 'Not found' },
  uri_too_long: { fragment: 'invalid-request', title: 'URI Too Long' },
  payload_too_large: { fragment: 'payload-too-large', title: 'Payload Too Large' },
  unsupported_media_type: { fragment: 'invalid-request', title: 'Unsupported Media Type' },
  header_fields_too_large: { fragment: 'invalid-request', title: 'Request Header Fields Too Large' },
  request_timeout: { fragment: 'invalid-request', title: 'Request Timeout' },
  conflict: { fragment: 'conflict', title: 'Conflict' },
  idempotency_mismatch: { fragment: 'conflict', title: 'Conflict' },
  rate_limited: { fragment: 'rate-limit-exceeded', title: 'Too Many Requests' },
  internal: { fragment: 'internal-error', title: 'Internal Server Error' },
  unavailable: { fragment: 'service-unavailable', title: 'Service Unavailable' },
};

/** A problem Dakota documents with its own title or `type` (e.g. "Customer not found", about:blank). */
export class DakotaProblem extends RosterError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly title: string,
    readonly typeUri?: string,
    fields: FieldError[] = [],
  ) {
    super(code, message, fields);
  }
}

export const customerNotFound = (id: string) => new DakotaProblem('not_found', `Customer not found: ${id}`, 'Customer not found');
export const userNotFound = (id: string) => new DakotaProblem('not_found', `User not found: ${id}`, 'User not found');

/** Any error thrown while serving a request, as the RosterError it means. */
export function asRosterError(error: unknown, log: FastifyRequest['log']): RosterError {
  // Dakota documents no 422: a reused idempotency key with another body is a conflict.
  if (error instanceof RosterError && error.code === 'idempotency_mismatch')
    return new DakotaProblem(
      'conflict',
      error.message,
      'Idempotency key reused',
      undefined,
      error.fields.map((f) => ({ ...f, field: 'x-idempotency-key' })),
    );
  if (error instanceof RosterError) return error;
  const e = error as { validation?: unknown[]; validationContext?: string };
  if (e.validation) {
    const fields = fieldErrors(e.validation as never, e.validationContext);
    return new RosterError('invalid_request', `Invalid ${e.validationContext ?? 'request'}: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`, fields);
  }
  return mapError(error, log);
}

/** A RosterError as Dakota's problem response. */
export function renderError(err: RosterError, ctx: ErrorContext): ErrorResponse {
  return { status: err.status, contentType: 'application/problem+json', body: problemBody(err, ctx.origin + ctx.path, ctx.requestId) };
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
