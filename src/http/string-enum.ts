import { Type, type SchemaOptions, type TUnsafe } from '@sinclair/typebox';

/**
 * A string that is one of `values`: `{ type: 'string', enum: [...] }`, typed as their union.
 *
 * The schemas are built with @sinclair/typebox, while Fastify's TypeBox type provider infers a
 * handler's `req.query` and `req.body` with typebox 1, which reads a schema built elsewhere as
 * plain JSON Schema: from its `type` and `enum` members. TypeBox declares an unsafe type without
 * them (so the provider saw `unknown`, and handlers cast); declaring the two members it does have
 * lets both infer the union, so handlers take their inputs as the provider types them.
 */
export const StringEnum = <const T extends readonly string[]>(values: T, options: SchemaOptions = {}) =>
  Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] }) as TUnsafe<T[number]> & { readonly type: 'string'; readonly enum: T };
