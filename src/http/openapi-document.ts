import type { TObject, TSchema } from '@sinclair/typebox';

// An OpenAPI 3.0 document made from the TypeBox schemas a surface validates its requests with
// (and describes its responses with), so what is documented is what is enforced. A schema named
// as a component is written once under components/schemas and referred to wherever it appears.

// The mark is a symbol, which validators ignore, and which TypeBox keeps on the copies it makes
// (Type.Optional, a spread adding a description): a copy still names its component.
const COMPONENT = Symbol.for('roster.openapi.component');
type Named = { [COMPONENT]?: { name: string; schema: TSchema } };

/** Names a schema as a component of the document: wherever it appears, it is written as a $ref. */
export function component<T extends TSchema>(name: string, schema: T): T {
  return Object.assign(schema, { [COMPONENT]: { name, schema } });
}

export interface Response {
  description: string;
  schema?: TSchema;
  /** The body's media type; `application/json` unless given. */
  type?: string;
  /** Response headers a client reads, by name. */
  headers?: Record<string, { description: string; schema: TSchema }>;
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As OpenAPI writes it: `/customers/{customer_id}`. */
  path: string;
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  externalDocs?: { description: string; url: string };
  path_params?: TObject;
  query?: TObject;
  headers?: TObject;
  /** Headers a client may send that the surface reads nothing from: documented, not validated. */
  ignoredHeaders?: TObject;
  body?: { schema: TSchema; description?: string /** Media types accepted; `application/json` unless given. */; types?: string[] };
  responses: Record<string, Response>;
  /** Where it differs from the document's: a token endpoint takes client credentials, not a token. */
  security?: Record<string, string[]>[];
}

export interface DocumentInfo {
  info: { title: string; version: string; description?: string };
  /** Where the operations are; the server that serves a dialect's document adds its own (src/http/references.ts). */
  servers?: { url: string; description: string }[];
  security?: Record<string, string[]>[];
  securitySchemes?: Record<string, unknown>;
}

/** The document of a surface's operations. */
export function openapiDocument(doc: DocumentInfo, operations: Operation[]): Record<string, unknown> {
  const used: Used = new Map();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method] = operation(op, used);
  const schemas: Record<string, unknown> = {};
  // Components named inside components are found as they are written.
  for (let todo = [...used.keys()]; todo.length; todo = [...used.keys()].filter((n) => !(n in schemas))) {
    for (const name of todo) schemas[name] = oas(used.get(name)!, used, name);
  }
  return {
    openapi: '3.0.3',
    info: doc.info,
    ...(doc.servers ? { servers: doc.servers } : {}),
    ...(doc.security ? { security: doc.security } : {}),
    paths,
    components: { schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1))), ...(doc.securitySchemes ? { securitySchemes: doc.securitySchemes } : {}) },
  };
}

/** The components a document refers to, by name. */
type Used = Map<string, TSchema>;

function operation(op: Operation, used: Used) {
  const parameters = [
    ...parameterList(op.path_params, 'path', used),
    ...parameterList(op.query, 'query', used),
    ...parameterList(op.headers, 'header', used),
    ...parameterList(op.ignoredHeaders, 'header', used),
  ];
  const responses = Object.fromEntries(
    Object.entries(op.responses).map(([status, r]) => [
      status,
      {
        description: r.description,
        ...(r.headers ? { headers: Object.fromEntries(Object.entries(r.headers).map(([name, h]) => [name, { description: h.description, schema: oas(h.schema, used) }])) } : {}),
        ...(r.schema ? { content: { [r.type ?? 'application/json']: { schema: oas(r.schema, used) } } } : {}),
      },
    ]),
  );
  return {
    tags: op.tags,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    operationId: op.operationId,
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            ...(op.body.description ? { description: op.body.description } : {}),
            required: true,
            content: Object.fromEntries((op.body.types ?? ['application/json']).map((t) => [t, { schema: oas(op.body!.schema, used) }])),
          },
        }
      : {}),
    responses,
    ...(op.security ? { security: op.security } : {}),
    ...(op.externalDocs ? { externalDocs: op.externalDocs } : {}),
  };
}

function parameterList(params: TObject | undefined, where: 'path' | 'query' | 'header', used: Used) {
  if (!params) return [];
  const required = new Set(params.required ?? []);
  return Object.entries(params.properties).map(([name, schema]) => {
    const { description, ...rest } = oas(schema, used) as { description?: string };
    // A parameter with a default may be left out: the default is what its absence means.
    const needed = where === 'path' || (required.has(name) && (schema as { default?: unknown }).default === undefined);
    return { name, in: where, required: needed, ...(description ? { description } : {}), schema: rest };
  });
}

/**
 * A TypeBox schema as OpenAPI 3.0 writes it: components as references (with any annotation the
 * use adds beside them), `anyOf` with null as `nullable`, `examples` as `example`.
 */
function oas(schema: TSchema, used: Used, defining?: string): unknown {
  const mark = (schema as Named)[COMPONENT];
  if (mark && mark.name !== defining) {
    const { name } = mark;
    if (used.has(name) && used.get(name) !== mark.schema) throw new Error(`two components are named ${name}`);
    used.set(name, mark.schema);
    const base: Record<string, unknown> = mark.schema;
    const added = Object.fromEntries(Object.entries(schema).filter(([k, v]) => ANNOTATIONS.has(k) && JSON.stringify(v) !== JSON.stringify(base[k])));
    return { $ref: `#/components/schemas/${name}`, ...renameExamples(added) };
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as Record<string, TSchema>).map(([k, v]) => [k, oas(v, used)]));
    else if (key === 'items' || key === 'additionalProperties') out[key] = typeof value === 'object' ? oas(value as TSchema, used) : value;
    else if (key === 'anyOf' || key === 'allOf' || key === 'oneOf') out[key] = (value as TSchema[]).map((v) => oas(v, used));
    else out[key] = value;
  }
  const nullable = Array.isArray(out.anyOf) && out.anyOf.length === 2 && out.anyOf.findIndex((s) => (s as { type?: string }).type === 'null');
  if (typeof nullable === 'number' && nullable >= 0) {
    const { anyOf, ...rest } = out as { anyOf: Record<string, unknown>[] };
    return renameExamples({ ...anyOf[1 - nullable], ...rest, nullable: true });
  }
  return renameExamples(out);
}

const ANNOTATIONS = new Set(['description', 'examples', 'title', 'default']);

const renameExamples = (s: Record<string, unknown>) => {
  if (!Array.isArray(s.examples)) return s;
  const { examples, ...rest } = s;
  return { ...rest, example: examples[0] };
};
