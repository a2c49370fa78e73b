import type { FastifyRequest } from 'fastify';
import { RosterError, type ErrorCode } from '../../core/errors.ts';
import { fieldErrors } from '../../http/validation.ts';
import { asRosterError as mapError } from '../../http/error-mapping.ts';
import type { ErrorContext, ErrorResponse } from '../index.ts';

// Errors in Spirii's envelope {"error": {type, code, message, param?, request_id}}. Statuses
// follow Spirii's reference wording: 403 when credentials are missing or not valid, 401 when
// a valid credential lacks permission for the operation.

const SHAPE: Record<ErrorCode, { status: number; type: string }> = {
  invalid_request: { status: 400, type: 'invalid_request' },
  invalid_cursor: { status: 400, type: 'invalid_request' },
  invalid_operation: { status: 400, type: 'invalid_request' },
  unauthorized: { status: 403, type: 'authentication_error' },
  forbidden: { status: 401, type: 'permission_error' },
  not_found: { status: 404, type: 'not_found' },
  uri_too_long: { status: 414, type: 'invalid_request' },
  payload_too_large: { status: 413, type: 'invalid_request' },
  unsupported_media_type: { status: 415, type: 'invalid_request' },
  header_fields_too_large: { status: 431, type: 'invalid_request' },
  request_timeout: { status: 408, type: 'invalid_request' },
  conflict: { status: 409, type: 'conflict' },
  idempotency_mismatch: { status: 422, type: 'invalid_request' },
  rate_limited: { status: 429, type: 'rate_limited' },
  internal: { status: 500, type: 'api_error' },
  unavailable: { status: 503, type: 'api_error' },
};

/** Canonical field names the store reports, as a Spirii client knows them. */
const PARAM: Record<string, string> = { parent_id: 'ownerId', external_id: 'externalId', type: 'type', name: 'name', country: 'country' };

const DEFAULT_CODE: Record<ErrorCode, string> = {
  invalid_request: 'invalid_parameter',
  invalid_cursor: 'invalid_parameter',
  invalid_operation: 'operation_not_allowed',
  unauthorized: 'invalid_credentials',
  forbidden: 'insufficient_permissions',
  not_found: 'not_found',
  uri_too_long: 'uri_too_long',
  payload_too_large: 'payload_too_large',
  unsupported_media_type: 'unsupported_media_type',
  header_fields_too_large: 'header_fields_too_large',
  request_timeout: 'request_timeout',
  conflict: 'duplicate',
  idempotency_mismatch: 'idempotency_mismatch',
  rate_limited: 'rate_limit_exceeded',
  internal: 'internal_error',
  unavailable: 'service_unavailable',
};

export function errorBody(err: RosterError, requestId: string) {
  const first = err.fields[0];
  const param = first ? (PARAM[first.field] ?? first.field) : undefined;
  let message = err.message;
  if (err.code === 'conflict' && param) message = `A customer with this ${param} already exists`;
  else if (first && param !== first.field) message = `${param}: ${first.message}`;
  return {
    error: {
      type: SHAPE[err.code].type,
      code: first?.code && first.code !== 'duplicate' ? first.code : DEFAULT_CODE[err.code],
      message,
      ...(param ? { param } : {}),
      request_id: requestId,
    },
  };
}

export const statusOf = (err: RosterError) => SHAPE[err.code].status;

/** Any thrown value as a RosterError: the dialect's own, validation errors, else the server's mapping. */
export function asRosterError(error: unknown, req: FastifyRequest): RosterError {
  const e = error as { validation?: unknown[]; validationContext?: string; message?: string };
  if (e.validation) return new RosterError('invalid_request', e.message ?? 'Invalid request', fieldErrors(e.validation as never, e.validationContext));
  return mapError(error, req.log);
}

/** A RosterError as Spirii's {"error": {...}} response. */
export function renderError(err: RosterError, ctx: ErrorContext): ErrorResponse {
  return { status: statusOf(err), contentType: 'application/json; charset=utf-8', body: errorBody(err, ctx.requestId) };
}
