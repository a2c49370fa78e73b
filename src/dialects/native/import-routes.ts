import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { notFound, RosterError } from '../../core/errors.ts';
import { inAccount, type Db } from '../../store/db.ts';
import { getImport, openImport } from '../../store/imports-repo.ts';
import { importKey, runImport } from '../../import/run-import.ts';
import { RECORD_SHAPES, type RecordShape } from '../record-shapes.ts';
import { dataflowSettings } from '../../config/dataflow.ts';

// POST /v1/imports takes a file of customers as the request body, streamed to a temporary file
// (its size bounded), and runs the import in this process; GET /v1/imports/{id} shows its counts
// from any process. An import that finishes within a couple of seconds is answered with its
// result (201); a longer one with 202 while it runs. Posting the same file again after a
// failure (or a crash of the process running it) goes on where it stopped.

const problems = Object.fromEntries([400, 401, 403, 404, 413, 415].map((s) => [s, Type.Ref('Problem')]));
const WAIT_MS = 2_000;

const ImportRecord = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('import'),
    status: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
    format: Type.String(),
    as: Type.String(),
    lines: Type.Integer({ description: 'Records in the file (known once it has been read through)' }),
    created: Type.Integer(),
    updated: Type.Integer(),
    failed: Type.Integer(),
    errors: Type.Array(Type.Object({ line: Type.Integer(), reason: Type.String() }), { description: 'The first 1,000 bad lines' }),
    error: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
    finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'Import' },
);

const ImportQuery = Type.Object(
  {
    format: Type.Optional(Type.Union([Type.Literal('ndjson'), Type.Literal('csv')], { description: 'Default: from the Content-Type (text/csv is CSV), else NDJSON' })),
    as: Type.Unsafe<RecordShape>({ type: 'string', enum: [...RECORD_SHAPES], default: 'native', description: "Each line in this surface's record shape, as its list returns it" }),
  },
  { additionalProperties: false },
);

const TYPES = ['application/x-ndjson', 'application/jsonl', 'text/csv', 'application/octet-stream'];

/** The body into a file, refused past `max` bytes. */
async function spool(body: Readable, max: number): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-import-'));
  const file = join(dir, 'upload');
  let size = 0;
  const bound = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > max) done(new RosterError('payload_too_large', `An import file may be at most ${max} bytes`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(body, bound, createWriteStream(file));
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e instanceof RosterError ? e : new RosterError('invalid_request', 'The upload was cut off');
  }
  return { dir, file };
}

export function importRoutes(app: FastifyInstance, db: Db) {
  app.addSchema(ImportRecord);
  const maxBytes = dataflowSettings().importMaxBytes;
  // The body is the file, not JSON: these types reach the handler as a stream, here only.
  app.register(async (scope) => {
    scope.addContentTypeParser(TYPES, (_req: FastifyRequest, payload: Readable, done: (err: Error | null, body?: unknown) => void) => done(null, payload));
    const f = scope.withTypeProvider<TypeBoxTypeProvider>();
    f.post(
      '/imports',
      {
        config: { need: 'write' },
        schema: {
          tags: ['imports'],
          summary: 'Import customers from an NDJSON or CSV body',
          description: `Content-Type ${TYPES.join(', ')}. Each line is validated as the API validates a write and upserts by id, else external id; bad lines are reported with their line numbers and written nowhere. Answers 201 with the result when the import is done within two seconds, else 202 while it runs (GET /v1/imports/{id}).`,
          querystring: ImportQuery,
          response: { 201: Type.Ref('Import'), 202: Type.Ref('Import'), ...problems },
        },
      },
      async (req, reply) => {
        const body = req.body as Readable | undefined;
        if (!body || typeof (body as Readable).pipe !== 'function') throw new RosterError('unsupported_media_type', `Send the file as the body, with Content-Type ${TYPES.join(', ')}`);
        const format = req.query.format ?? (String(req.headers['content-type']).startsWith('text/csv') ? 'csv' : 'ndjson');
        const shape = req.query.as as RecordShape;
        const accountId = req.principal.accountId;
        const { dir, file } = await spool(body, maxBytes);
        let imp: Awaited<ReturnType<typeof openImport>>;
        try {
          imp = await openImport(db, accountId, await importKey(file, format, shape), format, shape);
        } catch (e) {
          await rm(dir, { recursive: true, force: true });
          throw e;
        }
        const run = runImport(db, { accountId, file, format, shape, actor: req.principal.actor }, imp)
          .catch((e) => {
            req.log.warn({ code: (e as { code?: string }).code ?? 'import_failed', import: imp.id }, 'import failed');
            return undefined;
          })
          .finally(() => rm(dir, { recursive: true, force: true }));
        const done = await Promise.race([run, new Promise<undefined>((r) => (setTimeout(r, WAIT_MS) as unknown as NodeJS.Timeout).unref())]);
        const now = done ?? (await inAccount(db, accountId, (tx) => getImport(tx, accountId, imp.id)))!;
        return reply.status(now.status === 'running' ? 202 : 201).send(now);
      },
    );
  });

  const f = app.withTypeProvider<TypeBoxTypeProvider>();
  f.get(
    '/imports/:id',
    {
      schema: {
        tags: ['imports'],
        summary: "An import's progress and result",
        params: Type.Object({ id: Type.String({ pattern: '^imp_[0-9A-Za-z]{27}$' }) }),
        response: { 200: Type.Ref('Import'), ...problems },
      },
    },
    async (req) => {
      const accountId = req.principal.accountId;
      const imp = await inAccount(db, accountId, (tx) => getImport(tx, accountId, req.params.id));
      if (!imp) throw notFound('Import');
      return imp;
    },
  );
}
