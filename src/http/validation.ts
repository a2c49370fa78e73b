import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import type { FieldError } from '../core/errors.ts';

/** Turns Fastify/Ajv validation errors into field errors that name the bad parameter. */
export function fieldErrors(errors: FastifySchemaValidationError[], context: string | undefined): FieldError[] {
  return errors.map((e) => {
    const path = (e.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
    const missing = (e.params as { missingProperty?: string }).missingProperty;
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    const field = missing ?? (extra ? (path ? `${path}.${extra}` : extra) : path) ?? context ?? '';
    return { field: field || context || 'body', message: extra ? 'is not a known field' : e.message ?? 'is invalid', code: e.keyword };
  });
}
