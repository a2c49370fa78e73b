import { STATUS_CODES } from 'node:http';
import { ERROR_CATALOG } from '../core/errors.ts';

// How @fastify/swagger writes Roster's own API at /docs and /v1/openapi.json: the /v1 routes
// alone (each dialect has a reference of its own, references.ts), components by their $id
// rather than def-N, an operationId per route, parameters with a default not required (the
// default is what an absent one means), and errors as the problem documents they are sent as.

const PREFIX = '/v1';
/** A status's description: the title of the first error code that has it (400 is `Invalid request`). */
const TITLES = new Map<number, string>([...Object.values(ERROR_CATALOG)].reverse().map((e) => [e.status, e.title]));

// biome-ignore lint/suspicious/noExplicitAny: @fastify/swagger's document is untyped JSON, walked and rewritten here
type Schema = Record<string, any>;

/** getCustomers, getCustomersById, postKeysByIdRotate: the method and the path, as one name. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .slice(PREFIX.length)
    .split('/')
    .filter(Boolean)
    .map((w) => (w.startsWith(':') ? `By_${w.slice(1)}` : w));
  const camel = words
    .flatMap((w) => w.split(/[_-]/))
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
  return method.toLowerCase() + camel;
}

/** A query schema whose defaulted properties are not required. */
function defaultsOptional(schema: Schema | undefined): Schema | undefined {
  if (!schema?.properties || !Array.isArray(schema.required)) return schema;
  return { ...schema, required: schema.required.filter((name: string) => schema.properties[name]?.default === undefined) };
}

function responses(response: Record<string, Schema> | undefined): Record<string, Schema> | undefined {
  if (!response) return response;
  return Object.fromEntries(
    Object.entries(response).map(([status, schema]) => {
      const code = Number(status);
      const description = schema.description ?? (code >= 400 ? (TITLES.get(code) ?? STATUS_CODES[code]) : code === 204 ? 'No content' : STATUS_CODES[code]) ?? 'Response';
      if (code === 204) return [status, { description }];
      const type = code >= 400 ? 'application/problem+json' : 'application/json';
      return [status, { description, content: { [type]: { schema } } }];
    }),
  );
}

export const nativeSwagger = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'Roster API',
      version: '1',
      description:
        "The customer and user directory: Roster's own API. Authenticate with `Authorization: Bearer <api key>` or `x-api-key`. Each vendor dialect has a reference of its own: see `GET /`.",
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
    security: [{ bearer: [] }, { apiKey: [] }],
  },
  refResolver: {
    buildLocalReference: (json: Schema, _base: unknown, _fragment: unknown, i: number) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
  },
  // A 204 has no body: @fastify/swagger writes the null schema of one as application/json
  // content all the same, so it is taken out of the finished document.
  transformObject({ openapiObject }: { openapiObject: Schema }) {
    for (const ops of Object.values<Schema>(openapiObject.paths ?? {})) {
      for (const op of Object.values<Schema>(ops)) if (op?.responses?.['204']) delete op.responses['204'].content;
    }
    return openapiObject;
  },
  transform({ schema, url, route }: { schema: Schema | undefined; url: string; route: { method: string | string[] } }) {
    if (!(url === PREFIX || url.startsWith(`${PREFIX}/`))) return { schema: { ...schema, hide: true }, url };
    const method = Array.isArray(route.method) ? route.method[0] : route.method;
    return {
      url,
      schema: { ...schema, operationId: schema?.operationId ?? operationIdOf(method, url), querystring: defaultsOptional(schema?.querystring), response: responses(schema?.response) },
    };
  },
};
