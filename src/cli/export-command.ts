import type { Command } from 'commander';
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import type { Static } from '@sinclair/typebox';
import { buildValidator } from '../http/validators.ts';
import { ExportQuery, exportListQuery } from '../dialects/native/export-routes.ts';
import { exportCustomers } from '../export/export-customers.ts';
import type { RecordShape } from '../dialects/record-shapes.ts';
import { openConfigured, storeConfig } from './config.ts';

// `roster export`: the export of GET /v1/customers/export, to a file or standard output. With
// --out, after every page the file is flushed and FILE.cursor records where the next page
// starts and how long the file was; `--resume` cuts the file back to that length and goes on
// from there, so an export stopped at any point finishes as if it had never stopped.

type Query = Static<typeof ExportQuery>;

/** The --where text read as the export route reads its query string, by the same schema. */
export function parseWhere(where: string, extra: Record<string, string>): Query {
  const validate = (buildValidator({}) as unknown as (r: unknown) => ((d: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] })({
    schema: ExportQuery,
    method: 'GET',
    url: '/v1/customers/export',
    httpPart: 'querystring',
  });
  const params: Record<string, string> = { ...Object.fromEntries(new URLSearchParams(where)), ...extra };
  if (!validate(params)) throw new Error(`--where: ${(validate.errors ?? []).map((e) => `${e.instancePath.slice(1) || 'query'} ${e.message}`).join('; ')}`);
  return params as unknown as Query;
}

interface Resume {
  cursor: string;
  bytes: number;
  where: string;
  format: string;
  as: string;
}

export function registerExport(program: Command, fail: (e: unknown) => never) {
  program
    .command('export')
    .description("Export an account's customers as NDJSON or CSV, with any list filter, from one consistent snapshot")
    .requiredOption('--account <id>', 'account id, e.g. T00000042')
    .option('--format <format>', 'ndjson or csv', 'ndjson')
    .option('--as <shape>', "record shape: native, or a vendor's (dakota, spirii, dintero, investifi)", 'native')
    .option('--where <query>', 'list filters and sort, as in GET /v1/customers (e.g. "kyb_status=active&sort=-created_at")', '')
    .option('--out <file>', 'write to this file (resumable) instead of standard output')
    .option('--resume', 'go on with an export to --out that was stopped')
    .option('--data-dir <dir>', 'embedded store directory (env ROSTER_DATA_DIR)')
    .action(async (opts) => {
      const sideFile = opts.out ? `${opts.out}.cursor` : undefined;
      let resume: Resume | undefined;
      if (opts.resume) {
        if (!sideFile) fail(new Error('--resume needs --out'));
        if (!existsSync(sideFile!)) fail(new Error(`nothing to resume: no ${sideFile}`));
        resume = JSON.parse(readFileSync(sideFile!, 'utf8')) as Resume;
      }
      const where = resume?.where ?? opts.where;
      const format = (resume?.format ?? opts.format) as 'ndjson' | 'csv';
      const shape = (resume?.as ?? opts.as) as RecordShape;
      let query: ReturnType<typeof exportListQuery>;
      try {
        const { format: _f, as: _a, ...list } = parseWhere(where, { format, as: shape, ...(resume ? { cursor: resume.cursor } : {}) });
        query = exportListQuery(list, shape);
      } catch (e) {
        fail(e);
      }
      const { db, release } = await openConfigured(storeConfig(opts.dataDir), 'roster export').catch(fail);
      const fd = opts.out ? openSync(opts.out, resume ? 'r+' : 'w') : 1;
      let bytes = resume?.bytes ?? 0;
      if (resume) ftruncateSync(fd, bytes);
      const started = performance.now();
      try {
        const r = await exportCustomers(
          db,
          { accountId: opts.account, query, format, shape, noHeader: Boolean(resume) },
          async (chunk) => {
            const buf = Buffer.from(chunk);
            writeSync(fd, buf, 0, buf.length, opts.out ? bytes : null);
            bytes += buf.length;
          },
          (p) => {
            if (!sideFile) return;
            fsyncSync(fd);
            if (p.cursor) writeFileSync(sideFile, JSON.stringify({ cursor: p.cursor, bytes, where, format, as: shape } satisfies Resume));
            // One line rewritten in place on a terminal; a line each in a log.
            const line = `exported ${p.rows} customers (${Math.round(p.rows / ((performance.now() - started) / 1000))}/s)`;
            process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
          },
        );
        if (sideFile) {
          rmSync(sideFile, { force: true });
          process.stderr.write(`${process.stderr.isTTY ? '\r' : ''}exported ${r.rows} customers${resume ? ' more' : ''} to ${opts.out} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
        }
      } catch (e) {
        fail(e);
      } finally {
        if (opts.out) closeSync(fd);
        await db.close();
        release();
      }
    });
}
