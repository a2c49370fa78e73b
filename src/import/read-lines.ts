import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { fromCsvCells, RECORD_READERS, type RecordShape } from '../dialects/record-shapes.ts';
import { LineError, type ImportRow } from './import-row.ts';

// The lines of an import file, read as records of a shape: NDJSON (a JSON record a line, blank
// lines skipped) or CSV (a header row naming the shape's columns, nested values as JSON). Each
// record comes with its line number, for the report, and its ordinal among the records. An
// NDJSON line may also hold a whole page of the shape's list, as that surface's list returns it
// (see `pageItems`), so the pages a client saved from a vendor pour straight in: each record of
// the page is read in turn, reported by its line and its place on the page.

export type ImportFormat = 'ndjson' | 'csv';

export interface Line {
  line: number;
  ordinal: number;
  row?: ImportRow;
  error?: string;
}

/**
 * The records of a list page in the shape, as that surface's list returns it, or undefined when
 * the value is one record: Roster's and Dakota's `{data: [...]}` (with `meta` or the list's
 * other keys), Spirii's `{data: [...], count, limit, offset}`, InvestiFi's `{items: [...]}`, and
 * Dintero's bare array (any shape takes a bare array). No record of these shapes has a `data` or
 * `items` array of its own.
 */
export function pageItems(shape: RecordShape, raw: unknown): unknown[] | undefined {
  if (Array.isArray(raw)) return raw;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const list = (raw as Record<string, unknown>)[shape === 'investifi' ? 'items' : 'data'];
  return Array.isArray(list) ? list : undefined;
}

/** The file's records, parsed but not yet checked; `item` numbers the records of a page from 1. */
export async function* records(file: string, format: ImportFormat, shape: RecordShape): AsyncGenerator<{ line: number; item?: number; raw?: unknown; error?: string }> {
  if (format === 'ndjson') {
    let n = 0;
    for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      n++;
      if (text.trim() === '') continue;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        yield { line: n, error: 'not valid JSON' };
        continue;
      }
      const items = pageItems(shape, raw);
      if (!items) yield { line: n, raw };
      else for (let i = 0; i < items.length; i++) yield { line: n, item: i + 1, raw: items[i] };
    }
    return;
  }
  const parser = createReadStream(file).pipe(parse({ columns: true, bom: true, info: true, skip_empty_lines: true, relax_column_count: true }));
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    try {
      yield { line: info.lines, raw: fromCsvCells(shape, record) };
    } catch (e) {
      yield { line: info.lines, error: (e as Error).message };
    }
  }
}

/** Every record of the file, read through the shape's reader; a bad one carries its reason. */
export async function* readLines(file: string, format: ImportFormat, shape: RecordShape): AsyncGenerator<Line> {
  const read = RECORD_READERS[shape];
  let ordinal = 0;
  for await (const r of records(file, format, shape)) {
    if (r.error !== undefined) {
      yield { line: r.line, ordinal: ordinal++, error: r.error };
      continue;
    }
    let row: ImportRow;
    try {
      row = read(r.raw);
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      yield { line: r.line, ordinal: ordinal++, error: r.item === undefined ? e.message : `record ${r.item} of the page: ${e.message}` };
      continue;
    }
    yield { line: r.line, ordinal: ordinal++, row };
  }
}

/** The file's SHA-256: an import of the same bytes is the same load, resumed. */
export async function fileHash(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}
