import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import type { FieldError } from '../core/errors.ts';

// Ajv reports one error per branch of a union (`string | null` fails as "not a string",
// "not null" and "no branch matched"); a client wants one clear error per field.
const GENERIC = new Set(['type', 'anyOf', 'oneOf']);

/** Turns Fastify/Ajv validation errors into one field error per bad parameter. */
export function fieldErrors(errors: FastifySchemaValidationError[], context: string | undefined): FieldError[] {
  const byField = new Map<string, FieldError>();
  for (const e of errors) {
    const path = (e.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
    const params = e.params as { missingProperty?: string; additionalProperty?: string };
    const field = (params.missingProperty ?? (params.additionalProperty ? (path ? `${path}.${params.additionalProperty}` : params.additionalProperty) : path)) || context || 'body';
    const err: FieldError = { field, message: params.additionalProperty ? 'is not a known field' : (e.message ?? 'is invalid'), code: e.keyword };
    const prior = byField.get(field);
    if (!prior || (GENERIC.has(prior.code ?? '') && !GENERIC.has(e.keyword))) byField.set(field, err);
  }
  return [...byField.values()];
}
