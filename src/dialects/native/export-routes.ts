import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import { invalid } from '../../core/errors.ts';
import { and } from '../../core/list-query.ts';
import { IS_USER } from '../investifi/list-params.ts';
import type { Db } from '../../store/db.ts';
import { exportStream } from '../../export/export-stream.ts';
import { RECORD_SHAPES, type RecordShape } from '../record-shapes.ts';
import { CustomerListQuery, customerListQuery } from './list-params.ts';

// GET /v1/customers/export: every customer a list would return, with the list's own filters,
// search and sort (the same parser, the same compiler), as NDJSON or CSV, from one snapshot.

const problems = Object.fromEntries([400, 401, 403, 429].map((s) => [s, Type.Ref('Problem')]));
// An export is whole records in the shape asked for: no field selection or expansion.
const { limit: _limit, count: _count, ending_before: _before, fields: _fields, expand: _expand, ...listParams } = CustomerListQuery.properties;

export const ExportQuery = Type.Object(
  {
    ...listParams,
    format: Type.Union([Type.Literal('ndjson'), Type.Literal('csv')], { default: 'ndjson' }),
    as: Type.Unsafe<RecordShape>({ type: 'string', enum: [...RECORD_SHAPES], default: 'native', description: "Each record in this surface's own shape, as its list returns it" }),
  },
  { additionalProperties: false },
);

/**
 * The list query of an export's parameters; it starts at starting_after or a next_cursor. As
 * InvestiFi users, only customers holding product accounts are exported, as its list shows.
 */
export function exportListQuery(q: Omit<Static<typeof ExportQuery>, 'format' | 'as'>, shape: RecordShape) {
  const query = customerListQuery({ ...q, limit: 100, count: 'none' } as Static<typeof CustomerListQuery>);
  if (query.page.kind === 'keyset' && query.page.before) throw invalid('cursor', 'an export runs forward: give starting_after or a next_cursor');
  return shape === 'investifi' ? { ...query, filter: and(query.filter, IS_USER) } : query;
}

const CONTENT_TYPE = { ndjson: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

export function exportRoutes(app: FastifyInstance, db: Db) {
  const f = app.withTypeProvider<TypeBoxTypeProvider>();
  f.get(
    '/customers/export',
    {
      schema: {
        tags: ['customers'],
        summary: 'Export customers (NDJSON or CSV), with every list filter',
        description: 'One consistent snapshot, streamed. To resume an export that was cut off, give `starting_after` the id of the last record received (native shape), as with list pages.',
        querystring: ExportQuery,
        response: { 200: Type.String({ description: 'NDJSON (a record a line) or CSV with a header row' }), ...problems },
      },
    },
    async (req, reply) => {
      const { format, as, ...list } = req.query;
      const stream = await exportStream(db, { accountId: req.principal.accountId, query: exportListQuery(list, as as RecordShape), format, shape: as as RecordShape });
      return reply
        .type(CONTENT_TYPE[format])
        .header('content-disposition', `attachment; filename="customers.${format === 'csv' ? 'csv' : 'ndjson'}"`)
        .send(stream as never);
    },
  );
}
