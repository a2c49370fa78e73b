import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RosterError, type FieldError } from '../core/errors.ts';
import { textFault } from '../core/text.ts';

// Values PostgreSQL cannot store or that would exhaust the server, refused at the edge with
// the field named: a NUL character (text cannot hold one), an unpaired UTF-16 surrogate (not
// representable in UTF-8), JSON nested deeper than any record is, a body over the size limit.
// Every surface gets these checks from the server, before its own parsing and authentication.

/** Deepest nesting a JSON body may have; a record's deepest documented field is 4 levels down. */
export const MAX_JSON_DEPTH = 32;
/** Largest request body, in bytes. */
export const BODY_LIMIT = 1_048_576;

export { textFault };

const refuse = (field: string, message: string, code = 'invalid_text') => new RosterError('invalid_request', `${field}: ${message}`, [{ field, message, code } satisfies FieldError]);

/** Throws when any key or string in `value` cannot be stored. Depth is bounded by the parser. */
function scan(value: unknown, path: string): void {
  if (typeof value === 'string') {
    const fault = textFault(value);
    if (fault) throw refuse(path || 'body', fault);
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) scan(v, `${path}[${i}]`);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      const fault = textFault(k);
      if (fault) throw refuse(at, `has a key that ${fault}`);
      if (k === '__proto__') throw refuse(at, 'is not an allowed key');
      scan(v, at);
    }
  }
}

/** The nesting depth of JSON text, read without parsing it (so a hostile body costs O(n)). */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** Query and path values, checked as soon as the route is known (before authentication). */
export function checkRequestValues(req: FastifyRequest) {
  scan(req.params, '');
  scan(req.query, '');
}

/**
 * After validation: numbers coerced from query text must be finite. Ajv turns `limit=1e309` (or
 * `Infinity`) into Infinity and lets it through a `maximum`, and it would reach SQL as such.
 */
export function checkCoercedNumbers(req: FastifyRequest) {
  for (const part of [req.query, req.params] as unknown[]) {
    if (!part || typeof part !== 'object') continue;
    for (const [k, v] of Object.entries(part)) {
      if (typeof v === 'number' && !Number.isFinite(v)) throw refuse(k, 'must be a finite number', 'not_finite');
      if (Array.isArray(v) && v.some((x) => typeof x === 'number' && !Number.isFinite(x))) throw refuse(k, 'must be finite numbers', 'not_finite');
    }
  }
}

/** Replaces Fastify's JSON parser: depth and size capped before parsing, values checked after. */
export function installJsonParser(app: FastifyInstance) {
  app.removeAllContentTypeParsers();
  const parse = (_req: unknown, text: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
    const body = String(text);
    if (body.trim() === '') return done(null, undefined);
    if (jsonDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return done(refuse('body', `is nested deeper than ${MAX_JSON_DEPTH} levels`, 'too_deep'), undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return done(refuse('body', 'is not valid JSON', 'invalid_json'), undefined);
    }
    try {
      scan(parsed, '');
    } catch (e) {
      return done(e as Error, undefined);
    }
    done(null, parsed);
  };
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, parse);
  app.addContentTypeParser(/^application\/[\w.+-]*\+json$/, { parseAs: 'string', bodyLimit: BODY_LIMIT }, parse);
}
