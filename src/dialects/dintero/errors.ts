import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RosterError, FieldError } from '../../core/errors.ts';
import { fieldErrors } from '../../http/validation.ts';
import { clientPath } from '../../http/surface-errors.ts';
import { asRosterError } from '../../http/error-mapping.ts';
import { errorContext, sendErrorResponse } from '../../http/surface-errors.ts';
import type { ErrorContext, ErrorResponse } from '../index.ts';

// Dintero's error body: {"error": {"code", "message", "errors"?}}. The code is the status's
// reason phrase in capitals, as in the docs' example {"code": "NOT FOUND"}.

/** Dintero answers a duplicate customer_id, email or phone_number with 400, not 409. */
const statusOf = (e: RosterError) => (e.code === 'conflict' ? 400 : e.status);

export function errorBody(status: number, message: string, errors: FieldError[] = []) {
  return { error: { code: (STATUS_CODES[status] ?? 'ERROR').toUpperCase(), message, ...(errors.length ? { errors } : {}) } };
}

export function sendError(reply: FastifyReply, status: number, message: string, errors: FieldError[] = []) {
  return reply
    .status(status)
    .type('application/json; charset=utf-8')
    .send(errorBody(status, message, errors));
}

/** A RosterError as Dintero's error response; the canonical external_id is Dintero's customer_id. */
export function renderError(error: RosterError, _ctx?: ErrorContext): ErrorResponse {
  const fields = error.fields.map((f) => (f.field === 'external_id' ? { ...f, field: 'customer_id' } : f));
  const status = statusOf(error);
  return { status, contentType: 'application/json; charset=utf-8', body: errorBody(status, error.message.replace(/\bexternal_id\b/g, 'customer_id'), fields) };
}

export function errorHandler(error: unknown, req: FastifyRequest, reply: FastifyReply) {
  const e = error as { validation?: unknown[]; validationContext?: string };
  if (e.validation) {
    const fields = fieldErrors(e.validation as never, e.validationContext);
    const message = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
    return sendError(reply, 400, `Invalid ${e.validationContext ?? 'request'}: ${message}`, fields);
  }
  return sendErrorResponse(reply, renderError(asRosterError(error, req.log), errorContext(req)));
}

export function notFoundHandler(req: FastifyRequest, reply: FastifyReply) {
  return sendError(reply, 404, `No route ${req.method} ${clientPath(req)}`);
}
