import type { Db } from '../store/db.ts';

// Indexes dropped around a bulk load and built again after it: maintaining them row by row
// costs several times building them once from the loaded table (a trigram GIN index most of
// all), and so does checking a unique constraint on a random key such as a uuid.

export interface DroppedIndex {
  /** Index and table names, quoted as SQL needs them. */
  index: string;
  table: string;
  /** The table's plain name. */
  relation: string;
  /** The CREATE INDEX statement that builds it again. */
  definition: string;
  /** The unique constraint the index backed (quoted), put back on the rebuilt index. */
  constraint: string | null;
}

/**
 * Drops the indexes of `tables` that nothing else needs: every index except those behind a
 * primary key, an exclusion or deferrable constraint, or a unique constraint that a foreign
 * key references. The primary keys stay, so duplicate ids still fail the load at once.
 */
export async function dropIndexes(db: Db, tables: string[]): Promise<DroppedIndex[]> {
  const dropped = await db.query<DroppedIndex>(
    `SELECT i.oid::regclass::text AS index, t.oid::regclass::text AS table, t.relname AS relation,
            pg_get_indexdef(i.oid) AS definition, quote_ident(c.conname) AS constraint
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       LEFT JOIN pg_constraint c ON c.conindid = i.oid AND c.conrelid = t.oid AND c.contype IN ('p', 'u', 'x')
      WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1::text[])
        AND (c.oid IS NULL OR (c.contype = 'u' AND NOT c.condeferrable
             AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.oid)))
      ORDER BY t.relname, i.relname`,
    [tables],
  );
  for (const d of dropped) await db.exec(d.constraint ? `ALTER TABLE ${d.table} DROP CONSTRAINT ${d.constraint}` : `DROP INDEX ${d.index}`);
  return dropped;
}

/** Trigram GIN builds take many times any other, and PostgreSQL builds a GIN index on one core. */
const cost = (d: DroppedIndex) => (/gin_trgm_ops/.test(d.definition) ? 2 : /USING gin/i.test(d.definition) ? 1 : 0);

/**
 * Builds the dropped indexes again over `connections` connections at once, longest first, so
 * the b-trees are built on one connection while the trigram index takes another. Every index
 * is attempted even if one fails; the failures are reported together at the end.
 */
export async function rebuildIndexes(db: Db, dropped: DroppedIndex[], opts: { connections: number; onStart?: (index: string) => void }): Promise<void> {
  const queue = [...dropped].sort((a, b) => cost(b) - cost(a));
  const built: DroppedIndex[] = [];
  const failed: { index: string; error: unknown }[] = [];
  const worker = async () => {
    for (let d = queue.shift(); d; d = queue.shift()) {
      const index = d;
      opts.onStart?.(index.index);
      try {
        await db.transaction(async (tx) => {
          // Enough to sort a few million index entries in memory, for this build only. With
          // builds side by side on several connections the cores are busy already: parallel
          // workers on top only take turns with the trigram build, the longest of them.
          await tx.query(
            `SELECT CASE WHEN pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes($1) THEN set_config('maintenance_work_mem', $1, true) END,
                    CASE WHEN $2::boolean THEN set_config('max_parallel_maintenance_workers', '0', true) END`,
            [MAINTENANCE_WORK_MEM, opts.connections > 1],
          );
          await tx.query(index.definition);
        });
        built.push(index);
      } catch (error) {
        failed.push({ index: index.index, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.connections) }, worker));
  // After every build: attaching takes the table's exclusive lock, which would wait for the
  // builds still running on the other connections.
  for (const d of built) {
    if (d.constraint) await db.exec(`ALTER TABLE ${d.table} ADD CONSTRAINT ${d.constraint} UNIQUE USING INDEX ${d.index}`);
  }
  if (failed.length) {
    throw new Error(`Could not rebuild ${failed.map((f) => `${f.index} (${(f.error as Error).message})`).join(', ')}`, { cause: failed[0].error });
  }
}

const MAINTENANCE_WORK_MEM = '256MB';
