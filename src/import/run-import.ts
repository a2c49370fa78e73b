import type { Db } from '../store/db.ts';
import { runLoad, type LoadPlan } from '../store/bulk-load.ts';
import { addImportCounts, finishImport, openImport, setImportLines, type ImportRecord } from '../store/imports-repo.ts';
import type { RecordShape } from '../dialects/record-shapes.ts';
import { fileHash, type ImportFormat } from './read-lines.ts';
import { scan } from './scan.ts';
import { BatchSource, layout } from './batch-source.ts';
import { writeBatch } from './write-batch.ts';

// An import: a load of batches (store/bulk-load.ts) keyed by the file's hash, so the same
// command (or POST of the same file) after a kill goes on where it stopped, and after a
// finished run simply finds every record in place. Every constraint and index stays live.

export interface ImportOptions {
  accountId: string;
  file: string;
  format: ImportFormat;
  shape: RecordShape;
  /** Records per batch (one transaction each). */
  batchSize?: number;
  /** Batches written side by side, each on a connection of its own (2 by default; PGlite has one). */
  connections?: number;
  /** Who the records are created or changed by (an API key id), as for any write. */
  actor?: string;
  /** Told after each batch: how many records of the file are done. */
  onProgress?: (done: number, total: number) => void;
  /** The import's row, once it exists (before the first pass over the file ends). */
  onOpen?: (imp: ImportRecord) => void;
}

interface ImportParams {
  importId: string;
  firstNumber: number;
}

// Records per batch. Each batch runs the statement-level triggers and the lookups of the
// numbers, emails and phones already taken once, so fewer, larger batches cost less: at 1M
// existing customers (BENCHMARKS.md, "Import") 20,000 a batch on two connections ran at 0.84×
// a plain COPY, 5,000 at 0.73×.
export const DEFAULT_BATCH = 20_000;

/** The load key of a file: its bytes and how they are read. */
export async function importKey(file: string, format: ImportFormat, shape: RecordShape, batchSize = DEFAULT_BATCH) {
  return `import sha256=${await fileHash(file)} format=${format} as=${shape} batch=${batchSize}`;
}

export async function runImport(db: Db, o: ImportOptions, existing?: ImportRecord): Promise<ImportRecord> {
  const batchSize = o.batchSize ?? DEFAULT_BATCH;
  const key = await importKey(o.file, o.format, o.shape, batchSize);
  const imp = existing ?? (await openImport(db, o.accountId, key, o.format, o.shape));
  o.onOpen?.(imp);
  try {
    const s = await scan(o.file, o.format, o.shape);
    await setImportLines(db, o.accountId, imp.id, s.records);
    const l = layout(s, batchSize);
    const source = new BatchSource(o.file, o.format, o.shape, s, batchSize);
    const plan: LoadPlan<ImportParams> = {
      accountId: o.accountId,
      key,
      batches: l.batches,
      stages: l.stages,
      connections: o.connections ?? 2,
      start: (todo) => source.start(todo),
      async begin(tx) {
        // Numbers for every record of the file, above any number the file gives, so a record
        // keeps its number whichever run writes it; a line that updates leaves its own unused.
        const [reserved] = await tx.query<{ first: string }>(
          `UPDATE account_modes SET next_customer_number = greatest(next_customer_number, $3::bigint + 1) + $2
            WHERE account_id = $1 RETURNING next_customer_number - $2 AS first`,
          [o.accountId, s.records, s.maxNumber],
        );
        if (!reserved) throw new Error(`No account ${o.accountId}`);
        return { importId: imp.id, firstNumber: Number(reserved.first) };
      },
      async batch(tx, index, p) {
        const lines = await source.get(index);
        const result = await writeBatch(tx, o.accountId, lines, p.firstNumber, { now: new Date(), actor: o.actor });
        await addImportCounts(tx, o.accountId, p.importId, result);
      },
    };
    let done = 0;
    await runLoad(db, plan, (index) => {
      done += l.sizes[index];
      o.onProgress?.(done, s.records);
    });
    return finishImport(db, o.accountId, imp.id);
  } catch (e) {
    const code = (e as { code?: string }).code;
    // Only the kind of failure is kept: a database message can quote a record's values.
    await finishImport(db, o.accountId, imp.id, code ? `the store failed (${code}); run the import again to go on` : `${(e as Error).message}; run the import again to go on`).catch(() => {});
    throw e;
  }
}
