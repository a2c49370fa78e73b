import { stringify } from 'csv-stringify/sync';
import { encodeCursor } from '../core/cursor.ts';
import type { Anchor, ListQuery } from '../core/list-query.ts';
import type { Customer } from '../core/model.ts';
import { CSV_COLUMNS, csvCells, renderAs, type RecordShape } from '../dialects/record-shapes.ts';
import { ACCOUNT_SETUP, type Db } from '../store/db.ts';
import { listIn, type ListPage } from '../store/list.ts';

// An export: every customer a list query matches, from one snapshot, in pages. The pages are
// the list API's own (the one compiler, keyset on the query's sort), read inside one REPEATABLE
// READ transaction, so records written or deleted while it runs neither appear nor vanish and
// none is seen twice; memory holds one page at a time however many records there are.

export type ExportFormat = 'ndjson' | 'csv';

export interface ExportOptions {
  accountId: string;
  /** The list query (filters, search, sort); its keyset anchor, if any, is where the export starts. */
  query: ListQuery;
  format: ExportFormat;
  shape: RecordShape;
  /** Records per page. */
  pageSize?: number;
  /** Leave out the CSV header (a resumed export appends to a file that has it). */
  noHeader?: boolean;
}

export interface ExportProgress {
  rows: number;
  /** Where an export stopped after this page resumes (the list API's `cursor`), or null at the end. */
  cursor: string | null;
}

/**
 * Runs the export, handing each page's text to `write` (awaited: back-pressure) and telling
 * `onPage` where a resumed export would start. The transaction stays open until the last page
 * is written: on the embedded store, whose one connection serves every request, the caller
 * writes pages to a file and sends that (see exportToSink).
 */
export async function exportCustomers(db: Db, o: ExportOptions, write: (chunk: string) => Promise<void>, onPage?: (p: ExportProgress) => Promise<void> | void): Promise<ExportProgress> {
  const pageSize = o.pageSize ?? 1000;
  const start = o.query.page.kind === 'keyset' ? o.query.page.after : undefined;
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    await tx.query(ACCOUNT_SETUP, [o.accountId]);
    if (o.format === 'csv' && !o.noHeader) await write(stringify([CSV_COLUMNS[o.shape].map(([name]) => name)]));
    let after: Anchor | undefined = start;
    let rows = 0;
    for (;;) {
      const page: ListPage<Customer> = await listIn<Customer>(tx, o.accountId, { ...o.query, count: false, page: { kind: 'keyset', limit: pageSize, after } });
      const records = page.records.map((c) => renderAs(o.shape, c));
      if (records.length) {
        await write(o.format === 'csv' ? stringify(records.map((r) => csvCells(o.shape, r))) : records.map((r) => JSON.stringify(r)).join('\n') + '\n');
      }
      rows += records.length;
      const more = page.hasMoreAfter && page.lastId !== undefined && page.lastValues !== undefined;
      const cursor = more ? 'a.' + encodeCursor(o.query.sort, page.lastValues!, page.lastId!) : null;
      await onPage?.({ rows, cursor });
      if (!more) return { rows, cursor: null };
      after = { values: page.lastValues!, id: page.lastId! };
    }
  });
}
