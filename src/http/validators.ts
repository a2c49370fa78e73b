import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifySchemaCompiler } from 'fastify';
import { parseDate, parseInstant } from '../core/instant.ts';

// Request validation with two Ajv instances: query strings, path parameters and headers arrive as
// text, so they are coerced (`limit=20` is the number 20, `roles=a` a one-item array), while a
// JSON body is taken as typed (`"first_name": 42` is an error, not the string "42"). Both use
// date formats held to what PostgreSQL stores (years 1–9999, no leap second).

const BASE = { removeAdditional: false, useDefaults: true, allErrors: true } as const;

const strictFormats = (ajv: { addFormat(name: string, f: (s: string) => boolean): unknown }) => {
  ajv.addFormat('date-time', (s) => parseInstant(s) !== undefined);
  ajv.addFormat('date', (s) => parseDate(s) !== undefined);
};

type Route = { schema: unknown; method: string; url: string; httpPart?: string };
type Factory = (externalSchemas: unknown, options: unknown) => (route: Route) => unknown;

/** Fastify's schemaController.compilersFactory.buildValidator. */
export function buildValidator(externalSchemas: unknown, serverOptions: Record<string, unknown> = {}) {
  const pool = AjvCompiler() as unknown as Factory;
  const loose = pool(externalSchemas, { ...serverOptions, customOptions: { ...BASE, coerceTypes: 'array' }, onCreate: strictFormats });
  const strict = pool(externalSchemas, { ...serverOptions, customOptions: { ...BASE, coerceTypes: false }, onCreate: strictFormats });
  return ((route: Route) => (route.httpPart === 'body' ? strict : loose)(route)) as unknown as FastifySchemaCompiler<unknown>;
}
